"""String-based constraint components (SHACL 4.4): sh:minLength, sh:maxLength, sh:pattern
(with sh:flags), sh:languageIn, sh:uniqueLang.

Lengths and patterns apply to ``STR(?v)`` (a blank node always fails them), patterns are
SPARQL's REGEX (XPath regular expressions), language ranges are matched by ``langMatches``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.shacl.constraints.base import (
    Builder,
    Condition,
    Constraint,
    Context,
    ValueTest,
    Violation,
    leaf,
)
from icpc_kg.shacl.run import Focus
from icpc_kg.shacl.shapes import ShapeInfo, is_true, label, rdf_list

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator
    from icpc_kg.shacl.plan import Plan

_PYTHON_FLAGS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}


def _string(text: str) -> str:
    return str(ox.Literal(text))


def _lexical(term: Any) -> str | None:
    """``STR(term)``; None for a blank node."""
    if isinstance(term, ox.BlankNode):
        return None
    return str(term.value)


@dataclass
class LengthConstraint(ValueTest):
    limit: int = 0
    minimum: bool = True

    def condition(self, plan: Plan) -> Condition:
        operator = ">=" if self.minimum else "<="
        expression = f"(!isBlank(?v) && STRLEN(STR(?v)) {operator} {self.limit})"

        def judge(written: Any, _stored: Any, _ev: Evaluator) -> bool:
            text = _lexical(written)
            if text is None:
                return False
            return len(text) >= self.limit if self.minimum else len(text) <= self.limit

        return leaf(expression, {}, judge)


@dataclass
class PatternConstraint(ValueTest):
    flags: str = ""

    def condition(self, plan: Plan) -> Condition:
        pattern = str(self.value)
        arguments = f"STR(?v), {_string(pattern)}" + (
            f", {_string(self.flags)}" if self.flags else ""
        )
        expression = f"(!isBlank(?v) && REGEX({arguments}))"
        python = _python_regex(pattern, self.flags)

        def judge(written: Any, _stored: Any, _ev: Evaluator) -> bool:
            text = _lexical(written)
            return text is not None and python.search(text) is not None

        return leaf(expression, {}, judge)


def _python_regex(pattern: str, flags: str) -> re.Pattern[str]:
    """The pattern for Python's ``re``, used only for literals the store keeps rewritten."""
    if "q" in flags:
        pattern = re.escape(pattern)
    value = 0
    for flag in flags:
        value |= _PYTHON_FLAGS.get(flag, 0)
    try:
        return re.compile(pattern, value)
    except re.error:
        return re.compile(re.escape(pattern), value)


def _valid_regex(pattern: str, flags: str, where: str) -> None:
    """A failure for a pattern or flags SPARQL's REGEX does not accept (it would otherwise
    make every value a result)."""
    arguments = f"'', {_string(pattern)}" + (f", {_string(flags)}" if flags else "")
    solutions = ox.Store().query(f"SELECT (REGEX({arguments}) AS ?ok) WHERE {{}}")
    assert isinstance(solutions, ox.QuerySolutions)
    if next(iter(solutions))[0] is None:
        raise ShaclFailure(
            f"{where}: sh:pattern {pattern!r} (flags {flags!r}) is not a valid regular expression"
        )


@dataclass
class LanguageInConstraint(ValueTest):
    ranges: tuple[str, ...] = ()

    def condition(self, plan: Plan) -> Condition:
        matches = " || ".join(f"langMatches(LANG(?v), {_string(r)})" for r in self.ranges)
        expression = f"(isLiteral(?v) && ({matches or 'false'}))"

        def judge(written: Any, _stored: Any, _ev: Evaluator) -> bool:
            tag = written.language if isinstance(written, ox.Literal) else None
            return tag is not None and any(_lang_matches(tag, r) for r in self.ranges)

        return leaf(expression, {}, judge)


def _lang_matches(tag: str, language_range: str) -> bool:
    """RFC 4647 basic filtering, as SPARQL's langMatches."""
    tag, language_range = tag.lower(), language_range.lower()
    if language_range == "*":
        return bool(tag)
    return tag == language_range or tag.startswith(language_range + "-")


@dataclass
class UniqueLangConstraint(Constraint):
    """sh:uniqueLang true: one result per language tag that two value nodes share."""

    def violations(
        self, ev: Evaluator, shape: ShapeInfo, focus: Focus, only_focus: bool
    ) -> Iterator[Violation]:
        assert shape.path is not None
        query = (
            f"SELECT ?this ?lang WHERE {{ {focus.values(shape.path)} "
            f'FILTER (isLiteral(?v) && LANG(?v) != "") BIND (LCASE(LANG(?v)) AS ?lang) }} '
            f"GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1)"
        )
        for this in ev.select(query, focus).column("this"):
            yield Violation(this, None)


def _length(ctx: Context, value: Node, minimum: bool) -> list[Constraint]:
    parameter = SH.minLength if minimum else SH.maxLength
    if not isinstance(value, rdflib.Literal) or value.datatype != XSD.integer:
        raise ShaclFailure(f"{label(ctx.shape.node)}: {label(parameter)} must be an xsd:integer")
    component = SH.MinLengthConstraintComponent if minimum else SH.MaxLengthConstraintComponent
    return [LengthConstraint(component, parameter, value, limit=int(str(value)), minimum=minimum)]


def _pattern(ctx: Context, value: Node) -> list[Constraint]:
    where = label(ctx.shape.node)
    flags_values = ctx.values(SH.flags)
    if len(flags_values) > 1 or not isinstance(value, rdflib.Literal):
        raise ShaclFailure(f"{where}: sh:pattern must be a string, with at most one sh:flags")
    flags = str(flags_values[0]) if flags_values else ""
    _valid_regex(str(value), flags, where)
    return [PatternConstraint(SH.PatternConstraintComponent, SH.pattern, value, flags=flags)]


def _language_in(ctx: Context, value: Node) -> list[Constraint]:
    ranges = tuple(str(r) for r in rdf_list(ctx.g, value, label(ctx.shape.node)))
    return [
        LanguageInConstraint(SH.LanguageInConstraintComponent, SH.languageIn, value, ranges=ranges)
    ]


def _unique_lang(ctx: Context, value: Node) -> list[Constraint]:
    if ctx.path is None or not is_true(value):
        return []  # only "true" itself activates it; node shapes have no sh:uniqueLang
    return [UniqueLangConstraint(SH.UniqueLangConstraintComponent, SH.uniqueLang, value)]


BUILDERS: dict[Node, Builder] = {
    SH.minLength: lambda ctx, value: _length(ctx, value, True),
    SH.maxLength: lambda ctx, value: _length(ctx, value, False),
    SH.pattern: _pattern,
    SH.languageIn: _language_in,
    SH.uniqueLang: _unique_lang,
}
