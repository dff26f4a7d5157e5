"""Where triples are written in JSON-LD: a JSON reader that keeps the position of every key
and value, walked with the active context (terms, prefixes, ``@vocab``, ``@base``, ``@type``
coercion, language maps, reverse terms)."""

from __future__ import annotations

import json.decoder
import re
from dataclasses import dataclass
from typing import Any

from icpc_kg.contribution.locate.base import (
    ANON,
    RDF_TYPE,
    SCHEME,
    XSD,
    GiveUp,
    Key,
    Lines,
    LocatedTriple,
    Spot,
    resolve,
)

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
        self.lines = Lines(text)
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
                    raise GiveUp("object key")
                key, self.position = _scanstring(self.text, self.position + 1)
                self.skip()
                if self.text[self.position] != ":":
                    raise GiveUp("colon")
                self.position += 1
                entries.append((key, key_at, self.value()))
                self.skip()
                if self.text[self.position] == ",":
                    self.position += 1
                    continue
                if self.text[self.position] == "}":
                    self.position += 1
                    return _J("object", None, at, entries=entries)
                raise GiveUp("object")
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
                raise GiveUp("array")
        if char == '"':
            string, self.position = _scanstring(self.text, start + 1)
            return _J("string", string, at)
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, start):
                self.position += len(word)
                return _J("literal", literal, at)
        match = _NUMBER.match(self.text, start)
        if match is None:
            raise GiveUp("JSON value")
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


class JsonLdReader:
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
                    raise GiveUp("remote context")
            elif isinstance(item, dict):
                self.define(updated, item)
        return updated

    def define(self, context: _Context, definitions: dict[str, Any]) -> None:
        if "@vocab" in definitions:
            vocab = definitions["@vocab"]
            context.vocab = None if vocab is None else self.expand_vocab(context, vocab)
        if "@base" in definitions:
            base = definitions["@base"]
            context.base = None if base is None else resolve(base, context.base)
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
        raise GiveUp("term definition")

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
        if SCHEME.match(value):
            return ("iri", value)
        return ("iri", resolve(value, context.base)) if context.base else None

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
                raise GiveUp("@id")
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
