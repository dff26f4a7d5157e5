"""A shapes graph compiled once: every shape with its constraints, ready to run on any data.

Compiling reads the shapes graph only (:mod:`icpc_kg.shacl.shapes`, the constraint modules,
:mod:`icpc_kg.shacl.sparql`); an ill-formed shapes graph fails here, with the shape and the
reason, before any data is read. Plans are kept per shapes graph for the process (a server or
a session checks many contributions against the same shapes).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.rdfio import from_rdflib, triples_to_rdflib
from icpc_kg.shacl.constraints import BUILDERS, CORE_PARAMETERS
from icpc_kg.shacl.constraints.base import Builder, Condition, Constraint, Context, all_of
from icpc_kg.shacl.report import rule_id_for
from icpc_kg.shacl.shapes import ShapeInfo, discover_shapes, read_shape
from icpc_kg.shacl.sparql import constraints as sparql_constraints
from icpc_kg.shacl.sparql.components import (
    component_constraints,
    declared_components,
    sparql_targets,
)

ALL_BUILDERS: dict[Node, Builder] = {**BUILDERS, **sparql_constraints.BUILDERS}
# SHACL-AF features that compute or change data: the engine does not run them.
UNSUPPORTED = {
    SH.rule: "SHACL-AF rules (sh:rule)",
    rdflib.URIRef(f"{SH}expression"): "SHACL-AF node expressions (sh:expression)",
    rdflib.URIRef(f"{SH}values"): "SHACL-AF node expressions (sh:values)",
    rdflib.URIRef(f"{SH}js"): "SHACL-JS (sh:js)",
    rdflib.URIRef(f"{SH}jsFunctionName"): "SHACL-JS (sh:jsFunctionName)",
}


@dataclass
class Shape:
    info: ShapeInfo
    constraints: list[Constraint]


class Plan:
    """The compiled shapes of one shapes graph."""

    def __init__(self, g: rdflib.Graph, advanced: bool = True) -> None:
        self.g = g
        self.advanced = advanced
        self.unsupported = sorted(
            {reason for predicate, reason in UNSUPPORTED.items() if (None, predicate, None) in g}
        )
        self.components = declared_components(g)
        parameters = set(CORE_PARAMETERS) | set(ALL_BUILDERS)
        parameters |= {p.path for c in self.components for p in c.parameters}
        self.shapes: dict[Node, Shape] = {}
        self._lock = threading.RLock()
        for node in sorted(discover_shapes(g, parameters), key=str):
            self.shape(node)
        self.roots = [
            node
            for node, shape in sorted(self.shapes.items(), key=lambda item: str(item[0]))
            if shape.info.targets and not shape.info.deactivated
        ]
        self._conditions: dict[int, Condition | None] = {}
        self._shape_conditions: dict[Node, Condition | None] = {}
        self._open: set[Node] = set()
        self._rule_ids: dict[tuple[Node, Node], str] = {}

    def shape(self, node: Node) -> Shape:
        """The compiled shape at ``node`` (any node can be used as a shape: one without
        constraints is conformed to by everything)."""
        with self._lock:
            known = self.shapes.get(node)
            if known is not None:
                return known
            info = read_shape(self.g, node)
            if self.advanced and (node, SH.target, None) in self.g:
                sparql = sparql_targets(self.g, node)
                info.targets = dataclasses.replace(info.targets, sparql=sparql)
            shape = Shape(info, [])
            self.shapes[node] = shape  # before its constraints: they may refer back to it
            shape.constraints = self._constraints(info)
            return shape

    def _constraints(self, info: ShapeInfo) -> list[Constraint]:
        ctx = Context(self.g, self, info)
        found: list[Constraint] = []
        for parameter in sorted(set(self.g.predicates(info.node, None)), key=str):
            builder = ALL_BUILDERS.get(parameter)
            if builder is not None:
                for value in ctx.values(parameter):
                    found.extend(builder(ctx, value))
        for component in self.components:
            found.extend(component_constraints(ctx, component))
        return found

    def condition(self, constraint: Constraint) -> Condition | None:
        """The constraint's value test, made once."""
        with self._lock:
            key = id(constraint)
            if key not in self._conditions:
                self._conditions[key] = constraint.condition(self)
            return self._conditions[key]

    def shape_condition(self, node: Node) -> Condition | None:
        """A SPARQL condition on ``?v`` that holds when ``?v`` conforms to the shape, if the
        shape only tests values one by one (no property shapes, no SPARQL); else None."""
        with self._lock:
            if node in self._shape_conditions:
                return self._shape_conditions[node]
            if node in self._open:
                return None  # a shape that refers to itself: checked set-wise
            self._open.add(node)
            try:
                shape = self.shape(node)
                condition: Condition | None
                if shape.info.deactivated:
                    condition = Condition.always()
                elif shape.info.property_shapes or shape.info.is_property:
                    condition = None
                else:
                    parts = [self.condition(c) for c in shape.constraints]
                    condition = (
                        None
                        if any(p is None for p in parts)
                        else all_of([p for p in parts if p is not None])
                    )
            finally:
                self._open.discard(node)
            self._shape_conditions[node] = condition
            return condition

    def rule_id(self, shape: Node, component: Node) -> str:
        key = (shape, component)
        if key not in self._rule_ids:
            self._rule_ids[key] = rule_id_for(shape, component, self.g)
        return self._rule_ids[key]

    def target_literals(self) -> list[ox.Literal]:
        """The literals among the shapes' sh:targetNode values (queries spell them)."""
        found = [
            from_rdflib(node)
            for shape in self.shapes.values()
            for node in shape.info.targets.nodes
            if isinstance(node, rdflib.Literal)
        ]
        return [f for f in found if isinstance(f, ox.Literal)]


_PLANS: dict[tuple[tuple[ox.Quad, ...], bool], Plan] = {}
_PLANS_LOCK = threading.Lock()


def plan_for_quads(quads: Iterable[ox.Quad], advanced: bool = True) -> Plan:
    """The plan for the shapes graph made of ``quads``, remembered for the next validations
    in this process."""
    key = (tuple(quads), advanced)
    with _PLANS_LOCK:
        plan = _PLANS.get(key)
    if plan is None:
        plan = Plan(triples_to_rdflib(key[0]), advanced)
        with _PLANS_LOCK:
            _PLANS[key] = plan
            while len(_PLANS) > 4:
                del _PLANS[next(iter(_PLANS))]
    return plan
