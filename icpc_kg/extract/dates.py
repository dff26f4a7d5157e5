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
