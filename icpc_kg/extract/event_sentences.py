"""Events named in running text: a sentence in which an organisation holds an event, a
series of events, a panel or session named in passing, a headline about attending one."""

from __future__ import annotations

import re

from icpc_kg.extract.blocks import Block
from icpc_kg.extract.dates import DateMention, find_dates
from icpc_kg.extract.event_kinds import (
    HELD_RE,
    HOLD_RE,
    PART_CLASSES,
    PART_PHRASE,
    RECURRING,
    SERIES_OF_RE,
    SERIES_WORD,
    TOP_LEVEL,
    Kind,
    capitalise,
    compatible,
    edition_of,
    find_kinds,
    phrase_end,
    phrase_start,
)
from icpc_kg.extract.event_mentions import ORDINAL_BEFORE, PARTICIPATION, QUOTED_TITLE
from icpc_kg.extract.event_state import FinderBase
from icpc_kg.extract.model import Entity, Scope
from icpc_kg.extract.times import DateValue, find_times


class SentenceRules(FinderBase):
    """Events named in running text: a sentence in which an organisation holds an event, a"""

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
            if self.inside_org(kind.start, kind.end):
                continue
            if kind.cls not in TOP_LEVEL:
                # "la 32e session de la CCPCJ": a numbered session of a body is a meeting.
                if ORDINAL_BEFORE.search(
                    text[max(start, kind.start - 30) : kind.start]
                ) or QUOTED_TITLE.match(text, kind.end, end):
                    self.named_event(kind, start, end)
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
        match = PART_PHRASE.search(self.text, start, end)
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
        if RECURRING.search(sentence) and not PARTICIPATION.search(before[-60:]):
            # "the annual colloquium" is the series; "ICPC took part in the annual meeting
            # of ..." one of its events.
            self.series_mention(kind, start, end)
            return
        if re.search(
            r"(?i)\b(?:each|every|all|any|chaque|tous|toutes|these|ces|our|nos|such)\s+(?:\w+\s+)?$",
            before,
        ):
            return
        named = self.named_span(kind, start, end)
        if (
            re.search(
                r"(?i)(?:^|\s)(?:the|this|that|our|its|their|le|la|les|ce|cet|cette|l'|notre|"
                r"nos|sa|son|leur)\s*$",
                before,
            )
            and not label_line
            and named is None
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
            if not self.named_event(kind, start, end):
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
        proper = self.named_span(kind, start, end, proper_only=True)
        name_start, name_end = proper or (
            phrase_start(text, kind.start, start),
            phrase_end(text, kind.end, end),
        )
        if named and not proper:
            # An event named by its ordinal or adjectives: the longer of the two readings.
            name_start, name_end = min(name_start, named[0]), max(name_end, named[1])
        article = re.match(r"(?i)(?:the|a|an|la|le|les|l['’]|un|une)\s+", text[name_start:name_end])
        if article and name_start + article.end() < kind.start + 1:
            name_start += article.end()
        name = capitalise(self.doc.text[name_start:name_end].strip())
        edition = edition_of(name.split()[0] + " ") if name.split() else None
        # An event named in the sentence is the one of that name or edition; an event named
        # by its kind only ("the seminar was held ...") the one in scope.
        existing = (
            self._known_event(kind.cls, name, edition)
            if named
            else self._same_event(kind, dates, edition)
        )
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
            entity.add_alternate(name, self.doc.lang)  # "la 7e conférence internationale sur ..."
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
                and not compatible(
                    DateValue(dates[0].first.lexical(), dates[0].first.datatype()), start
                )
            ):
                continue
            if key == self.event or (dates and start is not None):
                return entity
        return None
