"""The two stores behave the same: same answers, same refusals, same errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from icpc_kg.errors import (
    QueryTimeoutError,
    ReadOnlyError,
    RefusedQueryError,
    SparqlSyntaxError,
    StoreUnreachableError,
)
from icpc_kg.executor import QueryRequest
from icpc_kg.results import GraphResult, SelectResult, serialize_result
from icpc_kg.store import EmbeddedStore, RemoteStore, Store
from tests.support.oxigraph_server import OxigraphServer, free_port

EVENTS = (
    "SELECT ?e ?name WHERE { ?e a <http://schema.org/Event> ; "
    "<http://schema.org/name> ?name FILTER(lang(?name) = 'en') } ORDER BY ?e"
)


@pytest.fixture(scope="module", params=["embedded", "remote"])
def store(request: pytest.FixtureRequest, bundled_nquads: Path) -> Iterator[Store]:
    if request.param == "embedded":
        embedded = EmbeddedStore(bundled_nquads, workers=1)
        yield embedded
        embedded.close()
    else:
        server: OxigraphServer = request.getfixturevalue("oxigraph")
        yield RemoteStore(server.query_url)


def test_same_answers(store: Store, bundled_nquads: Path) -> None:
    result = store.run(QueryRequest(EVENTS))
    assert isinstance(result, SelectResult)
    names = [t.value for t in result.column("name") if t is not None]
    assert "First Policing for Prevention seminar" in names
    assert len(names) == 13


def test_same_serialisation(store: Store) -> None:
    result = store.run(QueryRequest(EVENTS, serialize_as="csv"))
    assert result.body.startswith(b"e,name\r\nhttps://w3id.org/icpc-kg/id/event/")  # type: ignore[union-attr]


def test_construct(store: Store) -> None:
    result = store.run(
        QueryRequest(
            "CONSTRUCT WHERE { <https://w3id.org/icpc-kg/id/org/iacp> <http://schema.org/name> ?n }"
        )
    )
    assert isinstance(result, GraphResult)
    assert b"International Association of Chiefs of Police" in serialize_result(result, "ntriples")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", RefusedQueryError),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", ReadOnlyError),
        ("SELECT * WHERE { ?s ?p }", SparqlSyntaxError),
    ],
)
def test_same_refusals(store: Store, query: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        store.run(QueryRequest(query))


def test_timeout_is_enforced(store: Store) -> None:
    with pytest.raises(QueryTimeoutError):
        store.run(
            QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
            timeout=1.0,
        )


def test_unreachable_remote_store_is_named() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreUnreachableError, match="cannot reach"):
        RemoteStore(url).run(QueryRequest("ASK {}"), timeout=2)
