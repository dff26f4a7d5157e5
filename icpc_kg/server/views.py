"""View models: what an HTML page shows, built from result objects and labels, with no HTML
in them (the Jinja2 templates do the markup, with autoescaping on)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from icpc_kg.executor import SerializedResult
from icpc_kg.results import AskResult, GraphResult, QueryResult, SelectResult, Term
from icpc_kg.server.links import clickable
from icpc_kg.server.site import LABEL_PREDICATES, Labels, pick
from icpc_kg.vocab import shrink

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ICPC = "https://w3id.org/icpc-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
STATED_IN = ICPC + "statedIn"
SOURCE = DCTERMS + "source"
LOCAL_COPY = ICPC + "localCopy"

# Properties shown first on a resource page, in this order; the rest follow by label.
PROPERTY_ORDER = (
    SCHEMA + "name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    SCHEMA + "alternateName",
    ICPC + "acronym",
    SCHEMA + "description",
    "http://www.w3.org/2004/02/skos/core#definition",
    SCHEMA + "startDate",
    SCHEMA + "endDate",
    SCHEMA + "location",
    ICPC + "inSeries",
    ICPC + "eventPartOf",
    ICPC + "organizer",
)
HIDDEN_PROPERTIES = frozenset({RDF_TYPE, STATED_IN, SOURCE})
# Datatypes a reader does not need to see (dates keep theirs: it tells the precision).
HIDDEN_DATATYPES = frozenset(XSD + t for t in ("string", "integer", "decimal", "boolean"))

Href = Callable[[str], str]
Namer = Callable[[str], str]  # a class or property IRI -> its label in the page language


@dataclass
class ValueView:
    """One value on a page: a literal (text, language, datatype) or a link."""

    text: str
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    iri: str | None = None
    nested: list[PropertyView] = field(default_factory=list)


@dataclass
class PropertyView:
    iri: str
    label: str
    href: str
    values: list[ValueView]


@dataclass
class PassageView:
    iri: str
    href: str
    exact: str | None
    start: int | None
    end: int | None
    document: ValueView | None
    document_url: str | None


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[ValueView]
    properties: list[PropertyView]
    incoming: list[PropertyView]
    passages: list[PassageView]
    local_copy: str | None = None


def literal_view(term: ox.Literal) -> ValueView:
    datatype = term.datatype.value
    shown_type = None
    if not term.language and datatype not in HIDDEN_DATATYPES:
        shown_type = shrink(datatype)
    return ValueView(term.value, lang=term.language or None, datatype=shown_type)


def term_view(
    term: Term | None, labels: Labels, lang: str, href: Href, namer: Namer | None = None
) -> ValueView:
    """A term as a page shows it: the label of a resource, the name of a class, the text of a
    literal."""
    if term is None:
        return ValueView("")
    if isinstance(term, ox.Literal):
        return literal_view(term)
    if isinstance(term, ox.NamedNode):
        label = pick(labels.get(term.value), lang)
        if label is None and namer is not None:
            label = namer(term.value)
        return ValueView(label or shrink(term.value), href=href(term.value), iri=term.value)
    if isinstance(term, ox.BlankNode):
        return ValueView(f"_:{term.value}")
    return ValueView(str(term))


def node_key(term: Term) -> str:
    """An IRI as itself, a blank node as ``_:label``, anything else as its N-Triples form."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _labels_from(triples: list[ox.Triple]) -> Labels:
    rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}
    labels: Labels = {}
    for t in sorted(
        (t for t in triples if t.predicate.value in rank), key=lambda t: rank[t.predicate.value]
    ):
        if isinstance(t.object, ox.Literal):
            labels.setdefault(node_key(t.subject), {}).setdefault(
                t.object.language or "", t.object.value
            )
    return labels


def _sort_properties(properties: list[PropertyView]) -> list[PropertyView]:
    order = {iri: i for i, iri in enumerate(PROPERTY_ORDER)}
    return sorted(properties, key=lambda p: (order.get(p.iri, len(order)), p.label.lower()))


def _sort_values(values: list[ValueView], lang: str) -> list[ValueView]:
    # The page's language first, then by text.
    return sorted(values, key=lambda v: (v.lang not in (lang, None), v.text.lower()))


def resource_view(
    iri: str,
    triples: list[ox.Triple],
    lang: str,
    href: Href,
    namer: Namer,
    term_labels: Labels,
) -> ResourceView:
    """The page of ``iri`` from its description (see :mod:`icpc_kg.server.linked_data`)."""
    labels = {**term_labels, **_labels_from(triples)}
    outgoing: defaultdict[str, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        outgoing[node_key(t.subject)].append(t)

    def view(term: Term, depth: int = 0) -> ValueView:
        value = term_view(term, labels, lang, href, namer)
        if isinstance(term, ox.BlankNode) and depth < 3:
            value.text = ""
            value.nested = properties_of("_:" + term.value, depth + 1, hide=frozenset())
        return value

    def properties_of(key: str, depth: int, hide: frozenset[str]) -> list[PropertyView]:
        grouped: defaultdict[str, list[ValueView]] = defaultdict(list)
        for t in outgoing.get(key, []):
            if t.predicate.value not in hide:
                grouped[t.predicate.value].append(view(t.object, depth))
        return _sort_properties(
            [
                PropertyView(p, namer(p), href(p), _sort_values(values, lang))
                for p, values in grouped.items()
            ]
        )

    own = outgoing.get(iri, [])
    types = [
        term_view(t.object, labels, lang, href, namer) for t in own if t.predicate.value == RDF_TYPE
    ]
    incoming_groups: defaultdict[str, list[ValueView]] = defaultdict(list)
    for t in triples:
        if (
            isinstance(t.object, ox.NamedNode)
            and t.object.value == iri
            and node_key(t.subject) != iri
        ):
            incoming_groups[t.predicate.value].append(view(t.subject))
    incoming = _sort_properties(
        [
            PropertyView(p, namer(p), href(p), _sort_values(values, lang))
            for p, values in incoming_groups.items()
        ]
    )
    passages = [
        _passage(t.object, outgoing, labels, lang, href)
        for t in own
        if t.predicate.value == STATED_IN and isinstance(t.object, ox.NamedNode)
    ]
    passages.sort(key=lambda p: (p.document.text if p.document else "", p.start or 0))
    local_copy = next(
        (
            t.object.value
            for t in own
            if t.predicate.value == LOCAL_COPY and isinstance(t.object, ox.Literal)
        ),
        None,
    )
    return ResourceView(
        iri=iri,
        label=pick(labels.get(iri), lang) or shrink(iri),
        types=types,
        properties=properties_of(iri, 0, HIDDEN_PROPERTIES),
        incoming=incoming,
        passages=passages,
        local_copy=local_copy,
    )


def _passage(
    passage: ox.NamedNode,
    outgoing: dict[str, list[ox.Triple]],
    labels: Labels,
    lang: str,
    href: Href,
) -> PassageView:
    exact: str | None = None
    start = end = None
    document: ValueView | None = None
    for t in outgoing.get(passage.value, []):
        predicate = t.predicate.value
        if predicate == OA + "hasSource" and isinstance(t.object, ox.NamedNode):
            document = term_view(t.object, labels, lang, href)
        elif predicate == OA + "hasSelector" and isinstance(t.object, ox.BlankNode):
            for s in outgoing.get(node_key(t.object), []):
                name = s.predicate.value
                if name == OA + "exact" and isinstance(s.object, ox.Literal):
                    exact = s.object.value
                elif name == OA + "start":
                    start = _int(s.object)
                elif name == OA + "end":
                    end = _int(s.object)
    document_url = None
    if document is not None and document.iri:
        for t in outgoing.get(document.iri, []):
            if t.predicate.value == SCHEMA + "url" and isinstance(t.object, ox.NamedNode):
                document_url = clickable(t.object.value)
    return PassageView(
        passage.value, href(passage.value), exact, start, end, document, document_url
    )


def _int(term: Term) -> int | None:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


# --- SPARQL results as a table -------------------------------------------------------------------


@dataclass
class TableView:
    columns: list[str]
    rows: list[list[ValueView]]
    truncated: bool = False


def result_table(
    columns: list[str],
    rows: Sequence[Sequence[Term | None]],
    href: Href,
    truncated: bool = False,
) -> TableView:
    """Rows of terms as cells: IRIs as links with prefixed names, literals as text."""
    cells = []
    for row in rows:
        line = []
        for term in row:
            if isinstance(term, ox.NamedNode):
                line.append(ValueView(shrink(term.value), href=href(term.value), iri=term.value))
            else:
                line.append(term_view(term, {}, "en", href))
        cells.append(line)
    return TableView(columns, cells, truncated)


def result_view(
    result: QueryResult | SerializedResult, href: Href
) -> tuple[TableView | None, bool | None]:
    """A query answer for an HTML page: a table (SELECT rows, or CONSTRUCT/DESCRIBE triples
    as subject/predicate/object rows), or the ASK answer."""
    if isinstance(result, SelectResult):
        return result_table(result.variables, result.rows, href, result.truncated), None
    if isinstance(result, GraphResult):
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
        columns = ["subject", "predicate", "object"]
        return result_table(columns, rows, href, result.truncated), None
    if isinstance(result, AskResult):
        return None, result.value
    return None, None
