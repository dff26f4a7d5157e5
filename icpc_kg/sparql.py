"""Reading SPARQL text before running it: its form, whether it would fetch a URL or write,
and readable syntax errors.

A small tokenizer skips strings, IRIs and comments, so ``SERVICE`` inside a literal or an IRI
is not mistaken for the keyword and a keyword cannot hide from the check. This runs before a
query reaches any engine (embedded or remote), so refused queries are never executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from icpc_kg.errors import ReadOnlyError, RefusedQueryError, SparqlSyntaxError

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*)?:[\w\-.:%\u00b7\u00c0-\uffff]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class QueryInfo:
    """What a SPARQL request is, from its keywords."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE | UNKNOWN
    keywords: frozenset[str]

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def significant_tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of ``text`` other than whitespace and comments, in order; each match's
    ``lastgroup`` names its kind: string, iri, var, pname, word or other."""
    return (m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment"))


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` in order, upper-cased, outside strings, IRIs and comments."""
    return [m.group().upper() for m in significant_tokens(text) if m.lastgroup == "word"]


def inspect_query(text: str) -> QueryInfo:
    """The form of a query or update, from its first significant keyword."""
    words = keywords(text)
    form = "UNKNOWN"
    for word in words:
        if word in ("PREFIX", "BASE"):
            continue
        if word in QUERY_FORMS:
            form = word
        elif word in UPDATE_KEYWORDS:
            form = "UPDATE"
        break
    return QueryInfo(form, frozenset(words))


def check_read_only_query(text: str) -> QueryInfo:
    """Refuse what a read-only service must never run: updates (``ReadOnlyError``) and
    anything that would make the engine fetch a URL (``SERVICE``, ``LOAD``)."""
    info = inspect_query(text)
    if "SERVICE" in info.keywords:
        raise RefusedQueryError(
            "SERVICE (federated query) is refused: this endpoint never fetches other URLs"
        )
    if info.is_update or "LOAD" in info.keywords:
        raise ReadOnlyError("this service is read-only: SPARQL Update is not accepted here")
    return info


_POSITION = re.compile(r"\b(?:at|error at) (\d+):(\d+)")
_FOUND = re.compile(r"^(?P<expected>.*?),? found (?P<found>'.*?'|end of text)", re.DOTALL)


def syntax_error(error: Exception, text: str) -> SparqlSyntaxError:
    """A :class:`SparqlSyntaxError` with 1-based line:column and the offending token.

    pyoxigraph reports the furthest point its parser reached (often the end of the query), so
    the position and token come from rdflib's parser, which stops where the grammar first
    fails; pyoxigraph's own message is the fallback.
    """
    located = _locate_with_rdflib(text)
    if located is not None:
        return located
    message = str(error.args[0] if error.args else error)
    match = _POSITION.search(message)
    if not match:
        return SparqlSyntaxError(message)
    line, column = int(match.group(1)), int(match.group(2))
    detail = message[match.end() :].lstrip(": ").strip() or message
    return SparqlSyntaxError(detail, line, column, token_at(text, line, column))


def _locate_with_rdflib(text: str) -> SparqlSyntaxError | None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    parse = parseUpdate if inspect_query(text).is_update else parseQuery
    try:
        parse(text)
    except ParseBaseException as error:
        found = _FOUND.match(str(error.msg))
        expected = found.group("expected") if found else str(error.msg)
        token = token_at(text, error.lineno, error.col)
        what = f"unexpected {token!r}" if token else "unexpected end of query"
        return SparqlSyntaxError(f"{what} ({expected.strip()})", error.lineno, error.col, token)
    except Exception:  # rdflib accepted or failed differently: keep pyoxigraph's message
        return None
    return None


def token_at(text: str, line: int, column: int) -> str | None:
    """The token starting at 1-based ``line``:``column`` of ``text`` (None at the end)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    rest = lines[line - 1][max(column - 1, 0) :]
    if not rest.strip():
        return None
    match = _TOKEN.match(rest.lstrip())
    return match.group(0) if match else rest.split()[0]
