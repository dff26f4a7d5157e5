"""The fast reasoner must give the same entailments as the reference engine (owlrl)."""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF

from icpc_kg.load import LoadedDataset
from icpc_kg.rdfio import triples_to_rdflib
from icpc_kg.reason import comparable_entailments, infer_rdflib
from icpc_kg.vocab import ICPC, ID, SCHEMA


def test_reasonable_and_owlrl_agree_on_the_bundled_graph(assembled: LoadedDataset) -> None:
    asserted = triples_to_rdflib(assembled.quads(kinds=["ontology", "data", "sources"]))
    fast = comparable_entailments(infer_rdflib(asserted, "reasonable"))
    reference = comparable_entailments(infer_rdflib(asserted, "owlrl"))
    assert fast == reference, (
        f"only reasonable: {sorted(fast - reference)[:10]}\n"
        f"only owlrl: {sorted(reference - fast)[:10]}"
    )
    assert len(fast) > 500


def test_subproperty_and_subclass_entailments_reach_schema_org() -> None:
    graph = rdflib.Graph()
    graph.add((ICPC.Seminar, rdflib.RDFS.subClassOf, ICPC.Event))
    graph.add((ICPC.Event, rdflib.RDFS.subClassOf, SCHEMA.Event))
    graph.add((ICPC.coOrganizer, rdflib.RDFS.subPropertyOf, SCHEMA.organizer))
    graph.add((ID["event/x"], RDF.type, ICPC.Seminar))
    graph.add((ID["event/x"], ICPC.coOrganizer, ID["org/y"]))
    inferred = infer_rdflib(graph)
    assert (ID["event/x"], RDF.type, SCHEMA.Event) in inferred
    assert (ID["event/x"], SCHEMA.organizer, ID["org/y"]) in inferred
    assert (ID["event/x"], RDF.type, ICPC.Seminar) not in inferred  # asserted, not inferred


def test_a_literal_in_a_non_canonical_form_is_not_inferred_again() -> None:
    import pyoxigraph as ox

    from icpc_kg.reason import infer

    xsd = "http://www.w3.org/2001/XMLSchema#"
    subject = ox.NamedNode("https://w3id.org/icpc-kg/id/event/x")
    stated = [
        ox.Quad(
            subject,
            ox.NamedNode(str(SCHEMA.startDate)),
            ox.Literal("2018-02-28T10:00:00Z", datatype=ox.NamedNode(xsd + "dateTime")),
        ),
        ox.Quad(
            subject,
            ox.NamedNode(str(ICPC.edition)),
            ox.Literal("01", datatype=ox.NamedNode(xsd + "integer")),
        ),
    ]
    about_subject = [t for t in infer(stated) if t.subject == subject]
    assert [t.predicate.value for t in about_subject] == [str(RDF.type)]  # owl:Thing only
