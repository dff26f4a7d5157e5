"""Would a SPARQL query or update make the engine fetch a URL? Decided on the parsed query.

pyoxigraph dereferences ``SERVICE`` IRIs and ``LOAD`` sources itself (0.5.13 has no option to
turn that off), and an external store may do the same, so a query that would fetch anything is
refused before it reaches an engine. The decision is made on the query's syntax tree as
rdflib's SPARQL 1.1 parser builds it (a ``ServiceGraphPattern`` anywhere: in a subquery,
``OPTIONAL``, ``UNION``, ``MINUS``, ``EXISTS``, ``SERVICE SILENT``, ``SERVICE ?var``; a
``Load`` operation in an update), never on a search through the text, which a comment ended by
a carriage return or a keyword written with escapes would slip past.

Parsing costs rdflib 40-90 ms for a typical query, so it is done only when it can matter: a
query whose text contains neither ``service`` nor ``load`` (in any case, also after SPARQL
1.1's ``\\u`` escapes are expanded) cannot hold either keyword, and needs no parse. Two readings
are parsed when the text has escapes: SPARQL 1.1's, which expands them everywhere (rdflib,
Jena), and pyoxigraph's, which reads them only inside strings and IRIs. A query that mentions
``service`` or ``load`` and does not parse in some reading is refused too: what cannot be
checked is not run.

Before parsing, a carriage return is read as a line feed: in SPARQL both end a comment (rdflib
ends comments only at a line feed), and elsewhere they are the same white space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from icpc_kg.errors import RefusedQueryError

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FETCHING = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def _expand(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()


def _readings(text: str) -> list[str]:
    """The texts to parse: the query as written (rdflib expands ``\\u`` escapes everywhere, as
    SPARQL 1.1 says) and, when it has escapes, the query with each escape replaced by a plain
    letter (pyoxigraph's reading: escapes stand for one character inside strings and IRIs, and
    are not keywords anywhere)."""
    readings = [text]
    if _ESCAPE.search(text):
        readings.append(_ESCAPE.sub("a", text))
    return [reading.replace("\r", "\n") for reading in readings]


class _Unparsable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _parse(text: str) -> Any:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    errors = []
    for parse in (parseQuery, parseUpdate):
        try:
            return parse(text)
        except ParseBaseException as error:
            errors.append(error)
        except RecursionError:
            raise _Unparsable(
                "is too complex to check that it fetches nothing; split it into smaller queries"
            ) from None
    furthest = max(errors, key=lambda e: (e.lineno, e.col))
    raise _Unparsable(
        f"does not parse as SPARQL 1.1 at line {furthest.lineno}, column {furthest.col}, "
        "so it cannot be checked to fetch nothing"
    )


def _walk(tree: Any) -> Iterable[str]:
    """The fetching operations (``SERVICE``, ``LOAD``) anywhere in an rdflib parse tree."""
    stack = [tree]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if isinstance(name, str) and name in _FETCHING:
            yield _FETCHING[name]
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _mentions(text: str) -> bool:
    # upper() folds as the parsers' case-insensitive keywords do (U+017F long s is an S).
    upper = text.upper()
    return "SERVICE" in upper or "LOAD" in upper


def mentions_fetching(text: str) -> bool:
    """Whether ``text`` could hold ``SERVICE`` or ``LOAD`` at all (if not, no parse is
    needed): the words appear in it, in any case, as written or after ``\\u`` escapes."""
    if _mentions(text):
        return True
    return ("\\u" in text or "\\U" in text) and _mentions(_ESCAPE.sub(_expand, text))


def fetching_operations(text: str) -> list[str]:
    """``SERVICE`` and/or ``LOAD`` when the query or update would fetch a URL, else [].
    RefusedQueryError when it mentions either and some reading of it cannot be parsed."""
    if not mentions_fetching(text):
        return []
    found: set[str] = set()
    unparsable: _Unparsable | None = None
    for reading in _readings(text):
        try:
            found.update(_walk(_parse(reading)))
        except _Unparsable as failure:
            unparsable = failure
    if not found and unparsable is not None:
        raise RefusedQueryError(
            f"the query mentions 'service' or 'load' and {unparsable.message} (this endpoint "
            "never fetches other URLs)"
        )
    return sorted(found)


def refuse_fetching(text: str) -> None:
    """RefusedQueryError (400) when the query or update would fetch a URL."""
    found = fetching_operations(text)
    if found:
        raise RefusedQueryError(
            f"{' and '.join(found)} is refused: this endpoint never fetches other URLs"
        )
