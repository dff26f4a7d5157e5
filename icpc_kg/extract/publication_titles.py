"""A publication's title as a title: without a leading verb or a trailing "[PDF]" or
"publié"; a kind label before it ("Nouveau guide – ..."); titles that name the same
publication (from the kind word to the subtitle)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from icpc_kg.extract.lexicon import word_set
from icpc_kg.extract.model import Entity, Extraction
from icpc_kg.extract.publication_kinds import KIND_RE, only_kind
from icpc_kg.extract.text import fold_words

# "New guide – Title", "Nouveau rapport : Titre".
KIND_LABEL = re.compile(
    r"(?i)^\s*(?:(?:new|latest|nouveau|nouvelle|nouvel)\s+)?(?P<kind>[\w -]{3,30}?)"
    r"\s*[–—:]\s+(?=\S)"
)


# "... publié", "... released": the announcement, not the title.
ANNOUNCED = re.compile(
    r"(?i)\s+(?:(?:est|is|now|maintenant)\s+)?(?:publiée?s?|published|released|launched|"
    r"lancée?s?|disponibles?|available|en ligne|online)\s*[.!]?$"
)


BRACKETS = re.compile(r"\s*\[(?:pdf|doc|docx|html|epub|ppt|pptx|en|fr|es)\]\s*$", re.I)


def tidy_title(extraction: Extraction, entity: Entity) -> None:
    """A title as a title: without a leading lower-case verb or possessive ("publié son
    Rapport ...", "launched its Guide ...") or a trailing "[PDF]"; a publication left with
    nothing but its kind word is no title at all."""
    written = {
        fold_words(extraction.doc.text[s:e]): extraction.doc.text[s:e]
        for s, e in entity.facts.get("_at", [])
    }
    cleaned = []
    for label in entity.names:
        text = BRACKETS.sub("", written.get(fold_words(label.text), label.text))
        lead = re.match(r"(?:[a-zà-ÿ][\w’'-]*\s+)+(?=[A-ZÀ-Ý0-9«\"“])", text)
        if lead:
            text = text[lead.end() :]
        cleaned.append(type(label)(text[:1].upper() + text[1:], label.lang))
    entity.names = cleaned
    if entity.names and only_kind(entity.names[0].text) and len(entity.names) == 1:
        extraction.remove(entity.key)


GENERIC_TITLE_WORDS = word_set("generic-title-words")


def same_core(a: str | None, b: str) -> bool:
    return a is not None and (a == b or fuzz.ratio(a, b) >= 92)


def core_title(title: str) -> str | None:
    """A title from its kind word to its subtitle, when something follows the kind word:
    "Second International Report on Crime Prevention and Community Safety" and "Report on
    Crime Prevention and Community Safety: Trends and Perspectives" are one report."""
    match = KIND_RE.search(title)
    if match is None:
        return None
    core = fold_words(title[match.start() :].split(":", 1)[0])
    return core if len(core.split()) >= 4 else None
