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
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from icpc_kg.dumps import CHECKSUMS, VOID_TTL
from icpc_kg.errors import NotFoundError
from icpc_kg.server.conneg import DOCUMENT_OFFERS, HTML, JSON, Offer, negotiate
from icpc_kg.server.linked_data import Document, negotiated, render_rdf, split_suffix, triples_page
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site
from icpc_kg.server.web_errors import not_acceptable

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"

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
        return render_rdf(triples, offer, site.config)

    return await negotiated(site, request, document, DOCUMENT_OFFERS, render, (key,))


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
    """A DCAT catalogue: the dataset, one distribution per dump (size, media type, SHA-256)
    and the SPARQL endpoint as a data service."""
    base = site.config.base
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    catalog = ox.NamedNode(base + "catalog")
    dataset = ox.NamedNode(base + "dataset")
    service = ox.NamedNode(base + "sparql")
    add(catalog, RDF_TYPE, ox.NamedNode(DCAT + "Catalog"))
    add(catalog, DCTERMS + "title", ox.Literal("ICPC knowledge graph catalogue", language="en"))
    add(
        catalog,
        DCTERMS + "title",
        ox.Literal("Catalogue du graphe de connaissances du CIPC", language="fr"),
    )
    add(catalog, DCAT + "dataset", dataset)
    add(catalog, DCAT + "service", service)
    add(catalog, FOAF + "homepage", ox.NamedNode(base))
    add(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    add(dataset, DCTERMS + "title", ox.Literal("ICPC knowledge graph", language="en"))
    add(dataset, DCTERMS + "title", ox.Literal("Graphe de connaissances du CIPC", language="fr"))
    add(dataset, DCTERMS + "license", ox.NamedNode("https://creativecommons.org/licenses/by/4.0/"))
    add(dataset, DCAT + "landingPage", ox.NamedNode(base))
    add(dataset, DCTERMS + "conformsTo", ox.NamedNode(base + "ontology"))
    for name, dump in dump_files(site.backend.generation.dumps_dir).items():
        if name == CHECKSUMS:
            continue
        distribution = ox.NamedNode(f"{base}dumps/{name}")
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE, ox.NamedNode(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", distribution)
        add(distribution, DCAT + "accessURL", ox.NamedNode(base + "dumps/"))
        add(
            distribution,
            DCAT + "mediaType",
            ox.NamedNode(f"https://www.iana.org/assignments/media-types/{dump.media_type}"),
        )
        add(
            distribution,
            DCAT + "byteSize",
            ox.Literal(str(dump.size), datatype=ox.NamedNode(XSD + "nonNegativeInteger")),
        )
        if dump.sha256:
            checksum = ox.BlankNode(f"checksum-{name.replace('.', '-')}")
            add(distribution, SPDX + "checksum", checksum)
            add(checksum, RDF_TYPE, ox.NamedNode(SPDX + "Checksum"))
            add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
            add(
                checksum,
                SPDX + "checksumValue",
                ox.Literal(dump.sha256, datatype=ox.NamedNode(XSD + "hexBinary")),
            )
    add(service, RDF_TYPE, ox.NamedNode(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", service)
    add(service, DCAT + "endpointDescription", service)
    add(service, DCAT + "servesDataset", dataset)
    add(service, DCTERMS + "conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    return out


async def dcat(request: Request) -> Response:
    site: Site = request.app.state.site
    return await rdf_document(request, site.config.base + "catalog", "DCAT", dcat_triples, "dcat")


# --- the JSON-LD context -------------------------------------------------------------------------


async def context(request: Request) -> Response:
    site: Site = request.app.state.site
    path = site.config.context_file
    if path is None or not path.is_file():
        raise NotFoundError("this server has no JSON-LD context file")
    body = path.read_bytes()
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
