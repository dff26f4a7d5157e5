"""Validation results and reports (SHACL section 3.6, "Validation Report").

A :class:`ShaclResult` keeps what the spec puts on a ``sh:ValidationResult`` (focus node,
path, value, severity, source constraint component, source shape, source constraint, messages)
plus a stable rule id and the messages in every language the shapes give, so the CLI and the
web layer can render it as text, JSON or a standard ``sh:ValidationReport`` graph.

Two verdicts, on purpose:

- :attr:`ShaclReport.spec_conforms` is ``sh:conforms`` as the spec defines it: true only when
  there is no result at all, whatever its severity. The report graph always says this.
- :attr:`ShaclReport.conforms` is the project's verdict, pyshacl's ``allow_warnings``: true when
  every result is a Warning or an Info. ``build`` and ``validate`` exit on it, so data with only
  warnings still builds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from icpc_kg.rdfio import bind_prefixes
from icpc_kg.vocab import shrink

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_IRIS = {name: iri for iri, name in SEVERITIES.items()}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
# Severities that do not make data unacceptable (pyshacl's allow_warnings and allow_infos).
TOLERATED = frozenset({"Warning", "Info"})
Triple = tuple[Node, Node, Node]


def severity_name(iri: Node) -> str:
    """ "Violation", "Warning" or "Info" for SHACL's severities; the IRI itself for a custom one
    (the spec allows any IRI as sh:severity)."""
    return SEVERITIES.get(rdflib.URIRef(str(iri)), str(iri))


def severity_iri(name: str) -> rdflib.URIRef:
    return SEVERITY_IRIS.get(name) or rdflib.URIRef(name)


@dataclass(frozen=True)
class ShaclResult:
    """One validation result."""

    focus: Node
    path: Node | None
    value: Node | None
    severity: str  # Violation | Warning | Info, or a custom severity's IRI
    constraint: Node  # the constraint component, e.g. sh:MinCountConstraintComponent
    shape: Node  # the shape that produced the result (sh:sourceShape)
    messages: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    rule_id: str = ""
    # sh:sourceConstraint: the SPARQL-based constraint behind the result, if any.
    source_constraint: Node | None = field(default=None, hash=False, compare=False)
    # The triples that spell a blank-node path (sh:inversePath, lists, ...), for the report.
    path_triples: tuple[Triple, ...] = field(default=(), hash=False, compare=False)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, else in English, else any message, else a generic one."""
        for key in (lang, "en", ""):
            if key in self.messages:
                return self.messages[key]
        if self.messages:
            return next(iter(self.messages.values()))
        return f"fails {shrink(str(self.constraint))}"

    def sort_key(self) -> tuple[Any, ...]:
        return (
            str(self.focus),
            SEVERITY_ORDER.get(self.severity, 0),
            self.rule_id,
            str(self.path or ""),
            str(self.value or ""),
        )


@dataclass
class ShaclReport:
    """The results of validating one data graph."""

    results: list[ShaclResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """The project's verdict: true when every result is a Warning or an Info."""
        return all(r.severity in TOLERATED for r in self.results)

    @property
    def spec_conforms(self) -> bool:
        """``sh:conforms`` as SHACL defines it: true only when there is no result at all."""
        return not self.results

    def counts(self) -> dict[str, int]:
        """Results per severity: the three of SHACL always, a custom severity when present."""
        counted = Counter(r.severity for r in self.results)
        counts = {name: counted.pop(name, 0) for name in ("Violation", "Warning", "Info")}
        counts.update(sorted(counted.items()))
        return counts

    def violations(self) -> list[ShaclResult]:
        """The results that make the data unacceptable (Violations and custom severities)."""
        return [r for r in self.results if r.severity not in TOLERATED]

    def sorted(self) -> list[ShaclResult]:
        return sorted(self.results, key=ShaclResult.sort_key)

    def only_focus(self, nodes: Iterable[Node]) -> ShaclReport:
        wanted = set(nodes)
        return ShaclReport([r for r in self.results if r.focus in wanted])

    def to_graph(self) -> rdflib.Graph:
        """The report as a standard ``sh:ValidationReport`` graph."""
        graph = rdflib.Graph()
        bind_prefixes(graph)
        report = rdflib.BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, rdflib.Literal(self.spec_conforms)))
        for result in self.sorted():
            node = rdflib.BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, result.focus))
            if result.path is not None:
                graph.add((node, SH.resultPath, _copy_path(result, graph)))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            graph.add((node, SH.resultSeverity, severity_iri(result.severity)))
            graph.add((node, SH.sourceConstraintComponent, result.constraint))
            graph.add((node, SH.sourceShape, result.shape))
            if result.source_constraint is not None:
                graph.add((node, SH.sourceConstraint, result.source_constraint))
            for lang, text in sorted(result.messages.items()):
                graph.add((node, SH.resultMessage, rdflib.Literal(text, lang=lang or None)))
        return graph

    def text(self) -> str:
        """A plain-text report in the layout of pyshacl's (its third return value)."""
        lines = [
            "Validation Report",
            f"Conforms: {self.spec_conforms}",
        ]
        if self.results:
            lines.append(f"Results ({len(self.results)}):")
        for result in self.sorted():
            component = str(result.constraint).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            kind = {"Violation": "Violation", "Warning": "Warning", "Info": "Info"}
            lines.append(
                f"Constraint {kind.get(result.severity, 'Result')} in {component} "
                f"({result.constraint}):"
            )
            lines.append(f"\tSeverity: {label(severity_iri(result.severity))}")
            lines.append(f"\tSource Shape: {label(result.shape)}")
            lines.append(f"\tFocus Node: {label(result.focus)}")
            if result.value is not None:
                lines.append(f"\tValue Node: {label(result.value)}")
            if result.path is not None:
                lines.append(f"\tResult Path: {label(result.path)}")
            if result.source_constraint is not None:
                lines.append(f"\tSource Constraint: {label(result.source_constraint)}")
            lines.append(f"\tMessage: {result.message()}")
        return "\n".join(lines) + "\n"


# What a SHACL test compares on each result (the W3C test suite's "full compliance").
COMPARED = (
    RDF.type,
    SH.focusNode,
    SH.resultPath,
    SH.resultSeverity,
    SH.sourceConstraint,
    SH.sourceConstraintComponent,
    SH.sourceShape,
    SH.value,
)
_PATH_PREDICATES = (
    RDF.first,
    RDF.rest,
    SH.inversePath,
    SH.alternativePath,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
)


def comparable(report: rdflib.Graph, messages: Iterable[Node] = ()) -> rdflib.Graph:
    """``report`` reduced to what a SHACL test compares, for ``rdflib.compare.isomorphic``:
    the report's type, sh:conforms and top-level results (not those nested under sh:detail),
    each with the :data:`COMPARED` predicates and the sh:resultMessage values in
    ``messages``; blank-node paths copied afresh per result."""
    wanted = set(messages)
    kept = rdflib.Graph()
    for node in report.subjects(RDF.type, SH.ValidationReport):
        fresh_report = rdflib.BNode()
        kept.add((fresh_report, RDF.type, SH.ValidationReport))
        for conforms in report.objects(node, SH.conforms):
            kept.add((fresh_report, SH.conforms, conforms))
        for result in report.objects(node, SH.result):
            fresh = rdflib.BNode()
            kept.add((fresh_report, SH.result, fresh))
            for p, o in report.predicate_objects(result):
                if p == RDF.type:
                    kept.add((fresh, p, SH.ValidationResult))
                elif p == SH.resultPath:
                    kept.add((fresh, p, _clone_path(report, o, kept)))
                elif p in COMPARED or (p == SH.resultMessage and o in wanted):
                    kept.add((fresh, p, o))
    return kept


def _clone_path(source: rdflib.Graph, node: Node, target: rdflib.Graph) -> Node:
    if not isinstance(node, rdflib.BNode):
        return node
    fresh = rdflib.BNode()
    for p, o in source.predicate_objects(node):
        if p in _PATH_PREDICATES:
            target.add((fresh, p, _clone_path(source, o, target)))
    return fresh


def _copy_path(result: ShaclResult, graph: rdflib.Graph) -> Node:
    """The result's path in ``graph``: an IRI as it is, a blank-node path copied afresh for
    each result (the spec's test suite compares reports whose results share no path nodes)."""
    assert result.path is not None
    if not isinstance(result.path, rdflib.BNode):
        return result.path
    fresh: dict[Node, rdflib.BNode] = {}

    def term(node: Node) -> Node:
        if isinstance(node, rdflib.BNode):
            return fresh.setdefault(node, rdflib.BNode())
        return node

    for s, p, o in result.path_triples:
        graph.add((term(s), p, term(o)))
    return term(result.path)


def label(node: Node) -> str:
    """A node as a reader knows it: a prefixed name, or the blank node's label."""
    if isinstance(node, rdflib.URIRef):
        return shrink(str(node))
    if isinstance(node, rdflib.term.Identifier):
        return node.n3()
    return str(node)


def rule_id_for(shape: Node, constraint: Node, shapes: rdflib.Graph) -> str:
    """A stable id for the rule behind a result: the shape's local name, or for a blank-node
    shape, its parent's local name and its path; then the constraint component."""
    component = str(constraint).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    component = component.replace("ConstraintComponent", "")
    if isinstance(shape, rdflib.URIRef):
        local = str(shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return f"{local}.{component}"
    parent = shapes.value(predicate=SH.property, object=shape) or shapes.value(
        predicate=SH.sparql, object=shape
    )
    path = shapes.value(shape, SH.path)
    parent_name = (
        str(parent).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if isinstance(parent, rdflib.URIRef)
        else "shape"
    )
    path_name = shrink(str(path)).replace(":", "-") if isinstance(path, rdflib.URIRef) else ""
    return ".".join(part for part in (parent_name, path_name, component) if part)
