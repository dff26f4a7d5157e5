"""Fast SHACL validation: each shape compiled into SPARQL SELECT queries over the pyoxigraph store.

pyshacl walks every focus node in Python (28 s at 100k triples, about 320 s projected at 1M).
This engine asks the store one query per constraint instead and gives the results pyshacl gives
(same focus node, path, value, severity, constraint component and source shape), so pyshacl
stays the reference and the test suite checks that both agree.

It compiles targets (sh:targetClass with the rdfs:subClassOf closure of the data graph, implicit
class targets, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf) and, on node shapes and
on the property shapes they hold, the constraints sh:minCount, sh:maxCount, sh:datatype,
sh:class, sh:nodeKind, sh:pattern (+ sh:flags), sh:uniqueLang, sh:languageIn, sh:in,
sh:hasValue, sh:min/maxInclusive, sh:min/maxExclusive, sh:min/maxLength, sh:or over shapes
built from those, and SPARQL-based constraints (sh:sparql / sh:select with sh:prefixes).
Paths may be predicates, inverse paths, sequences, alternatives and the *, +, ? paths.

Anything else stays in a *residual* shapes graph (the shapes graph without the constraints
compiled here) that pyshacl evaluates, so results stay identical whatever the shapes use.

Where pyshacl's reading of a constraint differs from the letter of the SHACL spec, this engine
follows pyshacl, because pyshacl is the reference:
- sh:datatype: a literal is ill-typed when rdflib says so; rdflib has no lexical check for
  xsd:gYear or xsd:gYearMonth, so "x"^^xsd:gYear passes sh:datatype xsd:gYear.
- sh:pattern uses Python's ``re`` (search, flags "i" and "m" only), on rdflib's lexical form.
- sh:in, sh:hasValue and the value-range constraints compare rdflib terms, as pyshacl does.
- A member of sh:or whose own sh:severity is sh:Warning or sh:Info always conforms
  (pyshacl runs with warnings allowed).
- A SPARQL constraint's {?var} message placeholders are filled from the row, {$this} only when
  the query projects $this.

One deliberate difference: with ``focus_nodes``, pyshacl applies the focus list to the shapes
inside sh:or too, so a literal value never fails an sh:or there; this engine checks the value,
which is what validating the same nodes without a focus list gives.
"""

from __future__ import annotations

import datetime
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import rdflib
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS
from pyshacl.rdfutil.compare import compare_literal
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from icpc_kg.rdfio import from_rdflib, to_rdflib, triples_to_rdflib
from icpc_kg.shacl import SEVERITIES, ShaclResult, rule_id_for
from icpc_kg.vocab import shrink

# The SHACL terms that are Python keywords (rdflib's SH["class"] confuses type checkers).
SH_CLASS = rdflib.URIRef(f"{SH}class")
SH_IN = rdflib.URIRef(f"{SH}in")
SH_OR = rdflib.URIRef(f"{SH}or")
SH_AND = rdflib.URIRef(f"{SH}and")
SH_XONE = rdflib.URIRef(f"{SH}xone")
SH_NOT = rdflib.URIRef(f"{SH}not")
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
VALUE_PARAMETERS = {
    SH.datatype,
    SH_CLASS,
    SH.nodeKind,
    SH.pattern,
    SH.languageIn,
    SH_IN,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
}
# Shape-expecting parameters: the shapes they point at are checked for conformance only.
SHAPE_PARAMETERS = (SH.node, SH_NOT, SH.qualifiedValueShape)
SHAPE_LIST_PARAMETERS = (SH_AND, SH_OR, SH_XONE)
# Parameters pyshacl knows (core, SPARQL, advanced); any of them left uncompiled is residual.
KNOWN_PARAMETERS = {*ALL_CONSTRAINT_PARAMETERS, SH.expression, SH.js, SH.rule}
COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH_CLASS: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH_IN: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH_OR: SH.OrConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}
NODE_KINDS = {
    SH.IRI: "isIRI(?v)",
    SH.BlankNode: "isBlank(?v)",
    SH.Literal: "isLiteral(?v)",
    SH.BlankNodeOrIRI: "(isIRI(?v) || isBlank(?v))",
    SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}
# Datatypes rdflib parses (and may find ill-typed); other datatypes match on their IRI alone.
RDFLIB_CHECKED_DATATYPES = frozenset(str(d) for d in rdflib.term._toPythonMapping if d is not None)
PYTHON_VALUE_TYPES: dict[str, type | tuple[type, ...]] = {
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
}
RANGE_OPERATORS = {
    SH.minInclusive: ">=",
    SH.minExclusive: ">",
    SH.maxInclusive: "<=",
    SH.maxExclusive: "<",
}
FUNCTION_BASE = "urn:x-icpc-kg:shacl:"
TRUE = ox.Literal(True)
FALSE = ox.Literal(False)


class UnsupportedShape(Exception):
    """A shape feature this engine does not compile; the constraint goes to the residual."""


# --------------------------------------------------------------------------------------------
# What a compiled check needs at run time
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """How a shape finds its focus nodes (one of several parents' for a property shape)."""

    classes: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()  # SPARQL terms
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.classes or self.nodes or self.subjects_of or self.objects_of)


@dataclass
class Rule:
    """What every result of one check shares."""

    shape: Node
    component: Node
    severity: str
    path: Node | None
    messages: list[rdflib.Literal]
    rule_id: str
    declared: dict[str, str]  # the messages by language


@dataclass
class Check:
    """One constraint of one shape on one set of focus nodes, as SPARQL."""

    rule: Rule
    targets: Targets
    path: str | None  # SPARQL property path from focus to value nodes; None: the focus node
    kind: str  # value | min | max | unique-lang | has-value | sparql
    condition: str = ""  # value: SPARQL expression on ?v that holds when ?v conforms
    count: int = 0
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    sparql: SparqlConstraint | None = None


@dataclass
class SparqlConstraint:
    node: Node
    text: str  # prefixes applied, $PATH replaced
    projects_this: bool
    joinable: bool  # the focus pattern can be joined in; else one query per focus node
    messages: list[rdflib.Literal]
    substitutions: dict[str, Node]
    projection_at: int  # where to add ?this to the projection
    where_open: int  # where to put the focus pattern: just inside the WHERE clause


@dataclass
class CompiledShapes:
    """The checks compiled from a shapes graph, and what pyshacl must still evaluate."""

    shapes: rdflib.Graph
    checks: list[Check]
    residual: rdflib.Graph | None  # None when everything compiled
    residual_reasons: list[str]  # "shape: feature" for each constraint left to pyshacl


# --------------------------------------------------------------------------------------------
# Compiling a shapes graph
# --------------------------------------------------------------------------------------------


def compile_quads(quads: Iterable[ox.Quad]) -> CompiledShapes:
    """:func:`compile_shapes` for the shapes graph made of ``quads``, remembered for the
    next validations in this process (a server or a session checks many contributions)."""
    key = tuple(quads)
    with _CACHE_LOCK:
        compiled = _COMPILED.get(key)
        if compiled is None:
            compiled = compile_shapes(triples_to_rdflib(key))
            _COMPILED[key] = compiled
            while len(_COMPILED) > 4:
                del _COMPILED[next(iter(_COMPILED))]
        return compiled


_COMPILED: dict[tuple[ox.Quad, ...], CompiledShapes] = {}
_CACHE_LOCK = threading.Lock()


def compile_shapes(shapes: rdflib.Graph) -> CompiledShapes:
    """Compile every shape of ``shapes`` that the engine supports into checks."""
    if (None, SH.rule, None) in shapes:
        # Rules change the data before validation: pyshacl must do all of it.
        return CompiledShapes(shapes, [], shapes, ["SHACL rules (sh:rule)"])
    node_shapes, property_shapes = _discover_shapes(shapes)
    pinned: set[Node] = set()
    while True:
        compiler = _Compiler(shapes, node_shapes, property_shapes, pinned)
        compiler.run()
        newly_pinned = compiler.conformance_shapes() & compiler.stripped
        if not newly_pinned - pinned:
            break
        pinned |= newly_pinned
    residual = compiler.residual_graph()
    return CompiledShapes(shapes, compiler.checks, residual, compiler.reasons)


def _discover_shapes(g: rdflib.Graph) -> tuple[set[Node], set[Node]]:
    """Node shapes and property shapes, found the way pyshacl finds them."""
    declared_nodes = set(g.subjects(RDF.type, SH.NodeShape))
    declared_props = set(g.subjects(RDF.type, SH.PropertyShape))
    subjects: set[Node] = set()
    for predicate in (*TARGET_PREDICATES, SH.property, SH.node):
        subjects.update(g.subjects(predicate, None))
    values: set[Node] = set()
    for predicate in (SH.property, *SHAPE_PARAMETERS):
        values.update(g.objects(None, predicate))
    for predicate in SHAPE_LIST_PARAMETERS:
        for head in g.objects(None, predicate):
            values.update(g.items(head))
    node_shapes = set(declared_nodes)
    property_shapes = set(declared_props)
    for shape in subjects | values:
        if shape in declared_nodes or shape in declared_props:
            continue
        (property_shapes if (shape, SH.path, None) in g else node_shapes).add(shape)
    return node_shapes, property_shapes


class _Compiler:
    def __init__(
        self,
        g: rdflib.Graph,
        node_shapes: set[Node],
        property_shapes: set[Node],
        pinned: set[Node],
    ) -> None:
        self.g = g
        self.node_shapes = node_shapes
        self.property_shapes = property_shapes
        self.pinned = pinned  # evaluated by pyshacl as a whole
        self.custom = _custom_parameters(g)
        self.checks: list[Check] = []
        self.reasons: list[str] = []
        self.compiled: set[tuple[Node, Node, Node]] = set()  # (shape, parameter, value) done
        self.stripped: set[Node] = set()  # shapes with compiled constraints
        self.result_shapes: set[Node] = set()  # shapes evaluated for their own results
        self.residual_shapes: set[Node] = set()  # shapes with targets pyshacl must still use
        self.untargeted: set[Node] = set()  # shapes with targets pyshacl need not use
        self.dropped_links: set[tuple[Node, Node]] = set()  # (shape, property shape) done

    # -- walking the shapes --------------------------------------------------------------

    def run(self) -> None:
        for shape in sorted(self.node_shapes | self.property_shapes, key=str):
            if not self._has_targets(shape):
                continue  # only evaluated through other shapes
            if self._deactivated(shape):
                self.untargeted.add(shape)
                continue
            self.result_shapes.add(shape)
            targets = self._targets(shape)
            is_property = shape in self.property_shapes
            own_path = self._path(shape) if is_property else None
            if targets is None or shape in self.pinned or (is_property and own_path is None):
                self._keep(shape, "evaluated by pySHACL as a whole")
                self.residual_shapes.add(shape)
                continue
            self._compile_constraints(shape, targets, own_path)
            leftover = bool(self._residual_parameters(shape))
            for prop in sorted(set(self.g.objects(shape, SH.property)), key=str):
                if is_property:
                    leftover = True  # property shapes of a property shape: not compiled
                    self._keep(prop, "property shape of a property shape")
                elif self._compile_property_shape(prop, targets):
                    self.dropped_links.add((shape, prop))
                else:
                    leftover = True
            (self.residual_shapes if leftover else self.untargeted).add(shape)

    def _compile_property_shape(self, prop: Node, targets: Targets) -> bool:
        """Compile ``prop`` under a parent with ``targets``; True if nothing is left over."""
        if self._deactivated(prop):
            return True
        self.result_shapes.add(prop)
        path = self._path(prop) if prop in self.property_shapes else None
        if prop in self.pinned or path is None:
            self._keep(prop, "evaluated by pySHACL as a whole")
            return False
        self._compile_constraints(prop, targets, path)
        nested = list(self.g.objects(prop, SH.property))
        for inner in nested:
            self._keep(inner, "property shape of a property shape")
        return not self._residual_parameters(prop) and not nested

    def _compile_constraints(self, shape: Node, targets: Targets, path: str | None) -> None:
        severity = self._severity(shape)
        messages = self._messages(shape)
        result_path = self.g.value(shape, SH.path) if path is not None else None
        for parameter, value in sorted(self.g.predicate_objects(shape), key=str):
            if parameter not in COMPONENT:
                continue
            component = COMPONENT[rdflib.URIRef(str(parameter))]
            try:
                built = self._build(shape, parameter, value, path)
            except UnsupportedShape as reason:
                self._keep(shape, str(reason))
                continue
            rule = Rule(
                shape,
                component,
                severity,
                result_path,
                messages,
                rule_id_for(shape, component, self.g),
                _declared_messages(messages),
            )
            for kind, condition, count, functions, sparql in built:
                self.checks.append(
                    Check(rule, targets, path, kind, condition, count, functions, sparql)
                )
            self.compiled.add((shape, parameter, value))
            self.stripped.add(shape)

    def _keep(self, shape: Node, reason: str) -> None:
        self.reasons.append(f"{_label(shape)}: {reason}")

    # -- one parameter ----------------------------------------------------------------------

    def _build(
        self, shape: Node, parameter: Node, value: Node, path: str | None
    ) -> list[tuple[str, str, int, dict[str, Callable[..., Any]], SparqlConstraint | None]]:
        is_property = path is not None
        if parameter in (SH.minCount, SH.maxCount):
            if not is_property or not _is_integer(value):
                raise UnsupportedShape(
                    f"{shrink(str(parameter))} on a node shape or not an integer"
                )
            count = int(str(value))
            kind = "min" if parameter == SH.minCount else "max"
            return [] if kind == "min" and count == 0 else [(kind, "", count, {}, None)]
        if parameter == SH.uniqueLang:
            if not is_property or not isinstance(value, rdflib.Literal):
                raise UnsupportedShape("sh:uniqueLang on a node shape")
            return [("unique-lang", "", 0, {}, None)] if value.toPython() is True else []
        functions: dict[str, Callable[..., Any]] = {}
        if parameter == SH.hasValue:
            return [("has-value", _value_equals(value, functions), 0, functions, None)]
        if parameter == SH.sparql:
            return [("sparql", "", 0, {}, self._sparql(shape, value, path))]
        if parameter == SH_OR:
            condition = self._or_condition(value, functions)
        else:
            condition = _value_condition(self.g, shape, parameter, value, functions)
        return [("value", condition, 0, functions, None)]

    def _or_condition(self, head: Node, functions: dict[str, Callable[..., Any]]) -> str:
        members = list(self.g.items(head))
        if not members:
            raise UnsupportedShape("sh:or without a list")
        alternatives = [self._member_condition(member, functions) for member in members]
        return "(" + " || ".join(alternatives) + ")"

    def _member_condition(self, member: Node, functions: dict[str, Callable[..., Any]]) -> str:
        """The condition under which a value conforms to ``member`` (a shape in sh:or)."""
        if (member, SH.path, None) in self.g or (member, SH.property, None) in self.g:
            raise UnsupportedShape("sh:or member with a path or property shapes")
        if self._deactivated(member) or self._severity(member) in ("Warning", "Info"):
            return "true"  # pyshacl, with warnings allowed, counts such a member as conforming
        parts = []
        for parameter, value in sorted(self.g.predicate_objects(member), key=str):
            if parameter in VALUE_PARAMETERS:
                parts.append(_value_condition(self.g, member, parameter, value, functions))
            elif parameter == SH.hasValue:
                parts.append(_value_equals(value, functions))
            elif parameter == SH_OR:
                parts.append(self._or_condition(value, functions))
            elif parameter in KNOWN_PARAMETERS or parameter in self.custom:
                raise UnsupportedShape(f"{shrink(str(parameter))} in an sh:or member")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _sparql(self, shape: Node, constraint: Node, path: str | None) -> SparqlConstraint:
        g = self.g
        selects = list(g.objects(constraint, SH.select))
        if len(selects) != 1 or (constraint, SH.ask, None) in g:
            raise UnsupportedShape("SPARQL constraint without exactly one sh:select")
        deactivated = g.value(constraint, SH.deactivated)
        if isinstance(deactivated, rdflib.Literal) and deactivated.toPython() is True:
            return SparqlConstraint(constraint, "", False, True, [], {}, -1, -1)
        text = str(selects[0])
        _refuse_like_pyshacl(text)
        if _PATH_VAR.search(text):
            if path is None:
                raise UnsupportedShape("$PATH in a SPARQL constraint of a node shape")
            text = _PATH_VAR.sub(lambda m: m.group(1) + path, text)
        if _SHAPES_GRAPH_VAR.search(text):
            raise UnsupportedShape("$shapesGraph in a SPARQL constraint")
        substitutions: dict[str, Node] = {}
        if _CURRENT_SHAPE_VAR.search(text):
            substitutions["currentShape"] = shape
        prologue = "".join(
            f"PREFIX {prefix}: <{namespace}>\n"
            for prefix, namespace in _sparql_prefixes(g, constraint).items()
        )
        text = prologue + "\n" + text
        analysis = _analyse_select(text)
        text = lateral_exists(text)  # after the analysis: it only rewrites inside WHERE
        messages = sorted(
            (m for m in g.objects(constraint, SH.message) if isinstance(m, rdflib.Literal)),
            key=str,
        )
        return SparqlConstraint(
            constraint,
            text,
            analysis.projects_this,
            analysis.joinable,
            messages,
            substitutions,
            analysis.projection_at,
            analysis.where_open,
        )

    # -- shape properties ---------------------------------------------------------------------

    def _has_targets(self, shape: Node) -> bool:
        g = self.g
        if any((shape, p, None) in g for p in (*TARGET_PREDICATES, SH.target)):
            return True
        return bool(self._implicit_class(shape))

    def _implicit_class(self, shape: Node) -> list[str]:
        class_types = {RDFS.Class, *self.g.subjects(RDFS.subClassOf, RDFS.Class)}
        if any(t in class_types for t in self.g.objects(shape, RDF.type)):
            return [str(shape)]
        return []

    def _targets(self, shape: Node) -> Targets | None:
        """The shape's own targets; None when they cannot be compiled (sh:target, blank nodes)."""
        g = self.g
        if (shape, SH.target, None) in g:
            self._keep(shape, "sh:target (SHACL-AF targets)")
            return None
        classes = list(g.objects(shape, SH.targetClass))
        nodes = list(g.objects(shape, SH.targetNode))
        implicit = self._implicit_class(shape)
        if (
            any(isinstance(n, rdflib.BNode) for n in nodes)
            or any(not isinstance(c, rdflib.URIRef) for c in classes)
            or (implicit and not isinstance(shape, rdflib.URIRef))
        ):
            self._keep(shape, "blank-node target")
            return None
        return Targets(
            tuple(sorted({str(c) for c in classes} | set(implicit))),
            tuple(sorted({str(from_rdflib(n)) for n in nodes})),
            tuple(sorted({str(p) for p in g.objects(shape, SH.targetSubjectsOf)})),
            tuple(sorted({str(p) for p in g.objects(shape, SH.targetObjectsOf)})),
        )

    def _deactivated(self, shape: Node) -> bool:
        value = self.g.value(shape, SH.deactivated)
        return isinstance(value, rdflib.Literal) and bool(value.value)

    def _severity(self, shape: Node) -> str:
        severity = next(iter(set(self.g.objects(shape, SH.severity))), SH.Violation)
        return SEVERITIES.get(rdflib.URIRef(str(severity)), "Violation")

    def _messages(self, shape: Node) -> list[rdflib.Literal]:
        return sorted(
            (m for m in self.g.objects(shape, SH.message) if isinstance(m, rdflib.Literal)),
            key=str,
        )

    def _path(self, shape: Node) -> str | None:
        paths = list(self.g.objects(shape, SH.path))
        if len(paths) != 1:
            return None
        try:
            return sparql_path(self.g, paths[0])
        except UnsupportedShape as reason:
            self._keep(shape, str(reason))
            return None

    def _residual_parameters(self, shape: Node) -> list[Node]:
        """Constraint parameters of ``shape`` that no check covers."""
        return [
            parameter
            for parameter, value in self.g.predicate_objects(shape)
            if parameter != SH.property
            and (parameter in KNOWN_PARAMETERS or parameter in self.custom)
            and (shape, parameter, value) not in self.compiled
        ]

    # -- what pyshacl still has to do ---------------------------------------------------------

    def conformance_shapes(self) -> set[Node]:
        """Shapes that residual constraints use for conformance (sh:node, sh:not, ...), and the
        shapes those use in turn: pyshacl needs them intact."""
        g = self.g
        todo: list[Node] = []
        for shape in self.result_shapes:
            for parameter, value in g.predicate_objects(shape):
                if (shape, parameter, value) in self.compiled:
                    continue
                if parameter in SHAPE_PARAMETERS:
                    todo.append(value)
                elif parameter in SHAPE_LIST_PARAMETERS:
                    todo.extend(g.items(value))
        seen: set[Node] = set()
        while todo:
            shape = todo.pop()
            if shape in seen:
                continue
            seen.add(shape)
            for parameter, value in g.predicate_objects(shape):
                if parameter in (*SHAPE_PARAMETERS, SH.property):
                    todo.append(value)
                elif parameter in SHAPE_LIST_PARAMETERS:
                    todo.extend(g.items(value))
        return seen

    def residual_graph(self) -> rdflib.Graph | None:
        """The shapes graph without what the checks cover; None if nothing is left."""
        if not self.residual_shapes:
            return None
        g = self.g
        residual = rdflib.Graph()
        for prefix, namespace in g.namespaces():
            residual.bind(prefix, namespace, override=True, replace=True)
        closed = set(g.subjects(SH.closed, None))
        implicit_types = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        for s, p, o in g:
            if (s, p, o) in self.compiled:
                continue
            if p == SH.property and (s, o) in self.dropped_links and s not in closed:
                continue
            if s in self.untargeted and (
                p in (*TARGET_PREDICATES, SH.target) or (p == RDF.type and o in implicit_types)
            ):
                continue
            residual.add((s, p, o))
        return residual


def _label(node: Node) -> str:
    if isinstance(node, rdflib.URIRef):
        return shrink(str(node))
    return node.n3() if isinstance(node, rdflib.term.Identifier) else str(node)


def _custom_parameters(g: rdflib.Graph) -> set[Node]:
    """Parameters of the custom constraint components the shapes graph declares."""
    found: set[Node] = set()
    for component in g.subjects(RDF.type, SH.ConstraintComponent):
        for parameter in g.objects(component, SH.parameter):
            found.update(g.objects(parameter, SH.path))
    return found


def _is_integer(value: Node) -> bool:
    return isinstance(value, rdflib.Literal) and value.datatype == XSD.integer


# --------------------------------------------------------------------------------------------
# Paths and value conditions
# --------------------------------------------------------------------------------------------


def sparql_path(g: rdflib.Graph, path: Node) -> str:
    """The SPARQL 1.1 property path for a SHACL path."""
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    if isinstance(path, rdflib.BNode):
        if (path, RDF.first, None) in g:
            return "(" + "/".join(sparql_path(g, p) for p in g.items(path)) + ")"
        for predicate, operator in (
            (SH.inversePath, "^"),
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = g.value(path, predicate)
            if inner is not None:
                text = sparql_path(g, inner)
                return f"^{text}" if operator == "^" else f"({text}){operator}"
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(sparql_path(g, p) for p in g.items(alternatives)) + ")"
    raise UnsupportedShape(f"path {path!r}")


def _register(functions: dict[str, Callable[..., Any]], test: Callable[[Node], bool]) -> str:
    """A SPARQL function (by IRI) that applies ``test`` to an rdflib term, with a cache."""
    name = f"{FUNCTION_BASE}{id(test)}-{len(functions)}"
    cache: dict[Any, ox.Literal] = {}

    def call(term: Any) -> ox.Literal:
        answer = cache.get(term)
        if answer is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                answer = TRUE if test(to_rdflib(term)) else FALSE
            cache[term] = answer
        return answer

    functions[name] = call
    return f"<{name}>(?v)"


def _value_condition(
    g: rdflib.Graph,
    shape: Node,
    parameter: Node,
    value: Node,
    functions: dict[str, Callable[..., Any]],
) -> str:
    """A SPARQL condition on ?v that holds when ?v satisfies ``parameter value``, as pyshacl
    decides it."""
    if parameter == SH.datatype:
        return _datatype_condition(value, functions)
    if parameter == SH_CLASS:
        if not isinstance(value, rdflib.URIRef):
            raise UnsupportedShape("sh:class with a blank node")
        # The subclasses are only known against the data: _Run.expand fills them in.
        classes = _subclasses_of(value)
        return f"(!isLiteral(?v) && EXISTS {{ ?v a ?type . VALUES ?type {{ {classes} }} }})"
    if parameter == SH.nodeKind:
        kind = NODE_KINDS.get(rdflib.URIRef(str(value)))
        if not isinstance(value, rdflib.URIRef) or kind is None:
            raise UnsupportedShape(f"sh:nodeKind {value}")
        return kind
    if parameter == SH.pattern:
        return _register(functions, _pattern_test(g, shape, value))
    if parameter == SH.languageIn:
        wanted = {str(tag).lower() for tag in g.items(value)}
        return _register(functions, lambda v: _language_in(v, wanted))
    if parameter == SH_IN:
        allowed = set(g.items(value))
        return _register(functions, lambda v: v in allowed)
    if parameter in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
        if not isinstance(value, rdflib.Literal):
            raise UnsupportedShape(f"{shrink(str(parameter))} with a non-literal")
        test = _register(functions, _range_test(parameter, value))
        if value.datatype in (XSD.integer, XSD.decimal) and value.ill_typed is False:
            # Two valid numbers of the same datatype compare in SPARQL as in Python.
            operator = RANGE_OPERATORS[rdflib.URIRef(str(parameter))]
            bound = str(from_rdflib(value))
            same = f"isNumeric(?v) && DATATYPE(?v) = <{value.datatype}>"
            return f"IF({same}, ?v {operator} {bound}, {test})"
        return test
    if parameter in (SH.minLength, SH.maxLength):
        if not isinstance(value, rdflib.Literal) or not isinstance(value.value, int):
            raise UnsupportedShape(f"{shrink(str(parameter))} with a non-integer")
        return _register(functions, _length_test(parameter == SH.minLength, value.value))
    raise UnsupportedShape(shrink(str(parameter)))


_SUBCLASSES = re.compile(r"@subclasses-of<([^>]*)>@")


def _subclasses_of(cls: rdflib.URIRef) -> str:
    return f"@subclasses-of<{cls}>@"


def _datatype_condition(datatype: Node, functions: dict[str, Callable[..., Any]]) -> str:
    if not isinstance(datatype, rdflib.URIRef):
        raise UnsupportedShape("sh:datatype with a blank node")
    if datatype == RDFS.Literal:
        return "isLiteral(?v)"
    if datatype == RDF.langString:
        return '(isLiteral(?v) && LANG(?v) != "")'
    if datatype == RDFS.Datatype:  # pyshacl: any literal whose rdflib datatype is set
        return f'(isLiteral(?v) && DATATYPE(?v) != <{XSD.string}> && LANG(?v) = "")'
    same = f"(isLiteral(?v) && DATATYPE(?v) = <{datatype}>"
    if datatype == XSD.string or str(datatype) not in RDFLIB_CHECKED_DATATYPES:
        return same + ")"
    test = _register(functions, lambda v: _well_typed(v, datatype))
    if datatype == XSD.integer:
        # An integer valid for the store ([+-]?[0-9]+ within 64 bits) is one for rdflib too:
        # only the others need rdflib's verdict.
        return f"{same} && (isNumeric(?v) || {test}))"
    return f"{same} && {test})"


def _well_typed(value: Node, datatype: rdflib.URIRef) -> bool:
    """pyshacl's test for a literal whose datatype is ``datatype``."""
    if not isinstance(value, rdflib.Literal) or value.ill_typed is True:
        return False
    python_type = PYTHON_VALUE_TYPES.get(str(datatype))
    if python_type is not None:
        return isinstance(value.value, python_type)
    python_type = {
        XSD.date: datetime.date,
        XSD.dateTime: datetime.datetime,
        XSD.time: datetime.time,
    }.get(datatype)
    return python_type is None or isinstance(value.value, python_type)


def _value_equals(value: Node, functions: dict[str, Callable[..., Any]]) -> str:
    if isinstance(value, rdflib.URIRef):
        return f"sameTerm(?v, <{value}>)"
    if isinstance(value, rdflib.BNode):
        return "false"  # a blank node of the shapes graph is never a node of the data graph
    return _register(functions, lambda v: v == value)


def _pattern_test(g: rdflib.Graph, shape: Node, pattern: Node) -> Callable[[Node], bool]:
    if not isinstance(pattern, rdflib.Literal):
        raise UnsupportedShape("sh:pattern with a non-literal")
    flags_node = next(iter(set(g.objects(shape, SH.flags))), None)
    flags = 0
    if flags_node is not None:
        text = str(getattr(flags_node, "value", flags_node)).lower()
        flags |= re.I if "i" in text else 0
        flags |= re.M if "m" in text else 0
    source = (
        str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    )
    regex = re.compile(source, flags)

    def test(v: Node) -> bool:
        if isinstance(v, rdflib.BNode):
            return False
        return regex.search(_string_of(v)) is not None

    return test


def _string_of(v: Node) -> str:
    """pyshacl's string form of a value node (StringBasedConstraintBase.value_node_to_string)."""
    if (
        isinstance(v, rdflib.Literal)
        and v.value is not None
        and v.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(v.value)
    return str(v)


def _language_in(v: Node, wanted: set[str]) -> bool:
    if not isinstance(v, rdflib.Literal) or not v.language:
        return False
    tag = str(v.language).lower()
    return "*" in wanted or tag in wanted or tag.split("-")[0] in wanted


def _range_test(parameter: Node, bound: rdflib.Literal) -> Callable[[Node], bool]:
    bound_is_string = isinstance(bound.value, str)
    accept = {
        SH.minInclusive: lambda c: c >= 0,
        SH.minExclusive: lambda c: c > 0,
        SH.maxInclusive: lambda c: c <= 0,
        SH.maxExclusive: lambda c: c < 0,
    }[parameter]  # type: ignore[index]

    def test(v: Node) -> bool:
        if not isinstance(v, rdflib.Literal):
            return False
        if isinstance(v.value, str) != bound_is_string:
            return False
        try:
            return bool(accept(compare_literal(v, bound)))
        except (TypeError, NotImplementedError):
            return False

    return test


def _length_test(minimum: bool, limit: int) -> Callable[[Node], bool]:
    def test(v: Node) -> bool:
        if minimum and limit == 0:
            return True
        if isinstance(v, rdflib.BNode):
            return False
        length = len(_string_of(v))
        return length >= limit if minimum else length <= limit

    return test


# --------------------------------------------------------------------------------------------
# SPARQL-based constraints: prefixes, what pyshacl refuses, and whether a join is exact
# --------------------------------------------------------------------------------------------

_PATH_VAR = re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M)
_SHAPES_GRAPH_VAR = re.compile(r"([\s{}()])[\$\?]shapesGraph", flags=re.M)
_CURRENT_SHAPE_VAR = re.compile(r"([\s{}()])[\$\?]currentShape", flags=re.M)


def _refuse_like_pyshacl(text: str) -> None:
    """Queries pyshacl refuses (it raises); leave them to it so the error is the same."""
    lowered = text.lower()
    for keyword in ("minus", "values", "service"):
        if re.search(rf"\b{keyword}\b\s*{{", lowered) or (
            keyword == "values" and re.search(r"\bvalues\b", lowered)
        ):
            raise UnsupportedShape(f"{keyword.upper()} in a SPARQL constraint")
    if re.search(r"\bas\s+[\$\?](this|shapesgraph|currentshape)\b", lowered):
        raise UnsupportedShape("AS rebinding a pre-bound variable")


def _sparql_prefixes(g: rdflib.Graph, constraint: Node) -> dict[str, str]:
    """The prefixes sh:prefixes declares for ``constraint``, collected the way pyshacl does."""
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    global_declares: set[Node] = set()
    for ontology in ontologies:
        global_declares.update(g.objects(ontology, SH.declare))
    prefixes: dict[str, str] = {}
    for holder in set(g.objects(constraint, SH.prefixes)):
        own = set(g.objects(holder, SH.declare))
        declares = own if (own and holder in ontologies) else global_declares | own
        for declaration in declares:
            prefix = g.value(declaration, SH.prefix)
            namespace = g.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedShape("malformed sh:declare")
            prefixes[str(prefix)] = str(namespace)
    return prefixes


@dataclass(frozen=True)
class _SelectAnalysis:
    projects_this: bool
    joinable: bool
    where_open: int  # index just after the WHERE clause's "{"
    projection_at: int  # index just after SELECT [DISTINCT|REDUCED]


_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<var>[\?\$][A-Za-z0-9_]+)
    |(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    |(?P<open>\{)
    |(?P<close>\})
    |(?P<other>\S)""",
    re.X | re.S,
)
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


@dataclass
class _Frame:
    """A { } group of the WHERE clause while scanning it."""

    kind: str  # where | group | optional | exists
    depth: int
    left_binds: bool = True  # for an OPTIONAL: the group before it binds $this
    parens: int = 0
    pending: str = ""  # FILTER or BIND seen, its expression not opened yet
    expression: str = ""  # FILTER or BIND while inside its parentheses
    binds_this: bool = False  # $this in a triple pattern of this very group
    this_in_filter: bool = False  # $this in a FILTER expression (or an EXISTS in one)
    this_in_bind: bool = False  # $this in a BIND before a triple pattern bound it
    has_this: bool = False  # $this anywhere inside, nested groups included


def _analyse_select(text: str) -> _SelectAnalysis:
    """Where to put the focus pattern in a SELECT query, and whether joining the focus nodes in
    at the top of the WHERE clause gives what pre-binding $this gives (pyshacl, rdflib).

    The focus pattern binds $this for the WHERE clause's own group, for what an EXISTS in it
    sees and for the OPTIONALs in it; a nested group (a UNION branch, say) is evaluated on its
    own, so there $this must be bound by the group's own triple patterns before a FILTER or
    BIND may use it. Subqueries, aggregates, LIMIT and OFFSET make the answer depend on
    evaluating per focus node. When the join is not exact, the query runs once per focus node
    with $this substituted instead.
    """
    projects_this = False
    joinable = True
    where_open = projection_at = -1
    previous = ""
    in_projection = False
    frames: list[_Frame] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "comment":
            continue
        upper = token.upper() if kind == "word" else ""
        frame = frames[-1] if frames else None
        if upper == "SELECT":
            if where_open == -1 and projection_at == -1:
                in_projection = True
                projection_at = match.end()
            else:
                joinable = False  # a subquery
        elif in_projection and kind != "open":
            if upper in ("DISTINCT", "REDUCED") and previous == "SELECT":
                projection_at = match.end()
            joinable = joinable and upper not in _AGGREGATES
            projects_this = projects_this or token == "*" or token[1:] == "this"
        elif kind == "open":
            if where_open == -1:
                where_open = match.end()
                in_projection = False
                frames.append(_Frame("where", 1))
            elif frame is not None:
                new_kind = {"EXISTS": "exists", "OPTIONAL": "optional"}.get(previous, "group")
                if frame.parens:
                    new_kind = "exists"  # FILTER (NOT EXISTS { ... })
                frame.pending = ""
                left = frame.kind == "where" or frame.binds_this
                frames.append(_Frame(new_kind, frame.depth + 1, left_binds=left))
        elif kind == "close" and frames:
            closed = frames.pop()
            joinable = joinable and _frame_exact(closed)
        elif frame is None:
            if where_open != -1 and upper in ("GROUP", "HAVING", "LIMIT", "OFFSET"):
                joinable = False  # these apply per focus node under pre-binding
        elif kind == "var" and token[1:] == "this":
            _note_this(frames)
        elif upper in ("FILTER", "BIND") and not frame.parens:
            frame.pending = upper
        elif upper in ("GRAPH", "SERVICE", "MINUS", "VALUES"):
            joinable = False
        elif token == "(":
            if not frame.parens:
                frame.expression, frame.pending = frame.pending, ""
            frame.parens += 1
        elif token == ")":
            frame.parens -= 1
            if not frame.parens:
                frame.expression = ""
        previous = upper or token
    if where_open == -1 or projection_at == -1:
        raise UnsupportedShape("SPARQL constraint that is not a SELECT query")
    return _SelectAnalysis(projects_this, joinable, where_open, projection_at)


_NOT_IN_LATERAL = {"OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "VALUES", "BIND", "SELECT"}


def lateral_exists(text: str) -> str:
    """``text`` with each ``EXISTS { t1 . t2 ... }`` over plain triple patterns written
    ``EXISTS { t1 . LATERAL { t2 ... } }``: the same solutions (a basic graph pattern is a
    join), but oxigraph then evaluates t2... once t1 has bound their shared variables, where it
    otherwise builds a hash table of all of t2... for every row it tests (oxigraph issue 885),
    which is quadratic in the size of the graph."""
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]
    edits: list[tuple[int, int]] = []  # where the first triple pattern ends, where the group does
    for index, token in enumerate(tokens):
        if token.group() != "{" or index == 0 or tokens[index - 1].group().upper() != "EXISTS":
            continue
        depth = parens = 0
        split = -1
        plain = True
        for inner in tokens[index + 1 :]:
            value, kind = inner.group(), inner.lastgroup
            if value == "{":
                depth += 1
                plain = False
            elif value == "}" and depth:
                depth -= 1
            elif value == "}":
                body = text[token.end() : inner.start()]
                rest = text[split : inner.start()] if split != -1 else ""
                starts_with_triple = not rest.lstrip().upper().startswith("FILTER")
                if plain and starts_with_triple and "_:" not in body and rest.strip():
                    edits.append((split, inner.start()))
                break
            elif value in "()":
                parens += 1 if value == "(" else -1
            elif value in "[]" or (kind == "word" and value.upper() in _NOT_IN_LATERAL):
                plain = False
            elif split == -1 and (value in ";," or (kind == "word" and value.upper() == "FILTER")):
                plain = False  # the group does not start with one plain triple pattern
            elif split == -1 and value == "." and not parens:
                following = text[inner.end() : inner.end() + 1]
                plain = plain and (following.isspace() or following in ("", "}"))
                split = inner.end()
    for split, end in reversed(edits):
        text = text[:split] + " LATERAL { " + text[split:end] + " } " + text[end:]
    return text


def _note_this(frames: list[_Frame]) -> None:
    """Record an occurrence of $this in the innermost group."""
    for frame in frames:
        frame.has_this = True
    frame = frames[-1]
    if frame.kind == "exists":
        # What an EXISTS sees is bound by the group whose FILTER holds it.
        holder = next(f for f in reversed(frames) if f.kind != "exists")
        holder.this_in_filter = True
    elif frame.expression == "BIND":
        frame.this_in_bind = frame.this_in_bind or not frame.binds_this
    elif frame.expression == "FILTER":
        frame.this_in_filter = True
    else:
        frame.binds_this = True  # a triple pattern (or a path or list in one)


def _frame_exact(frame: _Frame) -> bool:
    """Whether joining the focus pattern in is exact for ``frame`` (just closed)."""
    if frame.kind in ("where", "exists") or not frame.has_this:
        return True
    if frame.this_in_bind:
        return False
    if frame.kind == "optional":
        # Joined to the group before it, whose $this the OPTIONAL's FILTERs then see.
        return frame.left_binds
    return frame.binds_this or not frame.this_in_filter


# --------------------------------------------------------------------------------------------
# Running the checks
# --------------------------------------------------------------------------------------------


@dataclass
class Rows:
    """A query's variables and rows (tuples of terms, None where unbound)."""

    names: list[str]
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        index = self.names.index(name)
        return [row[index] for row in self.rows]


class _Run:
    """One validation: the store, its default graph, the focus restriction, and caches."""

    def __init__(
        self,
        store: ox.Store,
        graph_names: list[str],
        focus: list[str] | None,
    ) -> None:
        self.store = store
        # The data graph: the union of the named graphs when they are exactly the dataset's
        # (measured as fast as one copied default graph), else the listed graphs; no names
        # means the store's default graph.
        named = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
        default_empty = not any(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        self.graph_args: dict[str, Any] = {}
        if graph_names and named == set(graph_names) and default_empty:
            self.graph_args = {"use_default_graph_as_union": True}
        elif graph_names:
            self.graph_args = {"default_graph": [ox.NamedNode(n) for n in graph_names]}
        # The reference engine parses SPARQL constraints with rdflib's default prefixes in
        # scope (icpc_kg.shacl._prepared_query); undeclared prefixes resolve the same here.
        self.prefixes = {p: str(ns) for p, ns in rdflib.Graph().namespaces()}
        self.focus = focus
        self.closures: dict[str, tuple[str, ...]] = {}

    def select(
        self,
        query: str,
        functions: dict[str, Callable[..., Any]] | None = None,
        substitutions: dict[str, Any] | None = None,
    ) -> Rows:
        """The query's rows, read to the end here: pyoxigraph's result iterators must not
        outlive the thread that made them, not even in an exception's traceback."""
        kwargs: dict[str, Any] = dict(self.graph_args)
        if functions:
            kwargs["custom_functions"] = {ox.NamedNode(k): f for k, f in functions.items()}
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        solutions = self.store.query(query, prefixes=self.prefixes, **kwargs)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        rows = []
        try:
            for row in solutions:
                rows.append(tuple(row))
        except Exception as error:
            # Raised anew, without the traceback that holds the iterator.
            del solutions
            raise RuntimeError(f"SHACL check failed: {type(error).__name__}: {error}") from None
        del solutions
        return Rows(names, rows)

    def subclasses(self, cls: str) -> tuple[str, ...]:
        """``cls`` and its rdfs:subClassOf descendants in the data graph."""
        if cls not in self.closures:
            rows = self.select(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}")
            found = {c.value for c in rows.column("c") if isinstance(c, ox.NamedNode)}
            found.add(cls)
            self.closures[cls] = tuple(sorted(found))
        return self.closures[cls]

    def expand(self, condition: str) -> str:
        """``condition`` with each class's subclasses filled in."""
        return _SUBCLASSES.sub(
            lambda m: " ".join(f"<{c}>" for c in self.subclasses(m.group(1))), condition
        )

    def focus_pattern(self, targets: Targets) -> str:
        """A group binding ?this to each focus node of ``targets`` once."""
        classes = " ".join(
            f"<{c}>" for c in sorted({c for cls in targets.classes for c in self.subclasses(cls)})
        )
        if self.focus is not None:
            # Test each given node (a VALUES joined to the target patterns would only be
            # joined after they found every target of the graph).
            tests = (
                [f"EXISTS {{ VALUES ?class {{ {classes} }} ?this a ?class }}"] if classes else []
            )
            tests += [f"EXISTS {{ ?this <{p}> ?object }}" for p in targets.subjects_of]
            tests += [f"EXISTS {{ ?subject <{p}> ?this }}" for p in targets.objects_of]
            if targets.nodes:
                tests.append(f"?this IN ({', '.join(targets.nodes)})")
            return (
                f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {' '.join(self.focus)} }} "
                f"FILTER ({' || '.join(tests)}) }} }}"
            )
        branches = [f"{{ VALUES ?class {{ {classes} }} ?this a ?class }}"] if classes else []
        if targets.nodes:
            branches.append(f"{{ VALUES ?this {{ {' '.join(targets.nodes)} }} }}")
        branches += [f"{{ ?this <{p}> ?object }}" for p in targets.subjects_of]
        branches += [f"{{ ?subject <{p}> ?this }}" for p in targets.objects_of]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }"


def run_checks(
    store: ox.Store,
    graph_names: list[str],
    compiled: CompiledShapes,
    focus_nodes: Iterable[Node] | None = None,
    workers: int = 2,
) -> list[ShaclResult]:
    """Run the compiled checks against the union of ``graph_names`` in ``store``; with
    ``focus_nodes``, only for those of them that are IRIs (as pyshacl).

    pyoxigraph releases the GIL while it evaluates a query, so ``workers`` threads keep that
    many cores busy; the results come in the order of the checks whatever the threads do.
    """
    focus = None
    if focus_nodes is not None:
        focus = sorted({iri for n in focus_nodes if (iri := _sparql_iri(n))})
        if not focus:
            return []
    run = _Run(store, graph_names, focus)

    def one(check: Check) -> list[ShaclResult]:
        return list(_run_check(run, check))

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return [result for found in pool.map(one, compiled.checks) for result in found]


def _sparql_iri(node: Node) -> str | None:
    """``node`` as a SPARQL IRI term; None for what cannot be a focus node (as for pyshacl:
    blank nodes, literals, and strings that are not absolute IRIs)."""
    if not isinstance(node, rdflib.URIRef):
        return None
    try:
        return str(ox.NamedNode(str(node)))
    except ValueError:
        return None


def _run_check(run: _Run, check: Check) -> Iterator[ShaclResult]:
    focus = run.focus_pattern(check.targets)
    path = check.path
    condition = run.expand(check.condition)
    values = f"?this {path} ?v ." if path else "BIND (?this AS ?v)"
    if check.kind == "sparql":
        assert check.sparql is not None
        yield from _run_sparql(run, check, check.sparql, focus)
        return
    if check.kind == "value":
        query = (
            f"SELECT DISTINCT ?this ?v WHERE {{ {focus} {values} "
            f"FILTER (!COALESCE({condition}, false)) }}"
        )
        found = run.select(query, check.functions)
        for this, value in zip(found.column("this"), found.column("v"), strict=True):
            yield _result(check, this, value)
        return
    if check.kind == "min" and check.count == 1:
        query = f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} }} }}"
    elif check.kind == "min":
        query = (
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {check.count})"
        )
    elif check.kind == "max":
        query = (
            f"SELECT ?this WHERE {{ {focus} {values} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {check.count})"
        )
    elif check.kind == "unique-lang":
        query = (
            f"SELECT ?this WHERE {{ {focus} {values} "
            f'FILTER (isLiteral(?v) && LANG(?v) != "") BIND (LCASE(LANG(?v)) AS ?lang) }} '
            f"GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1)"
        )
    else:  # has-value
        query = (
            f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} "
            f"FILTER (COALESCE({condition}, false)) }} }}"
        )
    for this in run.select(query, check.functions).column("this"):
        yield _result(check, this, None)


def _result(
    check: Check,
    focus: Any,
    value: Any,
    path: Node | None = None,
    messages: dict[str, str] | None = None,
) -> ShaclResult:
    rule = check.rule
    focus_node = to_rdflib(focus)
    value_node = to_rdflib(value) if value is not None else None
    if messages is None:
        messages = rule.declared or _generic_message(rule, focus_node, value_node)
    return ShaclResult(
        focus=focus_node,
        path=path if path is not None else rule.path,
        value=value_node,
        severity=rule.severity,
        constraint=rule.component,
        shape=rule.shape,
        messages=messages,
        rule_id=rule.rule_id,
    )


def _declared_messages(
    literals: Iterable[rdflib.Literal], fill: Callable[[str], str] | None = None
) -> dict[str, str]:
    """Messages by language tag (later ones win); untagged only when nothing is tagged."""
    messages: dict[str, str] = {}
    for literal in literals:
        text = str(literal.value) if isinstance(literal.value, str) else str(literal)
        messages[literal.language or ""] = fill(text) if fill else text
    if "" in messages and len(messages) > 1:
        del messages[""]
    return messages


def _generic_message(rule: Rule, focus: Node, value: Node | None) -> dict[str, str]:
    """A message in the spirit of pyshacl's, for shapes that declare none."""
    component = shrink(str(rule.component)).replace("ConstraintComponent", "")
    where = _label(focus)
    if rule.path is not None:
        where += "->" + _label(rule.path)
    text = f"{component} constraint not satisfied on {where}"
    if isinstance(value, rdflib.Literal):
        suffix = f"@{value.language}" if value.language else ""
        if value.datatype is not None:
            suffix = f"^^{shrink(str(value.datatype))}"
        text += f' (value "{value}"{suffix})'
    elif value is not None:
        text += f" (value {_label(value)})"
    return {"": text}


def _run_sparql(
    run: _Run, check: Check, constraint: SparqlConstraint, focus: str
) -> Iterator[ShaclResult]:
    if not constraint.text:
        return  # deactivated
    substitutions = {k: from_rdflib(v) for k, v in constraint.substitutions.items()}
    text = constraint.text
    # ?this is added to the projection: the join needs it, and so does a substitution.
    projected = (
        text[: constraint.projection_at]
        + ("" if constraint.projects_this else " ?this")
        + text[constraint.projection_at : constraint.where_open]
    )
    if constraint.joinable:
        found = run.select(
            projected + f" {focus} " + text[constraint.where_open :], None, substitutions
        )
        rows = [(row[found.names.index("this")], row, found.names) for row in found.rows]
    else:
        rows = []
        query = projected + text[constraint.where_open :]
        for this in run.select(f"SELECT ?this WHERE {{ {focus} }}").column("this"):
            found = run.select(query, None, {**substitutions, "this": this})
            rows.extend((this, row, found.names) for row in found.rows)
    seen: set[Any] = set()
    for focus_term, row, names in rows:
        built = _sparql_result(check, constraint, focus_term, row, names)
        if built is None:
            continue
        result, key = built
        if (focus_term, key) in seen:
            continue
        seen.add((focus_term, key))
        yield result


def _sparql_result(
    check: Check,
    constraint: SparqlConstraint,
    focus_term: Any,
    row: tuple[Any, ...],
    names: list[str],
) -> tuple[ShaclResult, Any] | None:
    """The result for one row, built as pyshacl's SPARQLConstraintComponent builds it, and the
    key pyshacl uses to drop a focus node's duplicate rows."""
    bound = {
        name: to_rdflib(term)
        for name, term in zip(names, row, strict=True)
        if term is not None and (name != "this" or constraint.projects_this)
    }
    focus_node = to_rdflib(focus_term)
    result_value = None if check.path is not None else focus_node
    messages = [*check.rule.messages, *constraint.messages]
    if not messages:
        messages = [
            rdflib.Literal(next(iter(_generic_message(check.rule, focus_node, None).values())))
        ]
    if bound.pop("failure", None) is not None:
        failure_messages = _declared_messages(messages, lambda text: _fill(text, bound))
        value = from_rdflib(result_value) if result_value is not None else None
        return _result(check, focus_term, value, messages=failure_messages), True
    path = bound.pop("path", None)
    value = bound.pop("value", None)
    this = bound.pop("this", None)
    if path is None and value is None and this is None:
        return None
    key = (this, path, value, tuple(sorted(bound.items())))
    if value is None:
        value = result_value
    fill = dict(bound)
    fill.update(
        {k: v for k, v in (("this", this), ("path", path), ("value", value)) if v is not None}
    )
    row_messages = _declared_messages(messages, lambda text: _fill(text, fill))
    result = _result(
        check,
        from_rdflib(this) if this is not None else focus_term,
        from_rdflib(value) if value is not None else None,
        path=path,
        messages=row_messages,
    )
    return result, key


def _fill(text: str, values: dict[str, Node]) -> str:
    """pyshacl's {?var} / {$var} substitution in SPARQL constraint messages."""
    for name, term in values.items():
        text = re.sub(f"{{[?$]{name}}}", str(term), text)
    return text
