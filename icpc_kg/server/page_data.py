"""What the index pages show, read from the graph through the store: the events timeline,
class indexes (organisations, people, publications), the SKOS theme tree, label search, the home
page's counts and the ontology's documentation. Functions return view models; the templates
render them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from starlette.requests import Request

from icpc_kg.jsonld_context import SCHEMA_PAGE_CONTEXT
from icpc_kg.server.i18n import text
from icpc_kg.server.site import Site, fold, pick
from icpc_kg.server.views import ValueView, term_view
from icpc_kg.vocab import shrink

ICPC = "https://w3id.org/icpc-kg/ontology#"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _iri(term: Any) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _value(term: Any) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


@dataclass
class EventItem:
    iri: str
    label: str
    kind: str
    start: str | None
    end: str | None
    place: ValueView | None
    series: ValueView | None
    parts: list[EventItem] = field(default_factory=list)

    @property
    def when(self) -> str:
        """The dates as a person reads them: ``1998-11``, ``2018-02-28 10:00–12:00``."""
        return date_range(self.start, self.end)


def _readable(value: str) -> str:
    date, _, time_part = value.partition("T")
    return f"{date} {time_part[:5]}" if time_part else date


def date_range(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    first = _readable(start)
    if not end or end == start:
        return first
    last = _readable(end)
    if " " in first and last.split(" ")[0] == first.split(" ")[0]:
        return f"{first}–{last.split(' ', 1)[1]}"
    return f"{first} – {last}"


async def events_timeline(
    site: Site, lang: str, href: Any
) -> tuple[list[tuple[str, list[EventItem]]], list[EventItem]]:
    """Events by year (oldest first; undated last), parts nested under their event, and the
    series."""
    inferred = site.config.graph_iri("inferred")
    result = await site.select(
        f"""SELECT ?event ?type ?start ?end ?place ?series ?whole WHERE {{
          ?event a <{ICPC}Event> .
          OPTIONAL {{ GRAPH ?g {{ ?event a ?type }} FILTER(?g != <{inferred}>) }}
          OPTIONAL {{ ?event <{SCHEMA}startDate> ?start }}
          OPTIONAL {{ ?event <{SCHEMA}endDate> ?end }}
          OPTIONAL {{ ?event <{SCHEMA}location> ?place }}
          OPTIONAL {{ ?event <{ICPC}inSeries> ?series }}
          OPTIONAL {{ ?event <{ICPC}eventPartOf> ?whole }}
        }}"""
    )
    rows: dict[str, dict[str, Any]] = {}
    for event, kind, start, end, place, series, whole in result.rows:
        iri = _iri(event)
        if iri is None:
            continue
        row = rows.setdefault(iri, {"types": set()})
        if _iri(kind):
            row["types"].add(_iri(kind))
        for key, term in (("start", start), ("end", end)):
            if _value(term) and key not in row:
                row[key] = _value(term)
        for key, term in (("place", place), ("series", series), ("whole", whole)):
            if _iri(term) and key not in row:
                row[key] = _iri(term)
    wanted = set(rows) | {r[k] for r in rows.values() for k in ("place", "series") if k in r}
    labels = await site.labels_of(wanted)
    term_labels = await site.term_labels()

    def item(iri: str) -> EventItem:
        row = rows[iri]
        kinds = sorted(site.term_name(t, lang, term_labels) for t in row["types"])
        return EventItem(
            iri=iri,
            label=pick(labels.get(iri), lang) or shrink(iri),
            kind=", ".join(kinds),
            start=row.get("start"),
            end=row.get("end"),
            place=term_view(ox.NamedNode(row["place"]), labels, lang, href)
            if "place" in row
            else None,
            series=term_view(ox.NamedNode(row["series"]), labels, lang, href)
            if "series" in row
            else None,
        )

    items = {iri: item(iri) for iri in rows}
    series_iris = {iri for iri, row in rows.items() if f"{ICPC}EventSeries" in row["types"]}
    for iri, row in rows.items():
        whole = row.get("whole")
        if whole in items and iri not in series_iris:
            items[whole].parts.append(items[iri])
    for entry in items.values():
        entry.parts.sort(key=lambda e: (e.start or "9999", e.label))
    top = [
        items[iri]
        for iri, row in rows.items()
        if iri not in series_iris and row.get("whole") not in items
    ]
    by_year: defaultdict[str, list[EventItem]] = defaultdict(list)
    for entry in top:
        by_year[entry.start[:4] if entry.start else ""].append(entry)
    years = sorted((y for y in by_year if y), reverse=False)
    timeline = [
        (year, sorted(by_year[year], key=lambda e: (e.start or "", e.label))) for year in years
    ]
    if "" in by_year:
        timeline.append(("", sorted(by_year[""], key=lambda e: e.label)))
    series_items = sorted((items[i] for i in series_iris), key=lambda e: e.label)
    return timeline, series_items


@dataclass
class ListItem:
    iri: str
    label: str
    detail: str = ""
    kind: str = ""


async def class_index(
    site: Site, cls: str, lang: str, detail_predicate: str | None = None
) -> list[ListItem]:
    """Every member of ``cls`` (with its asserted type and one detail, e.g. an acronym),
    alphabetical."""
    inferred = site.config.graph_iri("inferred")
    detail = (
        f"OPTIONAL {{ ?s <{detail_predicate}> ?detail }}"
        if detail_predicate
        else "BIND('' AS ?detail)"
    )
    result = await site.select(
        f"""SELECT ?s ?type ?detail WHERE {{
          ?s a <{cls}> .
          OPTIONAL {{ GRAPH ?g {{ ?s a ?type }} FILTER(?g != <{inferred}>) }}
          {detail}
        }}"""
    )
    found: dict[str, dict[str, Any]] = {}
    for s, kind, extra in result.rows:
        iri = _iri(s)
        if iri is None:
            continue
        row = found.setdefault(iri, {"types": set(), "details": {}})
        if _iri(kind):
            row["types"].add(_iri(kind))
        if isinstance(extra, ox.Literal) and extra.value:
            row["details"].setdefault(extra.language or "", extra.value)
        elif isinstance(extra, ox.NamedNode):
            row["details"].setdefault("", extra.value)
    labels = await site.labels_of(found)
    term_labels = await site.term_labels()
    items = [
        ListItem(
            iri,
            pick(labels.get(iri), lang) or shrink(iri),
            pick(row["details"], lang) or "",
            ", ".join(sorted(site.term_name(t, lang, term_labels) for t in row["types"])),
        )
        for iri, row in found.items()
    ]
    return sorted(items, key=lambda i: fold(i.label))


@dataclass
class ThemeNode:
    iri: str
    label: str
    definition: str
    uses: int
    children: list[ThemeNode] = field(default_factory=list)


@dataclass
class SchemeView:
    iri: str
    label: str
    top: list[ThemeNode]


async def theme_tree(site: Site, lang: str) -> list[SchemeView]:
    """Each SKOS concept scheme as a tree of its concepts (skos:broader), with how many
    resources use each concept."""
    result = await site.select(
        f"""SELECT ?scheme ?c ?broader ?definition (COUNT(DISTINCT ?user) AS ?uses) WHERE {{
          ?c <{SKOS}inScheme> ?scheme .
          OPTIONAL {{ ?c <{SKOS}broader> ?broader }}
          OPTIONAL {{ ?c <{SKOS}definition> ?definition }}
          OPTIONAL {{ ?user ?uses_it ?c FILTER(?uses_it != <{SKOS}narrower>
                       && ?uses_it != <{SKOS}broader> && ?uses_it != <{SKOS}hasTopConcept>
                       && ?uses_it != <{SKOS}topConceptOf>) }}
        }} GROUP BY ?scheme ?c ?broader ?definition"""
    )
    concepts: dict[str, dict[str, Any]] = {}
    schemes: set[str] = set()
    for scheme, concept, broader, definition, uses in result.rows:
        iri, scheme_iri = _iri(concept), _iri(scheme)
        if iri is None or scheme_iri is None:
            continue
        schemes.add(scheme_iri)
        row = concepts.setdefault(
            iri, {"scheme": scheme_iri, "broader": set(), "definitions": {}, "uses": 0}
        )
        if _iri(broader):
            row["broader"].add(_iri(broader))
        if isinstance(definition, ox.Literal):
            row["definitions"].setdefault(definition.language or "", definition.value)
        row["uses"] = max(row["uses"], int(uses.value) if isinstance(uses, ox.Literal) else 0)
    labels = await site.labels_of(set(concepts) | schemes)
    nodes = {
        iri: ThemeNode(
            iri,
            pick(labels.get(iri), lang) or shrink(iri),
            pick(row["definitions"], lang) or "",
            row["uses"],
        )
        for iri, row in concepts.items()
    }
    tops: defaultdict[str, list[ThemeNode]] = defaultdict(list)
    for iri, row in concepts.items():
        parents = [b for b in row["broader"] if b in nodes]
        for parent in parents:
            nodes[parent].children.append(nodes[iri])
        if not parents:
            tops[row["scheme"]].append(nodes[iri])
    for node in nodes.values():
        node.children.sort(key=lambda n: fold(n.label))
    return sorted(
        (
            SchemeView(
                s,
                pick(labels.get(s), lang) or shrink(s),
                sorted(tops[s], key=lambda n: fold(n.label)),
            )
            for s in schemes
        ),
        key=lambda v: fold(v.label),
    )


@dataclass
class SearchHit:
    iri: str
    label: str
    matched: str
    lang: str


async def search(site: Site, query: str, lang: str, limit: int = 100) -> list[SearchHit]:
    """Resources whose labels contain every word of ``query`` (case and accents ignored);
    exact and prefix matches first."""
    words = fold(query).split()
    if not words:
        return []
    index = await site.label_index()
    best: dict[str, tuple[int, str, str]] = {}
    phrase = " ".join(words)
    for entry in index:
        if all(w in entry.folded for w in words):
            rank = 0 if entry.folded == phrase else 1 if entry.folded.startswith(phrase) else 2
            if entry.lang not in (lang, ""):
                rank += 3
            current = best.get(entry.iri)
            if current is None or rank < current[0]:
                best[entry.iri] = (rank, entry.label, entry.lang)
    labels = await site.labels_of(best)
    hits = sorted(best.items(), key=lambda kv: (kv[1][0], fold(kv[1][1])))[:limit]
    return [
        SearchHit(iri, pick(labels.get(iri), lang) or matched, matched, match_lang)
        for iri, (_, matched, match_lang) in hits
    ]


async def home_counts(site: Site) -> dict[str, int]:
    classes = {
        "count_events": ICPC + "Event",
        "count_organisations": ICPC + "Organization",
        "count_people": ICPC + "Person",
        "count_publications": ICPC + "Publication",
        "count_themes": ICPC + "Theme",
    }
    values = " ".join(f"<{c}>" for c in classes.values())
    result = await site.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }} "
        "GROUP BY ?c"
    )
    by_class = {
        _iri(c): int(n.value) for c, n in result.rows if isinstance(n, ox.Literal) and _iri(c)
    }
    counts = {key: by_class.get(cls, 0) for key, cls in classes.items()}
    total = await site.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    counts["count_triples"] = int(total.rows[0][0].value) if total.rows else 0  # type: ignore[union-attr]
    return counts


# --- the ontology --------------------------------------------------------------------------------


@dataclass
class TermDoc:
    iri: str
    anchor: str
    labels: dict[str, str]
    label: str
    definition: str
    parents: list[ValueView]
    domain: list[ValueView]
    range: list[ValueView]
    kind: str


@dataclass
class OntologyDoc:
    title: str
    description: str
    version: str
    classes: list[TermDoc]
    properties: list[TermDoc]


async def ontology_doc(site: Site, lang: str, href: Any) -> OntologyDoc:
    """Classes and properties of the ontology graph with labels, definitions, super-terms."""
    graph = site.config.graph_iri("ontology")
    result = await site.select(
        f"""SELECT ?term ?kind ?p ?o WHERE {{ GRAPH <{graph}> {{
          ?term a ?kind .
          VALUES ?kind {{ <{OWL}Class> <{OWL}ObjectProperty> <{OWL}DatatypeProperty>
                          <{OWL}AnnotationProperty> <{RDF}Property> }}
          OPTIONAL {{ ?term ?p ?o VALUES ?p {{ <{RDFS}label> <{SKOS}definition> <{RDFS}comment>
                       <{RDFS}subClassOf> <{RDFS}subPropertyOf> <{RDFS}domain> <{RDFS}range> }} }}
        }} }}"""
    )
    header = await site.select(
        f"""SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ ?ontology a <{OWL}Ontology> ; ?p ?o
          VALUES ?p {{ <http://purl.org/dc/terms/title> <http://purl.org/dc/terms/description>
                      <{OWL}versionInfo> }} }} }}"""
    )
    meta: defaultdict[str, dict[str, str]] = defaultdict(dict)
    for p, o in header.rows:
        if isinstance(o, ox.Literal) and _iri(p):
            meta[_iri(p) or ""].setdefault(o.language or "", o.value)
    terms: dict[str, dict[str, Any]] = {}
    for term, kind, p, o in result.rows:
        iri = _iri(term)
        if iri is None:
            continue
        row = terms.setdefault(iri, {"kind": _iri(kind), "values": defaultdict(list)})
        if _iri(p) and o is not None:
            row["values"][_iri(p)].append(o)
    term_labels = await site.term_labels()

    def link(term: Any) -> ValueView:
        return term_view(
            term, term_labels, lang, href, lambda i: site.term_name(i, lang, term_labels)
        )

    def texts(values: list[Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for v in values:
            if isinstance(v, ox.Literal):
                out.setdefault(v.language or "", v.value)
        return out

    docs: list[TermDoc] = []
    for iri, row in terms.items():
        values = row["values"]
        labels = texts(values[RDFS + "label"])
        definitions = texts(values[SKOS + "definition"]) or texts(values[RDFS + "comment"])
        parents = values[RDFS + "subClassOf"] + values[RDFS + "subPropertyOf"]
        docs.append(
            TermDoc(
                iri=iri,
                anchor=iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1],
                labels=labels,
                label=pick(labels, lang) or shrink(iri),
                definition=pick(definitions, lang) or "",
                parents=sorted(
                    (link(p) for p in parents if isinstance(p, ox.NamedNode)), key=lambda v: v.text
                ),
                domain=[link(d) for d in values[RDFS + "domain"] if isinstance(d, ox.NamedNode)],
                range=[link(r) for r in values[RDFS + "range"] if isinstance(r, ox.NamedNode)],
                kind=shrink(row["kind"] or ""),
            )
        )
    docs.sort(key=lambda d: d.anchor.lower())
    return OntologyDoc(
        title=pick(meta["http://purl.org/dc/terms/title"], lang) or text("ontology", lang),
        description=pick(meta["http://purl.org/dc/terms/description"], lang) or "",
        version=pick(meta[OWL + "versionInfo"], lang) or "",
        classes=[d for d in docs if d.kind == "owl:Class"],
        properties=[d for d in docs if d.kind != "owl:Class"],
    )


def dataset_jsonld(site: Site, request: Request, name: str, description: str) -> dict[str, Any]:
    """The schema.org Dataset a site page embeds."""
    base = str(request.base_url).rstrip("/")
    return {
        "@context": SCHEMA_PAGE_CONTEXT,
        "@type": "Dataset",
        "@id": site.config.base + "dataset",
        "name": name,
        "description": description,
        "url": base + "/",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "distribution": [
            {"@type": "DataDownload", "contentUrl": f"{base}/dumps/{dump}", "encodingFormat": media}
            for dump, media in (
                ("dataset.trig", "application/trig"),
                ("dataset.nq", "application/n-quads"),
                ("graph.ttl", "text/turtle"),
                ("graph.nt", "application/n-triples"),
                ("graph.jsonld", "application/ld+json"),
            )
        ],
    }
