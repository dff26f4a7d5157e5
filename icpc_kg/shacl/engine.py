"""Validation (SHACL 3.4): every shape with targets on its focus nodes, and conformance of
value nodes to the shapes that logical and shape-based constraints name.

:meth:`Evaluator.shape_results` gives a shape's results on a focus (its constraints', then its
property shapes', each reported with its own source shape); :meth:`Evaluator.failing` gives the
focus nodes that do not conform to a shape (any result of any severity counts, 3.4), which
sh:node, sh:not, sh:and, sh:or, sh:xone and the qualified counts use. Both work on sets: each
constraint is one query over all the focus nodes, and nested shapes get the value nodes as a
sub-select. Shapes may nest ``max_depth`` levels deep (recursive shapes over data that ends
are fine; over data that loops, a failure).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from icpc_kg.rdfio import to_rdflib
from icpc_kg.shacl.constraints.base import Condition, Constraint, Violation
from icpc_kg.shacl.plan import Plan, Shape
from icpc_kg.shacl.report import ShaclResult, severity_name
from icpc_kg.shacl.run import Focus, Functions, Rows, Run, check_depth, register
from icpc_kg.shacl.shapes import Path, ShapeInfo, label
from icpc_kg.vocab import shrink


class Evaluator:
    """One validation of a data graph (a :class:`Run`) against a :class:`Plan`."""

    def __init__(self, plan: Plan, run: Run, max_depth: int = 15) -> None:
        self.plan = plan
        self.run = run
        self.max_depth = max_depth
        self._failing: dict[tuple[Node, str], set[Any]] = {}
        self._rows: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
        self._verdicts: dict[tuple[str, Any], bool] = {}
        self._lock = threading.Lock()

    # -- the whole validation ------------------------------------------------------------

    def validate(self, workers: int = 2, abort_on_first: bool = False) -> list[ShaclResult]:
        """The results of every shape that has targets. pyoxigraph releases the GIL while it
        evaluates a query, so ``workers`` threads keep that many cores busy; the results come
        in the order of the shapes whatever the threads do."""

        def one(node: Node) -> list[ShaclResult]:
            shape = self.plan.shape(node)
            focus = self.run.target_focus(shape.info.targets)
            found: list[ShaclResult] = []
            for result in self.shape_results(node, focus):
                found.append(result)
                if abort_on_first:
                    break
            return found

        if abort_on_first:
            for node in self.plan.roots:
                found = one(node)
                if found:
                    return found[:1]
            return []
        with ThreadPoolExecutor(max(1, workers)) as pool:
            return [r for found in pool.map(one, self.plan.roots) for r in found]

    # -- one shape -----------------------------------------------------------------------

    def shape_results(
        self, node: Node, focus: Focus, weights: dict[Any, int] | None = None
    ) -> Iterator[ShaclResult]:
        """The shape's results on ``focus``. A property shape of a property shape is validated
        on the value nodes, once per focus node that reaches them (``weights``): a value two
        focus nodes share gives its results twice, as validating each focus node would."""
        shape = self.plan.shape(node)
        info = shape.info
        if info.deactivated or not check_depth(self.run, focus, self.max_depth, node):
            return
        for constraint in shape.constraints:
            for violation in constraint.violations(self, info, focus, False):
                result = self.result(shape, constraint, violation)
                for _ in range(weights.get(violation.this, 1) if weights else 1):
                    yield result
        if not info.property_shapes:
            return
        inner, inner_weights = focus, weights
        if info.is_property:
            inner = focus.of_values(info.path)
            inner_weights = {}
            for this, value in self.value_rows(focus, info.path):
                reached = weights.get(this, 1) if weights else 1
                inner_weights[value] = inner_weights.get(value, 0) + reached
        for prop in info.property_shapes:
            yield from self.shape_results(prop, inner, inner_weights)

    def failing(self, node: Node, focus: Focus) -> set[Any]:
        """The focus nodes of ``focus`` that do not conform to the shape at ``node``."""
        key = (node, focus.pattern)
        with self._lock:
            known = self._failing.get(key)
        if known is not None:
            return known
        found = self._failing_now(self.plan.shape(node), focus)
        with self._lock:
            self._failing[key] = found
        return found

    def _failing_now(self, shape: Shape, focus: Focus) -> set[Any]:
        info = shape.info
        if info.deactivated or not check_depth(self.run, focus, self.max_depth, info.node):
            return set()
        condition = self.plan.shape_condition(info.node)
        if condition is not None:
            return {v.this for v in self.value_test_violations(condition, focus, None, True)}
        found: set[Any] = set()
        for constraint in shape.constraints:
            found.update(v.this for v in constraint.violations(self, info, focus, True))
        for prop in info.property_shapes:
            if not info.is_property:
                found |= self.failing(prop, focus)
                continue
            rows = self.value_rows(focus, info.path)
            bad = self.failing(prop, focus.of_values(info.path)) if rows else set()
            found.update(this for this, value in rows if value in bad)
        return found

    # -- what constraints ask for --------------------------------------------------------

    def select(self, query: str, focus: Focus, functions: Functions | None = None) -> Rows:
        return self.run.select(query, {**focus.functions, **(functions or {})})

    def value_rows(self, focus: Focus, path: Path | None) -> list[tuple[Any, Any]]:
        """The (focus node, value node) pairs of ``focus`` along ``path``."""
        key = (focus.pattern, path.sparql if path is not None else "")
        with self._lock:
            known = self._rows.get(key)
        if known is not None:
            return known
        query = f"SELECT DISTINCT ?this ?v WHERE {{ {focus.values(path)} }}"
        rows = [(this, value) for this, value in self.select(query, focus).rows]
        with self._lock:
            self._rows[key] = rows
        return rows

    def focus_nodes(self, focus: Focus) -> list[Any]:
        return self.select(f"SELECT ?this WHERE {{ {focus.pattern} }}", focus).column("this")

    def value_test_violations(
        self, condition: Condition, focus: Focus, path: Path | None, only_focus: bool
    ) -> Iterator[Violation]:
        """The value nodes that fail ``condition``; literals the store keeps rewritten are
        judged again on each of their written forms."""
        written = self.run.written
        values = focus.values(path)
        if not written.active:
            projection = "?this" if only_focus else "?this ?v"
            test = f"FILTER (!{condition.expression})"
            query = f"SELECT DISTINCT {projection} WHERE {{ {values} {test} }}"
            for row in self.select(query, focus, condition.functions).rows:
                yield Violation(row[0], None if only_focus else row[1])
            return
        functions = dict(condition.functions)
        marked = register(functions, written.is_rewritten)
        query = (
            f"SELECT DISTINCT ?this ?v ({condition.expression} AS ?ok_) WHERE {{ {values} "
            f"FILTER (!{condition.expression} || {marked}(?v)) }}"
        )
        predicate = str(path.predicate) if path is not None and path.predicate is not None else None
        for this, value, ok in self.select(query, focus, functions).rows:
            if not written.is_rewritten(value):
                if ok != ox.Literal(True):
                    yield Violation(this, value)
                continue
            for form in written.forms(this, predicate, value):
                if not condition.judge(form, value, self):
                    yield Violation(this, form, written=True)

    def verdict(self, expression: str, functions: Functions, stored: Any) -> bool:
        """``expression`` (on ``?v``) evaluated by the store for the term ``stored``."""
        key = (expression, stored)
        if key not in self._verdicts:
            query = f"SELECT ({expression} AS ?ok) WHERE {{ BIND ({stored} AS ?v) }}"
            rows = self.run.select(query, functions).rows
            self._verdicts[key] = bool(rows) and rows[0][0] == ox.Literal(True)
        return self._verdicts[key]

    def node(self, term: Any) -> Node:
        return to_rdflib(term)

    # -- results -------------------------------------------------------------------------

    def result(self, shape: Shape, constraint: Constraint, violation: Violation) -> ShaclResult:
        info = shape.info
        written = self.run.written
        focus = to_rdflib(written.restore(violation.this))
        value = None
        if violation.value is not None:
            value = to_rdflib(
                violation.value if violation.written else written.restore(violation.value)
            )
        path: Node | None = violation.path
        path_triples: tuple[Any, ...] = ()
        if path is None and info.path is not None:
            path, path_triples = info.path.node, info.path.triples
        return ShaclResult(
            focus=focus,
            path=path,
            value=value,
            severity=severity_name(info.severity),
            constraint=constraint.component,
            shape=info.node,
            messages=self._messages(info, constraint, violation, focus, path, value),
            rule_id=self.plan.rule_id(info.node, constraint.component),
            source_constraint=constraint.source,
            path_triples=path_triples,
        )

    def _messages(
        self,
        info: ShapeInfo,
        constraint: Constraint,
        violation: Violation,
        focus: Node,
        path: Node | None,
        value: Node | None,
    ) -> dict[str, str]:
        """The most specific message: the query's ?message, else the constraint's (a SPARQL
        constraint's, a validator's or a component's), else the shape's sh:message, else a
        generic one; {?var} and {$var} filled in from the solution and the parameters."""
        literals: list[rdflib.Literal] = (
            [violation.message] if violation.message is not None else []
        )
        if not literals:
            literals = list(constraint.messages) or list(info.messages)
        if not literals:
            return _generic(constraint, focus, path, value)
        bindings = {name: to_rdflib(term) for name, term in violation.bindings.items()}
        messages: dict[str, str] = {}
        for literal in literals:
            messages[literal.language or ""] = _fill(str(literal), bindings)
        if "" in messages and len(messages) > 1:
            del messages[""]
        return messages


def _fill(text: str, values: dict[str, Node]) -> str:
    """``{?var}`` and ``{$var}`` replaced by the variables' values."""
    return re.sub(
        r"\{[?$]([A-Za-z0-9_]+)\}",
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(),
        text,
    )


def _generic(
    constraint: Constraint, focus: Node, path: Node | None, value: Node | None
) -> dict[str, str]:
    """A message for shapes that declare none, in the spirit of pyshacl's."""
    component = shrink(str(constraint.component)).replace("ConstraintComponent", "")
    where = label(focus)
    if path is not None:
        where += "->" + label(path)
    text = f"{component} constraint not satisfied on {where}"
    if isinstance(value, rdflib.Literal):
        suffix = f"@{value.language}" if value.language else ""
        if value.datatype is not None:
            suffix = f"^^{shrink(str(value.datatype))}"
        text += f' (value "{value}"{suffix})'
    elif value is not None:
        text += f" (value {label(value)})"
    return {"": text}
