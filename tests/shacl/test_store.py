"""The store-level entry point (what build, validate and add use): engines, SHACL-AF rules,
and which graphs of the store are the data graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from icpc_kg.errors import ShaclFailure
from icpc_kg.load import GraphSource, LoadedDataset
from icpc_kg.rdfio import FORMATS, parse_rdf
from icpc_kg.shacl import validate_dataset, validate_store
from icpc_kg.shacl.plan import plan_for_quads
from icpc_kg.shacl.store import graph_arguments

EX = rdflib.Namespace("http://example.org/ns#")
SHAPES = """
@prefix ex: <http://example.org/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""
RULE = """
@prefix ex: <http://example.org/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:name ; sh:object "x" ] .
"""


def turtle(text: str) -> list[ox.Quad]:
    return parse_rdf(text.encode(), FORMATS["turtle"])


def dataset(graphs: dict[str, str]) -> LoadedDataset:
    loaded = LoadedDataset(ox.Store())
    for name, text in graphs.items():
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(name)) for q in turtle(text)
        ]
        loaded.add_graph(GraphSource(name, "data", None, len(quads)), quads)
    return loaded


def test_the_data_graph_is_the_union_of_the_dataset_s_graphs() -> None:
    data = dataset(
        {
            "urn:g:1": "<http://example.org/ns#a> a <http://example.org/ns#Thing> .",
            "urn:g:2": "<http://example.org/ns#a> <http://example.org/ns#name> 'A' .",
            "urn:g:3": "<http://example.org/ns#b> a <http://example.org/ns#Thing> .",
        }
    )
    report = validate_dataset(data, turtle(SHAPES))
    assert {r.focus for r in report.results} == {EX.b}
    # Given only some graphs, only those are the data graph.
    plan = plan_for_quads(turtle(SHAPES))
    partial = validate_store(data.store, ["urn:g:1"], plan)
    assert {r.focus for r in partial.results} == {EX.a}
    assert graph_arguments(data.store, data.graph_names()) == {"use_default_graph_as_union": True}
    assert graph_arguments(data.store, []) == {}


def test_shacl_af_rules_go_to_pyshacl_under_auto_and_fail_under_sparql() -> None:
    data = dataset({"urn:g:1": "<http://example.org/ns#a> a <http://example.org/ns#Thing> ."})
    shapes = [*turtle(SHAPES), *turtle(RULE)]
    with pytest.raises(ShaclFailure, match=r"does not run SHACL-AF rules \(sh:rule\)"):
        validate_dataset(data, shapes, engine="sparql")
    # pyshacl runs the rule (ex:a gets a name) before it validates: no result.
    assert validate_dataset(data, shapes, engine="auto").results == []
    assert validate_dataset(data, turtle(SHAPES), engine="auto").results  # without the rule


def test_blank_focus_nodes_cannot_be_named_and_are_left_out() -> None:
    data = dataset({"urn:g:1": "<http://example.org/ns#a> a <http://example.org/ns#Thing> ."})
    shapes = turtle(SHAPES)
    assert validate_dataset(data, shapes, focus_nodes=[rdflib.BNode("x")]).results == []
    focused = validate_dataset(data, shapes, focus_nodes=[EX.a, rdflib.BNode("x")])
    assert [r.constraint for r in focused.results] == [SH.MinCountConstraintComponent]
