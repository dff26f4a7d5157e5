"""Organisations: acronyms both ways, names in the other language, kinds from names, and the
territory a government body's name gives."""

from __future__ import annotations

from collections.abc import Callable

from icpc_kg.extract.document import document_from_bytes
from icpc_kg.extract.model import Extraction
from icpc_kg.extract.org_names import acronym_fits, org_class
from icpc_kg.extract.organisations import find_organisations
from tests.extract.conftest import entity_named, related


def test_name_then_acronym(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nThe International Association of Chiefs of Police (IACP) met. IACP agreed."
    )
    org = entity_named(x, "International Association of Chiefs of Police")
    assert [a.text for a in org.acronyms] == ["IACP"]
    assert org.cls == "Association"
    assert len(x.of_kind("org")) == 1  # the later "IACP" is the same organisation


def test_acronym_then_name_in_another_language(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nCoordinator at the RÉSAL (Network for Exchange and Support to Local Actors)."
    )
    org = entity_named(x, "Network for Exchange and Support to Local Actors")
    assert [(a.text, a.lang) for a in org.acronyms] == [("RÉSAL", "fr")]
    assert org.cls == "Network"


def test_names_in_two_languages_and_a_possessive_territory(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nThe series had support from the Province of Quebec's ministère de la "
        "Sécurité publique (Ministry of Public Security) for the first phase."
    )
    org = entity_named(x, "ministère de la Sécurité publique")
    assert {(n.text, n.lang) for n in org.names} == {
        ("ministère de la Sécurité publique", "fr"),
        ("Ministry of Public Security", "en"),
    }
    assert org.cls == "GovernmentBody"
    assert related(x, "ministère de la Sécurité publique", "icpc:jurisdiction") == ["Quebec"]


def test_places_in_names_and_brackets(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nIt was co-organized with America's Office of Community Oriented Policing "
        "Services (COPS), National Crime Prevention Council (USA), and Washington DC's "
        "Metropolitan Police Department. The Solicitor General of Canada helped."
    )
    assert related(x, "Office of Community Oriented Policing Services", "icpc:jurisdiction") == [
        "United States"
    ]
    assert related(x, "National Crime Prevention Council", "icpc:basedIn") == ["United States"]
    police = entity_named(x, "Metropolitan Police Department")
    assert police.cls == "PoliceService"
    assert [a.text for a in police.alternates] == ["Washington DC's Metropolitan Police Department"]
    assert related(x, "Solicitor General of Canada", "icpc:jurisdiction") == ["Canada"]
    assert not any(e.name == "USA" for e in x.of_kind("org"))  # a country, not an acronym


def test_organisations_without_a_head_word_after_a_phrase_only_they_follow(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nThe event was funded by Public Safety Canada. "
        "Mr. Paul Roe, Analyst at Public Safety Canada, spoke."
    )
    assert [e.name for e in x.of_kind("org")] == ["Public Safety Canada"]
    assert related(x, "Paul Roe", "icpc:affiliation") == ["Public Safety Canada"]


def test_event_names_and_titles_are_not_organisations() -> None:
    doc = document_from_bytes(
        b"Page\n\nICPC took part in the 14th United Nations Congress on Crime Prevention, "
        b"held in Kyoto. The Conference Board of Canada attended.",
        "page.txt",
    )
    found = {m.name for m in find_organisations(doc) if m.name}
    assert "Conference Board of Canada" in found
    assert not any("Congress" in name for name in found)


def test_acronym_initials_and_kinds() -> None:
    assert acronym_fits("ICPC", "International Centre for the Prevention of Crime")
    assert acronym_fits("AFD", "Agence française de développement")
    assert not acronym_fits("AFD", "French Development Agency")
    assert org_class("Toronto Police Service") == "PoliceService"
    assert org_class("Université Laval") == "University"
    assert org_class("Montreal Youth Centre - Research Institute") == "ResearchInstitute"
    assert org_class("City of Montreal") == "GovernmentBody"
    assert org_class("International Centre for the Prevention of Crime") == "Organization"


def test_the_site_owner_is_one_organisation_in_both_languages(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nCIPC » Events\n\nThe International Centre for the Prevention of Crime (ICPC) met."
    )
    org = entity_named(x, "International Centre for the Prevention of Crime")
    assert {(a.text, a.lang) for a in org.acronyms} == {("ICPC", "en"), ("CIPC", "fr")}
    assert x.site_owner == org.key


def test_names_joined_by_an_ampersand_and_french_names_after_pour_les(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "News\n\nThe study was led by Lagos Research & Mediation (LRM) last year.\n\n"
        "Elle a été soutenue par l'Observatoire pour les villes durables (OVD-Sud).\n"
    )
    lrm = entity_named(x, "LRM")
    assert lrm.name == "Lagos Research & Mediation"
    ovd = entity_named(x, "OVD-Sud")
    assert ovd.name == "Observatoire pour les villes durables"
