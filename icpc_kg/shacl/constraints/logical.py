"""Logical constraint components (SHACL 4.6): sh:not, sh:and, sh:or, sh:xone.

Each asks whether a value node conforms to other shapes. When those shapes only test values
one by one, the constraint is one SPARQL condition; otherwise the evaluator works out, set-wise,
which value nodes fail each shape (:meth:`~icpc_kg.shacl.engine.Evaluator.failing`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.shacl.constraints.base import (
    Builder,
    Condition,
    Constraint,
    Context,
    Violation,
    all_of,
    any_of,
    exactly_one,
    negation,
)
from icpc_kg.shacl.run import Focus
from icpc_kg.shacl.shapes import SH_AND, SH_NOT, SH_OR, SH_XONE, ShapeInfo, label, rdf_list

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator
    from icpc_kg.shacl.plan import Plan


@dataclass
class LogicalConstraint(Constraint):
    """A logical constraint over ``members`` (one shape for sh:not)."""

    members: list[Node] = field(default_factory=list)

    def combine(self, conditions: list[Condition]) -> Condition:
        raise NotImplementedError

    def fails(self, failing: list[bool]) -> bool:
        """Whether a value node fails, given whether it fails each member."""
        raise NotImplementedError

    def condition(self, plan: Plan) -> Condition | None:
        conditions = [plan.shape_condition(m) for m in self.members]
        if any(c is None for c in conditions):
            return None
        return self.combine([c for c in conditions if c is not None])

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        if ev.plan.condition(self) is not None:
            yield from super().violations(ev, shape, focus, only_focus)
            return
        rows = ev.value_rows(focus, shape.path)
        if not rows:
            return  # nothing to check (and no need to go deeper into a recursive shape)
        values = focus.of_values(shape.path)
        failing = [ev.failing(member, values) for member in self.members]
        for this, value in rows:
            if self.fails([value in bad for bad in failing]):
                yield Violation(this, value)


class NotConstraint(LogicalConstraint):
    def combine(self, conditions: list[Condition]) -> Condition:
        return negation(conditions[0])

    def fails(self, failing: list[bool]) -> bool:
        return not failing[0]


class AndConstraint(LogicalConstraint):
    def combine(self, conditions: list[Condition]) -> Condition:
        return all_of(conditions)

    def fails(self, failing: list[bool]) -> bool:
        return any(failing)


class OrConstraint(LogicalConstraint):
    def combine(self, conditions: list[Condition]) -> Condition:
        return any_of(conditions)

    def fails(self, failing: list[bool]) -> bool:
        return all(failing)


class XoneConstraint(LogicalConstraint):
    def combine(self, conditions: list[Condition]) -> Condition:
        return exactly_one(conditions)

    def fails(self, failing: list[bool]) -> bool:
        return sum(1 for f in failing if not f) != 1


def _not(ctx: Context, value: Node) -> list[Constraint]:
    return [NotConstraint(SH.NotConstraintComponent, SH_NOT, value, members=[value])]


def _list_of(kind: type[LogicalConstraint], component: Node, parameter: Node) -> Builder:
    def build(ctx: Context, value: Node) -> list[Constraint]:
        members = rdf_list(ctx.g, value, label(ctx.shape.node))
        return [kind(component, parameter, value, members=members)]  # type: ignore[arg-type]

    return build


BUILDERS: dict[Node, Builder] = {
    SH_NOT: _not,
    SH_AND: _list_of(AndConstraint, SH.AndConstraintComponent, SH_AND),
    SH_OR: _list_of(OrConstraint, SH.OrConstraintComponent, SH_OR),
    SH_XONE: _list_of(XoneConstraint, SH.XoneConstraintComponent, SH_XONE),
}
