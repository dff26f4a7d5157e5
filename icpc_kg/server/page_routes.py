"""The HTML index pages: home, events timeline, organisation/people/publication indexes, the
theme browser and label search. Each is cached per (page, language, graph version)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from icpc_kg.jsonld_context import SCHEMA_PAGE_CONTEXT
from icpc_kg.server.i18n import text
from icpc_kg.server.page_data import (
    ICPC,
    class_index,
    dataset_jsonld,
    events_timeline,
    home_counts,
    search,
    theme_tree,
)
from icpc_kg.server.pages import request_language
from icpc_kg.server.site import Site

HTML_HEADERS = {"Vary": "Accept-Language, Cookie", "Cache-Control": "public, max-age=60"}


async def cached_page(
    request: Request, name: str, render: Callable[[Site, str], Awaitable[str]]
) -> Response:
    site: Site = request.app.state.site
    lang = request_language(request)
    key = ("page", name, lang, str(request.base_url), site.version)

    async def compute() -> bytes:
        return (await render(site, lang)).encode("utf-8")

    body = await site.cached(key, compute)
    return site.pages.html(request, body, lang, 200, dict(HTML_HEADERS))


async def home(request: Request) -> Response:
    async def render(site: Site, lang: str) -> str:
        counts = await home_counts(site)
        jsonld = dataset_jsonld(site, request, text("site_title", lang), text("site_tagline", lang))
        return site.pages.render_text(
            request, "home.html", lang, text("site_title", lang), jsonld=jsonld, counts=counts
        )

    return await cached_page(request, "home", render)


async def events(request: Request) -> Response:
    async def render(site: Site, lang: str) -> str:
        timeline, series = await events_timeline(site, lang, site.pages.href_for(request))
        jsonld = {
            "@context": SCHEMA_PAGE_CONTEXT,
            "@type": "ItemList",
            "name": text("events_timeline", lang),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": i + 1,
                    "item": {"@id": e.iri, "@type": "Event", "name": e.label, "startDate": e.start},
                }
                for i, e in enumerate(e for _, items in timeline for e in items)
            ],
        }
        return site.pages.render_text(
            request,
            "events.html",
            lang,
            text("events_timeline", lang),
            jsonld=jsonld,
            timeline=timeline,
            series=series,
        )

    return await cached_page(request, "events", render)


def class_page(name: str, cls: str, schema_type: str, title_key: str, detail: str | None = None):
    """A page listing the members of one class."""

    async def handler(request: Request) -> Response:
        async def render(site: Site, lang: str) -> str:
            items = await class_index(site, cls, lang, detail)
            jsonld = {
                "@context": SCHEMA_PAGE_CONTEXT,
                "@type": "ItemList",
                "name": text(title_key, lang),
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": i + 1,
                        "item": {"@id": item.iri, "@type": schema_type, "name": item.label},
                    }
                    for i, item in enumerate(items)
                ],
            }
            return site.pages.render_text(
                request, "list.html", lang, text(title_key, lang), jsonld=jsonld, items=items
            )

        return await cached_page(request, name, render)

    return handler


organisations = class_page(
    "organisations", ICPC + "Organization", "Organization", "organisations", ICPC + "acronym"
)
people = class_page("people", ICPC + "Person", "Person", "people", ICPC + "jobTitle")
publications = class_page(
    "publications",
    ICPC + "Publication",
    "CreativeWork",
    "publications",
    "http://schema.org/datePublished",
)


async def themes(request: Request) -> Response:
    async def render(site: Site, lang: str) -> str:
        schemes = await theme_tree(site, lang)
        jsonld = [
            {
                "@context": SCHEMA_PAGE_CONTEXT,
                "@type": "DefinedTermSet",
                "@id": scheme.iri,
                "name": scheme.label,
            }
            for scheme in schemes
        ]
        return site.pages.render_text(
            request, "themes.html", lang, text("themes", lang), jsonld=jsonld, schemes=schemes
        )

    return await cached_page(request, "themes", render)


async def search_page(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = request_language(request)
    query = request.query_params.get("q", "").strip()[:200]
    hits = await search(site, query, lang) if query else []
    jsonld = {
        "@context": SCHEMA_PAGE_CONTEXT,
        "@type": "SearchResultsPage",
        "name": f"{text('search', lang)}: {query}" if query else text("search", lang),
    }
    return site.pages.render(
        request,
        "search.html",
        lang,
        text("search", lang),
        headers={"Vary": "Accept-Language, Cookie"},
        jsonld=jsonld,
        q=query,
        hits=hits,
    )
