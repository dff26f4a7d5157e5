"""Shape-based constraint components (SHACL 4.7): sh:node, sh:qualifiedValueShape with
sh:qualifiedMinCount / sh:qualifiedMaxCount / sh:qualifiedValueShapesDisjoint.

sh:property (4.7.2) is not a constraint with results of its own: the evaluator validates the
property shape on the same focus nodes (on the value nodes, under a property shape) and its
results are the property shape's (:meth:`~icpc_kg.shacl.engine.Evaluator.shape_results`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import rdflib
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.shacl.constraints.base import Builder, Condition, Constraint, Context, Violation
from icpc_kg.shacl.constraints.logical import LogicalConstraint
from icpc_kg.shacl.run import Focus
from icpc_kg.shacl.shapes import ShapeInfo, is_true, label

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator


class NodeConstraint(LogicalConstraint):
    """sh:node: each value node conforms to the shape (a logical constraint of one member)."""

    def combine(self, conditions: list[Condition]) -> Condition:
        return conditions[0]

    def fails(self, failing: list[bool]) -> bool:
        return failing[0]


@dataclass
class QualifiedConstraint(Constraint):
    """sh:qualifiedMinCount / sh:qualifiedMaxCount: how many value nodes conform to the
    qualified value shape (and, when disjoint, to none of its sibling shapes)."""

    count: int = 0
    minimum: bool = True
    siblings: list[Node] = field(default_factory=list)

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        rows = ev.value_rows(focus, shape.path)
        values = focus.of_values(shape.path)
        bad = ev.failing(self.value, values) if rows else set()
        sibling_bad = [ev.failing(s, values) for s in self.siblings] if rows else []
        counts: dict[Any, int] = {this: 0 for this in ev.focus_nodes(focus)}
        for this, value in rows:
            qualifies = value not in bad and all(value in other for other in sibling_bad)
            counts[this] = counts.get(this, 0) + (1 if qualifies else 0)
        for this, found in counts.items():
            if (found < self.count) if self.minimum else (found > self.count):
                yield Violation(this, None)


def _node(ctx: Context, value: Node) -> list[Constraint]:
    return [NodeConstraint(SH.NodeConstraintComponent, SH.node, value, members=[value])]


def _qualified(ctx: Context, value: Node) -> list[Constraint]:
    if ctx.path is None:
        return []  # qualified counts are defined on property shapes
    where = label(ctx.shape.node)
    disjoint = any(is_true(v) for v in ctx.values(SH.qualifiedValueShapesDisjoint))
    siblings = _siblings(ctx, value) if disjoint else []
    found: list[Constraint] = []
    for parameter, component, minimum in (
        (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent, True),
        (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent, False),
    ):
        for bound in ctx.values(parameter):
            if not isinstance(bound, rdflib.Literal) or bound.datatype != XSD.integer:
                raise ShaclFailure(f"{where}: {label(parameter)} must be an xsd:integer")
            found.append(
                QualifiedConstraint(
                    component,
                    SH.qualifiedValueShape,
                    value,
                    count=int(str(bound)),
                    minimum=minimum,
                    siblings=siblings,
                )
            )
    return found


def _siblings(ctx: Context, value: Node) -> list[Node]:
    """The sibling shapes (4.7.3): the qualified value shapes of the other property shapes of
    every shape that has this property shape."""
    g = ctx.g
    found: set[Node] = set()
    for parent in g.subjects(SH.property, ctx.shape.node):
        for prop in g.objects(parent, SH.property):
            found.update(g.objects(prop, SH.qualifiedValueShape))
    found.discard(value)
    return sorted(found, key=str)


BUILDERS: dict[Node, Builder] = {
    SH.node: _node,
    SH.qualifiedValueShape: _qualified,
}
