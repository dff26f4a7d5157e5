"""Reading a shapes graph: which nodes are shapes, their targets, paths, severity, messages
(SHACL sections 2.1 "Shapes", 2.1.3 "Targets", 2.3 "Property Shapes" and 2.3.1 "SHACL
Property Paths").

Everything here reads the rdflib shapes graph only; turning shapes into queries is
:mod:`icpc_kg.shacl.plan` and the constraint modules. An ill-formed shapes graph (a path or a
list that is not one, two severities on one shape) raises :class:`ShaclFailure` naming the
shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.shacl.report import Triple, label

# The SHACL terms that are Python keywords (rdflib's SH["class"] confuses type checkers).
SH_CLASS = rdflib.URIRef(f"{SH}class")
SH_IN = rdflib.URIRef(f"{SH}in")
SH_OR = rdflib.URIRef(f"{SH}or")
SH_AND = rdflib.URIRef(f"{SH}and")
SH_XONE = rdflib.URIRef(f"{SH}xone")
SH_NOT = rdflib.URIRef(f"{SH}not")
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Shape-expecting parameters (2.1 "Shapes"): their values are shapes, or lists of shapes.
SHAPE_PARAMETERS = (SH.node, SH.property, SH_NOT, SH.qualifiedValueShape)
SHAPE_LIST_PARAMETERS = (SH_AND, SH_OR, SH_XONE)
PATH_OPERATORS = {
    SH.inversePath: "^",
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
}


def is_true(value: Node | None) -> bool:
    """Whether ``value`` is the literal ``true`` itself: the spec names that term, so
    ``"1"^^xsd:boolean`` (which rdflib finds equal to it) does not count."""
    return (
        isinstance(value, rdflib.Literal) and value.datatype == XSD.boolean and str(value) == "true"
    )


def rdf_list(g: rdflib.Graph, head: Node, where: str) -> list[Node]:
    """The members of the SHACL list at ``head``; a failure for anything else (a cycle, a node
    with two rdf:first, a list that does not end in rdf:nil)."""
    members: list[Node] = []
    seen: set[Node] = set()
    node = head
    while node != RDF.nil:
        if node in seen or not isinstance(node, rdflib.BNode | rdflib.URIRef):
            raise ShaclFailure(f"{where}: {label(head)} is not a well-formed RDF list")
        seen.add(node)
        firsts = list(g.objects(node, RDF.first))
        rests = list(g.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            raise ShaclFailure(f"{where}: {label(head)} is not a well-formed RDF list")
        members.append(firsts[0])
        node = rests[0]
    return members


def subclasses(g: rdflib.Graph, cls: Node) -> set[Node]:
    """``cls`` and its rdfs:subClassOf descendants in ``g``."""
    found = {cls}
    todo = [cls]
    while todo:
        for sub in g.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def is_instance(g: rdflib.Graph, node: Node, cls: Node) -> bool:
    classes = subclasses(g, cls)
    return any(t in classes for t in g.objects(node, RDF.type))


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """A SHACL property path: the node in the shapes graph, its SPARQL 1.1 form, the
    predicate when it is one, and the triples that spell it (for the report)."""

    node: Node
    sparql: str
    predicate: rdflib.URIRef | None
    triples: tuple[Triple, ...] = ()


def parse_path(g: rdflib.Graph, node: Node, where: str) -> Path:
    triples: list[Triple] = []
    sparql = _path_sparql(g, node, where, triples, set())
    predicate = node if isinstance(node, rdflib.URIRef) else None
    return Path(node, sparql, predicate, tuple(triples))


def _path_sparql(
    g: rdflib.Graph, node: Node, where: str, triples: list[Triple], open_nodes: set[Node]
) -> str:
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if not isinstance(node, rdflib.BNode) or node in open_nodes:
        raise ShaclFailure(f"{where}: {label(node)} is not a well-formed SHACL path")
    open_nodes = open_nodes | {node}
    if (node, RDF.first, None) in g:
        members = rdf_list(g, node, where)
        _list_triples(g, node, triples)
        if len(members) < 2:
            raise ShaclFailure(f"{where}: a sequence path needs at least two members")
        return "(" + "/".join(_path_sparql(g, m, where, triples, open_nodes) for m in members) + ")"
    found = [
        (p, o) for p, o in g.predicate_objects(node) if p in (*PATH_OPERATORS, SH.alternativePath)
    ]
    if len(found) != 1:
        raise ShaclFailure(f"{where}: {label(node)} is not a well-formed SHACL path")
    predicate, inner = found[0]
    triples.append((node, predicate, inner))
    if predicate == SH.alternativePath:
        members = rdf_list(g, inner, where)
        _list_triples(g, inner, triples)
        if len(members) < 2:
            raise ShaclFailure(f"{where}: an alternative path needs at least two members")
        return "(" + "|".join(_path_sparql(g, m, where, triples, open_nodes) for m in members) + ")"
    text = _path_sparql(g, inner, where, triples, open_nodes)
    operator = PATH_OPERATORS[rdflib.URIRef(str(predicate))]
    return f"^{text}" if operator == "^" else f"({text}){operator}"


def _list_triples(g: rdflib.Graph, head: Node, triples: list[Triple]) -> None:
    node = head
    while node != RDF.nil and isinstance(node, rdflib.BNode):
        for p in (RDF.first, RDF.rest):
            for o in g.objects(node, p):
                if (node, p, o) not in triples:
                    triples.append((node, p, o))
        node = g.value(node, RDF.rest) or RDF.nil


# --------------------------------------------------------------------------------------------
# Shapes and targets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """How a shape finds its focus nodes (2.1.3); SPARQL-based targets are SHACL-AF."""

    classes: tuple[Node, ...] = ()
    nodes: tuple[Node, ...] = ()
    subjects_of: tuple[Node, ...] = ()
    objects_of: tuple[Node, ...] = ()
    sparql: tuple[str, ...] = ()  # SELECT queries binding ?this (prefixes applied)

    def __bool__(self) -> bool:
        return bool(
            self.classes or self.nodes or self.subjects_of or self.objects_of or self.sparql
        )


@dataclass
class ShapeInfo:
    """What a shape says about itself, before its constraints are compiled."""

    node: Node
    path: Path | None  # None for a node shape
    severity: Node
    messages: list[rdflib.Literal]
    deactivated: bool
    targets: Targets
    property_shapes: list[Node] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None


def discover_shapes(g: rdflib.Graph, parameters: Iterable[Node]) -> set[Node]:
    """Every node that is a shape by the definition of 2.1: a SHACL instance of sh:NodeShape
    or sh:PropertyShape, the subject of a target or of a constraint parameter, or a value of a
    shape-expecting parameter (or a member of its list)."""
    found: set[Node] = set()
    for cls in (SH.NodeShape, SH.PropertyShape):
        for sub in subclasses(g, cls):
            found.update(g.subjects(RDF.type, sub))
    for predicate in (*TARGET_PREDICATES, SH.target, *parameters):
        found.update(g.subjects(predicate, None))
    for predicate in SHAPE_PARAMETERS:
        found.update(g.objects(None, predicate))
    for predicate in SHAPE_LIST_PARAMETERS:
        for subject, head in g.subject_objects(predicate):
            found.update(rdf_list(g, head, label(subject)))
    return {n for n in found if isinstance(n, rdflib.URIRef | rdflib.BNode)}


def read_shape(g: rdflib.Graph, node: Node) -> ShapeInfo:
    """The shape at ``node``: path, severity, messages, deactivation and targets."""
    where = label(node)
    paths = list(g.objects(node, SH.path))
    if len(paths) > 1:
        raise ShaclFailure(f"{where}: a shape has at most one sh:path")
    path = parse_path(g, paths[0], where) if paths else None
    severities = list(g.objects(node, SH.severity))
    if len(severities) > 1:
        raise ShaclFailure(f"{where}: a shape has at most one sh:severity")
    severity = severities[0] if severities else SH.Violation
    if not isinstance(severity, rdflib.URIRef):
        raise ShaclFailure(f"{where}: sh:severity must be an IRI")
    messages = sorted(
        (m for m in g.objects(node, SH.message) if isinstance(m, rdflib.Literal)), key=str
    )
    return ShapeInfo(
        node=node,
        path=path,
        severity=severity,
        messages=messages,
        deactivated=is_true(g.value(node, SH.deactivated)),
        targets=read_targets(g, node),
        property_shapes=sorted(set(g.objects(node, SH.property)), key=str),
    )


def read_targets(g: rdflib.Graph, node: Node) -> Targets:
    classes = set(g.objects(node, SH.targetClass))
    # Implicit class target (2.1.3.3): a shape that is also a SHACL instance of rdfs:Class.
    if isinstance(node, rdflib.URIRef) and is_instance(g, node, RDFS.Class):
        classes.add(node)
    return Targets(
        classes=tuple(sorted(classes, key=str)),
        nodes=tuple(sorted(set(g.objects(node, SH.targetNode)), key=str)),
        subjects_of=tuple(sorted(set(g.objects(node, SH.targetSubjectsOf)), key=str)),
        objects_of=tuple(sorted(set(g.objects(node, SH.targetObjectsOf)), key=str)),
    )
