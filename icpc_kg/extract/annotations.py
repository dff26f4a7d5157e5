"""Reference annotations in a compact line format, and entity-level precision / recall / F1.

An annotation file (``.ann``) lists the entities a curator finds in one page, one a line::

    # url: https://cipc-icpc.org/en/...
    # lang: en
    event Colloquium | The ICPC's 12th Colloquium | 12th International Colloquium
    org | International Centre for the Prevention of Crime | acronym=ICPC
    person | Ann Champoux
    pub Report | International Report on Crime Prevention and Community Safety
    ?org | consulat canadien

The first word is the family (``event``, ``org``, ``person``, ``pub``, ``place``), optionally
followed by the class (a local name of the ontology: ``Colloquium``, ``GovernmentBody``...).
Then ``|``-separated names: any of them may be the one the page uses; ``acronym=X`` gives an
acronym. A leading ``?`` marks an entity a curator may or may not record (an unnamed meeting,
a generic body): a draft entity that aligns to it is neither right nor wrong.

Entities align one to one, greedily from the best score, with the alignment of
:mod:`icpc_kg.extract.scoring` (same family, a name equal after folding, or similar by
rapidfuzz token_sort_ratio >= 85); the entity F1 of a family is then computed from aligned
pairs. This is the figure the issue's targets are stated in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import RDF

from icpc_kg.errors import InputError
from icpc_kg.extract.scoring import Described, align, describe
from icpc_kg.extract.text import slugify
from icpc_kg.vocab import ICPC, SCHEMA

FAMILIES = {
    "event": "event",
    "org": "org",
    "person": "person",
    "pub": "publication",
    "place": "place",
}
DEFAULT_CLASS = {
    "event": "Event",
    "org": "Organization",
    "person": "Person",
    "publication": "Publication",
    "place": "Place",
}
SCORED_FAMILIES = ("event", "org", "person", "publication")


@dataclass
class Annotated:
    family: str
    cls: str
    names: list[str]
    acronyms: list[str]
    optional: bool = False


@dataclass
class Annotations:
    url: str | None
    lang: str | None
    entities: list[Annotated] = field(default_factory=list)


_HEADER = re.compile(r"^#\s*(url|lang)\s*:\s*(\S+)\s*$")


def parse_annotations(text: str, source: str = "<annotations>") -> Annotations:
    found = Annotations(None, None)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            setattr(found, header.group(1), header.group(2))
            continue
        if not line or line.startswith("#"):
            continue
        optional = line.startswith("?")
        head, *fields = [part.strip() for part in line.lstrip("?").split("|")]
        words = head.split()
        if not words or words[0] not in FAMILIES:
            raise InputError(
                f"{source}:{number}: unknown family {head!r} (one of {list(FAMILIES)})"
            )
        family = FAMILIES[words[0]]
        cls = words[1] if len(words) > 1 else DEFAULT_CLASS[family]
        names = [f for f in fields if f and not f.startswith("acronym=")]
        acronyms = [f.split("=", 1)[1].strip() for f in fields if f.startswith("acronym=")]
        if not names and not acronyms:
            raise InputError(f"{source}:{number}: an entity needs a name or an acronym")
        found.entities.append(Annotated(family, cls, names, acronyms, optional))
    return found


def read_annotations(path: Path) -> Annotations:
    return parse_annotations(path.read_text(encoding="utf-8"), str(path))


def annotations_graph(annotations: Annotations) -> rdflib.Graph:
    """The annotations as a small reference graph (types and names) for the fact scorer."""
    graph = rdflib.Graph()
    for index, entity in enumerate(annotations.entities):
        node = rdflib.URIRef(_iri(index, entity))
        graph.add((node, RDF.type, ICPC[entity.cls]))
        for name in entity.names:
            graph.add((node, SCHEMA.name, rdflib.Literal(name)))
        for acronym in entity.acronyms:
            graph.add((node, ICPC.acronym, rdflib.Literal(acronym)))
    return graph


def _iri(index: int, entity: Annotated) -> str:
    return f"urn:ann:{entity.family}/{index}-{slugify((entity.names or entity.acronyms)[0])}"


@dataclass
class EntityScore:
    family: str
    draft: int = 0  # draft entities that count (not aligned to an optional one)
    reference: int = 0  # required reference entities
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.draft if self.draft else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.reference if self.reference else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: EntityScore) -> None:
        self.draft += other.draft
        self.reference += other.reference
        self.matched += other.matched
        self.missed += other.missed
        self.extra += other.extra


def score_entities(
    draft: rdflib.Graph, annotations: Annotations, ontology: rdflib.Graph
) -> dict[str, EntityScore]:
    """Entity precision / recall / F1 per family of the draft against the annotations."""
    reference_graph = annotations_graph(annotations)
    draft_entities = describe(draft, ontology)
    reference_entities = describe(reference_graph, ontology)
    optional = {_iri(i, e) for i, e in enumerate(annotations.entities) if e.optional}
    mapping = align(draft_entities, reference_entities)
    scores = {family: EntityScore(family) for family in (*SCORED_FAMILIES, "place")}
    for iri, entity in draft_entities.items():
        partner = mapping.get(iri)
        if partner in optional:
            continue
        score = scores[entity.family]
        score.draft += 1
        if partner is None:
            score.extra.append(_label(entity))
        else:
            score.matched += 1
    aligned = set(mapping.values())
    for iri, entity in reference_entities.items():
        if iri in optional:
            continue
        scores[entity.family].reference += 1
        if iri not in aligned:
            scores[entity.family].missed.append(_label(entity))
    return scores


def _label(entity: Described) -> str:
    return f"{entity.cls}: {entity.names[0] if entity.names else entity.iri}"
