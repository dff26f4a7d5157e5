"""Where each triple of a submitted file was written, so results can name ``file:line:col``.

pyoxigraph parses the file but keeps no positions, so each syntax gets a small, lenient
reader that walks the text again and records, for every triple it recognises, the position of
its subject, predicate and object:

- Turtle, TriG, N-Triples, N-Quads: a tokenizer with positions and a recursive-descent reader
  of the statements (``@prefix``/``PREFIX``, ``@base``/``BASE``, graph blocks, ``;`` and ``,``
  lists, ``[ ]`` blank nodes, ``( )`` collections);
- JSON-LD: a JSON reader that keeps the position of every key and value, walked with the
  active context (terms, prefixes, ``@vocab``, ``@base``, ``@type`` coercion, language maps);
  a subject is placed at its ``"@id"`` key, a property at its key;
- RDF/XML: expat, which reports the line and column of each element; a subject is placed at
  its node element (the ``rdf:about`` line), a property at its property element.

The file has already parsed (the readers only run afterwards), and a reader that meets
something it does not understand gives up on that file: no position is better than a wrong one.
Blank nodes get fresh names from pyoxigraph, so :class:`SourceMap` pairs them with the reader's
by label when the file labels them, else by what is said about them.
"""

from __future__ import annotations

import functools
import json.decoder
import re
import xml.parsers.expat
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSD = "http://www.w3.org/2001/XMLSchema#"

# A term as the readers see it: ("iri", value), ("bnode", label) or ("lit", lexical form).
Key = tuple[str, str]
ANON = "\x00anon"  # prefix of the readers' own blank-node labels (never a label in a file)


@dataclass(frozen=True)
class Spot:
    """A 1-based line and column in a file's text."""

    line: int
    column: int | None = None


@dataclass(frozen=True)
class LocatedTriple:
    subject: Key
    predicate: str
    object: Key
    subject_at: Spot | None
    predicate_at: Spot | None
    object_at: Spot | None


class _GiveUp(Exception):
    """The reader met something it does not follow; the file gets no positions."""


def locate(data: bytes, fmt: str, context: dict[str, Any] | None = None) -> list[LocatedTriple]:
    """The triples of ``data`` (in format ``fmt``, a name of :data:`icpc_kg.rdfio.FORMATS`)
    with their positions; empty when the reader cannot follow the file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    text = text.removeprefix("\ufeff")
    try:
        if fmt in ("turtle", "trig", "ntriples", "nquads"):
            return _TurtleReader(text, quads=fmt == "nquads").read()
        if fmt == "jsonld":
            return _JsonLdReader(text, context).read()
        if fmt == "rdfxml":
            return _RdfXmlReader(data).read()
    except (_GiveUp, RecursionError, ValueError, IndexError, KeyError, TypeError):
        return []
    return []


class _Lines:
    """Offsets in a text to 1-based line and column (in characters)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]

    def spot(self, offset: int) -> Spot:
        index = bisect_right(self.starts, offset) - 1
        return Spot(index + 1, offset - self.starts[index] + 1)


# =============================================================================================
# Turtle, TriG, N-Triples, N-Quads
# =============================================================================================

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_TTL_PATTERN = rf"""
      (?P<ws>[ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
                |'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
                |"(?:[^"\\\r\n]|\\.)*"
                |'(?:[^'\\\r\n]|\\.)*')
    | (?P<quoted><<|>>|\{{\||\|\}})
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<datatype>\^\^)
    | (?P<bnode>_:[{_PN_CHARS_BASE}_0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
    | (?P<pname>(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:
                (?:(?:[{_PN_CHARS_BASE}_:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?)
    | (?P<number>[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+
                |[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+))
    | (?P<word>[A-Za-z][A-Za-z0-9_]*)
    | (?P<punct>[.;,\[\](){{}}])
    """


@functools.cache
def _ttl_token() -> re.Pattern[str]:
    # Compiled on first use: the Unicode classes take a tenth of a second to compile.
    return re.compile(_TTL_PATTERN, re.VERBOSE)


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _unescape_string(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) or match.group(2):
            return chr(int(match.group(1) or match.group(2), 16))
        char = match.group(3)
        if char not in _ECHAR:
            raise _GiveUp(f"unknown escape \\{char}")
        return _ECHAR[char]

    return _ESCAPE.sub(replace, text)


def _unescape_iri(text: str) -> str:
    return re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        text,
    )


def _resolve(reference: str, base: str | None) -> str:
    if _SCHEME.match(reference) or base is None:
        return reference
    return urljoin(base, reference)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: Spot


class _TurtleReader:
    """A lenient reader of the Turtle family that records where each triple was written."""

    def __init__(self, text: str, quads: bool = False) -> None:
        lines = _Lines(text)
        tokens: list[_Token] = []
        position = 0
        while position < len(text):
            match = _ttl_token().match(text, position)
            if match is None or match.end() == position:
                raise _GiveUp(f"unexpected character at offset {position}")
            kind = match.lastgroup or ""
            if kind == "quoted":  # RDF 1.2 triple terms and annotations: not followed
                raise _GiveUp("quoted triples")
            if kind not in ("ws", "comment"):
                tokens.append(_Token(kind, match.group(0), lines.spot(position)))
            position = match.end()
        self.tokens = tokens
        self.index = 0
        self.quads = quads
        self.prefixes: dict[str, str] = {}
        self.base: str | None = None
        self.out: list[LocatedTriple] = []
        self.anonymous = 0

    # --- tokens ---------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.index + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def next(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _GiveUp("unexpected end")
        self.index += 1
        return token

    def is_punct(self, text: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.kind == "punct" and token.text == text

    def expect(self, text: str) -> _Token:
        token = self.next()
        if token.kind != "punct" or token.text != text:
            raise _GiveUp(f"expected {text!r}")
        return token

    # --- statements -----------------------------------------------------------------------

    def read(self) -> list[LocatedTriple]:
        while self.peek() is not None:
            self.statement()
        return self.out

    def statement(self) -> None:
        token = self.peek()
        assert token is not None
        keyword = token.text.lower()
        if token.kind == "lang" and keyword in ("@prefix", "@base"):
            self.next()
            self.directive(keyword[1:])
            self.expect(".")
        elif token.kind == "word" and keyword in ("prefix", "base"):
            self.next()
            self.directive(keyword)
        elif token.kind == "word" and keyword == "graph":
            self.next()
            self.next()  # the graph's name
            self.graph_block()
        elif self.is_punct("{"):
            self.graph_block()
        elif token.kind in ("iri", "pname", "bnode") and self.is_punct("{", 1):
            self.next()
            self.graph_block()
        elif self.is_punct("[") and self.is_punct("]", 1) and self.is_punct("{", 2):
            self.index += 2
            self.graph_block()
        else:
            self.triples()
            if self.peek() is not None:
                self.expect(".")

    def directive(self, which: str) -> None:
        if which == "prefix":
            name = self.next()
            if name.kind != "pname" or not name.text.endswith(":"):
                raise _GiveUp("bad prefix")
            iri = self.next()
            if iri.kind != "iri":
                raise _GiveUp("bad prefix IRI")
            self.prefixes[name.text[:-1]] = _resolve(_unescape_iri(iri.text[1:-1]), self.base)
        else:
            iri = self.next()
            if iri.kind != "iri":
                raise _GiveUp("bad base IRI")
            self.base = _resolve(_unescape_iri(iri.text[1:-1]), self.base)

    def graph_block(self) -> None:
        self.expect("{")
        while not self.is_punct("}"):
            self.triples()
            if self.is_punct("."):
                self.next()
        self.expect("}")

    def triples(self) -> None:
        token = self.peek()
        if token is None:
            raise _GiveUp("unexpected end")
        if self.is_punct("["):
            subject, at = self.blank_node_property_list()
            if not (self.is_punct(".") or self.is_punct("}") or self.peek() is None):
                self.predicate_object_list(subject, at)
            return
        if self.is_punct("("):
            subject, at = self.collection()
        else:
            subject, at = self.term(self.next())
        self.predicate_object_list(subject, at)

    def predicate_object_list(self, subject: Key, subject_at: Spot) -> None:
        while True:
            verb = self.next()
            if verb.kind == "word" and verb.text == "a":
                predicate = RDF_TYPE
            else:
                key, _ = self.term(verb)
                if key[0] != "iri":
                    raise _GiveUp("predicate is not an IRI")
                predicate = key[1]
            self.object_list(subject, subject_at, predicate, verb.at)
            if not self.is_punct(";"):
                return
            while self.is_punct(";"):
                self.next()
            if self.peek() is None or any(self.is_punct(p) for p in (".", "]", "}")):
                return

    def object_list(
        self, subject: Key, subject_at: Spot, predicate: str, predicate_at: Spot
    ) -> None:
        while True:
            value, value_at = self.object()
            self.out.append(
                LocatedTriple(subject, predicate, value, subject_at, predicate_at, value_at)
            )
            if self.quads and self.peek() is not None and self.peek().kind in ("iri", "bnode"):  # type: ignore[union-attr]
                self.next()  # N-Quads graph name
            if not self.is_punct(","):
                return
            self.next()

    def object(self) -> tuple[Key, Spot]:
        if self.is_punct("["):
            return self.blank_node_property_list()
        if self.is_punct("("):
            return self.collection()
        token = self.next()
        if token.kind == "string":
            quote = 3 if token.text[:3] in ('"""', "'''") else 1
            lexical = _unescape_string(token.text[quote:-quote])
            if self.peek() is not None and self.peek().kind == "lang":  # type: ignore[union-attr]
                self.next()
            elif self.peek() is not None and self.peek().kind == "datatype":  # type: ignore[union-attr]
                self.next()
                self.term(self.next())
            return ("lit", lexical), token.at
        if token.kind == "number" or (token.kind == "word" and token.text in ("true", "false")):
            return ("lit", token.text), token.at
        return self.term(token)

    def term(self, token: _Token) -> tuple[Key, Spot]:
        if token.kind == "iri":
            return ("iri", _resolve(_unescape_iri(token.text[1:-1]), self.base)), token.at
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                raise _GiveUp(f"unknown prefix {prefix}")
            local = re.sub(r"\\(.)", r"\1", local)
            return ("iri", self.prefixes[prefix] + local), token.at
        if token.kind == "bnode":
            return ("bnode", token.text[2:]), token.at
        raise _GiveUp(f"unexpected {token.text!r}")

    def fresh(self) -> Key:
        self.anonymous += 1
        return ("bnode", f"{ANON}{self.anonymous}")

    def blank_node_property_list(self) -> tuple[Key, Spot]:
        opening = self.expect("[")
        node = self.fresh()
        if not self.is_punct("]"):
            self.predicate_object_list(node, opening.at)
        self.expect("]")
        return node, opening.at

    def collection(self) -> tuple[Key, Spot]:
        opening = self.expect("(")
        if self.is_punct(")"):
            self.next()
            return ("iri", RDF + "nil"), opening.at
        head = node = self.fresh()
        while True:
            value, value_at = self.object()
            self.out.append(LocatedTriple(node, RDF + "first", value, opening.at, None, value_at))
            if self.is_punct(")"):
                self.next()
                self.out.append(
                    LocatedTriple(node, RDF + "rest", ("iri", RDF + "nil"), opening.at, None, None)
                )
                return head, opening.at
            rest = self.fresh()
            self.out.append(LocatedTriple(node, RDF + "rest", rest, opening.at, None, None))
            node = rest


# =============================================================================================
# JSON-LD
# =============================================================================================

_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


@dataclass
class _J:
    """A JSON value and where it starts; objects keep their keys' positions in order."""

    kind: str  # object | array | string | number | literal
    value: Any
    at: Spot
    entries: list[tuple[str, Spot, _J]] | None = None
    items: list[_J] | None = None

    def plain(self) -> Any:
        if self.kind == "object":
            assert self.entries is not None
            return {k: v.plain() for k, _, v in self.entries}
        if self.kind == "array":
            assert self.items is not None
            return [item.plain() for item in self.items]
        return self.value


class _JsonReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _Lines(text)
        self.position = 0

    def skip(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\r\n":
            self.position += 1

    def value(self) -> _J:
        self.skip()
        start = self.position
        at = self.lines.spot(start)
        char = self.text[start]
        if char == "{":
            self.position += 1
            entries: list[tuple[str, Spot, _J]] = []
            self.skip()
            if self.text[self.position] == "}":
                self.position += 1
                return _J("object", None, at, entries=entries)
            while True:
                self.skip()
                key_at = self.lines.spot(self.position)
                if self.text[self.position] != '"':
                    raise _GiveUp("object key")
                key, self.position = _scanstring(self.text, self.position + 1)
                self.skip()
                if self.text[self.position] != ":":
                    raise _GiveUp("colon")
                self.position += 1
                entries.append((key, key_at, self.value()))
                self.skip()
                if self.text[self.position] == ",":
                    self.position += 1
                    continue
                if self.text[self.position] == "}":
                    self.position += 1
                    return _J("object", None, at, entries=entries)
                raise _GiveUp("object")
        if char == "[":
            self.position += 1
            items: list[_J] = []
            self.skip()
            if self.text[self.position] == "]":
                self.position += 1
                return _J("array", None, at, items=items)
            while True:
                items.append(self.value())
                self.skip()
                if self.text[self.position] == ",":
                    self.position += 1
                    continue
                if self.text[self.position] == "]":
                    self.position += 1
                    return _J("array", None, at, items=items)
                raise _GiveUp("array")
        if char == '"':
            string, self.position = _scanstring(self.text, start + 1)
            return _J("string", string, at)
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, start):
                self.position += len(word)
                return _J("literal", literal, at)
        match = _NUMBER.match(self.text, start)
        if match is None:
            raise _GiveUp("JSON value")
        self.position = match.end()
        return _J("number", match.group(0), at)


@dataclass
class _TermDefinition:
    iri: str | None
    coerce: str | None = None  # "@id", "@vocab" or a datatype IRI
    container: str | None = None
    reverse: bool = False
    scoped: bool = False  # has a context of its own: its values are not followed


@dataclass
class _Context:
    terms: dict[str, _TermDefinition]
    vocab: str | None = None
    base: str | None = None

    def copy(self) -> _Context:
        return _Context(dict(self.terms), self.vocab, self.base)


_KEYWORD_ALIASES = ("@id", "@type", "@value", "@language", "@graph", "@list", "@set")


class _JsonLdReader:
    def __init__(self, text: str, project_context: dict[str, Any] | None) -> None:
        self.document = _JsonReader(text).value()
        self.project_context = project_context
        self.out: list[LocatedTriple] = []
        self.anonymous = 0

    def read(self) -> list[LocatedTriple]:
        self.nodes(self.document, _Context({}))
        return self.out

    # --- contexts -------------------------------------------------------------------------

    def with_context(self, context: _Context, value: Any) -> _Context:
        from icpc_kg.rdfio import CONTEXT_URLS

        updated = context.copy()
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                updated = _Context({})
            elif isinstance(item, str):
                if item in CONTEXT_URLS and self.project_context is not None:
                    updated = self.with_context(updated, self.project_context)
                else:
                    raise _GiveUp("remote context")
            elif isinstance(item, dict):
                self.define(updated, item)
        return updated

    def define(self, context: _Context, definitions: dict[str, Any]) -> None:
        if "@vocab" in definitions:
            vocab = definitions["@vocab"]
            context.vocab = None if vocab is None else self.expand_vocab(context, vocab)
        if "@base" in definitions:
            base = definitions["@base"]
            context.base = None if base is None else _resolve(base, context.base)
        pending = {k: v for k, v in definitions.items() if not k.startswith("@")}
        # Terms may use prefixes defined in the same context: settle the simple ones first.
        for _ in range(3):
            for term, definition in pending.items():
                context.terms[term] = self.term_definition(context, term, definition)

    def term_definition(self, context: _Context, term: str, definition: Any) -> _TermDefinition:
        if definition is None:
            return _TermDefinition(None)
        if isinstance(definition, str):
            return _TermDefinition(self.expand_vocab(context, definition, term))
        if isinstance(definition, dict):
            reverse = "@reverse" in definition
            iri = definition.get("@reverse") if reverse else definition.get("@id", term)
            coerce = definition.get("@type")
            if isinstance(coerce, str) and coerce not in ("@id", "@vocab"):
                coerce = self.expand_vocab(context, coerce)
            container = definition.get("@container")
            if isinstance(container, list):
                container = next((c for c in container if c != "@set"), "@set")
            return _TermDefinition(
                self.expand_vocab(context, iri, term) if isinstance(iri, str) else None,
                coerce,
                container,
                reverse,
                "@context" in definition,
            )
        raise _GiveUp("term definition")

    # --- IRIs -----------------------------------------------------------------------------

    def expand_vocab(self, context: _Context, value: str, itself: str | None = None) -> str | None:
        if value.startswith("@"):
            return value
        if value in context.terms and value != itself:
            return context.terms[value].iri
        prefix, colon, local = value.partition(":")
        if colon and not local.startswith("//"):
            if prefix in context.terms and context.terms[prefix].iri:
                return context.terms[prefix].iri + local  # type: ignore[operator]
            return value
        if colon:
            return value
        return context.vocab + value if context.vocab else None

    def expand_id(self, context: _Context, value: str) -> Key | None:
        if value.startswith("_:"):
            return ("bnode", value[2:])
        prefix, colon, local = value.partition(":")
        if colon and not local.startswith("//") and prefix in context.terms:
            iri = context.terms[prefix].iri
            return ("iri", iri + local) if iri else None
        if _SCHEME.match(value):
            return ("iri", value)
        return ("iri", _resolve(value, context.base)) if context.base else None

    def keyword(self, context: _Context, key: str) -> str | None:
        if key.startswith("@"):
            return key
        definition = context.terms.get(key)
        if definition is not None and definition.iri in _KEYWORD_ALIASES:
            return definition.iri
        return None

    # --- nodes ----------------------------------------------------------------------------

    def fresh(self) -> Key:
        self.anonymous += 1
        return ("bnode", f"{ANON}{self.anonymous}")

    def nodes(self, value: _J, context: _Context) -> None:
        if value.kind == "array":
            for item in value.items or []:
                self.nodes(item, context)
        elif value.kind == "object":
            self.node(value, context)

    def node(self, value: _J, context: _Context) -> tuple[Key, Spot] | None:
        """Record the triples of a node object; its subject and where it is written."""
        entries = value.entries or []
        for key, _, entry in entries:
            if key == "@context":
                context = self.with_context(context, entry.plain())
        keywords = {self.keyword(context, key): (key, at, entry) for key, at, entry in entries}
        if "@value" in keywords or "@list" in keywords or "@set" in keywords:
            return None
        subject: Key | None = None
        subject_at = value.at
        if "@id" in keywords:
            _, id_at, id_value = keywords["@id"]
            if id_value.kind != "string":
                raise _GiveUp("@id")
            subject = self.expand_id(context, id_value.value)
            subject_at = id_at
        if subject is None:
            subject = self.fresh()
        only_graph = set(keywords) <= {"@graph", "@context", None} and "@graph" in keywords
        for key, key_at, entry in entries:
            word = self.keyword(context, key)
            if word == "@type":
                for item in entry.items if entry.kind == "array" else [entry]:  # type: ignore[union-attr]
                    if item.kind == "string":
                        iri = self.expand_vocab(context, item.value)
                        if iri:
                            self.add(subject, RDF_TYPE, ("iri", iri), subject_at, key_at, item.at)
            elif word == "@graph":
                self.nodes(entry, context)
            elif word is not None:
                continue
            else:
                definition = context.terms.get(key) or _TermDefinition(
                    self.expand_vocab(context, key)
                )
                if definition.iri is None or definition.iri.startswith("@") or definition.scoped:
                    continue
                self.values(subject, subject_at, definition, key_at, entry, context)
        if only_graph and "@id" not in keywords:
            return None
        return subject, subject_at

    def values(
        self,
        subject: Key,
        subject_at: Spot,
        definition: _TermDefinition,
        key_at: Spot,
        entry: _J,
        context: _Context,
    ) -> None:
        predicate = definition.iri
        assert predicate is not None
        if definition.container == "@language" and entry.kind == "object":
            for _, _, item in entry.entries or []:
                for text in item.items if item.kind == "array" else [item]:  # type: ignore[union-attr]
                    if text.kind == "string":
                        self.add(
                            subject, predicate, ("lit", text.value), subject_at, key_at, text.at
                        )
            return
        for item in entry.items if entry.kind == "array" else [entry]:  # type: ignore[union-attr]
            found = self.value(item, definition, context)
            if found is not None and definition.reverse:
                self.add(found[0], predicate, subject, found[1], key_at, subject_at)
            elif found is not None:
                self.add(subject, predicate, found[0], subject_at, key_at, found[1])

    def value(
        self, item: _J, definition: _TermDefinition, context: _Context
    ) -> tuple[Key, Spot] | None:
        if item.kind == "string":
            if definition.coerce == "@id":
                key = self.expand_id(context, item.value)
                return (key, item.at) if key else None
            if definition.coerce == "@vocab":
                iri = self.expand_vocab(context, item.value)
                return (("iri", iri), item.at) if iri else None
            return ("lit", item.value), item.at
        if item.kind == "number":
            if re.fullmatch(r"-?[0-9]+", item.value) and definition.coerce in (
                None,
                XSD + "integer",
            ):
                return ("lit", str(int(item.value))), item.at
            return None
        if item.kind == "literal" and isinstance(item.value, bool):
            return ("lit", "true" if item.value else "false"), item.at
        if item.kind == "object":
            words = {self.keyword(context, key): entry for key, _, entry in item.entries or []}
            if "@value" in words:
                inner = words["@value"]
                if inner.kind == "string":
                    return ("lit", inner.value), inner.at
                return None
            if "@list" in words or "@set" in words:
                return None
            return self.node(item, context)
        return None

    def add(
        self, subject: Key, predicate: str, value: Key, s_at: Spot, p_at: Spot, o_at: Spot
    ) -> None:
        self.out.append(LocatedTriple(subject, predicate, value, s_at, p_at, o_at))


# =============================================================================================
# RDF/XML
# =============================================================================================

_RDF_SYNTAX_ATTRIBUTES = {
    RDF + name
    for name in ("about", "ID", "nodeID", "resource", "datatype", "parseType", "type", "li")
}


@dataclass
class _XmlFrame:
    role: str  # root | node | property | skip
    base: str | None
    subject: Key | None = None
    subject_at: Spot | None = None
    predicate: str | None = None
    predicate_at: Spot | None = None
    has_object: bool = False
    text: str = ""
    members: int = 0


class _RdfXmlReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.out: list[LocatedTriple] = []
        self.stack: list[_XmlFrame] = []
        self.anonymous = 0
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters

    def read(self) -> list[LocatedTriple]:
        try:
            self.parser.Parse(self.data, True)
        except xml.parsers.expat.ExpatError as error:
            raise _GiveUp(str(error)) from None
        return self.out

    def fresh(self) -> Key:
        self.anonymous += 1
        return ("bnode", f"{ANON}{self.anonymous}")

    @staticmethod
    def iri(name: str) -> str:
        namespace, _, local = name.partition(" ")
        if not local:
            raise _GiveUp("element without a namespace")
        return namespace + local

    def start(self, name: str, attributes: dict[str, str]) -> None:
        at = Spot(self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1)
        parent = self.stack[-1] if self.stack else None
        base = parent.base if parent else None
        attrs = {self.iri(k) if " " in k else k: v for k, v in attributes.items()}
        if XML_NS + "base" in attrs:
            base = _resolve(attrs[XML_NS + "base"], base)
        iri = self.iri(name)
        if parent is None and iri == RDF + "RDF":
            self.stack.append(_XmlFrame("root", base))
            return
        if parent is not None and parent.role == "skip":
            self.stack.append(_XmlFrame("skip", base))
            return
        if parent is None or parent.role in ("root", "property"):
            self.node_element(iri, attrs, at, base, parent)
        else:
            self.property_element(iri, attrs, at, base, parent)

    def subject_of(self, attrs: dict[str, str], base: str | None) -> Key:
        if RDF + "about" in attrs:
            return ("iri", _resolve(attrs[RDF + "about"], base))
        if RDF + "ID" in attrs:
            return ("iri", _resolve("#" + attrs[RDF + "ID"], base))
        if RDF + "nodeID" in attrs:
            return ("bnode", attrs[RDF + "nodeID"])
        return self.fresh()

    def node_element(
        self,
        iri: str,
        attrs: dict[str, str],
        at: Spot,
        base: str | None,
        parent: _XmlFrame | None,
    ) -> None:
        subject = self.subject_of(attrs, base)
        if parent is not None and parent.role == "property":
            if parent.predicate == "collection":
                raise _GiveUp("parseType Collection")
            assert parent.subject is not None and parent.predicate is not None
            self.add(parent.subject, parent.predicate, subject, parent, at)
            parent.has_object = True
        if iri != RDF + "Description":
            self.out.append(LocatedTriple(subject, RDF_TYPE, ("iri", iri), at, at, at))
        self.property_attributes(subject, attrs, at)
        self.stack.append(_XmlFrame("node", base, subject, at))

    def property_attributes(self, subject: Key, attrs: dict[str, str], at: Spot) -> None:
        for name, value in attrs.items():
            if name in _RDF_SYNTAX_ATTRIBUTES and name != RDF + "type":
                continue
            if name.startswith(XML_NS) or (" " not in name and ":" not in name):
                continue
            value_key: Key = ("iri", value) if name == RDF + "type" else ("lit", value)
            self.out.append(LocatedTriple(subject, name, value_key, at, at, at))

    def property_element(
        self, iri: str, attrs: dict[str, str], at: Spot, base: str | None, parent: _XmlFrame
    ) -> None:
        assert parent.subject is not None
        if iri == RDF + "li":
            parent.members += 1
            iri = f"{RDF}_{parent.members}"
        frame = _XmlFrame("property", base, parent.subject, parent.subject_at, iri, at)
        parse_type = attrs.get(RDF + "parseType")
        if RDF + "resource" in attrs or RDF + "nodeID" in attrs:
            value: Key = (
                ("iri", _resolve(attrs[RDF + "resource"], base))
                if RDF + "resource" in attrs
                else ("bnode", attrs[RDF + "nodeID"])
            )
            self.add(parent.subject, iri, value, frame, at)
            self.property_attributes(value, attrs, at)
            frame.has_object = True
            frame.role = "skip"
        elif parse_type == "Resource":
            node = self.fresh()
            self.add(parent.subject, iri, node, frame, at)
            frame.has_object = True
            frame.role = "node"
            frame.subject, frame.subject_at = node, at
        elif parse_type == "Literal":
            frame.has_object = True
            frame.role = "skip"
        elif parse_type == "Collection":
            frame.predicate = "collection"
        elif any(
            name not in _RDF_SYNTAX_ATTRIBUTES and not name.startswith(XML_NS) for name in attrs
        ):
            node = self.fresh()
            self.add(parent.subject, iri, node, frame, at)
            self.property_attributes(node, attrs, at)
            frame.has_object = True
            frame.role = "skip"
        self.stack.append(frame)

    def add(self, subject: Key, predicate: str, value: Key, frame: _XmlFrame, at: Spot) -> None:
        self.out.append(
            LocatedTriple(subject, predicate, value, frame.subject_at, frame.predicate_at, at)
        )

    def end(self, name: str) -> None:
        frame = self.stack.pop()
        if frame.role == "property" and not frame.has_object and frame.predicate != "collection":
            assert frame.subject is not None and frame.predicate is not None
            self.out.append(
                LocatedTriple(
                    frame.subject,
                    frame.predicate,
                    ("lit", frame.text),
                    frame.subject_at,
                    frame.predicate_at,
                    frame.predicate_at,
                )
            )

    def characters(self, text: str) -> None:
        if self.stack and self.stack[-1].role == "property":
            self.stack[-1].text += text


# =============================================================================================
# From reader keys to the parsed terms
# =============================================================================================

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _signature(
    node: Key, outgoing: list[tuple[str, Key]], incoming: list[tuple[Key, str]]
) -> frozenset[tuple[str, str, str, str]]:
    out = {("out", p, o[0], o[1]) for p, o in outgoing if o[0] != "bnode"}
    out |= {("in", p, s[0], s[1]) for s, p in incoming if s[0] != "bnode"}
    return frozenset(out)


class SourceMap:
    """Positions of one parsed input, looked up by the parsed (pyoxigraph) terms.

    ``labels`` maps each parsed blank node's value to the label the file gave it (files that
    were renamed apart when several are validated together)."""

    def __init__(
        self,
        located: list[LocatedTriple],
        triples: Iterable[ox.Triple],
        labels: dict[str, str] | None = None,
    ) -> None:
        self.located = located
        self.subjects: dict[Key, Spot] = {}
        self.predicates: dict[tuple[Key, str], Spot] = {}
        self.values: dict[tuple[Key, str, Key], Spot] = {}
        for t in located:
            if t.subject_at is not None:
                self.subjects.setdefault(t.subject, t.subject_at)
            if t.predicate_at is not None:
                self.predicates.setdefault((t.subject, t.predicate), t.predicate_at)
            if t.object_at is not None:
                self.values.setdefault((t.subject, t.predicate, t.object), t.object_at)
        self.blank: dict[str, Key] = self._pair_blank_nodes(list(triples), labels or {})

    def _pair_blank_nodes(self, triples: list[ox.Triple], labels: dict[str, str]) -> dict[str, Key]:
        reader_nodes: dict[Key, tuple[list[tuple[str, Key]], list[tuple[Key, str]]]] = defaultdict(
            lambda: ([], [])
        )
        for t in self.located:
            if t.subject[0] == "bnode":
                reader_nodes[t.subject][0].append((t.predicate, t.object))
            if t.object[0] == "bnode":
                reader_nodes[t.object][1].append((t.subject, t.predicate))
        parsed_nodes: dict[str, tuple[list[tuple[str, Key]], list[tuple[Key, str]]]] = defaultdict(
            lambda: ([], [])
        )
        for triple in triples:
            s, o = self._plain_key(triple.subject), self._plain_key(triple.object)
            if isinstance(triple.subject, ox.BlankNode):
                parsed_nodes[triple.subject.value][0].append((triple.predicate.value, o))
            if isinstance(triple.object, ox.BlankNode):
                parsed_nodes[triple.object.value][1].append((s, triple.predicate.value))
        paired: dict[str, Key] = {}
        by_signature: dict[frozenset[tuple[str, str, str, str]], list[Key]] = defaultdict(list)
        for key, (outgoing, incoming) in reader_nodes.items():
            by_signature[_signature(key, outgoing, incoming)].append(key)
        for value, (outgoing, incoming) in parsed_nodes.items():
            label = labels.get(value, value)
            if ("bnode", label) in reader_nodes:
                paired[value] = ("bnode", label)
                continue
            candidates = by_signature.get(_signature(("bnode", value), outgoing, incoming))
            if candidates:
                # Equal signatures: nodes that say the same things, paired in file order.
                paired[value] = candidates.pop(0)
        return paired

    @staticmethod
    def _plain_key(term: Any) -> Key:
        if isinstance(term, ox.NamedNode):
            return ("iri", term.value)
        if isinstance(term, ox.Literal):
            return ("lit", term.value)
        return ("bnode", getattr(term, "value", ""))

    def key(self, term: Any) -> Key | None:
        if isinstance(term, ox.BlankNode):
            return self.blank.get(term.value)
        if isinstance(term, (ox.NamedNode, ox.Literal)):
            return self._plain_key(term)
        return None

    def subject(self, term: Term) -> Spot | None:
        key = self.key(term)
        return self.subjects.get(key) if key else None

    def predicate(self, subject: Term, predicate: ox.NamedNode) -> Spot | None:
        key = self.key(subject)
        return self.predicates.get((key, predicate.value)) if key else None

    def value(self, subject: Term, predicate: ox.NamedNode, value: Term) -> Spot | None:
        s, o = self.key(subject), self.key(value)
        if s is None or o is None:
            return None
        return self.values.get((s, predicate.value, o))
