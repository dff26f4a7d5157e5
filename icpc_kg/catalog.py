"""Named queries: the ``.rq`` files of ``queries/`` and the header that describes each one.

The header convention is stated in ``queries/README.md``. In short, a named query starts with

    # title: Events by year, with place
    # description: Every event with its start date, kind and place, oldest first.
    # param: year (gYear, optional) — only events starting in this year

and :func:`bind_parameters` turns typed parameter values into the SPARQL to run. Values never
become query text as typed: each is checked against its declared type, written as an escaped
RDF term, and joined to the query through a ``VALUES ?name { term }`` block placed first in the
query's top-level ``WHERE { ... }`` group. A parameter left unset adds nothing, so the variable
stays free and the query is unrestricted on it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from icpc_kg.errors import ParameterError, ProjectError, QueryError, UnknownQueryError
from icpc_kg.sparql import QUERY_FORMS, inspect_query, significant_tokens
from icpc_kg.vocab import PREFIXES

QUERY_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
XSD = "http://www.w3.org/2001/XMLSchema#"

# =============================================================================================
# Parameter types
# =============================================================================================

_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")
_CURIE_RE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_\-]*):(?P<local>[^\x00-\x20<>\"{}|^`\\]*)$")
# IRI schemes without "//" that a bare IRI may use; "x:y" in any other is taken as a prefix.
_SCHEMES = frozenset({"urn", "mailto", "tag", "doi", "info", "data"})
_LANG_RE = re.compile(r"^(?P<text>.*)@(?P<lang>[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$", re.DOTALL)


def _escape(text: str) -> str:
    """``text`` as the inside of a SPARQL "..." string.

    Only ECHAR escapes are written, never ``\\u`` ones: some engines decode ``\\u`` escapes
    before tokenising, which would turn an escaped quote back into a real one.
    """
    if _CONTROL_RE.search(text):
        raise ValueError("control characters are not allowed")
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _typed(lexical: str, datatype: str) -> str:
    return f'"{_escape(lexical)}"^^<{XSD}{datatype}>'


def _pattern_term(
    pattern: str, datatype: str, check: Callable[[str], object] | None = None
) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def parse(raw: str) -> str:
        if not compiled.match(raw):
            raise ValueError()
        if check is not None:
            check(raw)
        return _typed(raw, datatype)

    return parse


def _integer_term(raw: str) -> str:
    if not re.fullmatch(r"[+-]?[0-9]+", raw):
        raise ValueError()
    return _typed(str(int(raw)), "integer")


def _boolean_term(raw: str) -> str:
    value = {"true": "true", "1": "true", "false": "false", "0": "false"}.get(raw.lower())
    if value is None:
        raise ValueError()
    return _typed(value, "boolean")


def _string_term(raw: str) -> str:
    return f'"{_escape(raw)}"'


def _lang_string_term(raw: str) -> str:
    match = _LANG_RE.match(raw)
    if match is None:
        return _string_term(raw)
    return f'"{_escape(match["text"])}"@{match["lang"].lower()}'


def expand_iri(raw: str) -> str:
    """The absolute IRI that ``raw`` names: ``<iri>``, a bare absolute IRI, or a prefixed
    name with one of the project's prefixes (``id:place/montreal``). Raises ValueError."""
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        curie = _CURIE_RE.match(text)
        if curie and curie["prefix"] in PREFIXES:
            text = PREFIXES[curie["prefix"]] + curie["local"]
        elif curie and not curie["local"].startswith("//") and curie["prefix"] not in _SCHEMES:
            # Most likely a mistyped prefix, not an IRI in an unusual scheme.
            raise ValueError(
                f"unknown prefix '{curie['prefix']}:'; use a project prefix such as id: or "
                "icpc:, or write <...> around a full IRI"
            )
    if not _IRI_RE.match(text):
        raise ValueError()
    ox.NamedNode(text)  # full RFC 3987 check; raises ValueError
    return text


def _iri_term(raw: str) -> str:
    return f"<{expand_iri(raw)}>"


def _json_number(raw: str) -> int | float:
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw else number


@dataclass(frozen=True)
class ParamType:
    """A type a parameter can declare: how to check a value and how to describe it."""

    name: str
    expects: str  # completes "parameter 'x' expects ..."
    to_term: Callable[[str], str]  # raw value -> SPARQL term text; raises ValueError
    schema: Mapping[str, Any]  # JSON Schema of the raw value
    to_json: Callable[[str], Any] = str  # raw value -> JSON value (for defaults, examples)


_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}" + _TZ + "$"
_DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?" + _TZ + "$"
_GYEAR_RE = r"^[0-9]{4}" + _TZ + "$"
_GYEARMONTH_RE = r"^[0-9]{4}-(?:0[1-9]|1[0-2])" + _TZ + "$"
_DECIMAL_RE = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"

PARAM_TYPES: dict[str, ParamType] = {
    t.name: t
    for t in (
        ParamType("string", "a string like Montreal", _string_term, {"type": "string"}),
        ParamType(
            "langString",
            "a string, optionally with a language tag, like Montréal@fr",
            _lang_string_term,
            {"type": "string"},
        ),
        ParamType(
            "integer",
            "an xsd:integer like 3",
            _integer_term,
            {"type": "integer"},
            int,
        ),
        ParamType(
            "decimal",
            "an xsd:decimal like 2.5",
            _pattern_term(_DECIMAL_RE, "decimal"),
            {"type": "number"},
            _json_number,
        ),
        ParamType(
            "boolean",
            "an xsd:boolean (true or false)",
            _boolean_term,
            {"type": "boolean"},
            lambda raw: raw.lower() in ("true", "1"),
        ),
        ParamType(
            "date",
            "an xsd:date like 2018-02-28",
            _pattern_term(_DATE_RE, "date", lambda raw: date.fromisoformat(raw[:10])),
            {"type": "string", "pattern": _DATE_RE},
        ),
        ParamType(
            "dateTime",
            "an xsd:dateTime like 2018-02-28T10:00:00-05:00",
            _pattern_term(_DATETIME_RE, "dateTime", lambda raw: datetime.fromisoformat(raw[:19])),
            {"type": "string", "pattern": _DATETIME_RE},
        ),
        ParamType(
            "gYear",
            "an xsd:gYear like 1999",
            _pattern_term(_GYEAR_RE, "gYear"),
            {"type": "string", "pattern": _GYEAR_RE},
        ),
        ParamType(
            "gYearMonth",
            "an xsd:gYearMonth like 1998-11",
            _pattern_term(_GYEARMONTH_RE, "gYearMonth"),
            {"type": "string", "pattern": _GYEARMONTH_RE},
        ),
        ParamType(
            "iri",
            "an IRI like <https://w3id.org/icpc-kg/id/place/montreal> or id:place/montreal",
            _iri_term,
            {"type": "string", "format": "iri"},
        ),
    )
}
# Spellings a header may use for the same type.
_TYPE_ALIASES = {
    **{f"xsd:{name}": name for name in PARAM_TYPES if name not in ("iri", "langString")},
    "rdf:langString": "langString",
    "IRI": "iri",
}


def param_type(name: str) -> ParamType | None:
    return PARAM_TYPES.get(_TYPE_ALIASES.get(name, name))


# =============================================================================================
# The model
# =============================================================================================


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter; ``default`` and ``example`` are raw values, as a user types them."""

    name: str
    type: str  # a key of PARAM_TYPES
    required: bool
    default: str | None
    description: str
    example: str | None = None

    @property
    def param_type(self) -> ParamType:
        return PARAM_TYPES[self.type]

    def term(self, raw: str) -> str:
        """``raw`` as a SPARQL term, or ParameterError saying what this parameter expects."""
        try:
            return self.param_type.to_term(raw)
        except ValueError as error:
            shown = raw if len(raw) <= 80 else raw[:77] + "..."
            reason = f" ({error})" if str(error) else ""
            raise ParameterError(
                f"parameter {self.name!r} expects {self.param_type.expects}, got {shown!r}{reason}"
            ) from None

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of this parameter's value (for an OpenAPI parameter object)."""
        schema: dict[str, Any] = dict(self.param_type.schema)
        schema["description"] = self.description
        if self.default is not None:
            schema["default"] = self.param_type.to_json(self.default)
        if self.example is not None:
            schema["examples"] = [self.param_type.to_json(self.example)]
        return schema


@dataclass(frozen=True)
class NamedQuery:
    """A query file and what its header says about it."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    sparql: str
    kind: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    path: Path | None = None
    # Offset just inside the top-level ``WHERE {``; None when the query has no parameters.
    bind_at: int | None = None

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)

    def json_schema(self) -> dict[str, Any]:
        """All parameters as one JSON Schema object (for a request body or a form)."""
        return {
            "type": "object",
            "properties": {p.name: p.json_schema() for p in self.params},
            "required": [p.name for p in self.params if p.required],
            "additionalProperties": False,
        }


# =============================================================================================
# Where a query uses its variables and where parameters are bound
# =============================================================================================


@dataclass(frozen=True)
class _Shape:
    variables: frozenset[str]  # every ?name / $name used, without the sigil
    assigned: frozenset[str]  # variables introduced by `AS ?name`
    bind_at: int | None  # offset just after the top-level `WHERE {`


def _shape(text: str) -> _Shape:
    variables: set[str] = set()
    assigned: set[str] = set()
    bind_at: int | None = None
    depth = 0
    previous = ""
    for token in significant_tokens(text):
        word = token.group()
        if token.lastgroup == "var":
            variables.add(word[1:])
            if previous.upper() == "AS":
                assigned.add(word[1:])
        elif word == "{":
            if depth == 0 and bind_at is None and previous.upper() == "WHERE":
                bind_at = token.end()
            depth += 1
        elif word == "}":
            depth -= 1
        previous = word
    return _Shape(frozenset(variables), frozenset(assigned), bind_at)


# =============================================================================================
# Reading the header
# =============================================================================================

HEADER_FIELDS = ("title", "description", "param")
_FIELD_RE = re.compile(r"^# (?P<key>[A-Za-z_]+):(?P<value>.*)$")
_CONTINUATION_RE = re.compile(r"^#[ \t]{2,}(?P<text>\S.*)$")
_BLANK_RE = re.compile(r"^#\s*$")
_PARAM_HEAD_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\(")
_SEPARATOR_RE = re.compile(r"^\s*(?:—|–|--)\s*(?P<description>\S.*)$", re.DOTALL)
_TYPE_RE = re.compile(r"\s*(?P<type>[A-Za-z][A-Za-z:]*)\s*")
_FLAG_RE = re.compile(r"\s*(?P<flag>required|optional|default:|example:|[A-Za-z][\w:]*)?\s*")
PARAM_FLAGS = ("required", "optional", "default:", "example:")


class _HeaderError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Field:
    key: str
    value: str
    line: int


def _header_fields(lines: list[str]) -> list[_Field]:
    fields: list[_Field] = []
    for number, line in enumerate(lines, start=1):
        line = line.rstrip()
        if _BLANK_RE.match(line):
            continue
        field = _FIELD_RE.match(line)
        if field is not None:
            key = field["key"]
            if key not in HEADER_FIELDS:
                raise _HeaderError(
                    number,
                    f"unknown header field {key!r}; a header has title, description and param",
                )
            fields.append(_Field(key, field["value"].strip(), number))
            continue
        continuation = _CONTINUATION_RE.match(line)
        if continuation is not None and fields:
            fields[-1].value = f"{fields[-1].value} {continuation['text'].strip()}".strip()
            continue
        raise _HeaderError(
            number,
            "expected '# field: value' (title, description or param) or an indented "
            f"continuation line, got {line!r}",
        )
    return fields


def _read_value(text: str, pos: int, line: int, flag: str) -> tuple[str, int]:
    """A flag's value at ``pos``: a JSON string, an <IRI>, or bare text up to ',' or ')'."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if text.startswith('"', pos):
        try:
            value, end = json.JSONDecoder().raw_decode(text, pos)
        except json.JSONDecodeError as error:
            raise _HeaderError(line, f"bad quoted value after {flag}: {error.msg}") from None
        return str(value), end
    if text.startswith("<", pos):
        end = text.find(">", pos)
        if end < 0:
            raise _HeaderError(line, f"unclosed <IRI> after {flag}")
        return text[pos : end + 1], end + 1
    end = pos
    while end < len(text) and text[end] not in ",)":
        end += 1
    value = text[pos:end].strip()
    if not value:
        raise _HeaderError(line, f"{flag} needs a value")
    return value, end


def _parse_param(value: str, line: int) -> QueryParam:
    head = _PARAM_HEAD_RE.match(value)
    if head is None:
        raise _HeaderError(
            line,
            "expected '# param: name (type[, required|optional|default: value]) — description'",
        )
    name = head["name"]
    pos = head.end()
    type_match = _TYPE_RE.match(value, pos)
    declared = param_type(type_match["type"]) if type_match else None
    if type_match is None or declared is None:
        shown = type_match["type"] if type_match else value[pos:]
        raise _HeaderError(
            line,
            f"parameter {name!r}: unknown type {shown!r}; use one of " + ", ".join(PARAM_TYPES),
        )
    pos = type_match.end()
    flags: dict[str, str | None] = {}
    while value.startswith(",", pos):
        flag_match = _FLAG_RE.match(value, pos + 1)
        assert flag_match is not None  # every part of the pattern is optional
        flag = flag_match["flag"] or ""
        if flag not in PARAM_FLAGS:
            raise _HeaderError(
                line,
                f"parameter {name!r}: unknown flag {flag!r}; use required, optional, "
                "default: value or example: value",
            )
        if flag in flags:
            raise _HeaderError(line, f"parameter {name!r}: {flag} given twice")
        pos = flag_match.end()
        if flag.endswith(":"):
            flags[flag], pos = _read_value(value, pos, line, flag)
            while pos < len(value) and value[pos].isspace():
                pos += 1
        else:
            flags[flag] = None
    if not value.startswith(")", pos):
        raise _HeaderError(line, f"parameter {name!r}: expected ',' or ')' at {value[pos:]!r}")
    separator = _SEPARATOR_RE.match(value[pos + 1 :])
    if separator is None:
        raise _HeaderError(
            line, f"parameter {name!r}: expected ' — description' after the parentheses"
        )
    default = flags.get("default:")
    if "required" in flags and ("optional" in flags or default is not None):
        raise _HeaderError(line, f"parameter {name!r} cannot be required and optional")
    if "optional" in flags and default is not None:
        raise _HeaderError(
            line, f"parameter {name!r}: a default already makes it optional; drop 'optional'"
        )
    param = QueryParam(
        name=name,
        type=declared.name,
        required="optional" not in flags and default is None,
        default=default,
        description=separator["description"].strip(),
        example=flags.get("example:"),
    )
    for flag, raw in (("default", default), ("example", param.example)):
        if raw is not None:
            try:
                param.term(raw)
            except ParameterError as error:
                raise _HeaderError(line, f"bad {flag}: {error.message}") from None
    return param


def parse_query(
    text: str, name: str, source: str | None = None, *, require_header: bool = True
) -> NamedQuery:
    """A named query from the text of a ``.rq`` file.

    ``source`` names the file in error messages. Without ``require_header`` a text that does
    not start with ``# title:`` is taken as a plain query with no parameters (for ad-hoc
    files and ``--sparql``); a header that is there must still be well formed.
    """
    where = source or name
    lines = text.splitlines()
    header_lines: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        header_lines.append(line)
    has_header = bool(header_lines) and header_lines[0].startswith("# title:")
    try:
        if has_header:
            fields = _header_fields(header_lines)
        elif require_header:
            raise _HeaderError(
                1, "a named query starts with '# title: ...' (see queries/README.md)"
            )
        else:
            fields = []
        title, description, params = _header_values(fields, name, has_header)
    except _HeaderError as error:
        raise QueryError(f"{where}:{error.line}: {error.message}") from None

    kind = inspect_query(text).form
    if kind not in QUERY_FORMS:
        raise QueryError(f"{where}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    shape = _shape(text)
    for param, param_line in params:
        problem = None
        if param.name not in shape.variables:
            problem = f"parameter {param.name!r} is declared but the query never uses ?{param.name}"
        elif param.name in shape.assigned:
            problem = (
                f"parameter {param.name!r}: the query assigns ?{param.name} (AS ?{param.name}), "
                "so it cannot also be bound"
            )
        elif shape.bind_at is None:
            problem = (
                "a query with parameters needs a top-level 'WHERE {' clause; "
                "the parameters are bound at its start"
            )
        if problem:
            raise QueryError(f"{where}:{param_line}: {problem}")
    return NamedQuery(
        name=name,
        title=title,
        description=description,
        params=tuple(param for param, _ in params),
        sparql=text,
        kind=kind,
        bind_at=shape.bind_at if params else None,
    )


def _header_values(
    fields: list[_Field], name: str, has_header: bool
) -> tuple[str, str, list[tuple[QueryParam, int]]]:
    singles: dict[str, _Field] = {}
    params: list[tuple[QueryParam, int]] = []
    for field in fields:
        if field.key == "param":
            param = _parse_param(field.value, field.line)
            if any(p.name == param.name for p, _ in params):
                raise _HeaderError(field.line, f"parameter {param.name!r} is declared twice")
            params.append((param, field.line))
            continue
        if field.key in singles:
            raise _HeaderError(field.line, f"{field.key!r} is given twice")
        if not field.value:
            raise _HeaderError(field.line, f"{field.key!r} is empty")
        singles[field.key] = field
    if has_header and "description" not in singles:
        raise _HeaderError(fields[-1].line if fields else 1, "the header has no '# description:'")
    title = singles["title"].value if "title" in singles else name
    description = singles["description"].value if "description" in singles else ""
    return title, description, params


def load_query(path: Path, *, require_header: bool = True) -> NamedQuery:
    """The named query in ``path``; its name is the file's stem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{path}: cannot read the query: {error}") from None
    query = parse_query(text, path.stem, str(path), require_header=require_header)
    return replace(query, path=path)


def load_catalog(queries_dir: Path) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of ``queries_dir`` by name, in name order."""
    if not queries_dir.is_dir():
        raise ProjectError(f"{queries_dir}: no queries folder")
    catalog: dict[str, NamedQuery] = {}
    for path in sorted(queries_dir.glob("*.rq"), key=lambda p: p.stem):
        if not QUERY_NAME_RE.match(path.stem):
            raise QueryError(
                f"{path}: a query's file name is lowercase ASCII words joined by hyphens"
            )
        catalog[path.stem] = load_query(path)
    return catalog


def find_query(catalog: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    """The query called ``name``, or UnknownQueryError with the nearest names."""
    query = catalog.get(name)
    if query is not None:
        return query
    names = sorted(catalog)
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    containing = [n for n in names if name and name.lower() in n and n not in close]
    raise UnknownQueryError(name, (close + containing)[:5])


# =============================================================================================
# Binding parameters
# =============================================================================================


def bind_parameters(query: NamedQuery, raw: Mapping[str, str]) -> str:
    """The SPARQL to run for ``query`` with the raw parameter values ``raw``.

    Unknown names, missing required values and values of the wrong type raise ParameterError.
    Defaults fill unset parameters; unset optional ones leave their variable free.
    """
    declared = [p.name for p in query.params]
    for name in sorted(raw):
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            takes = f"it takes {', '.join(declared)}" if declared else "it takes no parameters"
            raise ParameterError(f"query {query.name!r} has no parameter {name!r}{hint} ({takes})")
    blocks: list[str] = []
    for param in query.params:
        value = raw.get(param.name)
        if value is None:
            value = param.default
        if value is None:
            if param.required:
                raise ParameterError(
                    f"query {query.name!r} needs parameter {param.name!r} "
                    f"({param.param_type.expects}): {param.description}"
                )
            continue
        blocks.append(f"VALUES ?{param.name} {{ {param.term(value)} }}")
    if not blocks:
        return query.sparql
    assert query.bind_at is not None
    at = query.bind_at
    return f"{query.sparql[:at]} {' '.join(blocks)} {query.sparql[at:]}"
