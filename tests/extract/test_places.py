"""Places: what a name is, location phrases, and containment only when the page states it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from icpc_kg.extract.model import Extraction
from icpc_kg.extract.places import gazetteer, parse_location
from tests.extract.conftest import entity_named, related


@pytest.mark.parametrize(
    ("name", "kind", "canonical"),
    [
        ("Montreal", "City", "Montreal"),
        ("UK", "Country", "United Kingdom"),
        ("Royaume-Uni", "Country", "United Kingdom"),
        ("Mexique", "Country", "Mexico"),
        ("Province of Quebec", "AdministrativeRegion", "Quebec"),
        ("Latin America", "WorldRegion", "Latin America"),
        ("Amérique latine", "WorldRegion", "Latin America"),
        ("Washington DC", "City", "Washington DC"),
        ("Palais des congrès de Montréal", "Venue", "Palais des congrès de Montréal"),
        ("online", "OnlineLocation", "Online"),
    ],
)
def test_names_are_classified(name: str, kind: str, canonical: str) -> None:
    info = gazetteer().classify(name)
    assert info is not None and (info.kind, info.name) == (kind, canonical)


def test_everyday_words_are_not_places() -> None:
    for word in ("Police", "Support", "Mission", "Coordination"):
        assert gazetteer().classify(word) is None


def test_a_city_is_put_in_a_country_only_when_written() -> None:
    text = "First seminar, Montreal (Canada), November 1998; Third seminar, Washington DC"
    found = parse_location(text, 0, len(text))
    by_name = {text[p.start : p.end]: p for p in found}
    montreal = by_name["Montreal"]
    assert montreal.within is not None and found[montreal.within].info.name == "Canada"
    assert by_name["Washington DC"].within is None


def test_venue_city_country_chain() -> None:
    text = "at the Palais des congrès de Montréal, in Montreal (Canada)."
    found = parse_location(text, 0, len(text))
    assert [(p.info.kind, p.within) for p in found] == [
        ("Venue", 1),
        ("City", 2),
        ("Country", None),
    ]


def test_event_places_come_from_location_phrases_not_from_any_mention(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Seminars\n\nFirst seminar, Birmingham (UK), December 1999\n\n"
        "Participants came from Canada and Europe. It was held at the Hotel Metropole."
    )
    assert related(x, "First seminar", "schema:location") == ["Birmingham"]
    assert related(x, "Birmingham", "schema:containedInPlace") == ["United Kingdom"]
    assert "Europe" not in [e.name for e in x.of_kind("place")]
    assert entity_named(x, "United Kingdom").alternates[0].text == "UK"
