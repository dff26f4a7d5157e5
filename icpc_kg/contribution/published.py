"""The part of the published graph a contribution touches, fetched through the store seam.

Two SPARQL queries (over every named graph, so they work the same on the embedded store and on
any SPARQL 1.1 endpoint, whatever its default-graph setting): the one-hop description of each
IRI the contribution describes or points at under the project base, with the descriptions of
blank nodes hanging off them (a passage's selectors); then the types of the resources those
descriptions point at. Each row names its graph, which tells asserted triples from
graph/inferred ones. The published graph is never loaded whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from icpc_kg.executor import DEFAULT_TIMEOUT, QueryRequest
from icpc_kg.load import INFERRED_GRAPH, SHAPES_GRAPH
from icpc_kg.project import Project
from icpc_kg.published import current_or_temporary_dataset
from icpc_kg.results import SelectResult
from icpc_kg.store import EmbeddedStore, RemoteStore, Store, ensure_query_result

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BATCH = 400  # IRIs per query, to keep request bodies modest for remote endpoints


@dataclass
class PublishedSlice:
    """Triples of the published graph about the contribution's IRIs."""

    asserted: list[ox.Triple] = field(default_factory=list)
    inferred: list[ox.Triple] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._about: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        for triple in self.asserted:
            self._about[triple.subject].append(triple)  # type: ignore[index]

    @property
    def existing(self) -> set[str]:
        """IRIs the graph describes (asserted triples, not only inferred ones)."""
        return {s.value for s in self._about if isinstance(s, ox.NamedNode)}

    def asserted_about(self, subject: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
        return self._about.get(subject, [])

    def triples(self) -> list[ox.Triple]:
        return self.asserted + self.inferred


def _slice_query(iris: Iterable[str]) -> str:
    values = " ".join(f"<{iri}>" for iri in iris)
    return f"""
SELECT ?s ?p ?o ?g ?bp ?bo WHERE {{
  VALUES ?s {{ {values} }}
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER (?g != <{SHAPES_GRAPH}>)
  OPTIONAL {{ FILTER (isBlank(?o)) GRAPH ?g {{ ?o ?bp ?bo }} }}
}}"""


def _types_query(iris: Iterable[str]) -> str:
    # rdf:type written in the pattern, not bound by VALUES: with VALUES ?p, Oxigraph scans
    # every typed resource (10 s at 1M triples instead of 10 ms).
    values = " ".join(f"<{iri}>" for iri in iris)
    return f"""
SELECT ?s ?p ?o ?g WHERE {{
  VALUES ?s {{ {values} }}
  GRAPH ?g {{ ?s a ?o }}
  BIND (<{RDF_TYPE}> AS ?p)
  FILTER (?g != <{SHAPES_GRAPH}>)
}}"""


def fetch_slice(
    store: Store, iris: Iterable[str], timeout: float | None = DEFAULT_TIMEOUT
) -> PublishedSlice:
    """The one-hop slice of the published graph around ``iris``, and the types (asserted and
    inferred) of the resources that slice points at, so that ``sh:class`` can be checked on
    the values of the resources the contribution touches."""
    wanted = sorted(set(iris))
    asserted: dict[ox.Triple, None] = {}
    inferred: dict[ox.Triple, None] = {}

    def run(query: str) -> None:
        result = ensure_query_result(store.run(QueryRequest(query), timeout))
        assert isinstance(result, SelectResult)
        rows: list[dict[str, Any]] = result.dicts()
        for row in rows:
            target = inferred if row["g"].value == INFERRED_GRAPH else asserted
            obj = _apart(row["o"])
            target[ox.Triple(row["s"], row["p"], obj)] = None
            if "bp" in row and "bo" in row:
                target[ox.Triple(obj, row["bp"], _apart(row["bo"]))] = None

    for start in range(0, len(wanted), BATCH):
        run(_slice_query(wanted[start : start + BATCH]))
    described = set(wanted)
    pointed = sorted(
        {
            t.object.value
            for t in [*asserted, *inferred]
            if isinstance(t.object, ox.NamedNode) and t.predicate.value != RDF_TYPE
        }
        - described
    )
    for start in range(0, len(pointed), BATCH):
        run(_types_query(pointed[start : start + BATCH]))
    return PublishedSlice(list(asserted), list(inferred))


def _apart(term: Any) -> Any:
    """The store's blank nodes, renamed apart from the contribution's."""
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(f"g{term.value}")
    return term


@contextmanager
def open_published_store(project: Project, endpoint: str | None = None) -> Iterator[Store]:
    """The store holding the published graph: the SPARQL endpoint at ``endpoint``, else the
    project's built dataset in an embedded store (validation writes nothing: a stale build is
    not rebuilt, the project is assembled into a temporary file instead)."""
    if endpoint:
        yield RemoteStore(endpoint)
        return
    with current_or_temporary_dataset(project) as nquads:
        store = EmbeddedStore(nquads, workers=1)
        try:
            yield store
        finally:
            store.close()
