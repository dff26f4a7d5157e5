"""Times of day and time zones ("10 h à 11 h 30 (HNE)", "2pm - 3pm (CEST)", "14:00–15:30"), and
the date values an event gets from a date and a time: the precision the text gives, an offset
only where the page states its zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icpc_kg.extract.dates import DateMention, PartialDate

_AMPM = r"(?i:[ap]\.?\s?m\b\.?)"


_CLOCK = (
    r"(?:(?:[01]?\d|2[0-3])(?:\s?[:.]\s?[0-5]\d(?:\s?" + _AMPM + r")?"
    r"|\s?h(?:\s?[0-5]\d)?(?![a-zà-ÿ])|\s?" + _AMPM + r")"
    r"|(?i:noon|midday|midi|midnight|minuit))"
)


_ZONE_NAMES = (
    r"UTC|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|CET|CEST|HNE|HAE|ET"
    r"|Eastern(?: Standard| Daylight)? Time|heure de l'Est|heure normale de l'Est"
    r"|heure avancée de l'Est|Montreal time|Montréal time|heure de Montréal|Paris time"
    r"|heure de Paris|Brussels time|heure de Bruxelles"
)


_ZONE = rf"(?P<zone>(?:{_ZONE_NAMES})(?:\s?[+−-]\s?\d{{1,2}}(?::?[0-5]\d)?)?)(?![A-Za-z])"


_TIME_RANGE = re.compile(
    rf"(?:\b(?:from|de|between|entre)\s+)?(?P<t1>{_CLOCK})\s*"
    rf"(?:[-–—]|\bto\b|\bà\b|\band\b|\bet\b|\buntil\b|\btill\b|\bjusqu'à\b)\s*(?P<t2>{_CLOCK})"
    rf"(?:\s*\(?\s*{_ZONE}\s*\)?)?"
)


_TIME_SINGLE = re.compile(
    rf"(?:\b(?:at|à|from|dès)\s+)?(?P<t1>{_CLOCK})(?:\s*\(?\s*{_ZONE}\s*\)?)?"
)


_FIXED_ZONES = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "HNE": "-05:00",
    "HAE": "-04:00",
}


_REGION_ZONES = {
    "et": "America/Toronto",
    "eastern time": "America/Toronto",
    "eastern standard time": "America/Toronto",
    "eastern daylight time": "America/Toronto",
    "heure de l'est": "America/Toronto",
    "heure normale de l'est": "America/Toronto",
    "heure avancée de l'est": "America/Toronto",
    "montreal time": "America/Toronto",
    "montréal time": "America/Toronto",
    "heure de montréal": "America/Toronto",
    "paris time": "Europe/Paris",
    "heure de paris": "Europe/Paris",
    "brussels time": "Europe/Brussels",
    "heure de bruxelles": "Europe/Brussels",
}


@dataclass(frozen=True)
class Clock:
    hour: int
    minute: int
    meridiem: str | None = None  # "am" | "pm" when the page says so


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    text: str
    first: Clock
    last: Clock | None
    zone: str | None  # as written


def parse_clock(text: str) -> Clock:
    raw = text.strip().lower()
    if raw in ("noon", "midday", "midi"):
        return Clock(12, 0, "pm")
    if raw in ("midnight", "minuit"):
        return Clock(0, 0, "am")
    match = re.match(r"(\d{1,2})(?:\s?[:.h]\s?(\d{2}))?", raw)
    assert match is not None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = None
    ampm = re.search(r"([ap])\.?\s?m\b", raw[match.end() :])
    if ampm:
        meridiem = "am" if ampm.group(1) == "a" else "pm"
    return Clock(hour, minute, meridiem)


def to_24h(clock: Clock, meridiem: str | None = None) -> Clock:
    """The clock on a 24-hour dial, using its own a.m./p.m. or the one given."""
    which = clock.meridiem or meridiem
    hour = clock.hour
    if which == "pm" and hour < 12:
        hour += 12
    elif which == "am" and hour == 12:
        hour = 0
    return Clock(hour, clock.minute, which)


def resolve_range(first: Clock, last: Clock | None) -> tuple[Clock, Clock | None]:
    """24-hour clocks for a range; "from 10:00 to 11:30 a.m." shares the end's a.m./p.m."""
    if last is None:
        return to_24h(first), None
    end = to_24h(last)
    start = to_24h(first, None if first.meridiem else last.meridiem)
    if start.hour * 60 + start.minute > end.hour * 60 + end.minute and not first.meridiem:
        start = to_24h(first)
    return start, end


def find_times(text: str, start: int = 0, end: int | None = None) -> list[TimeMention]:
    end = len(text) if end is None else end
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_TIME_RANGE, _TIME_SINGLE):
        for match in pattern.finditer(text, start, end):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            t1 = match.group("t1")
            t2 = match.groupdict().get("t2")
            first = parse_clock(t1)
            last = parse_clock(t2) if t2 else None
            if first.hour > 23 or (last is not None and last.hour > 23):
                continue
            found.append(
                TimeMention(
                    match.start(),
                    match.end(),
                    text[match.start() : match.end()].strip(),
                    first,
                    last,
                    match.group("zone"),
                )
            )
            taken.append(match.span())
    return sorted(found, key=lambda t: t.start)


_STATED_ZONE = re.compile(
    r"(?:\b(?i:all times|times are|times given|times shown|toutes les heures|heures indiquées|"
    r"les heures sont)\b)[^.\n]{0,60}?(?<![A-Za-z])" + _ZONE
)


def stated_zone(text: str) -> str | None:
    """The time zone a page states once for all its times ("All times are Lisbon time
    (UTC+1)", "Toutes les heures sont en HNE")."""
    zones = {match.group("zone") for match in _STATED_ZONE.finditer(text)}
    return zones.pop() if len(zones) == 1 else None


def zone_offset(zone: str | None, date: PartialDate) -> str | None:
    """The UTC offset ("-05:00") the named zone has on ``date``; None if the page names none
    or the zone cannot be resolved."""
    if not zone:
        return None
    zone = zone.strip()
    shifted = re.fullmatch(r"(UTC|GMT)\s?([+−-])\s?(\d{1,2})(?::?([0-5]\d))?", zone)
    if shifted:
        sign = "-" if shifted.group(2) in "−-" else "+"
        return f"{sign}{int(shifted.group(3)):02d}:{shifted.group(4) or '00'}"
    if zone.upper() in _FIXED_ZONES:
        return _FIXED_ZONES[zone.upper()]
    region = _REGION_ZONES.get(zone.lower())
    if region is None or date.year is None or date.month is None or date.day is None:
        return None
    try:
        info = ZoneInfo(region)
    except ZoneInfoNotFoundError:
        return None
    offset = datetime(date.year, date.month, date.day, 12, tzinfo=info).utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class DateValue:
    """A typed date for the draft: the lexical form and its XSD datatype's local name."""

    lexical: str
    datatype: str  # date | gYearMonth | gYear | dateTime


@dataclass(frozen=True)
class When:
    """When something happened, as the draft records it."""

    start: DateValue | None = None
    end: DateValue | None = None
    text: str | None = None  # kept as icpc:dateText when it cannot be typed
    flags: tuple[str, ...] = ()
    mention: DateMention | None = None
    times: TimeMention | None = None


def date_time(date: PartialDate, clock: Clock, offset: str | None) -> DateValue:
    lexical = f"{date.lexical()}T{clock.hour:02d}:{clock.minute:02d}:00{offset or ''}"
    return DateValue(lexical, "dateTime")


def when(
    mention: DateMention,
    times: TimeMention | None = None,
    start_only: bool = False,
    page_zone: str | None = None,
    source: str | None = None,
) -> When:
    """The draft's dates for a date mention and the clock times stated with it; ``source``
    is the text both were found in (to keep a date without a year as written)."""
    flags: list[str] = []
    if not mention.has_year:
        text = mention.text
        if times is not None and source is not None:
            text = source[min(mention.start, times.start) : max(mention.end, times.end)]
        return When(text=text, flags=("no year",), mention=mention, times=times)
    if mention.vague:
        return When(text=mention.text, flags=(mention.vague,), mention=mention)
    first = mention.first
    last = mention.last or mention.first
    if times is not None and first.precision == "day" and not mention.is_range:
        start_clock, end_clock = resolve_range(times.first, times.last)
        zone = times.zone or page_zone
        offset = zone_offset(zone, first)
        if zone and offset is None:
            flags.append(f"time zone {zone!r} not resolved")
        if offset is None:
            flags.append("time without a time zone")
        start = date_time(first, start_clock, offset)
        end = date_time(first, end_clock, offset) if end_clock else None
        return When(start, end, flags=tuple(flags), mention=mention, times=times)
    start = DateValue(first.lexical(), first.datatype())
    end = None if start_only else DateValue(last.lexical(), last.datatype())
    return When(start, end, flags=tuple(flags), mention=mention, times=times)
