"""Reading the SPARQL of SHACL-SPARQL queries: tokens, prefixes, and what pre-binding allows.

Queries are judged on their tokens (strings, IRIs, comments and nesting are recognised), never
on text patterns. :func:`expand` resolves prefixed names (5.2.1: the prefixes a query may use
are ``sh:prefixes/owl:imports*/sh:declare`` plus its own PREFIX lines), so a query can be
embedded in another without a prologue. :func:`analyse` applies the rules of the appendix
"Pre-binding of Variables in SPARQL Queries" (no MINUS, SERVICE or VALUES, no ``AS ?var`` for a
pre-bound variable, subqueries project every pre-bound variable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from icpc_kg.errors import ShaclFailure

_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL_CHAR = rf"(?:[\w:]|%[0-9A-Fa-f]{{2}}|{_LOCAL_ESCAPE})"
_LOCAL_MID = rf"(?:[\w.\-:]|%[0-9A-Fa-f]{{2}}|{_LOCAL_ESCAPE})"
_LOCAL_END = rf"(?:[\w\-:]|%[0-9A-Fa-f]{{2}}|{_LOCAL_ESCAPE})"
_TOKEN = re.compile(
    rf"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{{}}|^`\\\s]*>)
    |(?P<var>[\?\$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    |(?P<pname>(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:(?:{_LOCAL_CHAR}(?:{_LOCAL_MID}*{_LOCAL_END})?)?)
    |(?P<blank>_:[\w\-.]*[\w\-])
    |(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    |(?P<open>\{{)
    |(?P<close>\}})
    |(?P<other>\S)""",
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def variable(self) -> str:
        return self.text[1:] if self.kind == "var" else ""


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, comments left out."""
    return [
        Token(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup != "comment"
    ]


def rebuild(text: str, tokens: list[Token], replace: dict[int, str], start: int = 0) -> str:
    """``text`` from token ``start`` on, with the tokens at the indexes of ``replace`` replaced
    and comments left out; the spacing between tokens is kept (``"a"@en`` stays one term)."""
    parts: list[str] = []
    previous_end = tokens[start].start if start < len(tokens) else len(text)
    for index in range(start, len(tokens)):
        token = tokens[index]
        parts.append(_COMMENT.sub(" ", text[previous_end : token.start]))
        parts.append(replace.get(index, token.text))
        previous_end = token.end
    return "".join(parts)


_COMMENT = re.compile(r"#[^\n]*")


def expand(text: str, prefixes: dict[str, str], where: str) -> str:
    """``text`` without its prologue, comments or prefixed names: every prefixed name written
    as a full IRI, using the query's own PREFIX lines and then ``prefixes``."""
    tokens = tokenize(text)
    own: dict[str, str] = {}
    base = ""
    index = 0
    while index < len(tokens):
        word = tokens[index].upper
        if word == "PREFIX" and index + 2 < len(tokens):
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind != "pname" or not name.text.endswith(":") or iri.kind != "iri":
                raise ShaclFailure(f"{where}: malformed PREFIX declaration in the query")
            own[name.text[:-1]] = urljoin(base, iri.text[1:-1])
            index += 3
        elif word == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "iri":
            base = tokens[index + 1].text[1:-1]
            index += 2
        else:
            break
    scope = {**prefixes, **own}
    replace: dict[int, str] = {}
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in scope:
                raise ShaclFailure(
                    f"{where}: the query uses the prefix '{prefix}:', which neither the query "
                    "nor sh:prefixes declares"
                )
            local = re.sub(r"\\(.)", r"\1", local)
            replace[position] = f"<{scope[prefix]}{local}>"
        elif token.kind == "iri" and base:
            replace[position] = f"<{urljoin(base, token.text[1:-1])}>"
    return rebuild(text, tokens, replace, index)


def substitute(text: str, values: dict[str, str]) -> str:
    """``text`` with each variable of ``values`` replaced by a constant (SPARQL syntax): in
    a projection as ``(constant AS ?var)``, in GROUP BY and ORDER BY in parentheses."""
    if not values:
        return text
    tokens = tokenize(text)
    replace: dict[int, str] = {}
    clause = ""  # projection | order | ""
    depth = 0
    for index, token in enumerate(tokens):
        word = token.upper
        if word == "SELECT":
            clause = "projection"
        elif word == "WHERE" or token.kind == "open":
            clause = "" if clause == "projection" else clause
        if word in ("GROUP", "ORDER"):
            clause = "order"
        elif word in ("HAVING", "LIMIT", "OFFSET") or token.kind in ("open", "close"):
            clause = "" if clause == "order" else clause
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        name = token.variable
        if name in values:
            constant = values[name]
            if index >= 2 and tokens[index - 1].text == "(" and tokens[index - 2].upper == "BOUND":
                replace[index - 2] = "sameTerm"  # BOUND(constant) is no SPARQL: always true
                replace[index] = f"{constant}, {constant}"
            elif clause == "projection" and depth == 0:
                replace[index] = f"({constant} AS ?{name})"
            elif clause == "order" and depth == 0:
                replace[index] = f"({constant})"
            else:
                replace[index] = constant
    return rebuild(text, tokens, replace)


def replace_path(text: str, path: str, where: str) -> str:
    """``text`` with ``$PATH`` replaced by the shape's path, where the spec allows it only: in
    the predicate position of a triple pattern."""
    tokens = tokenize(text)
    replace: dict[int, str] = {}
    for index, token in enumerate(tokens):
        if token.variable != "PATH":
            continue
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        subject_before = before is not None and (
            before.kind in ("var", "iri", "pname", "blank") or before.text in ("]", ")", ";")
        )
        object_after = after is not None and (
            after.kind in ("var", "iri", "pname", "blank", "string", "number", "word")
            or after.text in ("[", "(")
        )
        if not (subject_before and object_after):
            raise ShaclFailure(f"{where}: $PATH may only be the predicate of a triple pattern")
        replace[index] = path
    return rebuild(text, tokens, replace)


# --------------------------------------------------------------------------------------------
# Structure: the rules of pre-binding, and where the focus nodes can be joined in
# --------------------------------------------------------------------------------------------


@dataclass
class Analysis:
    """What the engine needs to know about a SELECT or ASK query."""

    form: str  # SELECT | ASK
    projects_this: bool
    projection_at: int  # index in the text just after SELECT [DISTINCT|REDUCED]
    where_open: int  # index just after the WHERE clause's "{"
    where_close: int  # index of the WHERE clause's "}"
    modifiers: bool  # solution modifiers after the WHERE clause
    variables: set[str] = field(default_factory=set)
    star: tuple[int, int] | None = None  # where the top projection's "*" is


@dataclass
class _Frame:
    """A { } group while scanning."""

    kind: str  # where | group | subquery
    parens: int = 0  # open parentheses: inside an expression, not a triple pattern
    in_pattern: set[str] = field(default_factory=set)  # variables in scope (triple patterns)
    projection: set[str] = field(default_factory=set)  # a subquery's projected variables
    projects_all: bool = False  # a subquery's SELECT *


def analyse(text: str, prebound: set[str], where: str) -> Analysis:
    """Check ``text`` (prefixes expanded) against the pre-binding rules for the variables
    ``prebound`` (this, shapesGraph, currentShape, and value or parameters where they apply),
    and find its parts."""
    tokens = tokenize(text)
    form = next(
        (t.upper for t in tokens if t.upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), ""
    )
    if form not in ("SELECT", "ASK"):
        raise ShaclFailure(f"{where}: the query must be a SELECT or ASK query")
    projects_this = form == "ASK"
    where_open = where_close = projection_at = -1
    in_projection = False
    previous = ""
    frames: list[_Frame] = []
    pending_subquery: _Frame | None = None
    variables: set[str] = set()
    star: tuple[int, int] | None = None
    for index, token in enumerate(tokens):
        upper = token.upper
        frame = frames[-1] if frames else None
        if token.kind == "var":
            variables.add(token.variable)
        if upper in ("MINUS", "SERVICE", "VALUES"):
            raise ShaclFailure(f"{where}: SHACL does not allow {upper} in its SPARQL queries")
        if upper == "AS" and index + 1 < len(tokens) and tokens[index + 1].variable in prebound:
            name = tokens[index + 1].variable
            raise ShaclFailure(
                f"{where}: the query may not bind the pre-bound variable ?{name} (AS ?{name})"
            )
        if upper == "SELECT":
            in_projection = True
            if where_open == -1 and projection_at == -1:
                projection_at = token.end
            else:
                pending_subquery = _Frame("subquery")
        elif in_projection and token.kind != "open" and upper != "WHERE":
            if upper in ("DISTINCT", "REDUCED") and previous == "SELECT":
                if pending_subquery is None:
                    projection_at = token.end
            elif pending_subquery is not None:
                if token.text == "*":
                    pending_subquery.projects_all = True
                elif token.kind == "var":
                    pending_subquery.projection.add(token.variable)
            else:
                projects_this = projects_this or token.text == "*" or token.variable == "this"
                if token.text == "*":
                    star = (token.start, token.end)
        elif token.kind == "open":
            in_projection = False
            if where_open == -1:
                where_open = token.end
                frames.append(_Frame("where"))
            elif pending_subquery is not None:
                frames.append(pending_subquery)
                pending_subquery = None
            else:
                frames.append(_Frame("group"))
        elif token.kind == "close" and frames:
            closed = frames.pop()
            if not frames:
                where_close = token.start
            if closed.kind == "subquery":
                _check_subquery(closed, prebound, where)
            if frames:
                frames[-1].in_pattern |= (
                    closed.projection if closed.kind == "subquery" else closed.in_pattern
                )
        elif frame is not None:
            if token.kind == "var" and not frame.parens:
                frame.in_pattern.add(token.variable)
            elif token.text == "(":
                frame.parens += 1
            elif token.text == ")":
                frame.parens -= 1
        previous = upper or token.text
    if where_open == -1 or where_close == -1 or (form == "SELECT" and projection_at == -1):
        raise ShaclFailure(f"{where}: the query has no WHERE clause")
    modifiers = any(t.kind != "close" for t in tokens if t.start > where_close)
    return Analysis(
        form, projects_this, projection_at, where_open, where_close, modifiers, variables, star
    )


def _check_subquery(frame: _Frame, prebound: set[str], where: str) -> None:
    """Subqueries must return every potentially pre-bound variable (shapesGraph and
    currentShape excepted); ``SELECT *`` returns those in scope in it."""
    returned = frame.projection | (frame.in_pattern if frame.projects_all else set())
    missing = sorted(prebound - {"shapesGraph", "currentShape"} - returned)
    if missing:
        names = ", ".join(f"?{name}" for name in missing)
        raise ShaclFailure(f"{where}: a subquery must return the pre-bound variables ({names})")


# --------------------------------------------------------------------------------------------
# EXISTS over several triple patterns: evaluated set-wise by the store
# --------------------------------------------------------------------------------------------

_NOT_IN_LATERAL = {"OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "VALUES", "BIND", "SELECT"}


def lateral_exists(text: str) -> str:
    """``text`` with each ``EXISTS { t1 . t2 ... }`` over plain triple patterns written
    ``EXISTS { t1 . LATERAL { t2 ... } }``: the same solutions (a basic graph pattern is a
    join), but oxigraph then evaluates t2... once t1 has bound their shared variables, where it
    otherwise builds a hash table of all of t2... for every row it tests (oxigraph issue 885),
    which is quadratic in the size of the graph."""
    tokens = tokenize(text)
    edits: list[tuple[int, int]] = []  # where the first triple pattern ends, where the group does
    for index, token in enumerate(tokens):
        if token.text != "{" or index == 0 or tokens[index - 1].upper != "EXISTS":
            continue
        depth = parens = 0
        split = -1
        plain = True
        for inner in tokens[index + 1 :]:
            value, kind = inner.text, inner.kind
            if value == "{":
                depth += 1
                plain = False
            elif value == "}" and depth:
                depth -= 1
            elif value == "}":
                body = text[token.end : inner.start]
                rest = text[split : inner.start] if split != -1 else ""
                starts_with_triple = not rest.lstrip().upper().startswith("FILTER")
                if plain and starts_with_triple and "_:" not in body and rest.strip():
                    edits.append((split, inner.start))
                break
            elif value in "()":
                parens += 1 if value == "(" else -1
            elif value in "[]" or (kind == "word" and value.upper() in _NOT_IN_LATERAL):
                plain = False
            elif split == -1 and (value in ";," or (kind == "word" and value.upper() == "FILTER")):
                plain = False  # the group does not start with one plain triple pattern
            elif split == -1 and value == "." and not parens:
                following = text[inner.end : inner.end + 1]
                plain = plain and (following.isspace() or following in ("", "}"))
                split = inner.end
    for split, end in reversed(edits):
        text = text[:split] + " LATERAL { " + text[split:end] + " } " + text[end:]
    return text
