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

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from icpc_kg.contribution.locate.base import GiveUp, Key, LocatedTriple, Spot
from icpc_kg.contribution.locate.jsonld import JsonLdReader
from icpc_kg.contribution.locate.rdfxml import RdfXmlReader
from icpc_kg.contribution.locate.turtle import TurtleReader

__all__ = ["LocatedTriple", "SourceMap", "Spot", "locate"]


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
            return TurtleReader(text, quads=fmt == "nquads").read()
        if fmt == "jsonld":
            return JsonLdReader(text, context).read()
        if fmt == "rdfxml":
            return RdfXmlReader(data).read()
    except (GiveUp, RecursionError, ValueError, IndexError, KeyError, TypeError):
        return []
    return []


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
