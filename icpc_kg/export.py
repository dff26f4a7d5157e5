"""Export the graph for other portals: JSON-LD with the project context or framed trees, a
schema.org-only view, and every RDF syntax, deterministically (same input, same bytes).

Profiles (which triples go out):

    full     every asserted graph: ontology/ (classes, properties, the SKOS themes), data/,
             data/sources/ and data/contributions/, without graph/inferred. This is what
             ``load_project`` read and what a portal cannot rebuild; the ontology comes along so
             that types, key-point kinds and themes resolve to bilingual labels in the same
             file. N-Quads and TriG keep one named graph per file; JSON-LD and the triple
             syntaxes carry their union. Expanding the JSON-LD gives back exactly this graph.
    schema   the schema.org view: asserted and inferred triples whose predicate is a
             schema.org property, plus ``rdf:type`` statements naming a schema.org class.
             OWL 2 RL reasoning has already put every icpc:/org:/prov: fact a schema.org
             consumer can use under its schema.org super-property or class.

The context (``ontology/context.jsonld``, version = the package's, which a test checks):

- Short names are the local names of the terms the curated data asserts (``organizer`` is
  icpc:organizer, ``name`` schema:name); another vocabulary's term with the same local name
  keeps its prefixed form (``schema:isPartOf`` beside icpc's ``isPartOf``, ``dcterms:publisher``).
  ``organized``, ``funded``, ``published``... are reverse terms, used by the frames.
- No ``@base``: JSON-LD 1.1 ignores ``@base`` in a context fetched by URL, and relative
  ``@id``s would then resolve against wherever a portal keeps the file. Resources are written
  ``id:event/...`` with the ``id:`` prefix instead, which expands the same everywhere.
- ``@vocab`` is the icpc: namespace, so a key a contributor misspells, or an icpc: term newer
  than the context, expands to an icpc: IRI that validation reports, where JSON-LD would
  otherwise drop the key without a word.
- Every object property is ``"@type": "@id"``; ``pointKind`` and ``qualifies`` are
  ``"@vocab"`` (their values are ontology terms: ``"Trend"``, ``"supporter"``).
- Every property whose values are language-tagged strings is a language map (``{"en": ...,
  "fr": ...}``); a value without a language goes under ``"@none"``, so nothing is lost. No
  datatype coercion: dates keep xsd:gYear / gYearMonth / date / dateTime as value objects,
  and integers are JSON numbers, which need none.

JSON-LD:

- The full profile is compacted with ``ontology/context.jsonld``. The document embeds that
  context unless a ``context_url`` is given (``icpc-kg export --context-url URL``; the server
  names its own ``/context.jsonld``): see :mod:`icpc_kg.jsonld_context`. Nothing here
  fetches anything: pyld gets a document loader that serves the project context from disk
  and refuses every other URL. The schema profile carries its small context inline
  (:data:`SCHEMA_CONTEXT`).
- Blank nodes that are the object of one triple (the passage selectors) are embedded there,
  without labels.
- Compaction: :mod:`icpc_kg.jsonld_compaction`; framing: :mod:`icpc_kg.jsonld_framing`.
- Frames are JSON-LD 1.1 frame documents in ``icpc_kg/frames/{profile}/{name}.jsonld``: in
  the package, not in ontology/, because their names are the command's ``--frame`` choices
  and because ``load_project`` reads every ``.jsonld`` under ontology/ as data.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from icpc_kg.errors import InputError, UnknownChoiceError
from icpc_kg.jsonld_compaction import (
    Compactor,
    UnsupportedContextError,
    compact,
    compactor_for,
)
from icpc_kg.jsonld_context import (
    CONTEXT_URL,
    JsonObject,
    default_context_file,
    offline_document_loader,
    read_context_document,
    resolve_context,
    stated_context,
)
from icpc_kg.jsonld_framing import expand_frame, frame_nodes
from icpc_kg.load import LoadedDataset
from icpc_kg.rdfio import (
    FORMATS,
    RdfFormatInfo,
    canonical_quads,
    format_named,
    serialize_quads,
)
from icpc_kg.vocab import PREFIXES, SCHEMA

__all__ = [  # what other modules and the tests import from here
    "CONTEXT_URL",
    "Compactor",
    "UnsupportedContextError",
    "compact",
    "compactor_for",
    "default_context_file",
    "expand_frame",
    "frame_nodes",
    "offline_document_loader",
    "read_context_document",
    "resolve_context",
]

PROFILES = ("full", "schema")
EXPORT_FORMATS = ("jsonld", "turtle", "ntriples", "nquads", "trig", "rdfxml")
FRAMES_DIR = Path(__file__).resolve().parent / "frames"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"

# The context of the schema profile: schema.org terms as bare names, English as the default
# language (most names become plain strings), xsd: for the datatypes of dates, and plain
# strings for the properties whose values never carry a language.
SCHEMA_CONTEXT: dict[str, Any] = {
    "@vocab": str(SCHEMA),
    "@language": "en",
    "xsd": XSD,
    **{
        name: {"@id": f"{SCHEMA}{name}", "@language": None}
        for name in ("givenName", "familyName", "honorificPrefix", "inLanguage")
    },
}


# --------------------------------------------------------------------------------------------
# Profiles, frames and the context
# --------------------------------------------------------------------------------------------


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise UnknownChoiceError("profile", profile, PROFILES)
    return profile


def frame_names(profile: str = "full") -> list[str]:
    """The frames available for ``profile``."""
    folder = FRAMES_DIR / check_profile(profile)
    return sorted(path.stem for path in folder.glob("*.jsonld"))


def load_frame(name: str, profile: str = "full") -> JsonObject:
    """The frame document ``name`` of ``profile``; an unknown name lists the valid ones."""
    valid = frame_names(profile)
    if name not in valid:
        raise UnknownChoiceError("frame", name, valid, f"for the {profile} profile")
    frame: JsonObject = json.loads((FRAMES_DIR / profile / f"{name}.jsonld").read_text("utf-8"))
    return frame


# --------------------------------------------------------------------------------------------
# Choosing the triples
# --------------------------------------------------------------------------------------------


def profile_quads(dataset: LoadedDataset, profile: str = "full") -> list[ox.Quad]:
    """The quads ``profile`` exports from ``dataset`` (see the module docstring)."""
    check_profile(profile)
    asserted = [g.name for g in dataset.graphs if g.kind != "inferred"]
    if profile == "full":
        return _graph_quads(dataset, asserted)
    every = _graph_quads(dataset, [g.name for g in dataset.graphs])
    return [ox.Quad(t.subject, t.predicate, t.object) for t in schema_view(every)]


def _graph_quads(dataset: LoadedDataset, names: Iterable[str]) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for name in names:
        quads.extend(dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return quads


def schema_view(quads: Iterable[ox.Quad | ox.Triple]) -> list[ox.Triple]:
    """The distinct triples of ``quads`` that use schema.org terms only: a schema.org
    predicate, or ``rdf:type`` with a schema.org class."""
    schema = str(SCHEMA)
    kept: dict[ox.Triple, None] = {}
    for q in quads:
        predicate = q.predicate.value
        if predicate.startswith(schema) or (
            predicate == RDF_TYPE
            and isinstance(q.object, ox.NamedNode)
            and q.object.value.startswith(schema)
        ):
            kept[ox.Triple(q.subject, q.predicate, q.object)] = None
    return list(kept)


# --------------------------------------------------------------------------------------------
# Expanded JSON-LD from triples
# --------------------------------------------------------------------------------------------


_CANONICAL_INTEGER = re.compile(r"^(?:0|-?[1-9][0-9]{0,14})$")


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if type(term) is ox.NamedNode else f"_:{term.value}"


def _value_object(literal: ox.Literal) -> JsonObject:
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    datatype = literal.datatype.value
    if datatype == XSD_STRING:
        return {"@value": literal.value}
    if datatype == XSD_INTEGER and _CANONICAL_INTEGER.match(literal.value):
        # A JSON number reads back as this same canonical xsd:integer (exact below 2^53).
        return {"@value": int(literal.value)}
    return {"@value": literal.value, "@type": datatype}


def expand_triples(triples: Iterable[ox.Quad | ox.Triple]) -> list[JsonObject]:
    """Flattened expanded JSON-LD of ``triples`` (graph names dropped, duplicates once): one
    node object per subject; ``rdf:type`` with an IRI or blank node object is ``@type``."""
    unique = dict.fromkeys(t.triple if isinstance(t, ox.Quad) else t for t in triples)
    nodes: dict[str, JsonObject] = {}
    for s, p, o in unique:
        subject = _node_id(s)
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {"@id": subject}
        predicate = p.value
        if type(o) is ox.Literal:
            node.setdefault(predicate, []).append(_value_object(o))
        elif predicate == RDF_TYPE:
            node.setdefault("@type", []).append(_node_id(o))
        else:
            node.setdefault(predicate, []).append({"@id": _node_id(o)})
    return list(nodes.values())


def embed_blank_nodes(nodes: list[JsonObject]) -> list[JsonObject]:
    """Expanded ``nodes`` with each blank node that is the object of exactly one triple moved
    into that triple's value, without its label; blank nodes no named node reaches that way
    (shared ones, cycles, blank nodes used as types) stay top-level with their label."""
    by_id = {node["@id"]: node for node in nodes}
    uses: Counter[str] = Counter()
    types: set[str] = set()
    for node in nodes:
        types.update(node.get("@type", []))
        for key, values in node.items():
            if not key.startswith("@"):
                uses.update(v["@id"] for v in values if "@id" in v)
    embeddable = {i for i in by_id if i.startswith("_:") and uses[i] == 1 and i not in types}
    placed: set[str] = set()

    def inline(node: JsonObject, keep_id: bool) -> JsonObject:
        out: JsonObject = {"@id": node["@id"]} if keep_id else {}
        for key, values in node.items():
            if key != "@id":
                out[key] = values if key.startswith("@") else [take(v) for v in values]
        return out

    def take(value: JsonObject) -> JsonObject:
        node_id = value.get("@id")
        if not isinstance(node_id, str) or node_id not in embeddable:
            return value
        embeddable.discard(node_id)
        placed.add(node_id)
        return inline(by_id[node_id], keep_id=False)

    out = [inline(n, keep_id=True) for n in nodes if not n["@id"].startswith("_:")]
    for node in nodes:
        if node["@id"].startswith("_:") and node["@id"] not in placed:
            embeddable.discard(node["@id"])
            out.append(inline(node, keep_id=True))
    return out


# --------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


def jsonld_document(
    quads: Sequence[ox.Quad | ox.Triple],
    profile: str = "full",
    frame: str | JsonObject | None = None,
    context_document: JsonObject | None = None,
    ids: Sequence[str] | None = None,
    context_url: str | None = None,
) -> JsonObject:
    """The JSON-LD document of ``quads`` (already chosen for ``profile``): compacted with the
    profile's context or, with ``frame`` (a frame name or a frame document), framed.

    The document's ``@context`` is ``context_url`` where the project context is meant to be
    fetched from, or else the context itself, embedded, so that the document stands alone.
    ``ids`` restricts a framed document to those top-level nodes, e.g. the one resource a web
    page is about.
    """
    check_profile(profile)
    context_document = context_document or read_context_document()
    if frame is None:
        # Everything below is sorted, so only the labels of blank nodes that stay labelled
        # (shared or cyclic ones) depend on the input; only then are labels made canonical.
        nodes = embed_blank_nodes(expand_triples(quads))
        if any(node["@id"].startswith("_:") for node in nodes):
            nodes = embed_blank_nodes(expand_triples(_canonical(quads)))
        reference = CONTEXT_URL if profile == "full" else SCHEMA_CONTEXT
        document = compact(nodes, reference, context_document)
    else:
        frame_document = load_frame(frame, profile) if isinstance(frame, str) else frame
        document = frame_nodes(
            expand_triples(quads),
            frame_document,
            context_document,
            ids,
            relabel=lambda: expand_triples(_canonical(quads)),
        )
    document = sort_arrays(document)
    # After sorting: a context's arrays (a list of contexts) are ordered.
    document["@context"] = stated_context(document["@context"], context_document, context_url)
    return document


def _canonical(quads: Sequence[ox.Quad | ox.Triple]) -> list[ox.Quad]:
    """Quads with canonical blank-node labels, in a stable order."""
    return canonical_quads(
        q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads
    )


def sort_arrays(value: Any) -> Any:
    """``value`` with every array sorted (node objects by ``@id``, anything else by its JSON
    text), except ``@list`` arrays, whose order is meaningful; RDF values have no order."""
    if isinstance(value, dict):
        return {k: v if k == "@list" else sort_arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((sort_arrays(v) for v in value), key=_sort_key)
    return value


def _sort_key(value: Any) -> tuple[int, str]:
    if isinstance(value, dict) and isinstance(value.get("@id"), str):
        return (1 if value["@id"].startswith("_:") else 0, value["@id"])
    return (2, json.dumps(value, sort_keys=True, ensure_ascii=False))


def dumps(document: JsonObject) -> bytes:
    """Stable JSON text: sorted keys, two-space indent, UTF-8, a final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


# --------------------------------------------------------------------------------------------
# The one entry point
# --------------------------------------------------------------------------------------------


def check_export_options(
    fmt: str, frame: str | None, profile: str, context_url: str | None = None
) -> RdfFormatInfo:
    """The format for ``fmt``, once the combination is known to be valid (so that a mistake
    is reported before the graph is loaded)."""
    check_profile(profile)
    info = format_named(fmt)
    if frame is not None:
        if info.name != "jsonld":
            raise InputError(f"frames shape JSON-LD only; use --format jsonld with --frame {frame}")
        load_frame(frame, profile)
    if context_url is not None:
        check_context_url(context_url, info)
        if profile != "full":
            raise InputError(
                f"the {profile} profile carries its own small context inline; "
                "--context-url names the project context, used by the full profile"
            )
    return info


def check_context_url(url: str, info: RdfFormatInfo) -> None:
    """A ``--context-url`` must be an absolute http(s) IRI, and only JSON-LD names one."""
    if info.name != "jsonld":
        raise InputError(
            f"only JSON-LD names a context; drop --context-url with --format {info.name}"
        )
    scheme, _, rest = url.partition("://")
    try:
        ox.NamedNode(url)
    except ValueError:
        scheme = ""
    if scheme.lower() not in ("http", "https") or not rest:
        raise InputError(
            f"--context-url needs an absolute http(s) URL such as {CONTEXT_URL}, got {url!r}"
        )


def export_dataset(
    dataset: LoadedDataset,
    fmt: str = "jsonld",
    frame: str | None = None,
    profile: str = "full",
    context_document: JsonObject | None = None,
    context_url: str | None = None,
) -> bytes:
    """``dataset`` in ``fmt`` for ``profile`` (framed with ``frame`` for JSON-LD), as bytes.
    JSON-LD embeds the project context, or names ``context_url`` instead."""
    info = check_export_options(fmt, frame, profile)
    quads = profile_quads(dataset, profile)
    if info.name == "jsonld":
        document = jsonld_document(quads, profile, frame, context_document, context_url=context_url)
        return dumps(document)
    return serialize_quads(quads, FORMATS[info.name], prefixes=used_prefixes(quads))


def used_prefixes(quads: Iterable[ox.Quad | ox.Triple]) -> dict[str, str]:
    """The project prefixes whose namespace ``quads`` use, for Turtle and TriG; not ``id:``
    or ``graph:``, whose local names hold slashes that Turtle would have to escape."""
    namespaces = {p: ns for p, ns in PREFIXES.items() if p not in ("id", "graph")}
    iris: set[str] = set()
    for q in quads:
        for term in (q.subject, q.predicate, q.object):
            if type(term) is ox.NamedNode:
                iris.add(term.value)
            elif type(term) is ox.Literal:
                iris.add(term.datatype.value)
    used = {p for p, ns in namespaces.items() if any(iri.startswith(ns) for iri in iris)}
    return {p: ns for p, ns in namespaces.items() if p in used}
