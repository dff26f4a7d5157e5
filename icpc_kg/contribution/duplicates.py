"""Likely duplicates: a contribution entity that an existing entity of the same family already
describes, by the same or a similar name with overlapping dates, or by the same acronym.

The store narrows the candidates (the graph may hold millions of triples): one SPARQL query
finds entities of the same family (Event, Organization, Person... after reasoning) whose name
contains one of the contribution names' rarest-looking words (accents ignored), or whose
acronym is one of the contribution's; a second fetches those candidates' names, acronyms and
dates. rapidfuzz then compares the names in Python, on text with case, accents and
punctuation removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rapidfuzz import fuzz

from icpc_kg.contribution.knowledge import Knowledge
from icpc_kg.contribution.model import DuplicateCandidate, Term
from icpc_kg.executor import DEFAULT_TIMEOUT, QueryRequest
from icpc_kg.results import SelectResult
from icpc_kg.store import Store, ensure_query_result

SCHEMA = "http://schema.org/"
NAME_PREDICATES = (
    SCHEMA + "name",
    SCHEMA + "alternateName",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
ACRONYM = "https://w3id.org/icpc-kg/ontology#acronym"
START_PREDICATES = (SCHEMA + "startDate", SCHEMA + "datePublished", "http://purl.org/dc/terms/date")
END_PREDICATES = (SCHEMA + "endDate",)
NAME_THRESHOLD = 90.0
CANDIDATE_LIMIT = 5000
MAX_PER_ENTITY = 3

# Words too common to narrow anything: English and French function words, and the words of
# almost every name in this graph.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with", "about", "under", "over",
    "au", "aux", "avec", "dans", "de", "des", "du", "en", "et", "la", "le", "les", "par", "pour",
    "sur", "un", "une",
    "international", "internationale", "conference", "seminar", "seminaire", "workshop",
    "atelier", "session", "crime", "prevention", "criminalite", "centre", "center", "meeting",
    "annual", "national",
})
# fmt: on
_ACCENTS = {
    "a": "aàâäáãå",
    "e": "eéèêë",
    "i": "iîïíì",
    "o": "oôöóòõ",
    "u": "uûüúù",
    "c": "cç",
    "n": "nñ",
    "y": "yÿý",
}


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def distinctive_words(name: str, count: int = 2) -> list[str]:
    words = [w for w in normalise(name).split() if len(w) >= 4]
    rare = [w for w in words if w not in STOPWORDS] or words
    return sorted(dict.fromkeys(rare), key=lambda w: (-len(w), w))[:count]


def _accent_pattern(word: str, separator: str = "") -> str:
    """A regex for ``word`` (normalised: [0-9a-z]) that also matches its accented forms."""
    return separator.join(f"[{_ACCENTS[c]}]" if c in _ACCENTS else c for c in word)


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


@dataclass
class Described:
    """What the duplicate check compares: names, acronyms, dates."""

    names: dict[str, tuple[str, ox.Literal]] = field(default_factory=dict)  # normalised ->
    acronyms: dict[str, ox.Literal] = field(default_factory=dict)  # (predicate, literal)
    starts: list[str] = field(default_factory=list)
    ends: list[str] = field(default_factory=list)

    def add(self, predicate: str, value: object) -> None:
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

    def interval(self) -> tuple[str, str] | None:
        starts = [i for i in map(date_interval, self.starts) if i]
        ends = [i for i in map(date_interval, self.ends) if i]
        if not starts:
            return None
        low = min(i[0] for i in starts)
        high = max(i[1] for i in (ends or starts))
        return low, max(high, low)


def _overlap(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool | None:
    if a is None or b is None:
        return None
    return a[0] <= b[1] and b[0] <= a[1]


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


def _candidate_query(families: set[str], words: set[str], acronyms: set[str]) -> str:
    branches = []
    if words:
        pattern = "|".join(_accent_pattern(w) for w in sorted(words))
        names = " ".join(f"<{p}>" for p in NAME_PREDICATES)
        branches.append(
            f"{{ VALUES ?np {{ {names} }} GRAPH ?gn {{ ?x ?np ?label }} "
            f'FILTER (REGEX(STR(?label), "{pattern}", "i")) }}'
        )
    if acronyms:
        # Between letters, anything but a letter or digit ("I.C.P.C." is ICPC); "\\W" is
        # written with its backslash escaped for the SPARQL string.
        pattern = "|".join(_accent_pattern(a, "\\\\W*") for a in sorted(acronyms))
        branches.append(
            f"{{ GRAPH ?ga {{ ?x <{ACRONYM}> ?acronym }} "
            f'FILTER (REGEX(STR(?acronym), "^\\\\W*({pattern})\\\\W*$", "i")) }}'
        )
    values = " ".join(f"<{f}>" for f in sorted(families))
    return (
        f"SELECT DISTINCT ?x ?family WHERE {{ {' UNION '.join(branches)} "
        f"VALUES ?family {{ {values} }} GRAPH ?gt {{ ?x a ?family }} "
        f"FILTER (isIRI(?x)) }} LIMIT {CANDIDATE_LIMIT}"
    )


def _details_query(candidates: list[str]) -> str:
    values = " ".join(f"<{c}>" for c in candidates)
    wanted = " ".join(
        f"<{p}>" for p in (*NAME_PREDICATES, ACRONYM, *START_PREDICATES, *END_PREDICATES)
    )
    return (
        f"SELECT ?x ?p ?v WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {wanted} }} "
        f"GRAPH ?g {{ ?x ?p ?v }} }}"
    )


def _select(store: Store, sparql: str, timeout: float | None) -> SelectResult:
    result = ensure_query_result(store.run(QueryRequest(sparql), timeout))
    assert isinstance(result, SelectResult)
    return result


def find_duplicates(
    entities: list[Entity],
    store: Store,
    exclude: set[str],
    timeout: float | None = DEFAULT_TIMEOUT,
) -> list[Duplicate]:
    """Existing entities that ``entities`` probably duplicate (``exclude``: IRIs that are
    the contribution's own)."""
    if not entities:
        return []
    families = set().union(*(e.families for e in entities))
    words = {w for e in entities for name in e.described.names for w in distinctive_words(name)}
    acronyms = {acronym for e in entities for acronym in e.described.acronyms}
    found = _select(store, _candidate_query(families, words, acronyms), timeout)
    family_of: dict[str, set[str]] = defaultdict(set)
    found_rows: list[dict[str, Any]] = found.dicts()
    for row in found_rows:
        if row["x"].value not in exclude:
            family_of[row["x"].value].add(row["family"].value)
    if not family_of:
        return []
    details: dict[str, Described] = defaultdict(Described)
    candidates = sorted(family_of)
    for start in range(0, len(candidates), 400):
        query = _details_query(candidates[start : start + 400])
        rows: list[dict[str, Any]] = _select(store, query, timeout).dicts()
        for row in rows:
            details[row["x"].value].add(row["p"].value, row["v"])
    out: list[Duplicate] = []
    for entity in entities:
        matches = []
        for iri, fams in family_of.items():
            if not fams & entity.families or iri not in details:
                continue
            match = _compare(entity, iri, details[iri])
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda d: (-d.candidate.score, d.candidate.iri))
        out.extend(matches[:MAX_PER_ENTITY])
    return out


def _compare(entity: Entity, iri: str, existing: Described) -> Duplicate | None:
    mine = entity.described
    shared = set(mine.acronyms) & set(existing.acronyms)
    if shared:
        acronym = sorted(shared)[0]
        label = next(iter(existing.names.values()), ("", existing.acronyms[acronym]))[1].value
        return Duplicate(
            entity.term,
            ACRONYM,
            mine.acronyms[acronym],
            DuplicateCandidate(iri, label, 100.0, "acronym"),
        )
    best: tuple[float, str, str] | None = None
    for name in mine.names:
        for other in existing.names:
            score = max(fuzz.ratio(name, other), fuzz.token_sort_ratio(name, other))
            if best is None or score > best[0]:
                best = (score, name, other)
    if best is None or best[0] < NAME_THRESHOLD:
        return None
    overlap = _overlap(mine.interval(), existing.interval())
    if overlap is False:
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
