"""Dereferenceable IRIs and the documents around them, through the real server."""

from __future__ import annotations

import hashlib
import re

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, OWL, RDF, SH, VOID

from icpc_kg.rdfio import FORMATS, load_project_context, parse_rdf, triples_to_rdflib
from tests.support.icpc_server import REPO, IcpcServer

pytestmark = pytest.mark.server

BASE = "https://w3id.org/icpc-kg/"
ICPC_ORG = BASE + "id/org/icpc"
MONTREAL = BASE + "id/event/policing-for-prevention-1998-montreal"
ONT = rdflib.Namespace(BASE + "ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SCHEMA = rdflib.Namespace("http://schema.org/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


def turtle(server: IcpcServer, path: str) -> rdflib.Graph:
    response = httpx.get(server.base_url + path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text[:300]
    return rdflib.Graph().parse(data=response.text, format="turtle")


def test_a_description_has_own_triples_labels_incoming_links_and_passages(
    server: IcpcServer,
) -> None:
    graph = turtle(server, "/id/event/policing-for-prevention-1998-montreal")
    me = rdflib.URIRef(MONTREAL)
    # own triples
    assert (
        me,
        SCHEMA.name,
        rdflib.Literal("First Policing for Prevention seminar", lang="en"),
    ) in graph
    assert (me, RDF.type, ONT.Seminar) in graph
    # labels of linked resources
    place = rdflib.URIRef(BASE + "id/place/montreal")
    assert (me, SCHEMA.location, place) in graph
    assert any(graph.objects(place, SCHEMA.name))
    # incoming links, with their subjects' labels
    workshops = rdflib.URIRef(BASE + "id/event/policing-for-prevention-1998-montreal-workshops")
    assert (workshops, ONT.eventPartOf, me) in graph
    assert any(graph.objects(workshops, SCHEMA.name))
    # source passages: the quote, its offsets and the document
    passages = list(graph.objects(me, ONT.statedIn))
    assert passages
    quotes = {
        str(exact)
        for passage in passages
        for selector in graph.objects(passage, OA.hasSelector)
        for exact in graph.objects(selector, OA.exact)
    }
    assert "First seminar, Montreal (Canada), November 1998" in quotes
    documents = {d for p in passages for d in graph.objects(p, OA.hasSource)}
    assert documents == {rdflib.URIRef(BASE + "id/document/strategic-seminars")}
    assert any(graph.objects(next(iter(documents)), SCHEMA.url))
    # the schema.org view of graph/inferred is not mixed into the RDF description
    assert (me, RDF.type, SCHEMA.Event) not in graph


def test_every_rdf_format_carries_the_same_description(server: IcpcServer) -> None:
    reference = turtle(server, "/id/org/icpc")
    context = load_project_context(REPO / "ontology" / "context.jsonld")
    for suffix, fmt in (("nt", "ntriples"), ("rdf", "rdfxml"), ("jsonld", "jsonld")):
        body = httpx.get(f"{server.base_url}/id/org/icpc.{suffix}").content
        served = [server.base_url + "/context.jsonld"]  # what served JSON-LD names
        quads = parse_rdf(
            body, FORMATS[fmt], f"icpc.{suffix}", context=context, context_urls=served
        )
        assert isomorphic(triples_to_rdflib(quads), reference), suffix


def test_rdf_keeps_canonical_iris_and_html_links_to_this_host(server: IcpcServer) -> None:
    ttl = httpx.get(server.base_url + "/id/org/icpc.ttl").text
    assert ICPC_ORG in ttl and "127.0.0.1" not in ttl
    html = httpx.get(server.base_url + "/id/org/icpc.html").text
    links = re.findall(r'href="([^"]+)"', html)
    assert "/id/event/policing-for-prevention-1998-montreal" in links
    assert not [link for link in links if link.startswith(BASE + "id/")]
    assert "/ontology#Organization" in links  # term IRIs resolve to the ontology page


def test_etag_304_head_vary_and_link_alternates(server: IcpcServer) -> None:
    url = server.base_url + "/id/org/icpc"
    first = httpx.get(url, headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    assert httpx.get(url, headers={"Accept": "application/ld+json"}).headers["etag"] != etag
    again = httpx.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = httpx.head(url, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == etag
    assert head.headers["content-type"] == first.headers["content-type"]
    assert "Accept" in first.headers["vary"]
    link = first.headers["link"]
    for suffix, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("html", "text/html"),
    ):
        assert f'/id/org/icpc.{suffix}>; rel="alternate"; type="{media}"' in link
    assert f'<{ICPC_ORG}>; rel="canonical"' in link


def test_unknown_iris_are_404_in_the_asked_form(server: IcpcServer) -> None:
    url = server.base_url + "/id/org/does-not-exist"
    as_turtle = httpx.get(url, headers={"Accept": "text/turtle"})
    assert as_turtle.status_code == 404
    assert len(rdflib.Graph().parse(data=as_turtle.text, format="turtle")) == 0
    assert "NOT_FOUND" in as_turtle.text
    as_html = httpx.get(url, headers={"Accept": "text/html"})
    assert as_html.status_code == 404 and "<html" in as_html.text
    weird = httpx.get(server.base_url + '/id/org/a"b%3Cc%3E')
    assert weird.status_code == 404


def test_the_ontology_as_rdf_and_as_documentation(server: IcpcServer) -> None:
    graph = turtle(server, "/ontology")
    assert (ONT.Seminar, RDF.type, OWL.Class) in graph
    html = httpx.get(server.base_url + "/ontology", headers={"Accept": "text/html"}).text
    assert 'id="Seminar"' in html and 'id="organizer"' in html
    assert "séminaire" in html and "seminar" in html  # labels in both languages
    assert "Subclass of" in html


def test_named_graphs_shapes_void_and_dcat(server: IcpcServer) -> None:
    places = turtle(server, "/graph/places")
    assert (rdflib.URIRef(BASE + "id/place/montreal"), None, None) in places
    assert httpx.get(server.base_url + "/graph/no-such-graph").status_code == 404
    shapes = turtle(server, "/shapes")
    assert any(shapes.subjects(RDF.type, SH.NodeShape))
    void = turtle(server, "/.well-known/void")
    dataset = rdflib.URIRef(BASE + "dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert int(void.value(dataset, VOID.triples)) > 4000
    assert (dataset, VOID.sparqlEndpoint, rdflib.URIRef(BASE + "sparql")) in void
    dcat = turtle(server, "/catalog")
    sums = dict(
        reversed(line.split("  "))
        for line in httpx.get(server.base_url + "/dumps/SHA256SUMS").text.splitlines()
    )
    distribution = rdflib.URIRef(BASE + "dumps/graph.ttl")
    assert (None, DCAT.distribution, distribution) in dcat
    checksum = dcat.value(distribution, SPDX.checksum)
    assert str(dcat.value(checksum, SPDX.checksumValue)) == sums["graph.ttl"]


def test_context_sitemap_and_robots(server: IcpcServer) -> None:
    context = httpx.get(
        server.base_url + "/context.jsonld", headers={"Origin": "https://a.example"}
    )
    assert context.headers["content-type"].startswith("application/ld+json")
    expected = (REPO / "ontology" / "context.jsonld").read_bytes()
    assert hashlib.sha256(context.content).digest() == hashlib.sha256(expected).digest()
    assert context.headers["access-control-allow-origin"] == "*"  # JSON-LD processors in browsers
    sitemap = httpx.get(server.base_url + "/sitemap.xml").text
    assert f"<loc>{server.base_url}/id/org/icpc</loc>" in sitemap
    assert BASE + "id/" not in sitemap
    robots = httpx.get(server.base_url + "/robots.txt").text
    assert f"Sitemap: {server.base_url}/sitemap.xml" in robots


def test_reads_are_open_to_other_origins(server: IcpcServer) -> None:
    response = httpx.get(
        server.sparql_url, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        server.sparql_url,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
