"""Value type constraint components (SHACL 4.1): sh:class, sh:datatype, sh:nodeKind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.literals import known_datatypes, well_typed
from icpc_kg.rdfio import from_rdflib
from icpc_kg.shacl.constraints.base import Builder, Condition, Constraint, Context, ValueTest, leaf
from icpc_kg.shacl.run import Functions, register, subclasses_marker
from icpc_kg.shacl.shapes import SH_CLASS, label

if TYPE_CHECKING:
    from icpc_kg.shacl.plan import Plan

XSD = "http://www.w3.org/2001/XMLSchema#"
# Numeric datatypes whose literals the store parses: a literal it parsed is well-typed.
NUMERIC = frozenset(XSD + name for name in ("integer", "decimal", "float", "double"))
NODE_KINDS = {
    SH.IRI: ("isIRI(?v)", (ox.NamedNode,)),
    SH.BlankNode: ("isBlank(?v)", (ox.BlankNode,)),
    SH.Literal: ("isLiteral(?v)", (ox.Literal,)),
    SH.BlankNodeOrIRI: ("(isIRI(?v) || isBlank(?v))", (ox.NamedNode, ox.BlankNode)),
    SH.BlankNodeOrLiteral: ("(isBlank(?v) || isLiteral(?v))", (ox.BlankNode, ox.Literal)),
    SH.IRIOrLiteral: ("(isIRI(?v) || isLiteral(?v))", (ox.NamedNode, ox.Literal)),
}


@dataclass
class ClassConstraint(ValueTest):
    """sh:class: each value node is a SHACL instance of the class in the data graph."""

    def condition(self, plan: Plan) -> Condition:
        cls = self.value
        functions: Functions = {}
        if isinstance(cls, rdflib.URIRef):
            expression = (
                f"(!isLiteral(?v) && EXISTS {{ ?v a ?class_ . "
                f"VALUES ?class_ {{ {subclasses_marker(str(cls))} }} }})"
            )
        else:  # a blank-node class: matched by a function, subclasses by a path
            wanted = from_rdflib(cls)
            test = register(functions, lambda c: c == wanted)
            expression = (
                f"(!isLiteral(?v) && EXISTS {{ ?v a/<{RDFS.subClassOf}>* ?class_ "
                f"FILTER ({test}(?class_)) }})"
            )
        # A literal is never an instance, as written or not.
        return leaf(expression, functions, lambda _w, _s, _e: False)


@dataclass
class DatatypeConstraint(ValueTest):
    """sh:datatype: each value node is a literal of the datatype, and well-formed for it."""

    def condition(self, plan: Plan) -> Condition:
        datatype = str(self.value)
        functions: Functions = {}
        same = f"isLiteral(?v) && DATATYPE(?v) = <{datatype}>"
        if datatype in known_datatypes():
            test = register(functions, _well_typed)
            if datatype in NUMERIC:
                expression = f"({same} && (isNumeric(?v) || {test}(?v)))"
            else:
                expression = f"({same} && {test}(?v))"
        else:
            expression = f"({same})"
        return leaf(expression, functions, lambda w, _s, _e: _has_datatype(w, datatype))


def _well_typed(term: Any) -> bool:
    return isinstance(term, ox.Literal) and well_typed(term) is not False


def _has_datatype(term: Any, datatype: str) -> bool:
    if not isinstance(term, ox.Literal):
        return False
    actual = str(RDF.langString) if term.language else term.datatype.value
    return actual == datatype and well_typed(term) is not False


@dataclass
class NodeKindConstraint(ValueTest):
    """sh:nodeKind: each value node is of the kind (IRI, blank node, literal, or two of them)."""

    def condition(self, plan: Plan) -> Condition:
        expression, kinds = NODE_KINDS[rdflib.URIRef(str(self.value))]
        return leaf(expression, {}, lambda w, _s, _e: isinstance(w, kinds))


def _class(ctx: Context, value: Node) -> list[Constraint]:
    if isinstance(value, rdflib.Literal):
        raise ShaclFailure(f"{label(ctx.shape.node)}: sh:class must be an IRI or a blank node")
    return [ClassConstraint(SH.ClassConstraintComponent, SH_CLASS, value)]


def _datatype(ctx: Context, value: Node) -> list[Constraint]:
    if not isinstance(value, rdflib.URIRef):
        raise ShaclFailure(f"{label(ctx.shape.node)}: sh:datatype must be an IRI")
    return [DatatypeConstraint(SH.DatatypeConstraintComponent, SH.datatype, value)]


def _node_kind(ctx: Context, value: Node) -> list[Constraint]:
    if rdflib.URIRef(str(value)) not in NODE_KINDS or not isinstance(value, rdflib.URIRef):
        kinds = ", ".join(label(k) for k in NODE_KINDS)
        raise ShaclFailure(f"{label(ctx.shape.node)}: sh:nodeKind must be one of {kinds}")
    return [NodeKindConstraint(SH.NodeKindConstraintComponent, SH.nodeKind, value)]


BUILDERS: dict[Node, Builder] = {
    SH_CLASS: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
}
