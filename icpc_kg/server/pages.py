"""HTML pages for people: Jinja2 templates (autoescaping on) over view models, in English or
French. Every page has the same layout (``templates/base.html``): navigation, the language
switch, and the page's schema.org JSON-LD in a ``<script type="application/ld+json">`` whose
text cannot close the script element.

The data a page shows comes from SPARQL through the store (:mod:`icpc_kg.server.page_data`);
the pages work without JavaScript (only the query page uses a little, and its form works
without it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from icpc_kg import __version__
from icpc_kg.server.i18n import LANG_COOKIE, LANGUAGES, choose_language, text
from icpc_kg.server.site import Site
from icpc_kg.vocab import shrink

TEMPLATES = Path(__file__).resolve().parent / "templates"

NAV = (
    ("events", "/events"),
    ("organisations", "/organisations"),
    ("people", "/people"),
    ("publications", "/publications"),
    ("themes", "/themes"),
    ("query", "/sparql"),
    ("api", "/api"),
    ("ontology", "/ontology"),
    ("downloads", "/dumps/"),
)


def script_json(data: Any) -> Markup:
    """JSON for inside ``<script>``: ``<``, ``>`` and ``&`` escaped as ``\\u`` sequences, so no
    value can end the element (``</script>``) or open a comment."""
    raw = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    safe = raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    safe = safe.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(safe)


def request_language(request: Request) -> str:
    return choose_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


class Pages:
    """Renders templates for one site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # --- rendering --------------------------------------------------------------------------

    def root(self, request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    def href_for(self, request: Request) -> Any:
        root = self.root(request)
        return lambda iri: self.site.href(iri, root)

    def render_text(
        self,
        request: Request,
        template: str,
        lang: str,
        title: str,
        jsonld: Any = None,
        alternates: list[tuple[str, str, str]] | None = None,
        **data: Any,
    ) -> str:
        """The page ``template`` in ``lang`` with the site's layout around it."""
        root = self.root(request)
        other = "fr" if lang == "en" else "en"
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        switch = f"{request.url.path}?{urlencode([*params, ('lang', other)])}"
        context = {
            "lang": lang,
            "other_lang": other,
            "switch_url": switch,
            "t": lambda key, **values: text(key, lang, **values),
            "root": root,
            "href": lambda iri: self.site.href(iri, root),
            "shrink": shrink,
            "title": title,
            "jsonld": script_json(jsonld) if jsonld is not None else None,
            "alternates": alternates or [],
            "nav": NAV,
            "version": __version__,
            "graph_version": self.site.version[:12],
            "languages": LANGUAGES,
            **data,
        }
        return self.env.get_template(template).render(context)

    def html(
        self,
        request: Request,
        body: str | bytes,
        lang: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """An HTML response; a ``?lang=`` choice is remembered in a cookie."""
        response = HTMLResponse(body, status, headers)
        response.headers["Content-Language"] = lang
        given = request.query_params.get("lang")
        if given and given.lower() in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE, given.lower(), max_age=365 * 24 * 3600, samesite="lax", path="/"
            )
        return response

    def render(
        self,
        request: Request,
        template: str,
        lang: str,
        title: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **data: Any,
    ) -> Response:
        body = self.render_text(request, template, lang, title, **data)
        return self.html(request, body, lang, status, headers)

    def error_page(
        self, request: Request, status: int, code: str, message: str, headers: dict[str, str]
    ) -> Response:
        lang = request_language(request)
        return self.render(
            request,
            "error.html",
            lang,
            f"{status} {code}",
            status=status,
            headers=headers,
            status_code=status,
            code=code,
            message=message,
        )

    async def namer(self, lang: str) -> Any:
        labels = await self.site.term_labels()
        return lambda iri: self.site.term_name(iri, lang, labels)
