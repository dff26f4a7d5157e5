"""The HTML pages as a person (or a crawler) gets them: content, language, embedded JSON-LD,
escaping."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.server.conftest import HOSTILE_IRI, HOSTILE_NAME
from tests.support.icpc_server import IcpcServer

pytestmark = pytest.mark.server

HTML = {"Accept": "text/html"}
PAGES = [
    "/",
    "/events",
    "/organisations",
    "/people",
    "/publications",
    "/themes",
    "/search?q=police",
    "/sparql",
    "/api",
    "/ontology",
    "/validate",
    "/dumps/",
    "/id/org/icpc",
    "/id/event/policing-for-prevention-1998-montreal",
    "/id/org/hostile-test",
]


def jsonld_scripts(html: str) -> list[object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_both_languages(server: IcpcServer, path: str) -> None:
    for lang in ("en", "fr"):
        response = httpx.get(server.base_url + path, headers={**HTML, "Accept-Language": lang})
        assert response.status_code == 200, response.text[:500]
        assert f'<html lang="{lang}">' in response.text
        assert response.headers["content-language"] == lang


@pytest.mark.parametrize(
    "path", [p for p in PAGES if p not in ("/dumps/", "/validate", "/sparql", "/api")]
)
def test_pages_embed_their_schema_org_json_ld(server: IcpcServer, path: str) -> None:
    html = httpx.get(server.base_url + path, headers=HTML).text
    documents = jsonld_scripts(html)
    assert documents, f"no JSON-LD on {path}"
    text = json.dumps(documents)
    assert "schema.org" in text


def test_the_resource_page_shows_what_a_reader_needs(server: IcpcServer) -> None:
    html = httpx.get(
        server.base_url + "/id/event/policing-for-prevention-1998-montreal", headers=HTML
    ).text
    assert "<h1>First Policing for Prevention seminar</h1>" in html
    assert ">seminar</a>" in html  # its type, by the ontology's label
    assert ">organiser</a>" in html and ">start date</a>" in html  # properties, human labels
    assert 'href="/id/org/icpc">International Centre for the Prevention of Crime</a>' in html
    assert ">Referenced by</h2>" in html  # incoming links
    assert "<blockquote" in html and "First seminar, Montreal (Canada), November 1998" in html
    assert 'href="/id/document/strategic-seminars">Strategic Seminars</a>' in html
    (document,) = jsonld_scripts(html)
    assert isinstance(document, dict)
    assert document["@context"]["@vocab"] == "http://schema.org/"
    nodes = {node["@id"]: node for node in document["@graph"]}
    event = nodes["https://w3id.org/icpc-kg/id/event/policing-for-prevention-1998-montreal"]
    assert event["@type"] == "Event"  # the schema.org view, from graph/inferred
    assert event["name"] == "First Policing for Prevention seminar"


def test_french_labels_come_from_the_ontology(server: IcpcServer) -> None:
    html = httpx.get(
        server.base_url + "/id/event/policing-for-prevention-1998-montreal",
        headers={**HTML, "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"},
    ).text
    assert ">séminaire</a>" in html and ">organisateur</a>" in html
    assert ">date de début</a>" in html and ">Cité par</h2>" in html


def test_the_language_switch_sets_a_cookie_that_sticks(server: IcpcServer) -> None:
    with httpx.Client(base_url=server.base_url, headers=HTML) as client:
        english = client.get("/events")
        assert 'id="lang-switch" href="/events?lang=fr"' in english.text
        french = client.get("/events?lang=fr")
        assert "Chronologie des événements" in french.text
        assert client.cookies.get("lang") == "fr"
        later = client.get("/organisations", headers={"Accept-Language": "en"})
        assert '<html lang="fr">' in later.text


def test_a_hostile_label_shows_as_text_and_cannot_end_the_json_ld(server: IcpcServer) -> None:
    for path in ("/id/org/hostile-test", "/organisations", "/search?q=evil"):
        html = httpx.get(server.base_url + path, headers=HTML).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; Evil &amp; Co" in html, path
        assert "<b>EVIL</b>" not in html
        # Only our own script elements: the embedded JSON-LD (and the query page's script).
        assert html.count("</script>") == html.count("<script")
    page = httpx.get(server.base_url + "/id/org/hostile-test", headers=HTML).text
    (document,) = jsonld_scripts(page)
    assert HOSTILE_NAME in json.dumps(document, ensure_ascii=False)
    assert HOSTILE_IRI in json.dumps(document)


def test_index_pages(server: IcpcServer) -> None:
    events = httpx.get(server.base_url + "/events", headers=HTML).text
    years = re.findall(r'<h2 id="y(\d{4})">', events)
    assert years == sorted(years) and "1998" in years and "2018" in years
    assert "First Policing for Prevention seminar" in events
    organisations = httpx.get(server.base_url + "/organisations", headers=HTML).text
    assert (
        'International Centre for the Prevention of Crime</a> <span class="detail">(ICPC)'
        in organisations
    )
    themes = httpx.get(server.base_url + "/themes", headers=HTML).text
    assert "Crime prevention themes" in themes
    assert re.search(
        r"Policing and crime prevention</a>.*?<ul>.*?Police organisational change",
        themes,
        re.DOTALL,
    )
    search = httpx.get(server.base_url + "/search", params={"q": "montreal"}, headers=HTML).text
    assert 'href="/id/place/montreal"' in search
    accents = httpx.get(
        server.base_url + "/search", params={"q": "securite publique"}, headers=HTML
    ).text
    assert "Sécurité publique" in accents


def test_the_query_page_offers_the_named_queries_and_answers_in_html(server: IcpcServer) -> None:
    page = httpx.get(server.sparql_url, headers=HTML).text
    assert '<form id="query-form"' in page and 'action="/sparql"' in page
    assert 'href="/sparql?example=events-by-year"' in page
    example = httpx.get(server.sparql_url, params={"example": "events-by-year"}, headers=HTML).text
    assert "SELECT ?event ?name ?kind" in example
    answer = httpx.get(
        server.sparql_url,
        params={
            "query": "SELECT ?name WHERE { <https://w3id.org/icpc-kg/id/org/icpc> "
            "<http://schema.org/name> ?name }",
            "format": "html",
        },
    )
    assert answer.status_code == 200
    assert (
        '<td><span class="literal" lang="en">International Centre for the Prevention of Crime'
        in answer.text
    )
    wrong = httpx.get(server.sparql_url, params={"query": "SELECT * WHERE {", "format": "html"})
    assert wrong.status_code == 400 and "SPARQL_SYNTAX" in wrong.text
    assert "SELECT * WHERE {</textarea>" in wrong.text  # the query is kept for fixing
