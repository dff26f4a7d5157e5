"""Which IRIs a page may turn into links: http(s) and mailto, and this server's own paths.

Any other IRI (``javascript:``, ``data:``, ``vbscript:``, ``file:``, ``urn:``...) is shown as
text. An IRI in the graph or in a query answer is data anyone may have written (a query can
make one with ``BIND(IRI("javascript:..."))``), so a link is never made from it unless
clicking it can only navigate. Every page builds its links through :func:`clickable`
(:meth:`icpc_kg.server.site.Site.href`), and the Content-Security-Policy that
:mod:`icpc_kg.server.request_guard` sends stops inline script besides.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def clickable(target: str) -> str | None:
    """``target`` when a link to it is safe to follow (http, https, mailto, or a path or
    fragment of this site), else None."""
    if target.startswith(("/", "#")) and not target.startswith("//"):
        return target
    try:
        scheme = urlsplit(target.strip()).scheme.lower()
    except ValueError:
        return None
    return target if scheme in LINK_SCHEMES else None
