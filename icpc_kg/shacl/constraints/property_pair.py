"""Property pair constraint components (SHACL 4.5): sh:equals, sh:disjoint, sh:lessThan,
sh:lessThanOrEquals.

Each compares the value nodes of the shape with the values of another property of the same
focus node: as terms (equals, disjoint) or with SPARQL's ``<`` and ``<=`` (the others). Where
the store keeps some literals rewritten, the comparison is made again in Python on the
literals as written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.literals import well_typed
from icpc_kg.shacl.constraints.base import Builder, Constraint, Context, Violation
from icpc_kg.shacl.run import Focus
from icpc_kg.shacl.shapes import Path, ShapeInfo, label

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator

PAIRS = {
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
}


def _own(path: Path | None, value: str = "?v") -> str:
    """A pattern binding ``value`` to the shape's value nodes of ``?this``."""
    if path is None:
        return f"BIND (?this AS {value})"
    return f"?this {path.sparql} {value} ."


def _not_own(path: Path | None) -> str:
    """A filter that holds when ``?v`` is not a value node of ``?this``."""
    if path is None:
        return "FILTER (!sameTerm(?this, ?v))"
    return f"FILTER NOT EXISTS {{ ?this {path.sparql} ?v }}"


@dataclass
class PairConstraint(Constraint):
    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        other = f"<{self.value}>"
        f = focus.pattern
        path = shape.path
        if ev.run.written.active and self.parameter in (SH.equals, SH.disjoint):
            yield from self._as_written(ev, shape, focus)
            return
        if self.parameter == SH.equals:
            query = (
                f"SELECT DISTINCT ?this ?v WHERE {{ "
                f"{{ {f} {_own(path)} FILTER NOT EXISTS {{ ?this {other} ?v }} }} UNION "
                f"{{ {f} ?this {other} ?v . {_not_own(path)} }} }}"
            )
        elif self.parameter == SH.disjoint:
            query = f"SELECT DISTINCT ?this ?v WHERE {{ {f} {_own(path)} ?this {other} ?v . }}"
        else:
            operator = "<" if self.parameter == SH.lessThan else "<="
            if ev.run.written.active:
                yield from self._compared_as_written(ev, shape, focus, operator)
                return
            # One result per pair of values that fails the comparison (4.5.3).
            query = (
                f"SELECT DISTINCT ?this ?v ?w WHERE {{ {f} {_own(path)} ?this {other} ?w . "
                f"FILTER (!COALESCE(?v {operator} ?w, false)) }}"
            )
        rows = ev.select(query, focus)
        for row in rows.rows:
            yield Violation(row[0], row[1])

    def _as_written(self, ev: Evaluator, shape: ShapeInfo, focus: Focus) -> Iterator[Violation]:
        """sh:equals / sh:disjoint on the sets of written terms of each focus node."""
        written = ev.run.written
        own_predicate = str(shape.path.predicate) if shape.path and shape.path.predicate else None
        own: dict[Any, set[Any]] = defaultdict(set)
        for this, value in ev.value_rows(focus, shape.path):
            own[this].update(written.forms(this, own_predicate, value))
        theirs: dict[Any, set[Any]] = defaultdict(set)
        query = f"SELECT DISTINCT ?this ?v WHERE {{ {focus.pattern} ?this <{self.value}> ?v }}"
        for this, value in ev.select(query, focus).rows:
            theirs[this].update(written.forms(this, str(self.value), value))
        for this in sorted(own.keys() | theirs.keys(), key=str):
            mine, other = own.get(this, set()), theirs.get(this, set())
            if self.parameter == SH.equals:
                different = sorted(mine ^ other, key=str)
            else:
                different = sorted(mine & other, key=str)
            for value in different:
                yield Violation(this, value, written=True)

    def _compared_as_written(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, operator: str
    ) -> Iterator[Violation]:
        """sh:lessThan(OrEquals) where an ill-typed written literal makes the comparison an
        error the store does not see (it compares the value it kept)."""
        written = ev.run.written
        own_predicate = str(shape.path.predicate) if shape.path and shape.path.predicate else None
        query = (
            f"SELECT DISTINCT ?this ?v ?w (COALESCE(?v {operator} ?w, false) AS ?ok) WHERE {{ "
            f"{focus.pattern} {_own(shape.path)} ?this <{self.value}> ?w . }}"
        )
        for this, value, other, ok in ev.select(query, focus).rows:
            forms = written.forms(this, own_predicate, value)
            others = written.forms(this, str(self.value), other)
            for form in forms:
                for other_form in others:
                    if ok != ox.Literal(True) or _ill_typed(form) or _ill_typed(other_form):
                        yield Violation(this, form, written=True)


def _ill_typed(term: Any) -> bool:
    return isinstance(term, ox.Literal) and well_typed(term) is False


def _pair(ctx: Context, value: Node, parameter: rdflib.URIRef) -> list[Constraint]:
    if not isinstance(value, rdflib.URIRef):
        raise ShaclFailure(f"{label(ctx.shape.node)}: {label(parameter)} must be an IRI")
    if parameter in (SH.lessThan, SH.lessThanOrEquals) and ctx.path is None:
        return []  # defined on property shapes only
    return [PairConstraint(PAIRS[parameter], parameter, value)]


BUILDERS: dict[Node, Builder] = {
    parameter: (lambda p: lambda ctx, value: _pair(ctx, value, p))(parameter) for parameter in PAIRS
}
