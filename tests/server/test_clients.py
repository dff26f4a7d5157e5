"""Real SPARQL clients against the real server: SPARQLWrapper (with its default settings, which
add format=/output= parameters) and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.support.icpc_server import IcpcServer

pytestmark = pytest.mark.server

ICPC = "https://w3id.org/icpc-kg/id/org/icpc"
EVENTS = """PREFIX schema: <http://schema.org/>
SELECT ?event ?name WHERE { ?event a schema:Event ; schema:name ?name
  FILTER(LANG(?name) = "en") } ORDER BY ?event"""


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server: IcpcServer, method: str) -> None:
    client = SPARQLWrapper(server.sparql_url)
    client.setQuery(EVENTS)
    client.setReturnFormat(JSON)
    if method == "POST":
        client.setMethod(POST)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    names = [b["name"]["value"] for b in bindings]
    assert "First Policing for Prevention seminar" in names
    assert len(names) >= 10


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_other_result_formats(server: IcpcServer, fmt: str) -> None:
    client = SPARQLWrapper(server.sparql_url)
    client.setQuery(EVENTS)
    client.setReturnFormat(fmt)
    result = client.query()
    converted = result.convert()
    text = converted.toxml() if fmt == XML else converted.decode()  # type: ignore[union-attr]
    assert "First Policing for Prevention seminar" in text


def test_sparqlwrapper_ask(server: IcpcServer) -> None:
    client = SPARQLWrapper(server.sparql_url)
    client.setQuery(f"ASK {{ <{ICPC}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_sparqlwrapper_construct(server: IcpcServer, fmt: str) -> None:
    client = SPARQLWrapper(server.sparql_url)
    client.setQuery(f"CONSTRUCT WHERE {{ <{ICPC}> ?p ?o }}")
    client.setReturnFormat(fmt)
    result = client.query()
    body = result.response.read()
    graph = rdflib.Graph()
    syntax = {TURTLE: "turtle", N3: "turtle", RDFXML: "xml", JSONLD: "json-ld"}[fmt]
    graph.parse(data=body, format=syntax)
    assert (rdflib.URIRef(ICPC), None, None) in graph


def test_sparqlwrapper_sees_a_syntax_error(server: IcpcServer) -> None:
    client = SPARQLWrapper(server.sparql_url)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.query()


def test_rdflib_sparqlstore(server: IcpcServer) -> None:
    graph = rdflib.Graph(SPARQLStore(server.sparql_url))
    rows = list(
        graph.query(
            "SELECT ?name WHERE { ?org <http://schema.org/name> ?name ; "
            "<https://w3id.org/icpc-kg/ontology#acronym> 'ICPC'@en }"
        )
    )
    assert [str(row[0]) for row in rows] == ["International Centre for the Prevention of Crime"]
    assert bool(graph.query(f"ASK {{ <{ICPC}> ?p ?o }}"))
    constructed = graph.query(f"CONSTRUCT WHERE {{ <{ICPC}> ?p ?o }}").graph
    assert constructed is not None and len(constructed) >= 4
    triples = list(graph.triples((rdflib.URIRef(ICPC), None, None)))
    assert len(triples) >= 4


def test_rdflib_sparqlstore_with_the_default_graph_parameter(server: IcpcServer) -> None:
    data1 = "http://kasei.us/2009/09/sparql/data/data1.rdf"
    store = SPARQLStore(server.sparql_url)
    graph = rdflib.Graph(store, identifier=rdflib.URIRef(data1))
    # rdflib sends default-graph-uri for a graph with an identifier: only data1 is seen.
    assert len(list(graph.triples((None, None, None)))) == 1
