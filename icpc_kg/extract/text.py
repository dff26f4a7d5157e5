"""Small text helpers every extraction step shares: folding for comparison, slugs, a
same-length "flat" copy of the text for matching, and capitalised-phrase scanning.

The flat copy replaces typographic characters (no-break spaces, curly quotes, guillemets)
one for one, so an offset into it is an offset into the document text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from icpc_kg.extract.lexicon import CONNECTORS

_FLAT = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2032": "'",
        "\u00ad": "-",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-"})


def flat(text: str) -> str:
    """``text`` with typographic spaces and quotes replaced one for one (same length)."""
    return text.translate(_FLAT)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """A comparison key: no accents, lower case, plain quotes and dashes, single spaces."""
    text = strip_accents(flat(text).translate(_DASHES)).lower()
    text = re.sub(r"[\"'`]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def fold_words(text: str) -> str:
    """``fold`` keeping only letters and digits, one space between words."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def slugify(text: str, max_length: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary near ``max_length``."""
    words = re.findall(r"[a-z0-9]+", strip_accents(text).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length and slug:
            break
        slug = candidate
    return slug[:max_length].strip("-") or "item"


WORD_RE = re.compile(r"[^\W_](?:[^\W_]|['’\-\.](?=[^\W_]))*\.?|&")


def is_capitalised(word: str) -> bool:
    """Capitalised, a number with letters ("6th"), or elided before a capital ("d'Ivoire",
    "l'Université")."""
    first = word[0]
    if first.isupper() or (first.isdigit() and any(c.isalpha() for c in word)):
        return True
    return len(word) > 2 and word[0] in "dlDL" and word[1] in "'’" and word[2].isupper()


def is_acronym(word: str, loose: bool = False) -> bool:
    """An acronym: ICPC, RÉSAL, UN-Habitat; with ``loose``, also a short mixed-case word
    (Efus), which callers must check against the name it stands for."""
    if not word or " " in word:
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or not letters[0].isupper():
        return False
    if "-" in word:
        head = word.split("-", 1)[0]
        return len(head) >= 2 and head.isupper()
    capitals = sum(1 for c in letters if c.isupper())
    if capitals >= 2 and capitals * 2 >= len(letters):
        return True
    return loose and 3 <= len(letters) <= 6 and word.isalpha()


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text, start, end)]


def capitalised_phrases(text: str, start: int = 0, end: int | None = None) -> Iterator[Word]:
    """Maximal runs of capitalised words, joined by connectors, hyphens or apostrophes.

    A run never crosses punctuation other than an in-word hyphen or a spaced dash between
    two capitalised words ("Montreal Youth Centre - Research Institute").
    """
    end = len(text) if end is None else end
    tokens = words(text, start, end)
    i = 0
    while i < len(tokens):
        if not is_capitalised(tokens[i].text.rstrip(".")):
            i += 1
            continue
        j = i
        last_cap = i
        while j + 1 < len(tokens) and not _ends_sentence(tokens[j].text):
            gap = text[tokens[j].end : tokens[j + 1].start]
            nxt = tokens[j + 1].text
            if gap not in (" ", "", "'", "’", " - ", " – ") and not re.fullmatch(r" ?['’] ?", gap):
                break
            if gap in (" - ", " – ") and not is_capitalised(nxt):
                break
            if is_capitalised(nxt.rstrip(".")) or nxt.lower() in CONNECTORS:
                j += 1
                if is_capitalised(nxt.rstrip(".")):
                    last_cap = j
                continue
            break
        first, last = tokens[i], tokens[last_cap]
        stop = last.end - 1 if _ends_sentence(last.text) else last.end
        yield Word(text[first.start : stop], first.start, stop)
        i = last_cap + 1


def _ends_sentence(token: str) -> bool:
    """A word with a final full stop that is not an initial or an abbreviation ("D.C.")."""
    if not token.endswith("."):
        return False
    core = token[:-1]
    if "." in core or len(core) <= 1:
        return False
    return core.lower() not in (
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "prof",
        "mme",
        "jr",
        "sr",
        "inc",
        "ltd",
        "no",
    )
