"""The SPARQL 1.1 Protocol at ``/sparql``.

Reading a request (:func:`read_protocol_request`):

- GET ``?query=``; POST ``application/x-www-form-urlencoded`` (``query=`` or ``update=``, with
  the other parameters in the body or the URL); POST ``application/sparql-query`` or
  ``application/sparql-update`` (the body is the text, the other parameters in the URL).
- ``default-graph-uri`` / ``named-graph-uri`` set the dataset; with neither, the default graph
  is the union of all graphs. Given, they replace the query's own FROM / FROM NAMED.
- Exactly one ``query`` (or ``update``); text must be UTF-8; a POST must say its Content-Type.

Answering: SELECT/ASK in JSON, XML, CSV, TSV (or an HTML table); CONSTRUCT/DESCRIBE in Turtle,
N-Triples, JSON-LD, RDF/XML, TriG, N-Quads (or HTML); by ``format=`` (also ``output=``, as
SPARQLWrapper sends it) or Accept; JSON and Turtle when the client does not say. A result cut
at the row limit carries ``X-Result-Truncated: true``. Without a query, GET answers the service
description (RDF) or, for a browser, the query page.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from icpc_kg.catalog import NamedQuery, bind_parameters
from icpc_kg.errors import (
    IcpcKgError,
    InputError,
    ParameterError,
    QueryTooLargeError,
    ReadOnlyError,
    UnsupportedFormatError,
)
from icpc_kg.executor import QueryRequest, SerializedResult
from icpc_kg.guards import InputLimits
from icpc_kg.server.conneg import (
    DOCUMENT_OFFERS,
    GRAPH_OFFERS,
    HTML,
    RESULT_OFFERS,
    Offer,
    choose,
    known_format,
)
from icpc_kg.server.inputs import (
    Params,
    content_length,
    decode_utf8,
    media_type,
    parse_pairs,
    query_params,
    read_body,
    too_large,
    values,
)
from icpc_kg.server.linked_data import context_url, render_rdf
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site
from icpc_kg.server.views import result_view
from icpc_kg.server.web_errors import UnauthorizedError, not_acceptable
from icpc_kg.sparql import QueryInfo, check_read_only_query, check_update
from icpc_kg.sparql_fetch import mentions_fetching

T = TypeVar("T")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORMAT_PARAMS = ("format", "output")

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)


@dataclass
class ProtocolRequest:
    """What a request to /sparql asks for."""

    operation: str  # query | update | none
    text: str = ""
    params: Params = field(default_factory=list)

    def dataset(self) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """(default graphs, named graphs) from the protocol parameters; (None, None) when
        neither is given (the union default graph and the query's own FROM clauses)."""
        defaults = tuple(values(self.params, "default-graph-uri"))
        named = tuple(values(self.params, "named-graph-uri"))
        for iri in (*defaults, *named):
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise InputError(f"graph IRI {iri!r} is not an absolute IRI") from None
        if not defaults and not named:
            return None, None
        return defaults, named

    def formats(self) -> list[str]:
        return format_values(self.params)


def format_values(params: Params) -> list[str]:
    """The ``format=`` / ``output=`` values; InputError when none of them names a format."""
    given = [v for name in FORMAT_PARAMS for v in values(params, name) if v.strip()]
    if given and not any(known_format(v) for v in given):
        raise InputError(
            f"unknown format {given[0]!r}; use json, xml, csv, tsv, html (SELECT/ASK) or "
            "turtle, ntriples, jsonld, rdfxml, trig, nquads, html (CONSTRUCT/DESCRIBE), "
            "or a media type"
        )
    return given


async def read_protocol_request(
    request: Request, max_body: int, max_query: int | None = None
) -> ProtocolRequest:
    """Parse a request to /sparql (see the module docstring); InputError for protocol
    mistakes (400), UnsupportedFormatError for a body type we do not read (415)."""
    params = query_params(request)
    if request.method in ("GET", "HEAD"):
        if values(params, "update"):
            raise InputError("SPARQL Update must be sent with POST, never GET")
        return _one_operation(params)
    kind, options = media_type(request.headers.get("content-type"))
    if not kind:
        raise InputError(
            "a POST to /sparql needs a Content-Type: application/x-www-form-urlencoded, "
            "application/sparql-query or application/sparql-update"
        )
    if kind == FORM:
        body = await read_body(request, max_body)
        decode_utf8(body, "form body", options.get("charset"))
        return _one_operation(params + parse_pairs(body, "form body"), required=True)
    if kind in (SPARQL_QUERY, SPARQL_UPDATE):
        operation = "query" if kind == SPARQL_QUERY else "update"
        for name in ("query", "update"):
            if values(params, name):
                raise InputError(
                    f"a {kind} POST carries the {operation} in its body; "
                    f"do not also give {name}= in the URL"
                )
        # The body is the query: one longer than --max-query is refused before it is read.
        length = content_length(request)
        if length is not None and length > max_body:
            raise too_large(max_body, length)
        if max_query is not None and length is not None and length > max_query:
            raise QueryTooLargeError(
                f"the {operation} is {length:,} bytes, over the limit of {max_query:,} bytes "
                "(raise it with --max-query)"
            )
        body = await read_body(request, min(max_body, max_query or max_body))
        text = decode_utf8(body, f"{operation} body", options.get("charset"))
        if not text.strip():
            raise InputError(f"the {operation} body is empty")
        return ProtocolRequest(operation, text, params)
    raise UnsupportedFormatError(
        f"cannot read a {kind} body; send application/x-www-form-urlencoded, "
        "application/sparql-query or application/sparql-update"
    )


def _one_operation(params: Params, required: bool = False) -> ProtocolRequest:
    queries = values(params, "query")
    updates = values(params, "update")
    if queries and updates:
        raise InputError("give either query= or update=, not both")
    for name, found in (("query", queries), ("update", updates)):
        if len(found) > 1:
            raise InputError(f"give exactly one {name}= parameter (got {len(found)})")
        if found:
            if not found[0].strip():
                raise InputError(f"the {name}= parameter is empty")
            return ProtocolRequest(name, found[0], params)
    if required:
        raise InputError("the form has no query= (or update=) parameter")
    return ProtocolRequest("none", "", params)


# --- answering queries ---------------------------------------------------------------------------


def offers_for(info: QueryInfo) -> tuple[Offer, ...]:
    return GRAPH_OFFERS if info.returns_graph else RESULT_OFFERS


INLINE_CHECK = 4096  # characters: checking a short query takes microseconds


async def off_the_loop(check: Callable[[str, InputLimits, int], T], site: Site, text: str) -> T:
    """``check(text, limits, max_query)``, once per request. A long query, or one that needs
    parsing (it mentions SERVICE or LOAD), is CPU work that must not hold up the event loop:
    it is checked in a thread; a short one costs less than the hop to a thread."""
    config = site.config
    if len(text) <= INLINE_CHECK and not mentions_fetching(text):
        return check(text, config.limits, config.max_query)
    return await anyio.to_thread.run_sync(check, text, config.limits, config.max_query)


async def checked_query(site: Site, text: str) -> QueryInfo:
    """The query's :class:`QueryInfo` once it passed every check (limits, SERVICE/LOAD,
    read-only)."""
    return await off_the_loop(check_read_only_query, site, text)


async def answer_query(site: Site, request: Request, proto: ProtocolRequest) -> Response:
    """Run a read-only query and send it in the negotiated format."""
    info = await checked_query(site, proto.text)  # 400 / 403 / 413 before anything runs
    offers = offers_for(info)
    offer = choose(offers, request.headers.get("accept"), proto.formats())
    if offer is None:
        raise not_acceptable(offers)
    defaults, named = proto.dataset()
    query = QueryRequest(
        proto.text,
        default_graphs=defaults,
        named_graphs=named,
        base_iri=site.config.base,
        max_rows=site.config.max_rows,
        serialize_as=None if offer is HTML else offer.name,
        info=info,
    )
    if offer is HTML:
        return await results_page(site, request, proto, query, info)
    result = await site.backend.run(query, site.config.timeout)
    assert isinstance(result, SerializedResult)
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(site.config.max_rows)
    return Response(result.body, 200, headers, media_type=offer.content_type)


async def results_page(
    site: Site, request: Request, proto: ProtocolRequest, query: QueryRequest, info: QueryInfo
) -> Response:
    """The query form and its answer as an HTML table (what the query page's form gets)."""
    lang = request_language(request)
    href = site.pages.href_for(request)
    started = time.perf_counter()
    table = error = None
    boolean: bool | None = None
    status = 200
    headers: dict[str, str] = {"Vary": "Accept, Accept-Language, Cookie"}
    try:
        result = await site.backend.run(query, site.config.timeout)
        table, boolean = result_view(result, href)
        if table is not None and table.truncated:
            headers["X-Result-Truncated"] = "true"
    except IcpcKgError as failure:
        error, status = failure, failure.http_status
    elapsed = (time.perf_counter() - started) * 1000
    return site.pages.render(
        request,
        "query.html",
        lang,
        "SPARQL",
        status=status,
        headers=headers,
        query_text=proto.text,
        examples=query_examples(site.catalog),
        table=table,
        boolean=boolean,
        error=error,
        elapsed_ms=round(elapsed),
        max_rows=site.config.max_rows,
        graph_query=info.returns_graph,
        download_formats=[o.name for o in offers_for(info) if o is not HTML],
        query_url=str(request.url.path),
        selected_format="html",
    )


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    sparql: str


def query_examples(catalog: dict[str, NamedQuery]) -> list[Example]:
    """The named queries as query-page examples, required parameters bound to their
    declared examples."""
    examples = []
    for query in catalog.values():
        raw = {p.name: p.example for p in query.params if p.required and p.example}
        try:
            text = bind_parameters(query, raw)
        except ParameterError:
            text = query.sparql
        examples.append(Example(query.name, query.title, query.description, text))
    return examples


async def query_page(site: Site, request: Request, proto: ProtocolRequest) -> Response:
    lang = request_language(request)
    examples = query_examples(site.catalog)
    chosen = next((e for e in examples if e.name == request.query_params.get("example")), None)
    text = chosen.sparql if chosen else (examples[0].sparql if examples else DEFAULT_QUERY)
    return site.pages.render(
        request,
        "query.html",
        lang,
        "SPARQL",
        headers={"Vary": "Accept, Accept-Language, Cookie"},
        query_text=text,
        examples=examples,
        table=None,
        boolean=None,
        error=None,
        elapsed_ms=None,
        max_rows=site.config.max_rows,
        graph_query=False,
        download_formats=[],
        query_url=str(request.url.path),
        selected_format="html",
    )


DEFAULT_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 25"


# --- the service description ---------------------------------------------------------------------


async def named_graphs(site: Site) -> list[str]:
    async def compute() -> list[str]:
        result = await site.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [g.value for (g,) in result.rows if isinstance(g, ox.NamedNode)]

    return await site.memo("named-graphs", compute)


async def service_description(site: Site) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint (canonical IRIs)."""
    service = ox.NamedNode(site.config.base + "sparql")
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    add(service, RDF_TYPE, ox.NamedNode(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    if site.config.updates_enabled:
        add(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Update"))
    add(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    for name in RESULT_FORMAT_IRIS:
        add(service, SD + "resultFormat", ox.NamedNode(FORMATS_NS + name))
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset"))
    add(
        dataset,
        "http://purl.org/dc/terms/description",
        ox.Literal("The default graph is the union of every named graph.", language="en"),
    )
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF_TYPE, ox.NamedNode(SD + "Graph"))
    for index, graph in enumerate(await named_graphs(site)):
        node = ox.BlankNode(f"graph{index}")
        add(dataset, SD + "namedGraph", node)
        add(node, RDF_TYPE, ox.NamedNode(SD + "NamedGraph"))
        add(node, SD + "name", ox.NamedNode(graph))
    return out


async def describe_service(site: Site, request: Request, proto: ProtocolRequest) -> Response:
    """GET /sparql without a query: the service description, or the query page."""
    offer = choose(DOCUMENT_OFFERS, request.headers.get("accept"), proto.formats())
    if offer is None:
        raise not_acceptable(DOCUMENT_OFFERS)
    if offer is HTML:
        return await query_page(site, request, proto)
    body = render_rdf(
        await service_description(site), offer, site.config, context_url=context_url(request)
    )
    return Response(body, 200, {"Vary": "Accept"}, media_type=offer.content_type)


# --- updates -------------------------------------------------------------------------------------


async def check_update_allowed(site: Site, request: Request, proto: ProtocolRequest) -> None:
    """Updates need ``--enable-update``, a token, and the right Bearer credentials; none may
    fetch a URL (LOAD, SERVICE: 400 whoever asks) or pass the limits."""
    await off_the_loop(check_update, site, proto.text)
    if not site.config.updates_enabled or not site.backend.can_update:
        raise ReadOnlyError("this service is read-only: SPARQL Update is not accepted here")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise UnauthorizedError("SPARQL Update needs 'Authorization: Bearer <token>'")
    expected = (site.config.update_token or "").encode("utf-8")
    # Header values arrive as Latin-1 text; compared as bytes, a token with any character is
    # simply wrong (compare_digest refuses non-ASCII str with a TypeError: a 500).
    offered = token.strip().encode("latin-1", "replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(offered, expected):
        raise UnauthorizedError("the update token is not valid", invalid=True)
    if values(proto.params, "using-graph-uri") or values(proto.params, "using-named-graph-uri"):
        raise InputError(
            "using-graph-uri and using-named-graph-uri are not supported; "
            "write USING / USING NAMED in the update itself"
        )


async def answer_update(site: Site, request: Request, proto: ProtocolRequest) -> Response:
    await check_update_allowed(site, request, proto)
    version = await site.backend.update(proto.text, site.config.timeout)
    return Response(status_code=204, headers={"X-Graph-Version": version})


async def sparql_endpoint(request: Request) -> Response:
    site: Site = request.app.state.site
    proto = await read_protocol_request(request, site.config.max_body, site.config.max_query)
    if proto.operation == "update":
        return await answer_update(site, request, proto)
    if proto.operation == "query":
        return await answer_query(site, request, proto)
    return await describe_service(site, request, proto)
