"""Synthetic ICPC-like projects for the benchmarks, in the same model as data/*.ttl.

    python benchmarks/generate.py --triples 100000 --out /tmp/icpc-100k [--seed 0]
        [--violations K]
    python benchmarks/generate.py --contribution 1000 --against /tmp/icpc-1m --out c.ttl

A project is a folder ``icpc-kg --project`` can use: ontology/, shapes/ and queries/ copied
from this checkout; data/ with the bundled curated files (ontology/themes.ttl cites their
passages, and ICPC itself is defined there) and synthetic ones: one file per synthetic source
document, about 10k triples each (a series; its seminars, conferences and mini-conferences
with their sessions, workshops and presentations dated inside them at mixed precisions; the
people who presented, with memberships and roles; the publications that followed, tool kits
with their papers; key points, qualified involvements, agenda themes, studies and plans; the
passages every fact is stated in, with quote and position selectors); shared files of
places, organisations and roles (split at 10k triples too); each synthetic document's text in
data/sources/ (every passage quotes it at the recorded code-point offsets); and
data/sources/manifest.ttl describing every document.

``--triples`` counts the asserted triples of data/ (the ontology adds about 1k); the result
is within a few percent of it. The output is deterministic for a seed. The data conforms to
shapes/ apart from a handful of warnings (about 1 entity in 400 has no French label);
``--violations K`` adds K deliberate violations, the kinds taking turns: an event without a
name, a start date of the wrong datatype, an organiser that is a place, a part outside its
event's dates, a publication dated before the event it follows. ``--contribution N`` writes
one Turtle file of about N triples (new events, organisations, people and publications that
refer to places, organisations, roles and themes of the project ``--against``): what a
partner submits to ``icpc-kg validate``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
FILE_TRIPLES = 10_000
BASE = "https://w3id.org/icpc-kg/"
ICPC = BASE + "ontology#"
PREFIXES = {
    "icpc": ICPC,
    "schema": "http://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
VIOLATION_KINDS = (
    "no-name",
    "date-datatype",
    "organizer-not-organisation",
    "part-outside-dates",
    "publication-before-event",
)


def _words(text: str) -> list[str]:
    return text.split()


COUNTRIES = [  # slug, English, French, UTC offset
    ("france", "France", "France", "+01:00"),
    ("belgium", "Belgium", "Belgique", "+01:00"),
    ("mexico", "Mexico", "Mexique", "-06:00"),
    ("chile", "Chile", "Chili", "-04:00"),
    ("colombia", "Colombia", "Colombie", "-05:00"),
    ("brazil", "Brazil", "Brésil", "-03:00"),
    ("south-africa", "South Africa", "Afrique du Sud", "+02:00"),
    ("morocco", "Morocco", "Maroc", "Z"),
    ("senegal", "Senegal", "Sénégal", "Z"),
    ("kenya", "Kenya", "Kenya", "+03:00"),
    ("japan", "Japan", "Japon", "+09:00"),
    ("australia", "Australia", "Australie", "+10:00"),
    ("germany", "Germany", "Allemagne", "+01:00"),
    ("spain", "Spain", "Espagne", "+01:00"),
    ("italy", "Italy", "Italie", "+01:00"),
    ("netherlands", "Netherlands", "Pays-Bas", "+01:00"),
    ("sweden", "Sweden", "Suède", "+01:00"),
    ("argentina", "Argentina", "Argentine", "-03:00"),
    ("peru", "Peru", "Pérou", "-05:00"),
    ("tunisia", "Tunisia", "Tunisie", "+01:00"),
    ("switzerland", "Switzerland", "Suisse", "+01:00"),
    ("ireland", "Ireland", "Irlande", "Z"),
    ("new-zealand", "New Zealand", "Nouvelle-Zélande", "+12:00"),
    ("india", "India", "Inde", "+05:30"),
    ("philippines", "Philippines", "Philippines", "+08:00"),
    ("nigeria", "Nigeria", "Nigeria", "+01:00"),
    ("haiti", "Haiti", "Haïti", "-05:00"),
]
CITY_HEADS = _words(
    "Val Mont Port Bel Ros Mar Lun Ser Cor Ald Bran Kes Tor Vil Ar Bor Cal Del Fen Gar"
)
CITY_TAILS = _words("mont ville bourg haven ford ia ano era ton stad polis field more wick ay")
CITY_QUALIFIERS = ["", " North", " South", " East", " West", " Harbour", " Heights", " Hills"]
CITY_QUALIFIERS_FR = ["", " Nord", " Sud", " Est", " Ouest", " Port", " Hauteurs", " Collines"]
TOPICS = [  # English, French
    ("Crime Prevention", "la prévention de la criminalité"),
    ("Community Safety", "la sécurité des collectivités"),
    ("Youth Justice", "la justice des mineurs"),
    ("Urban Safety", "la sécurité urbaine"),
    ("Violence Prevention", "la prévention de la violence"),
    ("Restorative Justice", "la justice réparatrice"),
    ("Victim Support", "l'aide aux victimes"),
    ("Drug Policy", "les politiques en matière de drogues"),
    ("Police Reform", "la réforme policière"),
    ("Social Development", "le développement social"),
]
ORG_KINDS = [
    "GovernmentBody",
    "PoliceService",
    "Association",
    "Foundation",
    "ResearchInstitute",
    "Network",
    "University",
    "NonGovernmentalOrganization",
    "Organization",
]
ROLES = [  # slug, English, French
    ("director", "Director", "Directeur"),
    ("researcher", "Researcher", "Chercheur"),
    ("program-manager", "Program Manager", "Gestionnaire de programme"),
    ("police-chief", "Police Chief", "Chef de police"),
    ("mayor", "Mayor", "Maire"),
    ("professor", "Professor", "Professeur"),
    ("policy-advisor", "Policy Advisor", "Conseiller en politiques"),
    ("executive-director", "Executive Director", "Directeur général"),
    ("senior-analyst", "Senior Analyst", "Analyste principal"),
    ("community-worker", "Community Worker", "Intervenant communautaire"),
    ("prosecutor", "Prosecutor", "Procureur"),
    ("youth-worker", "Youth Worker", "Éducateur jeunesse"),
]
GIVEN = _words(
    "Anne Marc Sofia Jean Amina Luis Claire Pierre Fatou Diego Hélène Kofi Marie Ana "
    "Yves Nadia Paul Lucía Omar Julie Tomás Aïcha Louis Emma Carlos Inès Hugo Rosa "
    "Samuel Léa"
)
FAMILY = _words(
    "Tremblay Gagnon Diallo García Martin Okafor Dubois Silva Nakamura Roy Côté "
    "Mensah Fernández Lambert Haddad Moreau Rossi Ndiaye Bouchard Costa Lefebvre "
    "Mwangi Ortiz Girard"
)
EVENT_KINDS = [  # class, English noun, French noun, weight
    ("Seminar", "Seminar", "Séminaire", 5),
    ("Conference", "Conference", "Conférence", 3),
    ("Colloquium", "Colloquium", "Colloque", 1),
    ("MiniConference", "Mini-Conference", "Mini-colloque", 3),
    ("Webinar", "Webinar", "Webinaire", 1),
    ("TrainingSession", "Training Session", "Formation", 1),
]
PUBLICATION_KINDS = [  # class, English noun, French noun
    ("Report", "Report", "Rapport"),
    ("SynthesisReport", "Synthesis Report", "Rapport de synthèse"),
    ("ToolKit", "Tool Kit", "Trousse à outils"),
    ("Guide", "Guide", "Guide"),
    ("PresentationRecording", "Recording", "Enregistrement"),
    ("BackgroundPaper", "Background Paper", "Document de référence"),
]
PUBLICATION_RELATIONS = {  # how each kind of publication relates to its event
    "PresentationRecording": ["icpc:recordingOf"],
    "BackgroundPaper": ["icpc:preparedFor"],  # circulated before the event, so undated here
}
POINT_KINDS = ["Trend", "Challenge", "Recommendation", "Conclusion", "Objective", "Exchange"]
INVOLVEMENTS = [("supporter", "for the first phase"), ("funder", "for the pilot year")]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# --------------------------------------------------------------------------------------------
# Turtle, one entity at a time
# --------------------------------------------------------------------------------------------


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^xsd:{datatype}'


def ref(iri: str) -> str:
    return f"<{iri}>"


@dataclass
class Entity:
    """One subject and its properties; objects are Turtle terms (relative IRIs in <>)."""

    iri: str
    types: list[str]
    props: list[tuple[str, list[str]]] = field(default_factory=list)
    nested: int = 0  # triples inside blank-node objects

    def add(self, predicate: str, *objects: str) -> Entity:
        if objects:
            self.props.append((predicate, list(objects)))
        return self

    def remove(self, predicate: str) -> None:
        self.props = [(p, o) for p, o in self.props if p != predicate]

    def set(self, predicate: str, *objects: str) -> None:
        self.props = [(p, list(objects) if p == predicate else o) for p, o in self.props]

    def triples(self) -> int:
        return len(self.types) + sum(len(o) for _, o in self.props) + self.nested

    def turtle(self) -> str:
        separator = " ,\n        "
        lines = [f"<{self.iri}> a {' , '.join(self.types)}"]
        lines += [f"    {p} {separator.join(objects)}" for p, objects in self.props]
        return " ;\n".join(lines) + " .\n"


@dataclass
class TurtleFile:
    name: str  # path under data/
    comment: str
    entities: list[Entity] = field(default_factory=list)

    def triples(self) -> int:
        return sum(e.triples() for e in self.entities)

    def text(self) -> str:
        head = [f"@base <{BASE}id/> ."]
        head += [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
        comment = "\n".join(f"# {line}" for line in self.comment.splitlines())
        return (
            "\n".join(head)
            + "\n\n"
            + comment
            + "\n\n"
            + "\n".join(e.turtle() for e in self.entities)
        )


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


# --------------------------------------------------------------------------------------------
# Documents: the text every passage quotes
# --------------------------------------------------------------------------------------------


class Document:
    """A synthetic source page: its text grows as facts are stated; each statement becomes a
    passage with a quote and code-point offsets, in the document's own Turtle file."""

    def __init__(self, slug: str, title: str, breadcrumb: str) -> None:
        self.slug = slug
        self.title = title
        self.breadcrumb = breadcrumb
        self.text = f"{title}\n{breadcrumb}\n"
        self.file = TurtleFile(
            f"{slug}.ttl",
            f'Facts stated by the synthetic source document "{title}"\n'
            f"(data/sources/{slug}.txt), generated by benchmarks/generate.py.",
        )

    @property
    def iri(self) -> str:
        return f"document/{self.slug}"

    def state(self, sentence: str) -> str:
        """Add ``sentence`` to the text; the IRI of the passage that quotes it."""
        start = len(self.text)
        self.text += sentence + " "
        end = start + len(sentence)
        passage = Entity(f"passage/{self.slug}-{start}-{end}", ["icpc:Passage"], nested=5)
        passage.add("oa:hasSource", ref(self.iri))
        passage.add(
            "oa:hasSelector",
            f"[ a oa:TextQuoteSelector ; oa:exact {lit(sentence)} ]",
            f"[ a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ]",
        )
        self.file.entities.append(passage)
        return passage.iri

    def manifest_entry(self) -> Entity:
        entity = Entity(self.iri, ["icpc:SourceDocument"])
        entity.add("schema:name", lit(self.title, "en"))
        entity.add("icpc:breadcrumb", lit(self.breadcrumb, "en"))
        entity.add(
            "schema:url", f"<http://www.crime-prevention-intl.org/en/synthetic/{self.slug}.html>"
        )
        entity.add("schema:isPartOf", "<http://www.crime-prevention-intl.org/>")
        entity.add("schema:inLanguage", lit("en"))
        entity.add("schema:publisher", ref("org/icpc"))
        entity.add("dcterms:format", lit("text/plain"))
        entity.add("icpc:localCopy", lit(f"data/sources/{self.slug}.txt"))
        return entity


def provenance(entity: Entity, doc: Document, *sentences: str) -> Entity:
    entity.add("dcterms:source", ref(doc.iri))
    entity.add("icpc:statedIn", *(ref(doc.state(s)) for s in sentences))
    return entity


# --------------------------------------------------------------------------------------------
# Dates at the precision a source gives
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """An event's dates: precision, first and last day (y, m, d), and the local hours."""

    precision: str  # gYear | gYearMonth | date | dateTime
    start: tuple[int, int, int]
    end: tuple[int, int, int]
    hours: tuple[int, int] = (9, 17)
    offset: str = "Z"

    def lexical(self, day: tuple[int, int, int], hour: int, precision: str | None = None) -> str:
        y, m, d = day
        precision = precision or self.precision
        if precision == "gYear":
            return f"{y:04d}"
        if precision == "gYearMonth":
            return f"{y:04d}-{m:02d}"
        if precision == "date":
            return f"{y:04d}-{m:02d}-{d:02d}"
        return f"{y:04d}-{m:02d}-{d:02d}T{hour:02d}:00:00{self.offset}"

    def start_term(self) -> str:
        return typed(self.lexical(self.start, self.hours[0]), self.precision)

    def end_term(self) -> str:
        return typed(self.lexical(self.end, self.hours[1]), self.precision)

    def words(self) -> str:
        y, m, d = self.start
        if self.precision == "gYear":
            return f"in {y}"
        if self.precision == "gYearMonth":
            return f"in {MONTHS[m - 1]} {y}"
        return f"on {MONTHS[m - 1]} {d}, {y}"

    def part(self, rng: random.Random) -> Span:
        """Dates of a part, inside this span, at this precision or a finer one."""
        (y, m, d), (_, m2, d2) = self.start, self.end
        if self.precision == "gYear":
            choice = rng.choice(["gYear", "gYearMonth", "date"])
            month = rng.randint(1, 12)
            day = (y, month, rng.randint(1, 28))
            return Span(choice, day, day, offset=self.offset)
        if self.precision == "gYearMonth":
            choice = rng.choice(["gYearMonth", "date"])
            day = (y, m, rng.randint(1, 28))
            return Span(choice, day, day, offset=self.offset)
        day = (y, m, rng.randint(d, d2)) if m == m2 else self.start
        if self.precision == "date":
            choice = rng.choice(["date", "dateTime"])
            first = rng.randint(9, 15)
            return Span(choice, day, day, (first, first + 2), self.offset)
        first = rng.randint(self.hours[0], self.hours[1] - 1) if day == self.start else 9
        last = min(first + rng.randint(1, 2), self.hours[1] if day == self.end else 18)
        return Span("dateTime", day, day, (first, last), self.offset)


def random_span(rng: random.Random, offset: str) -> Span:
    year = rng.randint(1995, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 25)
    precision = rng.choices(["gYear", "gYearMonth", "date", "dateTime"], [2, 4, 3, 2])[0]
    if precision in ("gYear", "gYearMonth"):
        return Span(precision, (year, month, day), (year, month, day), offset=offset)
    last = day + rng.randint(0, 2)
    hours = (9, 17) if precision == "date" else (rng.choice([8, 9, 10]), rng.choice([12, 16, 17]))
    return Span(precision, (year, month, day), (year, month, last), hours, offset)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


@dataclass
class Pools:
    """Resources generated entities may point at."""

    countries: list[tuple[str, str]] = field(default_factory=list)  # (iri, offset)
    cities: list[tuple[str, str, str, str]] = field(default_factory=list)  # iri, en, fr, offset
    organisations: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


@dataclass
class GeneratedEvent:
    """What --violations needs to alter one event group."""

    event: Entity
    parts: list[Entity]
    publications: list[Entity]
    span: Span


@dataclass
class GenerationSummary:
    out: Path
    triples: int  # asserted triples under data/
    files: list[str]
    violations: list[tuple[str, str]]  # (kind, IRI of the resource that violates)


class Generator:
    def __init__(self, seed: int, prefix: str = "") -> None:
        self.rng = random.Random(seed)
        self.prefix = prefix  # slug prefix keeping contributions apart from the project
        self.pools = Pools()
        self.counter = 0
        self.events: list[GeneratedEvent] = []
        self.no_french = 0

    def unique(self, text: str) -> str:
        self.counter += 1
        return f"{self.prefix}{slugify(text)}-{self.counter}"

    def french(self) -> bool:
        """Whether an entity gets its French label: all but about 1 in 400 (a few warnings)."""
        if self.rng.random() < 0.0025:
            self.no_french += 1
            return False
        return True

    # -- shared entities ------------------------------------------------------------------

    def country(self, doc: Document, index: int) -> Entity:
        slug, en, fr, offset = COUNTRIES[index % len(COUNTRIES)]
        iri = f"place/{self.prefix}{slug}" + (
            f"-{index // len(COUNTRIES)}" if index >= len(COUNTRIES) else ""
        )
        self.pools.countries.append((iri, offset))
        entity = Entity(iri, ["icpc:Country"]).add("schema:name", lit(en, "en"), lit(fr, "fr"))
        return provenance(entity, doc, f"{en} ({fr}) is among the countries where ICPC works.")

    def city(self, doc: Document, index: int) -> Entity:
        head = CITY_HEADS[index % len(CITY_HEADS)]
        tail = CITY_TAILS[(index // len(CITY_HEADS)) % len(CITY_TAILS)]
        qualifier = (index // (len(CITY_HEADS) * len(CITY_TAILS))) % len(CITY_QUALIFIERS)
        round_ = index // (len(CITY_HEADS) * len(CITY_TAILS) * len(CITY_QUALIFIERS))
        en = head + tail + CITY_QUALIFIERS[qualifier] + (f" {round_ + 1}" if round_ else "")
        fr = head + tail + CITY_QUALIFIERS_FR[qualifier] + (f" {round_ + 1}" if round_ else "")
        country, offset = self.rng.choice(self.pools.countries)
        iri = f"place/{self.prefix}{slugify(en)}"
        self.pools.cities.append((iri, en, fr, offset))
        entity = Entity(iri, ["icpc:City"]).add("schema:name", lit(en, "en"), lit(fr, "fr"))
        entity.add("schema:containedInPlace", ref(country))
        return provenance(entity, doc, f"{en} is a city that hosted ICPC partners.")

    def organisation(self, doc: Document) -> Entity:
        rng = self.rng
        kind = rng.choice(ORG_KINDS)
        city_iri, city, city_fr, _ = rng.choice(self.pools.cities)
        topic, topic_fr = rng.choice(TOPICS)
        family = rng.choice(FAMILY)
        names = {
            "GovernmentBody": (
                f"Ministry of {topic} of {city}",
                f"Ministère de {topic_fr} de {city_fr}",
            ),
            "PoliceService": (f"{city} Police Service", f"Service de police de {city_fr}"),
            "Association": (
                f"{city} Association for {topic}",
                f"Association de {city_fr} pour {topic_fr}",
            ),
            "Foundation": (
                f"{family} Foundation for {topic}",
                f"Fondation {family} pour {topic_fr}",
            ),
            "ResearchInstitute": (
                f"{city} Institute for {topic} Research",
                f"Institut de recherche de {city_fr} sur {topic_fr}",
            ),
            "Network": (f"{city} {topic} Network", f"Réseau de {city_fr} pour {topic_fr}"),
            "University": (f"University of {city}", f"Université de {city_fr}"),
            "NonGovernmentalOrganization": (
                f"{topic} Action {city}",
                f"Action pour {topic_fr} {city_fr}",
            ),
            "Organization": (
                f"{city} Council for {topic}",
                f"Conseil de {city_fr} pour {topic_fr}",
            ),
        }
        en, fr = names[kind]
        acronym = "".join(w[0] for w in en.split() if w[0].isupper())
        iri = f"org/{self.unique(acronym + ' ' + city)}"
        self.pools.organisations.append(iri)
        entity = Entity(iri, [f"icpc:{kind}"]).add("schema:name", lit(en, "en"))
        if self.french():
            entity.add("schema:name", lit(fr, "fr"))
        entity.add("icpc:acronym", lit(acronym, "en"))
        place = (
            "icpc:jurisdiction" if kind in ("GovernmentBody", "PoliceService") else "icpc:basedIn"
        )
        entity.add(place, ref(city_iri))
        return provenance(entity, doc, f"The {en} ({acronym}) is based in {city}.")

    def role(self, doc: Document, slug: str, en: str, fr: str) -> Entity:
        iri = f"role/{self.prefix}{slug}"
        self.pools.roles.append(iri)
        entity = Entity(iri, ["icpc:Role"]).add("skos:prefLabel", lit(en, "en"), lit(fr, "fr"))
        return provenance(entity, doc, f"{en}, a position held by presenters.")

    # -- one document's content -------------------------------------------------------------

    def series(self, doc: Document, topic: tuple[str, str]) -> tuple[Entity, list[Entity]]:
        rng = self.rng
        en = f"{topic[0]} {rng.choice(['Seminars', 'Forum', 'Dialogues', 'Exchanges'])}"
        fr = f"Rencontres sur {topic[1]}"
        iri = f"series/{self.unique(en)}"
        series = Entity(iri, ["icpc:EventSeries"]).add("schema:name", lit(en, "en"))
        if self.french():
            series.add("schema:name", lit(fr, "fr"))
        series.add("schema:alternateName", lit(f"ICPC {en}", "en"))
        series.add(
            "schema:description", lit(f"A series of ICPC events on {topic[0].lower()}.", "en")
        )
        series.add("schema:startDate", typed(str(rng.randint(1995, 2005)), "gYear"))
        series.add("icpc:organizer", ref("org/icpc"))
        partner = rng.choice(self.pools.organisations)
        series.add("icpc:coSponsor", ref(partner))
        series.add("icpc:theme", *(ref(t) for t in rng.sample(self.pools.themes, 2)))
        extra: list[Entity] = []
        point = self.key_point(doc, series.iri, topic[0])
        series.add("icpc:keyPoint", ref(point.iri))
        extra.append(point)
        provenance(series, doc, f"The {en} bring together practitioners on {topic[0].lower()}.")
        return series, extra

    def key_point(self, doc: Document, about: str, topic: str, event: str | None = None) -> Entity:
        rng = self.rng
        kind = rng.choice(POINT_KINDS)
        number = rng.randint(1, 999)
        statement = f"{kind} on {topic.lower()}: partners should share responsibility ({number})."
        point = Entity(f"statement/{self.unique(kind + ' ' + topic)}", ["icpc:KeyPoint"])
        point.add("icpc:pointKind", f"icpc:{kind}")
        point.add("icpc:statement", lit(statement, "en"))
        point.add("icpc:theme", ref(rng.choice(self.pools.themes)))
        if kind == "Recommendation" and event:
            point.add("icpc:recommendedFor", ref(event))
        return provenance(point, doc, statement)

    def event_group(self, doc: Document, series: Entity, edition: int, budget: int) -> list[Entity]:
        """An event with its parts, people, publications, key points and involvements; small
        when the budget (triples left) is small."""
        rng = self.rng
        small = budget < 700
        kind, noun, noun_fr, _ = rng.choices(EVENT_KINDS, [k[3] for k in EVENT_KINDS])[0]
        city_iri, city, city_fr, offset = rng.choice(self.pools.cities)
        span = random_span(rng, offset)
        topic, topic_fr = rng.choice(TOPICS)
        name = f"{noun} on {topic}, {city} {span.start[0]}"
        event = Entity(f"event/{self.unique(name)}", [f"icpc:{kind}"])
        event.add("schema:name", lit(name, "en"))
        if self.french():
            event.add(
                "schema:name", lit(f"{noun_fr} sur {topic_fr}, {city_fr} {span.start[0]}", "fr")
            )
        event.add("icpc:inSeries", ref(series.iri))
        event.add("icpc:edition", str(edition))
        event.add("schema:startDate", span.start_term())
        event.add("schema:endDate", span.end_term())
        if kind != "Webinar":
            event.add("schema:location", ref(city_iri))
        event.add("icpc:organizer", ref("org/icpc"))
        partners = rng.sample(self.pools.organisations, min(len(self.pools.organisations), 3))
        event.add("icpc:coOrganizer", *(ref(p) for p in partners[: rng.randint(0, 2)]))
        entities: list[Entity] = [event]
        if not small and rng.random() < 0.4:
            relation, scope = rng.choice(INVOLVEMENTS)
            agent = partners[-1]
            event.add(f"icpc:{relation}", ref(agent))
            involvement = Entity(f"involvement/{self.unique(relation)}", ["icpc:Involvement"])
            involvement.add("icpc:qualifies", f"icpc:{relation}")
            involvement.add("icpc:involvedAgent", ref(agent))
            involvement.add("icpc:scope", lit(scope, "en"))
            provenance(involvement, doc, f"Support for the {noun.lower()} in {city} came {scope}.")
            event.add("icpc:qualifiedInvolvement", ref(involvement.iri))
            entities.append(involvement)
        if not small:
            event.add(
                "schema:description",
                lit(f"A {noun.lower()} held by ICPC in {city} on {topic.lower()}.", "en"),
            )
            event.add("icpc:approximateAttendeeCount", str(rng.randint(15, 400)))
        event.add("icpc:theme", *(ref(t) for t in rng.sample(self.pools.themes, 1 if small else 3)))
        parts: list[Entity] = []
        for index in range(1 if small else rng.randint(1, 4)):
            parts.extend(self.part(doc, event, span.part(rng), index + 1, topic, small))
        part_events = [p for p in parts if p.iri.startswith("event/")]
        event.add("icpc:hasEventPart", *(ref(p.iri) for p in part_events))
        entities.extend(parts)
        publications: list[Entity] = []
        if not small:
            for point in (
                self.key_point(doc, event.iri, topic, event.iri) for _ in range(rng.randint(0, 3))
            ):
                event.add("icpc:keyPoint", ref(point.iri))
                entities.append(point)
            for _ in range(rng.randint(0, 2)):
                publications.extend(self.publication(doc, event, span, topic, topic_fr))
            if rng.random() < 0.08:
                entities.append(self.study_or_plan(doc, series, topic, span))
        entities.extend(publications)
        place = f"in {city}" if kind != "Webinar" else "online"
        provenance(event, doc, f"ICPC held the {name} {place} {span.words()}.")
        self.events.append(GeneratedEvent(event, part_events, publications, span))
        return entities

    def part(
        self, doc: Document, event: Entity, span: Span, position: int, topic: str, small: bool
    ) -> list[Entity]:
        rng = self.rng
        kind = rng.choice(["Session", "Workshop", "Presentation"])
        verb = rng.choice(["Planning", "Evaluating", "Funding", "Sharing"])
        name = f"{kind} {position}: {verb} {topic.lower()}"
        part = Entity(
            f"event/{self.unique(event.iri.split('/', 1)[1][:40] + ' part')}", [f"icpc:{kind}"]
        )
        part.add("schema:name", lit(name, "en"))
        if self.french():
            part.add("schema:name", lit(f"Partie {position} : {topic.lower()}", "fr"))
        part.add("schema:position", str(position))
        part.add("icpc:eventPartOf", ref(event.iri))
        part.add("schema:startDate", span.start_term())
        part.add("schema:endDate", span.end_term())
        entities = [part]
        if kind == "Presentation":
            person, membership = self.person(doc)
            part.add("icpc:presenter", ref(person.iri))
            entities += [person, membership]
        elif not small:
            part.add("icpc:theme", ref(rng.choice(self.pools.themes)))
        provenance(part, doc, f"{name}.")
        return entities

    def person(self, doc: Document) -> tuple[Entity, Entity]:
        rng = self.rng
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        org = rng.choice(self.pools.organisations)
        role_iri = rng.choice(self.pools.roles)
        role_title = role_iri.rsplit("/", 1)[1].removeprefix(self.prefix).replace("-", " ").title()
        person = Entity(f"person/{self.unique(given + ' ' + family)}", ["icpc:Person"])
        person.add("schema:name", lit(f"{given} {family}"))
        person.add("schema:givenName", lit(given))
        person.add("schema:familyName", lit(family))
        person.add("icpc:jobTitle", lit(role_title, "en"))
        person.add("icpc:affiliation", ref(org))
        membership = Entity(f"membership/{person.iri.split('/', 1)[1]}", ["icpc:Membership"])
        membership.add("org:member", ref(person.iri))
        membership.add("org:organization", ref(org))
        membership.add("org:role", ref(role_iri))
        membership.add("icpc:roleTitle", lit(role_title, "en"))
        person.add("org:hasMembership", ref(membership.iri))
        sentence = f"{given} {family}, {role_title} at a partner organisation, presented."
        provenance(person, doc, sentence)
        provenance(membership, doc, f"{given} {family} is {role_title}.")
        self.pools.people.append(person.iri)
        return person, membership

    def publication(
        self, doc: Document, event: Entity, span: Span, topic: str, topic_fr: str
    ) -> list[Entity]:
        rng = self.rng
        kind, noun, noun_fr = rng.choice(PUBLICATION_KINDS)
        event_words = event.iri.rsplit("-", 1)[0].split("/", 1)[1].replace("-", " ")
        name = f"{topic}: {noun} of the {event_words}"
        pub = Entity(f"publication/{self.unique(topic + ' ' + noun)}", [f"icpc:{kind}"])
        pub.add("schema:name", lit(name, "en"))
        if self.french():
            pub.add("schema:name", lit(f"{noun_fr} sur {topic_fr}", "fr"))
        year = span.end[0] + rng.randint(1, 2)
        precision = rng.choice(["gYear", "gYearMonth", "date"])
        published = Span(precision, (year, 12, 15), (year, 12, 15))
        if rng.random() < 0.1:
            pub.add("icpc:publicationStatus", lit("being finalised", "en"))
        elif kind != "BackgroundPaper":
            pub.add("schema:datePublished", published.start_term())
        pub.add("schema:publisher", ref("org/icpc"))
        pub.add("schema:inLanguage", lit(rng.choice(["en", "fr"])))
        relations = PUBLICATION_RELATIONS.get(kind, ["icpc:followsEvent", "icpc:basedOn"])
        pub.add(rng.choice(relations), ref(event.iri))
        pub.add("icpc:theme", ref(rng.choice(self.pools.themes)))
        if rng.random() < 0.2:
            pub.add("icpc:funder", ref(rng.choice(self.pools.organisations)))
        entities = [pub]
        if kind == "ToolKit":
            papers = []
            for index in range(rng.randint(3, 6)):
                paper = Entity(
                    f"publication/{self.unique(topic + ' paper')}", ["icpc:ThematicPaper"]
                )
                paper.add("schema:name", lit(f"{topic}: thematic paper {index + 1}", "en"))
                paper.add("schema:name", lit(f"{topic_fr} : document thématique {index + 1}", "fr"))
                paper.add("schema:position", str(index + 1))
                paper.add("icpc:isPartOf", ref(pub.iri))
                paper.add("icpc:theme", ref(rng.choice(self.pools.themes)))
                provenance(
                    paper,
                    doc,
                    f"Thematic paper {index + 1} of the {noun.lower()} on {topic.lower()}.",
                )
                papers.append(paper)
            pub.add("icpc:hasPart", *(ref(p.iri) for p in papers))
            entities += papers
        provenance(pub, doc, f"After the event, ICPC published {name}.")
        return entities

    def study_or_plan(self, doc: Document, series: Entity, topic: str, span: Span) -> Entity:
        rng = self.rng
        if rng.random() < 0.5:
            study = Entity(f"study/{self.unique(topic + ' study')}", ["icpc:Study"])
            study.add("schema:name", lit(f"Study on {topic.lower()}", "en"))
            study.add("schema:name", lit(f"Étude sur {topic.lower()}", "fr"))
            study.add("dcterms:date", typed(str(span.start[0]), "gYear"))
            study.add("icpc:conductedBy", ref("org/icpc"))
            study.add("dcterms:spatial", ref(rng.choice(self.pools.countries)[0]))
            study.add("icpc:theme", ref(rng.choice(self.pools.themes)))
            return provenance(
                study, doc, f"In {span.start[0]}, ICPC carried out a study on {topic.lower()}."
            )
        plan = Entity(f"plan/{self.unique(topic + ' plan')}", ["icpc:Plan"])
        plan.add("schema:name", lit(f"Regional follow-up on {topic.lower()}", "en"))
        plan.add("schema:name", lit(f"Suivi régional sur {topic.lower()}", "fr"))
        plan.add("icpc:planStatus", lit("examining the possibility", "en"))
        plan.add("icpc:plannedBy", ref("org/icpc"))
        plan.add("icpc:follows", ref(series.iri))
        return provenance(plan, doc, f"ICPC is examining a regional follow-up on {topic.lower()}.")

    def agenda_themes(self, doc: Document, series: Entity, topic: tuple[str, str]) -> list[Entity]:
        scheme = Entity(f"scheme/{self.unique(topic[0] + ' agenda')}", ["skos:ConceptScheme"])
        scheme.add(
            "skos:prefLabel",
            lit(f"Agenda themes: {topic[0]}", "en"),
            lit(f"Thèmes : {topic[1]}", "fr"),
        )
        concepts = []
        for index, (en, fr) in enumerate(
            [("Strategies", "Stratégies"), ("Partners", "Partenaires")]
        ):
            concept = Entity(f"theme/{self.unique(topic[0] + ' ' + en)}", ["icpc:AgendaTheme"])
            concept.add("skos:inScheme", ref(scheme.iri))
            concept.add("skos:topConceptOf", ref(scheme.iri))
            concept.add(
                "skos:prefLabel",
                lit(f"{en} for {topic[0].lower()}", "en"),
                lit(f"{fr} pour {topic[1]}", "fr"),
            )
            concept.add("skos:broadMatch", ref(self.rng.choice(self.pools.themes)))
            provenance(
                concept, doc, f"Agenda theme {index + 1}: {en.lower()} for {topic[0].lower()}."
            )
            concepts.append(concept)
        scheme.add("skos:hasTopConcept", *(ref(c.iri) for c in concepts))
        series.add("icpc:agendaTheme", *(ref(c.iri) for c in concepts))
        return [scheme, *concepts]


# --------------------------------------------------------------------------------------------
# Projects
# --------------------------------------------------------------------------------------------


def count_triples(paths: Iterable[Path]) -> int:
    return sum(sum(1 for _ in ox.parse(path=str(p))) for p in paths)


def theme_iris(ontology: Path) -> list[str]:
    """The icpc:Theme concepts of ontology/themes.ttl, relative to the resource base."""
    found = sorted(
        {
            q.subject.value
            for q in ox.parse(path=str(ontology / "themes.ttl"))
            if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            and q.object == ox.NamedNode(ICPC + "Theme")
        }
    )
    return [iri.removeprefix(BASE + "id/") for iri in found]


def generate_project(
    out_dir: str | Path,
    triples: int,
    seed: int = 0,
    violations: int = 0,
    source: Path = REPO,
) -> GenerationSummary:
    """Write a project of about ``triples`` asserted data triples into ``out_dir``."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "queries"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, out / folder)
        else:
            (out / folder).mkdir(parents=True)
    data = out / "data"
    (data / "sources").mkdir(parents=True)
    bundled_files = sorted((source / "data").glob("*.ttl"))
    for path in bundled_files:
        shutil.copy(path, data / path.name)
    for path in sorted((source / "data" / "sources").glob("*.txt")):
        shutil.copy(path, data / "sources" / path.name)
    manifest = source / "data" / "sources" / "manifest.ttl"
    bundled_manifest = manifest.read_text(encoding="utf-8")
    bundled = count_triples([*bundled_files, manifest])

    gen = Generator(seed)
    gen.pools.themes = theme_iris(out / "ontology")
    budget = max(triples - bundled, 200)
    n_docs = max(1, round(budget / FILE_TRIPLES))
    docs = [
        Document(
            f"synthetic-{i + 1:04d}",
            f"ICPC programme page {i + 1}",
            f"CIPC » Programmes » Page {i + 1}",
        )
        for i in range(n_docs)
    ]
    shared = _shared_files(gen, docs, budget)
    used = sum(f.triples() for f in shared) + n_docs * 10  # manifest entries
    for index, doc in enumerate(docs):
        left_docs = n_docs - index
        doc_budget = (budget - used) // left_docs
        used += _fill_document(gen, doc, doc_budget)
    summary_violations = _inject_violations(gen, violations)
    files = [*shared, *(d.file for d in docs)]
    for file in files:
        (data / file.name).write_text(file.text(), encoding="utf-8")
    for doc in docs:
        (data / "sources" / f"{doc.slug}.txt").write_text(doc.text, encoding="utf-8")
    manifest_file = TurtleFile("sources/manifest.ttl", "The synthetic source documents.")
    manifest_file.entities = [d.manifest_entry() for d in docs]
    manifest_text = manifest_file.text()
    body = manifest_text.split("\n\n", 1)[1]  # the bundled manifest has the prefixes
    manifest_text = bundled_manifest.rstrip("\n") + "\n\n" + body
    (data / "sources" / "manifest.ttl").write_text(manifest_text, encoding="utf-8")
    total = count_triples(sorted(data.rglob("*.ttl")))
    names = sorted(str(p.relative_to(out)) for p in data.rglob("*.ttl"))
    return GenerationSummary(out, total, names, summary_violations)


def _shared_files(gen: Generator, docs: list[Document], budget: int) -> list[TurtleFile]:
    """Places, organisations and roles, split into files of about FILE_TRIPLES triples; the
    passages that state them go into the documents, in turn."""
    turn = iter(range(10**9))

    def doc() -> Document:
        return docs[next(turn) % len(docs)]

    places: list[Entity] = []
    n_countries = min(len(COUNTRIES), 3 + budget // 20_000)
    places += [gen.country(doc(), i) for i in range(n_countries)]
    places += [gen.city(doc(), i) for i in range(max(3, budget // 1500))]
    organisations = [gen.organisation(doc()) for _ in range(max(5, budget // 250))]
    roles = [gen.role(doc(), *r) for r in ROLES[: max(3, min(len(ROLES), budget // 2000))]]
    files = _split("synthetic-places", "Countries and cities of the synthetic documents.", places)
    files += _split(
        "synthetic-organisations", "Organisations of the synthetic documents.", organisations
    )
    files += _split(
        "synthetic-roles", "Positions held by the people of the synthetic documents.", roles
    )
    return files


def _split(stem: str, comment: str, entities: list[Entity]) -> list[TurtleFile]:
    files: list[TurtleFile] = []
    current = TurtleFile(f"{stem}-001.ttl", comment)
    for entity in entities:
        if current.entities and current.triples() + entity.triples() > FILE_TRIPLES:
            files.append(current)
            current = TurtleFile(f"{stem}-{len(files) + 1:03d}.ttl", comment)
        current.entities.append(entity)
    files.append(current)
    return files


def _fill_document(gen: Generator, doc: Document, budget: int) -> int:
    """Fill ``doc`` with a series and its events up to about ``budget`` triples."""
    topic = gen.rng.choice(TOPICS)
    series, extra = gen.series(doc, topic)
    entities = [series, *extra]
    if budget > 2_000:
        entities += gen.agenda_themes(doc, series, topic)
    passages = doc.file.entities  # stated so far; the facts go before them in the file
    doc.file.entities = []
    used = sum(e.triples() for e in [*entities, *passages])
    edition = 0
    while used < budget:
        edition += 1
        before = len(doc.file.entities)
        group = gen.event_group(doc, series, edition, budget - used)
        used += sum(e.triples() for e in group) + sum(
            e.triples() for e in doc.file.entities[before:]
        )
        entities += group
    doc.file.entities = entities + passages + doc.file.entities
    return used


def _inject_violations(gen: Generator, count: int) -> list[tuple[str, str]]:
    """Alter ``count`` event groups spread over the project, one violation each, the kinds
    taking turns (each goes to the next group that can take it)."""
    groups = gen.events
    if not groups or count <= 0:
        return []
    step = max(1, len(groups) // count)
    order = sorted(range(len(groups)), key=lambda i: (i % step, i))
    used: set[int] = set()
    done: list[tuple[str, str]] = []
    for number in range(min(count, len(groups))):
        wanted = VIOLATION_KINDS[number % len(VIOLATION_KINDS)]
        for kind in (wanted, "no-name"):
            index = next(
                (i for i in order if i not in used and _violate(gen, groups[i], kind, dry=True)),
                None,
            )
            if index is not None:
                used.add(index)
                done.append(_violate(gen, groups[index], kind))  # type: ignore[arg-type]
                break
    return done


def _violate(
    gen: Generator, group: GeneratedEvent, kind: str, dry: bool = False
) -> tuple[str, str] | None:
    """Give ``group`` a violation of ``kind``; with ``dry``, only say whether it can take one."""
    event, span = group.event, group.span
    if dry:
        if kind == "part-outside-dates":
            return (kind, "") if group.parts else None
        if kind == "publication-before-event":
            dated = any(
                p == "schema:datePublished" for pub in group.publications for p, _ in pub.props
            )
            return (kind, "") if dated else None
        return kind, ""
    if kind == "no-name":
        event.remove("schema:name")
        return kind, event.iri
    if kind == "date-datatype":
        event.set("schema:startDate", lit(span.lexical(span.start, span.hours[0])))
        return kind, event.iri
    if kind == "organizer-not-organisation":
        event.add("icpc:organizer", ref(gen.pools.cities[0][0]))
        return kind, event.iri
    if kind == "part-outside-dates" and group.parts:
        late = typed(str(span.end[0] + 3), "gYear")
        group.parts[0].set("schema:startDate", late)
        group.parts[0].set("schema:endDate", late)
        return kind, group.parts[0].iri
    if kind == "publication-before-event":
        for publication in group.publications:
            if any(p == "schema:datePublished" for p, _ in publication.props):
                publication.set("schema:datePublished", typed(str(span.start[0] - 2), "gYear"))
                return kind, publication.iri
    return None


# --------------------------------------------------------------------------------------------
# Contributions
# --------------------------------------------------------------------------------------------


def project_pools(project: Path) -> Pools:
    """The places, organisations, roles and themes an existing project defines."""
    kinds = {ICPC + "City": "cities", ICPC + "Country": "countries", ICPC + "Role": "roles"}
    kinds |= {ICPC + "Theme": "themes", **{ICPC + k: "orgs" for k in ORG_KINDS}}
    found: dict[str, set[str]] = {k: set() for k in ("cities", "countries", "roles", "themes")}
    found["orgs"] = set()
    names: dict[tuple[str, str], str] = {}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for path in [*sorted((project / "data").glob("*.ttl")), project / "ontology" / "themes.ttl"]:
        for quad in ox.parse(path=str(path)):
            if not isinstance(quad.subject, ox.NamedNode):
                continue
            iri = quad.subject.value.removeprefix(BASE + "id/")
            if quad.predicate.value == rdf_type and quad.object.value in kinds:
                found[kinds[quad.object.value]].add(iri)
            elif quad.predicate.value == "http://schema.org/name" and isinstance(
                quad.object, ox.Literal
            ):
                names[(iri, quad.object.language or "")] = quad.object.value
    pools = Pools()
    pools.countries = [(c, "Z") for c in sorted(found["countries"])]
    for city in sorted(found["cities"]):
        en = names.get((city, "en"), city.rsplit("/", 1)[1])
        pools.cities.append((city, en, names.get((city, "fr"), en), "Z"))
    pools.organisations = sorted(found["orgs"])
    pools.roles = sorted(found["roles"])
    pools.themes = sorted(found["themes"])
    return pools


def generate_contribution(against: str | Path, triples: int = 1000, seed: int = 1) -> str:
    """Turtle for a contribution of about ``triples`` triples: new events, organisations and
    people that refer to the places, organisations, roles and themes of ``against``."""
    project = Path(against)
    gen = Generator(seed, prefix=f"contribution-{seed}-")
    gen.pools = project_pools(project)
    if not gen.pools.cities or not gen.pools.organisations or not gen.pools.themes:
        raise SystemExit(f"{project}: no cities, organisations or themes to refer to")
    doc = Document(f"contribution-{seed}", "A partner's report on its events", "Partner » Events")
    out = TurtleFile(
        "contribution.ttl", f"A synthetic contribution (seed {seed}) to {project.name}."
    )
    own_orgs = [gen.organisation(doc) for _ in range(max(1, triples // 250))]
    gen.pools.organisations = gen.pools.organisations[:50] + [o.iri for o in own_orgs]
    topic = gen.rng.choice(TOPICS)
    series, extra = gen.series(doc, topic)
    body: list[Entity] = [*own_orgs, series, *extra, doc.manifest_entry()]
    while sum(e.triples() for e in body) + doc.file.triples() < triples:
        left = triples - sum(e.triples() for e in body) - doc.file.triples()
        body += gen.event_group(doc, series, len(gen.events) + 1, min(left, 699))
    out.entities = body + doc.file.entities
    return out.text()


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, help="asserted data triples of the project")
    parser.add_argument(
        "--out", required=True, help="project folder (replaced), or contribution file"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--violations", type=int, default=0, help="deliberate violations to add")
    parser.add_argument("--contribution", type=int, help="write a contribution of about N triples")
    parser.add_argument("--against", help="the project a contribution refers to")
    args = parser.parse_args(argv)
    if args.contribution:
        if not args.against:
            parser.error("--contribution needs --against PROJECT")
        text = generate_contribution(args.against, args.contribution, args.seed or 1)
        Path(args.out).write_text(text, encoding="utf-8")
        count = sum(1 for _ in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
        print(f"{args.out}: {count:,} triples")
        return 0
    if not args.triples:
        parser.error("--triples is required")
    summary = generate_project(args.out, args.triples, args.seed, args.violations)
    print(f"{summary.out}: {summary.triples:,} data triples in {len(summary.files)} files")
    for kind, iri in summary.violations:
        print(f"  violation {kind}: {iri}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
