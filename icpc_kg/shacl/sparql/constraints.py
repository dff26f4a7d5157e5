"""SPARQL-based constraints (SHACL 5): ``sh:sparql`` with a SELECT query, and the validators of
SPARQL-based constraint components (6.2 / 6.3), which run the same way.

Each solution is one result (5.3.2): ``?this`` the focus node, ``?path`` (an IRI) the path,
``?value`` the value, ``?message`` the message; a solution with ``?failure`` true is a failure
of the whole validation. A deactivated constraint gives nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.shacl.constraints.base import Builder, Constraint, Context, Violation
from icpc_kg.shacl.run import Focus
from icpc_kg.shacl.shapes import ShapeInfo, is_true, label
from icpc_kg.shacl.sparql.query import PreparedQuery, ask_for_values, prepare, select_for_focus

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator


@dataclass
class SelectConstraint(Constraint):
    """A SELECT query run for the focus nodes: sh:sparql, or a SELECT-based validator."""

    prepared: PreparedQuery | None = None
    parameters: dict[str, Node] = field(default_factory=dict)  # for {$param} in messages

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        assert self.prepared is not None
        rows = ev.select(select_for_focus(self.prepared, focus.pattern), focus)
        for row in rows.dicts():
            yield self._violation(ev, shape, row)

    def _violation(self, ev: Evaluator, shape: ShapeInfo, row: dict[str, Any]) -> Violation:
        if row.get("failure") == ox.Literal(True):
            raise ShaclFailure(
                f"{label(shape.node)}: the SPARQL constraint {label(self.value)} reported a failure"
            )
        this = row["this"]
        path = row.get("path")
        value = row.get("value")
        if value is None and shape.path is None:
            value = this  # the value node of a node shape is its focus node
        message = row.get("message")
        bindings = {
            k: v for k, v in row.items() if v is not None and k not in ("failure", "message")
        }
        bindings.update({k: v for k, v in self.parameters.items()})
        return Violation(
            this,
            value,
            path=ev.node(path) if isinstance(path, ox.NamedNode) else None,
            bindings=bindings,
            message=ev.node(message) if isinstance(message, ox.Literal) else None,  # type: ignore[arg-type]
        )


@dataclass
class AskConstraint(SelectConstraint):
    """An ASK-based validator: a result for each value node the query answers false for."""

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        assert self.prepared is not None
        values = (
            f"{{ SELECT DISTINCT ?this (?v AS ?value) WHERE {{ {focus.values(shape.path)} }} }}"
        )
        rows = ev.select(ask_for_values(self.prepared, values), focus)
        for this, value in rows.rows:
            yield Violation(this, value, bindings={"this": this, "value": value, **self.parameters})


def _sparql(ctx: Context, value: Node) -> list[Constraint]:
    g = ctx.g
    where = f"{label(ctx.shape.node)} sh:sparql {label(value)}"
    if is_true(g.value(value, SH.deactivated)):
        return []
    selects = list(g.objects(value, SH.select))
    if len(selects) != 1:
        raise ShaclFailure(f"{where}: a SPARQL-based constraint has exactly one sh:select")
    constants: dict[str, Node] = {}
    if isinstance(ctx.shape.node, rdflib.URIRef):
        constants["currentShape"] = ctx.shape.node
    path = ctx.path.sparql if ctx.path is not None else None
    prepared = prepare(g, value, str(selects[0]), {"this"}, constants, path)
    if "currentShape" in prepared.analysis.variables:
        raise ShaclFailure(f"{where}: $currentShape would be a blank node: give the shape an IRI")
    messages = sorted(
        (m for m in g.objects(value, SH.message) if isinstance(m, rdflib.Literal)), key=str
    )
    return [
        SelectConstraint(
            SH.SPARQLConstraintComponent,
            SH.sparql,
            value,
            source=value,
            messages=messages,
            prepared=prepared,
        )
    ]


BUILDERS: dict[Node, Builder] = {SH.sparql: _sparql}
