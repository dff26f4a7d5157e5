"""Other constraint components (SHACL 4.8): sh:closed (with sh:ignoredProperties),
sh:hasValue, sh:in.

sh:in and sh:hasValue compare terms: a literal constant is compared in Python (the store
would compare it by value once written into a query: ``"5"^^xsd:byte`` and ``5`` would match),
an IRI in SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.rdfio import from_rdflib
from icpc_kg.shacl.constraints.base import (
    Builder,
    Condition,
    Constraint,
    Context,
    ValueTest,
    Violation,
    any_of,
    leaf,
)
from icpc_kg.shacl.run import Focus, Functions, register
from icpc_kg.shacl.shapes import SH_IN, ShapeInfo, is_true, label, rdf_list

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator
    from icpc_kg.shacl.plan import Plan


def _equals_one_of(members: list[Node]) -> Condition:
    """?v is one of ``members`` (as terms)."""
    iris = [m for m in members if isinstance(m, rdflib.URIRef)]
    others = {from_rdflib(m) for m in members if not isinstance(m, rdflib.URIRef)}
    wanted = {from_rdflib(m) for m in members}
    parts: list[Condition] = []
    if iris:
        expression = " || ".join(f"sameTerm(?v, <{iri}>)" for iri in iris)
        parts.append(leaf(f"({expression})", {}, lambda w, _s, _e: w in wanted))
    if others:
        functions: Functions = {}
        test = register(functions, lambda v: v in others)
        parts.append(leaf(f"{test}(?v)", functions, lambda w, _s, _e: w in wanted))
    return any_of(parts)


@dataclass
class InConstraint(ValueTest):
    members: list[Node] = field(default_factory=list)

    def condition(self, plan: Plan) -> Condition:
        return _equals_one_of(self.members)


@dataclass
class HasValueConstraint(Constraint):
    """sh:hasValue: on a node shape the focus node is the value; on a property shape one of
    the value nodes is."""

    node_level: bool = True

    def condition(self, plan: Plan) -> Condition | None:
        return _equals_one_of([self.value]) if self.node_level else None

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        if self.node_level:  # a result without a value: the value is what is missing
            for violation in super().violations(ev, shape, focus, only_focus):
                yield Violation(violation.this, None)
            return
        assert shape.path is not None
        wanted = from_rdflib(self.value)
        if ev.run.written.active:
            predicate = str(shape.path.predicate) if shape.path.predicate is not None else None
            found = {
                this
                for this, value in ev.value_rows(focus, shape.path)
                if wanted in ev.run.written.forms(this, predicate, value)
            }
            for this in ev.focus_nodes(focus):
                if this not in found:
                    yield Violation(this, None)
            return
        condition = _equals_one_of([self.value])
        query = (
            f"SELECT ?this WHERE {{ {focus.pattern} FILTER NOT EXISTS {{ "
            f"?this {shape.path.sparql} ?v FILTER ({condition.expression}) }} }}"
        )
        for this in ev.select(query, focus, condition.functions).column("this"):
            yield Violation(this, None)


@dataclass
class ClosedConstraint(ValueTest):
    """sh:closed true: the value nodes have no property outside the shape's property shapes'
    predicates and sh:ignoredProperties; one result per other triple."""

    allowed: list[rdflib.URIRef] = field(default_factory=list)

    def _outside(self) -> str:
        if not self.allowed:
            return "?v ?p_ ?o_ ."
        listed = ", ".join(f"<{p}>" for p in self.allowed)
        return f"?v ?p_ ?o_ . FILTER (?p_ NOT IN ({listed}))"

    def condition(self, plan: Plan) -> Condition:
        # A literal has no properties, as written or not.
        return leaf(f"NOT EXISTS {{ {self._outside()} }}", {}, lambda _w, _s, _e: True)

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        values = focus.values(shape.path)
        query = f"SELECT DISTINCT ?this ?p_ ?o_ WHERE {{ {values} {self._outside()} }}"
        for this, predicate, value in ev.select(query, focus).rows:
            yield Violation(this, value, path=ev.node(predicate))


def _in(ctx: Context, value: Node) -> list[Constraint]:
    members = rdf_list(ctx.g, value, label(ctx.shape.node))
    return [InConstraint(SH.InConstraintComponent, SH_IN, value, members=members)]


def _has_value(ctx: Context, value: Node) -> list[Constraint]:
    return [
        HasValueConstraint(
            SH.HasValueConstraintComponent, SH.hasValue, value, node_level=ctx.path is None
        )
    ]


def _closed(ctx: Context, value: Node) -> list[Constraint]:
    if not is_true(value):
        return []
    where = label(ctx.shape.node)
    allowed: set[rdflib.URIRef] = set()
    for prop in ctx.shape.property_shapes:
        path = ctx.g.value(prop, SH.path)
        if isinstance(path, rdflib.URIRef):
            allowed.add(path)
    ignored = ctx.values(SH.ignoredProperties)
    if len(ignored) > 1:
        raise ShaclFailure(f"{where}: a shape has at most one sh:ignoredProperties list")
    for head in ignored:
        for member in rdf_list(ctx.g, head, where):
            if not isinstance(member, rdflib.URIRef):
                raise ShaclFailure(f"{where}: sh:ignoredProperties lists IRIs")
            allowed.add(member)
    return [
        ClosedConstraint(
            SH.ClosedConstraintComponent, SH.closed, value, allowed=sorted(allowed, key=str)
        )
    ]


BUILDERS: dict[Node, Builder] = {
    SH_IN: _in,
    SH.hasValue: _has_value,
    SH.closed: _closed,
}
