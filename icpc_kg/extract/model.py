"""The extraction's working model: entities, relations and notes found in one document, before
they are linked to the graph and written as Turtle.

Each step adds to one :class:`Extraction`; an entity is keyed by its kind and a normalised
name so that two mentions of the same thing meet, and remembers every passage (span of the
document text) that states something about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from icpc_kg.extract.document import Document
from icpc_kg.extract.text import fold

Span = tuple[int, int]

# The IRI kind ({base}id/{kind}/{slug}) for each family of entity.
KIND_OF_CLASS = {
    "EventSeries": "series",
    "Study": "study",
    "Project": "study",
    "Role": "role",
}
EVENT_CLASSES = frozenset(
    [
        "Event",
        "Seminar",
        "Conference",
        "Colloquium",
        "MiniConference",
        "Workshop",
        "Session",
        "Presentation",
        "TrainingSession",
        "Webinar",
    ]
)
PUBLICATION_CLASSES = frozenset(
    [
        "Publication",
        "Report",
        "SynthesisReport",
        "ToolKit",
        "ThematicPaper",
        "Guide",
        "BackgroundPaper",
        "PresentationRecording",
    ]
)
ORG_CLASSES = frozenset(
    [
        "Organization",
        "GovernmentBody",
        "PoliceService",
        "Association",
        "Foundation",
        "ResearchInstitute",
        "Network",
        "University",
        "NonGovernmentalOrganization",
    ]
)
PLACE_CLASSES = frozenset(
    ["Place", "City", "Country", "AdministrativeRegion", "WorldRegion", "Venue", "OnlineLocation"]
)


def kind_of(cls: str) -> str:
    if cls in KIND_OF_CLASS:
        return KIND_OF_CLASS[cls]
    if cls in EVENT_CLASSES:
        return "event"
    if cls in PUBLICATION_CLASSES:
        return "publication"
    if cls in ORG_CLASSES:
        return "org"
    if cls in PLACE_CLASSES:
        return "place"
    if cls == "Person":
        return "person"
    raise ValueError(f"no IRI kind for class {cls}")


@dataclass(frozen=True)
class Label:
    text: str
    lang: str | None = None


@dataclass
class Entity:
    key: str
    cls: str  # the icpc class's local name
    names: list[Label] = field(default_factory=list)  # schema:name, at most one per language
    alternates: list[Label] = field(default_factory=list)  # schema:alternateName
    acronyms: list[Label] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    facts: dict[str, list[Any]] = field(default_factory=dict)
    iri: str | None = None
    linked: bool = False  # True when the IRI is an existing entity of the graph
    link_reason: str = ""

    @property
    def kind(self) -> str:
        return kind_of(self.cls)

    @property
    def name(self) -> str:
        if self.names:
            return self.names[0].text
        if self.acronyms:
            return self.acronyms[0].text
        return self.alternates[0].text if self.alternates else self.key

    @property
    def first_offset(self) -> int:
        return min((s for s, _ in self.spans), default=0)

    def all_names(self) -> list[str]:
        return [label.text for label in (*self.names, *self.alternates, *self.acronyms)]

    def add_name(self, text: str, lang: str | None) -> None:
        text = text.strip()
        if not text or any(fold(n.text) == fold(text) for n in self.all_labels()):
            return
        if any(n.lang == lang for n in self.names):
            self.alternates.append(Label(text, lang))
        else:
            self.names.append(Label(text, lang))

    def add_alternate(self, text: str, lang: str | None) -> None:
        text = text.strip()
        if text and not any(fold(n.text) == fold(text) for n in self.all_labels()):
            self.alternates.append(Label(text, lang))

    def add_acronym(self, text: str, lang: str | None) -> None:
        if text and not any(a.text == text for a in self.acronyms):
            self.acronyms.append(Label(text, lang))

    def all_labels(self) -> list[Label]:
        return [*self.names, *self.alternates, *self.acronyms]

    def add_span(self, span: Span) -> None:
        if span[1] > span[0] and span not in self.spans:
            self.spans.append(span)

    def set_fact(self, name: str, value: Any) -> None:
        self.facts[name] = [value]

    def add_fact(self, name: str, value: Any) -> None:
        values = self.facts.setdefault(name, [])
        if value not in values:
            values.append(value)

    def fact(self, name: str) -> Any:
        values = self.facts.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Relation:
    subject: str  # entity key
    predicate: str  # a CURIE: "icpc:organizer", "schema:location", ...
    object: str  # entity key
    span: Span


@dataclass
class Membership:
    person: str
    org: str | None
    title: str  # as written
    roles: list[str]  # role entity keys
    span: Span
    lang: str | None = None


@dataclass(frozen=True)
class Involvement:
    subject: str
    predicate: str  # the direct relation it qualifies, e.g. "icpc:supporter"
    agent: str
    scope: str
    span: Span
    lang: str | None = None


@dataclass(frozen=True)
class ThemeLink:
    subject: str
    theme: str  # IRI of a skos:Concept in the project's scheme
    span: Span


@dataclass(frozen=True)
class Issue:
    """Something a curator has to resolve: a date without a year, an unknown place..."""

    kind: str
    message: str
    span: Span | None = None


@dataclass
class Scope:
    """The stretch of the page that is about one event or series: from its heading to the
    next one. ``parent`` is set for the parts of an event."""

    key: str
    start: int
    end: int | None
    is_series: bool = False
    parent: str | None = None

    def contains(self, offset: int) -> bool:
        return self.start <= offset < (self.end if self.end is not None else 1 << 62)


@dataclass
class Extraction:
    doc: Document
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    themes: list[ThemeLink] = field(default_factory=list)
    candidate_themes: list[tuple[str, Span]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    site_owner: str | None = None  # key of the organisation whose site the page is on
    author: str | None = None
    scopes: list[Scope] = field(default_factory=list)
    org_spans: list[tuple[Span, str]] = field(default_factory=list)  # mention -> org key
    person_spans: list[tuple[Span, str, str | None]] = field(default_factory=list)  # + part
    name_spans: list[tuple[Span, str]] = field(default_factory=list)  # a person's name -> key

    def scope_at(self, offset: int, parts: bool = True, series: bool = False) -> Scope | None:
        """The innermost scope around ``offset``: a part's, else an event's, else (with
        ``series``) a series'."""
        found = [s for s in self.scopes if s.contains(offset) and (parts or s.parent is None)]
        events = [s for s in found if not s.is_series]
        parts_found = [s for s in events if s.parent is not None]
        if parts_found:
            return max(parts_found, key=lambda s: s.start)
        if events:
            return max(events, key=lambda s: s.start)
        if series:
            in_series = [s for s in found if s.is_series]
            return max(in_series, key=lambda s: s.start) if in_series else None
        return None

    def entity(self, key: str) -> Entity:
        return self.entities[key]

    def add(self, entity: Entity) -> Entity:
        """Add ``entity``, or merge it into the entity already under its key."""
        known = self.entities.get(entity.key)
        if known is None:
            self.entities[entity.key] = entity
            return entity
        for label in entity.names:
            known.add_name(label.text, label.lang)
        for label in entity.alternates:
            known.add_alternate(label.text, label.lang)
        for label in entity.acronyms:
            known.add_acronym(label.text, label.lang)
        for span in entity.spans:
            known.add_span(span)
        for name, values in entity.facts.items():
            for value in values:
                known.add_fact(name, value)
        return known

    def of_class(self, *classes: str) -> list[Entity]:
        wanted = set(classes)
        return sorted(
            (e for e in self.entities.values() if e.cls in wanted),
            key=lambda e: (e.first_offset, e.key),
        )

    def of_kind(self, kind: str) -> list[Entity]:
        return sorted(
            (e for e in self.entities.values() if e.kind == kind),
            key=lambda e: (e.first_offset, e.key),
        )

    def relate(self, subject: str, predicate: str, obj: str, span: Span) -> None:
        if subject == obj or subject not in self.entities or obj not in self.entities:
            return
        if any(
            r.subject == subject and r.predicate == predicate and r.object == obj
            for r in self.relations
        ):
            return
        self.relations.append(Relation(subject, predicate, obj, span))

    def objects(self, subject: str, predicate: str) -> list[str]:
        return [
            r.object for r in self.relations if r.subject == subject and r.predicate == predicate
        ]

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [r.subject for r in self.relations if r.object == obj and r.predicate == predicate]

    def flag(self, kind: str, message: str, span: Span | None = None) -> None:
        issue = Issue(kind, message, span)
        if issue not in self.issues:
            self.issues.append(issue)

    def remove(self, key: str) -> None:
        self.entities.pop(key, None)
        self.relations = [r for r in self.relations if key not in (r.subject, r.object)]
        self.memberships = [m for m in self.memberships if key not in (m.person, m.org)]
        self.involvements = [i for i in self.involvements if key not in (i.subject, i.agent)]
        self.themes = [t for t in self.themes if t.subject != key]

    def rekey(self, old: str, new: str) -> None:
        """Merge entity ``old`` into ``new`` and point every relation at ``new``."""
        if old == new or old not in self.entities:
            return
        entity = self.entities.pop(old)
        entity.key = new
        if new in self.entities:
            self.add(entity)
        else:
            self.entities[new] = entity

        def swap(key: str) -> str:
            return new if key == old else key

        relations = []
        for r in self.relations:
            moved = Relation(swap(r.subject), r.predicate, swap(r.object), r.span)
            if moved.subject != moved.object and moved not in relations:
                relations.append(moved)
        self.relations = relations
        for m in self.memberships:
            m.person, m.org = swap(m.person), (swap(m.org) if m.org else None)
        self.involvements = [
            Involvement(swap(i.subject), i.predicate, swap(i.agent), i.scope, i.span, i.lang)
            for i in self.involvements
        ]
        self.themes = [ThemeLink(swap(t.subject), t.theme, t.span) for t in self.themes]
