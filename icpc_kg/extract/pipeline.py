"""The extraction run: read each page, find what it states, link it to the graph, write the
draft and its summary.

    document ──▶ organisations ──▶ people ──▶ events ──▶ publications ──▶ relations ──▶ themes
             ──▶ links and IRIs ──▶ draft graph + Turtle ──▶ (SHACL) ──▶ summary
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib

from icpc_kg.errors import InputError
from icpc_kg.extract.document import DEFAULT_MAX_BYTES, Document, read_document
from icpc_kg.extract.draft import DocumentInfo, build_draft, document_iri, draft_turtle
from icpc_kg.extract.events import add_events
from icpc_kg.extract.linking import KnownGraph, assign_iris
from icpc_kg.extract.model import Extraction, Label
from icpc_kg.extract.org_entities import add_organisations
from icpc_kg.extract.organisations import find_organisations
from icpc_kg.extract.people import find_people
from icpc_kg.extract.people_entities import add_people
from icpc_kg.extract.publications import add_publications
from icpc_kg.extract.relations import add_relations
from icpc_kg.extract.summary import Summary, Unresolved, summarise
from icpc_kg.extract.themes import candidate_themes, match_themes
from icpc_kg.load import GraphSource, LoadedDataset, load_shapes, read_graph_file
from icpc_kg.project import Project
from icpc_kg.rdfio import rdflib_to_triples
from icpc_kg.reason import infer
from icpc_kg.shacl import ShaclReport, validate_dataset
from icpc_kg.vocab import DEFAULT_BASE, graph_iri

_AUTHOR_LABELS = re.compile(r"(?i)^(?:author\(s\)|authors?|auteur\(e?s?\)|auteure?s?|by|par)$")


@dataclass(frozen=True)
class ExtractOptions:
    url: str | None = None  # the page's public address, recorded in the document node
    lang: str = "auto"  # en | fr | auto
    link: bool = True  # link to the entities already in the graph
    validate: bool = True  # check the draft against the project's shapes
    max_bytes: int = DEFAULT_MAX_BYTES
    save_text: Path | None = None  # a folder to save the text the passages point into


@dataclass
class DocumentResult:
    extraction: Extraction
    graph: rdflib.Graph
    turtle: str
    summary: Summary
    document: DocumentInfo


@dataclass
class ExtractionRun:
    results: list[DocumentResult] = field(default_factory=list)

    @property
    def graph(self) -> rdflib.Graph:
        merged = rdflib.Graph()
        for result in self.results:
            for triple in result.graph:
                merged.add(triple)
        return merged

    @property
    def turtle(self) -> str:
        return "\n".join(result.turtle for result in self.results)

    @property
    def summaries(self) -> list[Summary]:
        return [result.summary for result in self.results]


def extract_pages(
    paths: list[str | os.PathLike[str]], project: Project, options: ExtractOptions | None = None
) -> ExtractionRun:
    """Extract every page; later pages link to what earlier pages in the same run found."""
    options = options or ExtractOptions()
    if options.url and len(paths) > 1:
        raise InputError("--url gives one page's address: extract one page at a time with --url")
    documents = [read_document(path, options.max_bytes, options.lang) for path in paths]
    known = KnownGraph.load(project, with_data=options.link)
    run = ExtractionRun()
    for document in documents:
        result = extract_document(document, project, known, options)
        run.results.append(result)
        if options.link:
            known = _with_draft(known, result.graph)
    return run


def extract_document(
    doc: Document, project: Project, known: KnownGraph, options: ExtractOptions
) -> DocumentResult:
    extraction = find_everything(doc, known)
    empty = _nothing_found(extraction)
    if empty:
        extraction.entities.clear()
        extraction.relations.clear()
        extraction.memberships.clear()
        extraction.involvements.clear()
        extraction.themes.clear()
    assign_iris(extraction, known, link=options.link)
    _drop_placeholder_flags(extraction)
    info = document_info(doc, project, known, options)
    graph = rdflib.Graph() if empty else build_draft(extraction, info, known.base)
    turtle = draft_turtle(extraction, graph, info, known.base)
    report = None
    if options.validate and not empty:
        report = validate_draft(graph, project, with_data=options.link)
    labels = {t.iri: t.preferred for t in known.themes}
    summary = summarise(extraction, labels, report, empty)
    if info.url and info.url.startswith("file:"):
        summary.unresolved.insert(
            0,
            Unresolved(
                "document",
                "no public address for the page: schema:url is its file; pass --url with the "
                "page's address (or fix schema:url) before adding the draft",
            ),
        )
    return DocumentResult(extraction, graph, turtle, summary, info)


def find_everything(doc: Document, known: KnownGraph) -> Extraction:
    """Run every extraction step on one document."""
    extraction = Extraction(doc)
    acronyms = {a: doc.lang for k in known.entities if k.family == "org" for a in k.acronyms}
    orgs = find_organisations(doc, acronyms)
    keys = add_organisations(extraction, orgs)
    extraction.org_spans = [(o.span, keys[i]) for i, o in enumerate(orgs) if i in keys]
    _author(extraction)
    people = find_people(doc, orgs)
    added = add_people(extraction, people, keys)
    extraction.person_spans = [(p.extent, key, p.part) for p, key in added]
    extraction.name_spans = [((p.start, p.end), key) for p, key in added]
    add_events(extraction)
    add_publications(extraction)
    add_relations(extraction)
    match_themes(extraction, known.themes)
    candidate_themes(extraction, known.themes)
    _tidy(extraction)
    return extraction


def _author(extraction: Extraction) -> None:
    for block in extraction.doc.blocks:
        if block.label and _AUTHOR_LABELS.match(block.label.strip()):
            for (s, _e), key in extraction.org_spans:
                if block.start <= s < block.end:
                    extraction.author = key
                    extraction.entities[key].add_span((block.start, block.end))
                    return


def _tidy(extraction: Extraction) -> None:
    """Last touches: names for organisations known only by acronym, roles held nowhere."""
    for entity in extraction.of_kind("org"):
        if not entity.names and entity.acronyms:
            acronym = next(
                (a for a in entity.acronyms if a.lang == extraction.doc.lang), entity.acronyms[0]
            )
            entity.names.append(Label(acronym.text, acronym.lang))
            extraction.flag(
                "organisation",
                f"{acronym.text}: the page gives only the acronym; it is used as the name "
                "until someone adds the full name",
                entity.spans[0] if entity.spans else None,
            )
    used_roles = {role for m in extraction.memberships for role in m.roles}
    for entity in extraction.of_kind("role"):
        if entity.key not in used_roles:
            extraction.remove(entity.key)


def _drop_placeholder_flags(extraction: Extraction) -> None:
    """A linked organisation keeps the graph's names, so its acronym-as-name flag is moot."""
    moot = {
        f"{entity.names[0].text}: the page gives only the acronym"
        for entity in extraction.of_kind("org")
        if entity.linked and entity.names
    }
    extraction.issues = [
        issue
        for issue in extraction.issues
        if not (issue.kind == "organisation" and issue.message.startswith(tuple(moot)))
    ]


def _nothing_found(extraction: Extraction) -> bool:
    """Nothing but the site's owner (from the breadcrumb) and the places around it."""
    for entity in extraction.entities.values():
        if entity.key == extraction.site_owner or entity.kind in ("place", "role"):
            continue
        return False
    return True


def document_info(
    doc: Document, project: Project, known: KnownGraph, options: ExtractOptions
) -> DocumentInfo:
    iri = document_iri(doc.slug, known.base)
    exists = options.link and iri in known.iris
    url = options.url or canonical_url(doc)
    if url is None and doc.path is not None:
        url = doc.path.resolve().as_uri()
    local_copy = None
    if options.save_text is not None:
        target = Path(options.save_text) / f"{doc.slug}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(doc.text, encoding="utf-8")
        local_copy = _project_path(target, project)
    elif (
        doc.source_format == "text/plain"
        and doc.origin is None
        and doc.encoding == "utf-8"
        and doc.path is not None
    ):
        local_copy = _project_path(doc.path, project)
    return DocumentInfo(iri, exists, url, local_copy)


def _project_path(path: Path, project: Project) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def canonical_url(doc: Document) -> str | None:
    """The address an HTML page gives for itself (<link rel="canonical">, og:url)."""
    if doc.source_format != "text/html":
        return None
    for pattern in (
        r"<link\b[^>]*\brel=[\"']canonical[\"'][^>]*\bhref=[\"']([^\"']+)[\"']",
        r"<link\b[^>]*\bhref=[\"']([^\"']+)[\"'][^>]*\brel=[\"']canonical[\"']",
        r"<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*\bcontent=[\"']([^\"']+)[\"']",
    ):
        match = re.search(pattern, doc.original[:200_000], re.I)
        if match and re.match(r"https?://", match.group(1)):
            return match.group(1)
    return None


def _with_draft(known: KnownGraph, graph: rdflib.Graph) -> KnownGraph:
    """The known graph plus what a page of this run added, for the pages after it."""
    extra = KnownGraph.from_graph(graph, known.base)
    return KnownGraph(
        entities=known.entities + extra.entities,
        themes=known.themes,
        iris=known.iris | extra.iris,
        base=known.base,
    )


def validate_draft(graph: rdflib.Graph, project: Project, with_data: bool = True) -> ShaclReport:
    """SHACL results for the draft's resources, in the context of the ontology (and, when the
    draft links to it, the curated data), with OWL 2 RL inferences so subclasses count."""
    shapes = load_shapes(project)
    if not shapes or len(graph) == 0:
        return ShaclReport()
    dataset = LoadedDataset(ox.Store())
    folders = [project.ontology_dir] + ([project.data_dir] if with_data else [])
    for folder in folders:
        for path in sorted(folder.rglob("*.ttl")):
            name = graph_iri(f"extract-{len(dataset.graphs)}")
            quads, digest = read_graph_file(path, name)
            dataset.add_graph(GraphSource(name, "data", path, len(quads), digest), quads)
    draft_name = ox.NamedNode(graph_iri("draft"))
    draft_quads = [
        ox.Quad(t.subject, t.predicate, t.object, draft_name) for t in rdflib_to_triples(graph)
    ]
    dataset.add_graph(GraphSource(draft_name.value, "data", None, len(draft_quads)), draft_quads)
    inferred_name = ox.NamedNode(graph_iri("inferred"))
    inferred = [
        ox.Quad(t.subject, t.predicate, t.object, inferred_name) for t in infer(dataset.quads())
    ]
    dataset.add_graph(GraphSource(inferred_name.value, "inferred", None, len(inferred)), inferred)
    focus = {
        s
        for s in graph.subjects()
        if isinstance(s, rdflib.URIRef) and str(s).startswith(DEFAULT_BASE)
    }
    return validate_dataset(dataset, shapes, focus_nodes=sorted(focus))
