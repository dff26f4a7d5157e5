"""Events: series, events and their parts, with their kind, name, edition, dates and place.

Where events come from, in a page's usual layout:

- the breadcrumb and title name the page's series when they are a qualified plural of an
  event kind ("Lunch Seminars", "Séminaires-midi", "Strategic Seminars"; a bare "Webinars" or
  "Colloquia" is only a section of the site);
- a heading that names an event kind is an event ("First seminar, Montreal (Canada), November
  1998", "3e édition : du 3 au 5 juin 2003, Querétaro (Mexique)"); a heading that names a
  plural kind with a qualifier, or a "series", is a series; under a listing heading ("Upcoming
  webinars") each line that starts with a date is an event of that kind;
- a sentence in which an organisation holds an event ("ICPC held a Mini-Conference on...",
  "le CIPC a organisé ... un séminaire-midi") or an event "was held" is an event, the same one
  as the heading's when their kind and dates agree;
- under an event, agenda lines that start with a time, and list items with a presenter or a
  part word ("Panel 1:", "Workshop A:"), are its parts.

Each event heading opens a *scope* that lasts until the next one; later steps use scopes to
tell which event "this seminar" or a presenter belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from icpc_kg.extract.dates import (
    WEEKDAYS,
    Clock,
    DateMention,
    DateValue,
    PartialDate,
    TimeMention,
    date_time,
    find_dates,
    find_times,
    parse_clock,
    resolve_range,
    stated_years,
    stated_zone,
    when,
    with_year,
    zone_offset,
)
from icpc_kg.extract.document import Block, title_like
from icpc_kg.extract.lexicon import GENERIC_PLURALS, LISTING_QUALIFIERS, ORDINALS, kind_table
from icpc_kg.extract.model import Entity, Extraction, Scope, Span
from icpc_kg.extract.places import PlaceMention, add_place, parse_location
from icpc_kg.extract.text import fold, fold_words, slugify

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
    r"(?i)\b(?:(?P<n>\d{1,2})\s?(?:st|nd|rd|th|er|re|ère|e|ème|è)|(?P<w>"
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
_BREAKS = re.compile(
    r"(?i)^(?:(?:coffee |health |lunch |networking )?break|coffee|lunch|dinner|pause(?:[- ]café)?|"
    r"repas|déjeuner|dîner|cocktail|networking|réseautage|registration|inscription|"
    r"accueil des participants|questions?(?: from the audience| and answers| de la salle)?|"
    r"q ?& ?a|période de questions|end|fin|clôture)\b"
)
_PART_PHRASE = re.compile(
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
            and part not in ("congress", "congrès", "series", "sessions-midi")
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


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def _is_date_or_place(segment: str) -> bool:
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
    parts = _split_segments(text)
    if not parts:
        return 0, 0
    while len(parts) > 1 and _is_date_or_place(parts[-1][0]):
        parts.pop()
    while len(parts) > 1 and _is_date_or_place(parts[0][0]):
        parts.pop(0)
    start = parts[0][1]
    end = parts[-1][2]
    while start < end and text[start] in " ,:–-":
        start += 1
    while end > start and text[end - 1] in " ,:–-":
        end -= 1
    return start, end


def _split_segments(text: str) -> list[tuple[str, int, int]]:
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


# --------------------------------------------------------------------------------------------
# The step
# --------------------------------------------------------------------------------------------


@dataclass
class _Listing:
    cls: str
    series: str | None


class EventFinder:
    """Walks the page's blocks once, opening scopes and adding events as it goes."""

    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.doc = extraction.doc
        self.text = extraction.doc.flat
        self.page_series: str | None = None
        self.series: str | None = None  # the series section the walk is in
        self.event: str | None = None  # the top-level event whose scope the walk is in
        self.listing: _Listing | None = None
        self.day: DateMention | None = None  # the day heading of a programme
        self.last_clock: Clock | None = None
        self.part_count: dict[str, int] = {}
        self.heading_event_block: int | None = None
        self.page_zone = self._page_zone()
        self._org_spans: list[Span] = []
        self._org_starts: list[int] | None = None
        self.consumed: set[int] = set()  # blocks already read as part of an earlier line

    # -- helpers ----------------------------------------------------------------------------
    def org_at(self, start: int, end: int) -> list[str]:
        return [key for (s, e), key in self.x.org_spans if start <= s and e <= end]

    def org_names(self) -> list[str]:
        names: list[str] = []
        for entity in self.x.of_kind("org"):
            names.extend(entity.all_names())
        return names

    def inside_org(self, start: int, end: int) -> bool:
        if self._org_starts is None:
            self._org_spans = sorted(span for span, _k in self.x.org_spans)
            self._org_starts = [s for s, _e in self._org_spans]
        index = bisect_right(self._org_starts, start)
        # Organisation mentions do not nest deeply: the few that start before ``start``
        # and close enough are the only candidates.
        return any(s <= start and end <= e for s, e in self._org_spans[max(0, index - 8) : index])

    def _page_zone(self) -> str | None:
        zones = {t.zone for t in find_times(self.text) if t.zone}
        if not zones:
            return stated_zone(self.text)
        return zones.pop() if len(zones) == 1 else None

    def open_scope(
        self, key: str, start: int, is_series: bool = False, parent: str | None = None
    ) -> None:
        for scope in self.x.scopes:
            if (
                scope.end is None
                and (scope.is_series == is_series)
                and (parent is None or scope.parent == parent)
            ) and ((not is_series and parent is None and scope.parent is None) or is_series):
                scope.end = start
        self.x.scopes.append(Scope(key, start, None, is_series, parent))

    def new_event(self, cls: str, name: str, span: Span, alternate: str | None = None) -> Entity:
        key = f"event:{slugify(name)}"
        if cls == "EventSeries":
            key = f"series:{slugify(name)}"
        existing = self.x.entities.get(key)
        if existing is not None and existing.cls != cls and cls != "EventSeries":
            key = f"{key}-{slugify(cls)}"
        entity = self.x.add(Entity(key, cls))
        entity.add_name(name, self.doc.lang)
        if alternate and fold(alternate) != fold(name):
            entity.add_alternate(alternate, self.doc.lang)
        entity.add_span(span)
        return entity

    def context_year(self, offset: int) -> int | None:
        """The one year the enclosing context states for a date written without its own:
        the rest of its block, else the nearest heading or paragraph before it that states
        one ("2022", "In 2021, ...", "from 8 to 10 May 2023"). Sibling list items and table
        rows are skipped (each states its own); a block stating several years stops the
        search, since the year is then not the page's to give."""
        index = self.doc.block_index(offset)
        if index < 0:
            return None
        own = self.doc.blocks[index]
        years = stated_years(self.text, own.start, own.end)
        if len(years) == 1:
            return years.pop()
        if years:
            return None
        in_section = True  # paragraphs count only in the date's own section
        for block in reversed(self.doc.blocks[:index]):
            if block.kind in ("item", "row", "breadcrumb") or (
                block.kind == "paragraph" and not in_section
            ):
                continue
            if block.kind == "heading" and (
                find_kinds(self.text, block.start, block.end)
                or EDITION_RE.search(self.text, block.start, block.end)
                or any(
                    d.first.month is not None for d in find_dates(self.text, block.start, block.end)
                )
            ):
                # Another event's heading ("3e édition : du 3 au 5 juin 2003") states its own
                # year, not the section's.
                in_section = False
                continue
            years = stated_years(self.text, block.start, block.end)
            if len(years) == 1:
                return years.pop()
            if years:
                return None
            if block.kind in ("heading", "title"):
                in_section = False
        return None

    def event_year(self) -> int | None:
        """The year of the event whose scope the walk is in, when its dates give one year: a
        programme's days ("Mon. 8 May") are in its event's year."""
        if self.event is None:
            return None
        entity = self.x.entities[self.event]
        start, end = entity.fact("startDate"), entity.fact("endDate")
        if start is None or (end is not None and end.lexical[:4] != start.lexical[:4]):
            return None
        return int(start.lexical[:4])

    def dated(self, mention: DateMention) -> DateMention:
        """``mention`` with the year of its context when it has none of its own."""
        if mention.has_year:
            return mention
        year = self.context_year(mention.start)
        return with_year(mention, year) if year is not None else mention

    def set_dates(
        self,
        entity: Entity,
        mention: DateMention | None,
        times: TimeMention | None = None,
        start_only: bool = False,
        span: Span | None = None,
    ) -> None:
        if mention is None:
            return
        mention = self.dated(mention)
        value = when(mention, times, start_only, self.page_zone, self.doc.flat)
        current = entity.fact("startDate")
        if value.text is not None:
            if current is None and entity.fact("dateText") is None:
                entity.set_fact(
                    "dateText",
                    self.doc.text[mention.start : max(mention.end, times.end if times else 0)]
                    if times and times.start > mention.start
                    else value.text,
                )
                for flag in value.flags:
                    self.x.flag(
                        "date",
                        f"{entity.name}: {flag}: {value.text!r} kept as icpc:dateText",
                        span or (mention.start, mention.end),
                    )
            return
        if value.start is None:
            return
        if current is None or (
            _more_precise(value.start, current) and _compatible(value.start, current)
        ):
            entity.set_fact("startDate", value.start)
            if value.end is not None:
                entity.set_fact("endDate", value.end)
            else:
                entity.facts.pop("endDate", None)
            entity.facts.pop("dateText", None)
            for flag in value.flags:
                if flag == "time without a time zone":
                    self.x.flag(
                        "time zone",
                        f"{entity.name}: times given without a time zone; recorded as local "
                        f"times ({value.start.lexical}); add the offset if you know it",
                        span or (mention.start, mention.end),
                    )
                else:
                    self.x.flag(
                        "date", f"{entity.name}: {flag}", span or (mention.start, mention.end)
                    )

    def set_location(self, entity: Entity, places: list[PlaceMention], span: Span) -> None:
        if not places:
            return
        keys = [add_place(self.x, p.info, (p.start, p.end)) for p in places]
        for index, place in enumerate(places):
            if place.within is not None:
                self.x.relate(
                    keys[index],
                    "schema:containedInPlace",
                    keys[place.within],
                    (place.start, places[place.within].end + 1),
                )
        if self.x.objects(entity.key, "schema:location"):
            return
        target = min(range(len(places)), key=lambda i: _place_rank(places[i].info.kind))
        self.x.relate(entity.key, "schema:location", keys[target], span)

    def location_in(self, start: int, end: int, lead_required: bool = True) -> list[PlaceMention]:
        found = parse_location(self.text, start, end)
        found = [p for p in found if not self.inside_org(p.start, p.end)]
        if not lead_required:
            return found
        kept: list[PlaceMention] = []
        keep_index: dict[int, int] = {}
        for index, place in enumerate(found):
            lead = re.search(
                r"(?i)(?:\b(?:in|at|à|au|aux|dans|en)\s+(?:the\s+|le\s+|la\s+|l')?|[(,]\s*)$",
                self.text[max(start, place.start - 14) : place.start],
            )
            from_lead = re.search(
                r"(?i)\b(?:from|de|des)\s+(?:\S+\s+){0,2}$",
                self.text[max(start, place.start - 30) : place.start],
            )
            nested_in_previous = (
                index > 0
                and found[index - 1].within == index
                and (found[index - 1].start, found[index - 1].end)
                in {(k.start, k.end) for k in kept}
            )
            if (
                lead
                and not (
                    from_lead
                    and not re.search(
                        r"(?i)\b(?:in|at|à)\s",
                        self.text[max(start, place.start - 14) : place.start],
                    )
                )
            ) or nested_in_previous:
                keep_index[index] = len(kept)
                kept.append(place)
        return [
            PlaceMention(
                p.start,
                p.end,
                p.info,
                keep_index.get(found.index(p) + 1)
                if p.within is not None and found.index(p) + 1 in keep_index
                else None,
            )
            for p in kept
        ]

    # -- the walk ---------------------------------------------------------------------------
    def run(self) -> None:
        self.breadcrumb_and_title()
        for index, block in enumerate(self.doc.blocks):
            if block.kind in ("title", "breadcrumb") or block.start in self.consumed:
                continue
            self.block(index, block)
        self.close_scopes()
        self.attach_to_series()
        self.headline_names_the_event()

    def headline_names_the_event(self) -> None:
        """A news page's headline ("ICPC welcomes a delegation from Chile") names the one event
        its text reports, when the headline names no event or publication itself."""
        from icpc_kg.extract.publications import publication_class

        block = self.doc.headline
        if block is None:
            return
        headline = self.doc.text[block.start : block.end].strip()
        if find_kinds(headline) or publication_class(headline):
            return
        top = [
            e
            for e in self.x.of_kind("event")
            if e.cls != "EventSeries" and not self.x.subjects("icpc:hasEventPart", e.key)
        ]
        if len(top) == 1:
            top[0].add_alternate(headline, self.doc.lang)
            top[0].add_span(block.span)

    def breadcrumb_and_title(self) -> None:
        crumbs = _crumbs(self.doc)
        if crumbs:
            root_s, root_e = crumbs[0]
            owners = self.org_at(root_s, root_e)
            if owners:
                self.x.site_owner = owners[0]
        candidates = crumbs[1:]
        title_block = next((b for b in self.doc.blocks if b.kind == "title"), None)
        if title_block is not None:
            title = self.text[title_block.start : title_block.end]
            cut = (
                re.split(r"\s+[|–-]\s+(?=[^|–-]*$)", title)[0]
                if " | " in title or " - " in title
                else title
            )
            candidates.append((title_block.start, title_block.start + len(cut)))
        for s, e in candidates:
            phrase = self.text[s:e].strip()
            if self.is_series_phrase(phrase):
                entity = self.new_event(
                    "EventSeries", series_name(phrase, self.org_names()), (s, e)
                )
                self.page_series = entity.key
                if self.x.site_owner:
                    self.x.relate(entity.key, "icpc:organizer", self.x.site_owner, (s, e))

    def is_series_phrase(self, phrase: str) -> bool:
        kinds = find_kinds(phrase)
        if not kinds:
            return False
        kind = kinds[-1]
        if SERIES_WORD.search(phrase):
            return True
        if not kind.plural or kind.cls in PART_CLASSES:
            return False
        words = [
            w
            for w in re.findall(r"[\w'-]+", fold(phrase))
            if w not in ("the", "les", "le", "la", "of", "de", "du", "des")
        ]
        # The owner named in the phrase ("The ICPC ... seminars", "... du CIPC") is no qualifier.
        org_words = {
            fold(n)
            for n in self.org_names()
            if re.search(rf"(?<![\w-]){re.escape(fold(n))}(?![\w-])", fold(phrase))
        }
        qualifiers = [
            w
            for w in words
            if w not in fold(kind.text).split() and w not in org_words and w not in ("l'",)
        ]
        if fold(kind.text) in GENERIC_PLURALS and not qualifiers:
            return False
        if any(q in LISTING_QUALIFIERS for q in qualifiers):
            return False
        return bool(qualifiers) or fold(kind.text) not in GENERIC_PLURALS

    def block(self, index: int, block: Block) -> None:
        line = self.text[block.start : block.end]
        heading_like = block.kind in ("heading",) or (
            block.kind in ("item", "row", "paragraph") and title_like(line) and len(line) < 160
        )
        if (
            block.kind == "heading"
            or (heading_like and block.kind == "paragraph" and not block.label)
        ) and self.heading(index, block):
            return
        if block.kind in ("item", "row") and self.event and self.agenda_item(index, block):
            return
        if (
            block.kind in ("item", "row", "heading", "paragraph")
            and (self.listing or self.series)
            and self.listing_line(block)
        ):
            return
        if block.label and self.labelled(block):
            return
        if block.kind in ("item",) and self.event:
            self.numbered_part(index, block)
        for s, e in self.doc.sentences_in(block.start, block.end) or [block.span]:
            self.sentence(s, e, block)

    # -- headings ---------------------------------------------------------------------------
    def heading(self, index: int, block: Block) -> bool:
        text = self.text[block.start : block.end]
        kinds = [
            k
            for k in find_kinds(text)
            if not self.inside_org(block.start + k.start, block.start + k.end)
        ]
        dates = find_dates(self.text, block.start, block.end)
        if self.day_heading(block, dates):
            return True
        if not kinds:
            if self.edition_heading(block, text):
                return True
            self.subtitle(index, block)
            if self.event is None and self.series is None:
                return False
            # A heading that is not an event ends a listing ("Programme", "Speakers").
            self.listing = None if not dates else self.listing
            return False
        kind = kinds[0]
        if SERIES_WORD.search(text) or (kind.plural and self.is_series_phrase(text)):
            self.series_heading(block, text)
            return True
        if kind.plural:
            cls = kind.cls if kind.cls in TOP_LEVEL else None
            if cls:
                self.listing = _Listing(cls, self.series)
            return True
        if kind.cls not in TOP_LEVEL:
            return False
        if (
            self.event
            and block.level > 1
            and self._heading_level(self.event) < block.level
            and kind.cls in PART_CLASSES
        ):
            return False
        self.event_heading(index, block, text, kind, dates)
        return True

    def _heading_level(self, key: str) -> int:
        return self.x.entities[key].fact("_level") or 1

    def day_heading(self, block: Block, dates: list[DateMention]) -> bool:
        """ "Tuesday 12 November 2019" over a programme: the day of the items below."""
        text = self.text[block.start : block.end].strip()
        day = self.dated(dates[0]) if dates else None
        year = self.event_year()
        if day is not None and not day.has_year and year is not None:
            day = with_year(day, year)
        if (
            self.event
            and day
            and day.first.precision == "day"
            and day.end - day.start >= len(text) - 2
            and day.has_year
        ):
            self.day = day
            self.last_clock = None
            return True
        return False

    def series_heading(self, block: Block, text: str) -> None:
        owners = self.org_at(block.start, block.end)
        name = series_name(re.sub(r"\s*[:–-]\s*$", "", text), self.org_names())
        name = re.sub(r"(?i)^(\w+)\s+series\s*:\s*", r"\1 Series: ", name)
        entity = self.find_series(name) or self.new_event(
            "EventSeries", name, block.span, alternate=text
        )
        entity.add_span(block.span)
        if fold(text) != fold(entity.name):
            entity.add_alternate(text, self.doc.lang)
        for owner in owners:
            self.x.relate(entity.key, "icpc:organizer", owner, block.span)
        kinds = find_kinds(text)
        entity.set_fact("_kind", kinds[0].cls if kinds else None)
        if self.page_series and entity.key != self.page_series:
            self.x.relate(entity.key, "icpc:inSeries", self.page_series, block.span)
        self.series = entity.key
        self.event = None
        self.listing = None
        self.open_scope(entity.key, block.line_start, is_series=True)

    def find_series(self, name: str) -> Entity | None:
        wanted = fold_words(name)
        for entity in self.x.of_class("EventSeries"):
            for label in entity.all_names():
                if (
                    fold_words(series_name(label, self.org_names())) == wanted
                    or fold_words(label) == wanted
                ):
                    return entity
        return None

    def edition_heading(self, block: Block, text: str) -> bool:
        """ "3e édition : ..." inside a series is one of its events."""
        if not (self.series and EDITION_RE.search(text) and edition_of(text)):
            return False
        cls = self.x.entities[self.series].fact("_kind") or "Event"
        dates = find_dates(self.text, block.start, block.end)
        kind = Kind(cls, False, 0, 0, "")
        self.event_heading(self.doc.block_index(block.start), block, text, kind, dates)
        return True

    def original(self, block: Block, text: str) -> str:
        """The cleaned heading as the page writes it (guillemets and all)."""
        s, e = clean_heading_span(text)
        return self.doc.text[block.start + s : block.start + e]

    def event_heading(
        self, index: int, block: Block, text: str, kind: Kind, dates: list[DateMention]
    ) -> None:
        name = _after_participation(self.original(block, text), kind.text)
        text = self.doc.text[block.start : block.end]
        entity = self.new_event(kind.cls, name, block.span, alternate=text)
        edition = edition_of(name[: max(kind.start, 1) + 12]) if kind.text else edition_of(name)
        if (
            edition
            and re.match(r"(?i)\s*(?:\d+\s?\w{0,3}|\w+)\s", name)
            and edition_of(name.split()[0] + " ")
        ):
            entity.set_fact("edition", edition)
        elif EDITION_RE.search(text) and edition_of(text):
            entity.set_fact("edition", edition_of(text))
        entity.set_fact("_level", block.level or 2)
        datable = [d for d in dates if d.has_year or d.form != "year"]
        if datable:
            times = find_times(self.text, block.start, block.end)
            self.set_dates(entity, datable[0], times[0] if times else None, span=block.span)
        places = self.location_in(block.start, block.end, lead_required=False)
        places = [p for p in places if not any(d.start <= p.start < d.end for d in dates)]
        self.set_location(entity, places, block.span)
        for owner in self._owner_prefix(block.start, block.start + kind.end + 20):
            self.x.relate(entity.key, "icpc:organizer", owner, block.span)
        self.event = entity.key
        self.heading_event_block = index
        self.day = None
        self.listing = None
        self.open_scope(entity.key, block.line_start)
        if self.series and (
            self.x.entities[self.series].fact("_kind") in (kind.cls, None)
            or EDITION_RE.search(text)
        ):
            self.x.relate(entity.key, "icpc:inSeries", self.series, block.span)

    def _owner_prefix(self, start: int, end: int) -> list[str]:
        """ "ICPC Mini-Conference", "Séminaire-midi du CIPC": an organisation named with the
        event kind is its organiser."""
        owners = []
        for (s, e), key in self.x.org_spans:
            if start <= s and e <= end:
                before = self.text[start:s].strip()
                after = self.text[e:end]
                # "ICPC at the 14th Congress" names a participant, not an owner.
                if re.search(r"(?i)\b(?:at|in|to|for|with|on|à|au|aux|en|pour|avec|chez)\b", after):
                    continue
                if (
                    not before
                    or re.fullmatch(
                        r"(?i)(?:the|le|la|les|(?:\d+\s?\w{0,3}\s+)?\w+(?:[- ]\w+)?"
                        r"(?: \w+)? (?:du|de la|de l'|of the|of))",
                        before,
                    )
                    or re.fullmatch(r"(?i)(?:the\s+)?\d{1,2}\s?(?:st|nd|rd|th|e|er|re|ème)", before)
                ):
                    owners.append(key)
        return owners

    def subtitle(self, index: int, block: Block) -> None:
        """The line right under an event's heading that restates its topic is its name."""
        if self.event is None or self.heading_event_block is None:
            return
        if index != self.heading_event_block + 1:
            return
        entity = self.x.entities[self.event]
        line = self.doc.text[block.start : block.end].strip()
        topic = entity.all_names()[-1] if entity.alternates else entity.name
        if fold_words(line) and fold_words(line.split("–")[0]) in fold_words(topic):
            entity.names, old = [], entity.names
            entity.add_name(line, self.doc.lang)
            for label in old:
                entity.add_alternate(label.text, label.lang)
            entity.add_span(block.span)

    # -- listings, programmes and parts -------------------------------------------------------
    def listing_line(self, block: Block) -> bool:
        """A line that starts with a date under a listing heading is an event."""
        text = self.text[block.start : block.end]
        dates = find_dates(self.text, block.start, block.end)
        if not dates or dates[0].start > block.start + 2:
            return False
        cls = (
            self.listing.cls
            if self.listing
            else (self.x.entities[self.series].fact("_kind") if self.series else None)
        )
        if cls is None:
            return False
        name = self.original(block, text)
        title_block = None
        if not name or _is_date_or_place(name):
            # "30 Nov. – 2 Dec. — Abidjan (Côte d'Ivoire)" over a line with the title.
            title_block = self._title_below(block)
            if title_block is None:
                return False
            name = self.original(title_block, self.text[title_block.start : title_block.end])
        # "28–30 October 2019: 12th ICPC Colloquium on urban safety, Oaxaca (Mexico), organised
        # with ...": the name is the first segment after the date, the kind the one it names.
        name_start = block.start + text.index(name) if name in text else block.start
        first = _split_segments(self.text[name_start : block.end])
        if title_block is not None:
            name_start = block.end
        elif len(first) > 1:
            name = self.doc.text[name_start + first[0][1] : name_start + first[0][2]].strip()
        kinds = [k for k in find_kinds(name) if k.cls in TOP_LEVEL or k.cls in PART_CLASSES]
        if kinds and not kinds[0].plural:
            cls = kinds[0].cls
        text = self.doc.text[block.start : block.end]
        times = [
            t for t in find_times(self.text, block.start, block.end) if t.start >= dates[0].end
        ]
        entity = self.new_event(
            cls, name, block.span, alternate=text if fold(text) != fold(name) else None
        )
        self.set_dates(entity, dates[0], times[0] if times else None, span=block.span)
        edition = edition_of(name.split()[0] + " ") if name.split() else None
        if edition:
            entity.set_fact("edition", edition)
        kind_at = name_start + (kinds[0].start if kinds else len(name))
        for owner in self._owner_prefix(name_start, kind_at):
            self.x.relate(entity.key, "icpc:organizer", owner, block.span)
        places = [
            p
            for p in self.location_in(
                block.start if title_block is not None else name_start + len(name),
                block.end,
                lead_required=False,
            )
            if not any(d.start <= p.start < d.end for d in dates)
        ]
        if title_block is not None:
            entity.add_span(title_block.span)
            self.consumed.add(title_block.start)
        self.set_location(entity, places, block.span)
        series = self.listing.series if self.listing else self.series
        if series:
            self.x.relate(entity.key, "icpc:inSeries", series, block.span)
        self.event = entity.key
        self.open_scope(entity.key, block.line_start)
        return True

    def _title_below(self, block: Block) -> Block | None:
        """The line under a date-and-place line that gives the entry's title: title-like, with
        no date of its own and not a labelled line ("Trainer: ...")."""
        index = self.doc.block_index(block.start) + 1
        if index >= len(self.doc.blocks):
            return None
        below = self.doc.blocks[index]
        line = self.text[below.start : below.end]
        if below.kind not in ("heading", "paragraph", "item") or (below.label and ": " not in line):
            return None
        if find_dates(self.text, below.start, below.end) or not title_like(line):
            return None
        return below

    def agenda_item(self, index: int, block: Block) -> bool:
        """ "9:30 a.m. – 11:00 a.m. Panel 1: Youth violence" under an event: a part of it."""
        if self.event is None:
            return False
        text = self.text[block.start : block.end]
        lead = self._row_day(block)
        if lead is not None:
            # "Mon. 8 May | 10:00–11:30 | Opening plenary": a row that opens a new day.
            text = self.text[lead.end : block.end].lstrip(" |–-:\t")
        times = find_times(text)
        if not times or times[0].start > 1 or times[0].last is None:
            return False
        if lead is not None:
            self.day = lead
            self.last_clock = None
        title = text[times[0].end :].strip(" |–-:")
        title = re.split(r"\s+\|\s+", title)[0]
        by = re.search(
            r"(?i),?\s+(?:(?:presented|moderated|hosted|given|led|delivered) by|by|"
            r"présentée? par|animée? par)\s",
            title,
        )
        name = title[: by.start()].strip(" ,") if by else title
        if not name or _BREAKS.match(name) or fold(name) in ("item", "time", "heure"):
            self._advance_clock(times[0])
            return True
        kinds = find_kinds(name)
        cls = "Session"
        if kinds:
            cls = kinds[0].cls if kinds[0].cls in PART_CLASSES else "Session"
        parent = self.x.entities[self.event]
        start_clock, end_clock = self._agenda_clocks(times[0])
        span = (block.start, block.end)
        entity = self.new_event(cls, capitalise(name), span)
        self.x.relate(parent.key, "icpc:hasEventPart", entity.key, span)
        day = self.day.first if self.day else _single_day(parent)
        if day is not None and day.year is not None:
            offset = zone_offset(times[0].zone or self.page_zone, day)
            entity.set_fact("startDate", date_time(day, start_clock, offset))
            if end_clock:
                entity.set_fact("endDate", date_time(day, end_clock, offset))
            if offset is None:
                self.x.flag(
                    "time zone",
                    f"{entity.name}: times given without a time zone; recorded as local times",
                    span,
                )
        else:
            entity.set_fact("dateText", times[0].text)
            self.x.flag("date", f"{entity.name}: a time with no day; kept as icpc:dateText", span)
        self.x.scopes.append(
            Scope(entity.key, block.line_start, self._details_end(index), False, parent.key)
        )
        return True

    def _row_day(self, block: Block) -> DateMention | None:
        """The day a programme row starts with, dated with its context's or event's year."""
        dates = find_dates(self.text, block.start, block.end)
        if not dates or dates[0].start > block.start + 1 or dates[0].first.precision != "day":
            return None
        day = self.dated(dates[0])
        year = self.event_year()
        if not day.has_year and year is not None:
            day = with_year(day, year)
        return day if day.has_year and not day.is_range else None

    def _agenda_clocks(self, times: TimeMention) -> tuple[Clock, Clock | None]:
        start, end = resolve_range(times.first, times.last)
        start = self._monotonic(times.first, start)
        if end is not None:
            end = self._monotonic(times.last, end, floor=start)  # type: ignore[arg-type]
        self.last_clock = end or start
        return start, end

    def _monotonic(self, raw: Clock, clock: Clock, floor: Clock | None = None) -> Clock:
        """A programme's times run forward: "12:15 – 1:15" without a.m./p.m. ends at 13:15."""
        reference = floor or self.last_clock
        if (
            raw.meridiem is None
            and reference is not None
            and clock.hour < 12
            and (clock.hour, clock.minute) < (reference.hour, reference.minute)
        ):
            return Clock(clock.hour + 12, clock.minute, "pm")
        return clock

    def _advance_clock(self, times: TimeMention) -> None:
        self._agenda_clocks(times)

    def numbered_part(self, index: int, block: Block) -> None:
        """A list item under an event that names a part ("Panel 1: ...") or is followed by
        who presents it is one of its presentations."""
        parent = self.x.entities[self.event]  # type: ignore[index]
        if parent.cls == "EventSeries":
            return
        text = self.text[block.start : block.end]
        section_end = self._item_section_end(index)
        has_presenter = any(
            block.start + 3 < s < section_end and part is not None
            for (s, _e), _key, part in self.x.person_spans
        ) and not any(
            block.start <= s <= block.start + 3 for (s, _e), _k, _p in self.x.person_spans
        )
        kinds = find_kinds(text)
        part_word = kinds and kinds[0].start < 3 and kinds[0].cls in PART_CLASSES
        if not (has_presenter or part_word) or not title_like(text):
            return
        if re.fullmatch(r'\s*"[^"]+"\s*', text):
            return  # a quoted title in a list is a publication, not a part
        if has_presenter and not part_word and not self._run_qualifies(index):
            return
        cls = kinds[0].cls if part_word else "Presentation"
        entity = self.new_event(cls, text.strip(), block.span)
        self.part_count[parent.key] = self.part_count.get(parent.key, 0) + 1
        ordinal = self._ordinal_part(block.start, section_end)
        if ordinal or block.number is not None:
            entity.set_fact("position", ordinal or self.part_count[parent.key])
        self.x.relate(parent.key, "icpc:hasEventPart", entity.key, block.span)
        self.x.scopes.append(Scope(entity.key, block.line_start, section_end, False, parent.key))

    def _run_qualifies(self, index: int) -> bool:
        """Parts come as a list whose items all say who presents them ("1. ... presented by
        X"); one list item followed by a paragraph that names a presenter is not enough."""
        blocks = self.doc.blocks
        run = [index]
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(blocks) and blocks[other].kind in ("item", "paragraph"):
                line = self.text[blocks[other].start : blocks[other].end].rstrip()
                if blocks[other].kind == "paragraph" and line.endswith(":"):
                    break  # the line that introduces a list bounds it
                if blocks[other].kind == "item" and blocks[other].group != blocks[index].group:
                    run.append(other)
                other += step
        items = sorted(set(run))
        if len(items) == 1:
            return True
        for item in items:
            block = blocks[item]
            end = self._item_section_end(item)
            if not any(
                block.start + 3 < s < end and part is not None
                for (s, _e), _key, part in self.x.person_spans
            ):
                return False
        return True

    def _ordinal_part(self, start: int, end: int) -> int | None:
        match = re.search(
            r"(?i)\b(first|second|third|fourth|fifth|premi[eè]re|deuxième|troisième) part(?:ie)?\b",
            self.text[start:end],
        )
        return ORDINALS.get(match.group(1).lower()) if match else None

    def _details_end(self, index: int) -> int:
        """Where an agenda line's details end: its own continuation lines, and the lines
        right under it that say who speaks ("Moderator: ...", "Presented by ...")."""
        from icpc_kg.extract.people import PART_TRIGGERS

        blocks = self.doc.blocks
        end = blocks[index].end
        for other in blocks[index + 1 :]:
            same = other.group == blocks[index].group
            line = self.text[other.start : other.end]
            speaks = other.kind == "paragraph" and any(p.match(line) for _n, p in PART_TRIGGERS)
            if not (same or speaks):
                break
            end = other.end
        return end

    def _item_section_end(self, index: int) -> int:
        blocks = self.doc.blocks
        end = blocks[index].end
        for other in blocks[index + 1 :]:
            if other.kind in ("item", "heading", "row") and other.group != blocks[index].group:
                break
            end = other.end
        return end

    # -- labelled lines ---------------------------------------------------------------------
    def labelled(self, block: Block) -> bool:
        label = fold(block.label or "")
        target = self.event
        if target is None:
            return False
        entity = self.x.entities[target]
        value_start = block.start + len(block.label or "") + 1
        value = self.text[value_start : block.end]
        if label in ("date", "dates", "date et heure", "date and time", "when", "quand", "date(s)"):
            dates = find_dates(self.text, value_start, block.end)
            times = find_times(self.text, value_start, block.end)
            self._label_date(entity, dates, times, block)
            return True
        if label in ("time", "heure", "heures", "horaire", "hour", "hours"):
            times = find_times(self.text, value_start, block.end)
            if times and entity.fact("_date_mention") is not None:
                self.set_dates(entity, entity.fact("_date_mention"), times[0], span=block.span)
                entity.add_span(block.span)
            return bool(times)
        if label in (
            "location",
            "lieu",
            "venue",
            "place",
            "where",
            "endroit",
            "adresse",
            "address",
        ):
            places = self.location_in(value_start, block.end, lead_required=False)
            self.set_location(entity, places, block.span)
            return bool(places) or bool(value.strip())
        return False

    def _label_date(
        self, entity: Entity, dates: list[DateMention], times: list[TimeMention], block: Block
    ) -> None:
        if not dates:
            return
        entity.set_fact("_date_mention", dates[0])
        self.set_dates(entity, dates[0], times[0] if times else None, span=block.span)
        entity.add_span(block.span)

    # -- sentences --------------------------------------------------------------------------
    def sentence(self, start: int, end: int, block: Block) -> None:
        text = self.text
        # A line that is only a date right under the event's heading is the event's date.
        if self.event and block.kind in ("paragraph", "heading"):
            dates = find_dates(text, start, end)
            times = find_times(text, start, end)
            covered = sum(d.end - d.start for d in dates) + sum(t.end - t.start for t in times)
            if (
                dates
                and covered >= (end - start) * 0.6
                and self.doc.block_index(start) <= (self.heading_event_block or 0) + 2
            ):
                entity = self.x.entities[self.event]
                entity.set_fact("_date_mention", dates[0])
                self.set_dates(entity, dates[0], times[0] if times else None, span=(start, end))
                entity.add_span((start, end))
                return
        self.series_of(start, end)
        self.part_in_sentence(start, end)
        for kind in find_kinds(text, start, end):
            if self.inside_org(kind.start, kind.end) or kind.cls not in TOP_LEVEL:
                continue
            if kind.plural and not SERIES_WORD.search(text[kind.end : kind.end + 8]):
                continue
            if SERIES_WORD.search(text[kind.end : kind.end + 8]) or SERIES_WORD.search(
                text[max(start, kind.start - 10) : kind.start]
            ):
                self.series_mention(kind, start, end)
                continue
            self.event_in_sentence(kind, start, end)

    def part_in_sentence(self, start: int, end: int) -> None:
        """ "le panel d'ouverture réunissait M. X et Mme Y": a panel of the event in scope,
        named in a sentence that says who took part in it."""
        if self.event is None:
            return
        match = _PART_PHRASE.search(self.text, start, end)
        if not match:
            return
        people = [
            p
            for (s, _e), _k, p in self.x.person_spans
            if start <= s < end and p in ("moderator", "panelist")
        ]
        if not people:
            return
        phrase = self.doc.text[match.start("np") : match.end("np")]
        cls = "Workshop" if re.match(r"(?i)atelier|workshop", phrase) else "Session"
        entity = self.new_event(cls, capitalise(phrase), (start, end))
        self.x.relate(self.event, "icpc:hasEventPart", entity.key, (start, end))

    def series_of(self, start: int, end: int) -> None:
        """'a series of "Policing for Prevention" seminars which began in 1998'."""
        for match in SERIES_OF_RE.finditer(self.text, start, end):
            if not match.group("name"):
                continue
            kind_word = match.group("kind")
            name = f"{match.group('name').strip()} {kind_word}"
            entity = self.find_series(name) or self.new_event("EventSeries", name, (start, end))
            entity.add_span((start, end))
            self._series_facts(entity, match.start(), start, end)
            if self.series is None:
                # The sentences after it ("This series was co-sponsored by") are about it.
                self.series = entity.key
                entity.set_fact(
                    "_kind", find_kinds(kind_word)[0].cls if find_kinds(kind_word) else None
                )
                self.open_scope(entity.key, start, is_series=True)

    def series_mention(self, kind: Kind, start: int, end: int) -> None:
        """ "ICPC launched a webinar series on prevention in practice": the series in scope,
        with its start and organiser."""
        scope_series = self.series or self.page_series
        if scope_series is None:
            return
        entity = self.x.entities[scope_series]
        entity.add_span((start, end))
        self._series_facts(entity, kind.start, start, end)

    def _series_facts(self, entity: Entity, at: int, start: int, end: int) -> None:
        sentence = self.text[start:end]
        began = re.search(
            r"(?i)\b(?:began|begun|started|launched|created|since|depuis|a débuté|"
            r"a commencé|lancée?)\b",
            sentence,
        )
        if began:
            years = [
                d
                for d in find_dates(self.text, start, end)
                if (d.first.precision == "year" and d.cue) or d.form in ("my", "mdy", "dmy")
            ]
            if years:
                self.set_dates(entity, years[0], start_only=True, span=(start, end))
        hold = HOLD_RE.search(self.text, start, end)
        if hold:
            for (s, e), key in self.x.org_spans:
                if (
                    start <= s
                    and e <= hold.start()
                    and not re.search(r"(?i)\b(?:with|avec)\b", self.text[e : hold.start()])
                ):
                    self.x.relate(entity.key, "icpc:organizer", key, (start, end))
        match = re.search(
            r"(?i)\b(?:approximately|about|around|some|roughly|environ|près de)\s+(\d{1,5})\s+"
            r"(?:people|participants|persons|personnes|participant)",
            sentence,
        )
        if match:
            entity.set_fact("approximateAttendeeCount", int(match.group(1)))

    def event_in_sentence(self, kind: Kind, start: int, end: int) -> None:
        text = self.text
        sentence = text[start:end]
        before = text[start : kind.start]
        hold = None
        for match in HOLD_RE.finditer(text, start, kind.start + 1):
            if match.end() >= kind.start - 40:
                hold = match
        held = HELD_RE.search(text, kind.end, end)
        label_line = re.match(r"\s*(?:[\w'-]+\s+){0,2}$", before) and re.match(
            r"\s*:", text[kind.end : kind.end + 3]
        )
        if RECURRING.search(sentence):
            self.series_mention(kind, start, end)
            return
        if re.search(
            r"(?i)\b(?:each|every|all|any|chaque|tous|toutes|these|ces|our|nos|such)\s+(?:\w+\s+)?$",
            before,
        ):
            return
        if (
            re.search(r"(?i)(?:^|\s)(?:the|this|that|le|la|les|ce|cet|cette|l')\s*$", before)
            and not label_line
        ):
            # "The training was based on ...", "organized the seminar around": the event in
            # scope, not a new one; an organisation that holds it is its organiser.
            if self.event:
                current = self.x.entities[self.event]
                if hold:
                    self._organiser(current, hold, start, end)
                if held and not self.x.objects(current.key, "schema:location"):
                    self.set_location(current, self.location_in(held.end(), end), (start, end))
            return
        dated = re.search(r"(?i)\b(?:a|an|un|une)\s+(?:[\w-]+\s+){0,2}$", before) and any(
            kind.end <= d.start <= kind.end + 25 for d in find_dates(text, kind.end, end)
        )
        if not (hold or held or label_line or dated):
            self.attendance(kind, start, end)
            return
        if kind.cls == "Event" and not (hold or held or dated):
            return
        dates = [
            d
            for d in find_dates(text, start, end)
            if (d.has_year and (d.form != "year" or d.cue)) or not d.has_year
        ]
        times = find_times(text, start, end)
        name_end = _phrase_end(text, kind.end, end)
        name_start = _phrase_start(text, kind.start, start)
        name = capitalise(self.doc.text[name_start:name_end].strip())
        edition = edition_of(name.split()[0] + " ") if name.split() else None
        existing = self._same_event(kind, dates, edition)
        if existing is None:
            entity = self.new_event(kind.cls, name, (start, end))
            entity.set_fact("_level", 2)
            if self.series and self.x.entities[self.series].fact("_kind") == kind.cls:
                self.x.relate(entity.key, "icpc:inSeries", self.series, (start, end))
            parent = self.event if kind.cls in PART_CLASSES and kind.cls != "Event" else None
            if parent is not None and parent != entity.key:
                # "On 9 March, ICPC organised a workshop ..." on a page about a congress.
                self.x.relate(parent, "icpc:hasEventPart", entity.key, (start, end))
                block = self.doc.block_at(start)
                self.x.scopes.append(
                    Scope(entity.key, start, block.end if block else end, False, parent)
                )
            else:
                self.event = entity.key
                self.open_scope(entity.key, start)
            entity.add_fact("_at", (name_start, name_end))
        else:
            entity = existing
            entity.add_span((start, end))
        if edition and entity.fact("edition") is None:
            entity.set_fact("edition", edition)
        for owner in self._owner_prefix(name_start, kind.start):
            self.x.relate(entity.key, "icpc:organizer", owner, (start, end))
        if dates:
            nearest = min(dates, key=lambda d: abs(d.start - kind.start))
            time = next(
                (
                    t
                    for t in times
                    if abs(t.start - nearest.end) < 40 or abs(nearest.start - t.end) < 40
                ),
                None,
            )
            self.set_dates(entity, nearest, time, span=(start, end))
        if hold:
            self._organiser(entity, hold, start, end)
        places = self.location_in(kind.end, end)
        if places:
            self.set_location(entity, places, (start, end))

    def _organiser(self, entity: Entity, hold: re.Match[str], start: int, end: int) -> None:
        """The organisation that is the subject of "held", "a organisé"."""
        text = self.text
        subject = [key for (s, e), key in self.x.org_spans if start <= s and e <= hold.start() + 1]
        if subject and not re.search(r"(?i)\b(?:with|avec|by|par)\s*$", text[start : hold.start()]):
            self.x.relate(entity.key, "icpc:organizer", subject[-1], (start, end))

    def attendance(self, kind: Kind, start: int, end: int) -> None:
        match = re.search(
            r"(?i)\b(?:approximately|about|around|some|roughly|environ|près de)\s+(\d{1,5})\s+"
            r"(?:people|participants|persons|personnes)",
            self.text[start:end],
        )
        target = self.series or self.event
        if match and target:
            self.x.entities[target].set_fact("approximateAttendeeCount", int(match.group(1)))

    def _same_event(
        self, kind: Kind, dates: list[DateMention], edition: int | None
    ) -> Entity | None:
        """The event in scope when this sentence restates it (same kind family, dates that
        agree, same edition); None when the sentence is about another event."""
        if re.search(
            r"(?i)\b(?:next|upcoming|prochaine?|future)\s+\w*\s*$",
            self.text[max(0, kind.start - 20) : kind.start],
        ):
            return None
        if dates and not dates[0].has_year:
            return None
        candidates = [self.event] if self.event else []
        candidates += [e.key for e in self.x.of_class(kind.cls) if e.key not in candidates]
        for key in candidates:
            if key is None:
                continue
            entity = self.x.entities[key]
            if entity.cls == "EventSeries":
                continue
            if entity.cls != kind.cls and not (entity.cls in TOP_LEVEL and key == self.event):
                continue
            known_edition = entity.fact("edition")
            if edition and known_edition and edition != known_edition:
                continue
            start = entity.fact("startDate")
            if (
                dates
                and start is not None
                and dates[0].has_year
                and not _compatible(
                    DateValue(dates[0].first.lexical(), dates[0].first.datatype()), start
                )
            ):
                continue
            if key == self.event or (dates and start is not None):
                return entity
        return None

    # -- after the walk ---------------------------------------------------------------------
    def close_scopes(self) -> None:
        end = len(self.text)
        for scope in self.x.scopes:
            if scope.end is None:
                scope.end = end

    def attach_to_series(self) -> None:
        if self.page_series is None:
            return
        for entity in self.x.of_kind("event"):
            if entity.cls == "EventSeries" or entity.key == self.page_series:
                continue
            if self.x.subjects("icpc:hasEventPart", entity.key):
                continue
            if self.x.objects(entity.key, "icpc:inSeries"):
                continue
            self.x.relate(entity.key, "icpc:inSeries", self.page_series, entity.spans[0])
        for entity in self.x.of_class("EventSeries"):
            if entity.key != self.page_series and not self.x.objects(entity.key, "icpc:inSeries"):
                self.x.relate(entity.key, "icpc:inSeries", self.page_series, entity.spans[0])


_PARTICIPATION = re.compile(
    r"(?i)^[^,:;]{2,80}?\s(?:at|for|to|attends|à|au|aux|pour)\s+(?:the|la|le|l'|les)?\s*(?=\S)"
)


def _after_participation(name: str, kind_text: str) -> str:
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


def _crumbs(doc: object) -> list[Span]:
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


def _phrase_start(text: str, kind_start: int, floor: int) -> int:
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


def _phrase_end(text: str, kind_end: int, limit: int) -> int:
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


def _place_rank(kind: str) -> int:
    return {
        "Venue": 0,
        "OnlineLocation": 1,
        "City": 2,
        "AdministrativeRegion": 3,
        "Country": 4,
        "WorldRegion": 5,
    }.get(kind, 9)


_PRECISION = {"gYear": 0, "gYearMonth": 1, "date": 2, "dateTime": 3}


def _more_precise(a: DateValue, b: DateValue) -> bool:
    return _PRECISION[a.datatype] > _PRECISION[b.datatype]


def _compatible(a: DateValue, b: DateValue) -> bool:
    """Whether two dates can be the same day/month/year at their shared precision."""
    n = min(len(a.lexical), len(b.lexical), 10)
    return a.lexical[:n] == b.lexical[:n]


def _single_day(entity: Entity) -> PartialDate | None:
    """The one day an event takes place on, when its dates say so."""
    start: DateValue | None = entity.fact("startDate")
    end: DateValue | None = entity.fact("endDate")
    if start is None or start.datatype not in ("date", "dateTime"):
        return None
    if end is not None and end.lexical[:10] != start.lexical[:10]:
        return None
    year, month, day = (int(p) for p in start.lexical[:10].split("-"))
    return PartialDate(year, month, day)


def add_events(extraction: Extraction) -> None:
    EventFinder(extraction).run()


__all__ = ["KIND_RE", "add_events", "clean_heading", "edition_of", "find_kinds", "parse_clock"]
