"""The project's JSON-LD context: where it is read from, how a document names it, and the
offline document loader that stands in for fetching it.

The context (``ontology/context.jsonld``, version = the package's, which a test checks) has
a published URL, ``https://w3id.org/icpc-kg/context.jsonld`` (:data:`CONTEXT_URL`). That URL
is a promise for the day the w3id redirect exists: a processor that tries to fetch it today
gets nothing, and one with no network (rdflib's parser in a sandbox, a harvester behind a
proxy) cannot expand a document that only names it. So a document says where its context
really is (:func:`stated_context`):

- ``icpc-kg export`` embeds the context object by default, so the file stands alone;
  ``--context-url URL`` names a URL instead (the published one, or a portal's own copy).
- The server names the context it serves itself, ``{host}/context.jsonld``
  (:func:`served_context_url`), which is the same file the document was compacted with.

Compaction and framing always use the local context object; only the ``@context`` value the
document carries changes. Nothing here touches the network: :func:`offline_document_loader`
serves the project context for its URLs and refuses every other.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyld import jsonld

from icpc_kg.errors import UnsafeInputError
from icpc_kg.project import BUNDLED_CONTENT, SOURCE_CHECKOUT
from icpc_kg.rdfio import CONTEXT_URLS

CONTEXT_URL = CONTEXT_URLS[0]
CONTEXT_PATH = "context.jsonld"  # where a server serves it, under its root

JsonObject = dict[str, Any]

SCHEMA_ORG = "http://schema.org/"

# The context of the schema.org JSON-LD a web page embeds, inline so that any processor
# expands it offline: schema.org terms as bare names under the IRIs schema.org's own context
# gives them (http://schema.org/), no default language (the strings are in the page's
# language, which the page states), and the URL-valued properties the pages use as IRIs.
SCHEMA_PAGE_CONTEXT: JsonObject = {
    "@vocab": SCHEMA_ORG,
    **{
        name: {"@id": SCHEMA_ORG + name, "@type": "@id"}
        for name in ("url", "license", "contentUrl", "sameAs")
    },
}


def default_context_file() -> Path:
    """``ontology/context.jsonld`` of the source checkout, else of the installed package."""
    for root in (SOURCE_CHECKOUT, BUNDLED_CONTENT):
        path = root / "ontology" / "context.jsonld"
        if path.is_file():
            return path
    raise FileNotFoundError("ontology/context.jsonld is missing from the package")


def context_file_or_default(path: Path | None) -> Path:
    """``path`` if it is a file, else the package's context: the file a server both
    compacts with and serves at ``/context.jsonld``."""
    return path if path is not None and path.is_file() else default_context_file()


def read_context_document(path: Path | None = None) -> JsonObject:
    """The whole context document: ``version``, ``url``, ``description`` and ``@context``."""
    document: JsonObject = json.loads((path or default_context_file()).read_text("utf-8"))
    return document


def served_context_url(root_url: str) -> str:
    """The URL of the context a server at ``root_url`` (its scheme, host and root path,
    ending in ``/``) serves: what its JSON-LD documents name."""
    return root_url.rstrip("/") + "/" + CONTEXT_PATH


def stated_context(
    reference: Any, context_document: JsonObject, context_url: str | None = None
) -> Any:
    """The ``@context`` value a document carries for ``reference`` (what it was compacted
    with): each mention of the project context becomes ``context_url`` or, without one, the
    context object itself; inline contexts (the schema profile's) stay as they are."""
    if isinstance(reference, str) and reference in CONTEXT_URLS:
        return context_url if context_url is not None else context_document["@context"]
    if isinstance(reference, list):
        return [stated_context(item, context_document, context_url) for item in reference]
    return reference


def offline_document_loader(context_document: JsonObject) -> Callable[..., JsonObject]:
    """A pyld document loader that serves the project context and refuses any other URL."""

    def load(url: str, options: Any = None) -> JsonObject:
        if url in CONTEXT_URLS:
            return {"contextUrl": None, "documentUrl": url, "document": context_document}
        raise jsonld.JsonLdError(
            f"refusing to fetch {url}: only the project context {CONTEXT_URL} is available",
            "jsonld.LoadDocumentError",
            code="loading remote context failed",
        )

    return load


def resolve_context(reference: Any, context_document: JsonObject) -> JsonObject:
    """The local context object a ``@context`` value stands for (the project URL, an object,
    or a list of them, later entries overriding earlier ones)."""
    if isinstance(reference, str):
        if reference not in CONTEXT_URLS:
            raise UnsafeInputError(f"remote JSON-LD @context {reference!r} is refused")
        resolved: JsonObject = context_document["@context"]
        return resolved
    if isinstance(reference, list):
        merged: JsonObject = {}
        for item in reference:
            merged.update(resolve_context(item, context_document))
        return merged
    if isinstance(reference, dict):
        return reference
    return {}
