"""Events from lists and programmes: listing lines under a listing heading, agenda rows that
start with a time, numbered parts, labelled lines ("Date: ...")."""

from __future__ import annotations

import re

from icpc_kg.extract.blocks import Block, title_like
from icpc_kg.extract.dates import DateMention, find_dates, with_year
from icpc_kg.extract.event_kinds import (
    BREAKS,
    PART_CLASSES,
    TOP_LEVEL,
    capitalise,
    edition_of,
    find_kinds,
    is_date_or_place,
    single_day,
    split_segments,
)
from icpc_kg.extract.event_state import FinderBase
from icpc_kg.extract.lexicon import GENERIC_PLURALS, ORDINALS
from icpc_kg.extract.model import Entity, Scope
from icpc_kg.extract.text import fold
from icpc_kg.extract.times import (
    Clock,
    TimeMention,
    date_time,
    find_times,
    resolve_range,
    zone_offset,
)


def _title_case(name: str) -> str:
    """ "OPENING CEREMONIES" -> "Opening Ceremonies"; other names as written."""
    letters = [c for c in name if c.isalpha()]
    if len(name.split()) > 1 and letters and all(c.isupper() for c in letters):
        return " ".join(w.capitalize() for w in name.split())
    return capitalise(name)


class ListRules(FinderBase):
    """Events from lists and programmes: listing lines under a listing heading, agenda rows that"""

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
        if not name or is_date_or_place(name):
            # "30 Nov. – 2 Dec. — Abidjan (Côte d'Ivoire)" over a line with the title.
            title_block = self._title_below(block)
            if title_block is None:
                return False
            name = self.original(title_block, self.text[title_block.start : title_block.end])
        # "28–30 October 2019: 12th ICPC Colloquium on urban safety, Oaxaca (Mexico), organised
        # with ...": the name is the first segment after the date, the kind the one it names.
        name_start = block.start + text.index(name) if name in text else block.start
        first = split_segments(self.text[name_start : block.end])
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
        """ "9:30 a.m. – 11:00 a.m. Panel 1: Youth violence" under an event: a part of it; a
        time alone on its line ("10:30 - 11:30") gives the next line's title its time, on a
        programme page too."""
        text = self.text[block.start : block.end]
        below = self._title_below_time(index, block)
        if (self.event is None or block.kind not in ("item", "row")) and below is None:
            return False
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
        if not title and below is not None:
            title = self.doc.text[below.start : below.end].strip()
            self.consumed.add(below.start)
            span_end = below.end
        else:
            span_end = block.end
        title = re.split(r"\s+\|\s+", title)[0]
        by = re.search(
            r"(?i),?\s+(?:(?:presented|moderated|hosted|given|led|delivered) by|by|"
            r"présentée? par|animée? par)\s",
            title,
        )
        name = title[: by.start()].strip(" ,") if by else title
        if not name or BREAKS.match(name) or fold(name) in ("item", "time", "heure"):
            self._advance_clock(times[0])
            return True
        kinds = find_kinds(name)
        cls = "Session"
        if kinds:
            cls = kinds[0].cls if kinds[0].cls in PART_CLASSES else "Session"
        parent = self.x.entities[self.event] if self.event else None
        start_clock, end_clock = self._agenda_clocks(times[0])
        span = (block.start, span_end)
        entity = self.new_event(cls, _title_case(name), span)
        if parent is not None:
            self.x.relate(parent.key, "icpc:hasEventPart", entity.key, span)
        day = self.day.first if self.day else (single_day(parent) if parent else None)
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
            Scope(
                entity.key,
                block.line_start,
                self._details_end(index),
                False,
                parent.key if parent else None,
            )
        )
        return True

    def _title_below_time(self, index: int, block: Block) -> Block | None:
        """The line under a line that is only a time range, when it reads as a title."""
        text = self.text[block.start : block.end].strip()
        times = find_times(text)
        if (
            not times
            or times[0].start > 0
            or times[0].last is None
            or text[times[0].end :].strip(" |–-:")
        ):
            return None
        if index + 1 >= len(self.doc.blocks):
            return None
        below = self.doc.blocks[index + 1]
        line = self.text[below.start : below.end].strip()
        if fold(line) in GENERIC_PLURALS:
            # "PARALLEL SESSIONS" over "Session 1: ...": the title is the line after
            self.consumed.add(below.start)
            if index + 2 >= len(self.doc.blocks):
                return None
            below = self.doc.blocks[index + 2]
            line = self.text[below.start : below.end].strip()
        if not line or len(line.split()) > 16 or find_times(line) or line.endswith((".", ":")):
            return None
        return below

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
