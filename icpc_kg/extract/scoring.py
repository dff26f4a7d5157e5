"""Precision and recall of a draft against a reference, per kind of fact.

Scoring (also the documentation of benchmarks/extraction.py):

1. **Entities** are the subjects typed with a class of one of five families (after the
   ontology's subclass closure): events (icpc:Event, series included), organisations, people,
   places (icpc:Place, icpc:OnlineLocation) and publications. Studies, plans, key points,
   agenda themes, roles and memberships are not entities here (roles and memberships are
   scored as facts about people).
2. **Counted reference entities**: a reference entity counts only if the page names it: one
   of its names, alternate names, acronyms or labels occurs in the page's text (accents, case,
   quotes and dashes folded). Curated entities whose names a curator wrote ("Workshops of the
   first Policing for Prevention seminar", "Background paper for the second seminar") are
   interpretive: they do not count, and draft entities aligned to them are neither right nor
   wrong. With several documents in one reference, only entities whose dcterms:source is the
   page's document are candidates.
3. **Alignment** (one to one, greedy from the best score): a draft and a reference entity of
   the same family align when a name of one equals a name of the other after folding (100),
   or their names are similar (rapidfuzz token_sort_ratio >= 85), or -- for entities named by
   a description -- they have the same most specific class and a passage of one overlaps a
   passage of the other by half or more (90). IRIs play no part: a draft made without
   linking mints its own.
4. **Facts**, per kind, about counted entities (a fact about or pointing at an entity aligned
   to an uncounted one is dropped on both sides):
   - events: the entity, its most specific class, icpc:edition, schema:position;
   - dates: schema:startDate, schema:endDate, schema:datePublished, dcterms:date and
     icpc:dateText of events and publications. A date matches when datatype and value agree;
     an offset counts only when both sides give one (the page states times without a zone;
     the curated data adds Montreal's -05:00, which the extractor never guesses). A date kept
     as text matches on its month names and numbers;
   - places: the entity, its class, schema:containedInPlace, events' schema:location and
     organisations' icpc:jurisdiction / icpc:basedIn (one "located" fact either way);
   - organisations: the entity, its class, each schema:name and each icpc:acronym;
   - people: the entity, honorific prefix, given and family names;
   - roles and affiliations: icpc:affiliation, icpc:jobTitle, and for each membership its
     organisation with its title as written and with each role's label;
   - publications: the entity, its class, schema:inLanguage;
   - relations: organiser, co-organiser, collaborator, co-sponsor, sponsor, supporter,
     funder, host, presenter, moderator, panelist, follows event, based on, result of,
     prepared for, recording of, in series, event part (either direction), publication part
     (either direction), publisher, author; and each qualified involvement (subject, relation,
     agent, scope).
   A text value in the reference (a name, acronym, title or date kept as text) counts only if
   the page contains it.
5. precision = matched draft facts / draft facts; recall = matched reference facts /
   reference facts. A kind with no facts on either side scores 1.0 (nothing to find, nothing
   invented).
Themes (icpc:theme to a concept of the project's scheme) are reported for information and
take no part in the thresholds: the curated themes are a curator's reading of the page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import rdflib
from rapidfuzz import fuzz
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from icpc_kg.extract.text import fold, fold_words
from icpc_kg.vocab import ICPC, OA, ORG, SCHEMA

KINDS = (
    "events",
    "dates",
    "places",
    "organisations",
    "people",
    "roles and affiliations",
    "publications",
    "relations",
)
INFORMATIVE = ("themes",)
FAMILIES = {
    ICPC.Event: "event",
    ICPC.Organization: "org",
    ICPC.Person: "person",
    ICPC.Place: "place",
    ICPC.OnlineLocation: "place",
    ICPC.Publication: "publication",
}
RELATIONS = {
    ICPC.organizer: "organizer",
    ICPC.coOrganizer: "coOrganizer",
    ICPC.collaborator: "collaborator",
    ICPC.coSponsor: "coSponsor",
    SCHEMA.sponsor: "sponsor",
    ICPC.supporter: "supporter",
    ICPC.funder: "funder",
    ICPC.host: "host",
    ICPC.presenter: "presenter",
    ICPC.moderator: "moderator",
    ICPC.panelist: "panelist",
    ICPC.followsEvent: "followsEvent",
    ICPC.basedOn: "basedOn",
    ICPC.resultOf: "resultOf",
    ICPC.preparedFor: "preparedFor",
    ICPC.recordingOf: "recordingOf",
    ICPC.inSeries: "inSeries",
    ICPC.hasEventPart: "hasEventPart",
    ICPC.hasPart: "hasPart",
    SCHEMA.publisher: "publisher",
    SCHEMA.author: "author",
}
INVERSES = {ICPC.eventPartOf: "hasEventPart", ICPC.isPartOf: "hasPart"}
DATE_PROPERTIES = {
    SCHEMA.startDate: "startDate",
    SCHEMA.endDate: "endDate",
    SCHEMA.datePublished: "datePublished",
    DCTERMS.date: "date",
}
NAME_PROPERTIES = (SCHEMA.name, SCHEMA.alternateName, ICPC.acronym, SKOS.prefLabel)


@dataclass
class KindScore:
    kind: str
    draft: int = 0
    reference: int = 0
    matched_draft: int = 0
    matched_reference: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_draft / self.draft if self.draft else 1.0

    @property
    def recall(self) -> float:
        return self.matched_reference / self.reference if self.reference else 1.0


@dataclass
class Score:
    kinds: dict[str, KindScore]
    alignment: dict[str, str]  # draft IRI -> reference IRI
    counted: set[str]
    uncounted_aligned: set[str]

    def passes(self, threshold: float) -> bool:
        return all(
            self.kinds[k].precision >= threshold and self.kinds[k].recall >= threshold
            for k in KINDS
        )

    def worst(self) -> float:
        return min(min(self.kinds[k].precision, self.kinds[k].recall) for k in KINDS)


# --------------------------------------------------------------------------------------------
# Reading entities
# --------------------------------------------------------------------------------------------


@dataclass
class Described:
    iri: str
    family: str
    cls: str
    names: list[str]
    spans: list[tuple[int, int]]


def class_families(
    ontology: rdflib.Graph,
) -> tuple[dict[rdflib.URIRef, str], dict[rdflib.URIRef, int]]:
    family: dict[rdflib.URIRef, str] = {}
    depth: dict[rdflib.URIRef, int] = {}
    for root, name in FAMILIES.items():
        for sub in ontology.transitive_subjects(RDFS.subClassOf, root):
            family.setdefault(sub, name)  # type: ignore[arg-type]
    for cls in family:
        depth[cls] = len(list(ontology.transitive_objects(cls, RDFS.subClassOf)))
    return family, depth


def describe(
    graph: rdflib.Graph, ontology: rdflib.Graph, document: str | None = None
) -> dict[str, Described]:
    family_of, depth = class_families(ontology)
    found: dict[str, Described] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, rdflib.URIRef):
            continue
        classes = [
            c
            for c in graph.objects(subject, RDF.type)
            if isinstance(c, rdflib.URIRef) and c in family_of
        ]
        if not classes:
            continue
        if document is not None and (subject, DCTERMS.source, rdflib.URIRef(document)) not in graph:
            continue
        cls = max(classes, key=lambda c: (depth.get(c, 0), str(c)))
        names = [str(o) for p in NAME_PROPERTIES for o in graph.objects(subject, p)]
        spans = []
        for passage in graph.objects(subject, ICPC.statedIn):
            for selector in graph.objects(passage, OA.hasSelector):
                start = graph.value(selector, OA.start)
                end = graph.value(selector, OA.end)
                if start is not None and end is not None:
                    spans.append((int(str(start)), int(str(end))))
        found[str(subject)] = Described(
            str(subject), family_of[cls], str(cls).rsplit("#", 1)[-1], names, spans
        )
    return found


def named_in(entity: Described, folded_text: str) -> bool:
    return any(fold(name) and fold(name) in folded_text for name in entity.names)


# --------------------------------------------------------------------------------------------
# Alignment
# --------------------------------------------------------------------------------------------


def _similarity(a: Described, b: Described) -> float:
    best = 0.0
    for x in a.names:
        for y in b.names:
            fx, fy = fold_words(x), fold_words(y)
            if not fx or not fy:
                continue
            if fx == fy:
                return 100.0
            best = max(best, fuzz.token_sort_ratio(fx, fy))
    if best < 85 and a.cls == b.cls and _overlap(a.spans, b.spans):
        best = max(best, 90.0)
    return best


def _overlap(left: list[tuple[int, int]], right: list[tuple[int, int]]) -> bool:
    for s1, e1 in left:
        for s2, e2 in right:
            shared = min(e1, e2) - max(s1, s2)
            if shared > 0 and shared * 2 >= min(e1 - s1, e2 - s2):
                return True
    return False


def align(draft: dict[str, Described], reference: dict[str, Described]) -> dict[str, str]:
    pairs = []
    for d in draft.values():
        for r in reference.values():
            if d.family != r.family:
                continue
            score = _similarity(d, r)
            if score >= 85:
                pairs.append((-score, d.iri, r.iri))
    pairs.sort()
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _score, d_iri, r_iri in pairs:
        if d_iri in mapping or r_iri in used:
            continue
        mapping[d_iri] = r_iri
        used.add(r_iri)
    return mapping


# --------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------

Fact = tuple[str, ...]


def _date_fact(value: rdflib.term.Node) -> tuple[str, str, str]:
    lexical = str(value)
    datatype = str(getattr(value, "datatype", "") or "").rsplit("#", 1)[-1]
    offset = ""
    if datatype == "dateTime":
        match = re.search(r"(Z|[+-]\d\d:\d\d)$", lexical)
        if match:
            offset = match.group(1)
            lexical = lexical[: match.start()]
    return datatype, lexical, offset


def _date_text(value: str) -> str:
    tokens = re.findall(r"[a-zà-ÿ]+|\d+(?::\d+)?", fold(value))
    months = {
        m
        for m in [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ]
    }
    return " ".join(t for t in tokens if t in months or t[0].isdigit())


def facts(
    graph: rdflib.Graph, entities: dict[str, Described], mapping: dict[str, str]
) -> dict[str, set[Fact]]:
    """The facts of ``graph`` per kind, with entity IRIs mapped through ``mapping``."""

    def key(node: rdflib.term.Node) -> str:
        return mapping.get(str(node), str(node))

    out: dict[str, set[Fact]] = defaultdict(set)
    for iri, entity in entities.items():
        node = rdflib.URIRef(iri)
        subject = key(node)
        family = entity.family
        if family == "event":
            out["events"].add(("entity", subject))
            out["events"].add(("class", subject, entity.cls))
            for value in graph.objects(node, ICPC.edition):
                out["events"].add(("edition", subject, str(int(str(value)))))
            for value in graph.objects(node, SCHEMA.position):
                out["events"].add(("position", subject, str(int(str(value)))))
        elif family == "place":
            out["places"].add(("entity", subject))
            out["places"].add(("class", subject, entity.cls))
            for container in graph.objects(node, SCHEMA.containedInPlace):
                if str(container) in entities:
                    out["places"].add(("containedIn", subject, key(container)))
        elif family == "org":
            out["organisations"].add(("entity", subject))
            out["organisations"].add(("class", subject, entity.cls))
            acronyms = {str(value) for value in graph.objects(node, ICPC.acronym)}
            for value in graph.objects(node, SCHEMA.name):
                # A name that only repeats an acronym (a placeholder) says nothing new.
                if str(value) not in acronyms:
                    out["organisations"].add(("name", subject, fold(str(value))))
            for acronym in acronyms:
                out["organisations"].add(("acronym", subject, acronym))
            for predicate in (ICPC.jurisdiction, ICPC.basedIn):
                for place in graph.objects(node, predicate):
                    if str(place) in entities:
                        out["places"].add(("located", subject, key(place)))
        elif family == "person":
            out["people"].add(("entity", subject))
            for predicate, name in (
                (SCHEMA.honorificPrefix, "honorific"),
                (SCHEMA.givenName, "given"),
                (SCHEMA.familyName, "family"),
            ):
                for value in graph.objects(node, predicate):
                    out["people"].add((name, subject, fold(str(value))))
            for org in graph.objects(node, ICPC.affiliation):
                if str(org) in entities:
                    out["roles and affiliations"].add(("affiliation", subject, key(org)))
            for value in graph.objects(node, ICPC.jobTitle):
                out["roles and affiliations"].add(("jobTitle", subject, fold(str(value))))
            for membership in graph.objects(node, ORG.hasMembership):
                member_of = graph.value(membership, ORG.organization)
                if member_of is None or str(member_of) not in entities:
                    continue
                org = member_of
                for title in graph.objects(membership, ICPC.roleTitle):
                    out["roles and affiliations"].add(
                        ("membership", subject, key(org), fold(str(title)))
                    )
                for role in graph.objects(membership, ORG.role):
                    for label in graph.objects(role, SKOS.prefLabel):
                        out["roles and affiliations"].add(
                            ("role", subject, key(org), fold(str(label)))
                        )
        elif family == "publication":
            out["publications"].add(("entity", subject))
            out["publications"].add(("class", subject, entity.cls))
            for value in graph.objects(node, SCHEMA.inLanguage):
                out["publications"].add(("inLanguage", subject, str(value)))
        if family in ("event", "publication"):
            for predicate, name in DATE_PROPERTIES.items():
                for value in graph.objects(node, predicate):
                    out["dates"].add((name, subject, *_date_fact(value)))
            for value in graph.objects(node, ICPC.dateText):
                out["dates"].add(("dateText", subject, _date_text(str(value))))
            for place in graph.objects(node, SCHEMA.location):
                if str(place) in entities:
                    out["places"].add(("location", subject, key(place)))
        for predicate, name in RELATIONS.items():
            for obj in graph.objects(node, predicate):
                if str(obj) in entities:
                    out["relations"].add((name, subject, key(obj)))
        for predicate, name in INVERSES.items():
            for obj in graph.objects(node, predicate):
                if str(obj) in entities:
                    out["relations"].add((name, key(obj), subject))
        for involvement in graph.objects(node, ICPC.qualifiedInvolvement):
            agent = graph.value(involvement, ICPC.involvedAgent)
            qualifies = graph.value(involvement, ICPC.qualifies)
            scope = graph.value(involvement, ICPC.scope)
            if agent is not None and str(agent) in entities:
                out["relations"].add(
                    (
                        "involvement",
                        subject,
                        str(qualifies).rsplit("#", 1)[-1],
                        key(agent),
                        fold(str(scope or "")),
                    )
                )
        for theme in graph.objects(node, ICPC.theme):
            out["themes"].add(("theme", subject, str(theme)))
    return out


_TEXT_FACTS = {
    "name": 2,
    "acronym": 2,
    "jobTitle": 2,
    "membership": 3,
    "role": 3,
    "dateText": 2,
    "honorific": 2,
    "given": 2,
    "family": 2,
}


def _stated(fact: Fact, folded_text: str) -> bool:
    """Whether a reference fact's text value is in the page (names, titles, dates as text)."""
    index = _TEXT_FACTS.get(fact[0])
    if index is None:
        return True
    value = fact[index]
    if fact[0] == "dateText":
        return all(token in folded_text for token in value.split())
    return not value or fold(value) in folded_text


def _matches(draft: Fact, reference: Fact) -> bool:
    if draft == reference:
        return True
    if draft[0] in ("startDate", "endDate", "datePublished", "date") and draft[:4] == reference[:4]:
        return not draft[4] or not reference[4] or draft[4] == reference[4]
    return False


def _involves(fact: Fact, iris: set[str]) -> bool:
    return any(part in iris for part in fact[1:])


def score(
    draft: rdflib.Graph,
    reference: rdflib.Graph,
    ontology: rdflib.Graph,
    text: str,
    document: str | None = None,
    themes: set[str] | None = None,
    draft_document: str | None = None,
) -> Score:
    """Score ``draft`` against ``reference`` for a page whose text is ``text``; with
    ``document``, only the reference's entities from that document count (and with
    ``draft_document``, only the draft's)."""
    folded_text = fold(text)
    draft_entities = describe(draft, ontology, draft_document)
    reference_entities = describe(reference, ontology, document)
    counted = {iri for iri, e in reference_entities.items() if named_in(e, folded_text)}
    mapping = align(draft_entities, reference_entities)
    uncounted = set(reference_entities) - counted
    draft_facts = facts(draft, draft_entities, mapping)
    reference_facts = facts(reference, reference_entities, {})
    kinds: dict[str, KindScore] = {}
    for kind in (*KINDS, *INFORMATIVE):
        mine = {f for f in draft_facts.get(kind, set()) if not _involves(f, uncounted)}
        theirs = {
            f
            for f in reference_facts.get(kind, set())
            if not _involves(f, uncounted) and _stated(f, folded_text)
        }
        if kind == "themes" and themes is not None:
            mine = {f for f in mine if f[2] in themes}
            theirs = {f for f in theirs if f[2] in themes}
        result = KindScore(kind, len(mine), len(theirs))
        matched_reference: set[Fact] = set()
        for fact in sorted(mine):
            partner = next(
                (r for r in sorted(theirs) if r not in matched_reference and _matches(fact, r)),
                None,
            )
            if partner is not None:
                matched_reference.add(partner)
                result.matched_draft += 1
            else:
                result.extra.append(" ".join(fact))
        result.matched_reference = len(matched_reference)
        result.missed = [" ".join(f) for f in sorted(theirs - matched_reference)]
        kinds[kind] = result
    return Score(kinds, mapping, counted, {d for d, r in mapping.items() if r in uncounted})


def load_graph(paths: Iterable[str]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def scheme_themes(graph: rdflib.Graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, ICPC.Theme)}


__all__ = ["INFORMATIVE", "KINDS", "KindScore", "Score", "load_graph", "scheme_themes", "score"]
