"""``/extract``: the review page of ``icpc-kg extract --review`` in the server. ``GET`` shows a
form; ``POST`` takes a page (a form's ``page`` field, or the body itself as ``text/html`` or
``text/plain``), extracts it as the command does (linked to the served project's data) and
shows its text with every entity highlighted, its relations, open questions and the draft's
shape warnings.

Nothing is fetched (a page's links stay text) and nothing is written. The body is capped by
``--max-body`` (413); the extraction runs in a child process, one at a time, and is stopped
after ``--timeout`` seconds (503), so a hostile page costs a bounded time and the server and
its query workers stay free for everyone else.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from icpc_kg.errors import IcpcKgError, InputError, ProjectError, QueryTimeoutError
from icpc_kg.extract.review import KINDS, ReviewView
from icpc_kg.server.inputs import decode_utf8, media_type, parse_pairs, read_body, single
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site

FORM = "application/x-www-form-urlencoded"
PAGE_TYPES = {
    "text/html": "page.html",
    "application/xhtml+xml": "page.html",
    "text/plain": "page.txt",
}

_one_at_a_time: dict[int, asyncio.Semaphore] = {}


def _semaphore() -> asyncio.Semaphore:
    loop = id(asyncio.get_running_loop())
    return _one_at_a_time.setdefault(loop, asyncio.Semaphore(1))


def review_page(data: bytes, name: str, lang: str, root: str, max_bytes: int) -> list[ReviewView]:
    """Extract one page and return its review (runs in the child process)."""
    from icpc_kg.extract import ExtractOptions, extract_document
    from icpc_kg.extract.document import document_from_bytes
    from icpc_kg.extract.linking import KnownGraph
    from icpc_kg.extract.review import review_view
    from icpc_kg.project import find_project

    project = find_project(Path(root))
    doc = document_from_bytes(data, name, max_bytes=max_bytes, lang=lang)
    known = KnownGraph.load(project, with_data=True)
    result = extract_document(doc, project, known, ExtractOptions(lang=lang))
    return [review_view(result)]


def _child(connection: Connection, args: tuple[Any, ...]) -> None:
    try:
        connection.send(("ok", review_page(*args)))
    except IcpcKgError as error:
        connection.send(("error", type(error).__name__, str(error)))
    finally:
        connection.close()


def review_apart(args: tuple[Any, ...], timeout: float) -> list[ReviewView]:
    """:func:`review_page` in a spawned process, stopped after ``timeout`` seconds."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeoutError(
                f"the extraction ran for more than {timeout:g} s and was stopped; "
                "try a smaller page"
            )
        try:
            answer = receiver.recv()
        except EOFError as error:
            raise InputError("the extraction of this page failed") from error
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if answer[0] == "ok":
        views: list[ReviewView] = answer[1]
        return views
    _status, kind, message = answer
    if kind in ("InputTooLargeError", "InputError", "UnsupportedFormatError"):
        raise InputError(message)
    raise ProjectError(message)


async def read_page(request: Request, max_body: int) -> tuple[bytes, str, str, str]:
    """The submitted page, the file name its format implies, its language and format."""
    kind, options = media_type(request.headers.get("content-type"))
    body = await read_body(request, max_body)
    if kind == FORM:
        decode_utf8(body, "form body", options.get("charset"))
        fields = parse_pairs(body, "form body")
        page = single(fields, "page") or ""
        fmt = single(fields, "format") or "auto"
        lang = single(fields, "lang") or "auto"
        if not page.strip():
            raise InputError("the form's page field is empty: paste the page's HTML or text")
        if fmt not in ("auto", "html", "text") or lang not in ("auto", "en", "fr"):
            raise InputError("format is one of auto, html, text; lang one of auto, en, fr")
        name = {"html": "page.html", "text": "page.txt"}.get(fmt, "page")
        return page.encode("utf-8"), name, lang, fmt
    if kind not in PAGE_TYPES:
        raise InputError(
            "POST /extract takes a form (page=...) or a page as text/html or text/plain"
        )
    lang = request.query_params.get("lang", "auto")
    if lang not in ("auto", "en", "fr"):
        raise InputError("lang is one of auto, en, fr")
    return body, PAGE_TYPES[kind], lang, "auto"


async def extract_page(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = request_language(request)
    project = site.config.project
    max_kib = site.config.max_body // 1024
    if request.method in ("GET", "HEAD"):
        return site.pages.render(
            request,
            "extract.html",
            lang,
            "Extract",
            views=None,
            page_text="",
            page_format="auto",
            page_lang="auto",
            kinds=KINDS,
            max_kib=max_kib,
        )
    if project is None:
        raise ProjectError("this server has no project folder to extract against")
    data, name, page_lang, fmt = await read_page(request, site.config.max_body)
    args = (data, name, page_lang, str(project.root), site.config.max_body)
    async with _semaphore():
        views = await anyio.to_thread.run_sync(lambda: review_apart(args, site.config.timeout))
    return site.pages.render(
        request,
        "extract.html",
        lang,
        "Extract",
        views=views,
        page_text=data.decode("utf-8", "replace") if fmt != "auto" or name != "page.html" else "",
        page_format=fmt,
        page_lang=page_lang,
        kinds=KINDS,
        max_kib=max_kib,
    )
