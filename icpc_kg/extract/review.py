"""The review page: a page's text with every extracted entity highlighted and typed (as displaCy
or brat show them), doubtful values marked, the relations, memberships and open questions
listed, and the draft's shape warnings, so a curator sees what was found and, by what is left
plain (capitalised phrases no entity covers are underlined as "not extracted"), what was missed.

    run = extract_pages(["page.html"], project)
    html = render_review(run)                 # a standalone HTML file (icpc-kg extract --review)
    views = [review_view(r) for r in run.results]   # the data the server's /extract page shows

The view holds only text; the template escapes it (Jinja2 autoescape), so a hostile page
cannot inject markup into the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

import jinja2

from icpc_kg.extract.model import Entity, Extraction, Span
from icpc_kg.extract.text import capitalised_phrases, is_acronym

if TYPE_CHECKING:
    from icpc_kg.extract.pipeline import DocumentResult, ExtractionRun

# Kinds shown, in the legend's order, with the label a highlight carries.
KINDS = {
    "event": "EVENT",
    "series": "SERIES",
    "org": "ORG",
    "person": "PERSON",
    "publication": "PUB",
    "place": "PLACE",
}
TEMPLATES = "icpc_kg.server"
STANDALONE = "extract_review_standalone.html"


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # a key of KINDS
    cls: str  # the icpc class ("Conference", "GovernmentBody", ...)
    name: str
    anchor: str  # the HTML id of the entity's row
    iri: str
    doubtful: bool = False
    note: str = ""  # why it is doubtful

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def title(self) -> str:
        doubt = f" — doubtful: {self.note}" if self.doubtful else ""
        return f"{self.cls}: {self.name}{doubt}"


@dataclass(frozen=True)
class Segment:
    text: str
    mark: Mark | None = None
    unextracted: bool = False  # a capitalised phrase no entity covers


@dataclass
class EntityRow:
    anchor: str
    kind: str
    label: str
    cls: str
    name: str
    iri: str
    linked: bool
    mentions: int
    doubtful: bool
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReviewView:
    document: str
    source_format: str
    lang: str
    segments: list[Segment]
    entities: list[EntityRow]
    relations: list[tuple[str, str, str, str, str]]  # subject anchor, name, predicate, ...
    memberships: list[tuple[str, str, str]]
    issues: list[tuple[str, str, str]]  # kind, where, message
    warnings: list[str]
    counts: dict[str, int]
    unextracted: int


def _kind(entity: Entity) -> str:
    return "series" if entity.cls == "EventSeries" else entity.kind


def _anchor(entity: Entity) -> str:
    return "e-" + re.sub(r"[^a-z0-9-]+", "-", entity.key.lower()).strip("-")


def _mention_spans(extraction: Extraction) -> list[tuple[Span, Entity]]:
    """Where each entity is named in the text (not the whole passages that state it)."""
    found: list[tuple[Span, Entity]] = []
    entities = extraction.entities
    for span, key in extraction.org_spans:
        if key in entities:
            found.append((span, entities[key]))
    for span, key in extraction.name_spans:
        if key in entities:
            found.append((span, entities[key]))
    for entity in entities.values():
        kind = _kind(entity)
        if kind not in KINDS or kind in ("org", "person"):
            continue
        named = entity.facts.get("_at") or []
        spans = named if named else [_name_in(extraction, entity, s) for s in entity.spans[:1]]
        if kind == "place":
            spans = entity.spans
        for span in spans:
            if isinstance(span, tuple) and len(span) == 2:
                found.append(((int(span[0]), int(span[1])), entity))
    return found


def _name_in(extraction: Extraction, entity: Entity, span: Span) -> Span:
    """The entity's name inside a passage that states it, else the passage."""
    passage = extraction.doc.text[span[0] : span[1]].lower()
    for name in entity.all_names():
        at = passage.find(name.lower())
        if name and at >= 0:
            return span[0] + at, span[0] + at + len(name)
    return span


def _doubts(extraction: Extraction) -> dict[str, str]:
    """Entity key -> why a value of it is doubtful (a date without a year, a name that is
    only an acronym, an issue raised on its passage)."""
    doubts: dict[str, str] = {}
    for entity in extraction.entities.values():
        if entity.fact("dateText"):
            doubts[entity.key] = "a date without a year, kept as text"
    for issue in extraction.issues:
        if issue.span is None:
            continue
        for entity in extraction.entities.values():
            if any(s < issue.span[1] and issue.span[0] < e for s, e in entity.spans):
                doubts.setdefault(entity.key, f"{issue.kind}: {issue.message}")
    return doubts


def _marks(extraction: Extraction) -> list[Mark]:
    doubts = _doubts(extraction)
    marks = []
    for (start, end), entity in _mention_spans(extraction):
        if end <= start:
            continue
        kind = _kind(entity)
        marks.append(
            Mark(
                start,
                end,
                kind,
                entity.cls,
                entity.name,
                _anchor(entity),
                entity.iri or "",
                entity.key in doubts,
                doubts.get(entity.key, ""),
            )
        )
    # Non-overlapping, the longest first where two overlap (the rest stay in the tables).
    marks.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mark] = []
    for mark in marks:
        if kept and mark.start < kept[-1].end:
            continue
        kept.append(mark)
    return kept


def _segments(extraction: Extraction, marks: list[Mark]) -> tuple[list[Segment], int]:
    text = extraction.doc.text
    candidates = []
    for phrase in capitalised_phrases(extraction.doc.flat):
        words = phrase.text.split()
        named = len(words) >= 2 or (len(words) == 1 and is_acronym(words[0]))
        if named and not any(m.start < phrase.end and phrase.start < m.end for m in marks):
            candidates.append((phrase.start, phrase.end))
    segments: list[Segment] = []
    unextracted = 0
    cursor = 0

    def plain(start: int, end: int) -> None:
        nonlocal unextracted
        position = start
        for s, e in candidates:
            if e <= position or s >= end:
                continue
            s, e = max(s, position), min(e, end)
            if s > position:
                segments.append(Segment(text[position:s]))
            segments.append(Segment(text[s:e], unextracted=True))
            unextracted += 1
            position = e
        if position < end:
            segments.append(Segment(text[position:end]))

    for mark in marks:
        if mark.start > cursor:
            plain(cursor, mark.start)
        segments.append(Segment(text[mark.start : mark.end], mark))
        cursor = mark.end
    if cursor < len(text):
        plain(cursor, len(text))
    return segments, unextracted


def _fact_text(value: object) -> str:
    lexical = getattr(value, "lexical", None)
    if lexical is not None:
        return f"{lexical} ({getattr(value, 'datatype', '')})"
    if isinstance(value, tuple):
        return str(value[0])
    return str(value)


def review_view(result: DocumentResult) -> ReviewView:
    extraction = result.extraction
    doc = extraction.doc
    marks = _marks(extraction)
    segments, unextracted = _segments(extraction, marks)
    mentions: dict[str, int] = {}
    for mark in marks:
        mentions[mark.anchor] = mentions.get(mark.anchor, 0) + 1
    doubts = _doubts(extraction)
    rows = []
    for entity in sorted(
        extraction.entities.values(),
        key=lambda e: (list(KINDS).index(_kind(e)) if _kind(e) in KINDS else 9, e.first_offset),
    ):
        kind = _kind(entity)
        if kind not in KINDS:
            continue
        facts = [
            (name, _fact_text(value))
            for name, values in sorted(entity.facts.items())
            if not name.startswith("_")
            for value in values
        ]
        facts += [("acronym", a.text) for a in entity.acronyms]
        facts += [("also named", a.text) for a in entity.alternates]
        rows.append(
            EntityRow(
                _anchor(entity),
                kind,
                KINDS[kind],
                entity.cls,
                entity.name,
                entity.iri or "",
                entity.linked,
                mentions.get(_anchor(entity), 0),
                entity.key in doubts,
                facts,
            )
        )
    entities = extraction.entities
    relations = [
        (
            _anchor(entities[r.subject]),
            entities[r.subject].name,
            r.predicate,
            _anchor(entities[r.object]),
            entities[r.object].name,
        )
        for r in extraction.relations
        if r.subject in entities and r.object in entities
    ]
    memberships = [
        (
            entities[m.person].name,
            m.title or "",
            entities[m.org].name if m.org and m.org in entities else "",
        )
        for m in extraction.memberships
        if m.person in entities
    ]
    summary = result.summary
    issues = [
        (
            issue.kind,
            f"line {issue.line}, column {issue.column}" if issue.line else "",
            issue.message,
        )
        for issue in summary.unresolved
    ]
    warnings = list(summary.validation.messages) if summary.validation else []
    return ReviewView(
        doc.name,
        doc.source_format,
        doc.lang,
        segments,
        rows,
        relations,
        memberships,
        issues,
        warnings,
        {KINDS[k]: sum(1 for r in rows if r.kind == k) for k in KINDS},
        unextracted,
    )


def environment() -> jinja2.Environment:
    folder = resources.files(TEMPLATES).joinpath("templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def stylesheet() -> str:
    return resources.files(TEMPLATES).joinpath("static", "review.css").read_text("utf-8")


def render_review(run: ExtractionRun) -> str:
    """A standalone HTML page reviewing every document of ``run``."""
    views = [review_view(result) for result in run.results]
    template = environment().get_template(STANDALONE)
    return template.render(views=views, kinds=KINDS, css=stylesheet())
