"""``POST /validate``: check a contribution against the served graph, as ``icpc-kg validate``
does, and answer its report as JSON (the default), Turtle or JSON-LD (``sh:ValidationReport``),
plain text or HTML, by Accept.

The body's Content-Type picks the parser (``text/turtle``, ``application/ld+json``, ...); a
browser form (``application/x-www-form-urlencoded``) sends the data and its format as fields.
The body is capped by ``--max-body`` (413). Validation reads the graph through the store seam
(so ``serve --store`` checks against the external store), reasons over the contribution's
neighbourhood only, and writes nothing. It is CPU work in a thread, one at a time, so queries
keep being answered by their worker processes meanwhile.
"""

from __future__ import annotations

import asyncio

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from icpc_kg.contribution.model import ContributionInput, ContributionReport
from icpc_kg.contribution.render import render_json, render_text, render_turtle, report_triples
from icpc_kg.contribution.validate import validate_contribution
from icpc_kg.errors import InputError, ProjectError, UnsupportedFormatError
from icpc_kg.rdfio import FORMATS, format_named
from icpc_kg.results import display_term
from icpc_kg.server.conneg import HTML, JSON, JSONLD, TURTLE, Offer, negotiate
from icpc_kg.server.inputs import decode_utf8, media_type, parse_pairs, read_body, single
from icpc_kg.server.linked_data import context_url, render_rdf
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site
from icpc_kg.server.web_errors import not_acceptable

TEXT = Offer("text", "text/plain")
REPORT_OFFERS = (JSON, TURTLE, JSONLD, HTML, TEXT)
FORM = "application/x-www-form-urlencoded"
SOURCE = "<request body>"

_one_at_a_time: dict[int, asyncio.Semaphore] = {}


def _semaphore() -> asyncio.Semaphore:
    loop = id(asyncio.get_running_loop())
    return _one_at_a_time.setdefault(loop, asyncio.Semaphore(1))


async def read_contribution(request: Request, max_body: int) -> tuple[ContributionInput, bool]:
    """The submitted document and whether ``strict`` was asked for."""
    kind, options = media_type(request.headers.get("content-type"))
    strict = request.query_params.get("strict", "").lower() in ("1", "true", "yes", "on")
    if not kind:
        raise UnsupportedFormatError(
            "POST /validate needs a Content-Type naming the RDF syntax of the body, e.g. "
            "text/turtle or application/ld+json"
        )
    body = await read_body(request, max_body)
    if kind == FORM:
        decode_utf8(body, "form body", options.get("charset"))
        fields = parse_pairs(body, "form body")
        data = single(fields, "data") or ""
        fmt = single(fields, "format") or "turtle"
        strict = strict or (single(fields, "strict") or "") in ("1", "true", "on")
        if not data.strip():
            raise InputError("the form's data field is empty: paste the RDF to check")
        return ContributionInput.from_bytes(data.encode("utf-8"), fmt, SOURCE), strict
    info = format_named(kind)  # UnsupportedFormatError lists the syntaxes it knows
    return ContributionInput.from_bytes(body, info.name, SOURCE), strict


async def validate(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = request_language(request)
    if request.method in ("GET", "HEAD"):
        return site.pages.render(
            request, "validate.html", lang, "Validate", report=None, formats=list(FORMATS)
        )
    offer = negotiate(request.headers.get("accept"), REPORT_OFFERS)
    if offer is None:
        raise not_acceptable(REPORT_OFFERS)
    project = site.config.project
    if project is None:
        raise ProjectError("this server has no project folder to validate against")
    contribution, strict = await read_contribution(request, site.config.max_body)
    async with _semaphore():
        report = await anyio.to_thread.run_sync(
            lambda: validate_contribution(
                [contribution],
                site.backend.store,
                project,
                max_bytes=site.config.max_body,
                timeout=site.config.timeout,
                base=site.config.base,
                limits=site.config.limits,
            )
        )
    headers = {"Vary": "Accept", "X-Conforms": "true" if report.conforms else "false"}
    if offer is HTML:
        return site.pages.render(
            request,
            "validate.html",
            lang,
            "Validate",
            headers=headers,
            report=report_view(report, lang),
            formats=list(FORMATS),
            verdict=render_text(report, lang, strict).rstrip().splitlines()[-1],
            passes=report.passes(strict),
        )
    if offer is TURTLE:
        body = render_turtle(report)
    elif offer is JSONLD:  # the same sh:ValidationReport graph, naming this server's context
        triples = report_triples(report)
        body = render_rdf(triples, JSONLD, site.config, context_url=context_url(request)).decode()
    elif offer is TEXT:
        body = render_text(report, lang, strict)
    else:
        body = render_json(report, strict)
    return Response(body.encode("utf-8"), 200, headers, media_type=offer.content_type)


def report_view(report: ContributionReport, lang: str) -> list[dict[str, str]]:
    """The report's results as table rows, in the order the text report gives them."""
    return [
        {
            "where": str(result.position) if result.position else SOURCE,
            "severity": result.severity,
            "rule": result.rule_id,
            "focus": display_term(result.focus),
            "path": display_term(result.path) if result.path else "",
            "value": display_term(result.value) if result.value is not None else "",
            "message": result.message(lang),
        }
        for result in report.sorted_results()
    ]
