"""Cardinality constraint components (SHACL 4.2): sh:minCount, sh:maxCount.

Both count the distinct value nodes of a property shape. Where the store merged literals that
were written differently (``"4.0"`` and ``"4.00"`` are one stored ``"4"``), the count is of the
literals as written, worked out in Python for the focus nodes concerned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.shacl.constraints.base import Builder, Constraint, Context, Violation
from icpc_kg.shacl.run import Focus
from icpc_kg.shacl.shapes import ShapeInfo, label

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator


@dataclass
class CountConstraint(Constraint):
    """sh:minCount / sh:maxCount on a property shape."""

    count: int = 0
    minimum: bool = True

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        assert shape.path is not None
        if ev.run.written.merged:
            yield from self._counted_as_written(ev, shape, focus)
            return
        values = f"?this {shape.path.sparql} ?v"
        if self.minimum and self.count == 1:
            query = f"SELECT ?this WHERE {{ {focus.pattern} FILTER NOT EXISTS {{ {values} }} }}"
        elif self.minimum:
            query = (
                f"SELECT ?this WHERE {{ {focus.pattern} OPTIONAL {{ {values} }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {self.count})"
            )
        else:
            query = (
                f"SELECT ?this WHERE {{ {focus.pattern} {values} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {self.count})"
            )
        for this in ev.select(query, focus).column("this"):
            yield Violation(this, None)

    def _counted_as_written(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus
    ) -> Iterator[Violation]:
        assert shape.path is not None
        predicate = str(shape.path.predicate) if shape.path.predicate is not None else None
        counts = {this: 0 for this in ev.focus_nodes(focus)}
        for this, value in ev.value_rows(focus, shape.path):
            counts[this] = counts.get(this, 0) + len(ev.run.written.forms(this, predicate, value))
        for this, found in counts.items():
            if (found < self.count) if self.minimum else (found > self.count):
                yield Violation(this, None)


def _count(ctx: Context, value: Node, minimum: bool) -> list[Constraint]:
    parameter = SH.minCount if minimum else SH.maxCount
    if ctx.path is None:
        return []  # SHACL defines the counts on property shapes only
    if not isinstance(value, rdflib.Literal) or value.datatype != XSD.integer:
        raise ShaclFailure(f"{label(ctx.shape.node)}: {label(parameter)} must be an xsd:integer")
    count = int(str(value))
    if minimum and count <= 0:
        return []
    component = SH.MinCountConstraintComponent if minimum else SH.MaxCountConstraintComponent
    return [CountConstraint(component, parameter, value, count=count, minimum=minimum)]


BUILDERS: dict[Node, Builder] = {
    SH.minCount: lambda ctx, value: _count(ctx, value, True),
    SH.maxCount: lambda ctx, value: _count(ctx, value, False),
}
