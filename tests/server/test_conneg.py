"""Content negotiation as a table: header in, media type out — for the module itself and for
the real server's /sparql and /id/ routes."""

from __future__ import annotations

import httpx
import pytest

from icpc_kg.server.conneg import (
    GRAPH_OFFERS,
    RESOURCE_OFFERS,
    RESULT_OFFERS,
    choose,
    negotiate,
    parse_accept,
)
from tests.support.icpc_server import IcpcServer

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("application/xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("text/html", "html"),
        (BROWSER, "html"),
        ("application/sparql-results+xml;q=0.5, application/sparql-results+json", "json"),
        ("application/sparql-results+xml, application/sparql-results+json;q=0.9", "xml"),
        ("text/*", "csv"),
        ("text/csv;q=0.1, text/*;q=0.5", "tsv"),
        ("text/turtle", None),
        ("application/sparql-results+json;q=0", None),
    ],
)
def test_select_results(accept: str | None, expected: str | None) -> None:
    offer = negotiate(accept, RESULT_OFFERS)
    assert (offer.name if offer else None) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "turtle"),
        ("*/*", "turtle"),
        ("text/turtle", "turtle"),
        ("application/x-turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("text/plain", "ntriples"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("application/xml", "rdfxml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
        (BROWSER, "html"),
        ("application/rdf+xml;q=0.3, text/turtle;q=0.7", "turtle"),
        ("application/sparql-results+json", None),
    ],
)
def test_graph_results(accept: str | None, expected: str | None) -> None:
    offer = negotiate(accept, GRAPH_OFFERS)
    assert (offer.name if offer else None) == expected


@pytest.mark.parametrize(
    ("accept", "formats", "suffix", "expected"),
    [
        (None, [], None, "turtle"),
        (BROWSER, [], None, "html"),
        ("text/turtle", [], None, "turtle"),
        ("application/ld+json", [], None, "jsonld"),
        (BROWSER, [], "ttl", "turtle"),
        (BROWSER, [], "jsonld", "jsonld"),
        (None, [], "nt", "ntriples"),
        (None, [], "rdf", "rdfxml"),
        ("text/turtle", [], "html", "html"),
        (BROWSER, ["ttl"], None, "turtle"),
        (BROWSER, ["application/rdf+xml"], None, "rdfxml"),
        (None, ["json"], None, "jsonld"),
        (None, ["xml"], None, "rdfxml"),
        (None, ["csv"], None, None),
        ("image/png", [], None, None),
    ],
)
def test_resource_representations(
    accept: str | None, formats: list[str], suffix: str | None, expected: str | None
) -> None:
    offer = choose(RESOURCE_OFFERS, accept, formats, suffix)
    assert (offer.name if offer else None) == expected


def test_accept_parsing_keeps_q_and_order_and_skips_junk() -> None:
    ranges = parse_accept("text/html;level=1;q=0.5, garbage, */*;q=x, application/json")
    assert [(r.type, r.subtype, r.q, r.position) for r in ranges] == [
        ("text", "html", 0.5, 0),
        ("*", "*", 0.0, 2),
        ("application", "json", 1.0, 3),
    ]


# --- the same table through the real server ------------------------------------------------------

SELECT = "SELECT ?x WHERE { VALUES ?x { 1 2 } }"
CONSTRUCT = "CONSTRUCT { <urn:s> <urn:p> 1 } WHERE {}"


@pytest.mark.server
@pytest.mark.parametrize(
    ("query", "accept", "fmt", "media_type"),
    [
        (SELECT, None, None, "application/sparql-results+json"),
        (SELECT, "application/sparql-results+xml", None, "application/sparql-results+xml"),
        (SELECT, "text/csv", None, "text/csv"),
        (SELECT, "text/tab-separated-values", None, "text/tab-separated-values"),
        (SELECT, BROWSER, None, "text/html"),
        (SELECT, "text/csv", "json", "application/sparql-results+json"),
        (SELECT, None, "text/tab-separated-values", "text/tab-separated-values"),
        ("ASK {}", None, None, "application/sparql-results+json"),
        ("ASK {}", "application/sparql-results+xml", None, "application/sparql-results+xml"),
        (CONSTRUCT, None, None, "text/turtle"),
        (CONSTRUCT, "application/n-triples", None, "application/n-triples"),
        (CONSTRUCT, "application/ld+json", None, "application/ld+json"),
        (CONSTRUCT, "application/rdf+xml", None, "application/rdf+xml"),
        (CONSTRUCT, "application/trig", None, "application/trig"),
        (CONSTRUCT, None, "xml", "application/rdf+xml"),
        (CONSTRUCT, None, "json", "application/ld+json"),
        ("DESCRIBE <https://w3id.org/icpc-kg/id/org/icpc>", None, None, "text/turtle"),
    ],
)
def test_sparql_endpoint_table(
    server: IcpcServer, query: str, accept: str | None, fmt: str | None, media_type: str
) -> None:
    params = {"query": query, **({"format": fmt} if fmt else {})}
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server.sparql_url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.server
@pytest.mark.parametrize(
    ("path", "accept", "status", "media_type"),
    [
        ("/id/org/icpc", None, 200, "text/turtle"),
        ("/id/org/icpc", "*/*", 200, "text/turtle"),
        ("/id/org/icpc", BROWSER, 200, "text/html"),
        ("/id/org/icpc", "text/turtle", 200, "text/turtle"),
        ("/id/org/icpc", "application/ld+json", 200, "application/ld+json"),
        ("/id/org/icpc", "application/n-triples", 200, "application/n-triples"),
        ("/id/org/icpc", "application/rdf+xml", 200, "application/rdf+xml"),
        ("/id/org/icpc", "application/rdf+xml;q=0.5, text/turtle", 200, "text/turtle"),
        ("/id/org/icpc.ttl", BROWSER, 200, "text/turtle"),
        ("/id/org/icpc.jsonld", None, 200, "application/ld+json"),
        ("/id/org/icpc.nt", None, 200, "application/n-triples"),
        ("/id/org/icpc.rdf", None, 200, "application/rdf+xml"),
        ("/id/org/icpc.html", "text/turtle", 200, "text/html"),
        ("/id/org/icpc?format=jsonld", BROWSER, 200, "application/ld+json"),
        ("/id/org/icpc", "image/png", 406, "application/json"),
        ("/id/org/no-such-org", "text/turtle", 404, "text/turtle"),
        ("/id/org/no-such-org", BROWSER, 404, "text/html"),
        ("/id/org/no-such-org", "application/ld+json", 404, "application/ld+json"),
        ("/ontology", BROWSER, 200, "text/html"),
        ("/ontology", "text/turtle", 200, "text/turtle"),
        ("/ontology.jsonld", None, 200, "application/ld+json"),
        ("/graph/places", "application/n-triples", 200, "application/n-triples"),
        ("/shapes", None, 200, "text/turtle"),
        ("/.well-known/void", None, 200, "text/turtle"),
        ("/catalog", "application/ld+json", 200, "application/ld+json"),
    ],
)
def test_linked_data_table(
    server: IcpcServer, path: str, accept: str | None, status: int, media_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server.base_url + path, headers=headers)
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].split(";")[0] == media_type
    if path.startswith("/id/") and "." not in path.rsplit("/", 1)[-1]:
        assert "Accept" in response.headers["vary"]
