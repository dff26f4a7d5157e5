"""For harvesters: the dumps with their checksums, the VoID description, a DCAT catalogue, the
JSON-LD context and a sitemap.

The dumps are the files of the served dataset's dumps folder (see
:mod:`icpc_kg.server.dataset`), served by name from a listing of that folder: a request can
only ever name a file that is in it, so no path can leave it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from icpc_kg.dcat import CatalogueFacts, Download, catalogue_triples
from icpc_kg.dumps import CHECKSUMS, DUMPS, VOID_TTL
from icpc_kg.errors import NotFoundError
from icpc_kg.gazetteer import GEONAMES_IRI
from icpc_kg.jsonld_context import context_file_or_default
from icpc_kg.server.conneg import DOCUMENT_OFFERS, HTML, JSON, Offer, negotiate
from icpc_kg.server.linked_data import (
    Document,
    context_url,
    iri_term,
    negotiated,
    render_rdf,
    split_suffix,
    triples_page,
)
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site
from icpc_kg.server.web_errors import not_acceptable
from icpc_kg.vocab import ICPC, ONTOLOGY_IRI, SCHEMA

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"

MEDIA_TYPES = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    "": "text/plain",
}


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    size: int
    sha256: str | None
    media_type: str


def dump_files(folder: Path | None) -> dict[str, DumpFile]:
    """The files of the dumps folder by name, with sizes and the checksums SHA256SUMS gives."""
    if folder is None or not folder.is_dir():
        return {}
    sums: dict[str, str] = {}
    checksums = folder / CHECKSUMS
    if checksums.is_file():
        for line in checksums.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            sums[name.strip()] = digest.strip()
    files = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file() and not entry.name.startswith("."):
            suffix = Path(entry.name).suffix
            files[entry.name] = DumpFile(
                entry.name,
                Path(entry.path),
                entry.stat().st_size,
                sums.get(entry.name),
                MEDIA_TYPES.get(suffix, "text/plain"),
            )
    return files


async def dumps_index(request: Request) -> Response:
    site: Site = request.app.state.site
    files = dump_files(site.backend.generation.dumps_dir)
    offer = negotiate(request.headers.get("accept"), (JSON, HTML))
    if offer is None:
        raise not_acceptable((JSON, HTML))
    base = str(request.base_url).rstrip("/")
    if offer is HTML:
        lang = request_language(request)
        return site.pages.render(
            request, "dumps.html", lang, "Downloads", files=list(files.values())
        )
    body = [
        {
            "name": f.name,
            "url": f"{base}/dumps/{f.name}",
            "mediaType": f.media_type,
            "bytes": f.size,
            "sha256": f.sha256,
        }
        for f in files.values()
    ]
    return Response(json.dumps({"dumps": body}, indent=1).encode(), media_type="application/json")


async def dump_file(request: Request) -> Response:
    site: Site = request.app.state.site
    name = request.path_params["name"]
    found = dump_files(site.backend.generation.dumps_dir).get(name)
    if found is None:
        raise NotFoundError(f"no dump called {name!r}; GET /dumps/ lists them")
    headers = {"Cache-Control": "public, max-age=300"}
    if found.sha256:
        digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
        headers["Repr-Digest"] = f"sha-256=:{digest}:"
        headers["ETag"] = f'"{found.sha256[:32]}"'
        if request.headers.get("if-none-match", "").strip() == headers["ETag"]:
            return Response(status_code=304, headers=headers)
    return FileResponse(found.path, headers=headers, media_type=found.media_type)


# --- VoID ----------------------------------------------------------------------------------------


async def void_triples(site: Site) -> list[ox.Triple]:
    """The VoID of the served dataset: the dumps folder's void.ttl (written with the dumps)."""
    folder = site.backend.generation.dumps_dir
    path = folder / VOID_TTL if folder is not None else None
    if path is None or not path.is_file():
        return await void_from_store(site)
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    ]


async def void_from_store(site: Site) -> list[ox.Triple]:
    """A VoID with counts read from the store (when there is no dumps folder, e.g. a store
    that is not ours)."""
    dataset = ox.NamedNode(site.config.base + "dataset")
    per_graph = await site.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    out = [
        ox.Triple(dataset, ox.NamedNode(RDF_TYPE), ox.NamedNode(VOID + "Dataset")),
        ox.Triple(
            dataset,
            ox.NamedNode(VOID + "sparqlEndpoint"),
            ox.NamedNode(site.config.base + "sparql"),
        ),
        ox.Triple(dataset, ox.NamedNode(VOID + "uriSpace"), ox.Literal(site.config.id_base)),
    ]
    total = 0
    for graph, count in per_graph.rows:
        if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
            total += int(count.value)
            out.append(ox.Triple(dataset, ox.NamedNode(VOID + "subset"), graph))
            out.append(ox.Triple(graph, ox.NamedNode(VOID + "triples"), count))
    out.append(
        ox.Triple(
            dataset,
            ox.NamedNode(VOID + "triples"),
            ox.Literal(str(total), datatype=ox.NamedNode(XSD + "integer")),
        )
    )
    return out


TriplesOf = Callable[[Site, Request], Awaitable[list[ox.Triple]]]


async def rdf_document(
    request: Request, iri: str, title: str, triples_of: TriplesOf, key: str
) -> Response:
    """A document computed from the graph (VoID, DCAT), negotiated like a resource."""
    site: Site = request.app.state.site
    path, suffix = split_suffix(request.url.path.removeprefix(site.pages.root(request)))
    document = Document(iri, path, suffix)

    async def render(offer: Offer, lang: str) -> bytes:
        triples = await triples_of(site, request)
        if offer is HTML:
            return triples_page(site, request, document, title, lang, triples)
        return render_rdf(triples, offer, site.config, context_url=context_url(request))

    # The path is part of the key: the same document is served under two paths (/dataset,
    # /.well-known/void) whose Link headers differ.
    return await negotiated(site, request, document, DOCUMENT_OFFERS, render, (key, path))


async def void(request: Request) -> Response:
    site: Site = request.app.state.site
    return await rdf_document(
        request,
        site.config.base + "dataset",
        "VoID",
        lambda s, _r: void_triples(s),
        "void",
    )


# --- DCAT ----------------------------------------------------------------------------------------


async def dcat_triples(site: Site, request: Request) -> list[ox.Triple]:
    """The DCAT-AP 3.0 catalogue (:mod:`icpc_kg.dcat`) of the served graph and dumps."""
    return catalogue_triples(await catalogue_facts(site))


async def catalogue_facts(site: Site) -> CatalogueFacts:
    """What the catalogue states about the served graph: read from the store once per graph
    version, plus the dumps folder's files."""
    folder = site.backend.generation.dumps_dir
    files = dump_files(folder)
    downloads = [
        Download(f.name, f.size, f.sha256, f.media_type) for n, f in files.items() if n in DUMPS
    ]
    checksums = files.get(CHECKSUMS)
    modified = None
    if checksums is not None:
        written = datetime.fromtimestamp(checksums.path.stat().st_mtime, UTC).replace(microsecond=0)
        modified = written.isoformat().replace("+00:00", "Z")
    graph_facts = await site.memo("dcat-facts", lambda: _graph_facts(site))
    return CatalogueFacts(
        base=site.config.base, downloads=downloads, modified=modified, **graph_facts
    )


async def _graph_facts(site: Site) -> dict[str, Any]:
    ontology = iri_term(ONTOLOGY_IRI)
    about = await site.select(
        f"SELECT ?publisher ?version WHERE {{ {ontology} <{DCTERMS}publisher> ?publisher "
        f"OPTIONAL {{ {ontology} <{OWL}versionInfo> ?version }} }} ORDER BY ?publisher LIMIT 1"
    )
    publisher: str | None = None
    version: str | None = None
    for found, found_version in about.rows:
        if isinstance(found, ox.NamedNode):
            publisher = found.value
        if isinstance(found_version, ox.Literal):
            version = found_version.value
    names: list[tuple[str, str]] = []
    if publisher is not None:
        rows = await site.select(
            f"SELECT DISTINCT ?name WHERE {{ {iri_term(publisher)} <{SCHEMA}name> ?name }}"
        )
        names = _texts(rows.rows)
    keywords = await site.select(
        f"SELECT DISTINCT ?label WHERE {{ ?theme a <{ICPC}Theme> ; <{SKOS}prefLabel> ?label }}"
    )
    dates = await site.select(
        f"SELECT DISTINCT ?date WHERE {{ ?event a <{ICPC}Event> ; "
        f"<{SCHEMA}startDate>|<{SCHEMA}endDate> ?date }}"
    )
    years = sorted(
        d.value[:4] for (d,) in dates.rows if isinstance(d, ox.Literal) and d.value[:4].isdigit()
    )
    places = await site.select(
        f"SELECT DISTINCT ?geonames WHERE {{ ?event a <{ICPC}Event> ; <{SCHEMA}location> ?at . "
        f"?at <{SCHEMA}containedInPlace>* ?country . ?country a <{ICPC}Country> ; "
        f'<{SCHEMA}sameAs> ?geonames FILTER(STRSTARTS(STR(?geonames), "{GEONAMES_IRI}")) }} '
        "ORDER BY ?geonames"
    )
    return {
        "publisher": publisher,
        "publisher_names": names,
        "keywords": _texts(keywords.rows),
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
        "places": [g.value for (g,) in places.rows if isinstance(g, ox.NamedNode)],
        "version": version,
        "ontology": ONTOLOGY_IRI,
    }


def _texts(rows: list[tuple[Any, ...]]) -> list[tuple[str, str]]:
    """Literal values of one-column rows as sorted (text, language) pairs."""
    found = {(v.value, v.language or "") for (v,) in rows if isinstance(v, ox.Literal)}
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


async def dcat(request: Request) -> Response:
    site: Site = request.app.state.site
    return await rdf_document(request, site.config.base + "catalog", "DCAT", dcat_triples, "dcat")


# --- the JSON-LD context -------------------------------------------------------------------------


async def context(request: Request) -> Response:
    site: Site = request.app.state.site
    # The file the server's JSON-LD was compacted with, which that JSON-LD names.
    body = context_file_or_default(site.config.context_file).read_bytes()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match", "").strip() == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, headers=headers, media_type="application/ld+json")


# --- sitemap and robots.txt ----------------------------------------------------------------------

SITE_PAGES = (
    "/",
    "/events",
    "/organisations",
    "/people",
    "/publications",
    "/themes",
    "/sparql",
    "/api",
    "/ontology",
)
SITEMAP_LIMIT = 50_000  # the sitemap protocol's limit per file


async def sitemap(request: Request) -> Response:
    site: Site = request.app.state.site

    async def compute() -> list[str]:
        result = await site.select(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && "
            f'STRSTARTS(STR(?s), "{site.config.id_base}")) }} ORDER BY ?s',
            max_rows=SITEMAP_LIMIT - len(SITE_PAGES),
        )
        return [s.value for (s,) in result.rows if isinstance(s, ox.NamedNode)]

    iris = await site.memo("sitemap", compute)
    base = str(request.base_url).rstrip("/")
    urls = [base + p for p in SITE_PAGES]
    urls += [base + (site.local_path(iri) or "") for iri in iris]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"<url><loc>{xml_escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>\n")
    return Response("\n".join(lines).encode(), media_type="application/xml")


async def robots(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    body = (
        f"User-agent: *\nDisallow: /sparql?\nDisallow: /api/queries/\nSitemap: {base}/sitemap.xml\n"
    )
    return Response(body.encode(), media_type="text/plain")
