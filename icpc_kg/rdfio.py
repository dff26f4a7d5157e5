"""Reading and writing RDF safely: format detection, parsing with file:line:col errors,
JSON-LD context and RDF/XML entity safety, term conversion between pyoxigraph and rdflib,
and deterministic serialisation.

Parsing goes through pyoxigraph (about 20x faster than rdflib's parsers and precise about
error positions). Nothing here touches the network: a JSON-LD remote ``@context`` is refused
unless it is the project's own context, which is read from the package. Before any parser
sees a document, :func:`icpc_kg.guards.check_rdf_input` refuses an XML DTD wherever it
appears, nesting past ``--max-depth`` and literals past ``--max-literal``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from icpc_kg.errors import (
    InputTooLargeError,
    RdfSyntaxError,
    UnsafeInputError,
    UnsupportedFormatError,
)
from icpc_kg.guards import DEFAULT_LIMITS, InputLimits, check_rdf_input
from icpc_kg.vocab import DEFAULT_BASE, PREFIXES

DEFAULT_MAX_INPUT_BYTES = 50 * 1024 * 1024
CONTEXT_URLS = (DEFAULT_BASE + "context.jsonld", DEFAULT_BASE + "context")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class RdfFormatInfo:
    """One RDF syntax: its name on the command line, its pyoxigraph format and rdflib name."""

    name: str
    oxigraph: ox.RdfFormat
    rdflib_name: str
    media_type: str
    extensions: tuple[str, ...]
    has_graphs: bool


FORMATS: dict[str, RdfFormatInfo] = {
    info.name: info
    for info in (
        RdfFormatInfo("turtle", ox.RdfFormat.TURTLE, "turtle", "text/turtle", (".ttl",), False),
        RdfFormatInfo("trig", ox.RdfFormat.TRIG, "trig", "application/trig", (".trig",), True),
        RdfFormatInfo(
            "ntriples", ox.RdfFormat.N_TRIPLES, "nt", "application/n-triples", (".nt",), False
        ),
        RdfFormatInfo(
            "nquads", ox.RdfFormat.N_QUADS, "nquads", "application/n-quads", (".nq",), True
        ),
        RdfFormatInfo(
            "jsonld",
            ox.RdfFormat.JSON_LD,
            "json-ld",
            "application/ld+json",
            (".jsonld", ".json"),
            True,
        ),
        RdfFormatInfo(
            "rdfxml",
            ox.RdfFormat.RDF_XML,
            "xml",
            "application/rdf+xml",
            (".rdf", ".owl", ".xml"),
            False,
        ),
    )
}

# Other names people use for the same syntaxes (command-line aliases and media types).
FORMAT_ALIASES: dict[str, str] = {
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "nq": "nquads",
    "n-quads": "nquads",
    "json-ld": "jsonld",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    "rdf/xml": "rdfxml",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/trig": "trig",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/n-quads": "nquads",
    "text/x-nquads": "nquads",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}


def format_named(name: str) -> RdfFormatInfo:
    """The format for a command-line name, alias or media type; an unknown one lists the valid."""
    key = name.strip().lower().split(";")[0].strip()
    key = FORMAT_ALIASES.get(key, key)
    if key not in FORMATS:
        raise UnsupportedFormatError(
            f"unknown RDF format {name!r}; use one of {', '.join(FORMATS)}"
        )
    return FORMATS[key]


def format_for_path(path: str | os.PathLike[str]) -> RdfFormatInfo:
    suffix = Path(path).suffix.lower()
    for info in FORMATS.values():
        if suffix in info.extensions:
            return info
    raise UnsupportedFormatError(
        f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
        f"pass --input-format ({', '.join(FORMATS)})"
    )


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def read_input(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, refusing a file over ``max_bytes`` before reading it."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputTooLargeError(
            f"{path}: {size:,} bytes is over the input limit of {max_bytes:,} bytes"
        )
    return Path(path).read_bytes()


def parse_rdf(
    data: bytes,
    fmt: RdfFormatInfo,
    source: str = "<input>",
    base_iri: str | None = None,
    context: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    context_urls: Iterable[str] = (),
    limits: InputLimits = DEFAULT_LIMITS,
) -> list[ox.Quad]:
    """Parse ``data`` in ``fmt`` into quads; errors name ``source`` with line and column.

    ``context`` is the project's JSON-LD context, used in place of a remote reference to it:
    its published URLs, or ``context_urls`` (e.g. an icpc-kg server's ``/context.jsonld``,
    which serves that same file). ``limits`` bound nesting and value sizes (checked before
    parsing).
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{source}: {len(data):,} bytes is over the input limit of {max_bytes:,} bytes"
        )
    check_rdf_input(data, fmt.name, source, limits)
    if fmt.name == "jsonld":
        data = _inline_project_context(data, source, context, (*CONTEXT_URLS, *context_urls))
    try:
        return list(ox.parse(data, format=fmt.oxigraph, base_iri=base_iri))
    except SyntaxError as error:
        raise _syntax_error(error, source) from None
    except ValueError as error:  # e.g. invalid UTF-8
        raise RdfSyntaxError(source, str(error)) from None


def parse_file(
    path: str | os.PathLike[str],
    fmt: RdfFormatInfo | None = None,
    base_iri: str | None = None,
    context: dict[str, Any] | None = None,
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    limits: InputLimits = DEFAULT_LIMITS,
) -> list[ox.Quad]:
    """Parse one file, choosing the format from its extension unless ``fmt`` is given."""
    fmt = fmt or format_for_path(path)
    data = read_input(path, max_bytes)
    return parse_rdf(data, fmt, str(path), base_iri, context, max_bytes, limits=limits)


_POSITION = re.compile(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ")


def _syntax_error(error: SyntaxError, source: str) -> RdfSyntaxError:
    message = str(error.args[0]) if error.args else str(error)
    line = column = None
    if len(error.args) > 1 and isinstance(error.args[1], tuple):
        location = error.args[1]
        line, column = location[1], location[2]
    message = _POSITION.sub("", message)
    return RdfSyntaxError(source, message, line, column)


def load_project_context(context_file: Path) -> dict[str, Any]:
    """The ``@context`` object of the project's ``context.jsonld``."""
    document = json.loads(context_file.read_text(encoding="utf-8"))
    context = document.get("@context", document)
    if not isinstance(context, dict):
        raise ValueError(f"{context_file}: @context must be an object")
    return context


def _inline_project_context(
    data: bytes,
    source: str,
    context: dict[str, Any] | None,
    urls: tuple[str, ...] = CONTEXT_URLS,
) -> bytes:
    """Replace references to the project's own context with its content; refuse any other
    remote context or ``@import`` so that parsing never reaches the network."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RdfSyntaxError(source, f"not UTF-8: {error.reason} at byte {error.start}") from None
    except json.JSONDecodeError as error:
        raise RdfSyntaxError(source, error.msg, error.lineno, error.colno) from None

    changed = False

    def resolve(value: Any) -> Any:
        nonlocal changed
        if isinstance(value, str):
            if value in urls:
                if context is None:
                    raise UnsafeInputError(
                        f"{source}: the project context {value} is not available locally"
                    )
                changed = True
                return context
            raise UnsafeInputError(
                f"{source}: remote JSON-LD @context {value!r} is refused (only the project's "
                f"own context {CONTEXT_URLS[0]} is allowed; inline the context instead)"
            )
        if isinstance(value, list):
            return [resolve(item) for item in value]
        if isinstance(value, dict):
            if isinstance(value.get("@import"), str):
                raise UnsafeInputError(
                    f"{source}: JSON-LD @import {value['@import']!r} is refused; inline it"
                )
            return value
        return value

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                out[key] = resolve(value) if key == "@context" else walk(value)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    resolved = walk(document)
    if not changed:
        return data
    return json.dumps(resolved, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Terms: pyoxigraph <-> rdflib
# --------------------------------------------------------------------------------------------


def to_rdflib(term: Any) -> Node:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        # normalize=False keeps the lexical form as written ("01", "...Z"): rdflib would
        # otherwise rewrite it, and the rewritten literal would look like a new fact.
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    if isinstance(term, ox.DefaultGraph):
        return rdflib.URIRef("urn:x-rdflib:default")
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(term: Node) -> Any:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def triples_to_rdflib(
    triples: Iterable[ox.Triple | ox.Quad], graph: rdflib.Graph | None = None
) -> rdflib.Graph:
    """An rdflib graph holding ``triples`` (the graph names of quads are dropped)."""
    graph = graph if graph is not None else rdflib.Graph()
    add = graph.add
    for t in triples:
        add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    bind_prefixes(graph)
    return graph


def rdflib_to_triples(graph: rdflib.Graph) -> Iterator[ox.Triple]:
    for s, p, o in graph:
        yield ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))


def bind_prefixes(graph: rdflib.Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


# --------------------------------------------------------------------------------------------
# Serialisation
# --------------------------------------------------------------------------------------------


def _sort_key(term: Any) -> tuple[int, str]:
    order = {ox.NamedNode: 0, ox.BlankNode: 1, ox.Literal: 2, ox.DefaultGraph: -1}
    return order.get(type(term), 3), str(term)


def canonical_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads with blank nodes renamed canonically (RDFC-1.0) and sorted, so that the same
    dataset always serialises to the same bytes."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(
        dataset,
        key=lambda q: (
            _sort_key(q.graph_name),
            _sort_key(q.subject),
            _sort_key(q.predicate),
            _sort_key(q.object),
        ),
    )


def serialize_quads(
    quads: Iterable[ox.Quad], fmt: RdfFormatInfo, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise quads (dropping graph names for triple formats), deterministically."""
    ordered = canonical_quads(quads)
    if fmt.has_graphs and fmt.name != "jsonld":
        items: list[Any] = ordered
    else:
        items = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in ordered))
    use_prefixes = prefixes if fmt.name in ("turtle", "trig") else None
    return ox.serialize(items, format=fmt.oxigraph, prefixes=use_prefixes) or b""
