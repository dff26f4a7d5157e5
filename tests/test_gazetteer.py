"""icpc_kg.gazetteer: matching places nobody here wrote to GeoNames, by name, kind and the
stated country; ambiguity is refused and explained. Cases: tests/gazetteer/matches.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from icpc_kg.gazetteer import GEONAMES_IRI, default_gazetteer, fold, match_place

CASES = json.loads((Path(__file__).parent / "gazetteer" / "matches.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["id"])
def test_a_place_matches_what_its_names_kind_and_country_say(case: dict[str, Any]) -> None:
    match = match_place(case["names"], case["kind"], case["country"])
    found = match.feature.geonames_id if match.feature else None
    assert found == case["geonames"], match.problem or match.method
    assert case["says"] in (match.method if match.matched else match.problem)
    if match.matched:
        assert not match.problem
        assert match.feature is not None and match.feature in match.candidates
    else:
        assert match.problem and not match.method


def test_a_refusal_lists_the_candidates_with_their_countries_and_populations() -> None:
    match = match_place(["Birmingham"], "city")
    assert "Birmingham, GB (GeoNames 2655603, 1,157,603 people)" in match.problem
    assert "Birmingham, US (GeoNames 4049979" in match.problem
    assert {f.country for f in match.candidates} == {"GB", "US"}


def test_a_city_has_coordinates_as_decimals_and_an_iri() -> None:
    feature = match_place(["Montréal"], "city", "CA").feature
    assert feature is not None
    assert feature.iri == f"{GEONAMES_IRI}6077243/"
    assert (feature.latitude, feature.longitude) == ("45.50884", "-73.58781")
    assert feature.country == "CA"
    canada = default_gazetteer().country("ca")
    assert canada is not None and canada.iri == f"{GEONAMES_IRI}6251999/"
    assert canada.latitude is None  # the package has no coordinates for countries


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Washington, D.C.", "washington dc"),
        ("Montréal", "montreal"),
        ("St. John's", "st johns"),
        ("Île-de-France", "ile de france"),
        ("  QUÉBEC  ", "quebec"),
    ],
)
def test_names_compare_without_accents_case_or_punctuation(name: str, folded: str) -> None:
    assert fold(name) == folded
