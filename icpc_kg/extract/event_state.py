"""The state of the walk over a page's blocks that the event rules share: the open scopes,
the organisations around, and how an event gets its dates and place."""

from __future__ import annotations

import re
from bisect import bisect_right

from icpc_kg.extract.blocks import Block
from icpc_kg.extract.dates import DateMention, find_dates, stated_years, with_year
from icpc_kg.extract.event_kinds import (
    EDITION_RE,
    Kind,
    Listing,
    clean_heading_span,
    compatible,
    find_kinds,
    more_precise,
    place_rank,
    series_name,
)
from icpc_kg.extract.model import Entity, Extraction, Scope, Span
from icpc_kg.extract.places import PlaceMention, add_place, parse_location
from icpc_kg.extract.text import fold, fold_words, slugify
from icpc_kg.extract.times import Clock, TimeMention, find_times, stated_zone, when


class FinderBase:
    """Walks the page's blocks once, opening scopes and adding events as it goes."""

    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.doc = extraction.doc
        self.text = extraction.doc.flat
        self.page_series: str | None = None
        self.series: str | None = None  # the series section the walk is in
        self.event: str | None = None  # the top-level event whose scope the walk is in
        self.listing: Listing | None = None
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
            more_precise(value.start, current) and compatible(value.start, current)
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
        target = min(range(len(places)), key=lambda i: place_rank(places[i].info.kind))
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

    def original(self, block: Block, text: str) -> str:
        """The cleaned heading as the page writes it (guillemets and all)."""
        s, e = clean_heading_span(text)
        return self.doc.text[block.start + s : block.start + e]

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

    # -- rules of the other mixins, which the walk calls ------------------------------------
    def listing_line(self, block: Block) -> bool:
        raise NotImplementedError

    def agenda_item(self, index: int, block: Block) -> bool:
        raise NotImplementedError

    def numbered_part(self, index: int, block: Block) -> None:
        raise NotImplementedError

    def labelled(self, block: Block) -> bool:
        raise NotImplementedError

    def sentence(self, start: int, end: int, block: Block) -> None:
        raise NotImplementedError

    def named_event(self, kind: Kind, start: int, end: int) -> bool:
        raise NotImplementedError

    def _known_event(self, cls: str, name: str, edition: int | None) -> Entity | None:
        raise NotImplementedError

    def named_span(
        self, kind: Kind, start: int, end: int, proper_only: bool = False
    ) -> tuple[int, int] | None:
        raise NotImplementedError

    def _same_event(
        self, kind: Kind, dates: list[DateMention], edition: int | None
    ) -> Entity | None:
        raise NotImplementedError
