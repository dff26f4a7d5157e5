"""The words and phrases that name events: kinds, ordinals and editions, the verbs that
hold an event, and how a heading or phrase is cut down to the event's name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from icpc_kg.extract.dates import WEEKDAYS, PartialDate, find_dates
from icpc_kg.extract.lexicon import ORDINALS, kind_table
from icpc_kg.extract.model import Entity, Span
from icpc_kg.extract.places import parse_location
from icpc_kg.extract.times import DateValue, find_times

# (regular expression, class) per kind of event, from lexicons/event-kinds.txt.
KINDS: list[tuple[str, str]] = kind_table("event-kinds")


KIND_RE = re.compile(
    r"(?i)\b(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _c) in enumerate(KINDS)) + r")\b"
)


TOP_LEVEL = frozenset(
    [
        "MiniConference",
        "TrainingSession",
        "Webinar",
        "Colloquium",
        "Conference",
        "Seminar",
        "Workshop",
        "Event",
    ]
)


PART_CLASSES = frozenset(["Session", "Presentation", "Workshop"])


ORDINAL_RE = re.compile(
    r"(?i)\b(?:(?P<n>\d{1,2})\s?(?:st|nd|rd|th|er|re|ère|e|ème|ième|ieme|eme|è)|(?P<w>"
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r"))\b"
)


EDITION_RE = re.compile(r"(?i)\b(?:edition|édition)\b")


SERIES_WORD = re.compile(r"(?i)\b(?:series|série|cycle)\b")


RECURRING = re.compile(
    r"(?i)\b(?:every (?:year|two years|other year)|each year|annually|annual|biennial|yearly|"
    r"tous les (?:ans|deux ans)|chaque année|annuel(?:le)?|biennal(?:e)?)\b"
)


_HOLD_VERBS = (
    r"held|holds|hosted|hosts|organi[sz]ed|organi[sz]es|co-organi[sz]ed|delivered|delivers|"
    r"convened|ran|runs|offered|offers|gave|launched|launches|will hold|will host|"
    r"will organi[sz]e|is organi[sz]ing|is holding|was pleased to (?:host|hold)|"
    r"is pleased to (?:invite you to|host|present|announce)|invites you to|"
    r"a organisé|organise|organisera|a tenu|tient|tiendra|a accueilli|accueille|accueillera|"
    r"a offert|offre|offrira|a donné|donne|donnera|a lancé|lance|présente|a présenté|"
    r"a le plaisir de vous inviter à|vous invite à"
)


HOLD_RE = re.compile(
    rf"(?i)\b(?:{_HOLD_VERBS})\b(?:,[^,]{{0,160}},)?\s+(?:its|their|a|an|the|un|une|son|sa|ses|le|la|l'|au|à)?\s*"
)


HELD_RE = re.compile(
    r"(?i)\b(?:was|were|will be|is|are) (?:held|organi[sz]ed|hosted|delivered)\b|"
    r",\s*(?:held|organi[sz]ed|hosted|convened)\s+(?:in|at|on|from|by)\b|"
    r",\s*(?:tenue?s?|organisée?s?)\s+(?:à|au|en|du|le|par)\b|"
    r"\btook place\b|\bwill take place\b|\bs'est (?:tenue?|déroulée?)s?\b|\baura lieu\b|"
    r"\ba eu lieu\b|\bse tiendra\b|\bse déroulera\b|\ba été (?:organisée?|tenue?)\b"
)


SERIES_OF_RE = re.compile(
    r"(?i)\b(?:a|the|this|une|la|cette) (?:series|série|cycle) (?:of|de|d')\s*"
    r"(?:[\"«]\s*(?P<name>[^\"»]{3,80}?)\s*[\"»]\s*)?(?P<kind>"
    + "|".join(p for p, _c in KINDS)
    + r")\b"
)


BREAKS = re.compile(
    r"(?i)^(?:(?:coffee |health |lunch |networking )?break|coffee|lunch|dinner|pause(?:[- ]café)?|"
    r"repas|déjeuner|dîner|cocktail|networking|réseautage|registration|inscription|"
    r"accueil des participants|questions?(?: from the audience| and answers| de la salle)?|"
    r"q ?& ?a|période de questions|end|fin|clôture)\b"
)


PART_PHRASE = re.compile(
    r"(?i)\b(?:the|le|la|l')\s*(?P<np>(?:opening |closing |plenary )?(?:panel(?: discussion)?|"
    r"round ?table|table ronde|plenary session|séance plénière)(?: (?:d'ouverture|de clôture|"
    r"on [^,.;]{3,60}?|sur [^,.;]{3,60}?))?)(?=\s|,|\.)"
)


_TITLE_SEPARATORS = re.compile(r"\s*(?:,|\s[-–—]\s|\s:\s|:\s|\|)\s*")


_REFERENCE_RE = re.compile(
    r"(?i)\b(?:this|that|the|these|those|ce|cet|cette|le|la|les|ces)\s+"
    r"(?:(?P<ord>first|second|third|fourth|fifth|previous|last|next|premier|première|"
    r"deuxième|troisième|dernier|dernière|prochain|prochaine)\s+|"
    r"(?P<place>[A-Z][\w.-]*(?: [A-Z][\w.-]*)?)\s+)?"
    r"(?P<kind>mini-conference|lunch seminar|training session|training|seminars?|conferences?|"
    r"colloquium|colloquia|workshops?|sessions?|webinars?|events?|series|activity|activité|"
    r"séminaires?|colloques?|conférences?|formation|événement|webinaires?|ateliers?|série|"
    r"rencontre|presentation|présentation|part|partie)\b"
)


@dataclass
class Kind:
    cls: str
    plural: bool
    start: int
    end: int
    text: str


def find_kinds(text: str, start: int = 0, end: int | None = None) -> list[Kind]:
    end = len(text) if end is None else end
    kinds = []
    for match in KIND_RE.finditer(text, start, end):
        index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
        word = match.group()
        lowered = word.lower()
        plural = any(
            part.endswith(("s", "x", "colloquia", "symposia"))
            and part not in ("congress", "congrès", "series", "sessions-midi", "assises")
            for part in re.split(r"[\s-]+", lowered)
        )
        kinds.append(Kind(KINDS[index][1], plural, match.start(), match.end(), word))
    return kinds


def edition_of(text: str) -> int | None:
    match = ORDINAL_RE.search(text)
    if not match:
        return None
    if match.group("n"):
        return int(match.group("n"))
    return ORDINALS.get(match.group("w").lower())


def is_date_or_place(segment: str) -> bool:
    segment = segment.strip(" .;")
    if not segment:
        return True
    if re.fullmatch(r"(?i)(?:le |on )?(?:" + "|".join(WEEKDAYS) + r")", segment):
        return True
    dates = find_dates(segment)
    times = find_times(segment)
    covered = sum(d.end - d.start for d in dates) + sum(t.end - t.start for t in times)
    if covered and covered >= len(segment.strip()) * 0.6:
        return True
    places = parse_location(segment, 0, len(segment))
    covered = sum(p.end - p.start for p in places)
    return bool(places) and covered >= len(re.sub(r"[()\s,]", "", segment)) * 0.6


def clean_heading(text: str) -> str:
    """A heading without the dates and places at its ends: "First seminar, Montreal
    (Canada), November 1998" -> "First seminar"."""
    start, end = clean_heading_span(text)
    return text[start:end]


def clean_heading_span(text: str) -> tuple[int, int]:
    parts = split_segments(text)
    if not parts:
        return 0, 0
    while len(parts) > 1 and is_date_or_place(parts[-1][0]):
        parts.pop()
    while len(parts) > 1 and is_date_or_place(parts[0][0]):
        parts.pop(0)
    start = parts[0][1]
    end = parts[-1][2]
    while start < end and text[start] in " ,:–-":
        start += 1
    while end > start and text[end - 1] in " ,:–-":
        end -= 1
    return start, end


def split_segments(text: str) -> list[tuple[str, int, int]]:
    segments = []
    cursor = 0
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "(«":
            depth += 1
        elif char in ")»":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = _TITLE_SEPARATORS.match(text, index)
            if (
                match
                and match.end() > index
                and (char in ",:|" or text[index] == " ")
                and match.group().strip() in (",", "-", "–", "—", ":", "|")
            ):
                segments.append((text[cursor:index], cursor, index))
                cursor = match.end()
                index = match.end()
                continue
        index += 1
    segments.append((text[cursor:], cursor, len(text)))
    return [s for s in segments if s[0].strip()]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def series_name(text: str, org_names: list[str]) -> str:
    """A series' name without a leading article, owner or "series" word:
    "The ICPC Policing for Prevention seminars" -> "Policing for Prevention seminars"."""
    name = text.strip()
    name = re.sub(r"(?i)^(?:the|les|le|la|l')\s+", "", name)
    for org in sorted(org_names, key=len, reverse=True):
        name = re.sub(rf"^{re.escape(org)}(?:['’]s)?\s+", "", name)
        name = re.sub(rf"\s+(?:of|du|de la|de l'|de|des)\s+(?:the\s+)?{re.escape(org)}$", "", name)
    name = re.sub(r"(?i)\s+series$", "", name)
    return capitalise(name.strip())


@dataclass
class Listing:
    cls: str
    series: str | None


_PARTICIPATION = re.compile(
    r"(?i)^[^,:;]{2,80}?\s(?:at|for|to|attends|à|au|aux|pour)\s+(?:the|la|le|l'|les)?\s*(?=\S)"
)


def after_participation(name: str, kind_text: str) -> str:
    """A news headline "ICPC in Lisbon for the International Conference on X" names the
    event after its preposition: "International Conference on X"."""
    at = name.find(kind_text) if kind_text else -1
    if at <= 0:
        return name
    match = _PARTICIPATION.match(name)
    if match is None or match.end() > at or find_kinds(name[: match.end()]):
        return name
    rest = name[match.end() :]
    return capitalise(rest) if len(rest.split()) >= 2 else name


_LAUNCH = re.compile(
    r"(?i)^(?:lancement|launch|ouverture|opening|clôture|closing|retour sur|review of|"
    r"highlights of|faits saillants|bilan)\s+(?:de la|du|de l['’]|des|de|of the|of)\s+(?=\S)"
)


def without_launch(name: str) -> str:
    """ "Lancement de la 7e conférence internationale" names the conference, whose launch
    is no event of its own."""
    match = _LAUNCH.match(name)
    rest = name[match.end() :] if match else name
    return capitalise(rest) if match and find_kinds(rest) else name


def breadcrumb_spans(doc: object) -> list[Span]:
    block = getattr(doc, "breadcrumb", None)
    if block is None:
        return []
    text = doc.text  # type: ignore[attr-defined]
    spans: list[Span] = []
    cursor = block.start
    for match in re.finditer(r"\s*(?:»|>|›)\s*", text[block.start : block.end]):
        spans.append((cursor, block.start + match.start()))
        cursor = block.start + match.end()
    spans.append((cursor, block.end))
    return [(s, e) for s, e in spans if e > s]


def phrase_start(text: str, kind_start: int, floor: int) -> int:
    """Back over the kind's ordinal and adjectives: "its 6th International Colloquium"."""
    before = text[floor:kind_start]
    match = re.search(
        r"(?:(?:\d{1,2}\s?(?:st|nd|rd|th|e|er|re|ème)|(?i:first|second|third|fourth|fifth|"
        r"sixth|premier|première|deuxième|troisième|new|annual|international|national|"
        r"regional|working|closed|public|expert|technical|high-level|online|virtual|"
        r"consultation|training|launch|side)|[A-Z][\w-]*)\s+)*$",
        before,
    )
    start = floor + match.start() if match else kind_start
    words = text[start:kind_start].split()
    while words and words[0].lower() in (
        "its",
        "their",
        "a",
        "an",
        "the",
        "un",
        "une",
        "son",
        "sa",
    ):
        start = text.index(words[0], start) + len(words[0]) + 1
        words.pop(0)
    return start


def phrase_end(text: str, kind_end: int, limit: int) -> int:
    """Forward over the topic: "Mini-Conference on crime prevention coordination"."""
    match = re.match(
        r"(?:\s+(?:international|internationale|national|nationale|régional|régionale))?"
        r"(?:\s+(?:on|about|entitled|titled|called|sur|consacrée? à|intitulée?)\s+"
        r"(?!\d)[^,.;()]+?)?"
        r"(?=\s*(?:[,.;()]|$|\s(?:from|in|at|on \w+ \d|du \d|le \d|à|en \d|was|were|will|is|"
        r"s'est|a été)\b))",
        text[kind_end:limit],
    )
    return kind_end + (match.end() if match else 0)


def place_rank(kind: str) -> int:
    return {
        "Venue": 0,
        "OnlineLocation": 1,
        "City": 2,
        "AdministrativeRegion": 3,
        "Country": 4,
        "WorldRegion": 5,
    }.get(kind, 9)


_PRECISION = {"gYear": 0, "gYearMonth": 1, "date": 2, "dateTime": 3}


def more_precise(a: DateValue, b: DateValue) -> bool:
    return _PRECISION[a.datatype] > _PRECISION[b.datatype]


def compatible(a: DateValue, b: DateValue) -> bool:
    """Whether two dates can be the same day/month/year at their shared precision."""
    n = min(len(a.lexical), len(b.lexical), 10)
    return a.lexical[:n] == b.lexical[:n]


def single_day(entity: Entity) -> PartialDate | None:
    """The one day an event takes place on, when its dates say so."""
    start: DateValue | None = entity.fact("startDate")
    end: DateValue | None = entity.fact("endDate")
    if start is None or start.datatype not in ("date", "dateTime"):
        return None
    if end is not None and end.lexical[:10] != start.lexical[:10]:
        return None
    year, month, day = (int(p) for p in start.lexical[:10].split("-"))
    return PartialDate(year, month, day)
