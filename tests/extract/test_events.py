"""Events: kinds, names, editions, dates and places from headings, sentences, listings and
programmes; series from the breadcrumb and headings."""

from __future__ import annotations

from collections.abc import Callable

from icpc_kg.extract.events import clean_heading, edition_of, find_kinds
from icpc_kg.extract.model import Extraction
from tests.extract.conftest import entity_named, names, related


def dates(x: Extraction, name: str) -> tuple[str | None, str | None, str | None]:
    entity = entity_named(x, name)
    start, end = entity.fact("startDate"), entity.fact("endDate")
    return (start.lexical if start else None, end.lexical if end else None, entity.fact("dateText"))


def test_kinds_and_editions() -> None:
    assert [(k.cls, k.plural) for k in find_kinds("ICPC Mini-Conference")] == [
        ("MiniConference", False)
    ]
    assert [(k.cls, k.plural) for k in find_kinds("Séminaires-midi")] == [("MiniConference", True)]
    assert find_kinds("Formation en ligne")[0].cls == "TrainingSession"
    assert edition_of("Second seminar") == 2
    assert edition_of("3rd International Forum") == 3
    assert edition_of("6e édition") == 6
    assert edition_of("1er Colloque international") == 1


def test_heading_names_lose_their_dates_and_places() -> None:
    assert clean_heading("First seminar, Montreal (Canada), November 1998") == "First seminar"
    assert clean_heading("3e édition : du 3 au 5 juin 2003, Querétaro (Mexique)") == "3e édition"
    assert (
        clean_heading("Tuesday, March 15 – Preventing radicalisation")
        == "Preventing radicalisation"
    )
    kept = "ICPC Mini-Conference on February 28, 2018 on Coordination, A Success Factor"
    assert clean_heading(kept) == kept


def test_a_heading_event_with_edition_place_and_month(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Strategic Seminars\n\nCIPC » Tools » Strategic Seminars\n\n"
        "The ICPC Policing for Prevention seminars\n\n"
        'ICPC joined a series of "Policing for Prevention" seminars which began in 1998.\n\n'
        "Second seminar, Birmingham (UK), December 1999\n\nWorkshops were held.\n"
    )
    seminar = entity_named(x, "Second seminar")
    assert (seminar.cls, seminar.fact("edition")) == ("Seminar", 2)
    assert dates(x, "Second seminar") == ("1999-12", "1999-12", None)
    assert related(x, "Second seminar", "icpc:inSeries") == ["Policing for Prevention seminars"]
    series = entity_named(x, "Policing for Prevention seminars")
    assert series.fact("startDate").lexical == "1998" and series.fact("endDate") is None
    assert related(x, "Policing for Prevention seminars", "icpc:inSeries") == ["Strategic Seminars"]
    assert related(x, "Strategic Seminars", "icpc:organizer") == ["ICPC"]
    assert [e.name for e in x.of_class("Workshop")] == []  # "Workshops were held" is no event


def test_a_sentence_restating_the_heading_event_adds_its_times(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Lunch Seminars\n\nCIPC » Events » Lunch Seminars\n\n"
        "ICPC Mini-Conference on February 28, 2018 on Coordination\n\n"
        "On February 28, 2018, from 10:00 a.m. to 12:00 p.m., The International Centre for the "
        "Prevention of Crime (ICPC) held a Mini-Conference on coordination.\n"
    )
    assert names(x, "event") == ["ICPC Mini-Conference on February 28, 2018 on Coordination"]
    assert dates(x, "ICPC Mini-Conference on February 28, 2018 on Coordination") == (
        "2018-02-28T10:00:00",
        "2018-02-28T12:00:00",
        None,
    )
    event = "ICPC Mini-Conference on February 28, 2018 on Coordination"
    assert related(x, event, "icpc:organizer") == [
        "International Centre for the Prevention of Crime"
    ]
    assert related(x, event, "icpc:inSeries") == ["Lunch Seminars"]
    assert any(i.kind == "time zone" for i in x.issues)


def test_generic_breadcrumb_sections_are_not_series(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Webinars\n\nCIPC » Events » Webinars\n\nUpcoming webinars\n\nMarch 15 – Youth safety\n"
    )
    assert x.of_class("EventSeries") == []
    webinar = entity_named(x, "Youth safety")
    assert webinar.cls == "Webinar"
    assert dates(x, "Youth safety") == (None, None, "March 15")  # no year: kept as text


def test_a_programme_with_timed_sessions_on_day_headings(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Colloquium\n\n2nd International Colloquium, 12–13 May 2020\n\nProgramme\n\n"
        "Tuesday 12 May 2020\n\n• 9:00 – 10:30 Panel 1: Youth\n• 10:30 – 10:45 Coffee break\n"
        "• 12:15 – 1:15 Workshop B: Audits\n\nWednesday 13 May 2020\n\n"
        "• 2:00 p.m. – 3:00 p.m. Closing session\n"
    )
    colloquium = "2nd International Colloquium"
    assert entity_named(x, colloquium).fact("edition") == 2
    parts = related(x, colloquium, "icpc:hasEventPart")
    assert parts == ["Closing session", "Panel 1: Youth", "Workshop B: Audits"]
    assert dates(x, "Panel 1: Youth")[:2] == ("2020-05-12T09:00:00", "2020-05-12T10:30:00")
    # Times without a.m./p.m. run forward: 12:15 to 1:15 ends at 13:15.
    assert dates(x, "Workshop B: Audits")[:2] == ("2020-05-12T12:15:00", "2020-05-12T13:15:00")
    assert entity_named(x, "Workshop B: Audits").cls == "Workshop"
    assert dates(x, "Closing session")[:2] == ("2020-05-13T14:00:00", "2020-05-13T15:00:00")


def test_several_events_on_one_page(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Training\n\nSecond Training Session on Audits, Dakar (Senegal), 3–5 June 2015\n\n"
        "ICPC delivered its second training session on audits in Dakar, Senegal. "
        "The training was based on a guide.\n\n"
        "The first training session on audits was held in Bamako (Mali) in May 2014.\n"
    )
    events = {e.name: (e.fact("edition"), e.fact("startDate").lexical) for e in x.of_kind("event")}
    assert events == {
        "Second Training Session on Audits": (2, "2015-06-03"),
        "First training session on audits": (1, "2014-05"),
    }
    assert related(x, "First training session on audits", "schema:location") == ["Bamako"]


def test_numbered_parts_with_presenters(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Seminar\n\nICPC Lunch Seminar on 3 May 2018\n\nThe seminar was twofold:\n\n"
        "  1. Part one: the basics\n\n"
        "In this first part, Ms. Ann Roe, Analyst at ICPC, presented.\n\n"
        "  1. Part two: the practice\n\nPresented by Bob Lee, Officer at ICPC.\n"
    )
    parts = related(x, "ICPC Lunch Seminar on 3 May 2018", "icpc:hasEventPart")
    assert parts == ["Part one: the basics", "Part two: the practice"]
    assert [entity_named(x, p).fact("position") for p in parts] == [1, 2]
    assert related(x, "Part one: the basics", "icpc:presenter") == ["Ann Roe"]


def test_recurring_events_describe_the_series(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Colloques internationaux\n\nCIPC » Événements » Colloques internationaux\n\n"
        "Depuis 1999, le CIPC organise tous les deux ans un colloque international.\n",
        lang="fr",
    )
    assert x.of_kind("event") == []  # no colloquium of its own
    assert [e.cls for e in x.of_kind("series")] == ["EventSeries"]
    assert entity_named(x, "Colloques internationaux").fact("startDate").lexical == "1999"


def test_generic_mentions_create_no_events(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "About\n\nICPC brings an international perspective to a national seminar. "
        "Each webinar is held on Zoom. The seminars were useful.\n"
    )
    assert x.of_kind("event") == []


LIST = (
    "Seminars\n\nOur regional seminars\n\n{year}"
    "• 27 Oct. – 1 Nov. — Quito (Ecuador)\n  Street lighting and safety\n"
    "  Funded by the Inter-American Development Bank (IDB).\n\n"
    "• 5 March — Rabat (Morocco)\n  Youth mentoring in practice\n"
    "  Hosted by the City of Rabat.\n"
)


def test_each_dated_entry_of_a_list_is_its_own_event_in_the_year_of_its_section(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(LIST.format(year="2018\n\n"))
    assert dates(x, "Street lighting and safety") == ("2018-10-27", "2018-11-01", None)
    assert dates(x, "Youth mentoring in practice") == ("2018-03-05", "2018-03-05", None)
    assert related(x, "Street lighting and safety", "schema:location") == ["Quito"]
    assert related(x, "Youth mentoring in practice", "schema:location") == ["Rabat"]
    assert related(x, "Street lighting and safety", "icpc:funder") == [
        "Inter-American Development Bank"
    ]
    assert related(x, "Youth mentoring in practice", "icpc:funder") == []


def test_a_date_with_no_year_anywhere_stays_as_written(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(LIST.format(year=""))
    assert dates(x, "Street lighting and safety") == (None, None, "27 Oct. – 1 Nov.")
    assert any("no year" in issue.message for issue in x.issues)


def test_a_weekday_that_does_not_fit_the_context_year_keeps_the_date_yearless(
    extract_text: Callable[..., Extraction],
) -> None:
    # 12 March 2018 was a Monday, so "Thursday 12 March" is in another year.
    x = extract_text(LIST.format(year="2018\n\n").replace("5 March", "Thursday 12 March"))
    assert dates(x, "Youth mentoring in practice") == (None, None, "Thursday 12 March")


def test_programme_rows_that_open_a_day_date_their_sessions_in_the_event_year(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "<html><body><h1>Forum on Safer Cities, Nairobi, 3–4 October 2017</h1>"
        "<p>Mayors from twelve cities met to share their plans.</p>"
        "<h2>Programme</h2><p>All times are Nairobi time (UTC+3).</p><table>"
        "<tr><th>Day</th><th>Time</th><th>Session</th></tr>"
        "<tr><td>Tue. 3 Oct.</td><td>09:00–10:30</td><td>Opening session</td></tr>"
        "<tr><td>14:00–15:00</td><td>Workshop: street lighting</td></tr>"
        "<tr><td>Wed. 4 Oct.</td><td>10:00–11:00</td><td>Closing session</td></tr>"
        "</table></body></html>",
        name="forum.html",
    )
    assert dates(x, "Opening session") == (
        "2017-10-03T09:00:00+03:00",
        "2017-10-03T10:30:00+03:00",
        None,
    )
    assert dates(x, "Workshop: street lighting")[0] == "2017-10-03T14:00:00+03:00"
    assert dates(x, "Closing session")[0] == "2017-10-04T10:00:00+03:00"
    assert sorted(related(x, "Forum on Safer Cities", "icpc:hasEventPart")) == [
        "Closing session",
        "Opening session",
        "Workshop: street lighting",
    ]


def test_a_headline_about_taking_part_names_the_event_after_its_preposition(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "<html><body><h1>ICPC in Accra for the Regional Forum on Youth Safety</h1>"
        "<p>Our team spoke at the forum on 4 June 2019.</p></body></html>",
        name="news.html",
    )
    forum = entity_named(x, "Regional Forum on Youth Safety")
    assert forum.name == "Regional Forum on Youth Safety"
    assert "ICPC in Accra for the Regional Forum on Youth Safety" in forum.all_names()
