"""Linking to the graph: entities already in it keep their IRIs and are never duplicated; new
ones get fresh IRIs under the project base."""

from __future__ import annotations

from icpc_kg.extract.document import document_from_bytes, read_document
from icpc_kg.extract.linking import KnownGraph, assign_iris
from icpc_kg.extract.model import Extraction
from icpc_kg.extract.pipeline import find_everything
from icpc_kg.vocab import ID
from tests.extract.conftest import PAGES, entity_named


def linked(text: str, known: KnownGraph, name: str = "page.txt") -> Extraction:
    x = find_everything(document_from_bytes(text.encode(), name), known)
    assign_iris(x, known)
    return x


def test_a_source_document_links_to_the_curated_entities(known: KnownGraph, project) -> None:  # type: ignore[no-untyped-def]
    x = find_everything(read_document(project.sources_dir / "lunch-seminars.txt"), known)
    assign_iris(x, known)
    iri = {e.name: (e.iri, e.linked) for e in x.entities.values()}
    assert iri["International Centre for the Prevention of Crime"] == (str(ID["org/icpc"]), True)
    assert iri["Network for Exchange and Support to Local Actors"] == (str(ID["org/resal"]), True)
    assert iri["René-André Brisebois"] == (str(ID["person/rene-andre-brisebois"]), True)
    assert iri["Lunch Seminars"] == (str(ID["series/lunch-seminars"]), True)
    assert iri["Coordination – A Success Factor in Crime Prevention Initiatives"] == (
        str(ID["event/coordination-mini-conference-2018"]),
        True,
    )
    assert iri["Project Officer"] == (str(ID["role/project-officer"]), True)
    study = next(e for e in x.entities.values() if e.cls == "Study")
    assert not study.linked  # the curated study is named differently: new, for review


def test_by_acronym_by_name_and_territory_and_by_alias(known: KnownGraph) -> None:
    x = linked(
        "Page\n\nCIPC » Events\n\nICPC Seminar on Trust, Montréal, 3 May 2019\n\n"
        "The seminar was co-sponsored by IACP and the "
        "ministère de la Sécurité publique du Québec (MSP), with the support of the Motorola "
        "Solution Foundation and the Canadian Association of Chiefs of Police (CACP).",
        known,
    )
    assert entity_named(x, "CIPC").iri == str(ID["org/icpc"])
    assert entity_named(x, "IACP").iri == str(ID["org/iacp"])
    msp = entity_named(x, "ministère de la Sécurité publique du Québec")
    assert (msp.iri, msp.link_reason) == (
        str(ID["org/quebec-ministere-securite-publique"]),
        "same name and territory",
    )
    assert entity_named(x, "Motorola Solution Foundation").link_reason.startswith("similar name")
    cacp = entity_named(x, "Canadian Association of Chiefs of Police")
    assert not cacp.linked and cacp.iri == str(ID["org/cacp"])  # not the IACP
    assert entity_named(x, "Montréal").iri == str(ID["place/montreal"])


def test_new_entities_never_take_an_existing_iri(known: KnownGraph) -> None:
    x = linked("Page\n\nICPC held a seminar on 3 May 2019 in Québec City (Canada).", known)
    city = next(e for e in x.of_kind("place") if e.cls == "City")
    assert not city.linked  # the graph's Quebec is the province
    assert city.iri is not None and city.iri != str(ID["place/quebec"])
    assert entity_named(x, "Canada").iri == str(ID["place/canada"])


def test_without_the_data_everything_is_new(themes_only: KnownGraph) -> None:
    x = find_everything(read_document(PAGES / "training-dakar.txt"), themes_only)
    assign_iris(x, themes_only, link=False)
    assert not any(e.linked for e in x.entities.values())
    assert all(e.iri and e.iri.startswith(str(ID)) for e in x.entities.values())
    assert len({e.iri for e in x.entities.values()}) == len(x.entities)
