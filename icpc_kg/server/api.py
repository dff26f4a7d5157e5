"""The named queries (``queries/*.rq``) as a Web API, described by OpenAPI 3.1.

``GET /api/queries/{name}?param=value`` binds the parameters with the catalog's typed,
escaped binding (:func:`icpc_kg.catalog.bind_parameters`) and answers in the negotiated format
(``format=`` or Accept): JSON, XML, CSV, TSV or an HTML table for SELECT/ASK; the RDF syntaxes
for CONSTRUCT/DESCRIBE. A bad or missing parameter is a 400 that names it; an unknown query a
404 with the nearest names. Answers are cached by (query, parameters, format, graph version).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from icpc_kg import __version__
from icpc_kg.catalog import NamedQuery, bind_parameters, find_query
from icpc_kg.errors import ParameterError
from icpc_kg.executor import QueryRequest, SerializedResult
from icpc_kg.server.conneg import GRAPH_OFFERS, HTML, RESULT_OFFERS, Offer, choose
from icpc_kg.server.inputs import query_params
from icpc_kg.server.linked_data import etag_matches
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site
from icpc_kg.server.sparql_protocol import FORMAT_PARAMS, format_values
from icpc_kg.server.views import result_view
from icpc_kg.server.web_errors import not_acceptable

CONTROL_PARAMS = (*FORMAT_PARAMS, "lang")


def offers_for(query: NamedQuery) -> tuple[Offer, ...]:
    return GRAPH_OFFERS if query.kind in ("CONSTRUCT", "DESCRIBE") else RESULT_OFFERS


def raw_parameters(request: Request, query: NamedQuery) -> dict[str, str]:
    """The query's parameters from the URL (each once); control parameters left out."""
    raw: dict[str, str] = {}
    for name, value in query_params(request):
        if name in CONTROL_PARAMS and query.param(name) is None:
            continue
        if name in raw:
            raise ParameterError(f"parameter {name!r} is given twice; give it once")
        raw[name] = value
    return raw


async def run_named_query(request: Request) -> Response:
    site: Site = request.app.state.site
    query = find_query(site.catalog, request.path_params["name"])
    raw = raw_parameters(request, query)
    sparql = bind_parameters(query, raw)
    offers = offers_for(query)
    offer = choose(offers, request.headers.get("accept"), format_values(query_params(request)))
    if offer is None:
        raise not_acceptable(offers)
    lang = request_language(request) if offer is HTML else ""
    version = site.version
    key = ("api", query.name, tuple(sorted(raw.items())), offer.name, lang, version)
    tag = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    headers = {
        "ETag": f'"{tag}"',
        "Vary": "Accept, Accept-Language, Cookie",
        "Cache-Control": "public, max-age=60",
    }
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)

    async def compute() -> SerializedResult:
        if offer is HTML:
            return await _html_answer(site, request, query, raw, sparql, lang)
        result = await site.backend.run(
            QueryRequest(
                sparql,
                base_iri=site.config.base,
                max_rows=site.config.max_rows,
                serialize_as=offer.name,
            ),
            site.config.timeout,
        )
        assert isinstance(result, SerializedResult)
        return result

    cached = await site.cached(key, compute)
    if cached.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(site.config.max_rows)
    if offer is HTML:
        return site.pages.html(request, cached.body, lang, 200, headers)
    return Response(cached.body, 200, headers, media_type=offer.content_type)


async def _html_answer(
    site: Site, request: Request, query: NamedQuery, raw: dict[str, str], sparql: str, lang: str
) -> SerializedResult:
    result = await site.backend.run(
        QueryRequest(sparql, base_iri=site.config.base, max_rows=site.config.max_rows),
        site.config.timeout,
    )
    href = site.pages.href_for(request)
    table, boolean = result_view(result, href)
    downloads = [
        (o.name, f"{request.url.path}?{urlencode([*raw.items(), ('format', o.name)])}")
        for o in offers_for(query)
        if o is not HTML
    ]
    body = site.pages.render_text(
        request,
        "named_result.html",
        lang,
        query.title,
        query=query,
        values=raw,
        table=table,
        boolean=boolean,
        sparql=sparql,
        downloads=downloads,
        max_rows=site.config.max_rows,
    ).encode("utf-8")
    truncated = bool(table and table.truncated)
    return SerializedResult("html", body, truncated, len(table.rows) if table else 1)


async def list_queries(request: Request) -> Response:
    site: Site = request.app.state.site
    base = str(request.base_url).rstrip("/")
    body = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "kind": q.kind,
            "url": f"{base}/api/queries/{q.name}",
            "parameters": q.json_schema(),
        }
        for q in site.catalog.values()
    ]
    return Response(
        json.dumps({"queries": body}, ensure_ascii=False, indent=1).encode(),
        media_type="application/json",
    )


# --- OpenAPI -------------------------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "a stable code, e.g. BAD_PARAMETER"},
        "message": {"type": "string", "description": "what went wrong and what to do"},
    },
    "required": ["error", "message"],
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _format_parameter(offers: tuple[Offer, ...]) -> dict[str, Any]:
    names = [o.name for o in offers]
    return {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "the answer's format (overrides the Accept header)",
        "schema": {"type": "string", "enum": names},
    }


def operation(query: NamedQuery) -> dict[str, Any]:
    """The OpenAPI operation of one named query."""
    offers = offers_for(query)
    parameters = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": p.json_schema(),
        }
        for p in query.params
    ]
    parameters.append(_format_parameter(offers))
    results_schema = {"$ref": "#/components/schemas/SparqlResults"}
    content = {
        o.media_type: ({"schema": results_schema} if o.name == "json" else {}) for o in offers
    }
    return {
        "operationId": query.name,
        "summary": query.title,
        "description": f"{query.description}\n\nA {query.kind} query (`queries/{query.name}.rq`).",
        "tags": ["named queries"],
        "parameters": parameters,
        "responses": {
            "200": {"description": f"the {query.kind} answer", "content": content},
            "304": {"description": "not modified (If-None-Match matched the ETag)"},
            "400": _error(
                "a parameter is missing, unknown or not of its type (the message names it)"
            ),
            "406": _error("none of the accepted media types is available"),
            "503": _error("the query ran past the server's time limit and was stopped"),
        },
    }


def openapi_document(site: Site, server_url: str) -> dict[str, Any]:
    paths: dict[str, Any] = {
        f"/api/queries/{q.name}": {"get": operation(q)} for q in site.catalog.values()
    }
    paths["/sparql"] = {
        "get": {
            "operationId": "sparql",
            "summary": "SPARQL 1.1 query (GET)",
            "description": "Any read-only SPARQL 1.1 query; SERVICE and LOAD are refused.",
            "tags": ["SPARQL"],
            "parameters": [
                {"name": "query", "in": "query", "required": True, "schema": {"type": "string"}},
                {
                    "name": "default-graph-uri",
                    "in": "query",
                    "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
                },
                {
                    "name": "named-graph-uri",
                    "in": "query",
                    "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
                },
                _format_parameter((*RESULT_OFFERS, *GRAPH_OFFERS)),
            ],
            "responses": {
                "200": {"description": "the answer"},
                "400": _error("malformed query, or SERVICE/LOAD"),
                "403": _error("an update sent to a read-only endpoint"),
                "503": _error("timeout"),
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "ICPC knowledge graph: named queries",
            "version": __version__,
            "description": "Each named query of the ICPC knowledge graph (queries/*.rq) as a "
            "GET operation, plus the SPARQL endpoint. Answers come as SPARQL results JSON, XML, "
            "CSV, TSV or RDF, chosen with format= or the Accept header.",
            "license": {"name": "CC-BY-4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server_url}],
        "tags": [
            {"name": "named queries", "description": "queries/*.rq"},
            {"name": "SPARQL", "description": "the SPARQL 1.1 Protocol endpoint"},
        ],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": ERROR_SCHEMA,
                "SparqlResults": {
                    "type": "object",
                    "description": "SPARQL 1.1 Query Results JSON",
                    "properties": {
                        "head": {"type": "object"},
                        "results": {"type": "object"},
                        "boolean": {"type": "boolean"},
                    },
                    "required": ["head"],
                },
            }
        },
    }


async def openapi(request: Request) -> Response:
    site: Site = request.app.state.site
    document = openapi_document(site, str(request.base_url).rstrip("/"))
    return Response(
        json.dumps(document, ensure_ascii=False, indent=1).encode(),
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=300"},
    )


async def api_docs(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = request_language(request)
    return site.pages.render(
        request,
        "api.html",
        lang,
        "API",
        queries=list(site.catalog.values()),
        offers_for=offers_for,
    )
