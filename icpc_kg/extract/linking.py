"""Linking: what the graph already knows, and giving each extracted entity its IRI.

An entity already in the graph is linked to its IRI (never duplicated): organisations by
acronym, name or alternate name (a government body also by its name without "of Canada"
when the territory agrees), people, places, roles, events, series and publications by name or
alternate name. Fuzzy matching (rapidfuzz) is conservative: 93 or more on long names of the
same family, 95 for people and publications. Everything else gets a new IRI
``{base}id/{kind}/{slug}`` that collides with nothing in the graph or the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import rdflib
from rapidfuzz import fuzz
from rdflib.namespace import RDF, RDFS, SKOS

from icpc_kg.extract.model import Entity, Extraction
from icpc_kg.extract.text import fold, fold_words, slugify
from icpc_kg.project import Project
from icpc_kg.vocab import DEFAULT_BASE, ICPC, SCHEMA

FAMILY_ROOTS = {
    ICPC.Event: "event",
    ICPC.Organization: "org",
    ICPC.Person: "person",
    ICPC.Place: "place",
    ICPC.OnlineLocation: "place",
    ICPC.Publication: "publication",
    ICPC.Project: "study",
    ICPC.Role: "role",
    ICPC.SourceDocument: "document",
}
_FUZZY = {
    "org": 93,
    "event": 93,
    "series": 93,
    "place": 101,
    "person": 95,
    "publication": 95,
    "study": 95,
    "role": 101,
}


@dataclass(frozen=True)
class KnownEntity:
    iri: str
    family: str
    classes: frozenset[str]
    names: tuple[str, ...]  # folded names, alternate names and labels
    acronyms: tuple[str, ...]
    territories: tuple[str, ...] = ()  # folded names of its jurisdiction or base
    start: str | None = None


@dataclass(frozen=True)
class ThemeConcept:
    iri: str
    labels: tuple[tuple[str, str | None], ...]  # (label, language)
    preferred: str


@dataclass
class KnownGraph:
    """The entities of the existing graph that extraction can link to, and the themes."""

    entities: list[KnownEntity] = field(default_factory=list)
    themes: list[ThemeConcept] = field(default_factory=list)
    iris: set[str] = field(default_factory=set)
    base: str = DEFAULT_BASE

    @classmethod
    def load(cls, project: Project, with_data: bool = True, base: str = DEFAULT_BASE) -> KnownGraph:
        """The project's ontology and themes, and with ``with_data`` its curated data."""
        graph = rdflib.Graph()
        for path in sorted(project.ontology_dir.glob("*.ttl")):
            graph.parse(path, format="turtle")
        if with_data:
            for path in sorted(project.data_dir.rglob("*.ttl")):
                graph.parse(path, format="turtle")
        return cls.from_graph(graph, base, with_data)

    @classmethod
    def from_graph(
        cls, graph: rdflib.Graph, base: str = DEFAULT_BASE, with_data: bool = True
    ) -> KnownGraph:
        known = cls(base=base)
        family_of: dict[rdflib.URIRef, str] = {}
        for root, family in FAMILY_ROOTS.items():
            for sub in graph.transitive_subjects(RDFS.subClassOf, root):
                family_of.setdefault(sub, family)  # type: ignore[arg-type]
        id_base = base + "id/"
        for subject in set(graph.subjects(RDF.type, None)):
            if not isinstance(subject, rdflib.URIRef) or not str(subject).startswith(id_base):
                continue
            known.iris.add(str(subject))
            classes = {o for o in graph.objects(subject, RDF.type) if isinstance(o, rdflib.URIRef)}
            if ICPC.Theme in classes:
                known.themes.append(_theme(graph, subject))
                continue
            if not with_data:
                continue
            families = [family_of[c] for c in classes if c in family_of]
            if not families:
                continue
            names = [
                str(o)
                for p in (SCHEMA.name, SCHEMA.alternateName, SKOS.prefLabel, SKOS.altLabel)
                for o in graph.objects(subject, p)
            ]
            acronyms = [str(o) for o in graph.objects(subject, ICPC.acronym)]
            territories = [
                fold(str(n))
                for p in (ICPC.jurisdiction, ICPC.basedIn)
                for place in graph.objects(subject, p)
                for n in graph.objects(place, SCHEMA.name)
            ]
            start = graph.value(subject, SCHEMA.startDate)
            family = families[0]
            if ICPC.EventSeries in classes:
                family = "series"
            known.entities.append(
                KnownEntity(
                    str(subject),
                    family,
                    frozenset(str(c).rsplit("#", 1)[-1] for c in classes),
                    tuple(dict.fromkeys(fold(n) for n in names)),
                    tuple(acronyms),
                    tuple(territories),
                    str(start) if start is not None else None,
                )
            )
        known.entities.sort(key=lambda e: e.iri)
        known.themes.sort(key=lambda t: t.iri)
        return known

    # -- linking ----------------------------------------------------------------------------
    def find(self, entity: Entity, extraction: Extraction) -> tuple[str, str] | None:
        """The IRI of the graph's entity that ``entity`` is, and why; None when it is new."""
        family = _family(entity)
        candidates = [k for k in self.entities if k.family == family]
        if not candidates:
            return None
        acronyms = {a.text for a in entity.acronyms}
        names = [
            fold(n) for n in (*[n.text for n in entity.names], *[a.text for a in entity.alternates])
        ]
        if family == "series":
            from icpc_kg.extract.event_kinds import series_name

            names += [fold(series_name(n, [])) for n in list(names)]
        for known in candidates:
            if acronyms & set(known.acronyms):
                return known.iri, f"acronym {sorted(acronyms & set(known.acronyms))[0]}"
        for known in candidates:
            for name in names:
                if name in known.names and compatible(entity, known):
                    return known.iri, "same name"
        if family == "org":
            territory = _territories(entity, extraction)
            for known in candidates:
                for name in names:
                    base_name = _without_territory(name)
                    if (
                        base_name != name
                        and base_name in known.names
                        and (not known.territories or territory & set(known.territories))
                    ):
                        return known.iri, "same name and territory"
        threshold = _FUZZY.get(family, 101)
        best: tuple[float, KnownEntity] | None = None
        for known in candidates:
            for name in names:
                if len(name) < 12:
                    continue
                for other in known.names:
                    score = fuzz.token_sort_ratio(fold_words(name), fold_words(other))
                    if (
                        score >= threshold
                        and compatible(entity, known)
                        and (best is None or score > best[0])
                    ):
                        best = (score, known)
        if best is not None:
            return best[1].iri, f"similar name ({best[0]:.0f}%)"
        return None


def _theme(graph: rdflib.Graph, subject: rdflib.URIRef) -> ThemeConcept:
    labels = []
    preferred = ""
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for label in sorted(graph.objects(subject, predicate), key=str):
            lang = getattr(label, "language", None)
            labels.append((str(label), lang))
            if predicate == SKOS.prefLabel and (lang == "en" or not preferred):
                preferred = str(label)
    return ThemeConcept(str(subject), tuple(labels), preferred)


def _family(entity: Entity) -> str:
    return "series" if entity.cls == "EventSeries" else entity.kind


def compatible(entity: Entity, known: KnownEntity) -> bool:
    """Places must be of the same kind; dated events must agree on the year."""
    if entity.kind == "place":
        return entity.cls in known.classes or (entity.cls == "City" and "City" in known.classes)
    if entity.kind == "event" and known.start:
        start = entity.fact("startDate")
        if start is not None and start.lexical[:4] != known.start[:4]:
            return False
    return True


def _without_territory(name: str) -> str:
    return re.sub(r"\s+(?:of(?: the)?|du|de la|de l'|de|des)\s+[\w'.-]+(?: [\w'.-]+)?$", "", name)


def _territories(entity: Entity, extraction: Extraction) -> set[str]:
    found: set[str] = set()
    for predicate in ("icpc:jurisdiction", "icpc:basedIn"):
        for key in extraction.objects(entity.key, predicate):
            found.update(fold(n) for n in extraction.entities[key].all_names())
    return found


# --------------------------------------------------------------------------------------------
# IRIs
# --------------------------------------------------------------------------------------------


def slug_for(entity: Entity) -> str:
    if entity.kind == "org":
        return entity.key.split(":", 1)[1]  # the acronym (ICPC for the site's owner) or name
    name = entity.name
    slug = slugify(name)
    if entity.kind == "event" and entity.cls != "EventSeries":
        start = entity.fact("startDate")
        if start is not None and start.lexical[:4] not in slug:
            slug = f"{slugify(name, 55)}-{start.lexical[:4]}"
    return slug


def assign_iris(extraction: Extraction, known: KnownGraph, link: bool = True) -> None:
    """Link entities to the graph where they are already in it; mint IRIs for the rest."""
    if link:
        claimed: dict[str, str] = {}
        for entity in sorted(extraction.entities.values(), key=lambda e: (e.first_offset, e.key)):
            found = known.find(entity, extraction)
            if found is None:
                continue
            iri, reason = found
            if iri in claimed and claimed[iri] in extraction.entities:
                # Two mentions of one known entity ("Montreal", "Montréal"): one entity.
                extraction.rekey(entity.key, claimed[iri])
                continue
            claimed[iri] = entity.key
            entity.iri, entity.linked, entity.link_reason = iri, True, reason
    used = set(known.iris)
    used.update(e.iri for e in extraction.entities.values() if e.iri)
    for entity in sorted(extraction.entities.values(), key=lambda e: (e.first_offset, e.key)):
        if entity.iri:
            continue
        base = f"{known.base}id/{entity.kind}/{slug_for(entity)}"
        iri = base
        counter = 2
        while iri in used:
            iri = f"{base}-{counter}"
            counter += 1
        used.add(iri)
        entity.iri = iri
