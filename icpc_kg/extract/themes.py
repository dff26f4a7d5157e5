"""Themes: the project's SKOS concepts (ontology/themes.ttl) whose English or French label
or alternative label the page uses, attached to the event, part, series or publication the
passage is about; and candidate themes the page lists ("organized the seminar around three
central themes: ...") that match no concept, listed in the summary and never invented as
concepts.
"""

from __future__ import annotations

import re

from icpc_kg.extract.linking import ThemeConcept
from icpc_kg.extract.model import Entity, Extraction, ThemeLink
from icpc_kg.extract.text import fold

_THEMES_INTRO = re.compile(
    r"(?i)\b(?:(?:three|two|four|five|six|several|the following|main|central|key)\s+)*"
    r"(?:central |main |key )?(?:themes?|topics?|sub-themes|thèmes?|axes?|sujets?)\b[^:]{0,40}:"
)


def _label_pattern(label: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in fold(label).split()]
    # The last word may take a plural: "local safety audit(s)".
    body = r"\s+".join(words) + r"(?:s|es)?"
    return re.compile(rf"(?<![\w-]){body}(?![\w-])")


def match_themes(extraction: Extraction, themes: list[ThemeConcept]) -> None:
    folded = _same_length_fold(extraction.doc.text)
    subjects = [
        e for e in extraction.entities.values() if e.kind in ("event", "publication", "study")
    ]
    for concept in themes:
        for label, _lang in concept.labels:
            if len(label) < 4:
                continue
            pattern = _label_pattern(label)
            for match in pattern.finditer(folded):
                subject = _subject_for(extraction, match.start(), match.end(), subjects)
                if subject is None:
                    continue
                link = ThemeLink(subject, concept.iri, (match.start(), match.end()))
                if not any(
                    t.subject == subject and t.theme == concept.iri for t in extraction.themes
                ):
                    extraction.themes.append(link)


def _same_length_fold(text: str) -> str:
    """Fold character by character so offsets stay those of the document text."""
    table: dict[str, str] = {}
    for char in set(text):
        folded = fold(char) if char.strip() else " "
        table[char] = folded[:1] if folded else " "
    return "".join(table[char] for char in text)


def _subject_for(
    extraction: Extraction, start: int, end: int, subjects: list[Entity]
) -> str | None:
    # An entity whose name the label is part of.
    for entity in subjects:
        for s, e in entity.spans:
            if s <= start and end <= e and e - s < 200:
                return entity.key
    scope = extraction.scope_at(start, series=True)
    return scope.key if scope is not None else None


def candidate_themes(extraction: Extraction, themes: list[ThemeConcept]) -> None:
    """Themes a page lists after "three central themes:" that match no concept."""
    doc = extraction.doc
    text = doc.flat
    known = {fold(label) for concept in themes for label, _ in concept.labels}
    for index, block in enumerate(doc.blocks):
        match = _THEMES_INTRO.search(text, block.start, block.end)
        if not match:
            continue
        items: list[tuple[str, tuple[int, int]]] = []
        inline = text[match.end() : block.end].strip()
        if inline:
            for part in re.split(r";\s*(?:and\s+)?|,\s+and\s+|\.\s+", inline):
                part = part.strip(" .;")
                if 3 <= len(part) <= 160:
                    offset = text.find(part, match.end())
                    items.append((part, (offset, offset + len(part))))
        else:
            for other in doc.blocks[index + 1 :]:
                if other.kind != "item":
                    break
                line = text[other.start : other.end]
                first = re.split(r"(?<=[.;])\s", line)[0].strip(" .;")
                items.append((first, (other.start, other.start + len(first))))
        for label, span in items:
            if fold(label) not in known and label not in [
                c[0] for c in extraction.candidate_themes
            ]:
                extraction.candidate_themes.append((doc.text[span[0] : span[1]], span))
