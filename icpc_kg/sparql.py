"""Reading SPARQL text before running it: its form, how deep it nests, how long its literals
are, whether it would fetch a URL or write, and readable syntax errors.

A lexer skips strings, IRIs and comments as SPARQL defines them (a comment ends at a line feed
*or* a carriage return), so ``SERVICE`` inside a literal is not taken for the keyword and a
bracket inside a string does not count. The lexical facts (form, keywords, nesting, literal
sizes) come from one pass of :func:`inspect_query`; whether the query would make the engine
fetch a URL (``SERVICE``, ``LOAD``) is decided on the parsed query by
:mod:`icpc_kg.sparql_fetch`. :func:`check_read_only_query` does both, once per request,
before a query reaches any engine (embedded or remote), so refused queries are never executed.

Nesting is counted as the query's tree will be deep: one level per bracket, and one per
operator in a chain (``UNION``, ``OPTIONAL``, ``MINUS``, ``FILTER``, ``BIND``, a group after a
group, ``||``, ``&&``, arithmetic, path ``/`` ``|`` ``^``), because the engine builds a chain
of n operators as a tree n deep and evaluates it recursively: 2,500 nested subqueries or
8,000 chained ``+`` overflow pyoxigraph's stack and kill the worker process.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from icpc_kg.errors import QueryTooLargeError, ReadOnlyError, SparqlSyntaxError
from icpc_kg.guards.limits import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_QUERY,
    InputLimits,
    too_deep,
    value_too_large,
)

_TOKEN = re.compile(
    r"""
      (?P<ws>[ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+'''|\"\"\"(?:[^"\\]++|\\.|"(?!""))*+\"\"\"
                |'(?:[^'\\\n\r]++|\\.)*+'|"(?:[^"\\\n\r]++|\\.)*+")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]++|\\[uU])*+>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*)?:[\w\-.:%\u00b7\u00c0-\uffff]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
    | (?P<open>[({\[])
    | (?P<close>[)}\]])
    | (?P<chain>\|\||&&|[-+*/|^])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
# Keywords whose operators the engine chains into a tree one level deeper each.
CHAIN_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES"})


@dataclass(frozen=True)
class QueryInfo:
    """What a SPARQL request is, from its tokens: its form, its bare keywords, how deep its
    tree nests and its longest literal or IRI (in characters)."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE | UNKNOWN
    keywords: frozenset[str]
    depth: int = 0
    longest: int = 0

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def significant_tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of ``text`` other than whitespace and comments, in order; each match's
    ``lastgroup`` names its kind: string, iri, var, pname, word, number, open, close, chain
    or other."""
    return (m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment"))


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` in order, upper-cased, outside strings, IRIs and comments."""
    return [m.group().upper() for m in significant_tokens(text) if m.lastgroup == "word"]


def _form(words: list[str]) -> str:
    for word in words:
        if word in ("PREFIX", "BASE"):
            continue
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return "UPDATE"
        break
    return "UNKNOWN"


def inspect_query(text: str) -> QueryInfo:
    """The form, keywords, nesting depth and longest value of a query or update, in one pass."""
    words: list[str] = []
    chains = [0]  # chained operators at each open bracket level
    depth = deepest = longest = 0
    for match in significant_tokens(text):
        kind = match.lastgroup
        if kind == "open":
            if match.group() == "{":  # a group after a group is joined to it: a chain too
                chains[-1] += 1
                depth += 1
            chains.append(0)
            depth += 1
        elif kind == "close":
            if len(chains) > 1:
                depth -= 1 + chains.pop()
        elif kind == "chain":
            chains[-1] += 1
            depth += 1
        elif kind == "word":
            word = match.group().upper()
            words.append(word)
            if word in CHAIN_KEYWORDS:
                chains[-1] += 1
                depth += 1
        elif kind in ("string", "iri"):
            token = match.group()
            longest = max(longest, len(token))
            if kind == "iri":  # "?a<(((...)))>?b" is an IRI here and an expression there
                deepest = max(deepest, depth + token.count("(") + token.count("["))
        deepest = max(deepest, depth)
    return QueryInfo(_form(words), frozenset(words), deepest, longest)


def check_query_limits(
    text: str,
    limits: InputLimits = DEFAULT_LIMITS,
    max_query: int = DEFAULT_MAX_QUERY,
    source: str = "the query",
) -> QueryInfo:
    """:func:`inspect_query`, refusing a query over ``max_query`` bytes (before reading it),
    nesting over ``limits.max_depth`` or a literal over ``limits.max_literal`` bytes."""
    size = len(text.encode("utf-8"))
    if size > max_query:
        raise QueryTooLargeError(
            f"{source} is {size:,} bytes, over the limit of {max_query:,} bytes "
            "(raise it with --max-query)"
        )
    info = inspect_query(text)
    if info.depth > limits.max_depth:
        raise too_deep(source, info.depth, limits.max_depth)
    if info.longest > limits.max_literal:  # characters; bytes are at least as many
        raise value_too_large(source, info.longest, limits.max_literal)
    return info


def check_update(
    text: str,
    limits: InputLimits = DEFAULT_LIMITS,
    max_query: int = DEFAULT_MAX_QUERY,
    source: str = "the update",
) -> QueryInfo:
    """Refuse a query or update over the limits or one that would make the engine fetch a URL
    (``SERVICE``, ``LOAD``: RefusedQueryError). Its :class:`QueryInfo`."""
    from icpc_kg.sparql_fetch import refuse_fetching

    info = check_query_limits(text, limits, max_query, source)
    refuse_fetching(text)
    return info


def check_read_only_query(
    text: str,
    limits: InputLimits = DEFAULT_LIMITS,
    max_query: int = DEFAULT_MAX_QUERY,
) -> QueryInfo:
    """What a read-only service must never run: :func:`check_update`'s refusals, and updates
    (``ReadOnlyError``)."""
    info = check_update(text, limits, max_query, "the query")
    if info.is_update:
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
