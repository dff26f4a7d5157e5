"""Every error the server answers, in one shape: ``{"error": CODE, "message": ...}`` with the
HTTP status of the error class (see :mod:`icpc_kg.errors`), or the same status as an HTML page
for a browser, or as an RDF document (a comment / an empty graph) for a client that asked for
RDF. Anything that is not a deliberate error is logged with its traceback and answered with a
500 that says nothing about the internals."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from icpc_kg.errors import IcpcKgError
from icpc_kg.server.conneg import HTML, JSON, JSONLD, NTRIPLES, RDFXML, TURTLE, Offer, negotiate

log = logging.getLogger("icpc_kg.server")


class NotAcceptableError(IcpcKgError):
    code = "NOT_ACCEPTABLE"
    http_status = 406


class MethodNotAllowedError(IcpcKgError):
    code = "METHOD_NOT_ALLOWED"
    http_status = 405

    def __init__(self, message: str, allow: str) -> None:
        super().__init__(message)
        self.headers = {"Allow": allow}


class UnauthorizedError(IcpcKgError):
    code = "UNAUTHORIZED"
    http_status = 401

    def __init__(self, message: str, invalid: bool = False) -> None:
        super().__init__(message)
        # RFC 6750 3.1: a token that is not valid is a 401 too, saying so.
        error = ', error="invalid_token"' if invalid else ""
        self.headers = {"WWW-Authenticate": f'Bearer realm="icpc-kg"{error}'}


def not_acceptable(offers: tuple[Offer, ...] | list[Offer]) -> NotAcceptableError:
    types = ", ".join(dict.fromkeys(o.media_type for o in offers))
    return NotAcceptableError(f"none of the requested media types is available here; use {types}")


_HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "TOO_LARGE",
}


def error_json(code: str, message: str) -> bytes:
    return json.dumps({"error": code, "message": message}, ensure_ascii=False).encode("utf-8")


def _rdf_body(offer: Offer, code: str, message: str) -> bytes:
    comment = f"{code}: {message}".replace("\n", " ")
    if offer is TURTLE or offer is NTRIPLES:
        return f"# {comment}\n".encode()
    if offer is RDFXML:
        safe = comment.replace("--", "- -")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!-- ' + safe + " -->\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
        ).encode()
    # JSON-LD: the error shape is a JSON-LD document without context, i.e. an empty graph.
    return error_json(code, message)


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    offer: Offer | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error as the client wants to read it: ``offer`` when the route already negotiated
    one (an RDF format or HTML), else HTML for browsers and JSON for everything else."""
    if offer is None or offer not in (HTML, TURTLE, NTRIPLES, RDFXML, JSONLD):
        offer = negotiate(request.headers.get("accept"), (JSON, HTML)) or JSON
    extra = {"Vary": "Accept", **(headers or {})}  # the error's form follows Accept too
    if offer is HTML:
        site = getattr(request.app.state, "site", None)
        if site is not None:
            return site.pages.error_page(request, status, code, message, extra)
        body = f"<!doctype html><title>{status}</title><p>{code}</p>".encode()
        return Response(body, status, extra, media_type="text/html")
    if offer is JSON:
        return Response(error_json(code, message), status, extra, media_type="application/json")
    return Response(_rdf_body(offer, code, message), status, extra, media_type=offer.content_type)


def icpc_error_response(
    request: Request, error: IcpcKgError, offer: Offer | None = None
) -> Response:
    headers: dict[str, Any] = getattr(error, "headers", None) or {}
    return error_response(request, error.http_status, error.code, error.message, offer, headers)


async def handle_icpc_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IcpcKgError)
    if exc.http_status >= 500 and exc.code in ("ERROR", "PROJECT_ERROR"):
        log.error("server error on %s %s: %s", request.method, request.url.path, exc)
    return icpc_error_response(request, exc)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
    if exc.status_code == 404:
        message = f"nothing here: {request.url.path}"
    elif exc.status_code == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(request, exc.status_code, code, message, headers=exc.headers)


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(
        request, 500, "INTERNAL", "internal server error; the server log has the details"
    )


EXCEPTION_HANDLERS = {
    IcpcKgError: handle_icpc_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
