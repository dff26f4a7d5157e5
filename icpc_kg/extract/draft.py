"""The draft: an rdflib graph in the same model as data/, and its Turtle.

Every new entity is typed and named, with its facts, ``dcterms:source`` (the document) and
``icpc:statedIn`` (passages with the exact quote and the character offsets into the text the
extractor read). An entity linked to the graph gets only the provenance and the relations
this page states: its names, kind and dates are already in the graph and are not restated.

The Turtle is written here rather than by rdflib's serializer so that a curator reads it in
the page's order (document, series and events, organisations, people, places, publications,
then passages), with the same ``@base`` as data/, and so that the same input always gives the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from icpc_kg.extract.model import Entity, Extraction, Span
from icpc_kg.extract.text import slugify
from icpc_kg.extract.times import DateValue
from icpc_kg.vocab import DEFAULT_BASE, ICPC, OA, ORG, SCHEMA

PREFIXES = {
    "icpc": str(ICPC),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "xsd": str(XSD),
}
CURIES: dict[str, rdflib.Namespace] = {
    "icpc": ICPC,
    "schema": SCHEMA,
    "dcterms": rdflib.Namespace(str(DCTERMS)),
    "org": ORG,
}
INVERSES = {"icpc:hasEventPart": "icpc:eventPartOf", "icpc:hasPart": "icpc:isPartOf"}
INTEGER_FACTS = {
    "edition": ICPC.edition,
    "position": SCHEMA.position,
    "approximateAttendeeCount": ICPC.approximateAttendeeCount,
}
DATE_FACTS = {
    "startDate": SCHEMA.startDate,
    "endDate": SCHEMA.endDate,
    "datePublished": SCHEMA.datePublished,
    "date": DCTERMS.date,
}
PLAIN_FACTS = {
    "honorificPrefix": SCHEMA.honorificPrefix,
    "givenName": SCHEMA.givenName,
    "familyName": SCHEMA.familyName,
    "inLanguage": SCHEMA.inLanguage,
}
SECTION_ORDER = ("series", "event", "org", "person", "role", "place", "publication", "study")
SECTION_TITLES = {
    "series": "Series",
    "event": "Events",
    "org": "Organisations",
    "person": "People and their memberships",
    "role": "Roles",
    "place": "Places",
    "publication": "Publications",
    "study": "Studies",
}


@dataclass(frozen=True)
class DocumentInfo:
    """What the draft says about the source document."""

    iri: str
    exists: bool  # already described in the graph: not restated
    url: str | None
    local_copy: str | None


def curie(value: str) -> URIRef:
    prefix, local = value.split(":", 1)
    return URIRef(str(CURIES[prefix][local]))


def date_literal(value: DateValue) -> Literal:
    return Literal(value.lexical, datatype=XSD[value.datatype])


class DraftBuilder:
    def __init__(
        self, extraction: Extraction, document: DocumentInfo, base: str = DEFAULT_BASE
    ) -> None:
        self.x = extraction
        self.doc = extraction.doc
        self.document = URIRef(document.iri)
        self.info = document
        self.base = base
        self.graph = rdflib.Graph()
        self.passages: dict[Span, URIRef] = {}
        self.order: list[URIRef] = []  # subjects in writing order, with their section

    def iri(self, key: str) -> URIRef:
        return URIRef(self.x.entities[key].iri or "")

    def passage(self, span: Span) -> URIRef:
        start, end = span
        # Quotes never start or end with spaces.
        while start < end and self.doc.text[start].isspace():
            start += 1
        while end > start and self.doc.text[end - 1].isspace():
            end -= 1
        key = (start, end)
        if key in self.passages:
            return self.passages[key]
        node = URIRef(f"{self.base}id/passage/{self.doc.slug}-{start}-{end}")
        self.passages[key] = node
        graph = self.graph
        graph.add((node, RDF.type, ICPC.Passage))
        graph.add((node, OA.hasSource, self.document))
        quote = BNode(f"q{start}x{end}")
        graph.add((node, OA.hasSelector, quote))
        graph.add((quote, RDF.type, OA.TextQuoteSelector))
        graph.add((quote, OA.exact, Literal(self.doc.text[start:end])))
        position = BNode(f"p{start}x{end}")
        graph.add((node, OA.hasSelector, position))
        graph.add((position, RDF.type, OA.TextPositionSelector))
        graph.add((position, OA.start, Literal(start, datatype=XSD.integer)))
        graph.add((position, OA.end, Literal(end, datatype=XSD.integer)))
        return node

    def provenance(self, node: URIRef, spans: Iterable[Span]) -> None:
        self.graph.add((node, DCTERMS.source, self.document))
        for span in sorted(set(spans)):
            self.graph.add((node, ICPC.statedIn, self.passage(span)))

    def literal(self, text: str, lang: str | None) -> Literal:
        return Literal(text, lang=lang) if lang else Literal(text)

    # -- parts of the draft -----------------------------------------------------------------
    def document_node(self) -> None:
        if self.info.exists:
            return
        graph, doc, node = self.graph, self.doc, self.document
        lang = doc.lang
        graph.add((node, RDF.type, ICPC.SourceDocument))
        title = doc.title or (
            doc.text[doc.headline.start : doc.headline.end] if doc.headline else doc.slug
        )
        graph.add((node, SCHEMA.name, Literal(title, lang=lang)))
        if doc.headline is not None:
            headline = doc.text[doc.headline.start : doc.headline.end]
            if headline != title:
                graph.add((node, SCHEMA.headline, Literal(headline, lang=lang)))
        if doc.breadcrumb is not None:
            crumb = re.sub(
                r"\s+",
                " ",
                doc.text[doc.breadcrumb.start : doc.breadcrumb.end].replace("\u00a0", " "),
            )
            graph.add((node, ICPC.breadcrumb, Literal(crumb, lang=lang)))
        if self.info.url:
            graph.add((node, SCHEMA.url, URIRef(self.info.url)))
        graph.add((node, SCHEMA.inLanguage, Literal(lang)))
        if self.x.site_owner:
            graph.add((node, SCHEMA.publisher, self.iri(self.x.site_owner)))
        if self.x.author:
            graph.add((node, SCHEMA.author, self.iri(self.x.author)))
        graph.add((node, DCTERMS["format"], Literal("text/plain")))
        if doc.source_format == "text/html":
            graph.add((node, SCHEMA.encodingFormat, Literal("text/html")))
        if self.info.local_copy:
            graph.add((node, ICPC.localCopy, Literal(self.info.local_copy)))

    def entity(self, entity: Entity) -> None:
        node = URIRef(entity.iri or "")
        graph = self.graph
        self.provenance(node, entity.spans)
        if entity.linked:
            return
        graph.add((node, RDF.type, ICPC[entity.cls]))
        if entity.kind == "role":
            for label in entity.names:
                graph.add(
                    (node, SKOS.prefLabel, self.literal(label.text, label.lang or self.doc.lang))
                )
            return
        for label in entity.names:
            lang = None if entity.kind == "person" else (label.lang or self.doc.lang)
            graph.add((node, SCHEMA.name, self.literal(label.text, lang)))
        for label in entity.alternates:
            lang = None if entity.kind == "person" else (label.lang or self.doc.lang)
            graph.add((node, SCHEMA.alternateName, self.literal(label.text, lang)))
        for label in entity.acronyms:
            graph.add((node, ICPC.acronym, Literal(label.text, lang=label.lang or self.doc.lang)))
        for name, values in sorted(entity.facts.items()):
            if name.startswith("_"):
                continue
            for value in values:
                self.fact(node, name, value)

    def fact(self, node: URIRef, name: str, value: object) -> None:
        graph = self.graph
        if name in INTEGER_FACTS:
            graph.add((node, INTEGER_FACTS[name], Literal(int(value), datatype=XSD.integer)))  # type: ignore[call-overload]
        elif name in DATE_FACTS and isinstance(value, DateValue):
            graph.add((node, DATE_FACTS[name], date_literal(value)))
        elif name in PLAIN_FACTS:
            graph.add((node, PLAIN_FACTS[name], Literal(str(value))))
        elif name == "jobTitle" and isinstance(value, tuple):
            graph.add((node, ICPC.jobTitle, self.literal(value[0], value[1])))
        elif name == "dateText":
            graph.add((node, ICPC.dateText, Literal(str(value))))
        elif name == "publicationStatus":
            graph.add((node, ICPC.publicationStatus, Literal(str(value), lang=self.doc.lang)))

    def relations(self) -> None:
        for relation in self.x.relations:
            subject, obj = self.iri(relation.subject), self.iri(relation.object)
            self.graph.add((subject, curie(relation.predicate), obj))
            if relation.predicate in INVERSES:
                self.graph.add((obj, curie(INVERSES[relation.predicate]), subject))

    def memberships(self) -> None:
        for membership in self.x.memberships:
            if membership.org is None:
                continue
            person = self.x.entities[membership.person]
            org = self.x.entities[membership.org]
            node = URIRef(f"{self.base}id/membership/{_last(person.iri)}-{_last(org.iri)}")
            graph = self.graph
            graph.add((node, RDF.type, ICPC.Membership))
            graph.add((node, ORG.member, self.iri(person.key)))
            graph.add((node, ORG.organization, self.iri(org.key)))
            for role in membership.roles:
                graph.add((node, ORG.role, self.iri(role)))
            if membership.title:
                graph.add((node, ICPC.roleTitle, self.literal(membership.title, membership.lang)))
            graph.add((self.iri(person.key), ORG.hasMembership, node))
            self.provenance(node, [membership.span])

    def involvements(self) -> None:
        for involvement in self.x.involvements:
            subject = self.x.entities[involvement.subject]
            agent = self.x.entities[involvement.agent]
            local = involvement.predicate.split(":", 1)[1].lower()
            node = URIRef(
                f"{self.base}id/involvement/{_last(subject.iri)[:40].strip('-')}-{_last(agent.iri)}-{local}"
            )
            graph = self.graph
            graph.add((node, RDF.type, ICPC.Involvement))
            graph.add((node, ICPC.qualifies, curie(involvement.predicate)))
            graph.add((node, ICPC.involvedAgent, self.iri(agent.key)))
            graph.add((node, ICPC.scope, self.literal(involvement.scope, involvement.lang)))
            graph.add((self.iri(subject.key), ICPC.qualifiedInvolvement, node))
            self.provenance(node, [involvement.span])

    def themes(self) -> None:
        for link in self.x.themes:
            self.graph.add((self.iri(link.subject), ICPC.theme, URIRef(link.theme)))

    def build(self) -> rdflib.Graph:
        self.document_node()
        for entity in sorted(self.x.entities.values(), key=lambda e: (e.first_offset, e.key)):
            self.entity(entity)
        self.relations()
        self.memberships()
        self.involvements()
        self.themes()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace, override=True, replace=True)
        return self.graph


def _last(iri: str | None) -> str:
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]


def build_draft(
    extraction: Extraction, document: DocumentInfo, base: str = DEFAULT_BASE
) -> rdflib.Graph:
    return DraftBuilder(extraction, document, base).build()


def document_iri(slug: str, base: str = DEFAULT_BASE) -> str:
    return f"{base}id/document/{slugify(slug)}"


# --------------------------------------------------------------------------------------------
# Turtle
# --------------------------------------------------------------------------------------------


class TurtleWriter:
    """Deterministic, readable Turtle for a draft graph, grouped by section."""

    def __init__(self, graph: rdflib.Graph, base: str = DEFAULT_BASE) -> None:
        self.graph = graph
        self.id_base = base + "id/"

    def term(self, node: rdflib.term.Node) -> str:
        if isinstance(node, URIRef):
            value = str(node)
            if value.startswith(self.id_base):
                return f"<{value[len(self.id_base) :]}>"
            for prefix, namespace in PREFIXES.items():
                if value.startswith(namespace):
                    local = value[len(namespace) :]
                    if re.fullmatch(r"[A-Za-z_][\w-]*", local):
                        return f"{prefix}:{local}"
            return f"<{value}>"
        if isinstance(node, Literal):
            text = _escape(str(node))
            if node.language:
                return f'"{text}"@{node.language}'
            if node.datatype is not None and node.datatype != XSD.string:
                if node.datatype == XSD.integer:
                    return str(node)
                return f'"{text}"^^{self.term(URIRef(node.datatype))}'
            return f'"{text}"'
        if isinstance(node, BNode):
            return self.inline(node)
        raise TypeError(node)

    def inline(self, node: BNode) -> str:
        parts = []
        types = sorted(self.graph.objects(node, RDF.type), key=str)
        if types:
            parts.append("a " + " , ".join(self.term(t) for t in types))
        for predicate in sorted({p for p in self.graph.predicates(node) if p != RDF.type}, key=str):
            values = sorted(self.graph.objects(node, predicate), key=_sort_key)
            parts.append(f"{self.term(predicate)} " + " , ".join(self.term(v) for v in values))
        return "[ " + " ; ".join(parts) + " ]"

    def subject(self, node: URIRef) -> str:
        lines = []
        types = sorted(self.graph.objects(node, RDF.type), key=str)
        predicates = sorted(
            {p for p in self.graph.predicates(node) if p != RDF.type}, key=_predicate_key
        )
        head = self.term(node)
        statements = []
        if types:
            statements.append("a " + " , ".join(self.term(t) for t in types))
        for predicate in predicates:
            values = sorted(self.graph.objects(node, predicate), key=_sort_key)
            rendered = [self.term(v) for v in values]
            joined = " , ".join(rendered)
            if len(joined) > 90 and len(rendered) > 1:
                joined = (" ,\n        ").join(rendered)
            statements.append(f"{self.term(predicate)} {joined}")
        lines.append(head + " " + (" ;\n    ".join(statements)) + " .")
        return "\n".join(lines)

    def write(self, header: str, sections: list[tuple[str, list[URIRef]]]) -> str:
        out = [f"@base <{self.id_base}> ."]
        for prefix, namespace in PREFIXES.items():
            out.append(f"@prefix {prefix}: <{namespace}> .")
        out.append("")
        out.extend(f"# {line}" if line else "#" for line in header.splitlines())
        written: set[URIRef] = set()
        for title, subjects in sections:
            subjects = [s for s in subjects if s not in written and (s, None, None) in self.graph]
            if not subjects:
                continue
            out.append("")
            out.append(f"# --- {title} " + "-" * max(3, 88 - len(title)))
            for node in subjects:
                out.append("")
                out.append(self.subject(node))
                written.add(node)
        rest = sorted(
            {s for s in self.graph.subjects() if isinstance(s, URIRef) and s not in written},
            key=str,
        )
        if rest:
            out.append("")
            out.append("# --- Other " + "-" * 83)
            for node in rest:
                out.append("")
                out.append(self.subject(node))
        return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _sort_key(node: rdflib.term.Node) -> tuple[int, str, str]:
    if isinstance(node, Literal):
        return (1, node.language or "", str(node))
    return (0, "", str(node))


_PREDICATE_ORDER = [
    SCHEMA.name,
    SCHEMA.alternateName,
    SKOS.prefLabel,
    SCHEMA.headline,
    ICPC.acronym,
    SCHEMA.honorificPrefix,
    SCHEMA.givenName,
    SCHEMA.familyName,
    ICPC.jobTitle,
    ICPC.inSeries,
    ICPC.edition,
    SCHEMA.position,
    SCHEMA.startDate,
    SCHEMA.endDate,
    ICPC.dateText,
    SCHEMA.datePublished,
    DCTERMS.date,
    SCHEMA.location,
]


def _predicate_key(predicate: rdflib.term.Node) -> tuple[int, str]:
    if predicate in (DCTERMS.source, ICPC.statedIn):
        return (99, str(predicate))
    if isinstance(predicate, URIRef) and predicate in _PREDICATE_ORDER:
        return (_PREDICATE_ORDER.index(predicate), "")
    return (50, str(predicate))


def draft_turtle(
    extraction: Extraction, graph: rdflib.Graph, document: DocumentInfo, base: str = DEFAULT_BASE
) -> str:
    """The draft as Turtle, grouped the way data/ files are."""
    if len(graph) == 0:
        return (
            "\n".join(
                [f"@base <{base}id/> ."]
                + [f"@prefix {p}: <{n}> ." for p, n in PREFIXES.items()]
                + [
                    "",
                    f"# Draft extracted from {Path(extraction.doc.name).name}: nothing to extract.",
                ]
            )
            + "\n"
        )
    writer = TurtleWriter(graph, base)
    sections: list[tuple[str, list[URIRef]]] = [("Source document", [URIRef(document.iri)])]
    entities = sorted(extraction.entities.values(), key=lambda e: (e.first_offset, e.key))
    for kind in SECTION_ORDER:
        members: list[URIRef] = []
        for entity in entities:
            family = "series" if entity.cls == "EventSeries" else entity.kind
            if family != kind:
                continue
            members.append(URIRef(entity.iri or ""))
            if kind == "person":
                members.extend(
                    sorted(
                        _iris(graph.objects(URIRef(entity.iri or ""), ORG.hasMembership)), key=str
                    )
                )
            members.extend(
                sorted(
                    _iris(graph.objects(URIRef(entity.iri or ""), ICPC.qualifiedInvolvement)),
                    key=str,
                )
            )
        sections.append((SECTION_TITLES[kind], members))
    passages = sorted(
        (p for p in graph.subjects(RDF.type, ICPC.Passage) if isinstance(p, URIRef)),
        key=lambda p: _passage_order(str(p)),
    )
    sections.append(
        (f"Source passages in {extraction.doc.slug} (character offsets, end exclusive)", passages)
    )
    header = (
        f"Draft extracted by icpc-kg extract from {Path(extraction.doc.name).name}.\n"
        "Review every fact against the page before adding it: names, kinds, dates and relations\n"
        "are what the rules read, and the summary lists what they could not resolve."
    )
    return writer.write(header, sections)


def _iris(nodes: Iterable[rdflib.term.Node]) -> list[URIRef]:
    return [n for n in nodes if isinstance(n, URIRef)]


def _passage_order(iri: str) -> tuple[int, int]:
    match = re.search(r"-(\d+)-(\d+)$", iri)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)
