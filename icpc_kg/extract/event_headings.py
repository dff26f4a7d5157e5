"""Events from the page's headline, breadcrumb, title and headings, and the walk itself."""

from __future__ import annotations

import re

from icpc_kg.extract.blocks import Block, title_like
from icpc_kg.extract.dates import DateMention, find_dates, with_year
from icpc_kg.extract.event_kinds import (
    EDITION_RE,
    PART_CLASSES,
    SERIES_WORD,
    TOP_LEVEL,
    Kind,
    Listing,
    after_participation,
    breadcrumb_spans,
    capitalise,
    edition_of,
    find_kinds,
    is_date_or_place,
    series_name,
    without_launch,
)
from icpc_kg.extract.event_mentions import ORDINAL_BEFORE
from icpc_kg.extract.event_state import FinderBase
from icpc_kg.extract.lexicon import GENERIC_PLURALS, LISTING_QUALIFIERS
from icpc_kg.extract.text import fold, fold_words
from icpc_kg.extract.times import find_times

# A heading about a part of an event's page ("Structure of the conference").
_SECTION_OF = re.compile(
    r"(?i)\S\s+(?:of|about|for|de|du|sur)\s+(?:the|this|la|le|l['’]|cette)\s*$"
)
# An event named only by its kind ("for a conference on ...", "pour une conférence").
_UNNAMED = re.compile(r"(?i)\b(?:a|an|une?|des)\s+(?:[\w-]+\s+)?$")
# "CONFERENCE: Title", "Séminaire : Title": the kind as a label before the title.
_KIND_LABEL = re.compile(r"^\s*[A-ZÀ-Ýa-zà-ÿ -]{3,30}\s?:\s+(?=\S)")
_LEADING_WORDS = re.compile(
    r"(?i)^(?:the|a|an|la|le|les|l['’]|its|their|son|sa|ses|leur|our|notre|nos)\s+"
)


def heading_name(name: str) -> str:
    """An event's name from its heading, without a leading kind label, possessive or article
    and without a parenthesis of dates and places at its end."""
    label = _KIND_LABEL.match(name)
    if label and find_kinds(name[: label.end()]) and len(name[label.end() :].split()) >= 2:
        name = name[label.end() :]
    paren = re.search(r"\s*\(([^()]*)\)\s*$", name)
    if paren and (find_dates(paren.group(1)) or is_date_or_place(paren.group(1).split(",")[-1])):
        name = name[: paren.start()]
    name = _LEADING_WORDS.sub("", name)
    return capitalise(name.strip())


class HeadingRules(FinderBase):
    """Events from the page's headline, breadcrumb, title and headings, and the walk itself."""

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
        from icpc_kg.extract.publication_kinds import publication_class

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
        crumbs = breadcrumb_spans(self.doc)
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
            if title_block is not None and s == title_block.start and self.title_event(title_block):
                continue
            if self.is_series_phrase(phrase):
                entity = self.new_event(
                    "EventSeries", series_name(phrase, self.org_names()), (s, e)
                )
                self.page_series = entity.key
                if self.x.site_owner:
                    self.x.relate(entity.key, "icpc:organizer", self.x.site_owner, (s, e))

    def title_event(self, block: Block) -> bool:
        """A page title that names one event ("25ième Assemblée générale annuelle des membres
        du CIPC", "The ICPC's 12th Colloquium: ...") is that event's heading."""
        if self.doc.source_format != "text/plain":
            return False  # an HTML page's <title>; its headline is a heading of its own
        text = self.text[block.start : block.end]
        kinds = [
            k
            for k in find_kinds(text)
            if not self.inside_org(block.start + k.start, block.start + k.end)
        ]
        if not kinds or any(k.plural for k in kinds) or kinds[0].cls not in TOP_LEVEL:
            return False
        if SERIES_WORD.search(text) or len(text.split()) < 3:
            return False
        if _UNNAMED.search(text[: kinds[0].start]):
            return False  # "Les villes ... à Bruxelles pour une conférence sur ...": unnamed
        self.event_heading(0, block, text, kinds[0], find_dates(self.text, block.start, block.end))
        return True

    def is_series_phrase(self, phrase: str) -> bool:
        kinds = find_kinds(phrase)
        if not kinds:
            return False
        kind = kinds[-1]
        if SERIES_WORD.search(phrase):
            return True
        if not kind.plural or kind.cls in PART_CLASSES:
            return False
        if len([k for k in kinds if k.plural]) > 1:
            return False  # "Seminars and international meetings": a section of the site
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
        if block.kind in ("heading", "paragraph") and self.agenda_item(index, block):
            return  # "10:30 - 11:30" alone on a line, the session's title on the next
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
                self.listing = Listing(cls, self.series)
            return True
        if kind.cls not in TOP_LEVEL:
            return False
        if _SECTION_OF.search(text[: kind.start]):
            return False  # "Structure of the conference", "Programme de la conférence"
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

    def edition_heading(self, block: Block, text: str) -> bool:
        """ "3e édition : ..." inside a series is one of its events."""
        if not (self.series and EDITION_RE.search(text) and edition_of(text)):
            return False
        cls = self.x.entities[self.series].fact("_kind") or "Event"
        dates = find_dates(self.text, block.start, block.end)
        kind = Kind(cls, False, 0, 0, "")
        self.event_heading(self.doc.block_index(block.start), block, text, kind, dates)
        return True

    def event_heading(
        self, index: int, block: Block, text: str, kind: Kind, dates: list[DateMention]
    ) -> None:
        name = without_launch(after_participation(self.original(block, text), kind.text))
        if name != after_participation(self.original(block, text), kind.text):
            kind = find_kinds(name)[0]  # the event launched, not the launch
        name = heading_name(name)
        text = self.doc.text[block.start : block.end]
        ordinal = ORDINAL_BEFORE.search(name[: max(0, name.find(kind.text))] or " ")
        edition_here = edition_of(ordinal.group() + " ") if ordinal else None
        known = self._known_event(kind.cls, name, edition_here)
        if known is not None:
            # A second heading about an event already found (the page's title, then its
            # headline; "Lancement de la 7e conférence", then the conference's title in
            # capitals; "the first seminar" named in passing, then its own heading).
            entity = known
            entity.add_alternate(name, self.doc.lang)
            entity.add_span(block.span)
        else:
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
        elif edition_here and entity.fact("edition") is None:
            entity.set_fact("edition", edition_here)  # "The ICPC's 12th Colloquium: ..."
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
