"""People: honorifics apart, roles at organisations, and presenters, moderators and
panelists kept apart."""

from __future__ import annotations

from collections.abc import Callable

from icpc_kg.extract.model import Extraction
from icpc_kg.extract.person_names import split_name, split_roles
from tests.extract.conftest import entity_named


def memberships(x: Extraction, person: str) -> list[tuple[str, str, list[str]]]:
    key = entity_named(x, person).key
    return sorted(
        (x.entities[m.org].name if m.org else "", m.title, [x.entities[r].name for r in m.roles])
        for m in x.memberships
        if m.person == key
    )


def test_honorific_and_two_roles_at_two_organisations(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nIn this first part, Mr. René-André Brisebois, Criminologist at the Montreal "
        "Youth Centre - Research Institute and Coordinator at the RÉSAL (Network for Exchange "
        "and Support to Local Actors), presented the approach."
    )
    person = entity_named(x, "René-André Brisebois")
    assert person.fact("honorificPrefix") == "Mr."
    assert (person.fact("givenName"), person.fact("familyName")) == ("René-André", "Brisebois")
    assert memberships(x, "René-André Brisebois") == [
        ("Montreal Youth Centre - Research Institute", "Criminologist", ["Criminologist"]),
        ("Network for Exchange and Support to Local Actors", "Coordinator", ["Coordinator"]),
    ]


def test_one_title_two_roles(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nPresented by Pier-Alexandre Lemaire, Analyst and Project Officer at ICPC, "
        "the part ended."
    )
    assert memberships(x, "Pier-Alexandre Lemaire") == [
        ("ICPC", "Analyst and Project Officer", ["Analyst", "Project Officer"])
    ]
    assert entity_named(x, "Pier-Alexandre Lemaire").fact("honorificPrefix") is None


def test_french_roles_and_honorifics(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nAnimé par Mme Élise Laroche, directrice des programmes du CIPC, le panel "
        "réunissait M. Juan Pérez, maire de Querétaro, et Mme Ana Ruiz, chercheuse à "
        "l'Université autonome de Querétaro."
    )
    assert entity_named(x, "Élise Laroche").fact("honorificPrefix") == "Mme"
    assert memberships(x, "Élise Laroche") == [
        ("CIPC", "directrice des programmes", ["Directrice des programmes"])
    ]
    perez = entity_named(x, "Juan Pérez")
    assert perez.fact("jobTitle") == ("maire de Querétaro", "fr")  # a place is not an employer
    assert memberships(x, "Juan Pérez") == []
    assert memberships(x, "Ana Ruiz") == [
        ("Université autonome de Querétaro", "chercheuse", ["Chercheuse"])
    ]


def test_name_role_organisation_without_a_preposition(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text("Page\n\nModerator: Jean-François Lavoie, Director of Communications, ICPC")
    assert memberships(x, "Jean-François Lavoie") == [
        ("ICPC", "Director of Communications", ["Director of Communications"])
    ]


def test_moderator_and_panelists_are_kept_apart(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nICPC Lunch Seminar on 21 March 2019\n\n"
        "The panel discussion was moderated by Dr. Anna Kowalski. "
        "The panelists were Ms. Yuki Tanaka, Policy Officer at the Ministry of Justice of Japan, "
        "and Mr. John Carter."
    )
    by_name = {x.entities[key].name: part for _span, key, part in x.person_spans}
    assert by_name == {
        "Anna Kowalski": "moderator",
        "Yuki Tanaka": "panelist",
        "John Carter": "panelist",
    }


def test_a_role_word_alone_is_not_a_person(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text("Page\n\nPresented by the Director General, the report was welcomed.")
    assert x.of_kind("person") == []


def test_later_mentions_by_family_name_are_the_same_person(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nMs. Laura Chen, Project Officer at ICPC, spoke. Then Ms. Chen answered."
    )
    assert [e.name for e in x.of_kind("person")] == ["Laura Chen"]


def test_name_and_role_helpers() -> None:
    assert split_name("Jean de la Fontaine") == ("Jean", "de la Fontaine")
    assert split_roles("Analyst and Project Officer") == ["Analyst", "Project Officer"]
    assert split_roles("Director of Research and Development") == [
        "Director of Research and Development"
    ]
