"""Publications in the parts of a page: the parts a list gives ("Part 1. ..."), the
papers of a collection ("The Kit is a collection of thematic papers including: ..."), the
background paper of a seminar, the recordings of a presentation, and the studies and plans
a page reports."""

from __future__ import annotations

import re

from icpc_kg.extract.blocks import title_like
from icpc_kg.extract.dates import find_dates
from icpc_kg.extract.document import Document
from icpc_kg.extract.model import Entity, Extraction, Span
from icpc_kg.extract.places import add_place, parse_location
from icpc_kg.extract.publication_kinds import (
    LANGUAGES,
    QUOTED,
    closest_part,
    publication_class,
)
from icpc_kg.extract.relations import event_references, subject_orgs
from icpc_kg.extract.text import slugify
from icpc_kg.extract.times import DateValue


class PartsRules:
    """The rules of :class:`~icpc_kg.extract.publications.PublicationFinder` for the parts of a
    page; the finder gives the state and :meth:`add`."""

    x: Extraction
    doc: Document
    text: str
    last: str | None
    headline_publication: str | None

    def add(self, cls: str, title: str, span: Span, passage: Span) -> Entity:
        raise NotImplementedError

    def known_title(self, start: int, end: int) -> bool:
        raise NotImplementedError

    def listed_parts(self, index: int) -> None:
        """ "... and includes four thematic papers:" followed by a list of quoted titles."""
        block = self.doc.blocks[index]
        line = self.text[block.start : block.end]
        match = re.search(
            r"(?i)\b(?:includes?|including|comprises?|contains?|comprend|regroupe|contient)\s+"
            r"(?:(?:the\s+|les\s+)?(?:following|suivants?|\w+)\s+)?(?P<kind>[\w ]{3,30}?)\s*:\s*$",
            line,
        )
        if not match or publication_class(match.group("kind")) is None:
            return
        whole_key = self._subject_publication(block.start)
        if whole_key is None:
            return
        cls = publication_class(match.group("kind")) or "Publication"
        for other in self.doc.blocks[index + 1 :]:
            if other.kind != "item":
                break
            text = self.text[other.start : other.end].strip()
            quoted = re.fullmatch(r'"\s*([^"]{2,200}?)\s*"[.;,]?', text)
            title = quoted.group(1) if quoted else (text if title_like(text) else None)
            if title is None:
                break
            t0 = self.text.index(title, other.start)
            key = "publication:" + slugify(title)
            part = self.x.entities.get(key) or self.x.add(Entity(key, cls))
            part.add_name(self.doc.text[t0 : t0 + len(title)], self.doc.lang)
            part.add_span(other.span)
            self.x.relate(whole_key, "icpc:hasPart", key, (block.start, other.end))

    def _subject_publication(self, offset: int) -> str | None:
        """The publication the sentence at ``offset`` is about: one it names, else the
        page's own publication, else the last one found."""
        s, e = self.doc.sentence_at(offset)
        for entity in self.x.of_kind("publication"):
            if any(s <= a < e for a, _b in entity.facts.get("_at", [])):
                return entity.key
        if self.headline_publication:
            return self.headline_publication
        return self.last

    def collection(self, start: int, end: int) -> None:
        """ "The Kit is a collection of thematic papers including: "A"; "B"; ..." """
        text = self.text
        match = re.search(
            r"(?i)\b(?:collection|series|set|compilation|ensemble|recueil) of "
            r"(?P<kind>[\w ]{3,30}?)\s+(?:including|includes|such as|:|comprising)\s*:?",
            text[start:end],
        ) or re.search(
            r"(?i)\b(?:comprend|regroupe|contient)\s+(?:les\s+)?(?P<kind>[\w ]{3,30}?)"
            r"\s+suivants?\s*:",
            text[start:end],
        )
        if not match or self.last is None:
            return
        whole = self.x.entities[self.last]
        cls = publication_class(match.group("kind")) or "Publication"
        for quoted in QUOTED.finditer(text, start + match.end(), end):
            s, e = quoted.start(1), quoted.end(1)
            key = "publication:" + slugify(self.doc.text[s:e])
            part = self.x.entities.get(key) or self.x.add(Entity(key, cls))
            part.add_name(self.doc.text[s:e], self.doc.lang)
            part.add_span((quoted.start(), quoted.end()))
            self.x.relate(whole.key, "icpc:hasPart", part.key, (start + match.start(), end))
        self.last = whole.key

    def background_paper(self, start: int, end: int) -> None:
        match = re.search(
            r"(?i)\b(?:drafted|prepared|wrote|circulated|produced|a rédigé|a préparé)\s+"
            r"(?:in advance\s+)?"
            r"(?:the (?:seminar|conference|colloquium|event|workshop)['’]s|its|a|the|le|un)\s+"
            r"(?:background|discussion|concept|working) (?:paper|note)\b",
            self.text[start:end],
        )
        if not match:
            return
        scope = self.x.scope_at(start, parts=False)
        if scope is None:
            return
        event = self.x.entities[scope.key]
        label = "Background paper for the " if self.doc.lang == "en" else "Document de référence : "
        entity = self.add(
            "BackgroundPaper",
            f"{label}{event.name}",
            (start + match.start(), start + match.end()),
            (start, end),
        )
        self.x.relate(entity.key, "icpc:preparedFor", event.key, (start, end))
        for key in subject_orgs(self.x, start, start + match.start()):
            self.x.relate(entity.key, "schema:author", key, (start, end))
            self.x.relate(entity.key, "schema:publisher", key, (start, end))
        for refs, _span in event_references(
            self.x,
            start,
            start + match.start(),
            r"relying on|based on|drawing on|building on|à partir de|en s'appuyant sur",
        ):
            for ref in refs:
                self.x.relate(entity.key, "icpc:basedOn", ref, (start, end))

    # -- recordings -------------------------------------------------------------------------
    def recordings(self, index: int, start: int, end: int) -> None:
        """ "This presentation is available online (in French) in two parts:" and the lines
        that follow: the recordings, one per line, and the whole when it has parts."""
        text = self.text
        match = re.search(
            r"(?i)\b(?P<what>this presentation|the presentations?|these presentations|"
            r"the recordings?|"
            r"the slides|the videos?|cette présentation|les présentations|l'enregistrement|"
            r"les enregistrements|la vidéo|les vidéos)\s+(?:is|are|est|sont)\s+(?:now\s+)?"
            r"(?:available|disponibles?)\b(?P<rest>[^:]*):\s*$",
            text[start:end],
        )
        if not match:
            return
        rest = match.group("rest")
        lang = None
        for language in re.finditer(r"(?i)\b(?:in|en)\s+(\w+)|\((\w+)\)", rest):
            word = next(g for g in language.groups() if g)
            if word.lower() in LANGUAGES:
                lang = LANGUAGES[word.lower()]
                break
        parts_said = re.search(
            r"(?i)\bin (?:two|three|four|\d) parts\b|\ben (?:deux|trois|quatre|\d) parties\b", rest
        )
        lines = []
        for block in self.doc.blocks[index + 1 :]:
            line = self.text[block.start : block.end]
            if block.kind not in ("item", "heading", "paragraph") or not title_like(line):
                break
            lines.append(block)
        if not lines:
            return
        whole = None
        scope = self.x.scope_at(start, parts=False)
        event = self.x.entities[scope.key] if scope else None
        if parts_said or match.group("what").lower().startswith(("this", "cette")):
            name = f"{event.name} (presentation)" if event else "Presentation"
            whole = self.add("PresentationRecording", name, (start, end), (start, end))
            if lang:
                whole.add_fact("inLanguage", lang)
            if event is not None:
                self.x.relate(whole.key, "icpc:recordingOf", event.key, (start, end))
        parts = [
            self.x.entities[k]
            for k in ((event and self.x.objects(event.key, "icpc:hasEventPart")) or [])
        ]
        for position, block in enumerate(lines, start=1):
            title = self.doc.text[block.start : block.end].strip()
            entity = self.add("PresentationRecording", title, block.span, block.span)
            if lang:
                entity.add_fact("inLanguage", lang)
            if whole is not None:
                entity.set_fact("position", position)
                self.x.relate(whole.key, "icpc:hasPart", entity.key, block.span)
            target = closest_part(title, parts)
            if target is not None:
                self.x.relate(entity.key, "icpc:recordingOf", target.key, block.span)

    # -- studies ----------------------------------------------------------------------------
    def study(self, start: int, end: int) -> None:
        text = self.text
        match = re.search(
            r"(?i)\b(?:carried out|conducted|undertook|completed|performed|led|réalisé|mené|"
            r"effectué)\s+"
            r"(?:a|an|the|une)\s+(?:(?:new|major|comparative|international|national|nouvelle)\s+)?"
            r"(?P<kind>study|survey|research project|étude|enquête|recherche)\s+"
            r"(?P<topic>(?:on|of|about|into|sur|de)\s+[^.;]+)",
            text[start:end],
        )
        if not match:
            return
        topic = match.group("topic").strip().rstrip(".")
        s = start + match.start("kind")
        e = start + match.end("topic")
        name = self.doc.text[s:e].strip().rstrip(".")
        key = "study:" + slugify(name)
        entity = self.x.entities.get(key) or self.x.add(Entity(key, "Study"))
        entity.add_name(name[:1].upper() + name[1:], self.doc.lang)
        entity.add_span((start, end))
        dates = [
            d
            for d in find_dates(text, start, start + match.start())
            if d.has_year and (d.form != "year" or d.cue)
        ]
        if dates:
            entity.set_fact(
                "date", DateValue(dates[-1].first.lexical(), dates[-1].first.datatype())
            )
        for org in subject_orgs(self.x, start, start + match.start()):
            self.x.relate(key, "icpc:conductedBy", org, (start, end))
        places = [
            p
            for p in parse_location(text, start + match.start("topic"), e)
            if p.info.kind in ("WorldRegion", "Country", "AdministrativeRegion", "City")
        ]
        if places:
            place = places[-1]
            place_key = add_place(self.x, place.info, (place.start, place.end))
            self.x.relate(key, "dcterms:spatial", place_key, (start, end))
        self.x.entities[key].set_fact("_topic", topic)
        # "This project will ... have led to the development of a coordination guide": the
        # next sentences' guide is a result of this study.
        self.x.entities[key].set_fact("_sentence_end", end)
