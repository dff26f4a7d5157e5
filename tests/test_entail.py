"""The build's fast ways to OWL 2 RL entailments give exactly what ``reason.infer`` gives."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from icpc_kg.build import add_inferred, load_content
from icpc_kg.entail import entailments, reasoner_input, split_schema
from icpc_kg.reason import infer
from tests.test_build import EX, copy_project

PREFIXES = (
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    f"@prefix ex: <{EX}> .\n"
)
# Data of every kind the templates distinguish: IRI and blank subjects and objects, typed,
# plain and tagged literals, classes with superclasses, properties with super-properties,
# domains, ranges and inverses, a triple whose subject and object are the same, punning.
DATA = (
    PREFIXES
    + """
ex:Part rdfs:subClassOf ex:Thing .
ex:partOf rdfs:subPropertyOf ex:relatedTo ; rdfs:domain ex:Part ; rdfs:range ex:Whole ;
    owl:inverseOf ex:hasPart .
ex:linked a owl:SymmetricProperty .
ex:label rdfs:subPropertyOf rdfs:label .
ex:a a ex:Part ; ex:partOf ex:b , [ ex:note "blank object" ] ; ex:label "a"@en , "a" , 3 .
_:x ex:partOf ex:a ; ex:linked _:y .
ex:c ex:partOf ex:c ; ex:linked ex:d ; ex:note "inert" .
ex:Part ex:note "a class as a subject" .
ex:when rdfs:subPropertyOf ex:time .
ex:e ex:when "2024-05-14T09:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
    ex:rank "01"^^<http://www.w3.org/2001/XMLSchema#integer> .
ex:f ex:when "2024-05-15T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
"""
)


def write_project(tmp_path: Path, extra: str) -> list[ox.Quad]:
    project = copy_project(tmp_path / "p", extra=True)
    (project.data_dir / "entail-test.ttl").write_text(extra, encoding="utf-8")
    dataset, _ = load_content(project)
    return list(dataset.quads())


def _store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def test_templates_give_what_the_reasoner_gives(tmp_path: Path) -> None:
    quads = write_project(tmp_path, DATA)
    assert split_schema(quads) is not None  # the templates apply
    fast = entailments(quads, _store(quads))
    assert set(fast) == set(infer(quads))
    assert len(fast) == len(set(fast))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    b, a = ox.NamedNode(EX + "b"), ox.NamedNode(EX + "a")
    assert ox.Triple(b, rdf_type, ox.NamedNode(EX + "Whole")) in fast  # range
    assert ox.Triple(b, ox.NamedNode(EX + "hasPart"), a) in fast  # inverse
    assert ox.Triple(a, ox.NamedNode(EX + "relatedTo"), b) in fast  # super-property
    # Literals keep the form they were stated in (the reasoner returns canonical forms), and
    # each subject keeps its own: no template fills in its example's literal for the others.
    times = {(t.subject.value, t.object.value) for t in fast if t.predicate.value == EX + "time"}
    assert times == {
        (EX + "e", "2024-05-14T09:00:00Z"),
        (EX + "f", "2024-05-15T10:00:00Z"),
    }


def test_a_schema_that_joins_triples_falls_back_and_still_agrees(tmp_path: Path) -> None:
    joined = DATA + "ex:relatedTo a owl:TransitiveProperty .\nex:b ex:relatedTo ex:e .\n"
    quads = write_project(tmp_path, joined)
    assert split_schema(quads) is None
    needed, left_out = reasoner_input(quads, _store(quads))
    assert len(needed) < len(quads) and left_out
    assert set(entailments(quads, _store(quads))) == set(infer(quads))


def test_anything_that_can_make_terms_the_same_sends_every_triple(tmp_path: Path) -> None:
    same = DATA + "ex:partOf a owl:FunctionalProperty .\n"
    quads = write_project(tmp_path, same)
    assert split_schema(quads) is None
    assert reasoner_input(quads, _store(quads)) == (quads, set())
    assert set(entailments(quads, _store(quads))) == set(infer(quads))


def test_the_build_adds_the_same_inferred_graph(tmp_path: Path) -> None:
    dataset, _ = load_content(copy_project(tmp_path / "bundled"))
    everything = list(dataset.quads())
    inferred = add_inferred(dataset)
    assert {q.triple for q in inferred} == set(infer(everything))
