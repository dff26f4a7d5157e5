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

- The full profile is compacted with ``ontology/context.jsonld`` and names it by its canonical
  URL (``https://w3id.org/icpc-kg/context.jsonld``), which a portal can fetch; nothing here
  fetches anything: pyld gets a document loader that serves that URL from disk and refuses
  every other. The schema profile carries its small context inline (:data:`SCHEMA_CONTEXT`).
- Integers in canonical form are JSON numbers (which read back as the same xsd:integer); other
  typed literals, dates included, stay ``{"@value", "@type"}`` objects. Blank nodes that are
  the object of one triple (the passage selectors) are embedded there, without labels.
- Compaction is done by :class:`Compactor`, a direct implementation of JSON-LD 1.1 compaction
  for the context features the project uses, because pyld needs 10 to 20 s per 100k triples.
  The test suite checks it against pyld; a context using any other feature goes to pyld.
- Frames are JSON-LD 1.1 frame documents in ``icpc_kg/frames/{profile}/{name}.jsonld``: in
  the package, not in ontology/, because their names are the command's ``--frame`` choices
  and because ``load_project`` reads every ``.jsonld`` under ontology/ as data. pyld applies
  them with ``omitDefault`` on (a property a node lacks is left out, not null).
  A language-map property is matched with ``[{}]``: ``{}`` would be an empty language map
  that matches nothing. :func:`frame_nodes` gives pyld only the nodes a frame can reach,
  in chunks of top-level nodes, and compacts its output with :class:`Compactor`; the result
  is the same as framing everything at once (tested) in time linear in the graph.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyld import jsonld

from icpc_kg.errors import InputError, UnknownChoiceError, UnsafeInputError
from icpc_kg.load import LoadedDataset
from icpc_kg.project import BUNDLED_CONTENT, SOURCE_CHECKOUT
from icpc_kg.rdfio import (
    CONTEXT_URLS,
    FORMATS,
    RdfFormatInfo,
    canonical_quads,
    format_named,
    serialize_quads,
)
from icpc_kg.vocab import PREFIXES, SCHEMA

CONTEXT_URL = CONTEXT_URLS[0]
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

JsonObject = dict[str, Any]


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


def default_context_file() -> Path:
    """``ontology/context.jsonld`` of the source checkout, else of the installed package."""
    for root in (SOURCE_CHECKOUT, BUNDLED_CONTENT):
        path = root / "ontology" / "context.jsonld"
        if path.is_file():
            return path
    raise FileNotFoundError("ontology/context.jsonld is missing from the package")


def read_context_document(path: Path | None = None) -> JsonObject:
    """The whole context document: ``version``, ``url``, ``description`` and ``@context``."""
    document: JsonObject = json.loads((path or default_context_file()).read_text("utf-8"))
    return document


def offline_document_loader(context_document: JsonObject) -> Callable[..., JsonObject]:
    """A pyld document loader that serves the project context and refuses any other URL."""

    def load(url: str, options: Any = None) -> JsonObject:
        if url in CONTEXT_URLS:
            return {"contextUrl": None, "documentUrl": url, "document": context_document}
        raise jsonld.JsonLdError(
            f"refusing to fetch {url}: only the project context {CONTEXT_URL} is available",
            "jsonld.LoadDocumentError",
            code="loading remote context failed",
        )

    return load


def resolve_context(reference: Any, context_document: JsonObject) -> JsonObject:
    """The local context object a ``@context`` value stands for (the project URL, an object,
    or a list of them, later entries overriding earlier ones)."""
    if isinstance(reference, str):
        if reference not in CONTEXT_URLS:
            raise UnsafeInputError(f"remote JSON-LD @context {reference!r} is refused")
        resolved: JsonObject = context_document["@context"]
        return resolved
    if isinstance(reference, list):
        merged: JsonObject = {}
        for item in reference:
            merged.update(resolve_context(item, context_document))
        return merged
    if isinstance(reference, dict):
        return reference
    return {}


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
# Compaction
# --------------------------------------------------------------------------------------------


class UnsupportedContextError(Exception):
    """The context uses a feature :class:`Compactor` does not implement."""


@dataclass(frozen=True)
class TermDefinition:
    name: str
    iri: str
    type: str | None = None  # "@id", "@vocab", a datatype IRI, or None
    language_map: bool = False  # "@container": "@language"
    no_language: bool = False  # "@language": null: plain strings only
    prefix: bool = False  # usable as the prefix of a compact IRI
    reverse: bool = False


_GEN_DELIM_END = re.compile(r".*[:/?#\[\]@]$")
_IRI_CACHE_SIZE = 1_000_000
_TERM_KEYS = {"@id", "@reverse", "@type", "@container", "@language"}


class Compactor:
    """JSON-LD 1.1 compaction of expanded node objects (flat or framed, with embedded nodes
    and ``@reverse``) for contexts made of prefixes, ``@vocab``, a default ``@language``, and
    terms with one of ``@type`` (``@id``, ``@vocab`` or a datatype), ``@container:
    @language`` or ``@language: null``, plus ``@reverse`` terms; at most one forward term per
    IRI. It follows the JSON-LD 1.1 API's compaction, IRI compaction, term selection and value
    compaction algorithms for exactly those features, as pyld implements them."""

    def __init__(self, context: JsonObject) -> None:
        self.vocab: str | None = None
        self.language: str | None = None
        self._raw: dict[str, Any] = {}
        for key, value in context.items():
            if key == "@version" and value == 1.1:
                continue
            if key == "@vocab":
                self.vocab = value
            elif key == "@language":
                self.language = value
            elif key.startswith("@"):
                raise UnsupportedContextError(key)
            else:
                self._raw[key] = value
        self.terms: dict[str, TermDefinition] = {}
        for name in self._raw:
            self._define(name, set())
        if self.vocab is not None:
            self.vocab = self._expand(self.vocab, set())
        self.by_iri: dict[str, TermDefinition] = {}
        self.reverse_by_iri: dict[str, TermDefinition] = {}
        for term in sorted(self.terms.values(), key=lambda t: (len(t.name), t.name)):
            table = self.reverse_by_iri if term.reverse else self.by_iri
            if term.iri in table:
                raise UnsupportedContextError(f"two terms for {term.iri}")
            table[term.iri] = term
        self.prefixes = [t for t in self.terms.values() if t.prefix]
        self._iri_cache: dict[tuple[str, bool], str] = {}

    # -- context processing ------------------------------------------------------------------

    def _define(self, name: str, defining: set[str]) -> TermDefinition:
        if name in self.terms:
            return self.terms[name]
        if name in defining:
            raise UnsupportedContextError(f"cyclic term {name}")
        defining.add(name)
        value = self._raw[name]
        if isinstance(value, str):
            iri = self._expand(value, defining)
            prefix = ":" not in name and bool(_GEN_DELIM_END.match(iri))
            term = TermDefinition(name, iri, prefix=prefix)
        elif isinstance(value, dict) and set(value) <= _TERM_KEYS:
            term = self._expanded_definition(name, value, defining)
        else:
            raise UnsupportedContextError(f"term {name}")
        if ":" in name and self._expand_curie(name, defining) not in (None, term.iri):
            raise UnsupportedContextError(f"{name} does not expand to its own IRI")
        self.terms[name] = term
        return term

    def _expanded_definition(
        self, name: str, value: JsonObject, defining: set[str]
    ) -> TermDefinition:
        reverse = "@reverse" in value
        if reverse == ("@id" in value):
            raise UnsupportedContextError(f"{name}: needs exactly one of @id and @reverse")
        iri = self._expand(value["@reverse" if reverse else "@id"], defining)
        coerce = value.get("@type")
        if coerce is not None and coerce not in ("@id", "@vocab"):
            coerce = self._expand(coerce, defining)
        container = value.get("@container")
        if container not in (None, "@language", ["@language"]):
            raise UnsupportedContextError(f"{name}: @container {container}")
        no_language = "@language" in value
        if no_language and value["@language"] is not None:
            raise UnsupportedContextError(f"{name}: @language {value['@language']}")
        if reverse and (container is not None or no_language):
            raise UnsupportedContextError(f"{name}: reverse term with a container or language")
        if not reverse and sum((container is not None, coerce is not None, no_language)) > 1:
            raise UnsupportedContextError(f"{name}: more than one of @type/@container/@language")
        return TermDefinition(
            name, iri, coerce, container is not None, no_language, reverse=reverse
        )

    def _expand_curie(self, value: str, defining: set[str]) -> str | None:
        prefix, _, suffix = value.partition(":")
        if suffix.startswith("//") or prefix not in self._raw:
            return None
        return self._define(prefix, defining).iri + suffix

    def _expand(self, value: str, defining: set[str]) -> str:
        if ":" in value:
            expanded = self._expand_curie(value, defining)
            return expanded if expanded is not None else value
        if value in self._raw:
            return self._define(value, defining).iri
        raise UnsupportedContextError(f"relative IRI {value!r} in the context")

    # -- IRI compaction ----------------------------------------------------------------------

    def compact_iri(self, iri: str, vocab: bool) -> str:
        """An IRI on its own: a term (``vocab``), a vocab-relative name, a compact IRI or
        itself."""
        key = (iri, vocab)
        cached = self._iri_cache.get(key)
        if cached is None:
            if len(self._iri_cache) >= _IRI_CACHE_SIZE:  # a long-lived server's memory
                self._iri_cache.clear()
            cached = self._iri_cache[key] = self._compact_iri(iri, vocab, None)
        return cached

    def _compact_iri(self, iri: str, vocab: bool, value: JsonObject | None) -> str:
        if vocab and value is None:
            term = self.by_iri.get(iri)
            if term is not None and _plain(term) and term.type in (None, "@id"):
                return term.name
        if vocab and self.vocab and iri.startswith(self.vocab) and iri != self.vocab:
            suffix = iri[len(self.vocab) :]
            if suffix not in self.terms:
                return suffix
        candidate: str | None = None
        for prefix in self.prefixes:
            if iri == prefix.iri or not iri.startswith(prefix.iri):
                continue
            curie = f"{prefix.name}:{iri[len(prefix.iri) :]}"
            existing = self.terms.get(curie)
            usable = existing is None or (value is None and existing.iri == iri)
            if usable and (candidate is None or (len(curie), curie) < (len(candidate), candidate)):
                candidate = curie
        if candidate is not None:
            return candidate
        for prefix in self.prefixes:
            if iri.startswith(prefix.name + ":"):
                raise InputError(
                    f"the IRI {iri} cannot be written in JSON-LD with this context: it would "
                    f"read as a compact IRI with the prefix {prefix.name!r}"
                )
        return iri

    # -- term selection and value compaction ------------------------------------------------

    def _accepts(self, term: TermDefinition, value: JsonObject) -> bool:
        if "@value" not in value:  # a node reference or a node object
            return _plain(term) and term.type in (None, "@id", "@vocab")
        if term.language_map:
            # Strings only: a number in a language map would not expand again (pyld, following
            # the term selection algorithm to the letter, writes one that fails to expand).
            return "@type" not in value and isinstance(value["@value"], str)
        if term.no_language:
            return "@type" not in value and "@language" not in value
        return term.type is None or value.get("@type") == term.type

    def _key(self, iri: str, value: JsonObject) -> tuple[str, TermDefinition | None]:
        term = self.by_iri.get(iri)
        if term is not None and self._accepts(term, value):
            return term.name, term
        return self._compact_iri(iri, True, value), None

    def _compact_value(self, term: TermDefinition | None, value: JsonObject) -> Any:
        if "@value" not in value:
            if term is not None and term.type in ("@id", "@vocab"):
                return self.compact_iri(value["@id"], term.type == "@vocab")
            return {"@id": self.compact_iri(value["@id"], False)}
        if term is not None and term.type is not None and value.get("@type") == term.type:
            return value["@value"]
        if term is not None and term.no_language:
            return value["@value"]
        language = value.get("@language")
        if language is not None:
            if language == self.language:
                return value["@value"]
            return {"@language": language, "@value": value["@value"]}
        if "@type" in value:
            return {"@type": self.compact_iri(value["@type"], True), "@value": value["@value"]}
        if self.language is None or not isinstance(value["@value"], str):
            return value["@value"]
        return {"@value": value["@value"]}

    def _compacted(self, term: TermDefinition | None, value: JsonObject) -> Any:
        if "@value" not in value and set(value) != {"@id"}:
            return self.compact_node(value)
        return self._compact_value(term, value)

    # -- node objects ------------------------------------------------------------------------

    def compact_node(self, node: JsonObject) -> JsonObject:
        """One expanded node object, with what is embedded in it, in compact form."""
        out: JsonObject = {}
        for key in sorted(node):
            values = node[key]
            if key == "@id":
                out["@id"] = self.compact_iri(values, False)
            elif key == "@type":
                types = [self.compact_iri(t, True) for t in values]
                out["@type"] = types[0] if len(types) == 1 else types
            elif key == "@reverse":
                self._add_reverse(out, values)
            elif key.startswith("@"):
                raise UnsupportedContextError(f"{key} in a node")
            else:
                for value in values:
                    self._add(out, key, value)
        return out

    def _add(self, out: JsonObject, iri: str, value: JsonObject) -> None:
        name, term = self._key(iri, value)
        if term is not None and term.language_map:
            _append(out.setdefault(name, {}), value.get("@language") or "@none", value["@value"])
        else:
            _append(out, name, self._compacted(term, value))

    def _add_reverse(self, out: JsonObject, properties: JsonObject) -> None:
        remaining: JsonObject = {}
        for iri in sorted(properties):
            for value in properties[iri]:
                term = self.reverse_by_iri.get(iri)
                if term is not None and "@value" not in value:
                    _append(out, term.name, self._compacted(term, value))
                else:
                    self._add(remaining, iri, value)
        if remaining:
            out["@reverse"] = remaining


def _plain(term: TermDefinition) -> bool:
    return not (term.language_map or term.no_language or term.reverse)


def _append(target: JsonObject, key: str, value: Any) -> None:
    if key not in target:
        target[key] = value
    elif isinstance(target[key], list):
        target[key].append(value)
    else:
        target[key] = [target[key], value]


@lru_cache(maxsize=8)
def _compactor_for(context_json: str) -> Compactor | None:
    try:
        return Compactor(json.loads(context_json))
    except UnsupportedContextError:
        return None


def compactor_for(context: JsonObject) -> Compactor | None:
    """The :class:`Compactor` for ``context`` (kept for the next document: a server compacts
    many), or None if the context uses other features."""
    return _compactor_for(json.dumps(context, sort_keys=True))


def compact(
    nodes: list[JsonObject],
    context_reference: str | JsonObject,
    context_document: JsonObject,
) -> JsonObject:
    """``{"@context": context_reference, "@graph": [...]}``: expanded ``nodes`` compacted
    with the context ``context_reference`` names."""
    compactor = compactor_for(resolve_context(context_reference, context_document))
    if compactor is not None:
        graph = [compactor.compact_node(node) for node in nodes]
    else:
        options = {"graph": True, "documentLoader": offline_document_loader(context_document)}
        graph = _pyld(jsonld.compact, nodes, context_reference, options).get("@graph", [])
    return {"@context": context_reference, "@graph": graph}


def _pyld(function: Callable[..., Any], *args: Any) -> Any:
    try:
        return function(*args)
    except jsonld.JsonLdError as error:
        raise UnsafeInputError(f"JSON-LD processing failed: {_root_cause(error)}") from None


def _root_cause(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error.args[0] if error.args else error).splitlines()[0]


# --------------------------------------------------------------------------------------------
# Framing
# --------------------------------------------------------------------------------------------

_FLAGS = ("@embed", "@explicit", "@omitDefault", "@requireAll")
_FRAME_OPTIONS: JsonObject = {
    "omitDefault": True,
    "omitGraph": False,
    "pruneBlankNodeIdentifiers": True,
}
# Top-level nodes framed per pyld call. pyld finds the nodes a reverse property reaches by
# scanning every node of its input for each top-level node, so those frames go in small steps.
_CHUNK = 200
_REVERSE_CHUNK = 20


def expand_frame(frame: JsonObject, context_document: JsonObject) -> JsonObject:
    """``frame`` with every key and type an absolute IRI and no ``@context``: a frame pyld
    applies without compacting anything afterwards."""
    options = {
        "documentLoader": offline_document_loader(context_document),
        "isFrame": True,
        "keepFreeFloatingNodes": True,
    }
    expanded = _pyld(jsonld.expand, frame, options)
    return _absolute_frame(expanded[0] if expanded else {})


def _absolute_frame(frame: JsonObject) -> JsonObject:
    # The expanded form of a frame does not expand again (an "@id": [{}] wildcard is refused),
    # so it is written back as the frame it stands for, with absolute IRIs as keys.
    out: JsonObject = {}
    for key, value in frame.items():
        if key in _FLAGS:
            out[key] = value[0] if isinstance(value, list) else value
        elif key == "@id":
            out[key] = {} if value in ([{}], {}) else value
        elif key == "@reverse":
            out[key] = {p: [_absolute_frame(s) for s in subs] for p, subs in value.items()}
        elif key.startswith("@"):
            out[key] = value
        else:
            out[key] = [_absolute_frame(s) if _is_node_frame(s) else s for s in value]
    return out


def _is_node_frame(value: Any) -> bool:
    return isinstance(value, dict) and not {"@value", "@list", "@language"} & set(value)


def frame_nodes(
    nodes: list[JsonObject],
    frame: JsonObject,
    context_document: JsonObject,
    ids: Sequence[str] | None = None,
    relabel: Callable[[], list[JsonObject]] | None = None,
) -> JsonObject:
    """pyld framing of flattened expanded ``nodes`` with ``frame``, always as an ``@graph``
    array, compacted with the frame's ``@context``; ``ids`` picks the top-level nodes.

    ``relabel`` gives the same nodes with canonical blank-node labels; it is called, and its
    nodes framed instead, only when the frame reaches a blank node.
    """
    context_reference = frame.get("@context", {})
    compactor = compactor_for(resolve_context(context_reference, context_document))
    absolute = expand_frame(frame, context_document)
    batches = _batches(nodes, absolute, ids)
    if relabel is not None and _touches_blank_nodes(batches):
        batches = _batches(relabel(), absolute, ids)
    graph: list[JsonObject] = []
    for batch, batch_ids in batches:
        if compactor is not None:
            scoped = {**absolute, "@context": {}}
            if batch_ids is not None:
                scoped["@id"] = batch_ids
            framed = _pyld(jsonld.frame, batch, scoped, {**_FRAME_OPTIONS, "compactArrays": False})
            graph.extend(compactor.compact_node(_reexpand(n)) for n in framed["@graph"])
        else:
            scoped = frame if batch_ids is None else {**frame, "@id": batch_ids}
            options = {
                **_FRAME_OPTIONS,
                "documentLoader": offline_document_loader(context_document),
            }
            graph.extend(_pyld(jsonld.frame, batch, scoped, options)["@graph"])
    return {"@context": context_reference, "@graph": graph}


Batch = tuple[list[JsonObject], list[str] | None]


def _batches(nodes: list[JsonObject], frame: JsonObject, ids: Sequence[str] | None) -> list[Batch]:
    """The inputs of the pyld calls: chunks of top-level nodes, each with what the frame can
    reach from them; or, for a frame that matches by duck typing, everything at once."""
    roots = list(ids) if ids is not None else _top_level_matches(nodes, frame)
    if roots is None:
        return [(nodes, None)]
    by_id = {node["@id"]: node for node in nodes}
    reverse = _reverse_index(nodes, frame)
    size = _REVERSE_CHUNK if reverse else _CHUNK
    chunks = [roots[i : i + size] for i in range(0, len(roots), size)]
    return [(_reachable(by_id, reverse, chunk, frame), chunk) for chunk in chunks]


def _touches_blank_nodes(batches: list[Batch]) -> bool:
    for batch, _ in batches:
        for node in batch:
            if node["@id"].startswith("_:"):
                return True
            for key, values in node.items():
                if any(str(v.get("@id", "")).startswith("_:") for v in _refs(key, values)):
                    return True
    return False


def _top_level_matches(nodes: list[JsonObject], frame: JsonObject) -> list[str] | None:
    if isinstance(frame.get("@id"), list):
        return [str(i) for i in frame["@id"]]
    types = frame.get("@type")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        return None
    wanted = set(types)
    return sorted(n["@id"] for n in nodes if wanted.intersection(n.get("@type", ())))


def _reverse_index(nodes: list[JsonObject], frame: JsonObject) -> dict[tuple[str, str], list[str]]:
    """(property, object) -> subjects, for the properties the frame follows backwards."""
    properties: set[str] = set()
    stack = [frame]
    while stack:
        current = stack.pop()
        for key, value in current.items():
            if key == "@reverse":
                properties.update(value)
                stack.extend(s for subs in value.values() for s in subs)
            elif not key.startswith("@"):
                stack.extend(s for s in value if _is_node_frame(s))
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node in nodes:
        for prop in properties.intersection(node):
            for value in node[prop]:
                if "@id" in value:
                    index[(prop, value["@id"])].append(node["@id"])
    return index


_ALL = None  # "every property" in the keep map below


def _reachable(
    by_id: dict[str, JsonObject],
    reverse: dict[tuple[str, str], list[str]],
    roots: Sequence[str],
    frame: JsonObject,
) -> list[JsonObject]:
    """The part of the graph framing ``roots`` with ``frame`` can touch: what each subframe
    embeds (with only the properties an explicit subframe lists), what its reverse properties
    reach, and everything below a subframe that embeds properties it does not list."""
    keep: dict[str, set[str] | None] = {}
    seen: set[tuple[str, int, str]] = set()
    # (node, the subframe it is framed with, the property a reverse frame reached it by)
    stack: list[tuple[str, JsonObject | None, str]] = [(root, frame, "") for root in roots]
    while stack:
        node_id, subframe, via = stack.pop()
        if (node_id, id(subframe), via) in seen:
            continue
        seen.add((node_id, id(subframe), via))
        node = by_id.get(node_id)
        if subframe is None:  # embedded with an implicit frame: the whole subtree
            keep[node_id] = _ALL
            if node is not None:
                stack.extend((v["@id"], None, "") for k, vs in node.items() for v in _refs(k, vs))
            continue
        explicit = subframe.get("@explicit", False) is True
        # pyld finds a reverse match by the referring property, so it stays on the node.
        listed = {k for k in subframe if not k.startswith("@")} | ({via} if via else set())
        if keep.get(node_id, set()) is not _ALL:
            previous = keep.get(node_id) or set()
            keep[node_id] = previous | listed if explicit else _ALL
        if node is not None:
            embeds_unlisted = not explicit and subframe.get("@embed", "@once") != "@never"
            for key, values in node.items():
                if key in subframe and not key.startswith("@"):
                    sub = subframe[key][0] if subframe[key] else {}
                    child = sub if _is_node_frame(sub) else None
                    stack.extend((v["@id"], child, "") for v in _refs(key, values))
                elif embeds_unlisted:
                    stack.extend((v["@id"], None, "") for v in _refs(key, values))
        for prop, subs in subframe.get("@reverse", {}).items():
            stack.extend((r, subs[0], prop) for r in reverse.get((prop, node_id), ()))
    out: list[JsonObject] = []
    for node_id, properties in keep.items():
        node = by_id.get(node_id)
        if node is None:
            continue
        if properties is _ALL:
            out.append(node)
        else:
            out.append({k: v for k, v in node.items() if k in properties or k.startswith("@")})
    return out


def _refs(key: str, values: Any) -> list[JsonObject]:
    if key.startswith("@"):
        return []
    return [v for v in values if "@id" in v]


def _reexpand(value: Any) -> Any:
    """pyld output compacted with an empty context and no array compaction, back in expanded
    form (``@type`` arrays, ``{"@value"}`` objects for bare values)."""
    if not isinstance(value, dict) or "@value" in value or "@list" in value:
        return value if isinstance(value, dict) else {"@value": value}
    out: JsonObject = {}
    for key, item in value.items():
        if key == "@type":
            out[key] = item if isinstance(item, list) else [item]
        elif key == "@id":
            out[key] = item
        elif key == "@reverse":
            out[key] = {p: [_reexpand(v) for v in vs] for p, vs in item.items()}
        else:
            out[key] = [_reexpand(v) for v in item]
    return out


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


def jsonld_document(
    quads: Sequence[ox.Quad | ox.Triple],
    profile: str = "full",
    frame: str | JsonObject | None = None,
    context_document: JsonObject | None = None,
    ids: Sequence[str] | None = None,
) -> JsonObject:
    """The JSON-LD document of ``quads`` (already chosen for ``profile``): compacted with the
    profile's context or, with ``frame`` (a frame name or a frame document), framed.

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
    return sort_arrays(document)


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


def check_export_options(fmt: str, frame: str | None, profile: str) -> RdfFormatInfo:
    """The format for ``fmt``, once the combination is known to be valid (so that a mistake
    is reported before the graph is loaded)."""
    check_profile(profile)
    info = format_named(fmt)
    if frame is not None:
        if info.name != "jsonld":
            raise InputError(f"frames shape JSON-LD only; use --format jsonld with --frame {frame}")
        load_frame(frame, profile)
    return info


def export_dataset(
    dataset: LoadedDataset,
    fmt: str = "jsonld",
    frame: str | None = None,
    profile: str = "full",
    context_document: JsonObject | None = None,
) -> bytes:
    """``dataset`` in ``fmt`` for ``profile`` (framed with ``frame`` for JSON-LD), as bytes."""
    info = check_export_options(fmt, frame, profile)
    quads = profile_quads(dataset, profile)
    if info.name == "jsonld":
        return dumps(jsonld_document(quads, profile, frame, context_document))
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
