"""The ASGI application: routes (thin, over the modules of this package), CORS for reads,
and the one error shape.

    app = create_app(ServerConfig(...), Backend(store, version, dumps_dir), catalog)
    uvicorn.run(app)

Routes:

    /                         home                      /sparql          SPARQL 1.1 Protocol
    /events /organisations    index pages (HTML)        /api             named-query docs
    /people /publications     ...                       /api/openapi.json
    /themes /search?q=        ...                       /api/queries[/{name}]
    /id/{kind}/{slug}[.ext]   resources (conneg)        /validate        contribution check
    /ontology[.ext]           the ontology (conneg)     /dumps/[name]    dumps + SHA256SUMS
    /ontology/{version}[.ext] a version of it           /.well-known/void[.ext]  VoID
    /graph/{name}[.ext]       a named graph (conneg)    /dataset[.ext]   VoID too
    /shapes[.ext]             the SHACL shapes          /catalog         DCAT
    /extract                  extraction review (form)
    /context.jsonld           the JSON-LD context       /sitemap.xml /robots.txt /static/...
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from icpc_kg.catalog import NamedQuery
from icpc_kg.server import (
    api,
    catalogue,
    extract_service,
    linked_data,
    page_routes,
    validation_service,
)
from icpc_kg.server.backend import Backend
from icpc_kg.server.config import ServerConfig
from icpc_kg.server.cors import ReadCors
from icpc_kg.server.request_guard import RequestGuard
from icpc_kg.server.site import Site
from icpc_kg.server.sparql_protocol import sparql_endpoint
from icpc_kg.server.web_errors import EXCEPTION_HANDLERS

STATIC = Path(__file__).resolve().parent / "static"
READ = ["GET", "HEAD"]


def routes() -> list[Route | Mount]:
    return [
        Route("/", page_routes.home, methods=READ),
        Route("/events", page_routes.events, methods=READ),
        Route("/organisations", page_routes.organisations, methods=READ),
        Route("/people", page_routes.people, methods=READ),
        Route("/publications", page_routes.publications, methods=READ),
        Route("/themes", page_routes.themes, methods=READ),
        Route("/search", page_routes.search_page, methods=READ),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/id/{rest:path}", linked_data.resource, methods=READ),
        Route("/ontology", linked_data.ontology, methods=READ),
        Route("/ontology.{ext}", linked_data.ontology, methods=READ),
        Route("/ontology/{version}", linked_data.ontology, methods=READ),
        Route("/graph/{name}", linked_data.named_graph, methods=READ),
        Route("/shapes", linked_data.shapes, methods=READ),
        Route("/shapes.{ext}", linked_data.shapes, methods=READ),
        Route("/context.jsonld", catalogue.context, methods=READ),
        Route("/.well-known/void", catalogue.void, methods=READ),
        Route("/.well-known/void.{ext}", catalogue.void, methods=READ),
        Route("/dataset", catalogue.void, methods=READ),
        Route("/dataset.{ext}", catalogue.void, methods=READ),
        Route("/catalog", catalogue.dcat, methods=READ),
        Route("/catalog.{ext}", catalogue.dcat, methods=READ),
        Route("/sitemap.xml", catalogue.sitemap, methods=READ),
        Route("/robots.txt", catalogue.robots, methods=READ),
        Route("/dumps/", catalogue.dumps_index, methods=READ),
        Route("/dumps/{name}", catalogue.dump_file, methods=READ),
        Route("/api", api.api_docs, methods=READ),
        Route("/api/openapi.json", api.openapi, methods=READ),
        Route("/api/queries", api.list_queries, methods=READ),
        Route("/api/queries/{name}", api.run_named_query, methods=READ),
        Route("/validate", validation_service.validate, methods=["GET", "HEAD", "POST"]),
        Route("/extract", extract_service.extract_page, methods=["GET", "HEAD", "POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]


def create_app(config: ServerConfig, backend: Backend, catalog: dict[str, NamedQuery]) -> Starlette:
    """The web application over ``backend`` (any store behind the seam)."""
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(ReadCors), Middleware(RequestGuard)],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.site = Site(config, backend, catalog)
    return app
