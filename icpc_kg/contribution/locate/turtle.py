"""Where triples are written in Turtle, TriG, N-Triples and N-Quads: a tokenizer with
positions and a lenient recursive-descent reader of the statements."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from icpc_kg.contribution.locate.base import (
    ANON,
    RDF,
    RDF_TYPE,
    GiveUp,
    Key,
    Lines,
    LocatedTriple,
    Spot,
    resolve,
)

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


def _unescape_string(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) or match.group(2):
            return chr(int(match.group(1) or match.group(2), 16))
        char = match.group(3)
        if char not in _ECHAR:
            raise GiveUp(f"unknown escape \\{char}")
        return _ECHAR[char]

    return _ESCAPE.sub(replace, text)


def _unescape_iri(text: str) -> str:
    return re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        text,
    )


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: Spot


class TurtleReader:
    """A lenient reader of the Turtle family that records where each triple was written."""

    def __init__(self, text: str, quads: bool = False) -> None:
        lines = Lines(text)
        tokens: list[_Token] = []
        position = 0
        while position < len(text):
            match = _ttl_token().match(text, position)
            if match is None or match.end() == position:
                raise GiveUp(f"unexpected character at offset {position}")
            kind = match.lastgroup or ""
            if kind == "quoted":  # RDF 1.2 triple terms and annotations: not followed
                raise GiveUp("quoted triples")
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
            raise GiveUp("unexpected end")
        self.index += 1
        return token

    def is_punct(self, text: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.kind == "punct" and token.text == text

    def expect(self, text: str) -> _Token:
        token = self.next()
        if token.kind != "punct" or token.text != text:
            raise GiveUp(f"expected {text!r}")
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
                raise GiveUp("bad prefix")
            iri = self.next()
            if iri.kind != "iri":
                raise GiveUp("bad prefix IRI")
            self.prefixes[name.text[:-1]] = resolve(_unescape_iri(iri.text[1:-1]), self.base)
        else:
            iri = self.next()
            if iri.kind != "iri":
                raise GiveUp("bad base IRI")
            self.base = resolve(_unescape_iri(iri.text[1:-1]), self.base)

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
            raise GiveUp("unexpected end")
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
                    raise GiveUp("predicate is not an IRI")
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
            return ("iri", resolve(_unescape_iri(token.text[1:-1]), self.base)), token.at
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                raise GiveUp(f"unknown prefix {prefix}")
            local = re.sub(r"\\(.)", r"\1", local)
            return ("iri", self.prefixes[prefix] + local), token.at
        if token.kind == "bnode":
            return ("bnode", token.text[2:]), token.at
        raise GiveUp(f"unexpected {token.text!r}")

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
