"""Likely duplicates: a contribution entity that an existing entity of the same family
(Event, Organization, Person... after reasoning) already describes, by the same or a similar
name with overlapping dates, or by the same acronym.

The graph may hold millions of triples. One SPARQL query (through the store seam) reads every
name, alternate name, preferred label and acronym of the graph into a token index, kept for
the store and rebuilt when the store's count of names changes (an embedded store never
changes). For each contribution name, the index gives the labels that hold its rarest word
(or, when even that word is common, its two rarest words); rapidfuzz compares the names on
their informative words (case, accents, punctuation and stop words removed; 90 out of 100 or
more is similar, and a word counts as shared when spelt alike, so one differing place name
makes two names different). One more query fetches the types, dates, places and wholes of
the closest candidates.

Two similar names are not a duplicate when the dates do not overlap, when both resources
name places and none is shared, or when both are parts of events that are neither the same
nor themselves likely duplicates (every "Part 1: ..." of every conference looks alike).
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from icpc_kg.contribution.knowledge import RDF_TYPE, Knowledge
from icpc_kg.contribution.model import DuplicateCandidate, Term
from icpc_kg.executor import DEFAULT_TIMEOUT, QueryRequest, SerializedResult
from icpc_kg.results import SelectResult
from icpc_kg.store import EmbeddedStore, Store, ensure_query_result

SCHEMA = "http://schema.org/"
NAME_PREDICATES = (
    SCHEMA + "name",
    SCHEMA + "alternateName",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
ACRONYM = "https://w3id.org/icpc-kg/ontology#acronym"
START_PREDICATES = (SCHEMA + "startDate", SCHEMA + "datePublished", "http://purl.org/dc/terms/date")
END_PREDICATES = (SCHEMA + "endDate",)
LOCATION = SCHEMA + "location"
ICPC_NS = "https://w3id.org/icpc-kg/ontology#"
PART_OF = ICPC_NS + "eventPartOf"
NAME_THRESHOLD = 90.0  # similarity of two names (see similarity)
WORD_THRESHOLD = 85.0  # two words spelt alike ("coordination", "coordinaton")
SIEVE = 70.0  # character-level similarity below which names are not compared word by word
MAX_PER_ENTITY = 3  # duplicates reported per resource
MAX_CANDIDATES = 10  # closest names per contribution name checked in detail
RARE = 1000  # a word held by at most this many names narrows the search on its own

# Words that say little about which entity a name is: English and French function words, and
# words almost every name in this graph shares. Words that tell a part from its whole
# ("workshops", "session", "part") are kept.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with", "about", "under", "over",
    "au", "aux", "avec", "dans", "de", "des", "du", "en", "et", "la", "le", "les", "par", "pour",
    "sur", "un", "une",
    "international", "internationale", "conference", "conferences", "seminar", "seminars",
    "seminaire", "seminaires", "crime", "prevention", "criminalite", "centre", "center",
    "meeting", "annual", "national", "association", "ministry", "ministere",
})
# fmt: on
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if not any(c.isalnum() for c in folded):  # a script without Latin letters
        return " ".join(text.casefold().split())
    return " ".join(_NOT_WORD.sub(" ", folded.lower()).split())


def acronym_key(text: str) -> str:
    return normalise(text).replace(" ", "")


# --- dates as intervals --------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_interval(lexical: str) -> tuple[str, str] | None:
    """The first and last day a date covers, as ISO strings ("1998" covers the whole year)."""
    match = _DATE.match(lexical)
    if match is None:
        return None
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def _overlap(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool | None:
    if a is None or b is None:
        return None
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass
class Described:
    """What the duplicate check compares about one resource."""

    names: dict[str, tuple[str, ox.Literal]] = field(default_factory=dict)  # normalised ->
    acronyms: dict[str, ox.Literal] = field(default_factory=dict)  # (predicate, literal)
    starts: list[str] = field(default_factory=list)
    ends: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    wholes: set[str] = field(default_factory=set)

    def add(self, predicate: str, value: object) -> None:
        if isinstance(value, ox.NamedNode):
            if predicate == RDF_TYPE:
                self.types.add(value.value)
            elif predicate == LOCATION:
                self.places.add(value.value)
            elif predicate == PART_OF:
                self.wholes.add(value.value)
            return
        if not isinstance(value, ox.Literal):
            return
        if predicate in NAME_PREDICATES and normalise(value.value):
            self.names.setdefault(normalise(value.value), (predicate, value))
        elif predicate == ACRONYM and acronym_key(value.value):
            self.acronyms.setdefault(acronym_key(value.value), value)
        elif predicate in START_PREDICATES:
            self.starts.append(value.value)
        elif predicate in END_PREDICATES:
            self.ends.append(value.value)

    def label(self) -> str | None:
        """The name to show: a schema:name (English first), else any name."""
        ranked = sorted(
            self.names.values(),
            key=lambda pair: (
                pair[0] != NAME_PREDICATES[0],
                pair[1].language != "en",
                pair[1].value,
            ),
        )
        return ranked[0][1].value if ranked else None

    def interval(self) -> tuple[str, str] | None:
        starts = [i for i in map(date_interval, self.starts) if i]
        ends = [i for i in map(date_interval, self.ends) if i]
        if not starts:
            return None
        low = min(i[0] for i in starts)
        high = max(i[1] for i in (ends or starts))
        return low, max(high, low)


@dataclass
class Entity:
    term: Term
    families: set[str]
    described: Described


@dataclass(frozen=True)
class Duplicate:
    entity: Term
    predicate: str
    value: ox.Literal
    candidate: DuplicateCandidate


def contribution_entities(
    triples: list[ox.Triple], types: dict[Term, set[str]], knowledge: Knowledge
) -> list[Entity]:
    described: dict[Term, Described] = defaultdict(Described)
    for t in triples:
        described[t.subject].add(t.predicate.value, t.object)  # type: ignore[index]
    entities = []
    for term, what in described.items():
        families = knowledge.families(types.get(term, set()))
        if families and (what.names or what.acronyms):
            entities.append(Entity(term, families, what))
    return entities


# --- the index of names -------------------------------------------------------------------


def _branches() -> str:
    names = [f'{{ GRAPH ?g {{ ?x <{p}> ?label }} BIND ("n" AS ?kind) }}' for p in NAME_PREDICATES]
    acronym = f'{{ GRAPH ?g {{ ?x <{ACRONYM}> ?label }} BIND ("a" AS ?kind) }}'
    return " UNION ".join([*names, acronym])


# Each predicate in its own branch: a predicate bound by VALUES makes Oxigraph scan the graph.
INDEX_QUERY = f"SELECT ?x ?label ?kind WHERE {{ {_branches()} FILTER (isIRI(?x)) }}"
COUNT_QUERY = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_branches()} }}"
PROBE_AFTER = 30.0  # seconds before an index of an external store is checked again


def content(normalised: str) -> str:
    """The informative words of a normalised name (all of it if every word is common), in
    alphabetical order: names are compared as sets of words."""
    words = [w for w in normalised.split() if w not in STOPWORDS] or normalised.split()
    return " ".join(sorted(words))


@dataclass
class NameIndex:
    """Every name and acronym of the graph: normalised labels, their resources and postings."""

    names: list[tuple[str, str]] = field(default_factory=list)  # (iri, content words)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # The content words of each posting, in the same order (compared without copying).
    texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    acronyms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    size: int = 0
    built: float = 0.0

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str, str]]) -> NameIndex:
        """``rows``: (IRI, label, "n" for a name or "a" for an acronym)."""
        index = cls(size=len(rows), built=time.monotonic())
        seen: dict[tuple[str, str], int] = {}
        for iri, label, kind in rows:
            if kind == "a":
                if acronym_key(label):
                    index.acronyms[acronym_key(label)].add(iri)
                continue
            words = content(normalise(label))
            if not words or (iri, words) in seen:
                continue
            seen[(iri, words)] = len(index.names)
            for token in set(words.split()):
                index.postings[token].append(len(index.names))
                index.texts[token].append(words)
            index.names.append((iri, words))
        return index

    def similar(self, name: str) -> list[str]:
        """Resources with a name similar to ``name`` (normalised), the closest first, at most
        :data:`MAX_CANDIDATES`."""
        words = content(name)
        known = sorted((len(self.postings[t]), t) for t in set(words.split()) if t in self.postings)
        if not known:
            return []
        # A similar name holds the rarest of its words the graph knows; when even that word
        # is common, it holds the two rarest.
        (count, rarest), *others = known
        if count <= RARE or not others:
            ids: list[int] = self.postings[rarest]
            choices = self.texts[rarest]
        else:
            ids = sorted(set(self.postings[rarest]).intersection(self.postings[others[0][1]]))
            choices = [self.names[i][1] for i in ids]
        # A quick character-level sieve keeps the closest (words are already sorted, so this
        # is token_sort_ratio), then words are compared.
        sieved = process.extract(
            words,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=SIEVE,
            limit=2 * MAX_CANDIDATES,
        )
        scored = sorted(
            (
                (similarity(words, choices[position]), self.names[ids[position]][0])
                for _, _, position in sieved
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [iri for score, iri in scored if score >= NAME_THRESHOLD][:MAX_CANDIDATES]


_INDEXES: weakref.WeakKeyDictionary[Any, NameIndex] = weakref.WeakKeyDictionary()


def name_index(store: Store, timeout: float | None = DEFAULT_TIMEOUT) -> NameIndex:
    """The index of ``store``'s names, built on first use and kept while the store lives."""
    index = _INDEXES.get(store)
    if index is not None:
        if isinstance(store, EmbeddedStore) or time.monotonic() - index.built < PROBE_AFTER:
            return index
        count = _rows(store, COUNT_QUERY, timeout)[0]["n"]
        if int(count.value) == index.size:
            index.built = time.monotonic()
            return index
    # As CSV: tens of thousands of rows cross a process boundary or the network far faster
    # as text than as term objects.
    answer = store.run(QueryRequest(INDEX_QUERY, serialize_as="csv"), timeout)
    assert isinstance(answer, SerializedResult)
    table = csv.reader(io.StringIO(answer.body.decode("utf-8"), newline=""))
    next(table, None)  # the header
    index = NameIndex.from_rows([(x, label, kind) for x, label, kind in table])
    _INDEXES[store] = index
    return index


def _details_query(candidates: list[str]) -> str:
    values = " ".join(f"<{c}>" for c in candidates)
    wanted = ", ".join(
        f"<{p}>"
        for p in (
            RDF_TYPE,
            *NAME_PREDICATES,
            ACRONYM,
            *START_PREDICATES,
            *END_PREDICATES,
            LOCATION,
            PART_OF,
        )
    )
    # Of the types, only the icpc classes tell the family (the others are inferred views).
    return (
        f"SELECT ?x ?p ?v WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ ?x ?p ?v }} "
        f"FILTER (?p IN ({wanted}) && (?p != <{RDF_TYPE}> || STRSTARTS(STR(?v), "
        f'"{ICPC_NS}"))) }}'
    )


def _rows(store: Store, sparql: str, timeout: float | None) -> list[dict[str, Any]]:
    result = ensure_query_result(store.run(QueryRequest(sparql), timeout))
    assert isinstance(result, SelectResult)
    rows: list[dict[str, Any]] = result.dicts()
    return rows


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0-100, by their informative words: the share of the words of
    each that the other holds, a word counting when it is spelt alike (a typo, an accent),
    so "victim support toria" and "victim support torera" are different names."""
    first, second = a.split(), b.split()
    if not first or not second:
        return 0.0

    def held(words: list[str], others: list[str]) -> int:
        exact = set(others)
        rest = [o for o in others if o not in set(words)]
        return sum(
            1
            for w in words
            if w in exact
            or (
                rest and process.extractOne(w, rest, scorer=fuzz.ratio, score_cutoff=WORD_THRESHOLD)
            )
        )

    return 100.0 * (held(first, second) + held(second, first)) / (len(first) + len(second))


def find_duplicates(
    entities: list[Entity],
    store: Store,
    exclude: set[str],
    knowledge: Knowledge,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> list[Duplicate]:
    """Existing entities that ``entities`` probably duplicate (``exclude``: the IRIs the
    contribution describes)."""
    if not entities:
        return []
    index = name_index(store, timeout)
    similar: dict[Term, set[str]] = {}
    for entity in entities:
        iris = {i for name in entity.described.names for i in index.similar(name)}
        for acronym in entity.described.acronyms:
            iris |= set(sorted(index.acronyms.get(acronym, set()))[:MAX_CANDIDATES])
        similar[entity.term] = iris - exclude
    candidates = sorted(set().union(*similar.values()))
    if not candidates:
        return []
    details: dict[str, Described] = defaultdict(Described)
    for start in range(0, len(candidates), 400):
        for row in _rows(store, _details_query(candidates[start : start + 400]), timeout):
            details[row["x"].value].add(row["p"].value, row["v"])
    pairs: dict[Term, list[Duplicate]] = {}
    for entity in entities:
        found = []
        for iri in sorted(similar[entity.term]):
            existing = details.get(iri)
            if existing is None or not knowledge.families(existing.types) & entity.families:
                continue
            match = _compare(entity, iri, existing)
            if match is not None:
                found.append(match)
        pairs[entity.term] = found
    out: list[Duplicate] = []
    for entity in entities:
        kept = [
            d for d in pairs[entity.term] if _same_whole(entity, details[d.candidate.iri], pairs)
        ]
        kept.sort(key=lambda d: (-d.candidate.score, d.candidate.iri))
        out.extend(kept[:MAX_PER_ENTITY])
    return out


def _same_whole(entity: Entity, existing: Described, pairs: dict[Term, list[Duplicate]]) -> bool:
    """Parts of events are duplicates only when their events are the same, or are duplicates
    themselves."""
    mine, theirs = entity.described.wholes, existing.wholes
    if not mine or not theirs or mine & theirs:
        return True
    mapped = {d.candidate.iri for whole in mine for d in pairs.get(ox.NamedNode(whole), [])}
    return bool(mapped & theirs)


def _compare(entity: Entity, iri: str, existing: Described) -> Duplicate | None:
    mine = entity.described
    shared = set(mine.acronyms) & set(existing.acronyms)
    if shared:
        acronym = sorted(shared)[0]
        label = existing.label() or existing.acronyms[acronym].value
        return Duplicate(
            entity.term,
            ACRONYM,
            mine.acronyms[acronym],
            DuplicateCandidate(iri, label, 100.0, "acronym"),
        )
    best: tuple[float, str, str] | None = None
    for name in mine.names:
        for other in existing.names:
            score = similarity(content(name), content(other))
            if best is None or score > best[0]:
                best = (score, name, other)
    if best is None or best[0] < NAME_THRESHOLD:
        return None
    overlap = _overlap(mine.interval(), existing.interval())
    if overlap is False or (mine.places and existing.places and not mine.places & existing.places):
        return None
    predicate, literal = mine.names[best[1]]
    return Duplicate(
        entity.term,
        predicate,
        literal,
        DuplicateCandidate(
            iri,
            existing.names[best[2]][1].value,
            round(best[0], 1),
            "name+date" if overlap else "name",
        ),
    )
