"""The word lists in icpc_kg/extract/lexicons/ are data a curator edits: each must load, say
what it is in its header, hold no entry twice, and (kinds files) compile to patterns that
match what they list."""

from __future__ import annotations

import re

import pytest

from icpc_kg.errors import InputError
from icpc_kg.extract.annotations import parse_annotations
from icpc_kg.extract.lexicon import entries, kind_table, lexicon_names, pair_map, phrase_pattern

KINDS_FILES = {"event-kinds", "publication-kinds", "org-classes"}


@pytest.mark.parametrize("name", lexicon_names())
def test_each_lexicon_loads_and_holds_no_entry_twice(name: str) -> None:
    listed = entries(name)
    assert listed, f"{name}.txt is empty"
    assert len(set(listed)) == len(listed), f"{name}.txt lists an entry twice"
    if name in KINDS_FILES:
        for pattern, cls in kind_table(name):
            assert re.compile(pattern) and cls[0].isupper()
    elif any("=" in entry for entry in listed):
        assert all(key.strip() and value.strip() for key, value in pair_map(name).items())


@pytest.mark.parametrize(
    ("phrase", "matches", "misses"),
    [
        ("conference(s)", ["conference", "conferences"], ["conferencess"]),
        (
            "web~conference",
            ["webconference", "web-conference", "web conference"],
            ["web_conference"],
        ),
        ("lunch seminar(s)", ["lunch-seminar", "lunch seminars"], ["lunchseminar"]),
    ],
)
def test_phrase_syntax(phrase: str, matches: list[str], misses: list[str]) -> None:
    pattern = re.compile(f"(?:{phrase_pattern(phrase)})$")
    assert all(pattern.match(m) for m in matches)
    assert not any(pattern.match(m) for m in misses)


def test_annotations_format_and_its_errors() -> None:
    parsed = parse_annotations(
        "# url: https://example.org/p\n# lang: fr\n"
        "org GovernmentBody | ville de Lyon | acronym=VdL\n?event | réunion\n"
    )
    assert (parsed.url, parsed.lang) == ("https://example.org/p", "fr")
    org, event = parsed.entities
    assert (org.family, org.cls, org.names, org.acronyms) == (
        "org", "GovernmentBody", ["ville de Lyon"], ["VdL"]
    )  # fmt: skip
    assert event.optional and event.cls == "Event"
    with pytest.raises(InputError, match=r"page.ann:1: unknown family"):
        parse_annotations("venue | Hall\n", "page.ann")
    with pytest.raises(InputError, match=r"needs a name"):
        parse_annotations("org |\n", "page.ann")
