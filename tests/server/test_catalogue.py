"""What harvesters read, from a running server: the DCAT-AP catalogue, VoID in every RDF
syntax (suffix and content negotiation), and the ontology at its version IRI."""

from __future__ import annotations

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.support.icpc_server import IcpcServer
from tests.test_dcat import results

pytestmark = pytest.mark.server

# suffix, media type, rdflib parser
SYNTAXES = [
    ("ttl", "text/turtle", "turtle"),
    ("nt", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("rdf", "application/rdf+xml", "xml"),
    ("trig", "application/trig", "trig"),
    ("nq", "application/n-quads", "nquads"),
]
DOCUMENTS = ["/.well-known/void", "/dataset", "/catalog", "/ontology", "/ontology/0.1.0"]


def graph_of(response: httpx.Response, parser: str) -> rdflib.Graph:
    assert response.status_code == 200, response.text[:300]
    graph = rdflib.Graph()
    if parser in ("trig", "nquads"):
        for s, p, o, _ in rdflib.Dataset().parse(data=response.content, format=parser).quads():
            graph.add((s, p, o))
    else:
        graph.parse(data=response.content, format=parser)
    return graph


@pytest.mark.parametrize("path", DOCUMENTS)
@pytest.mark.parametrize(("suffix", "media_type", "parser"), SYNTAXES, ids=[s[0] for s in SYNTAXES])
def test_a_document_in_every_syntax_by_suffix_and_by_accept(
    server: IcpcServer, path: str, suffix: str, media_type: str, parser: str
) -> None:
    turtle = graph_of(httpx.get(f"{server.base_url}{path}.ttl"), "turtle")
    assert len(turtle) > 20
    by_suffix = httpx.get(f"{server.base_url}{path}.{suffix}")
    assert by_suffix.headers["content-type"].startswith(media_type)
    assert isomorphic(graph_of(by_suffix, parser), turtle)
    by_accept = httpx.get(server.base_url + path, headers={"Accept": media_type})
    assert by_accept.headers["content-type"].startswith(media_type)
    assert isomorphic(graph_of(by_accept, parser), turtle)
    assert f'{path}.{suffix}>; rel="alternate"; type="{media_type}"' in by_accept.headers["link"]


def test_the_ontology_is_served_at_its_version_iri(server: IcpcServer) -> None:
    ontology = graph_of(httpx.get(server.base_url + "/ontology.ttl"), "turtle")
    versions = {str(v) for v in ontology.objects(None, rdflib.OWL.versionIRI)}
    assert versions == {"https://w3id.org/icpc-kg/ontology/0.1.0"}
    page = httpx.get(server.base_url + "/ontology/0.1.0", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<html" in page.text
    assert 'rel="canonical"' in page.headers["link"]
    assert "<https://w3id.org/icpc-kg/ontology/0.1.0>" in page.headers["link"]
    missing = httpx.get(server.base_url + "/ontology/9.9.ttl")
    assert missing.status_code == 404
    assert missing.json()["error"] == "NOT_FOUND"
    assert "/ontology/0.1.0" in missing.json()["message"]


def test_the_served_catalogue_meets_dcat_ap(server: IcpcServer) -> None:
    import pyoxigraph as ox

    body = httpx.get(server.base_url + "/catalog.nt").content
    triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    base = "https://w3id.org/icpc-kg/"
    assert results(triples) == [("Warning", base + "catalog", "http://purl.org/dc/terms/issued")]
    catalogue = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    geonames_countries = {
        o for s, p, o in catalogue if p.endswith("/spatial") and s.endswith("dataset")
    }
    assert geonames_countries == {
        "https://sws.geonames.org/6251999/",  # Canada, United Kingdom, United States
        "https://sws.geonames.org/2635167/",
        "https://sws.geonames.org/6252001/",
    }
    assert (base + "dataset#period", "http://www.w3.org/ns/dcat#startDate", "1998") in catalogue
    assert (
        base + "catalog",
        "http://purl.org/dc/terms/publisher",
        base + "id/org/icpc",
    ) in catalogue
