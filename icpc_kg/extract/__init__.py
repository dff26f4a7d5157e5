"""Turn an ICPC page (plain text or HTML, English or French) into draft Turtle in the model of
data/, with a summary of what was found, linked, new and unresolved.

    run = extract_pages(["page.html"], find_project(), ExtractOptions(url="https://..."))
    run.turtle, run.summaries[0].counts

One module per step: :mod:`.document` (reading), :mod:`.dates`, :mod:`.places`,
:mod:`.organisations`, :mod:`.people`, :mod:`.events`, :mod:`.publications`,
:mod:`.relations`, :mod:`.themes`, :mod:`.linking` (the graph's entities and IRIs),
:mod:`.draft` (graph and Turtle), :mod:`.summary`; :mod:`.pipeline` runs them in order.
"""

from __future__ import annotations

from icpc_kg.extract.pipeline import (
    DocumentResult,
    ExtractionRun,
    ExtractOptions,
    extract_document,
    extract_pages,
    validate_draft,
)

__all__ = [
    "DocumentResult",
    "ExtractOptions",
    "ExtractionRun",
    "extract_document",
    "extract_pages",
    "validate_draft",
]
