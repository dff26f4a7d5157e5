"""icpc_kg.dcat: the catalogue meets DCAT-AP 3.0's requirements as
tests/dcat/dcat-ap-3-requirements.ttl states them (mandatory and recommended properties,
ranges, datatypes), and each requirement is one a wrong catalogue fails."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH

from icpc_kg.dcat import CatalogueFacts, Download, catalogue_triples
from icpc_kg.rdfio import triples_to_rdflib

REQUIREMENTS = Path(__file__).parent / "dcat" / "dcat-ap-3-requirements.ttl"
BASE = "https://w3id.org/icpc-kg/"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"

FACTS = CatalogueFacts(
    base=BASE,
    downloads=[
        Download("graph.ttl", 1200, "ab" * 32, "text/turtle"),
        Download("dataset.nq", 3400, "cd" * 32, "application/n-quads"),
    ],
    publisher=BASE + "id/org/icpc",
    publisher_names=[("International Centre for the Prevention of Crime", "en")],
    keywords=[("policing", "en"), ("police", "fr")],
    first_year="1998",
    last_year="2018",
    places=["https://sws.geonames.org/6251999/"],
    modified="2026-11-21T08:00:00Z",
    version="0.1.0",
    ontology=BASE + "ontology",
)


def results(triples: list[ox.Triple]) -> list[tuple[str, str, str]]:
    """(severity, focus, path) of each result of the requirements against ``triples``."""
    data = rdflib.Graph()
    for triple in triples_to_rdflib(triples):
        data.add(triple)
    shapes = rdflib.Graph().parse(REQUIREMENTS, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes)
    return sorted(
        (
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
        )
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    )


def test_the_catalogue_meets_every_requirement_but_an_issue_date() -> None:
    # dct:issued (recommended) is left out: nothing records when the catalogue first appeared.
    assert results(catalogue_triples(FACTS)) == [("Warning", BASE + "catalog", DCT + "issued")]


@pytest.mark.parametrize(
    ("subject", "predicate", "severity"),
    [
        ("catalog", DCT + "title", "Violation"),
        ("catalog", DCT + "description", "Violation"),
        ("catalog", DCT + "publisher", "Violation"),
        ("dataset", DCT + "description", "Violation"),
        ("sparql", DCT + "title", "Violation"),
        ("sparql", DCAT + "endpointURL", "Violation"),
        ("dumps/graph.ttl", DCAT + "accessURL", "Violation"),
        ("id/org/icpc", FOAF + "name", "Violation"),
        ("dataset", DCAT + "contactPoint", "Warning"),
        ("dataset", DCT + "temporal", "Warning"),
        ("dataset", DCT + "spatial", "Warning"),
        ("sparql", DCAT + "endpointDescription", "Warning"),
        ("dumps/graph.ttl", DCT + "format", "Warning"),
    ],
)
def test_a_catalogue_without_a_required_property_fails(
    subject: str, predicate: str, severity: str
) -> None:
    focus = BASE + subject
    kept = [
        t
        for t in catalogue_triples(FACTS)
        if not (t.subject == ox.NamedNode(focus) and t.predicate == ox.NamedNode(predicate))
    ]
    assert (severity, focus, predicate) in results(kept)


def test_ranges_are_typed_in_the_document_itself() -> None:
    """A harvester validating without the vocabularies finds each value's class."""
    untyped = [
        t
        for t in catalogue_triples(FACTS)
        if not (t.object == ox.NamedNode(FOAF + "Document") or t.object.value.endswith("#Kind"))
    ]
    found = {(severity, path) for severity, _, path in results(untyped)}
    assert ("Violation", FOAF + "homepage") in found
    assert ("Violation", DCAT + "contactPoint") in found


def test_the_facts_are_stated_with_their_datatypes() -> None:
    triples = {(t.subject.value, t.predicate.value): t.object for t in catalogue_triples(FACTS)}
    size = triples[(BASE + "dumps/graph.ttl", DCAT + "byteSize")]
    assert size == ox.Literal("1200", datatype=ox.NamedNode(XSD + "nonNegativeInteger"))
    start = triples[(BASE + "dataset#period", DCAT + "startDate")]
    assert start == ox.Literal("1998", datatype=ox.NamedNode(XSD + "gYear"))
    modified = triples[(BASE + "catalog", DCT + "modified")]
    assert modified == ox.Literal("2026-11-21T08:00:00Z", datatype=ox.NamedNode(XSD + "dateTime"))
    checksum = triples[(BASE + "dumps/graph.ttl#sha256", "http://spdx.org/rdf/terms#checksumValue")]
    assert checksum == ox.Literal("ab" * 32, datatype=ox.NamedNode(XSD + "hexBinary"))
    assert not any(isinstance(t.subject, ox.BlankNode) for t in catalogue_triples(FACTS))


XSD = "http://www.w3.org/2001/XMLSchema#"
