"""The named queries as a Web API, and its OpenAPI description."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from icpc_kg.catalog import load_catalog
from tests.support.icpc_server import REPO, IcpcServer

pytestmark = pytest.mark.server

CATALOG = load_catalog(REPO / "queries")


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_named_query_answers_with_its_examples(server: IcpcServer, name: str) -> None:
    query = CATALOG[name]
    params = {p.name: p.example for p in query.params if p.required and p.example}
    response = httpx.get(f"{server.base_url}/api/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    if query.kind in ("CONSTRUCT", "DESCRIBE"):
        assert media == "text/turtle"
    else:
        assert media == "application/sparql-results+json"
        assert "head" in response.json()


def test_json_csv_and_parameters(server: IcpcServer) -> None:
    url = server.base_url + "/api/queries/events-by-year"
    every = httpx.get(url).json()["results"]["bindings"]
    in_1998 = httpx.get(url, params={"year": "1998"}).json()["results"]["bindings"]
    assert 0 < len(in_1998) < len(every)
    assert all(row["start"]["value"].startswith("1998") for row in in_1998)
    as_csv = httpx.get(url, params={"year": "1998", "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["event"] for r in rows] == [r["event"]["value"] for r in in_1998]
    by_accept = httpx.get(url, params={"year": "1998"}, headers={"Accept": "text/csv"})
    assert by_accept.text == as_csv.text
    xml = httpx.get(url, headers={"Accept": "application/sparql-results+xml"})
    assert xml.text.startswith("<?xml")
    tsv = httpx.get(url, params={"format": "tsv"})
    assert tsv.text.startswith("?event\t")


@pytest.mark.parametrize(
    ("name", "params", "status", "code", "names"),
    [
        ("events-by-year", {"year": "nineteen"}, 400, "BAD_PARAMETER", "'year'"),
        ("events-by-year", {"yaer": "1998"}, 400, "BAD_PARAMETER", "'year'"),
        ("events-by-year", {"year": "<script>"}, 400, "BAD_PARAMETER", "'year'"),
        ("event-card", {}, 400, "BAD_PARAMETER", "'event'"),
        ("events-by-yeer", {}, 404, "UNKNOWN_QUERY", "events-by-year"),
        ("events-by-year", {"format": "yaml"}, 400, "BAD_INPUT", "format"),
    ],
)
def test_parameter_errors_name_the_parameter(
    server: IcpcServer, name: str, params: dict[str, str], status: int, code: str, names: str
) -> None:
    response = httpx.get(f"{server.base_url}/api/queries/{name}", params=params)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == code
    assert names in body["message"]


def test_an_iri_parameter_cannot_inject_sparql(server: IcpcServer) -> None:
    response = httpx.get(
        server.base_url + "/api/queries/event-card",
        params={"event": "<urn:x> } } ; DROP ALL ; SELECT * { <urn:y>"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "BAD_PARAMETER"


def test_answers_are_cached_with_an_etag(server: IcpcServer) -> None:
    url = server.base_url + "/api/queries/events-by-year"
    first = httpx.get(url, params={"year": "1999"})
    again = httpx.get(
        url, params={"year": "1999"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    other = httpx.get(url, params={"year": "2001"})
    assert other.headers["etag"] != first.headers["etag"]


def test_openapi_describes_every_query(server: IcpcServer) -> None:
    document = httpx.get(server.base_url + "/api/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": server.base_url}]
    for name, query in CATALOG.items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        assert operation["operationId"] == name
        assert operation["summary"] == query.title
        declared = {p["name"]: p for p in operation["parameters"]}
        for param in query.params:
            assert declared[param.name]["required"] == param.required
            assert declared[param.name]["schema"] == param.json_schema()
        assert "format" in declared
        assert set(operation["responses"]) >= {"200", "400", "503"}
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    assert "/sparql" in document["paths"]


def test_the_docs_page_lists_and_tries_every_query(server: IcpcServer) -> None:
    html = httpx.get(server.base_url + "/api", headers={"Accept": "text/html"}).text
    assert 'href="/api/openapi.json"' in html
    for name in CATALOG:
        assert f'action="/api/queries/{name}"' in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<main>")[0]
    tried = httpx.get(
        server.base_url + "/api/queries/events-by-year",
        params={"year": "2018", "format": "html"},
    )
    assert tried.status_code == 200 and "<table" in tried.text
    listing = httpx.get(server.base_url + "/api/queries").json()
    assert {q["name"] for q in listing["queries"]} == set(CATALOG)
