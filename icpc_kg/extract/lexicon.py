"""The words the extraction rules use, in English and French, read from the data files of
``icpc_kg/extract/lexicons/`` — one file per list, which a curator can edit without touching
the rules (``tests/extract/test_lexicon.py`` walks every file).

File formats (``#`` starts a comment line):

- a word list: one word or phrase a line (``heads.txt``, ``role-words.txt``...);
- pairs: ``written form = value`` a line (``ordinals.txt``, ``country-aliases.txt``...);
- kinds: ``Class | phrase | phrase ...`` a line (``event-kinds.txt``...). In a phrase,
  ``(s)`` or ``(es)`` is an optional ending, a space or hyphen matches a space, a hyphen or
  nothing where written ``~`` (``web~conference``), and ``\\`` starts a regular expression
  (without ``|``) for the rare phrase a word list cannot say.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

PACKAGE = "icpc_kg.extract"
FOLDER = "lexicons"


@cache
def entries(name: str) -> tuple[str, ...]:
    path = resources.files(PACKAGE).joinpath(FOLDER, f"{name}.txt")
    text = path.read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def lexicon_names() -> list[str]:
    folder = resources.files(PACKAGE).joinpath(FOLDER)
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".txt"))


def word_set(name: str) -> frozenset[str]:
    return frozenset(entries(name))


def pair_map(name: str) -> dict[str, str]:
    found = {}
    for entry in entries(name):
        key, _sep, value = entry.partition("=")
        found[key.strip()] = value.strip()
    return found


def phrase_pattern(phrase: str) -> str:
    """A regular expression for one phrase of a kinds file."""
    if phrase.startswith("\\"):
        return phrase[1:]
    out = []
    for piece in re.split(r"(\(\w+\)|~| |-)", phrase):
        if not piece:
            continue
        if piece.startswith("(") and piece.endswith(")"):
            out.append(f"(?:{re.escape(piece[1:-1])})?")
        elif piece == "~":
            out.append("[- ]?")
        elif piece in (" ", "-"):
            out.append("[- ]")
        else:
            out.append(re.escape(piece))
    return "".join(out)


def kind_table(name: str) -> list[tuple[str, str]]:
    """(regular expression, class) for each line of a kinds file, in file order."""
    table = []
    for entry in entries(name):
        cls, *phrases = [part.strip() for part in entry.split("|")]
        patterns = sorted((phrase_pattern(p) for p in phrases if p), key=len, reverse=True)
        table.append(("|".join(patterns), cls))
    return table


def alternation(name: str) -> str:
    """A word list as one regular-expression alternation, longest entries first."""
    return "|".join(phrase_pattern(e) for e in sorted(entries(name), key=len, reverse=True))


# Lower-case words allowed inside a proper name ("Centre for the Prevention of Crime").
CONNECTORS = word_set("connectors")
# World regions in English and French (folded name = canonical name).
WORLD_REGIONS = pair_map("world-regions")
# Other names of countries (folded name = ISO 3166 alpha-2).
COUNTRY_ALIASES = pair_map("country-aliases")
# Cities whose usual form differs from the gazetteer's ("Washington, D.C.").
CITY_ALIASES = pair_map("city-aliases")
# City names that are also everyday words; a page that means the city says more.
COMMON_WORDS = word_set("common-words")
# Words that make a name a venue ("Palais des congrès", "Maison du ...").
VENUE_WORDS = word_set("venue-words")
# Head words that make a capitalised phrase an organisation's name.
HEADS = word_set("heads")
# Heads that also name other things ("Forum" is an event too).
WEAK_HEADS = word_set("weak-heads")
# Words that end a French organisation name ("le ministère ... qui").
FRENCH_STOP = word_set("french-stop")
# Small words inside French organisation names ("ministère de la Justice").
FRENCH_NAME_CONNECTORS = word_set("french-name-connectors")
# Words that make a phrase a position someone holds, in English and French.
ROLE_WORDS = word_set("role-words")
# Words before a position ("Senior Analyst", "directrice générale").
ROLE_MODIFIERS = word_set("role-modifiers")
# Plural kinds that name a section of a site ("Webinars"), not a series (folded).
GENERIC_PLURALS = word_set("generic-plurals")
# Words that make a plural kind a listing ("Upcoming webinars"), not a series (folded).
LISTING_QUALIFIERS = word_set("listing-qualifiers")
# Ordinal words in English and French (word = number).
ORDINALS = {key: int(value) for key, value in pair_map("ordinals").items()}
# Words that make an event a training, whose facilitator teaches it (folded).
TRAINING_WORDS = word_set("training-words")
