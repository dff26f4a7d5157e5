"""Turn an ICPC page (plain text or HTML, English or French) into draft Turtle in the model of
data/, with a summary of what was found, linked, new and unresolved.

    run = extract_pages(["page.html"], find_project(), ExtractOptions(url="https://..."))
    run.turtle, run.summaries[0].counts

One module per step: :mod:`.document` (reading; :mod:`.blocks`, :mod:`.html_text`,
:mod:`.sentences`), :mod:`.dates` and :mod:`.times`, :mod:`.places`, :mod:`.organisations`
(:mod:`.org_names`, :mod:`.org_phrases`, :mod:`.org_mentions`, :mod:`.org_entities`),
:mod:`.people` (:mod:`.person_names`, :mod:`.people_lists`, :mod:`.people_entities`),
:mod:`.events` (:mod:`.event_kinds`, :mod:`.event_state`, :mod:`.event_headings`,
:mod:`.event_lists`, :mod:`.event_sentences`, :mod:`.event_mentions`), :mod:`.publications`
(:mod:`.publication_kinds`, :mod:`.publication_titles`, :mod:`.publication_parts`),
:mod:`.relations`, :mod:`.themes`, :mod:`.linking` (the graph's entities and IRIs),
:mod:`.draft` (graph and Turtle), :mod:`.summary`, :mod:`.review` (the review page);
:mod:`.pipeline` runs them in order. The word lists the rules use are data files in
``lexicons/`` (:mod:`.lexicon`); :mod:`.scoring` and :mod:`.annotations` measure a draft.
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
