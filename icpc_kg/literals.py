"""Literals as written: which ones pyoxigraph's Store changes, whether a literal is well-typed,
and a registry that gives the written forms back.

pyoxigraph's ``Store`` keeps literals of the XSD datatypes it knows as values, not as text
(oxigraph issue 526): ``"4.0"^^xsd:decimal`` comes back ``"4"``, ``"01"^^xsd:integer`` as
``"1"``, ``"5"^^xsd:nonNegativeInteger`` and even an ill-typed ``"300"^^xsd:byte`` as
``xsd:integer``, ``"1"^^xsd:boolean`` as ``"true"``, ``"P12M"^^xsd:duration`` as ``"P1Y"``.
Two literals the store takes for the same value (``"4.0"`` and ``"4.00"``) even become one
triple. Queries are right to compare values, but every output (dumps, exports, descriptions,
validation verdicts) must show the literal as written, and an ill-typed literal must be
reported, not retyped.

    originals = LiteralOriginals()
    originals.record(quads)            # before store.extend(quads)
    store.extend(quads)
    written = list(originals.restore(store.quads_for_pattern(None, None, None, None)))

    well_typed(ox.Literal("300", datatype=XSD_BYTE))   # False
    well_typed(ox.Literal("x", datatype=UNKNOWN))      # None: not an XSD datatype we know

The lexical spaces are data (``tables/xsd-lexical.json``); which literals the store changes is
not guessed but observed, by passing them through a scratch store.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_TABLE = Path(__file__).resolve().parent / "tables" / "xsd-lexical.json"
_SCRATCH_SUBJECT = "urn:icpc-kg:literal:"
_SCRATCH_PREDICATE = ox.NamedNode("urn:icpc-kg:literal")
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_YEAR_MONTH_DAY = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)")


@cache
def _table() -> tuple[dict[str, re.Pattern[str]], dict[str, tuple[int | None, int | None]]]:
    table = json.loads(_TABLE.read_text(encoding="utf-8"))
    patterns = {name: re.compile(rf"(?:{rx})\Z") for name, rx in table["patterns"].items()}
    bounds = {name: (low, high) for name, (low, high) in table["integer_bounds"].items()}
    return patterns, bounds


def known_datatypes() -> frozenset[str]:
    """The XSD datatype IRIs whose lexical space this module checks."""
    patterns, bounds = _table()
    return frozenset(XSD + name for name in (*patterns, *bounds))


def well_typed(literal: ox.Literal) -> bool | None:
    """Whether ``literal``'s lexical form lies in its datatype's lexical space (and, for the
    bounded integer types, its value within their bounds); None for a datatype not checked
    here (strings, language strings, non-XSD datatypes count as well-typed: True)."""
    datatype = literal.datatype.value
    if literal.language or datatype in (XSD + "string", _RDF_LANGSTRING):
        return True
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD) :]
    patterns, bounds = _table()
    lexical = literal.value
    if name in bounds:
        if not patterns["integer"].match(lexical):
            return False
        low, high = bounds[name]
        number = int(lexical)
        return (low is None or number >= low) and (high is None or number <= high)
    pattern = patterns.get(name)
    if pattern is None:
        return None
    if not pattern.match(lexical):
        return False
    if name in ("date", "dateTime", "dateTimeStamp"):
        return _real_day(lexical)
    return True


def _real_day(lexical: str) -> bool:
    """31 April and 29 February of a common year match the pattern but are no date."""
    found = _YEAR_MONTH_DAY.match(lexical)
    if found is None:
        return False
    year, month, day = (int(part) for part in found.groups())
    # XSD years are proleptic Gregorian; calendar.isleap follows the same rule for any year.
    days = 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]
    return day <= days


def _may_change(literal: ox.Literal) -> bool:
    return not literal.language and literal.datatype.value.startswith(XSD)


def store_forms(literals: Iterable[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """For each literal the Store would keep differently, what it keeps instead."""
    candidates = list(dict.fromkeys(lit for lit in literals if _may_change(lit)))
    if not candidates:
        return {}
    scratch = ox.Store()
    scratch.extend(
        ox.Quad(ox.NamedNode(f"{_SCRATCH_SUBJECT}{index}"), _SCRATCH_PREDICATE, literal)
        for index, literal in enumerate(candidates)
    )
    changed: dict[ox.Literal, ox.Literal] = {}
    for quad in scratch.quads_for_pattern(None, _SCRATCH_PREDICATE, None, None):
        assert isinstance(quad.subject, ox.NamedNode)
        index = int(quad.subject.value[len(_SCRATCH_SUBJECT) :])
        stored = quad.object
        if stored != candidates[index]:
            assert isinstance(stored, ox.Literal)
            changed[candidates[index]] = stored
    return changed


class LiteralOriginals:
    """The literals as written for every quad whose object the Store changes.

    Keys are the quads as the store holds them; values the written objects (several when the
    store merged literals it takes for one value). Only changed literals are kept, so for data
    written in canonical forms the registry stays empty and costs nothing.
    """

    def __init__(self) -> None:
        self._by_quad: dict[ox.Quad, list[ox.Literal]] = {}
        self._by_term: dict[ox.Literal, set[ox.Literal]] = {}

    def __len__(self) -> int:
        return len(self._by_quad)

    def record(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        """Remember the written objects of ``quads``; returns the quads (as a list) so a caller
        can record and insert in one pass: ``store.extend(originals.record(quads))``."""
        quads = list(quads)
        forms = store_forms(q.object for q in quads if isinstance(q.object, ox.Literal))
        for quad in quads:
            written = quad.object
            if not isinstance(written, ox.Literal) or written not in forms:
                continue
            stored = forms[written]
            key = ox.Quad(quad.subject, quad.predicate, stored, quad.graph_name)
            kept = self._by_quad.setdefault(key, [])
            if written not in kept:
                kept.append(written)
            self._by_term.setdefault(stored, set()).add(written)
        return quads

    def forget_graph(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> None:
        """Drop what was recorded for ``graph`` (before the graph is replaced)."""
        for key in [k for k in self._by_quad if k.graph_name == graph]:
            del self._by_quad[key]
        self._by_term = {}
        for key, written in self._by_quad.items():
            assert isinstance(key.object, ox.Literal)
            self._by_term.setdefault(key.object, set()).update(written)

    def written(self, quad: ox.Quad) -> list[ox.Literal] | None:
        """The written objects of a stored quad, or None if the store kept it as written."""
        return self._by_quad.get(quad)

    def restore(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """The quads as written: each stored quad, or the written quads it stands for."""
        for quad in quads:
            written = self._by_quad.get(quad) if self._by_quad else None
            if written is None:
                yield quad
                continue
            for literal in written:
                yield ox.Quad(quad.subject, quad.predicate, literal, quad.graph_name)

    def forms(self, stored: ox.Literal) -> frozenset[ox.Literal]:
        """Every written literal the store keeps as ``stored`` (empty if none was changed)."""
        return frozenset(self._by_term.get(stored, ()))

    def stored_literals(self) -> dict[ox.Literal, frozenset[ox.Literal]]:
        """Each literal as the store keeps it that stands for literals written otherwise."""
        return {stored: frozenset(written) for stored, written in self._by_term.items()}

    def restore_term(self, term: Term) -> Term:
        """A term as written where that is certain: a stored literal that stands for exactly
        one written literal in the whole dataset; anything else unchanged (a query result may
        be a computed value, or one of several written forms)."""
        if not isinstance(term, ox.Literal) or not self._by_term:
            return term
        written = self._by_term.get(term)
        if written is not None and len(written) == 1:
            return next(iter(written))
        return term
