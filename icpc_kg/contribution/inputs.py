"""Reading the submitted documents: format, size cap, safe parsing, and positions.

Parsing is :func:`icpc_kg.rdfio.parse_rdf` (no network, no file access beyond the named files:
a remote JSON-LD context other than the project's is refused, an XML DTD is refused wherever it
is, nesting and value sizes are bounded by :class:`~icpc_kg.guards.InputLimits`; malformed
RDF/XML is reported with expat's line and column).
Blank nodes are renamed apart per document, so ``_:b`` in two files stays two nodes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from icpc_kg.contribution.locate import SourceMap, locate
from icpc_kg.contribution.model import DEFAULT_MAX_BYTES, ContributionInput, Position, Term
from icpc_kg.errors import InputTooLargeError
from icpc_kg.guards import DEFAULT_LIMITS, InputLimits
from icpc_kg.rdfio import RdfFormatInfo, format_for_path, format_named, parse_rdf

__all__ = ["DEFAULT_MAX_BYTES", "Contribution", "ParsedInput", "read_contribution"]


@dataclass
class ParsedInput:
    """One parsed document, its triples (blank nodes renamed apart) and its source map."""

    source: str
    format: RdfFormatInfo
    data: bytes
    triples: list[ox.Triple]
    labels: dict[str, str]  # renamed blank node -> the label the parser gave it
    context: dict[str, Any] | None = None
    _map: SourceMap | None = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def source_map(self) -> SourceMap:
        if self._map is None:
            located = locate(self.data, self.format.name, self.context)
            self._map = SourceMap(located, self.triples, self.labels)
        return self._map


@dataclass
class Contribution:
    """The union of the submitted documents."""

    inputs: list[ParsedInput]
    triples: list[ox.Triple]

    def subjects(self) -> list[Term]:
        """Every subject, in the order the documents first describe them."""
        return list(dict.fromkeys(t.subject for t in self.triples))  # type: ignore[misc]

    def position(
        self, focus: Term, path: ox.NamedNode | None = None, value: Term | None = None
    ) -> Position | None:
        """Where ``focus`` (with ``path`` and ``value``, when given and written) appears: the
        value, else the property, else the subject; None when no document says."""
        for parsed in self.inputs:
            where = parsed.source_map
            spot = None
            if path is not None and value is not None:
                spot = where.value(focus, path, value)
            if spot is None and path is not None:
                spot = where.predicate(focus, path)
            if spot is None:
                spot = where.subject(focus)
            if spot is not None:
                return Position(parsed.source, spot.line, spot.column)
        return None

    def value_position(self, focus: Term, path: ox.NamedNode, value: Term) -> Position | None:
        """Where the triple ``focus path value`` is written, at its value."""
        for parsed in self.inputs:
            spot = parsed.source_map.value(focus, path, value)
            if spot is not None:
                return Position(parsed.source, spot.line, spot.column)
        return self.position(focus, path)


def input_format(item: ContributionInput) -> RdfFormatInfo:
    if item.format:
        return format_named(item.format)
    return format_for_path(item.source)


def read_bytes(item: ContributionInput, max_bytes: int) -> bytes:
    """The document's bytes, refusing one over ``max_bytes`` before reading it all."""
    if item.data is not None:
        data = item.data
    else:
        size = os.path.getsize(item.source)
        if size > max_bytes:
            raise InputTooLargeError(
                f"{item.source}: {size:,} bytes is over the input limit of {max_bytes:,} bytes"
            )
        with open(item.source, "rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{item.source}: more than {max_bytes:,} bytes, over the input limit"
        )
    return data


def parse_input(
    item: ContributionInput,
    index: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    context: dict[str, Any] | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> ParsedInput:
    fmt = input_format(item)
    data = read_bytes(item, max_bytes)
    quads = parse_rdf(data, fmt, item.source, context=context, max_bytes=max_bytes, limits=limits)
    labels: dict[str, str] = {}

    def rename(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            renamed = f"c{index}x{term.value}"
            labels[renamed] = term.value
            return ox.BlankNode(renamed)
        return term

    triples = list(
        dict.fromkeys(ox.Triple(rename(q.subject), q.predicate, rename(q.object)) for q in quads)
    )
    return ParsedInput(item.source, fmt, data, triples, labels, context)


def read_contribution(
    items: list[ContributionInput],
    max_bytes: int = DEFAULT_MAX_BYTES,
    context: dict[str, Any] | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> Contribution:
    """Parse every document (named graphs are flattened: a contribution is one graph)."""
    parsed = [parse_input(item, i, max_bytes, context, limits) for i, item in enumerate(items)]
    triples = list(dict.fromkeys(t for p in parsed for t in p.triples))
    return Contribution(parsed, triples)
