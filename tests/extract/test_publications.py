"""Publications and studies: titles, kinds, dates, publishers, parts, recordings, and the
events they came from."""

from __future__ import annotations

from collections.abc import Callable

from icpc_kg.extract.model import Extraction
from tests.extract.conftest import entity_named, related


def test_a_named_tool_kit_and_its_thematic_papers(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nIn March 2002, the ICPC launched a new Tool Kit called The Role of the Police in "
        "Crime Prevention (available for download here). The Kit is a collection of thematic "
        'papers including: "Police and Community"; and "Creating Change".\n'
    )
    kit = entity_named(x, "The Role of the Police in Crime Prevention")
    assert kit.cls == "ToolKit"
    assert kit.fact("datePublished").lexical == "2002-03"
    assert related(x, "The Role of the Police in Crime Prevention", "schema:publisher") == ["ICPC"]
    assert related(x, "The Role of the Police in Crime Prevention", "icpc:hasPart") == [
        "Creating Change",
        "Police and Community",
    ]
    assert entity_named(x, "Creating Change").cls == "ThematicPaper"


def test_titles_following_events(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Page\n\nThe ICPC Policing seminars\n\nFirst seminar, Montreal, November 1998\n\n"
        "Second seminar, Birmingham, December 1999\n\n"
        "Two publications have been produced as a result (Police Work: Synthesis Report following "
        "the first seminar and Good Police Practices: Partnerships following the second seminar).\n"
    )
    report = entity_named(x, "Police Work: Synthesis Report")
    assert report.cls == "SynthesisReport"
    assert related(x, "Police Work: Synthesis Report", "icpc:followsEvent") == ["First seminar"]
    assert related(x, "Good Police Practices: Partnerships", "icpc:followsEvent") == [
        "Second seminar"
    ]


def test_quoted_titles_with_years_publishers_and_funders(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        'Page\n\nFollowing the training, ICPC and AFD published a report, "Safety Audits in West '
        'Africa: Lessons from Dakar" (2016), funded by AFD. '
        "The French Development Agency (AFD) helped.\n"
    )
    title = "Safety Audits in West Africa: Lessons from Dakar"
    report = entity_named(x, title)
    assert (report.cls, report.fact("datePublished").lexical) == ("Report", "2016")
    assert related(x, title, "schema:publisher") == ["French Development Agency", "ICPC"]
    assert related(x, title, "icpc:funder") == ["French Development Agency"]


def test_a_described_guide_and_the_study_it_came_from(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nIn 2015, ICPC carried out a study on coordination in Latin America. This project "
        "led to the development of a coordination guide, "
        "funded by the Motorola Solutions Foundation.\n"
    )
    guide = entity_named(x, "Coordination guide")
    assert guide.cls == "Guide"
    assert related(x, "Coordination guide", "icpc:funder") == ["Motorola Solutions Foundation"]
    study = entity_named(x, "Study on coordination in Latin America")
    assert study.fact("date").lexical == "2015"
    assert related(x, "Study on coordination in Latin America", "dcterms:spatial") == [
        "Latin America"
    ]
    assert related(x, "Coordination guide", "icpc:resultOf") == [
        "Study on coordination in Latin America"
    ]


def test_recordings_in_a_language_matched_to_the_parts(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Seminar\n\nICPC Lunch Seminar on 3 May 2018\n\n"
        "  1. Safety audits in practice\n\nPresented by Ann Roe, Analyst at ICPC.\n\n"
        "  2. Evaluating coordination\n\nPresented by Bob Lee, Officer at ICPC.\n\n"
        "This presentation is available online (in French) in two parts:\n\n"
        "Safety audits: practice\n\nEvaluating coordination\n"
    )
    recordings = {
        e.name: (
            e.fact("inLanguage"),
            [x.entities[o].name for o in x.objects(e.key, "icpc:recordingOf")],
        )
        for e in x.of_class("PresentationRecording")
    }
    assert recordings["Safety audits: practice"] == ("fr", ["Safety audits in practice"])
    assert recordings["Evaluating coordination"] == ("fr", ["Evaluating coordination"])


def test_a_page_about_a_publication(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Report\n\nInternational Report on Crime Prevention 2018\n\nIn November 2018, ICPC "
        "published its International Report on Crime Prevention, with the support of the "
        "Government of Canada, and includes two thematic papers:\n\n"
        '• "Prevention in small towns"\n• "Youth and social media"\n'
    )
    report = entity_named(x, "International Report on Crime Prevention 2018")
    assert report.fact("datePublished").lexical == "2018-11"
    assert related(x, "International Report on Crime Prevention 2018", "icpc:supporter") == [
        "Government of Canada"
    ]
    assert related(x, "International Report on Crime Prevention 2018", "icpc:hasPart") == [
        "Prevention in small towns",
        "Youth and social media",
    ]
