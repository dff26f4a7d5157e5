"""The summary of one extraction: what was found by kind, what was linked to the graph, what is
new, and what could not be resolved, with where each unresolved item is in the page.

It is an object; the command renders it as text or JSON.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from icpc_kg.extract.model import Extraction, Issue
from icpc_kg.shacl import ShaclReport

KIND_LABELS = {
    "series": "series",
    "event": "events",
    "org": "organisations",
    "person": "people",
    "role": "roles",
    "place": "places",
    "publication": "publications",
    "study": "studies",
}


@dataclass(frozen=True)
class FoundItem:
    kind: str
    cls: str
    name: str
    iri: str
    linked: bool
    reason: str = ""


@dataclass(frozen=True)
class Unresolved:
    kind: str
    message: str
    quote: str | None = None
    line: int | None = None  # in the original page
    column: int | None = None


@dataclass(frozen=True)
class ValidationSummary:
    conforms: bool
    violations: int
    warnings: int
    messages: tuple[str, ...] = ()


@dataclass
class Summary:
    document: str
    slug: str
    source_format: str
    encoding: str
    lang: str
    notes: list[str] = field(default_factory=list)
    items: list[FoundItem] = field(default_factory=list)
    relations: int = 0
    memberships: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)  # (label, IRI)
    candidate_themes: list[str] = field(default_factory=list)
    validation: ValidationSummary | None = None
    empty: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(item.kind for item in self.items)
        return {kind: counted[kind] for kind in KIND_LABELS if counted[kind]}

    @property
    def linked(self) -> list[FoundItem]:
        return [item for item in self.items if item.linked]

    @property
    def new(self) -> list[FoundItem]:
        return [item for item in self.items if not item.linked]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts
        data["linked"] = [asdict(i) for i in self.linked]
        data["new"] = [asdict(i) for i in self.new]
        del data["items"]
        data["themes"] = [{"label": label, "iri": iri} for label, iri in self.themes]
        return data


def summarise(
    extraction: Extraction,
    theme_labels: dict[str, str],
    report: ShaclReport | None = None,
    empty: bool = False,
) -> Summary:
    doc = extraction.doc
    summary = Summary(
        doc.name, doc.slug, doc.source_format, doc.encoding, doc.lang, list(doc.notes)
    )
    summary.empty = empty
    for entity in sorted(
        extraction.entities.values(), key=lambda e: (e.kind, e.first_offset, e.key)
    ):
        kind = "series" if entity.cls == "EventSeries" else entity.kind
        summary.items.append(
            FoundItem(
                kind, entity.cls, entity.name, entity.iri or "", entity.linked, entity.link_reason
            )
        )
    summary.relations = len(extraction.relations)
    summary.memberships = len(extraction.memberships)
    grouped: dict[str, list[Issue]] = {}
    for issue in extraction.issues:
        grouped.setdefault(issue.kind, []).append(issue)
    for kind, issues in grouped.items():
        if kind == "time zone" and len(issues) > 1:
            first = issues[0]
            line, column = doc.original_position(first.span[0]) if first.span else (None, None)
            summary.unresolved.append(
                Unresolved(
                    kind,
                    f"{len(issues)} events give times without a time zone; they are recorded as "
                    "local times (xsd:dateTime without offset); add the offset if you know it",
                    None,
                    line,
                    column,
                )
            )
            continue
        for issue in issues:
            quote = line = column = None
            if issue.span is not None:
                quote = doc.text[issue.span[0] : issue.span[1]]
                line, column = doc.original_position(issue.span[0])
            summary.unresolved.append(Unresolved(issue.kind, issue.message, quote, line, column))
    seen: set[str] = set()
    for link in extraction.themes:
        if link.theme not in seen:
            seen.add(link.theme)
            summary.themes.append((theme_labels.get(link.theme, link.theme), link.theme))
    summary.candidate_themes = [text for text, _span in extraction.candidate_themes]
    if report is not None:
        summary.validation = ValidationSummary(
            report.conforms,
            report.counts()["Violation"],
            report.counts()["Warning"],
            tuple(f"{r.focus}: {r.message('en')}" for r in report.violations()[:10]),
        )
    return summary
