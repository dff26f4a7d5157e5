"""Result objects serialise to the SPARQL 1.1 formats exactly as the specs say."""

from __future__ import annotations

import csv
import io
import json
import pickle
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib

from icpc_kg.errors import UnsupportedFormatError
from icpc_kg.results import (
    AskResult,
    GraphResult,
    SelectResult,
    collect,
    render_table,
    serialize_result,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture
def select() -> SelectResult:
    store = ox.Store()
    raw = store.query(
        "SELECT ?x ?label ?n WHERE { { VALUES (?x ?label ?n) { "
        '(<https://w3id.org/icpc-kg/id/org/icpc> "Centre, \\"ICPC\\""@en 3) } } UNION '
        '{ BIND(BNODE() AS ?x) BIND("tab\\there\\nline" AS ?label) } }'
    )
    return collect(raw)


def test_json_follows_the_sparql_results_json_format(select: SelectResult) -> None:
    body = json.loads(serialize_result(select, "json"))
    assert body["head"]["vars"] == ["x", "label", "n"]
    first, second = body["results"]["bindings"]
    assert first["x"] == {"type": "uri", "value": "https://w3id.org/icpc-kg/id/org/icpc"}
    assert first["label"] == {"type": "literal", "value": 'Centre, "ICPC"', "xml:lang": "en"}
    assert first["n"] == {"type": "literal", "value": "3", "datatype": XSD + "integer"}
    assert second["x"]["type"] == "bnode"
    assert "n" not in second  # unbound stays out
    assert second["label"] == {"type": "literal", "value": "tab\there\nline"}


def test_json_parses_back_with_pyoxigraph(select: SelectResult) -> None:
    parsed = list(
        ox.parse_query_results(serialize_result(select, "json"), ox.QueryResultsFormat.JSON)
    )
    assert str(parsed[0]["label"]) == '"Centre, \\"ICPC\\""@en'


def test_xml_follows_the_sparql_results_xml_format(select: SelectResult) -> None:
    root = ET.fromstring(serialize_result(select, "xml"))
    names = [v.get("name") for v in root.iter(f"{SRX}variable")]
    assert names == ["x", "label", "n"]
    first = root.find(f"{SRX}results/{SRX}result")
    assert first is not None
    literal = first.find(f"{SRX}binding[@name='label']/{SRX}literal")
    assert literal is not None and literal.text == 'Centre, "ICPC"'
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_csv_quotes_and_uses_crlf(select: SelectResult) -> None:
    body = serialize_result(select, "csv").decode()
    assert body.startswith("x,label,n\r\n")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1] == ["https://w3id.org/icpc-kg/id/org/icpc", 'Centre, "ICPC"', "3"]
    assert rows[2][2] == ""


def test_tsv_writes_terms_in_turtle_syntax_with_escapes(select: SelectResult) -> None:
    lines = serialize_result(select, "tsv").decode().split("\n")
    assert lines[0] == "?x\t?label\t?n"
    assert lines[1].split("\t")[0] == "<https://w3id.org/icpc-kg/id/org/icpc>"
    assert len(lines[2].split("\t")) == 3  # the tab inside the literal is escaped


def test_ask_in_every_tabular_format() -> None:
    result = AskResult(True)
    assert json.loads(serialize_result(result, "json")) == {"head": {}, "boolean": True}
    assert ET.fromstring(serialize_result(result, "xml")).find(f"{SRX}boolean").text == "true"
    assert render_table(AskResult(False)) == "no\n"


def test_graph_results_serialise_to_rdf_that_parses() -> None:
    raw = ox.Store().query('CONSTRUCT { <http://e/a> <http://e/p> "x"@fr , 2 } WHERE {}')
    result = collect(raw)
    assert isinstance(result, GraphResult)
    for fmt, parser in [
        ("turtle", "turtle"),
        ("ntriples", "nt"),
        ("jsonld", "json-ld"),
        ("rdfxml", "xml"),
        ("trig", "trig"),
        ("nquads", "nquads"),
    ]:
        graph = rdflib.Dataset() if fmt in ("trig", "nquads") else rdflib.Graph()
        graph.parse(data=serialize_result(result, fmt), format=parser)
        assert len(graph) == 2, fmt


def test_wrong_format_for_the_result_kind_lists_valid_ones(select: SelectResult) -> None:
    with pytest.raises(UnsupportedFormatError, match="json, xml, csv, tsv, table"):
        serialize_result(select, "turtle")
    with pytest.raises(UnsupportedFormatError, match="turtle"):
        serialize_result(GraphResult([]), "csv")


def test_cap_marks_the_result_truncated() -> None:
    raw = ox.Store().query("SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } }")
    result = collect(raw, max_rows=2)
    assert isinstance(result, SelectResult)
    assert len(result) == 2 and result.truncated
    assert "(2 rows, truncated)" in render_table(result)


def test_table_uses_prefixed_names_and_aligns(select: SelectResult) -> None:
    table = render_table(select).splitlines()
    assert table[0].split() == ["x", "label", "n"]
    assert table[2].startswith("id:org/icpc ")
    assert 'Centre, "ICPC"@en' in table[2]
    assert table[-1] == "(2 rows)"


def test_results_cross_process_boundaries_unchanged() -> None:
    """Workers send results pickled (as SPARQL TSV / N-Triples text): every kind of term,
    unbound values, blank node labels and the truncation flag come back exactly."""
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    rows: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]] = [
        (ox.Literal('tab\there\nnew "q" \\ é'), None),
        (ox.BlankNode("b1"), ox.Literal("x", language="fr")),
        (ox.NamedNode("https://w3id.org/icpc-kg/id/org/icpc"), ox.Literal("5", datatype=integer)),
        (None, ox.Literal("")),
    ]
    select = SelectResult(["a", "b"], rows, truncated=True)
    assert pickle.loads(pickle.dumps(select)) == select
    quoted = SelectResult(
        ["t"], [(ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("1")),)]
    )
    assert pickle.loads(pickle.dumps(quoted)) == quoted
    triples = [
        ox.Triple(ox.BlankNode("n1"), ox.NamedNode("http://schema.org/name"), ox.Literal("a\nb")),
        ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.BlankNode("n1")),
    ]
    graph = GraphResult(triples, truncated=False)
    assert pickle.loads(pickle.dumps(graph)) == graph
