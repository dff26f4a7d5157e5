"""Every named query in queries/: a well-formed header, valid SPARQL, and its answer on the
bundled, reasoned graph pinned row by row (default graph = union of all graphs)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from icpc_kg.catalog import NamedQuery, bind_parameters, load_catalog, load_query
from icpc_kg.load import LoadedDataset
from icpc_kg.project import Project
from icpc_kg.vocab import shrink

REPO = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted((REPO / "queries").glob("*.rq"), key=lambda p: p.stem)
XSD = "http://www.w3.org/2001/XMLSchema#"
PLAIN = (XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")

MONTREAL_1998 = "id:event/policing-for-prevention-1998-montreal"
BIRMINGHAM_1999 = "id:event/policing-for-prevention-1999-birmingham"
WASHINGTON_2001 = "id:event/policing-for-prevention-2001-washington"
MINI_CONFERENCE = "id:event/coordination-mini-conference-2018"
SERIES = "id:series/policing-for-prevention"
TOOL_KIT = "id:publication/role-of-the-police-in-crime-prevention-tool-kit"
SYNTHESIS = "id:publication/role-of-the-police-in-crime-prevention-synthesis-report"
INSPIRING = "id:publication/inspiring-police-practices-crime-prevention-partnerships"
THIRD = "id:publication/policing-for-prevention-third-publication"
RECORDING = "id:publication/coordination-mini-conference-2018-presentation"
ICPC = "International Centre for the Prevention of Crime"


@pytest.fixture(scope="module")
def catalog(project: Project) -> dict[str, NamedQuery]:
    return load_catalog(project.queries_dir)


def show(term: Any) -> Any:
    """A term as the tests write it: ``id:...`` for IRIs, the text of plain and tagged
    strings, an int for integers and ``value^^xsd:type`` for other typed literals."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return shrink(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in PLAIN:
            return term.value
        if datatype == XSD + "integer":
            return int(term.value)
        return f"{term.value}^^{shrink(datatype)}"
    return str(term)


def run(assembled: LoadedDataset, query: NamedQuery, params: dict[str, str]) -> Any:
    return assembled.store.query(bind_parameters(query, params), use_default_graph_as_union=True)


def select(
    assembled: LoadedDataset, catalog: dict[str, NamedQuery], name: str, **params: str
) -> list[dict[str, Any]]:
    """The rows of a named SELECT query, each as {variable: raw pyoxigraph term}."""
    solutions = run(assembled, catalog[name], params)
    names = [v.value for v in solutions.variables]
    return [{n: s[n] for n in names} for s in solutions]


def table(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(show(row[c]) for c in columns) for row in rows]


def parts(value: Any) -> set[str]:
    """The items of a GROUP_CONCAT column (whose order SPARQL leaves open)."""
    text = show(value)
    return set(text.split("; ")) if text else set()


# --- every file -------------------------------------------------------------------------------


def test_the_catalog_answers_the_questions_people_ask(catalog: dict[str, NamedQuery]) -> None:
    assert len(catalog) >= 14
    assert {q.kind for q in catalog.values()} == {"SELECT", "ASK", "CONSTRUCT"}
    assert list(catalog) == sorted(catalog)


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_every_query_has_a_header_and_parses(path: Path, assembled: LoadedDataset) -> None:
    query = load_query(path)
    assert query.title and query.description
    for param in query.params:
        assert param.description
        assert not (param.required and param.default is not None)
        if param.required:
            assert param.example is not None, f"{param.name}: a required param needs an example"
    examples = {p.name: p.example for p in query.params if p.example is not None}
    sparql = bind_parameters(query, examples)
    prepareQuery(sparql)  # an independent parser (rdflib) accepts it too
    result = run(assembled, query, examples)
    if query.kind == "ASK":
        assert isinstance(bool(result), bool)
    else:
        assert list(result), f"{query.name} with its example parameters returns nothing"


def test_every_query_is_listed_in_the_readme(catalog: dict[str, NamedQuery]) -> None:
    readme = (REPO / "queries" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The queries", 1)[1]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.MULTILINE))
    assert listed == set(catalog)


def test_every_query_has_its_own_test(catalog: dict[str, NamedQuery]) -> None:
    missing = [n for n in catalog if f"test_{n.replace('-', '_')}" not in globals()]
    assert missing == []


# --- one test per query -----------------------------------------------------------------------


def test_events_by_year(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("event", "name", "kind", "start", "end", "place", "placeName", "countryName")
    assert table(select(assembled, catalog, "events-by-year"), *columns) == [
        (
            MONTREAL_1998,
            "First Policing for Prevention seminar",
            "seminar",
            "1998-11^^xsd:gYearMonth",
            "1998-11^^xsd:gYearMonth",
            "id:place/montreal",
            "Montreal",
            "Canada",
        ),
        (
            BIRMINGHAM_1999,
            "Second Policing for Prevention seminar",
            "seminar",
            "1999-12^^xsd:gYearMonth",
            "1999-12^^xsd:gYearMonth",
            "id:place/birmingham",
            "Birmingham",
            "United Kingdom",
        ),
        (
            WASHINGTON_2001,
            "Third Policing for Prevention seminar",
            "seminar",
            "2001-09^^xsd:gYearMonth",
            "2001-09^^xsd:gYearMonth",
            "id:place/washington-dc",
            "Washington DC",
            "United States",  # from GeoNames (graph/geonames): the source never says so
        ),
        (
            MINI_CONFERENCE,
            "Coordination – A Success Factor in Crime Prevention Initiatives",
            "mini-conference",
            "2018-02-28T10:00:00-05:00^^xsd:dateTime",
            "2018-02-28T12:00:00-05:00^^xsd:dateTime",
            None,
            None,
            None,
        ),
    ]
    assert table(select(assembled, catalog, "events-by-year", year="2001"), "event") == [
        (WASHINGTON_2001,)
    ]
    assert table(select(assembled, catalog, "events-by-year", year="2018"), "event") == [
        (MINI_CONFERENCE,)
    ]
    assert select(assembled, catalog, "events-by-year", year="2000") == []


def test_partners(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "partners")
    part_1 = "id:event/coordination-mini-conference-2018-part-1"
    assert table(rows, "organisation", "acronym", "role", "subject", "scope") == [
        ("id:org/iacp", "IACP", "co-organiser", WASHINGTON_2001, None),
        (
            "id:org/washington-dc-metropolitan-police-department",
            None,
            "co-organiser",
            WASHINGTON_2001,
            None,
        ),
        (
            "id:org/quebec-ministere-securite-publique",
            None,
            "supporter",
            SERIES,
            "for the first phase",
        ),
        (
            "id:org/montreal-youth-centre-research-institute",
            None,
            "presenter's organisation",
            part_1,
            None,
        ),
        (
            "id:org/motorola-solutions-foundation",
            None,
            "funder",
            "id:publication/coordination-guide",
            None,
        ),
        ("id:org/national-crime-prevention-council", None, "co-organiser", WASHINGTON_2001, None),
        ("id:org/resal", "RÉSAL", "presenter's organisation", part_1, None),
        ("id:org/cops-office", "COPS", "co-organiser", WASHINGTON_2001, None),
        ("id:org/solicitor-general-of-canada", None, "co-sponsor", SERIES, None),
    ]
    # English first, any language when there is no English: the ministry has both names.
    by_org = {show(r["organisation"]): r for r in rows}
    ministry = by_org["id:org/quebec-ministere-securite-publique"]["name"]
    assert (ministry.value, ministry.language) == ("Ministry of Public Security", "en")
    assert by_org["id:org/resal"]["acronym"].language == "fr"


def test_event_publications(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("event", "relation", "publication", "kind", "published", "status")
    workshops = "id:event/policing-for-prevention-2001-washington-workshops"
    background_2001 = "id:publication/policing-for-prevention-2001-background-paper"
    assert table(select(assembled, catalog, "event-publications"), *columns) == [
        (SERIES, "result of", INSPIRING, "publication", None, None),
        (SERIES, "result of", SYNTHESIS, "synthesis report", None, None),
        (SERIES, "result of", THIRD, "publication", None, "being finalized"),
        (MONTREAL_1998, "based on", background_2001, "background paper", None, None),
        (MONTREAL_1998, "following event", SYNTHESIS, "synthesis report", None, None),
        (BIRMINGHAM_1999, "based on", background_2001, "background paper", None, None),
        (BIRMINGHAM_1999, "following event", INSPIRING, "publication", None, None),
        (WASHINGTON_2001, "based on", TOOL_KIT, "tool kit", "2002-03^^xsd:gYearMonth", None),
        (workshops, "based on", TOOL_KIT, "tool kit", "2002-03^^xsd:gYearMonth", None),
        (
            "id:study/coordination-crime-prevention-latin-america-2015",
            "result of",
            "id:publication/coordination-guide",
            "guide",
            None,
            None,
        ),
        (MINI_CONFERENCE, "recording of", RECORDING, "presentation or recording", None, None),
        (
            "id:event/coordination-mini-conference-2018-part-1",
            "recording of",
            f"{RECORDING}-part-1",
            "presentation or recording",
            None,
            None,
        ),
        (
            "id:event/coordination-mini-conference-2018-part-2",
            "recording of",
            f"{RECORDING}-part-2",
            "presentation or recording",
            None,
            None,
        ),
    ]
    montreal = select(assembled, catalog, "event-publications", event=MONTREAL_1998)
    assert table(montreal, "relation", "title") == [
        ("based on", "Background paper for the third Policing for Prevention seminar"),
        ("following event", "The Role of the Police in Crime Prevention: Synthesis Report"),
    ]


def test_publication_parts(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "publication-parts")
    assert [(show(r["title"]), show(r["kind"]), parts(r["themes"])) for r in rows] == [
        ("Police and Community", "thematic paper", {"Police and community"}),
        ("Creating Effective Partnerships", "thematic paper", {"Partnership"}),
        (
            "Investing in Prevention and Partnerships",
            "thematic paper",
            {"Partnership", "Financing prevention"},
        ),
        ("Key steps in Good Planning", "thematic paper", {"Planning prevention strategies"}),
        ("Creating Change", "thematic paper", {"Creating and managing change"}),
        ("Investing in Prevention: Who Pays?", "thematic paper", {"Financing prevention"}),
    ]
    recording = select(assembled, catalog, "publication-parts", publication=RECORDING)
    assert table(recording, "part", "themes") == [
        (f"{RECORDING}-part-1", None),
        (f"{RECORDING}-part-2", None),
    ]


def test_presenters(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("name", "role", "session", "event", "date", "organisation", "roleTitle")
    date = "2018-02-28T10:00:00-05:00^^xsd:dateTime"
    part_1 = "id:event/coordination-mini-conference-2018-part-1"
    part_2 = "id:event/coordination-mini-conference-2018-part-2"
    brisebois = ("René-André Brisebois", "presenter", part_1, MINI_CONFERENCE, date)
    lemaire = ("Pier-Alexandre Lemaire", "presenter", part_2, MINI_CONFERENCE, date)
    assert table(select(assembled, catalog, "presenters"), *columns) == [
        (*brisebois, "id:org/montreal-youth-centre-research-institute", "Criminologist"),
        (*brisebois, "id:org/resal", "Coordinator"),
        (*lemaire, "id:org/icpc", "Analyst and Project Officer"),
    ]
    one = select(assembled, catalog, "presenters", person="id:person/pier-alexandre-lemaire")
    assert table(one, "sessionTitle", "organisationName") == [
        ("Assessing Coordination: How to improve coordination processes?", ICPC)
    ]


def test_themes_across_events(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "themes-across-events")
    assert table(rows, "theme", "label", "events", "directEvents") == [
        ("id:theme/partnership", "Partnership", 7, 4),
        ("id:theme/policing-and-prevention", "Policing and crime prevention", 4, 2),
        ("id:theme/evaluation", "Evaluation", 3, 3),
        ("id:theme/police-organisational-change", "Police organisational change", 3, 3),
        ("id:theme/coordination", "Coordination", 3, 2),
        ("id:theme/local-crime-prevention", "Local crime prevention", 3, 2),
        ("id:theme/coordination-assessment", "Assessing coordination", 1, 1),
        ("id:theme/concerted-action", "Concerted action", 1, 1),
        ("id:theme/delinquency-prevention", "Delinquency prevention", 1, 1),
        ("id:theme/prevention-financing", "Financing prevention", 1, 1),
        ("id:theme/international-exchange", "International exchange of expertise", 1, 1),
        ("id:theme/local-safety-audit", "Local safety audits", 1, 1),
        ("id:theme/prevention-strategy-planning", "Planning prevention strategies", 1, 1),
        ("id:theme/support-to-local-actors", "Support to local actors", 1, 1),
    ]
    assert parts(rows[0]["directEventNames"]) == {
        "Policing for Prevention seminars",
        "First Policing for Prevention seminar",
        "Second Policing for Prevention seminar",
        "Third Policing for Prevention seminar",
    }
    top = select(assembled, catalog, "themes-across-events", min_events="4")
    assert table(top, "theme") == [("id:theme/partnership",), ("id:theme/policing-and-prevention",)]
    every = select(assembled, catalog, "themes-across-events", min_events="0")
    assert len(every) == 24
    assert table(every[-1:], "theme", "events", "directEvents", "directEventNames") == [
        ("id:theme/regional-police-networks", 0, 0, "")
    ]


def test_series_timeline(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("date", "item", "kind", "edition", "placeName", "status")
    rows = select(assembled, catalog, "series-timeline", series=SERIES)
    assert table(rows, *columns) == [
        ("1998-11^^xsd:gYearMonth", MONTREAL_1998, "seminar", 1, "Montreal", None),
        ("1999-12^^xsd:gYearMonth", BIRMINGHAM_1999, "seminar", 2, "Birmingham", None),
        ("2001-09^^xsd:gYearMonth", WASHINGTON_2001, "seminar", 3, "Washington DC", None),
        ("2002-03^^xsd:gYearMonth", TOOL_KIT, "tool kit", None, None, None),
        (
            None,
            "id:publication/policing-for-prevention-2001-background-paper",
            "background paper",
            None,
            None,
            None,
        ),
        (None, INSPIRING, "publication", None, None, None),
        (None, SYNTHESIS, "synthesis report", None, None, None),
        (None, THIRD, "publication", None, None, "being finalized"),
        (
            None,
            "id:plan/regional-policing-seminars",
            "plan",
            None,
            None,
            "examining the possibility",
        ),
    ]
    # A series inside a series: gYear 1998 sorts before gYearMonth 1998-11.
    outer = select(assembled, catalog, "series-timeline", series="id:series/strategic-seminars")
    assert table(outer[:2], "date", "item") == [
        ("1998^^xsd:gYear", SERIES),
        ("1998-11^^xsd:gYearMonth", MONTREAL_1998),
    ]
    assert len(outer) == 9
    lunch = select(assembled, catalog, "series-timeline", series="id:series/lunch-seminars")
    assert table(lunch, "date", "item") == [
        ("2018-02-28T10:00:00-05:00^^xsd:dateTime", MINI_CONFERENCE),
        (None, RECORDING),
        (None, f"{RECORDING}-part-1"),
        (None, f"{RECORDING}-part-2"),
    ]


def test_events_in_place(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("event", "kind", "start", "end", "location", "locationName")
    montreal = (
        MONTREAL_1998,
        "seminar",
        "1998-11^^xsd:gYearMonth",
        "1998-11^^xsd:gYearMonth",
        "id:place/montreal",
        "Montreal",
    )
    assert table(select(assembled, catalog, "events-in-place"), *columns) == [montreal]
    canada = select(assembled, catalog, "events-in-place", place="id:place/canada")
    assert table(canada, *columns) == [montreal]
    uk = select(assembled, catalog, "events-in-place", place="id:place/united-kingdom")
    assert table(uk, "event", "locationName") == [(BIRMINGHAM_1999, "Birmingham")]
    # The source never places Washington DC in the United States; graph/geonames does.
    us = select(assembled, catalog, "events-in-place", place="id:place/united-states")
    assert table(us, "event", "locationName") == [(WASHINGTON_2001, "Washington DC")]


def test_organisation_involvement(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("role", "subject", "kind", "date", "scope")
    motorola = select(
        assembled,
        catalog,
        "organisation-involvement",
        organisation="id:org/motorola-solutions-foundation",
    )
    assert table(motorola, *columns) == [
        ("funder", "id:publication/coordination-guide", "guide", None, None)
    ]
    ministry = select(
        assembled,
        catalog,
        "organisation-involvement",
        organisation="id:org/quebec-ministere-securite-publique",
    )
    assert table(ministry, *columns) == [
        ("supporter", SERIES, "event series", "1998^^xsd:gYear", "for the first phase")
    ]
    icpc = select(assembled, catalog, "organisation-involvement", organisation="id:org/icpc")
    background = "id:publication/policing-for-prevention-{}-background-paper"
    assert table(icpc, "role", "subject", "date") == [
        ("organiser", SERIES, "1998^^xsd:gYear"),
        ("organiser", MONTREAL_1998, "1998-11^^xsd:gYearMonth"),
        ("organiser", BIRMINGHAM_1999, "1999-12^^xsd:gYearMonth"),
        ("organiser", WASHINGTON_2001, "2001-09^^xsd:gYearMonth"),
        ("publisher", TOOL_KIT, "2002-03^^xsd:gYearMonth"),
        (
            "conducted by",
            "id:study/coordination-crime-prevention-latin-america-2015",
            "2015^^xsd:gYear",
        ),
        ("organiser", MINI_CONFERENCE, "2018-02-28T10:00:00-05:00^^xsd:dateTime"),
        ("author", background.format(2001), None),
        ("organiser", "id:series/lunch-seminars", None),
        ("organiser", "id:series/strategic-seminars", None),
        ("planned by", "id:plan/regional-policing-seminars", None),
        ("publisher", background.format(1998), None),
        ("publisher", background.format(1999), None),
        ("publisher", background.format(2001), None),
    ]


def test_people(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "people")
    columns = ("person", "organisation", "acronym", "roleTitle")
    assert table(rows, *columns) == [
        ("id:person/pier-alexandre-lemaire", "id:org/icpc", "ICPC", "Analyst and Project Officer"),
        (
            "id:person/rene-andre-brisebois",
            "id:org/montreal-youth-centre-research-institute",
            None,
            "Criminologist",
        ),
        ("id:person/rene-andre-brisebois", "id:org/resal", "RÉSAL", "Coordinator"),
    ]
    assert [parts(r["roles"]) for r in rows] == [
        {"Analyst", "Project Officer"},
        {"Criminologist"},
        {"Coordinator"},
    ]
    resal = select(assembled, catalog, "people", organisation="id:org/resal")
    assert table(resal, "name", "organisationName") == [
        ("René-André Brisebois", "Network for Exchange and Support to Local Actors")
    ]


def test_provenance(
    assembled: LoadedDataset, catalog: dict[str, NamedQuery], project: Project
) -> None:
    rows = select(assembled, catalog, "provenance", resource=WASHINGTON_2001)
    url = (
        "http://www.crime-prevention-intl.org/en/strategies-policies-tools/tools/"
        "strategic-seminars.html"
    )
    assert table(rows, "document", "url", "passage", "start", "end") == [
        (
            "id:document/strategic-seminars",
            f"<{url}>",
            f"id:passage/strategic-seminars-{start}-{end}",
            start,
            end,
        )
        for start, end in ((6107, 6151), (6153, 6403), (6404, 6556), (6557, 6693))
    ]
    assert show(rows[0]["exact"]) == "Third seminar, Washington DC, September 2001"
    # A reader can check each passage against the local copy of its document.
    text = (project.sources_dir / "strategic-seminars.txt").read_text(encoding="utf-8")
    for row in rows:
        assert text[int(row["start"].value) : int(row["end"].value)] == row["exact"].value
    icpc = select(assembled, catalog, "provenance", resource="id:org/icpc")
    assert table(icpc, "documentTitle", "exact") == [
        (
            "Lunch Seminars (ICPC Mini-Conference on February 28, 2018 on Coordination)",
            "Author(s) : CIPC",
        ),
        (
            "Lunch Seminars (ICPC Mini-Conference on February 28, 2018 on Coordination)",
            "The International Centre for the Prevention of Crime (ICPC)",
        ),
        (
            "Strategic Seminars",
            "CIPC\u00a0»\u00a0Strategies, Practices and Tools\u00a0»\u00a0Tools\u00a0»\u00a0"
            "Strategic Seminars",
        ),
    ]


def test_publication_status(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "publication-status")
    assert len(rows) == 18
    assert table(rows[:2], "publication", "kind", "published", "language") == [
        (TOOL_KIT, "tool kit", "2002-03^^xsd:gYearMonth", None),
        (f"{RECORDING}-part-2", "presentation or recording", None, "fr"),
    ]
    assert {show(r["partOf"]) for r in rows if show(r["kind"]) == "thematic paper"} == {
        "The Role of the Police in Crime Prevention"
    }
    assert [show(r["publication"]) for r in rows if r["status"] is not None] == [THIRD]
    forthcoming = select(assembled, catalog, "publication-status", forthcoming="true")
    assert table(forthcoming, "publication", "title", "status") == [
        (THIRD, "Third publication of the Policing for Prevention series", "being finalized")
    ]


def test_studies_and_plans(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    columns = ("item", "kind", "date", "by", "placeName", "status", "follows", "produced")
    rows = select(assembled, catalog, "studies-and-plans")
    assert table(rows, *columns) == [
        (
            "id:study/coordination-crime-prevention-latin-america-2015",
            "study",
            "2015^^xsd:gYear",
            ICPC,
            "Latin America",
            None,
            None,
            "Coordination guide",
        ),
        (
            "id:plan/regional-policing-seminars",
            "plan",
            None,
            ICPC,
            None,
            "examining the possibility",
            "Policing for Prevention seminars",
            None,
        ),
    ]
    assert show(rows[0]["conclusion"]) == (
        "The success of prevention projects greatly depended on the quality of coordination "
        "between different levels of government."
    )


def test_agenda_themes(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "agenda-themes", event=WASHINGTON_2001)
    theme = "id:theme/washington-2001-{}"
    structural = (
        "The methods for making the necessary structural changes within the hearts of police "
        "organizations in order to consider prevention"
    )
    integration = "The integration of prevention into police strategy"
    partners = "The partners interested in inciting change while looking ahead"
    assert table(rows, "theme", "level", "parentLabel", "generalTheme", "takenUpBy") == [
        (
            theme.format("integration-of-prevention"),
            "theme",
            None,
            "Policing and crime prevention",
            None,
        ),
        (theme.format("status-of-prevention-services"), "sub-theme", integration, None, None),
        (theme.format("prevention-tools-and-messages"), "sub-theme", integration, None, None),
        (theme.format("structural-change"), "theme", None, "Police organisational change", None),
        (theme.format("police-service-expanded-role"), "sub-theme", structural, None, None),
        (
            theme.format("motivating-change"),
            "sub-theme",
            structural,
            "Creating and managing change",
            None,
        ),
        (theme.format("partners"), "theme", None, "Partnership", None),
        (theme.format("police-involvement-in-prevention"), "sub-theme", partners, None, None),
        (theme.format("partnership-characteristics"), "sub-theme", partners, None, None),
    ]
    assert show(rows[3]["label"]) == structural
    birmingham = select(assembled, catalog, "agenda-themes", event=BIRMINGHAM_1999)
    assert [
        (show(r["label"]), show(r["generalTheme"]), parts(r["takenUpBy"])) for r in birmingham
    ] == [
        (
            label,
            general,
            {
                "Plenary sessions of the second Policing for Prevention seminar",
                "Workshop sessions of the second Policing for Prevention seminar",
            },
        )
        for label, general in (
            (
                "Adaptation and transformation of police organizations for the development of "
                "effective prevention",
                "Police organisational change",
            ),
            ("Evaluation of crime prevention partners and programs", "Evaluation"),
            ("Support for partnership prevention strategies", "Partnership"),
        )
    ]


def test_key_points(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    rows = select(assembled, catalog, "key-points")
    assert [show(r["kindLabel"]) for r in rows] == [
        "conclusion",
        "objective",
        "objective",
        "challenge",
        "challenge",
        "trend",
        "trend",
        "trend",
        "recommendation",
        *["exchange"] * 12,
    ]
    assert table(rows[:3], "subject") == [
        ("id:study/coordination-crime-prevention-latin-america-2015",),
        ("id:event/coordination-mini-conference-2018-part-2",),
        ("id:series/strategic-seminars",),
    ]
    assert [show(r["point"]) for r in rows[9:]] == [
        f"id:statement/policing-for-prevention-1999-birmingham-exchange-{n}" for n in range(1, 13)
    ]
    recommendation = select(assembled, catalog, "key-points", kind="icpc:Recommendation")
    assert table(recommendation, "subject", "point") == [
        (MONTREAL_1998, "id:statement/policing-for-prevention-1998-montreal-recommendation")
    ]
    assert parts(recommendation[0]["themes"]) == {
        "Performance and impact indicators",
        "Good practices and their transferability",
    }
    trends = select(assembled, catalog, "key-points", subject=MONTREAL_1998, kind="icpc:Trend")
    assert table(trends, "statement") == [
        (
            'Police can not "solve" delinquency alone. Police must work in partnership in order '
            "to share responsibility for tackling the major challenges of delinquency. This is "
            "particularly necessary in light of increased demands being placed on police to "
            "respond to minor delinquency, infractions, and social dysfunctions",
        ),
        ("The evolution of police towards closer relationships with communities and citizens",),
        (
            "A willingness for internal police service reform dictated by these changes which "
            "better delegates responsibilities and missions.",
        ),
    ]


def uses_only_schema_org(query: NamedQuery) -> bool:
    """True when every IRI the query names is a schema.org term (``a`` aside)."""
    body = "\n".join(line for line in query.sparql.splitlines() if not line.startswith("#"))
    prefixes = re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", body)
    full_iris = re.findall(r"<([^>]*)>", re.sub(r"PREFIX\s+\w*:\s*<[^>]*>", "", body))
    return prefixes == [("schema", "http://schema.org/")] and full_iris == []


def test_schema_events(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    assert uses_only_schema_org(catalog["schema-events"])
    rows = select(assembled, catalog, "schema-events")
    columns = ("event", "startDate", "location", "partOf", "subEvents", "performers", "subjects")
    assert table(rows, *columns) == [
        (SERIES, "1998^^xsd:gYear", None, "Strategic Seminars", 3, None, 3),
        (
            MONTREAL_1998,
            "1998-11^^xsd:gYearMonth",
            "Montreal",
            "Policing for Prevention seminars",
            1,
            None,
            6,
        ),
        (
            BIRMINGHAM_1999,
            "1999-12^^xsd:gYearMonth",
            "Birmingham",
            "Policing for Prevention seminars",
            2,
            None,
            6,
        ),
        (
            WASHINGTON_2001,
            "2001-09^^xsd:gYearMonth",
            "Washington DC",
            "Policing for Prevention seminars",
            1,
            None,
            6,
        ),
        (
            MINI_CONFERENCE,
            "2018-02-28T10:00:00-05:00^^xsd:dateTime",
            None,
            "Lunch Seminars",
            2,
            None,
            2,
        ),
        (
            "id:event/coordination-mini-conference-2018-part-2",
            None,
            None,
            "Coordination – A Success Factor in Crime Prevention Initiatives",
            None,
            "Pier-Alexandre Lemaire",
            4,
        ),
        (
            "id:event/coordination-mini-conference-2018-part-1",
            None,
            None,
            "Coordination – A Success Factor in Crime Prevention Initiatives",
            None,
            "René-André Brisebois",
            4,
        ),
        ("id:series/lunch-seminars", None, None, None, 1, None, None),
        (
            "id:event/policing-for-prevention-1999-birmingham-plenary-sessions",
            None,
            None,
            "Second Policing for Prevention seminar",
            None,
            None,
            3,
        ),
        ("id:series/strategic-seminars", None, None, None, 1, None, 1),
        (
            "id:event/policing-for-prevention-1999-birmingham-workshop-sessions",
            None,
            None,
            "Second Policing for Prevention seminar",
            None,
            None,
            3,
        ),
        (
            "id:event/policing-for-prevention-1998-montreal-workshops",
            None,
            None,
            "First Policing for Prevention seminar",
            None,
            None,
            None,
        ),
        (
            "id:event/policing-for-prevention-2001-washington-workshops",
            None,
            None,
            "Third Policing for Prevention seminar",
            None,
            None,
            None,
        ),
    ]
    by_event = {show(r["event"]): r for r in rows}
    assert parts(by_event[WASHINGTON_2001]["organizers"]) == {
        ICPC,
        "International Association of Chiefs of Police",
        "Office of Community Oriented Policing Services",
        "National Crime Prevention Council",
        "Metropolitan Police Department",
    }
    assert parts(by_event[SERIES]["sponsors"]) == {
        "Solicitor General of Canada",
        "Ministry of Public Security",
    }
    assert [show(r["funders"]) for r in rows] == [None] * len(rows)


def test_schema_creative_works(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    assert uses_only_schema_org(catalog["schema-creative-works"])
    rows = select(assembled, catalog, "schema-creative-works")
    assert len(rows) == 18
    by_work = {show(r["work"]): r for r in rows}
    columns = ("datePublished", "publisher", "funder", "status", "language", "partOf", "parts")
    assert table([by_work[TOOL_KIT]], *columns) == [
        ("2002-03^^xsd:gYearMonth", ICPC, None, None, None, None, 6)
    ]
    assert parts(by_work[TOOL_KIT]["basedOn"]) == {
        "Third Policing for Prevention seminar",
        "Workshops of the third Policing for Prevention seminar",
    }
    assert table([by_work["id:publication/coordination-guide"]], *columns) == [
        (None, None, "Motorola Solutions Foundation", None, None, None, None)
    ]
    assert table([by_work[THIRD]], *columns) == [
        (None, None, None, "being finalized", None, None, None)
    ]
    assert table([by_work[RECORDING]], *columns) == [(None, None, None, None, "fr", None, 2)]
    # icpc:followsEvent and icpc:resultOf are both schema:isBasedOn
    assert parts(by_work[SYNTHESIS]["basedOn"]) == {
        "First Policing for Prevention seminar",
        "Policing for Prevention seminars",
    }
    assert {show(r["partOf"]) for r in rows} == {
        None,
        "The Role of the Police in Crime Prevention",
        "Coordination – A Success Factor in Crime Prevention Initiatives (presentation, in French)",
    }


def test_event_card(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    def text(term: Any) -> str:
        if isinstance(term, ox.Literal) and term.language:
            return f"{term.value}@{term.language}"
        return show(term)

    card = run(assembled, catalog["event-card"], {"event": MONTREAL_1998})
    triples = {(text(t.subject), text(t.predicate), text(t.object)) for t in card}
    themes = {
        "evaluation": ("Evaluation", "Évaluation"),
        "local-crime-prevention": ("Local crime prevention", "Prévention locale de la criminalité"),
        "partnership": ("Partnership", "Partenariat"),
        "police-organisational-change": (
            "Police organisational change",
            "Changement organisationnel dans la police",
        ),
        "prevention-financing": ("Financing prevention", "Financement de la prévention"),
        "prevention-strategy-planning": (
            "Planning prevention strategies",
            "Planification des stratégies de prévention",
        ),
    }
    workshops = f"{MONTREAL_1998}-workshops"
    expected = {
        (MONTREAL_1998, "rdf:type", "schema:Event"),
        (MONTREAL_1998, "schema:name", "First Policing for Prevention seminar@en"),
        (MONTREAL_1998, "schema:startDate", "1998-11^^xsd:gYearMonth"),
        (MONTREAL_1998, "schema:endDate", "1998-11^^xsd:gYearMonth"),
        (MONTREAL_1998, "schema:location", "id:place/montreal"),
        (MONTREAL_1998, "schema:organizer", "id:org/icpc"),
        (MONTREAL_1998, "schema:subEvent", workshops),
        (MONTREAL_1998, "schema:superEvent", SERIES),
        (workshops, "rdf:type", "schema:Event"),
        (workshops, "schema:name", "Workshops of the first Policing for Prevention seminar@en"),
        (SERIES, "rdf:type", "schema:Event"),
        (SERIES, "schema:name", "Policing for Prevention seminars@en"),
        ("id:org/icpc", "rdf:type", "schema:Organization"),
        ("id:org/icpc", "schema:name", f"{ICPC}@en"),
        ("id:place/montreal", "rdf:type", "schema:Place"),
        ("id:place/montreal", "schema:name", "Montreal@en"),
        ("id:place/montreal", "schema:name", "Montréal@fr"),
        ("id:place/montreal", "schema:containedInPlace", "id:place/canada"),
        ("id:place/canada", "rdf:type", "schema:Country"),
        ("id:place/canada", "schema:name", "Canada@en"),
        ("id:place/canada", "schema:name", "Canada@fr"),
    }
    for slug, (english, french) in themes.items():
        expected |= {
            (MONTREAL_1998, "schema:about", f"id:theme/{slug}"),
            (f"id:theme/{slug}", "rdf:type", "schema:DefinedTerm"),
            (f"id:theme/{slug}", "schema:name", f"{english}@en"),
            (f"id:theme/{slug}", "schema:name", f"{french}@fr"),
        }
    assert triples == expected

    washington = run(assembled, catalog["event-card"], {"event": WASHINGTON_2001})
    organizers = {
        show(t.object) for t in washington if t.predicate.value == "http://schema.org/organizer"
    }
    assert organizers == {
        "id:org/icpc",
        "id:org/iacp",
        "id:org/cops-office",
        "id:org/national-crime-prevention-council",
        "id:org/washington-dc-metropolitan-police-department",
    }


def test_provenance_gaps(assembled: LoadedDataset, catalog: dict[str, NamedQuery]) -> None:
    assert bool(run(assembled, catalog["provenance-gaps"], {})) is False


ORG = "<org/a> a icpc:Organization"


@pytest.mark.parametrize(
    ("gap", "turtle"),
    [
        ("none", f"{ORG} ; icpc:statedIn <passage/p> ; dcterms:source <document/d> ."),
        ("no passage", f"{ORG} ; dcterms:source <document/d> ."),
        (
            "passage without selectors",
            f"{ORG} ; icpc:statedIn <passage/q> ; dcterms:source <document/d> .\n"
            "<passage/q> a icpc:Passage ; oa:hasSource <document/d> .",
        ),
        ("passage from another document", f"{ORG} ; icpc:statedIn <passage/p> ."),
    ],
)
def test_provenance_gaps_finds_each_kind_of_gap(
    catalog: dict[str, NamedQuery], gap: str, turtle: str
) -> None:
    prologue = """
        @base <https://w3id.org/icpc-kg/id/> .
        @prefix icpc: <https://w3id.org/icpc-kg/ontology#> .
        @prefix oa: <http://www.w3.org/ns/oa#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <document/d> a icpc:SourceDocument .
        <passage/p> a icpc:Passage ; oa:hasSource <document/d> ;
            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "ICPC" ] ,
                [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 4 ] .
    """
    store = ox.Store()
    store.load((prologue + turtle).encode(), ox.RdfFormat.TURTLE)
    found = bool(store.query(bind_parameters(catalog["provenance-gaps"], {})))
    assert found is (gap != "none")
