"""Which focus nodes a change to the data can affect, from what the shapes read.

Incremental validation keeps the previous result of every focus node that a change cannot
reach, and re-validates the rest. This module finds "the rest", soundly.

A SHACL result for focus node ``f`` depends only on the triples the shapes read while
validating ``f``. Reading walks from ``f``: a step follows a triple from its subject to its
object (a predicate path), or from its object to its subject (an inverse path, a SPARQL pattern
such as ``?x ex:p $this``). From the shapes we compute a *read profile*: for each predicate,
the largest number of steps between the focus node and the node from which a triple with that
predicate is read, separately for forward reads (from the subject) and backward reads (from
the object); ``*`` stands for any predicate (a SPARQL pattern with a variable predicate,
``sh:closed``). A changed triple ``(s, p, o)``, added or removed, can then only change the
results of nodes from which ``s`` is reachable in ``forward[p]`` steps, or ``o`` in
``backward[p]`` steps. :func:`affected_focus_nodes` finds those nodes by walking the same kinds
of steps in reverse from ``s`` and ``o`` over the new data.

Why walking the new data is enough: if ``f`` read a changed triple in the old data through a
walk of ``k`` steps, either the whole walk is still there, or its first removed triple is
itself a changed triple, read by ``f`` after fewer steps, from a node the new data still
connects to ``f``.

Lengths of ``+`` and ``*`` paths (``sh:oneOrMorePath``, ``(a|^b)+`` in SPARQL) come from the
data: the longest chain of those steps in the new data (the same argument bounds the old
walks). What cannot be bounded makes :func:`read_profile` return ``None``, and the caller
validates everything: a cycle under a ``+`` path, recursive shapes, SPARQL patterns not
connected to ``$this``, sub-queries, ``GRAPH`` and ``SERVICE``, SPARQL-based targets, SPARQL
constraints on property shapes, SHACL rules and functions, custom constraint components, and
a change to ``rdfs:subClassOf`` (``sh:class`` and ``sh:targetClass`` read the class
hierarchy).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery

ANY = "*"
RDF_TYPE = str(RDF.type)

# A path: ("pred", iri) | ("any",) | ("inv", p) | ("seq", [p...]) | ("alt", [p...])
#         | ("opt", p) | ("star", p) | ("plus", p)
PathSpec = tuple[Any, ...]
Step = tuple[str, bool]  # (predicate or ANY, backward?)
ChainLength = Callable[[tuple[Step, ...]], int | None]


class Unbounded(Exception):
    """The shapes can read something this analysis cannot bound: validate everything."""


@dataclass
class ReadProfile:
    """For each predicate, the most steps between a focus node and the node a triple with
    that predicate is read from: ``forward`` from its subject, ``backward`` from its object."""

    forward: dict[str, int] = field(default_factory=dict)
    backward: dict[str, int] = field(default_factory=dict)

    def read(self, predicate: str, depth: int, backward: bool) -> None:
        table = self.backward if backward else self.forward
        if depth > table.get(predicate, -1):
            table[predicate] = depth

    def forward_depth(self, predicate: str) -> int:
        return max(self.forward.get(predicate, -1), self.forward.get(ANY, -1))

    def backward_depth(self, predicate: str) -> int:
        return max(self.backward.get(predicate, -1), self.backward.get(ANY, -1))


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


class _PathWalker:
    """Walks a path from a depth, recording what it reads; returns the depth it ends at."""

    def __init__(self, profile: ReadProfile | None, chain_length: ChainLength) -> None:
        self.profile = profile
        self.chain_length = chain_length
        self.chains: dict[tuple[Step, ...], int] = {}

    def walk(self, path: PathSpec, depth: int, inverse: bool = False) -> int:
        kind = path[0]
        if kind in ("pred", "any"):
            if self.profile is not None:
                self.profile.read(path[1] if kind == "pred" else ANY, depth, inverse)
            return depth + 1
        if kind == "inv":
            return self.walk(path[1], depth, not inverse)
        if kind == "seq":
            for part in reversed(path[1]) if inverse else path[1]:
                depth = self.walk(part, depth, inverse)
            return depth
        if kind == "alt":
            return max(self.walk(part, depth, inverse) for part in path[1])
        if kind == "opt":
            return self.walk(path[1], depth, inverse)
        if kind in ("star", "plus"):
            steps = tuple(sorted(_single_steps(path[1], inverse)))
            if steps not in self.chains:
                length = self.chain_length(steps)
                if length is None:
                    raise Unbounded(f"a cycle under the path {path}")
                self.chains[steps] = length
            length = self.chains[steps]
            if self.profile is not None:
                for step_depth in range(depth, depth + length):
                    for predicate, backward in steps:
                        self.profile.read(predicate, step_depth, backward)
            return depth + length
        raise Unbounded(f"unknown path {path!r}")


def _single_steps(path: PathSpec, inverse: bool) -> set[Step]:
    """The one-step moves a repeated path is made of (``(a|^b)+`` -> a forward, b backward)."""
    kind = path[0]
    if kind == "pred":
        return {(path[1], inverse)}
    if kind == "any":
        return {(ANY, inverse)}
    if kind == "inv":
        return _single_steps(path[1], not inverse)
    if kind == "alt":
        return set().union(*(_single_steps(part, inverse) for part in path[1]))
    raise Unbounded(f"a repeated path of more than one step: {path!r}")


def shacl_path(shapes: rdflib.Graph, node: Any) -> PathSpec:
    """A SHACL path node as a PathSpec."""
    if isinstance(node, rdflib.URIRef):
        return ("pred", str(node))
    if (node, RDF.first, None) in shapes:
        return ("seq", [shacl_path(shapes, item) for item in Collection(shapes, node)])
    for predicate, kind in (
        (SH.inversePath, "inv"),
        (SH.zeroOrMorePath, "star"),
        (SH.oneOrMorePath, "plus"),
        (SH.zeroOrOnePath, "opt"),
    ):
        value = shapes.value(node, predicate)
        if value is not None:
            return (kind, shacl_path(shapes, value))
    value = shapes.value(node, SH.alternativePath)
    if value is not None:
        return ("alt", [shacl_path(shapes, item) for item in Collection(shapes, value)])
    raise Unbounded(f"unknown SHACL path {node!r}")


def sparql_path(term: Any) -> PathSpec:
    """A SPARQL predicate (IRI, variable or property path) as a PathSpec."""
    if isinstance(term, rdflib.URIRef):
        return ("pred", str(term))
    if isinstance(term, (rdflib.Variable, rdflib.BNode)):
        return ("any",)
    if isinstance(term, InvPath):
        return ("inv", sparql_path(term.arg))
    if isinstance(term, SequencePath):
        return ("seq", [sparql_path(arg) for arg in term.args])
    if isinstance(term, AlternativePath):
        return ("alt", [sparql_path(arg) for arg in term.args])
    if isinstance(term, MulPath):
        kind = {"*": "star", "+": "plus", "?": "opt"}[term.mod]
        return (kind, sparql_path(term.path))
    if isinstance(term, NegatedPath):
        return ("alt", [("any",), ("inv", ("any",))])
    raise Unbounded(f"unknown SPARQL path {term!r}")


# --------------------------------------------------------------------------------------------
# SPARQL constraints
# --------------------------------------------------------------------------------------------

_REFUSED_ALGEBRA = {"SubSelect", "ServiceGraphPattern", "GraphGraphPattern", "Graph", "Service"}
THIS = "?this"
_PREBOUND = {"?shapesGraph", "?currentShape"}


def _collect_patterns(node: Any, patterns: list[tuple[Any, Any, Any]], names: list[str]) -> None:
    """Every triple pattern in a parsed/translated query, wherever it sits (EXISTS, OPTIONAL,
    UNION...), and the names of the algebra nodes met on the way."""
    if isinstance(node, dict):
        names.append(getattr(node, "name", ""))
        for key, value in node.items():
            if key == "triples" and isinstance(value, list):
                patterns.extend(tuple(t) for t in value if len(t) == 3)
            else:
                _collect_patterns(value, patterns, names)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _collect_patterns(item, patterns, names)


def _node(term: Any) -> str:
    """A pattern's subject or object as a string: ``?name`` for a variable (a blank node in a
    pattern is one too), ``=`` and the N3 form for a constant."""
    if isinstance(term, rdflib.Variable):
        return f"?{term}"
    if isinstance(term, rdflib.BNode):
        return f"?_:{term}"
    return "=" + term.n3()


def sparql_patterns(query: str, namespaces: dict[str, str]) -> list[Any]:
    """The triple patterns of a SPARQL constraint as ``[subject, path, object]`` (see
    :func:`_node` and PathSpec); plain data, so callers can keep it between runs."""
    try:
        prepared = prepareQuery(query, initNs=namespaces)
    except Exception as error:  # any parse failure: we cannot tell what it reads
        raise Unbounded(f"cannot analyse SPARQL: {error}") from None
    patterns: list[tuple[Any, Any, Any]] = []
    names: list[str] = []
    _collect_patterns(prepared.algebra, patterns, names)
    refused = _REFUSED_ALGEBRA.intersection(names)
    if refused or names.count("Project") > 1:
        raise Unbounded(f"SPARQL {', '.join(sorted(refused)) or 'sub-query'} in a constraint")
    specs = [[_node(s), sparql_path(p), _node(o)] for s, p, o in patterns]
    if any(node in _PREBOUND for s, _, o in specs for node in (s, o)):
        raise Unbounded("SPARQL reads $shapesGraph or $currentShape")
    return specs


def sparql_reads(patterns: list[Any], depth: int, walker: _PathWalker) -> None:
    """Record what a SPARQL constraint reads when ``$this`` is ``depth`` steps from the focus."""
    # Shortest distance of each variable from $this, where a pattern costs the longest walk
    # its path can make (so every solution's walk to the variable is at most that long).
    measure = _PathWalker(None, walker.chain_length)
    measure.chains = walker.chains
    distance: dict[str, int] = {THIS: depth}
    changed = True
    while changed:
        changed = False
        for s, path, o in patterns:
            for start, end, inverse in ((s, o, False), (o, s, True)):
                if start in distance and end.startswith("?"):
                    reached = measure.walk(path, distance[start], inverse)
                    if reached < distance.get(end, reached + 1):
                        distance[end] = reached
                        changed = True
    # Each pattern is read from its end nearer to $this: that is how the walks above cross
    # it, so every step of them is among the steps the reverse walk will take.
    for s, path, o in patterns:
        from_subject, from_object = distance.get(s), distance.get(o)
        if from_subject is None and from_object is None:
            raise Unbounded(f"a SPARQL pattern not connected to $this: {s} {path} {o}")
        if from_subject is not None and (from_object is None or from_subject <= from_object):
            walker.walk(path, from_subject)
        else:
            assert from_object is not None
            walker.walk(path, from_object, inverse=True)


# --------------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------------

# Constraint parameters that read nothing beyond the value nodes themselves.
_LOCAL_PARAMETER_NAMES = (
    "datatype",
    "nodeKind",
    "minCount",
    "maxCount",
    "minLength",
    "maxLength",
    "pattern",
    "flags",
    "languageIn",
    "uniqueLang",
    "in",
    "hasValue",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "severity",
    "message",
    "name",
    "description",
    "order",
    "group",
    "defaultValue",
    "deactivated",
    "path",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "ignoredProperties",
    "declare",
    "prefixes",
    "select",
    "labelTemplate",
)
_LOCAL_PARAMETERS = {SH[name] for name in _LOCAL_PARAMETER_NAMES}
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_PAIR_PARAMETERS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


class _ShapeAnalysis:
    def __init__(
        self, shapes: rdflib.Graph, chain_length: ChainLength, parsed: dict[str, Any]
    ) -> None:
        self.parsed = parsed
        self.shapes = shapes
        self.profile = ReadProfile()
        self.walker = _PathWalker(self.profile, chain_length)
        self.namespaces = {
            str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
            for d in shapes.objects(None, SH.declare)
        }
        self.done: set[tuple[Any, int]] = set()

    def run(self) -> ReadProfile:
        g = self.shapes
        if (None, SH.target, None) in g or (None, SH.rule, None) in g:
            raise Unbounded("SPARQL-based targets or SHACL rules")
        if (None, RDF.type, SH.ConstraintComponent) in g or (None, SH.parameter, None) in g:
            raise Unbounded("custom constraint components")
        for kind in (SH.Function, SH.SPARQLFunction, SH.JSFunction):
            if (None, RDF.type, kind) in g:
                raise Unbounded("SHACL functions (a FILTER may call one that reads anything)")
        roots: set[Any] = set()
        for predicate, target_read in (
            (SH.targetClass, (RDF_TYPE, False)),
            (SH.targetSubjectsOf, None),
            (SH.targetObjectsOf, None),
            (SH.targetNode, None),
        ):
            for shape, value in g.subject_objects(predicate):
                roots.add(shape)
                if target_read is not None:
                    self.profile.read(target_read[0], 0, target_read[1])
                elif predicate == SH.targetSubjectsOf:
                    self.profile.read(str(value), 0, False)
                elif predicate == SH.targetObjectsOf:
                    self.profile.read(str(value), 0, True)
        for shape in g.subjects(RDF.type, RDFS.Class):
            if (shape, RDF.type, SH.NodeShape) in g or (shape, RDF.type, SH.PropertyShape) in g:
                roots.add(shape)
                self.profile.read(RDF_TYPE, 0, False)
        for shape in sorted(roots, key=str):
            self.visit(shape, 0, ())
        return self.profile

    def patterns(self, query: str) -> list[Any]:
        key = hashlib.sha256(
            json.dumps([query, self.namespaces], sort_keys=True).encode("utf-8")
        ).hexdigest()
        if key not in self.parsed:
            try:
                self.parsed[key] = sparql_patterns(query, self.namespaces)
            except Unbounded as error:
                self.parsed[key] = {"unbounded": str(error)}
        found = self.parsed[key]
        if isinstance(found, dict):
            raise Unbounded(found["unbounded"])
        return found

    def visit(self, shape: Any, depth: int, stack: tuple[Any, ...]) -> None:
        """Record what validating a node ``depth`` steps from the focus against ``shape`` reads."""
        g = self.shapes
        if shape in stack:
            raise Unbounded(f"recursive shape {shape}")
        if (shape, depth) in self.done:
            return
        self.done.add((shape, depth))
        stack = (*stack, shape)
        path = g.value(shape, SH.path)
        values = depth if path is None else self.walker.walk(shacl_path(g, path), depth)
        for predicate, value in g.predicate_objects(shape):
            if predicate == SH["class"]:
                self.profile.read(RDF_TYPE, values, False)
            elif predicate in (SH.node, SH.property, SH["not"], SH.qualifiedValueShape):
                self.visit(value, values, stack)
            elif predicate in _SHAPE_LISTS:
                for member in Collection(g, value):
                    self.visit(member, values, stack)
            elif predicate in _PAIR_PARAMETERS:
                self.profile.read(str(value), depth, False)
            elif predicate == SH.closed:
                if value == rdflib.Literal(True):
                    self.profile.read(ANY, values, False)
            elif predicate == SH.qualifiedValueShapesDisjoint:
                if value == rdflib.Literal(True):
                    raise Unbounded("sh:qualifiedValueShapesDisjoint")
            elif predicate == SH.sparql:
                if path is not None:
                    raise Unbounded("a SPARQL constraint on a property shape")
                if (value, SH.deactivated, rdflib.Literal(True)) in g:
                    continue
                query = g.value(value, SH.select)
                if query is None:
                    raise Unbounded("a SPARQL constraint without sh:select")
                sparql_reads(self.patterns(str(query)), values, self.walker)
            elif str(predicate).startswith(str(SH)) and predicate not in _LOCAL_PARAMETERS:
                raise Unbounded(f"unknown constraint parameter {predicate}")


def analyse_sparql(shapes: rdflib.Graph, parsed: dict[str, Any]) -> bool:
    """Analyse every SPARQL constraint of ``shapes`` into ``parsed`` (see
    :func:`read_profile`) ahead of need; True when something new was analysed."""
    analysis = _ShapeAnalysis(shapes, lambda _steps: 0, parsed)
    before = len(parsed)
    for query in shapes.objects(None, SH.select):
        with contextlib.suppress(Unbounded):
            analysis.patterns(str(query))
    return len(parsed) > before


def read_profile(
    shapes: rdflib.Graph, chain_length: ChainLength, parsed: dict[str, Any] | None = None
) -> ReadProfile | None:
    """What ``shapes`` read around a focus node, or None when that cannot be bounded.

    ``parsed`` memoises the analysis of each SPARQL query (parsing one with rdflib takes
    about 80 ms); it holds plain data, so a caller can keep it between runs."""
    try:
        return _ShapeAnalysis(shapes, chain_length, {} if parsed is None else parsed).run()
    except Unbounded:
        return None


# --------------------------------------------------------------------------------------------
# The data side
# --------------------------------------------------------------------------------------------


def store_chain_length(store: ox.Store) -> ChainLength:
    """A ChainLength over ``store``: the most steps a walk of the given moves can make without
    repeating a node, or None when the moves go round a cycle."""

    def length(steps: tuple[Step, ...]) -> int | None:
        if any(predicate == ANY for predicate, _ in steps):
            return None
        following: defaultdict[Any, set[Any]] = defaultdict(set)
        for predicate, backward in steps:
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
                start, end = (
                    (quad.object, quad.subject) if backward else (quad.subject, quad.object)
                )
                following[start].add(end)
        longest: dict[Any, int] = {}
        on_path: set[Any] = set()
        for root in list(following):
            if root in longest:
                continue
            stack: list[tuple[Any, Iterator[Any]]] = [(root, iter(following[root]))]
            on_path.add(root)
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    on_path.discard(node)
                    longest[node] = max(
                        (longest[c] + 1 for c in following.get(node, ())), default=0
                    )
                elif child in on_path:
                    return None
                elif child not in longest:
                    on_path.add(child)
                    stack.append((child, iter(following.get(child, ()))))
        return max(longest.values(), default=0)

    return length


def affected_focus_nodes(
    store: ox.Store,
    profile: ReadProfile,
    changed: Iterable[ox.Triple | ox.Quad],
) -> set[Any] | None:
    """Every node whose validation result ``changed`` triples can alter (given what the shapes
    read), walking ``store`` (the new data, all graphs); None when everything must be
    re-validated (a change to the class hierarchy)."""
    seeds: dict[Any, int] = {}

    def seed(node: Any, budget: int) -> None:
        if budget > seeds.get(node, -1):
            seeds[node] = budget

    for triple in changed:
        predicate = triple.predicate.value
        if predicate == str(RDFS.subClassOf):
            return None
        forward = profile.forward_depth(predicate)
        if forward >= 0:
            seed(triple.subject, forward)
        backward = profile.backward_depth(predicate)
        if backward >= 0:
            seed(triple.object, backward)

    any_forward = ANY in profile.forward
    any_backward = ANY in profile.backward
    forward_steps = {ox.NamedNode(p) for p in profile.forward if p != ANY}
    backward_steps = {ox.NamedNode(p) for p in profile.backward if p != ANY}
    best: dict[Any, int] = {}
    stack = list(seeds.items())
    while stack:
        node, budget = stack.pop()
        if best.get(node, -1) >= budget:
            continue
        best[node] = budget
        if budget == 0:
            continue
        # A focus node one step before ``node``: it walks forward into it...
        for quad in store.quads_for_pattern(None, None, node):
            if any_forward or quad.predicate in forward_steps:
                stack.append((quad.subject, budget - 1))
        # ...or backward into it, along a predicate read backward.
        if not isinstance(node, ox.Literal) and (any_backward or backward_steps):
            for quad in store.quads_for_pattern(node, None, None):
                if (any_backward or quad.predicate in backward_steps) and not isinstance(
                    quad.object, ox.Literal
                ):
                    stack.append((quad.object, budget - 1))
    return {node for node in best if not isinstance(node, ox.Literal)}
