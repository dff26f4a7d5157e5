"""Dates at the precision written, in English and French, with times, and never a year or a
time zone the page does not give."""

from __future__ import annotations

import pytest

from icpc_kg.extract.dates import find_dates, stated_years, with_year
from icpc_kg.extract.times import find_times, resolve_range, stated_zone, when, zone_offset


def first_when(text: str) -> tuple[object, object, object]:
    dates = find_dates(text)
    times = find_times(text)
    value = when(dates[0], times[0] if times else None, source=text)
    start = (value.start.lexical, value.start.datatype) if value.start else None
    end = (value.end.lexical, value.end.datatype) if value.end else None
    return start, end, value.text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("in 1998", ("1998", "gYear"), ("1998", "gYear")),
        ("November 1998", ("1998-11", "gYearMonth"), ("1998-11", "gYearMonth")),
        ("en mars 2002", ("2002-03", "gYearMonth"), ("2002-03", "gYearMonth")),
        ("February 28, 2018", ("2018-02-28", "date"), ("2018-02-28", "date")),
        ("le 1er mars 2019", ("2019-03-01", "date"), ("2019-03-01", "date")),
        ("12–14 March 2019", ("2019-03-12", "date"), ("2019-03-14", "date")),
        ("March 12–14, 2019", ("2019-03-12", "date"), ("2019-03-14", "date")),
        ("du 3 au 5 juin 2019", ("2019-06-03", "date"), ("2019-06-05", "date")),
        ("les 10 et 11 décembre 2001", ("2001-12-10", "date"), ("2001-12-11", "date")),
        ("30 March – 2 April 2019", ("2019-03-30", "date"), ("2019-04-02", "date")),
        ("du 30 mars au 2 avril 2019", ("2019-03-30", "date"), ("2019-04-02", "date")),
        ("November 1998 – March 1999", ("1998-11", "gYearMonth"), ("1999-03", "gYearMonth")),
        ("2019-03-12", ("2019-03-12", "date"), ("2019-03-12", "date")),
    ],
)
def test_dates_keep_their_precision(
    text: str, start: tuple[str, str], end: tuple[str, str]
) -> None:
    assert first_when(text)[:2] == (start, end)


def test_times_without_a_zone_become_local_date_times() -> None:
    start, end, _ = first_when("On February 28, 2018, from 10:00 a.m. to 12:00 p.m., ICPC held")
    assert start == ("2018-02-28T10:00:00", "dateTime")
    assert end == ("2018-02-28T12:00:00", "dateTime")


def test_french_times() -> None:
    start, end, _ = first_when("Le mercredi 15 mars 2017, de 12 h à 13 h 30")
    assert start == ("2017-03-15T12:00:00", "dateTime")
    assert end == ("2017-03-15T13:30:00", "dateTime")


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("21 March 2019, 12:00 p.m. to 1:30 p.m. (EDT)", "-04:00"),
        ("21 March 2019, 12:00 p.m. to 1:30 p.m. (UTC-5)", "-05:00"),
        ("21 January 2019, 12:00 p.m. to 1:30 p.m. Eastern Time", "-05:00"),
        ("21 July 2019, 12:00 p.m. to 1:30 p.m. (heure de Montréal)", "-04:00"),
    ],
)
def test_a_zone_the_page_names_gives_the_offset_on_that_day(text: str, offset: str) -> None:
    start, _end, _ = first_when(text)
    assert start is not None and str(start[0]).endswith(offset)


def test_a_date_without_a_year_stays_text() -> None:
    start, end, text = first_when("Tuesday, March 15 – Preventing radicalisation")
    assert (start, end, text) == (None, None, "Tuesday, March 15")
    value = when(find_dates("le 12 septembre")[0])
    assert value.flags == ("no year",)


def test_a_date_without_a_year_keeps_its_times_as_written() -> None:
    text = "April 12, from 2:00 p.m. to 3:00 p.m. (Eastern Time) – Women's safety"
    assert first_when(text)[2] == "April 12, from 2:00 p.m. to 3:00 p.m. (Eastern Time)"


def test_vague_dates_are_flagged_not_typed() -> None:
    assert first_when("in spring 2019")[2] == "spring 2019"
    assert first_when("on 12/03/2019")[2] == "12/03/2019"  # day and month order unknown
    assert first_when("on 25/03/2019")[0] == ("2019-03-25", "date")


def test_a_lone_number_is_a_year_only_after_a_cue() -> None:
    years = {m.text: m.cue for m in find_dates("Agenda 2030 was adopted in 2015 (2016)")}
    assert years == {"2030": False, "2015": True, "2016": True}


def test_words_that_look_like_months_are_not_dates() -> None:
    assert find_dates("This may help 5 people march 3 miles") == []


def test_time_ranges_share_am_pm() -> None:
    times = find_times("from 10:00 to 11:30 a.m.")
    assert resolve_range(times[0].first, times[0].last)[0].hour == 10
    times = find_times("2:00 p.m. – 4:00 p.m.")
    start, end = resolve_range(times[0].first, times[0].last)
    assert (start.hour, end.hour if end else None) == (14, 16)


def test_zone_offset_needs_a_day_for_named_regions() -> None:
    from icpc_kg.extract.dates import PartialDate

    assert zone_offset("ET", PartialDate(2019, 3, None)) is None
    assert zone_offset("EST", PartialDate(2019, None, None)) == "-05:00"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Thu. 4 April", (None, 4, 4), None),
        ("jeu. 4 avril", (None, 4, 4), None),
        ("27 Oct. – 1 Nov.", (None, 10, 27), (None, 11, 1)),
        ("5–7 Sept.", (None, 9, 5), (None, 9, 7)),
        ("29 Dec. – 2 Jan. 2016", (2015, 12, 29), (2016, 1, 2)),
    ],
)
def test_abbreviated_days_and_months_and_ranges_across_months(
    text: str, first: tuple[int | None, int, int], last: tuple[int | None, int, int] | None
) -> None:
    mention = find_dates(text)[0]
    assert mention.text == text
    assert (mention.first.year, mention.first.month, mention.first.day) == first
    if last is None:
        assert mention.last is None
    else:
        assert mention.last is not None
        assert (mention.last.year, mention.last.month, mention.last.day) == last


def test_a_date_without_a_year_takes_the_year_it_is_given_and_crosses_into_the_next() -> None:
    inside = with_year(find_dates("27 Oct. – 1 Nov.")[0], 2017)
    assert (inside.first.lexical(), inside.last and inside.last.lexical()) == (
        "2017-10-27",
        "2017-11-01",
    )
    across = with_year(find_dates("30 Dec. – 3 Jan.")[0], 2017)
    assert (across.first.lexical(), across.last and across.last.lexical()) == (
        "2017-12-30",
        "2018-01-03",
    )


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2016", {2016}),
        ("In 2015, the network met twice.", {2015}),
        ("Held from 2 to 4 June 2014 in Rabat.", {2014}),
        ("The Agenda 2030 goals", set()),
        ("From 2010 to 2012", {2010, 2012}),
    ],
)
def test_the_years_a_context_states(text: str, years: set[int]) -> None:
    assert stated_years(text) == years


def test_a_time_zone_stated_once_for_the_page() -> None:
    assert stated_zone("All times are Nairobi time (EAT, UTC+3).") == "UTC+3"
    assert stated_zone("Toutes les heures sont en HAE.") == "HAE"
    assert stated_zone("The meeting lasts two hours.") is None
