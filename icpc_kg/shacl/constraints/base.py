"""What every constraint component's implementation shares.

A :class:`Constraint` is one constraint of one shape (a component with its parameter values).
It yields :class:`Violation` rows for the focus nodes of a :class:`~icpc_kg.shacl.run.Focus`.
Most components test each value node on its own; those are :class:`ValueTest` and give a
:class:`Condition`: a SPARQL expression on ``?v`` that holds when the value conforms, plus the
same test in Python for literals the store keeps rewritten (:mod:`icpc_kg.shacl.written`).
Conditions compose (sh:and, sh:or, sh:not, sh:xone, sh:node over such shapes), so a logical
constraint over value tests stays one query; the others need sets of conforming nodes and
are worked out by :class:`~icpc_kg.shacl.engine.Evaluator`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import rdflib
from rdflib.term import Node

from icpc_kg.shacl.run import Focus, Functions
from icpc_kg.shacl.shapes import Path, ShapeInfo

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator
    from icpc_kg.shacl.plan import Plan

# judge(written literal, stored term, evaluator) -> does the written literal conform?
Judge = Callable[[Any, Any, "Evaluator"], bool]


@dataclass
class Violation:
    """One row that becomes a validation result."""

    this: Any  # the focus node (pyoxigraph term)
    value: Any | None  # sh:value, if any
    path: Node | None = None  # overrides the shape's path (a SPARQL ?path, sh:closed)
    bindings: dict[str, Any] = field(default_factory=dict)  # for {?var} in messages
    message: rdflib.Literal | None = None  # a SPARQL ?message binding
    written: bool = False  # ``value`` is already the literal as written


@dataclass
class Condition:
    """A SPARQL expression on ``?v`` that is true when the value conforms (never an error),
    the Python functions it calls, and the same verdict for a literal as written."""

    expression: str
    functions: Functions
    judge: Judge

    @staticmethod
    def always() -> Condition:
        return Condition("true", {}, lambda _w, _s, _e: True)


def leaf(expression: str, functions: Functions, judge: Judge) -> Condition:
    """A condition of one component: SPARQL errors count as not conforming."""
    return Condition(f"COALESCE({expression}, false)", functions, judge)


def all_of(conditions: list[Condition]) -> Condition:
    if not conditions:
        return Condition.always()
    if len(conditions) == 1:
        return conditions[0]
    return Condition(
        "(" + " && ".join(c.expression for c in conditions) + ")",
        _merged(conditions),
        lambda w, s, e: all(c.judge(w, s, e) for c in conditions),
    )


def any_of(conditions: list[Condition]) -> Condition:
    if not conditions:
        return Condition("false", {}, lambda _w, _s, _e: False)
    return Condition(
        "(" + " || ".join(c.expression for c in conditions) + ")",
        _merged(conditions),
        lambda w, s, e: any(c.judge(w, s, e) for c in conditions),
    )


def negation(condition: Condition) -> Condition:
    return Condition(
        f"(!{condition.expression})",
        condition.functions,
        lambda w, s, e: not condition.judge(w, s, e),
    )


def exactly_one(conditions: list[Condition]) -> Condition:
    total = " + ".join(f"IF({c.expression}, 1, 0)" for c in conditions) or "0"
    return Condition(
        f"(({total}) = 1)",
        _merged(conditions),
        lambda w, s, e: sum(1 for c in conditions if c.judge(w, s, e)) == 1,
    )


def _merged(conditions: Iterable[Condition]) -> Functions:
    functions: Functions = {}
    for condition in conditions:
        functions.update(condition.functions)
    return functions


@dataclass
class Constraint:
    """One constraint: a component, the parameter that declares it and its value."""

    component: rdflib.URIRef
    parameter: Node
    value: Node
    source: Node | None = field(default=None, kw_only=True)  # sh:sourceConstraint
    messages: list[rdflib.Literal] = field(default_factory=list, kw_only=True)

    def condition(self, plan: Plan) -> Condition | None:
        """The value test, for components that test each value node on its own (called once
        per plan: :meth:`Plan.condition` keeps it)."""
        return None

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        """The rows that fail this constraint among the focus nodes of ``focus``; with
        ``only_focus`` the caller needs the failing focus nodes only."""
        condition = ev.plan.condition(self)
        assert condition is not None, f"{type(self).__name__} must override violations()"
        yield from ev.value_test_violations(condition, focus, shape.path, only_focus)


class ValueTest(Constraint):
    """A constraint that tests each value node on its own (sh:class, sh:datatype, ...)."""

    def condition(self, plan: Plan) -> Condition:
        raise NotImplementedError


@dataclass(frozen=True)
class Context:
    """What a builder reads while compiling the constraints of one shape."""

    g: rdflib.Graph
    plan: Plan
    shape: ShapeInfo

    def values(self, parameter: Node) -> list[Node]:
        return sorted(set(self.g.objects(self.shape.node, parameter)), key=str)

    @property
    def path(self) -> Path | None:
        return self.shape.path


Builder = Callable[[Context, Node], list[Constraint]]
