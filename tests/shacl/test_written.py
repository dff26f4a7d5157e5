"""Data already in a store: term-sensitive constraints judge the literals as written when the
caller hands over the registry of what the store rewrote (``originals``), as ``build`` will."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

from icpc_kg.literals import LiteralOriginals
from icpc_kg.load import GraphSource, LoadedDataset
from icpc_kg.rdfio import FORMATS, parse_rdf
from icpc_kg.shacl import validate_dataset, validate_store
from icpc_kg.shacl.plan import plan_for_quads

GRAPH = "urn:x-test:data"
DATA = """
@prefix ex: <http://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:small "5"^^xsd:byte , "300"^^xsd:byte ; ex:price "4.0"^^xsd:decimal .
"""
SHAPES = """
@prefix ex: <http://example.org/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
    sh:property [ sh:path ex:small ; sh:datatype xsd:byte ] ,
        [ sh:path ex:price ; sh:in ( "4.0"^^xsd:decimal ) ; sh:pattern "[.]0$" ] .
"""


def loaded() -> tuple[ox.Store, LiteralOriginals, list[ox.Quad]]:
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(GRAPH))
        for q in parse_rdf(DATA.encode(), FORMATS["turtle"])
    ]
    store = ox.Store()
    originals = LiteralOriginals()
    store.extend(originals.record(quads))
    shapes = parse_rdf(SHAPES.encode(), FORMATS["turtle"])
    return store, originals, shapes


def values(results: list[object]) -> set[tuple[str, str]]:
    found = set()
    for result in results:
        value = getattr(result, "value", None)
        assert isinstance(value, rdflib.Literal)
        found.add((str(value), str(value.datatype)))
    return found


def test_without_the_registry_the_store_s_rewriting_shows() -> None:
    """What the store alone says, and why the registry is needed: it keeps "5"^^xsd:byte as
    "5"^^xsd:integer and "4.0" as "4", so the byte fails sh:datatype and the price fails both
    sh:in and sh:pattern."""
    store, _originals, shapes = loaded()
    report = validate_store(store, [GRAPH], plan_for_quads(shapes))
    assert ("5", str(XSD.integer)) in values(report.results)
    assert ("4", str(XSD.decimal)) in values(report.results)


def test_with_the_registry_literals_are_judged_and_reported_as_written() -> None:
    store, originals, shapes = loaded()
    report = validate_store(store, [GRAPH], plan_for_quads(shapes), originals=originals)
    # Only the ill-typed byte is a result, and it is reported as written, not as the store's
    # "300"^^xsd:integer.
    assert values(report.results) == {("300", str(XSD.byte))}


def test_validate_dataset_passes_the_registry_on() -> None:
    store, originals, shapes = loaded()
    dataset = LoadedDataset(store, [GraphSource(GRAPH, "data", None, len(store))])
    report = validate_dataset(dataset, shapes, originals=originals)
    assert values(report.results) == {("300", str(XSD.byte))}
    focused = validate_dataset(
        dataset, shapes, focus_nodes=[rdflib.URIRef("http://example.org/ns#a")], originals=originals
    )
    assert values(focused.results) == {("300", str(XSD.byte))}
