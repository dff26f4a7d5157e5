"""icpc-kg's SHACL engine: SHACL Core and SHACL-SPARQL, compiled to SPARQL and run on
pyoxigraph, with pyshacl's calling convention.

    >>> import rdflib
    >>> from icpc_kg.shacl import validate
    >>> data = rdflib.Graph().parse(data='''
    ...     @prefix ex: <http://example.org/> .
    ...     ex:alice a ex:Person ; ex:age "forty" .
    ... ''', format="turtle")
    >>> shapes = rdflib.Graph().parse(data='''
    ...     @prefix ex: <http://example.org/> .
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    ...         sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] .
    ... ''', format="turtle")
    >>> conforms, report, text = validate(data, shacl_graph=shapes)
    >>> conforms
    False
    >>> print(text.splitlines()[3])
    Constraint Violation in DatatypeConstraintComponent (http://www.w3.org/ns/shacl#DatatypeConstraintComponent):

``validate`` takes rdflib graphs (a Dataset or ConjunctiveGraph is validated as the union of
its graphs) and returns ``(conforms, report_graph, report_text)`` like ``pyshacl.validate``;
the report graph is a standard ``sh:ValidationReport`` whose ``sh:conforms`` is false as soon
as there is any result, Warnings and Infos included (``allow_warnings`` and ``allow_infos``
change only the returned boolean, as the exit code of ``icpc-kg build``). It passes the W3C
SHACL test suite's ``core`` and ``sparql`` sections (``benchmarks/shacl_suite.py``).

The engine reads the data from a pyoxigraph store, one SPARQL query per constraint over all
focus nodes at once. Where the package is split (after the spec's chapters):

==========================  ==========================================================
``__init__.py``             :func:`validate`, pyshacl's calling convention
``store.py``                :func:`validate_dataset` / :func:`validate_store`: data in a store
``shapes.py``               shapes, targets, paths, severities, messages (2.1, 2.3)
``plan.py``                 a shapes graph compiled once into shapes and constraints
``engine.py``               validation and conformance (3.4), results
``run.py``                  focus nodes as SPARQL patterns, queries, Python functions
``constraints/``            SHACL Core components, one module per section of chapter 4
``sparql/``                 SHACL-SPARQL: sh:sparql, constraint components, pre-binding
``written.py``              literals judged as written, though the store rewrites some
``report.py``               results and reports (3.6), text and graph
``reference.py``            pyshacl, the reference engine, and for SHACL-AF rules
==========================  ==========================================================

What it does not run: SHACL-AF rules and node expressions (``sh:rule``, ``sh:expression``,
``sh:values``) and SHACL-JS; :func:`validate` raises :class:`ShaclFailure` for them, and
``validate_dataset(engine="auto")`` hands such shapes to pyshacl.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.literals import LiteralOriginals
from icpc_kg.rdfio import from_rdflib, parse_file, to_rdflib, triples_to_rdflib
from icpc_kg.shacl.plan import Plan
from icpc_kg.shacl.reference import validate_graph
from icpc_kg.shacl.report import (
    SEVERITIES,
    SEVERITY_IRIS,
    SEVERITY_ORDER,
    ShaclReport,
    ShaclResult,
    rule_id_for,
)
from icpc_kg.shacl.store import Engine, validate_dataset, validate_store

__all__ = [
    "SEVERITIES",
    "SEVERITY_IRIS",
    "SEVERITY_ORDER",
    "Engine",
    "ShaclFailure",
    "ShaclReport",
    "ShaclResult",
    "rule_id_for",
    "validate",
    "validate_dataset",
    "validate_graph",
    "validate_store",
]

SHAPES_GRAPH = "urn:x-icpc-kg:shacl:shapes-graph"  # where validate() puts the shapes
INFERENCE = {"none", "rdfs", "owlrl", "both"}
# pyshacl options this engine accepts and ignores, and those it cannot honour when set.
_IGNORED = {"debug", "inplace", "iterate_rules", "check_dash_result", "check_sht_result"}
_REFUSED = {
    "sparql_mode": "a remote SPARQL data graph",
    "js": "SHACL-JS",
    "do_owl_imports": "owl:imports",
}


def validate(
    data_graph: rdflib.Graph | str | Path,
    shacl_graph: rdflib.Graph | str | Path | None = None,
    ont_graph: rdflib.Graph | str | Path | None = None,
    inference: str | None = None,
    abort_on_first: bool = False,
    allow_infos: bool = False,
    allow_warnings: bool = False,
    advanced: bool = False,
    *,
    focus_nodes: Iterable[Node] | None = None,
    use_shapes: Iterable[Node] | None = None,
    max_validation_depth: int = 15,
    meta_shacl: bool = False,
    serialize_report_graph: bool | str = False,
    **options: Any,
) -> tuple[bool, rdflib.Graph | bytes, str]:
    """Validate ``data_graph`` against ``shacl_graph`` (default: the shapes in the data graph)
    and return ``(conforms, report_graph, report_text)``, as ``pyshacl.validate`` does.

    - ``ont_graph``: an extra graph (an ontology) mixed into a copy of the data graph;
    - ``inference``: "none" (default), "rdfs", "owlrl" or "both", run by owlrl on that copy;
    - ``abort_on_first``: stop at the first result;
    - ``allow_warnings`` / ``allow_infos``: results of those severities leave ``conforms``
      true (the report graph still follows the spec);
    - ``advanced``: SHACL-AF SPARQL-based targets (``sh:target``);
    - ``focus_nodes``: validate only these nodes (IRIs and literals), against the shapes
      that target them; ``use_shapes``: only these shapes' targets;
    - ``max_validation_depth``: how deeply shapes may nest on the data (recursive shapes);
    - ``meta_shacl``: first validate the shapes graph against SHACL's shapes for shapes;
    - ``serialize_report_graph``: the report as bytes (Turtle, or the rdflib format named).

    Raises :class:`ShaclFailure` when validation cannot be carried out: an ill-formed shapes
    graph, a SPARQL query the spec refuses, a ``?failure`` from a SPARQL constraint.
    """
    for name, value in options.items():
        if name in _REFUSED and value:
            raise ShaclFailure(f"{_REFUSED[name]} ({name}=...) is not supported by this engine")
        if name not in _IGNORED and name not in _REFUSED:
            raise TypeError(f"validate() got an unexpected keyword argument {name!r}")
    data = _graph(data_graph)
    shapes = _graph(shacl_graph) if shacl_graph is not None else data
    if inference not in (None, *INFERENCE):
        raise ShaclFailure(
            f"inference must be one of {', '.join(sorted(INFERENCE))}, not {inference!r}"
        )
    if ont_graph is not None or inference not in (None, "none"):
        data = _expanded(data, _graph(ont_graph) if ont_graph is not None else None, inference)
    if meta_shacl:
        _meta_validate(shapes)
    plan = Plan(shapes, advanced)
    if plan.unsupported:
        raise ShaclFailure(
            "this engine does not run " + "; ".join(plan.unsupported) + " (pyshacl does)"
        )
    if use_shapes is not None:
        wanted = {
            rdflib.URIRef(str(s)) if not isinstance(s, rdflib.term.Node) else s for s in use_shapes
        }
        plan.roots = [node for node in plan.roots if node in wanted]
    report = _validate_rdflib(data, shapes, plan, focus_nodes, max_validation_depth, abort_on_first)
    tolerated = {"Info"} if allow_infos else set()
    if allow_warnings:
        tolerated |= {"Warning", "Info"}
    conforms = all(r.severity in tolerated for r in report.results)
    graph = report.to_graph()
    text = report.text()
    if serialize_report_graph:
        fmt = serialize_report_graph if isinstance(serialize_report_graph, str) else "turtle"
        return conforms, graph.serialize(format=fmt, encoding="utf-8"), text
    return conforms, graph, text


def _graph(source: rdflib.Graph | str | Path) -> rdflib.Graph:
    """An rdflib graph, or a file read as written (rdflib's own parsers rewrite literals:
    ``"1"^^xsd:boolean`` would become ``"true"``); a file with named graphs as a Dataset."""
    if isinstance(source, rdflib.Graph):
        return source
    path = Path(source)
    quads = parse_file(path, base_iri=path.resolve().as_uri())
    if not any(isinstance(q.graph_name, ox.NamedNode | ox.BlankNode) for q in quads):
        return triples_to_rdflib(quads, rdflib.Graph())
    dataset = rdflib.Dataset()
    for quad in quads:
        name = to_rdflib(quad.graph_name)
        graph = (
            dataset.graph(name)
            if isinstance(name, rdflib.URIRef | rdflib.BNode)
            and not isinstance(quad.graph_name, ox.DefaultGraph)
            else dataset.default_context
        )
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return dataset


def _expanded(
    data: rdflib.Graph, ontology: rdflib.Graph | None, inference: str | None
) -> rdflib.Graph:
    """A copy of the data graph with the ontology mixed in and the inferences added."""
    import owlrl

    copy = rdflib.Graph()
    for triple in _triples(data):
        copy.add(triple)
    if ontology is not None:
        for triple in _triples(ontology):
            copy.add(triple)
    semantics = {
        "rdfs": owlrl.RDFS_Semantics,
        "owlrl": owlrl.OWLRL_Semantics,
        "both": owlrl.RDFS_OWLRL_Semantics,
    }.get(inference or "none")
    if semantics is not None:
        owlrl.DeductiveClosure(semantics).expand(copy)
    return copy


def _triples(graph: rdflib.Graph) -> Iterable[tuple[Node, Node, Node]]:
    if isinstance(graph, rdflib.ConjunctiveGraph | rdflib.Dataset):
        for s, p, o, _g in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph


def _meta_validate(shapes: rdflib.Graph) -> None:
    """The shapes graph checked against SHACL's own shapes for shapes graphs (pyshacl ships
    them; this engine reads them from there)."""
    resource = importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"
    shacl_shacl = rdflib.Graph().parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    report = _validate_rdflib(shapes, shacl_shacl, Plan(shacl_shacl), None, 15, False)
    if report.results:
        first = report.sorted()[0]
        raise ShaclFailure(
            f"the shapes graph is not well-formed SHACL ({len(report.results)} problems; first: "
            f"{first.focus} {first.message()})"
        )


def _validate_rdflib(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    plan: Plan,
    focus_nodes: Iterable[Node] | None,
    max_depth: int,
    abort_on_first: bool,
) -> ShaclReport:
    """Put ``data`` (and the shapes, for $shapesGraph) into a store of its own and validate
    it there, remembering the written form of every literal the store rewrites."""
    store = ox.Store()
    originals = LiteralOriginals()
    # Generalised triples (a literal subject, as owlrl's RDFS closure states) are not RDF.
    quads = [
        _quad(s, p, o, g)
        for s, p, o, g in _quads(data)
        if not isinstance(s, rdflib.Literal) and isinstance(p, rdflib.URIRef)
    ]
    store.extend(originals.record(quads))
    names = sorted({q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}, key=str)
    store.extend(_quad(s, p, o, rdflib.URIRef(SHAPES_GRAPH)) for s, p, o in _triples(shapes))
    graph_names = [n.value for n in names]
    args: dict[str, Any] = {}
    if graph_names:
        args = {"default_graph": [ox.DefaultGraph(), *names]}
    return validate_store(
        store,
        graph_names,
        plan,
        focus_nodes,
        originals,
        shapes_graph=SHAPES_GRAPH,
        graph_args=args,
        max_depth=max_depth,
        abort_on_first=abort_on_first,
    )


def _quads(graph: rdflib.Graph) -> Iterable[tuple[Node, Node, Node, Node | None]]:
    if isinstance(graph, rdflib.ConjunctiveGraph | rdflib.Dataset):
        default = graph.default_context.identifier
        for s, p, o, g in graph.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, rdflib.Graph) else g
            yield s, p, o, None if name == default else name
    else:
        for s, p, o in graph:
            yield s, p, o, None


def _quad(s: Node, p: Node, o: Node, g: Node | None) -> ox.Quad:
    graph = ox.DefaultGraph() if g is None else from_rdflib(g)
    return ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph)
