"""Resource descriptions: what ``/id/{kind}/{slug}`` answers, built with SPARQL through the
store so an external store gives the same description.

A description holds

- the resource's own triples (asserted graphs only: the inferred graph's schema.org view goes
  into the HTML page's embedded JSON-LD instead), with the blank nodes they point to;
- the labels (schema:name, skos:prefLabel, rdfs:label) of the resources it links to;
- the triples that point at it (incoming links), with the labels of their subjects;
- its source passages (icpc:statedIn): each passage's selectors (oa:exact, oa:start, oa:end)
  and source document (oa:hasSource), with the document's name and web address.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from icpc_kg.errors import NotFoundError
from icpc_kg.executor import QueryRequest
from icpc_kg.export import dumps as jsonld_dumps
from icpc_kg.export import jsonld_document, read_context_document, schema_view
from icpc_kg.jsonld_context import (
    SCHEMA_PAGE_CONTEXT,
    context_file_or_default,
    served_context_url,
)
from icpc_kg.results import GraphResult, serialize_result
from icpc_kg.server.backend import Backend
from icpc_kg.server.config import ServerConfig
from icpc_kg.server.conneg import (
    DOCUMENT_OFFERS,
    HTML,
    RESOURCE_OFFERS,
    SUFFIXES,
    Offer,
    choose,
)
from icpc_kg.server.page_data import ontology_doc
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import LABEL_PREDICATES, Site
from icpc_kg.server.views import resource_view, result_table
from icpc_kg.server.web_errors import icpc_error_response, not_acceptable
from icpc_kg.vocab import ONTOLOGY_IRI, PREFIXES

OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"

SCHEMA = "http://schema.org/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ICPC = "https://w3id.org/icpc-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"

_UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_term(iri: str) -> str:
    """``<iri>`` for a SPARQL query; NotFoundError for anything that is not a plain IRI, so
    nothing a client puts in a path can change the query."""
    if _UNSAFE_IRI.search(iri):
        raise NotFoundError(f"not a valid IRI: {iri!r}")
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        raise NotFoundError(f"not a valid IRI: {iri!r}") from None


def description_query(iri: str, inferred_graph: str) -> str:
    """The CONSTRUCT that gathers a resource's description (see the module docstring).

    Label predicates are matched with ``FILTER(?p IN (...))`` rather than ``VALUES``: the
    Oxigraph server plans the VALUES form about ten times slower inside a UNION."""
    me = iri_term(iri)
    asserted = f"FILTER(?g NOT IN ({iri_term(inferred_graph)}))"
    labels = ", ".join(f"<{p}>" for p in LABEL_PREDICATES)
    return f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ GRAPH ?g {{ {me} ?p ?o }} {asserted} BIND({me} AS ?s) }}
  UNION
  {{ GRAPH ?g {{ {me} ?p0 ?s . ?s ?p ?o }} {asserted} FILTER(isBlank(?s)) }}
  UNION
  {{ GRAPH ?g {{ {me} ?p0 ?s }} {asserted} FILTER(isIRI(?s))
     ?s ?p ?o FILTER(?p IN ({labels})) }}
  UNION
  {{ GRAPH ?g {{ ?s ?p {me} }} {asserted} BIND({me} AS ?o) }}
  UNION
  {{ GRAPH ?g {{ ?s ?p0 {me} }} {asserted} FILTER(isIRI(?s))
     ?s ?p ?o FILTER(?p IN ({labels})) }}
  UNION
  {{ {me} <{ICPC}statedIn> ?s . GRAPH ?g {{ ?s ?p ?o }} {asserted} }}
  UNION
  {{ {me} <{ICPC}statedIn> ?passage . ?passage <{OA}hasSelector> ?s .
     GRAPH ?g {{ ?s ?p ?o }} {asserted} }}
  UNION
  {{ {me} <{ICPC}statedIn>/<{OA}hasSource> ?s .
     ?s ?p ?o FILTER(?p IN ({labels}, <{SCHEMA}url>)) }}
}}"""


def schema_query(iri: str) -> str:
    """Everything said about ``iri`` (inferred triples included) and the names of what it
    links to: the input of the page's schema.org JSON-LD."""
    me = iri_term(iri)
    return f"""
CONSTRUCT {{ {me} ?p ?o . ?o <{SCHEMA}name> ?name }} WHERE {{
  {me} ?p ?o .
  OPTIONAL {{ ?o <{SCHEMA}name> ?name FILTER(isIRI(?o)) }}
}}"""


@dataclass(frozen=True)
class Description:
    iri: str
    triples: list[ox.Triple]


async def describe(backend: Backend, config: ServerConfig, iri: str) -> Description:
    """The description of ``iri``; NotFoundError when the graph says nothing about it."""
    request = QueryRequest(
        description_query(iri, config.graph_iri("inferred")), base_iri=config.base
    )
    result = await backend.run(request, config.timeout)
    assert isinstance(result, GraphResult)
    triples = list(dict.fromkeys(result.triples))
    if not triples:
        raise NotFoundError(f"{iri} is not in this graph")
    return Description(iri, triples)


async def schema_jsonld(backend: Backend, config: ServerConfig, iri: str) -> dict[str, object]:
    """The schema.org view of ``iri`` as compacted JSON-LD (for the page's script tag)."""
    result = await backend.run(QueryRequest(schema_query(iri)), config.timeout)
    assert isinstance(result, GraphResult)
    return jsonld_document(schema_view(result.triples), "schema")


def used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The project prefixes whose namespace ``triples`` use (``id:`` and ``graph:`` left out:
    their local names hold slashes, which Turtle would have to escape)."""
    iris = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    } | {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {
        prefix: namespace
        for prefix, namespace in PREFIXES.items()
        if prefix not in ("id", "graph") and any(iri.startswith(namespace) for iri in iris)
    }


def subject_order(triples: list[ox.Triple], first: str | None) -> list[ox.Triple]:
    """The document's own subject first, then blank nodes, then the rest by subject."""

    def key(t: ox.Triple) -> tuple[int, str]:
        subject = t.subject
        if isinstance(subject, ox.NamedNode) and subject.value == first:
            return (0, "")
        if isinstance(subject, ox.BlankNode):
            return (1, subject.value)
        return (2, str(subject))

    return sorted(triples, key=key)


def context_url(request: Request) -> str:
    """The URL of the JSON-LD context this server serves, on the host (and under the root
    path) the request came to: what the JSON-LD it answers names, and fetches."""
    return served_context_url(str(request.base_url))


def render_rdf(
    triples: list[ox.Triple],
    offer: Offer,
    config: ServerConfig,
    about: str | None = None,
    *,
    context_url: str,
) -> bytes:
    """``triples`` in an RDF format: JSON-LD compacted with the project context, naming it at
    ``context_url`` (the server's own ``/context.jsonld``, the same file); Turtle with the
    prefixes it uses (resource IRIs stay whole); the others as they are."""
    if offer.name == "jsonld":
        context = read_context_document(context_file_or_default(config.context_file))
        document = jsonld_document(
            triples, "full", context_document=context, context_url=context_url
        )
        return jsonld_dumps(document)
    ordered = subject_order(triples, about)
    if offer.name in ("turtle", "trig"):
        items: list[ox.Triple] | list[ox.Quad] = ordered
        if offer.name == "trig":
            items = [ox.Quad(t.subject, t.predicate, t.object) for t in ordered]
        return (
            ox.serialize(
                items,
                format=ox.RdfFormat.TURTLE if offer.name == "turtle" else ox.RdfFormat.TRIG,
                prefixes=used_prefixes(triples),
            )
            or b""
        )
    return serialize_result(GraphResult(ordered), offer.name, PREFIXES)


# --- negotiated documents: /id/..., /ontology, /graph/..., /shapes -------------------------------

ALTERNATE_SUFFIXES = {
    "turtle": "ttl",
    "jsonld": "jsonld",
    "ntriples": "nt",
    "rdfxml": "rdf",
    "trig": "trig",
    "nquads": "nq",
    "html": "html",
}


@dataclass(frozen=True)
class Document:
    """One negotiable document: its canonical IRI, the path it is served at (without suffix)
    and the suffix the request used, if any."""

    iri: str
    path: str
    suffix: str | None = None


def split_suffix(path: str) -> tuple[str, str | None]:
    """``/id/org/icpc.ttl`` -> (``/id/org/icpc``, ``ttl``) for the known suffixes."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in SUFFIXES and "/" not in ext and stem:
        return stem, ext
    return path, None


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def link_header(request: Request, document: Document, offers: tuple[Offer, ...]) -> str:
    base = str(request.base_url).rstrip("/")
    links = [
        f"<{base}{document.path}.{ALTERNATE_SUFFIXES[o.name]}>; "
        f'rel="alternate"; type="{o.media_type}"'
        for o in offers
        if o.name in ALTERNATE_SUFFIXES
    ]
    links.append(f'<{document.iri}>; rel="canonical"')
    return ", ".join(links)


Render = Callable[[Offer, str], Awaitable[bytes]]


async def negotiated(
    site: Site,
    request: Request,
    document: Document,
    offers: tuple[Offer, ...],
    render: Render,
    cache_key: Hashable,
) -> Response:
    """Answer a document in the representation the request prefers, with ``Vary``, ``Link``
    alternates, an ``ETag`` from the graph version (304 when it matches) and a cache of the
    rendered bytes by (document, format, language, version)."""
    formats = [v for v in request.query_params.getlist("format") if v.strip()]
    offer = choose(offers, request.headers.get("accept"), formats, document.suffix)
    if offer is None:
        raise not_acceptable(offers)
    lang = request_language(request) if offer is HTML else ""
    version = site.version
    etag = f'"{version[:20]}-{offer.name}{"-" + lang if lang else ""}"'
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=_headers(request, document, offers, etag))
    key = (cache_key, offer.name, lang, str(request.base_url), version)

    async def compute() -> Rendered:
        body = await render(offer, lang)
        return Rendered(body, _headers(request, document, offers, etag))

    try:
        cached = await site.cached(key, compute)
    except NotFoundError as error:
        return icpc_error_response(request, error, offer)
    if offer is HTML:
        return site.pages.html(request, cached.body, lang, 200, dict(cached.headers))
    return Response(cached.body, 200, cached.headers, media_type=offer.content_type)


@dataclass(frozen=True)
class Rendered:
    """A rendered document and its headers, as cached."""

    body: bytes
    headers: dict[str, str]


def _headers(
    request: Request, document: Document, offers: tuple[Offer, ...], etag: str
) -> dict[str, str]:
    return {
        "ETag": etag,
        "Vary": "Accept, Accept-Language, Cookie"
        if document.suffix is None
        else "Accept-Language, Cookie",
        "Link": link_header(request, document, offers),
        "Cache-Control": "public, max-age=60",
    }


async def resource(request: Request) -> Response:
    """``/id/{kind}/{slug}`` (and any deeper path under id/), with a format suffix or not."""
    site: Site = request.app.state.site
    path, suffix = split_suffix(request.url.path.removeprefix(site.pages.root(request)))
    iri = site.config.base + path.lstrip("/")
    document = Document(iri, path, suffix)

    async def render(offer: Offer, lang: str) -> bytes:
        description = await describe(site.backend, site.config, iri)
        if offer is HTML:
            return await resource_page(site, request, description, lang)
        return render_rdf(
            description.triples, offer, site.config, iri, context_url=context_url(request)
        )

    return await negotiated(site, request, document, RESOURCE_OFFERS, render, ("id", iri))


async def resource_page(site: Site, request: Request, description: Description, lang: str) -> bytes:
    namer = await site.pages.namer(lang)
    term_labels = await site.term_labels()
    view = resource_view(
        description.iri,
        description.triples,
        lang,
        site.pages.href_for(request),
        namer,
        term_labels,
    )
    jsonld = await schema_jsonld(site.backend, site.config, description.iri)
    path = site.local_path(description.iri) or ""
    alternates = [
        (o.name, o.media_type, f"{path}.{ALTERNATE_SUFFIXES[o.name]}")
        for o in RESOURCE_OFFERS
        if o is not HTML
    ]
    text = site.pages.render_text(
        request,
        "resource.html",
        lang,
        view.label,
        jsonld=jsonld,
        alternates=alternates,
        view=view,
        document_text=_local_copy(site.config, view.local_copy),
    )
    return text.encode("utf-8")


def _local_copy(config: ServerConfig, local_copy: str | None) -> str | None:
    """The text of a source document's local copy (by file name, inside the sources folder)."""
    if not local_copy or config.sources_dir is None:
        return None
    path = config.sources_dir / Path(local_copy).name
    if not path.is_file() or path.stat().st_size > 2_000_000:
        return None
    return path.read_text(encoding="utf-8", errors="replace")


async def graph_document(
    site: Site,
    request: Request,
    document: Document,
    graph: str,
    title: str,
    cache_key: Hashable,
    html_page: Callable[[str, list[ox.Triple], bool], Awaitable[bytes]] | None = None,
    whole: bool = False,
) -> Response:
    """A named graph of the store as a negotiated document (``html_page`` renders HTML;
    without it, a table of its triples). Cut at ``--max-rows`` unless ``whole``: the ontology
    and the shapes come from the project's own files, are bounded by them, and are useless
    cut (which triples a store returns first differs from store to store)."""

    async def triples() -> tuple[list[ox.Triple], bool]:
        result = await site.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri_term(graph)} {{ ?s ?p ?o }} }}",
            max_rows=None if whole else site.config.max_rows,
        )
        if not result.triples:
            raise NotFoundError(f"there is no graph {graph} here")
        return result.triples, result.truncated

    async def render(offer: Offer, lang: str) -> bytes:
        found, truncated = await triples()
        if offer is HTML:
            if html_page is not None:
                return await html_page(lang, found, truncated)
            return triples_page(site, request, document, title, lang, found, truncated)
        return render_rdf(found, offer, site.config, context_url=context_url(request))

    return await negotiated(site, request, document, DOCUMENT_OFFERS, render, cache_key)


def triples_page(
    site: Site,
    request: Request,
    document: Document,
    title: str,
    lang: str,
    triples: list[ox.Triple],
    truncated: bool = False,
) -> bytes:
    rows = [(t.subject, t.predicate, t.object) for t in triples]
    table = result_table(
        ["subject", "predicate", "object"], rows, site.pages.href_for(request), truncated
    )
    alternates = [
        (o.name, o.media_type, f"{document.path}.{ALTERNATE_SUFFIXES[o.name]}")
        for o in DOCUMENT_OFFERS
        if o is not HTML
    ]
    return site.pages.render_text(
        request,
        "document.html",
        lang,
        title,
        alternates=alternates,
        table=table,
        iri=document.iri,
        max_rows=site.config.max_rows,
    ).encode("utf-8")


async def ontology(request: Request) -> Response:
    """``/ontology`` and, for each ``owl:versionIRI`` the ontology states
    (``{ontology}/0.1.0``), ``/ontology/0.1.0``: the same document, in every format."""
    site: Site = request.app.state.site
    path, suffix = split_suffix(request.url.path.removeprefix(site.pages.root(request)))
    iri = ONTOLOGY_IRI
    if path != "/ontology":
        iri = ONTOLOGY_IRI + path.removeprefix("/ontology")
        versions = await ontology_versions(site)
        if iri not in versions:
            served = ", ".join("/ontology" + v[len(ONTOLOGY_IRI) :] for v in versions) or "none"
            raise NotFoundError(
                f"the ontology has no version {path.removeprefix('/ontology/')!r} here; "
                f"served: /ontology and its versions {served}"
            )
    document = Document(iri, path, suffix)

    async def page(lang: str, triples: list[ox.Triple], truncated: bool) -> bytes:
        doc = await ontology_doc(site, lang, site.pages.href_for(request))
        alternates = [
            (o.name, o.media_type, f"{path}.{ALTERNATE_SUFFIXES[o.name]}")
            for o in DOCUMENT_OFFERS
            if o is not HTML
        ]
        jsonld = {
            "@context": SCHEMA_PAGE_CONTEXT,
            "@type": "DefinedTermSet",
            "@id": ONTOLOGY_IRI,
            "name": doc.title,
            "description": doc.description,
            "version": doc.version,
            "hasDefinedTerm": [
                {"@type": "DefinedTerm", "@id": t.iri, "name": t.label, "description": t.definition}
                for t in (*doc.classes, *doc.properties)
            ],
        }
        return site.pages.render_text(
            request, "ontology.html", lang, doc.title, jsonld=jsonld, alternates=alternates, doc=doc
        ).encode("utf-8")

    return await graph_document(
        site,
        request,
        document,
        site.config.graph_iri("ontology"),
        "ontology",
        ("ontology", path),
        page,
        whole=True,
    )


async def ontology_versions(site: Site) -> list[str]:
    """The ``owl:versionIRI`` values of the ontology graph (the current version's IRI)."""

    async def compute() -> list[str]:
        result = await site.select(
            f"SELECT DISTINCT ?v WHERE {{ GRAPH {iri_term(site.config.graph_iri('ontology'))} "
            f"{{ {iri_term(ONTOLOGY_IRI)} <{OWL_VERSION_IRI}> ?v }} }} ORDER BY ?v"
        )
        return [v.value for (v,) in result.rows if isinstance(v, ox.NamedNode)]

    return await site.memo("ontology-versions", compute)


async def named_graph(request: Request) -> Response:
    site: Site = request.app.state.site
    path, suffix = split_suffix(request.url.path.removeprefix(site.pages.root(request)))
    name = path.removeprefix("/graph/")
    graph = site.config.graph_iri(name)
    document = Document(graph, path, suffix)
    return await graph_document(site, request, document, graph, f"graph/{name}", ("graph", graph))


async def shapes(request: Request) -> Response:
    site: Site = request.app.state.site
    path, suffix = split_suffix(request.url.path.removeprefix(site.pages.root(request)))
    graph = site.config.graph_iri("shapes")
    document = Document(site.config.base + "shapes", path, suffix)
    return await graph_document(
        site, request, document, graph, "SHACL shapes", ("shapes",), whole=True
    )
