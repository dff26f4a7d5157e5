"""Content negotiation: which representation a request gets, in one table-tested module.

Three tables of *offers* (what the server can send), each in the server's order of preference
(the first is the default when the client accepts anything):

- :data:`RESULT_OFFERS` for SELECT and ASK results;
- :data:`GRAPH_OFFERS` for CONSTRUCT and DESCRIBE results and RDF documents;
- :data:`RESOURCE_OFFERS` for a linked-data resource (``/id/...``, ``/ontology``, ...).

A representation is chosen from, in order: an explicit ``format=`` value (a short name like
``ttl`` or a media type), a file suffix (``.ttl``), or the ``Accept`` header with its q-values.
:func:`negotiate` returns ``None`` when nothing offered is acceptable (the caller answers 406).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    """A representation: its short name, the media type sent, and other media types that ask
    for the same bytes (``application/json`` for SPARQL results JSON, ``text/plain`` for
    N-Triples...)."""

    name: str
    media_type: str
    also: tuple[str, ...] = ()
    charset: bool = True

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.also)


HTML = Offer("html", "text/html", ("application/xhtml+xml",))
JSON = Offer("json", "application/json")

RESULT_OFFERS: tuple[Offer, ...] = (
    Offer("json", "application/sparql-results+json", ("application/json",)),
    Offer("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Offer("csv", "text/csv"),
    Offer("tsv", "text/tab-separated-values"),
    HTML,
)

TURTLE = Offer("turtle", "text/turtle", ("application/x-turtle",))
NTRIPLES = Offer("ntriples", "application/n-triples", ("text/plain",))
JSONLD = Offer("jsonld", "application/ld+json", ("application/json",))
RDFXML = Offer("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"))
TRIG = Offer("trig", "application/trig")
NQUADS = Offer("nquads", "application/n-quads", ("text/x-nquads",))

GRAPH_OFFERS: tuple[Offer, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, HTML)
RESOURCE_OFFERS: tuple[Offer, ...] = (TURTLE, HTML, JSONLD, NTRIPLES, RDFXML)
# RDF documents that are not pages (service description, VoID, DCAT, shapes, ontology, named
# graphs): every RDF syntax (TriG and N-Quads with the triples in the default graph).
DOCUMENT_OFFERS: tuple[Offer, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, HTML)

# Suffixes of /id/{kind}/{slug}.{suffix}
SUFFIXES: dict[str, str] = {
    "ttl": "turtle",
    "jsonld": "jsonld",
    "nt": "ntriples",
    "rdf": "rdfxml",
    "trig": "trig",
    "nq": "nquads",
    "html": "html",
}

# Short names a client may give in ``format=`` (also what SPARQLWrapper sends); a name maps to
# an offer name in whichever table applies.
FORMAT_ALIASES: dict[str, str] = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "html": "html",
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "ntriples": "ntriples",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdfxml": "rdfxml",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdf/xml": "rdfxml",
    "trig": "trig",
    "nquads": "nquads",
    "nq": "nquads",
    "n-quads": "nquads",
}
# What a name means for an RDF graph when it was written for results ("json", "xml").
_GRAPH_MEANING = {"json": "jsonld", "xml": "rdfxml"}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    position: int

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 2 exact, 1 ``type/*``,
        0 ``*/*``, -1 not at all."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped, a bad q is 0."""
    ranges: list[MediaRange] = []
    if not header:
        return ranges
    for position, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        kind, _, sub = parts[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q, position))
    return ranges


def negotiate(accept: str | None, offers: Sequence[Offer]) -> Offer | None:
    """The offer the Accept header prefers: the highest q of the most specific range matching
    each offer (aliases only by exact name); ties go to the more specific match, then the
    client's order, then ours.
    No header (or an empty one) means anything: the first offer."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int, int, int] | None = None
    chosen: Offer | None = None
    for rank, offer in enumerate(offers):
        for index, media_type in enumerate(offer.media_types):
            specific = -1
            q = 0.0
            position = 0
            for media_range in ranges:
                level = media_range.matches(media_type)
                if index > 0 and level < 2:
                    continue  # an alias answers only when named exactly, never a wildcard
                if level > specific:
                    specific, q, position = level, media_range.q, media_range.position
            if specific < 0 or q <= 0:
                continue
            key = (q, specific, -position, -rank)
            if best is None or key > best:
                best, chosen = key, offer
    return chosen


def offer_named(name: str, offers: Sequence[Offer]) -> Offer | None:
    """The offer a ``format=`` value or suffix names, among ``offers``: a short name (``ttl``,
    ``json``) or a media type (``text/turtle``)."""
    key = name.strip().lower()
    if "/" in key:
        return negotiate(key.split(";")[0], offers)
    canonical = FORMAT_ALIASES.get(key)
    if canonical is None:
        return None
    names = {offer.name: offer for offer in offers}
    if canonical in names:
        return names[canonical]
    return names.get(_GRAPH_MEANING.get(canonical, ""))


def choose(
    offers: Sequence[Offer],
    accept: str | None,
    format_values: Sequence[str] = (),
    suffix: str | None = None,
) -> Offer | None:
    """The representation for a request: the first usable ``format=`` value, else the suffix,
    else the Accept header. ``None``: nothing acceptable (406), including a ``format=`` that
    names something not offered here."""
    given = [value for value in format_values if value.strip()]
    if given:
        return next(
            (offer for offer in (offer_named(v, offers) for v in given) if offer is not None),
            None,
        )
    if suffix is not None:
        return offer_named(SUFFIXES.get(suffix, suffix), offers)
    return negotiate(accept, offers)


def known_format(value: str) -> bool:
    key = value.strip().lower()
    return "/" in key or key in FORMAT_ALIASES
