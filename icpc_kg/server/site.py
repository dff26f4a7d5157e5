"""The state every route shares: settings, the backend (store + graph version), the named-query
catalog, the caches, and small helpers that read the graph through the store.

Derived data (the ontology's labels, the label index used by search, the list of named graphs)
is computed once per graph version by :meth:`Site.memo` and kept in the cache.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox

from icpc_kg.catalog import NamedQuery
from icpc_kg.executor import QueryRequest
from icpc_kg.results import GraphResult, SelectResult
from icpc_kg.server.backend import Backend
from icpc_kg.server.cache import LruCache
from icpc_kg.server.config import ServerConfig
from icpc_kg.server.i18n import local_name_label, term_label
from icpc_kg.server.links import clickable

T = TypeVar("T")

# What names a resource, best first (a key point has only its statement).
LABEL_PREDICATES = (
    "http://schema.org/name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://w3id.org/icpc-kg/ontology#statement",
)
SEARCH_PREDICATES = (
    *LABEL_PREDICATES[:3],
    "http://schema.org/alternateName",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "https://w3id.org/icpc-kg/ontology#acronym",
)

Labels = dict[str, dict[str, str]]  # iri -> {language tag ("" for none): label}


def pick(labels: dict[str, str] | None, lang: str) -> str | None:
    """The label in ``lang``, else English, else untagged, else any."""
    if not labels:
        return None
    for key in (lang, "en", ""):
        if key in labels:
            return labels[key]
    return next(iter(labels.values()))


def fold(text: str) -> str:
    """Lower case without accents, for search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class LabelEntry:
    iri: str
    label: str
    lang: str
    folded: str


class Site:
    """What the routes share (kept in ``app.state.site``)."""

    def __init__(
        self, config: ServerConfig, backend: Backend, catalog: dict[str, NamedQuery]
    ) -> None:
        from icpc_kg.server.pages import Pages  # the pages need the site; import late

        self.config = config
        self.backend = backend
        self.catalog = catalog
        self.cache = LruCache(config.cache_entries, config.cache_bytes)
        self.pages = Pages(self)

    @property
    def version(self) -> str:
        return self.backend.version

    # --- reading the graph ------------------------------------------------------------------

    async def select(self, sparql: str, max_rows: int | None = None) -> SelectResult:
        result = await self.backend.run(
            QueryRequest(sparql, base_iri=self.config.base, max_rows=max_rows),
            self.config.timeout,
        )
        assert isinstance(result, SelectResult)
        return result

    async def construct(self, sparql: str, max_rows: int | None = None) -> GraphResult:
        result = await self.backend.run(
            QueryRequest(sparql, base_iri=self.config.base, max_rows=max_rows),
            self.config.timeout,
        )
        assert isinstance(result, GraphResult)
        return result

    async def cached(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value cached under ``key`` (which includes the graph version), computed once
        even when many requests miss it at the same moment (see :class:`LruCache`)."""
        return await self.cache.get_or_compute(key, compute)

    async def memo(self, name: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """``compute()`` once per graph version (derived data: labels, graph lists...)."""
        return await self.cached(("memo", name, self.version), compute)

    # --- labels -----------------------------------------------------------------------------

    async def term_labels(self) -> Labels:
        """rdfs:label of every term the graph labels (classes, properties) by language."""

        async def compute() -> Labels:
            result = await self.select(
                "SELECT DISTINCT ?t ?l WHERE { "
                "?t <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(isLiteral(?l)) }"
            )
            return _labels(result.rows)

        return await self.memo("term-labels", compute)

    async def labels_of(self, iris: Iterable[str]) -> Labels:
        """schema:name / skos:prefLabel / rdfs:label of ``iris``, by language."""
        wanted = sorted({i for i in iris if i})
        out: Labels = {}
        predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
        for start in range(0, len(wanted), 500):
            chunk = " ".join(str(ox.NamedNode(i)) for i in wanted[start : start + 500])
            result = await self.select(
                f"SELECT ?s ?l ?p WHERE {{ VALUES ?s {{ {chunk} }} VALUES ?p {{ {predicates} }} "
                "?s ?p ?l FILTER(isLiteral(?l)) }"
            )
            for iri, labels in _labels(result.rows).items():
                for lang, text in labels.items():
                    out.setdefault(iri, {}).setdefault(lang, text)
        return out

    async def label_index(self) -> list[LabelEntry]:
        """Every label of every resource under the base (for search), folded for matching."""

        async def compute() -> list[LabelEntry]:
            predicates = " ".join(f"<{p}>" for p in SEARCH_PREDICATES)
            result = await self.select(
                f"SELECT DISTINCT ?s ?l WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?l "
                "FILTER(isIRI(?s) && isLiteral(?l) && "
                f'STRSTARTS(STR(?s), "{self.config.id_base}")) }}'
            )
            entries = []
            for s, label in result.rows:
                if isinstance(s, ox.NamedNode) and isinstance(label, ox.Literal):
                    entries.append(
                        LabelEntry(s.value, label.value, label.language or "", fold(label.value))
                    )
            return entries

        return await self.memo("label-index", compute)

    def term_name(self, iri: str, lang: str, labels: Labels) -> str:
        """How a page names a class or property: its label in the ontology, a built-in label
        for common vocabularies, else its local name."""
        return pick(labels.get(iri), lang) or term_label(iri, lang) or local_name_label(iri)

    # --- mapping the canonical base onto this host -----------------------------------------

    def local_path(self, iri: str, root_path: str = "") -> str | None:
        """``/id/org/icpc`` for ``{base}id/org/icpc``; None for IRIs outside the base."""
        base = self.config.base
        if iri.startswith(base):
            return f"{root_path}/{iri[len(base) :]}"
        return None

    def href(self, iri: str, root_path: str = "") -> str | None:
        """Where a link to ``iri`` goes on the pages: this server for IRIs under the base,
        the IRI itself otherwise (web pages, schema.org terms); None (shown as text) for an
        IRI that is not safe to click (``javascript:``...: see :mod:`.links`)."""
        return clickable(self.local_path(iri, root_path) or iri)


def _labels(rows: Iterable[tuple[Any, ...]]) -> Labels:
    """Labels by IRI and language from (subject, label[, predicate]) rows, the best label
    predicate (LABEL_PREDICATES order) winning."""
    rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}

    def order(row: tuple[Any, ...]) -> int:
        predicate = row[2] if len(row) > 2 else None
        return rank.get(predicate.value, 0) if isinstance(predicate, ox.NamedNode) else 0

    out: Labels = {}
    for row in sorted(rows, key=order):
        subject, label = row[0], row[1]
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            out.setdefault(subject.value, {}).setdefault(label.language or "", label.value)
    return out
