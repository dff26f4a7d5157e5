"""The draft: Turtle in the model of data/, every entity with its passages, deterministic,
and valid against the project's shapes -- for the two source documents and every page."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import DCTERMS, RDF

from icpc_kg.cli import main
from icpc_kg.extract import ExtractOptions, extract_pages
from icpc_kg.extract.pipeline import validate_draft
from icpc_kg.project import Project
from icpc_kg.vocab import ICPC, ID, OA, SCHEMA
from tests.extract.conftest import HELDOUT, PAGES

SOURCES = ("lunch-seminars.txt", "strategic-seminars.txt")
ALL_PAGES = sorted(p for p in [*PAGES.iterdir(), *HELDOUT] if p.name != "about-icpc.txt")


def draft(page: Path, project: Project, link: bool = False, url: str | None = None) -> rdflib.Graph:
    run = extract_pages([page], project, ExtractOptions(link=link, validate=False, url=url))
    return rdflib.Graph().parse(data=run.turtle, format="turtle")


@pytest.fixture(scope="module")
def lunch(project: Project) -> rdflib.Graph:
    return draft(
        project.sources_dir / "lunch-seminars.txt", project, url="https://example.org/lunch"
    )


def test_every_passage_quotes_the_text_at_its_offsets(
    lunch: rdflib.Graph, project: Project
) -> None:
    text = (project.sources_dir / "lunch-seminars.txt").read_text(encoding="utf-8")
    passages = list(lunch.subjects(RDF.type, ICPC.Passage))
    assert len(passages) > 10
    for passage in passages:
        exact = start = end = None
        for selector in lunch.objects(passage, OA.hasSelector):
            exact = lunch.value(selector, OA.exact) or exact
            start = (
                lunch.value(selector, OA.start)
                if lunch.value(selector, OA.start) is not None
                else start
            )
            end = (
                lunch.value(selector, OA.end) if lunch.value(selector, OA.end) is not None else end
            )
        assert str(exact) == text[int(start) : int(end)]  # type: ignore[arg-type]
        assert str(passage).endswith(f"-{int(start)}-{int(end)}")  # type: ignore[arg-type]


def test_every_entity_has_its_source_and_passages(lunch: rdflib.Graph) -> None:
    document = ID["document/lunch-seminars"]
    typed = {
        s
        for s, o in lunch.subject_objects(RDF.type)
        if o not in (ICPC.Passage, ICPC.SourceDocument)
    }
    typed = {s for s in typed if isinstance(s, rdflib.URIRef)}
    assert typed
    for entity in typed:
        assert (entity, DCTERMS.source, document) in lunch, entity
        assert lunch.value(entity, ICPC.statedIn) is not None, entity
    assert (document, SCHEMA.url, rdflib.URIRef("https://example.org/lunch")) in lunch
    assert (document, ICPC.localCopy, rdflib.Literal("data/sources/lunch-seminars.txt")) in lunch


def test_the_model_of_the_curated_data(lunch: rdflib.Graph) -> None:
    event = next(lunch.subjects(RDF.type, ICPC.MiniConference))
    assert lunch.value(event, SCHEMA.startDate) == rdflib.Literal(
        "2018-02-28T10:00:00", datatype=rdflib.XSD.dateTime
    )
    parts = set(lunch.objects(event, ICPC.hasEventPart))
    assert len(parts) == 2 and all((p, ICPC.eventPartOf, event) in lunch for p in parts)
    person = ID["person/pier-alexandre-lemaire"]
    membership = lunch.value(person, rdflib.URIRef("http://www.w3.org/ns/org#hasMembership"))
    assert membership == ID["membership/pier-alexandre-lemaire-icpc"]
    assert lunch.value(membership, ICPC.roleTitle) == rdflib.Literal(
        "Analyst and Project Officer", lang="en"
    )


def test_the_draft_is_deterministic(project: Project) -> None:
    page = PAGES / "colloquium-2019.html"
    first = extract_pages([page], project, ExtractOptions(link=False, validate=False)).turtle
    second = extract_pages([page], project, ExtractOptions(link=False, validate=False)).turtle
    assert first == second


def test_linked_entities_are_not_restated(project: Project) -> None:
    graph = draft(project.sources_dir / "lunch-seminars.txt", project, link=True)
    icpc = ID["org/icpc"]
    assert (icpc, SCHEMA.name, None) not in graph and (icpc, RDF.type, None) not in graph
    assert graph.value(icpc, ICPC.statedIn) is not None
    assert (ID["document/lunch-seminars"], SCHEMA.name, None) not in graph  # in the manifest


@pytest.mark.parametrize("source", SOURCES)
def test_drafts_of_the_source_documents_conform(project: Project, source: str) -> None:
    for link in (False, True):
        graph = draft(project.sources_dir / source, project, link=link)
        report = validate_draft(graph, project, with_data=link)
        assert report.conforms, [r.message() for r in report.violations()]


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.name)
def test_drafts_of_the_pages_conform(project: Project, page: Path) -> None:
    graph = draft(page, project)
    report = validate_draft(graph, project, with_data=False)
    assert report.conforms, [f"{r.focus} {r.message()}" for r in report.violations()]


def test_a_linked_draft_passes_icpc_kg_validate(project: Project, tmp_path: Path) -> None:
    target = tmp_path / "draft.ttl"
    run = extract_pages([PAGES / "training-dakar.txt"], project, ExtractOptions(validate=False))
    target.write_text(run.turtle, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 0, result.output


def test_a_page_with_nothing_to_extract_gives_an_empty_draft(project: Project) -> None:
    run = extract_pages([PAGES / "about-icpc.txt"], project, ExtractOptions(validate=False))
    assert len(rdflib.Graph().parse(data=run.turtle, format="turtle")) == 0
    assert run.summaries[0].empty
    assert "nothing to extract" in run.turtle
