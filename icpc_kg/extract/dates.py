"""Dates and times as English and French pages write them, at the precision they are written.

A small grammar rather than dateparser: dateparser fills in a missing year or day from the
current date, and a draft must never contain a year the page does not give. Each match is a
:class:`DateMention` (a day, a day range, a month, a month range, a year, a year range, or a
date without a year); :func:`find_times` finds clock times and ranges ("from 10:00 a.m. to
12:00 p.m.", "de 9 h à 16 h 30") with any time zone the page states next to them.

Time zones are never guessed. A time with no zone becomes an ``xsd:dateTime`` without an offset
(local time, as the page gives it); a zone the page names ("EDT", "UTC-5", "Eastern Time",
"heure de Montréal") gives the offset that zone has on that date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icpc_kg.extract.lexicon import entries, pair_map

EN_MONTHS = {k: int(v) for k, v in pair_map("months-en").items()}
FR_MONTHS = {k: int(v) for k, v in pair_map("months-fr").items()}
WEEKDAYS = list(entries("weekdays"))
# Abbreviated weekdays as programme tables write them ("Mon. 8 May", "jeu. 12 mars").
WEEKDAY_ABBREVIATIONS = list(entries("weekday-abbreviations"))


def _month_alternation() -> str:
    english = sorted(EN_MONTHS, key=len, reverse=True)
    french = sorted(FR_MONTHS, key=len, reverse=True)
    en = "|".join(m.capitalize() + (r"\.?" if len(m) <= 4 and m != "may" else "") for m in english)
    fr = "|".join(
        m + (r"\.?" if len(m) <= 4 and m not in ("mai", "juin", "mars") else "") for m in french
    )
    # English month names are capitalised; French ones may be either.
    return rf"(?:{en}|(?i:{fr}))"


_MONTH = _month_alternation()
_WEEKDAY = (
    r"(?:(?i:"
    + "|".join(WEEKDAYS)
    + r"|(?:"
    + "|".join(sorted(WEEKDAY_ABBREVIATIONS, key=len, reverse=True))
    + r")\b\.?"
    + r"),?\s+)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er|re|e)?(?![\d:])(?!\s?h\b)"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_TO = r"\s*(?:[-–—]|\bto\b|\bthrough\b|\buntil\b|\bau\b)\s*"
_TO_OR_AND = r"\s*(?:[-–—]|\bto\b|\bau\b|\band\b|\bet\b|&)\s*"


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "dmdm_range",
        re.compile(
            rf"(?:\b(?:from|du)\s+)?{_WEEKDAY}?{_g('d1', _DAY)}\s+{_g('m1', _MONTH)}"
            rf"(?:\s+{_g('y0', _YEAR)})?{_TO}{_WEEKDAY}?{_g('d2', _DAY)}\s+{_g('m2', _MONTH)}"
            rf"(?:,?\s+{_g('y1', _YEAR)})?"
        ),
    ),
    (
        "mdmd_range",
        re.compile(
            rf"(?:\bfrom\s+)?{_WEEKDAY}?{_g('m1', _MONTH)}\s+{_g('d1', _DAY)}"
            rf"(?:,\s+{_g('y0', _YEAR)})?"
            rf"{_TO}{_WEEKDAY}?{_g('m2', _MONTH)}\s+{_g('d2', _DAY)}(?:,?\s+{_g('y1', _YEAR)})?"
        ),
    ),
    (
        "dd_range",
        re.compile(
            rf"(?:\b(?:from|du|les|between)\s+)?{_WEEKDAY}?{_g('d1', _DAY)}{_TO_OR_AND}"
            rf"{_WEEKDAY}?{_g('d2', _DAY)}\s+{_g('m1', _MONTH)}(?:,?\s+{_g('y1', _YEAR)})?"
        ),
    ),
    (
        "mdd_range",
        re.compile(
            rf"(?:\bfrom\s+)?{_g('m1', _MONTH)}\s+{_g('d1', _DAY)}{_TO_OR_AND}{_g('d2', _DAY)}"
            rf"(?:,?\s+{_g('y1', _YEAR)})?"
        ),
    ),
    (
        "mm_range",
        re.compile(
            rf"(?:\b(?:from|de|d')\s*)?{_g('m1', _MONTH)}(?:\s+{_g('y0', _YEAR)})?"
            rf"\s*(?:[-–—]|\bto\b|\bà\b)\s*{_g('m2', _MONTH)}\s+{_g('y1', _YEAR)}"
        ),
    ),
    ("iso", re.compile(rf"\b{_g('y1', _YEAR)}-(?P<mn>[01]\d)-(?P<dn>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(rf"{_WEEKDAY}?{_g('m1', _MONTH)}\s+{_g('d1', _DAY)}(?:,?\s+{_g('y1', _YEAR)})?"),
    ),
    (
        "dmy",
        re.compile(rf"{_WEEKDAY}?{_g('d1', _DAY)}\s+{_g('m1', _MONTH)}(?:,?\s+{_g('y1', _YEAR)})?"),
    ),
    ("my", re.compile(rf"{_g('m1', _MONTH)},?\s+{_g('y1', _YEAR)}")),
    (
        "season",
        re.compile(
            rf"(?i:\b(?:spring|summer|fall|autumn|winter|printemps|été|automne|hiver)"
            rf"(?:\s+(?:of|de))?)\s+{_g('y1', _YEAR)}"
        ),
    ),
    ("numeric", re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[01]?\d)/(?P<y1>(?:19|20)\d\d)\b")),
    (
        "yy_range",
        re.compile(
            rf"\b(?:from\s+|de\s+)?{_g('y0', _YEAR)}\s*(?:[-–—]|to|à)\s*{_g('y1', _YEAR)}\b"
        ),
    ),
    ("year", re.compile(rf"(?<![\d/.,$€-]){_g('y1', _YEAR)}")),
]

# A lone year counts as a date only after one of these cues (or inside brackets, or at the end
# of a heading); "Agenda 2030" is a name, not a date.
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|en|since|depuis|from|of|until|by|before|after|avant|après|year|année|"
    r"began in|started in|launched in|published in|dès)\s+|[,(–—-]\s*)$",
    re.I,
)


@dataclass(frozen=True)
class PartialDate:
    """A date known to a precision: a year, a year and month, or a full day; no year is
    allowed (``year=None``) for dates the page writes without one."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def lexical(self) -> str:
        assert self.year is not None
        if self.day is not None and self.month is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def datatype(self) -> str:
        return {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    first: PartialDate
    last: PartialDate | None = None  # the end of a range
    form: str = ""  # the grammar rule that matched
    cue: bool = True  # False for a lone year without a cue word
    vague: str | None = None  # why the date cannot be typed (season, ambiguous numbers)

    @property
    def has_year(self) -> bool:
        return self.first.year is not None and (self.last is None or self.last.year is not None)

    @property
    def is_range(self) -> bool:
        return self.last is not None and self.last != self.first


def _month(text: str) -> int:
    key = text.lower().rstrip(".")
    return EN_MONTHS.get(key) or FR_MONTHS[key]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _valid(date: PartialDate) -> bool:
    if date.month is not None and not 1 <= date.month <= 12:
        return False
    if date.day is not None and date.month is not None:
        year = date.year if date.year is not None else 2000  # 29 February is possible
        return 1 <= date.day <= calendar.monthrange(year, date.month)[1]
    return True


def _mention(form: str, match: re.Match[str], text: str) -> DateMention | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    y1 = int(groups["y1"]) if "y1" in groups else None
    y0 = int(groups["y0"]) if "y0" in groups else y1
    if (
        form in ("dmdm_range", "mdmd_range")
        and "y0" not in groups
        and y1 is not None
        and (_month(groups["m1"]), _day(groups["d1"])) > (_month(groups["m2"]), _day(groups["d2"]))
    ):
        y0 = y1 - 1  # "28 Dec. – 3 Jan. 2020" starts the year before
    vague = None
    if form in ("dmdm_range", "mdmd_range"):
        first = PartialDate(y0, _month(groups["m1"]), _day(groups["d1"]))
        last: PartialDate | None = PartialDate(y1, _month(groups["m2"]), _day(groups["d2"]))
    elif form in ("dd_range", "mdd_range"):
        month = _month(groups["m1"])
        first = PartialDate(y1, month, _day(groups["d1"]))
        last = PartialDate(y1, month, _day(groups["d2"]))
    elif form == "mm_range":
        first = PartialDate(y0, _month(groups["m1"]))
        last = PartialDate(y1, _month(groups["m2"]))
    elif form == "iso":
        first, last = PartialDate(y1, int(groups["mn"]), int(groups["dn"])), None
    elif form in ("mdy", "dmy"):
        first, last = PartialDate(y1, _month(groups["m1"]), _day(groups["d1"])), None
    elif form == "my":
        first, last = PartialDate(y1, _month(groups["m1"])), None
    elif form == "season":
        first, last, vague = PartialDate(y1), None, "a season, not a date"
    elif form == "numeric":
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            first = PartialDate(y1, b, a)
        elif b > 12 >= a:
            first = PartialDate(y1, a, b)
        else:
            first, vague = PartialDate(y1), "day and month order is ambiguous"
        last = None
    elif form == "yy_range":
        first, last = PartialDate(y0), PartialDate(y1)
    else:
        first, last = PartialDate(y1), None
    if last is not None and first.year is not None and last.year is None:
        last = PartialDate(first.year, last.month, last.day)
    if not _valid(first) or (last is not None and not _valid(last)):
        return None
    if (
        last is not None
        and first.year is not None
        and last.year is not None
        and (first.year, first.month or 0, first.day or 0)
        > (last.year, last.month or 0, last.day or 0)
    ):
        return None
    cue = True
    if form == "year":
        before = text[max(0, match.start() - 16) : match.start()]
        after = text[match.end() : match.end() + 2]
        cue = bool(_YEAR_CUE.search(before)) or after.startswith(")")
    start, end = match.span()
    span_text = text[start:end]
    stripped = len(span_text) - len(span_text.lstrip())
    return DateMention(start + stripped, end, span_text.strip(), first, last, form, cue, vague)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date in ``text[start:end]``, longest first where matches overlap."""
    end = len(text) if end is None else end
    found: list[tuple[int, int, DateMention]] = []
    for order, (form, pattern) in enumerate(_PATTERNS):
        for match in pattern.finditer(text, start, end):
            mention = _mention(form, match, text)
            if mention is not None:
                found.append((order, mention.start, mention))
    chosen: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for _order, _start, mention in sorted(
        found, key=lambda item: (-(item[2].end - item[2].start), item[0])
    ):
        if any(mention.start < e and s < mention.end for s, e in taken):
            continue
        chosen.append(mention)
        taken.append((mention.start, mention.end))
    return sorted(chosen, key=lambda m: m.start)


def _weekday(text: str) -> int | None:
    """Monday = 0 for a date written with its day of the week ("Tue. 9 May", "jeudi 12 mars")."""
    word = re.match(r"[^\W\d_]+", text)
    if word is None:
        return None
    key = word.group().lower()
    english = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    french = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
    if key in WEEKDAYS:
        return WEEKDAYS.index(key) % 7
    if key not in WEEKDAY_ABBREVIATIONS:
        return None
    return english.index(key[:3]) if key[:3] in english else french.index(key[:3])


def with_year(mention: DateMention, year: int) -> DateMention:
    """A date written without its year ("12 March", "30 Nov. – 2 Dec.") given the year its
    section states; a range whose end comes before its start in that year ends the next year."""
    if mention.has_year or mention.first.month is None:
        return mention
    first = PartialDate(year, mention.first.month, mention.first.day)
    last = None
    if mention.last is not None:
        last_year = year
        if (mention.last.month or 0, mention.last.day or 0) < (
            mention.first.month,
            mention.first.day or 0,
        ):
            last_year = year + 1
        last = PartialDate(last_year, mention.last.month, mention.last.day)
    if not _valid(first) or (last is not None and not _valid(last)):
        return mention
    weekday = _weekday(mention.text)
    if (
        weekday is not None
        and first.day is not None
        and calendar.weekday(year, mention.first.month, first.day) != weekday
    ):
        return mention  # "Tuesday, 15 March" is not in that year: the context is another's
    return DateMention(
        mention.start,
        mention.end,
        mention.text,
        first,
        last,
        mention.form,
        mention.cue,
        mention.vague,
    )


def stated_years(text: str, start: int = 0, end: int | None = None) -> set[int]:
    """The years a stretch of text states as dates ("2022", "In 2021, ...", "8 May 2023"), not
    years inside names ("Agenda 2030")."""
    years: set[int] = set()
    for mention in find_dates(text, start, end):
        if not mention.has_year or mention.vague == "day and month order is ambiguous":
            continue
        if mention.form == "year" and not mention.cue:
            stripped = text[start:end].strip() if end is not None else text[start:].strip()
            if stripped != mention.text:  # a heading that is only a year states it
                continue
        years.add(mention.first.year)  # type: ignore[arg-type]
        if mention.last is not None and mention.last.year is not None:
            years.add(mention.last.year)
    return years


# --------------------------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Values for the draft
# --------------------------------------------------------------------------------------------


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
