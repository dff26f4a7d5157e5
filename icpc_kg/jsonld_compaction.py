"""JSON-LD 1.1 compaction, fast: :class:`Compactor` implements the compaction algorithms for
the context features the project uses, because pyld needs 10 to 20 s per 100k triples.

The test suite checks it against pyld; a context using any other feature
(:class:`UnsupportedContextError`) goes to pyld (:func:`compact`). Integers in canonical form
are JSON numbers (which read back as the same xsd:integer); other typed literals, dates
included, stay ``{"@value", "@type"}`` objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyld import jsonld

from icpc_kg.errors import InputError, UnsafeInputError
from icpc_kg.jsonld_context import JsonObject, offline_document_loader, resolve_context


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
