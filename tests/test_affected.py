"""What the shapes read around a focus node, and which nodes a change can reach."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from icpc_kg.affected import ANY, affected_focus_nodes, read_profile, store_chain_length

EX = "https://example.org/affected#"
PREFIXES = f"""\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .
<{EX}shapes> sh:declare [ sh:prefix "ex" ; sh:namespace "{EX}"^^xsd:anyURI ] .
"""


def shapes(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def store(text: str = "") -> ox.Store:
    data = ox.Store()
    data.load(f"@prefix ex: <{EX}> .\n{text}".encode(), ox.RdfFormat.TURTLE)
    return data


def sparql_shape(query: str) -> str:
    return f"""
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:sparql [ sh:prefixes <{EX}shapes> ; sh:select \"\"\"{query}\"\"\" ] .
"""


def ex(name: str) -> str:
    return EX + name


def test_core_constraints_read_their_paths_and_the_types_of_values() -> None:
    profile = read_profile(
        shapes("""
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ( ex:a ex:b ) ; sh:class ex:D ] ;
    sh:property [ sh:path [ sh:inversePath ex:c ] ; sh:node ex:T ] .
ex:T a sh:NodeShape ; sh:property [ sh:path ex:d ; sh:minCount 1 ] .
"""),
        store_chain_length(store()),
    )
    assert profile is not None
    assert profile.forward[ex("a")] == 0 and profile.forward[ex("b")] == 1
    rdf_type = str(rdflib.RDF.type)
    assert profile.forward[rdf_type] == 2  # the class of a value two steps away
    assert profile.backward[ex("c")] == 0  # an inverse path reads backward
    assert profile.forward[ex("d")] == 1  # sh:node goes on from the value


def test_sparql_patterns_are_read_from_this() -> None:
    query = "SELECT $this WHERE { ?parent ex:part $this . ?parent ?anything ?value . }"
    profile = read_profile(shapes(sparql_shape(query)), store_chain_length(store()))
    assert profile is not None
    assert profile.backward[ex("part")] == 0
    assert profile.forward[ANY] == 1


def test_repeated_paths_take_their_length_from_the_data() -> None:
    query = "SELECT $this WHERE { $this ex:partOf+ ?whole . ?whole ex:start ?d }"
    chain = store("ex:a ex:partOf ex:b . ex:b ex:partOf ex:c . ex:c ex:partOf ex:d .")
    profile = read_profile(shapes(sparql_shape(query)), store_chain_length(chain))
    assert profile is not None and profile.forward[ex("start")] == 3
    cycle = store("ex:a ex:partOf ex:b . ex:b ex:partOf ex:a .")
    assert read_profile(shapes(sparql_shape(query)), store_chain_length(cycle)) is None


@pytest.mark.parametrize(
    "text",
    [
        sparql_shape("SELECT $this WHERE { ?x ex:p ?y }"),  # not connected to $this
        sparql_shape("SELECT $this WHERE { $this ex:p ?y . { SELECT ?y WHERE { ?y ex:q ?z } } }"),
        sparql_shape("SELECT $this WHERE { GRAPH ?g { $this ex:p ?y } }"),
        "ex:S a sh:NodeShape ; sh:target [ a ex:CustomTarget ] .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:node ex:S .",  # recursive
        "ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:futureParameter 1 .",
        "ex:f a sh:SPARQLFunction ; sh:select 'SELECT ?x WHERE { ?x ?p ?o }' .",
    ],
)
def test_what_cannot_be_bounded_means_validate_everything(text: str) -> None:
    assert read_profile(shapes(text), store_chain_length(store())) is None


def test_a_change_reaches_the_nodes_that_read_it() -> None:
    profile = read_profile(
        shapes("""
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:owner ; sh:class ex:Owner ] .
"""),
        store_chain_length(store()),
    )
    assert profile is not None
    data = store("""
ex:t1 a ex:Thing ; ex:owner ex:alice .
ex:t2 a ex:Thing ; ex:owner ex:bob .
ex:alice a ex:Owner ; ex:note "unread" .
""")
    alice, rdf_type = ox.NamedNode(ex("alice")), ox.NamedNode(str(rdflib.RDF.type))
    # alice's type is read by whoever points at her through ex:owner: t1, not t2.
    changed = [ox.Triple(alice, rdf_type, ox.NamedNode(ex("Owner")))]
    assert affected_focus_nodes(data, profile, changed) == {alice, ox.NamedNode(ex("t1"))}
    # A triple no shape reads reaches nobody.
    unread = [ox.Triple(alice, ox.NamedNode(ex("note")), ox.Literal("changed"))]
    assert affected_focus_nodes(data, profile, unread) == set()
    # The class hierarchy is read everywhere: everything must be validated again.
    subclass = ox.NamedNode(str(rdflib.RDFS.subClassOf))
    hierarchy = [ox.Triple(ox.NamedNode(ex("Owner")), subclass, ox.NamedNode(ex("Agent")))]
    assert affected_focus_nodes(data, profile, hierarchy) is None
