"""Publications and studies: titles, kinds, dates, publishers, parts, the language of a
recording, and the event a publication came from.

A publication is found by its kind word and a title the page gives with it ("a new Tool Kit
called The Role of the Police in Crime Prevention", 'the report « La sécurité des femmes »',
"a coordination guide"), by a title-case title in a sentence about publications ("Two
publications have already been produced (The Role of the Police...: Synthesis Report
following the first seminar and ...)"), by a list of quoted titles after a collection ("The
Kit is a collection of thematic papers including: "Police and Community"; ..."), or by the
lines after "This presentation is available online (in French) in two parts:".
"""

from __future__ import annotations

import re

from icpc_kg.extract.blocks import Block
from icpc_kg.extract.dates import find_dates
from icpc_kg.extract.event_mentions import name_end, name_start
from icpc_kg.extract.model import Entity, Extraction, Span
from icpc_kg.extract.publication_kinds import (
    CREATION,
    KIND_AFTER,
    KIND_RE,
    LANGUAGES,
    NAMING,
    PUBLICATION_KINDS,
    end_of_clause,
    link_results,
    only_kind,
    prefer,
    publication_class,
    rank,
    title_spans,
)
from icpc_kg.extract.publication_parts import PartsRules
from icpc_kg.extract.publication_titles import (
    ANNOUNCED,
    GENERIC_TITLE_WORDS,
    KIND_LABEL,
    core_title,
    same_core,
    tidy_title,
)
from icpc_kg.extract.relations import event_references, subject_orgs
from icpc_kg.extract.sentences import detect_language
from icpc_kg.extract.text import fold_words, is_capitalised, slugify
from icpc_kg.extract.times import DateValue


class PublicationFinder(PartsRules):
    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.doc = extraction.doc
        self.text = extraction.doc.flat
        self.last: str | None = None  # the last publication found, for "The Kit is..."
        self.headline_publication: str | None = None

    def run(self) -> None:
        self.headline()
        for index, block in enumerate(self.doc.blocks):
            if block.kind in ("title", "breadcrumb"):
                continue
            for start, end in self.doc.sentences_in(block.start, block.end) or [block.span]:
                self.sentence(start, end)
                self.recordings(index, start, end)
                self.study(start, end)
            self.listed_parts(index)

    def headline(self) -> None:
        """A page whose headline is a publication's title ("International Report on Crime
        Prevention and Community Safety 2018") is about that publication."""
        from icpc_kg.extract.event_kinds import find_kinds

        for heading in self.doc.blocks:
            if heading.kind in ("title", "heading"):
                self.labelled_heading(heading)
        first = self.doc.blocks[0] if self.doc.blocks else None
        candidates = [self.doc.headline]
        if self.doc.source_format == "text/plain" and first is not None and first.kind == "title":
            candidates.insert(0, first)  # a plain page's first line may be its headline
        for block in candidates:
            if block is None:
                continue
            line = ANNOUNCED.sub("", self.doc.text[block.start : block.end].strip())
            line = re.sub(r"(?i)^(?:the|le|la|l['’])\s+", "", line)
            tokens = line.split()
            cls = publication_class(line)
            if cls is None or cls == "Publication" or find_kinds(line) or len(tokens) < 3:
                continue
            sentence_case = bool(KIND_RE.match(line)) and len(tokens) <= 12  # "Rapport annuel 2020"
            if sum(is_capitalised(w) for w in tokens) * 2 < len(tokens) and not sentence_case:
                continue
            entity = self.add(cls, line, block.span, block.span)
            self.headline_publication = entity.key
            return

    def labelled_heading(self, block: Block) -> None:
        """ "Nouveau guide – DataJam contre l'exploitation : Manuel de la personne
        participante", "New report: Title": the kind as a label before the title."""
        line = self.doc.text[block.start : block.end]
        match = KIND_LABEL.match(line)
        if match is None:
            return
        cls = publication_class(match.group("kind"))
        title = line[match.end() :].strip()
        if cls is None or len(title.split()) < 2:
            return
        start = (
            block.start
            + match.end()
            + (len(line[match.end() :]) - len(line[match.end() :].lstrip()))
        )
        self.add(cls, title, (start, start + len(title)), block.span)

    # -- helpers ----------------------------------------------------------------------------
    def add(self, cls: str, title: str, span: Span, passage: Span) -> Entity:
        title = title.strip().strip('"').strip()
        key = "publication:" + slugify(title)
        core = core_title(title)
        bare = re.sub(r"\s+(?:19|20)\d\d$", "", fold_words(title))
        for other in self.x.of_kind("publication"):
            if any(
                re.sub(r"\s+(?:19|20)\d\d$", "", fold_words(n)) == bare
                or (core and other.cls == cls and same_core(core_title(n), core))
                for n in other.all_names()
            ):
                key = other.key
                break
        entity = self.x.entities.get(key)
        if entity is None:
            entity = self.x.add(Entity(key, cls))
        elif rank(cls) > rank(entity.cls):
            entity.cls = cls
        entity.add_name(title[:1].upper() + title[1:], self.doc.lang)
        entity.add_span(passage)
        entity.add_fact("_at", span)
        self.last = key
        return entity

    def known_title(self, start: int, end: int) -> bool:
        """Whether a span is already an organisation, an event or a person."""
        for (s, e), _key in self.x.org_spans:
            if s <= start < e or start <= s < end:
                return True
        for (s, e), _key, _part in self.x.person_spans:
            if s <= start < e:
                return True
        for entity in self.x.of_kind("event"):
            if any(fold_words(self.text[start:end]) == fold_words(n) for n in entity.all_names()):
                return True
        return False

    def publication_facts(self, entity: Entity, title_end: int, start: int, end: int) -> None:
        text = self.text
        after = text[title_end:end]
        year = re.match(r"\s*[(,]?\s*(?:published in |publié en )?((?:19|20)\d\d)\b", after)
        if year:
            entity.set_fact("datePublished", DateValue(year.group(1), "gYear"))
        language = re.match(r"\s*\((?:in |en )?(\w+)(?: only| seulement)?\)", after)
        if language and language.group(1).lower() in LANGUAGES:
            entity.add_fact("inLanguage", LANGUAGES[language.group(1).lower()])
        published = re.search(
            r"(?i)\b(?:published|released|issued|publiée?s?|parue?s?)\b", after[:60]
        )
        if published:
            at = title_end + published.end()
            for (s, _e), key in self.x.org_spans:
                if at <= s <= at + 40 and re.match(
                    r"(?i)\s*(?:by|par)\s+(?:the\s+|le\s+|la\s+|l')?$", text[at:s]
                ):
                    self.x.relate(entity.key, "schema:publisher", key, (start, end))
            if entity.fact("datePublished") is None:
                years = [
                    d
                    for d in find_dates(text, at, min(end, at + 60))
                    if d.has_year and (d.form != "year" or d.cue)
                ]
                if years:
                    first = years[0].first
                    entity.set_fact("datePublished", DateValue(first.lexical(), first.datatype()))
        # "Synthesis Report following the first seminar": the phrase right after the title.
        clause_end = end_of_clause(text, title_end, end)
        if not re.match(r"(?i)\s*,?\s*(?:following|after|suite|à la suite)\b", text[title_end:end]):
            clause_end = title_end
        for refs, _span in event_references(
            self.x,
            title_end,
            clause_end,
            r"following|after|suite (?:au|à la|aux|du)|à la suite d[eu]",
        ):
            for ref in refs:
                self.x.relate(entity.key, "icpc:followsEvent", ref, (start, end))

    # -- sentences --------------------------------------------------------------------------
    def sentence(self, start: int, end: int) -> None:
        text = self.text
        sentence = text[start:end]
        creation = CREATION.search(sentence)
        found: list[tuple[Entity, int]] = []
        for match in KIND_RE.finditer(text, start, end):
            cls = publication_class(match.group())
            if cls is None:
                continue
            naming = NAMING.match(text, match.end())
            quoted = re.match(r'\s*[,:]?\s*"\s*([^"\n]{2,200}?)\s*"', text[match.end() : end])
            if naming:
                title = self._title_after(naming.end(), end)
                if title:
                    entity = self.add(cls, self.doc.text[title[0] : title[1]], title, (start, end))
                    found.append((entity, title[1]))
                    continue
            if (quoted and cls != "Publication") or (quoted and creation):
                t0 = match.end() + quoted.start(1)
                t1 = match.end() + quoted.end(1)
                inner = publication_class(self.doc.text[t0:t1]) or cls
                entity = self.add(prefer(inner, cls), self.doc.text[t0:t1], (t0, t1), (start, end))
                found.append((entity, match.end() + quoted.end()))
                continue
            title = (
                self._title_after(match.end(), end)
                if cls in ("Report", "Guide", "ToolKit")
                and re.match(r"\s+[A-Z0-9«\"]", text[match.end() : match.end() + 3])
                else None
            )
            if title and (
                creation
                or re.search(
                    r"(?i)\bin the\b|\bdans le\b",
                    text[max(start, match.start() - 12) : match.start()],
                )
            ):
                entity = self.add(
                    prefer(publication_class(self.doc.text[title[0] : title[1]]) or cls, cls),
                    self.doc.text[title[0] : title[1]],
                    title,
                    (start, end),
                )
                found.append((entity, title[1]))
                continue
            described = self._described(match, start, end, creation is not None)
            if described is not None:
                found.append((described, match.end()))
                continue
            named = None if creation else self.named_title(match, start, end)
            if named is not None:
                entity = self.add(cls, self.doc.text[named[0] : named[1]], named, (start, end))
                found.append((entity, named[1]))
        if re.search(r"(?i)\bpublications?\b|\bproduced\b|\bpubliée?s?\b", sentence) or creation:
            for s, e in title_spans(text, start, end):
                if any(
                    fold_words(self.text[s:e]) in [fold_words(n) for n in f.all_names()]
                    or any(fs <= s < fe for fs, fe in f.facts.get("_at", []))
                    for f, _ in found
                ):
                    continue
                launch = re.match(
                    r"(?i)(?:launch|lancement)\s+(?:of|du|de)\s+(?:the\s+|la\s+|l')?", text[s:e]
                )
                if launch:
                    s += launch.end()  # "Launch of the Report on ...": the report's title
                kind_inside = publication_class(text[s:e])
                titled = ":" in text[s:e] or text[s - 1 : s] == "("
                if only_kind(text[s:e]):
                    continue  # "The Tool Kit": a reference to one found before
                # "published ... its International Report on Crime Prevention": a title that
                # names its own kind, in a sentence that says it was made.
                named_kind = creation is not None and kind_inside not in (None, "Publication")
                if self.known_title(s, e) or not (titled or named_kind):
                    continue
                entity = self.add(
                    kind_inside or "Publication", self.doc.text[s:e], (s, e), (start, end)
                )
                found.append((entity, e))
        for entity, title_end in found:
            self.publication_facts(entity, title_end, start, end)
            self.creation_facts(entity, start, end, creation)
        self.follows(found, start, end)
        self.result_of(found, start, end)
        self.collection(start, end)
        self.background_paper(start, end)

    def named_title(self, match: re.Match[str], start: int, end: int) -> Span | None:
        """A title that names its own kind with a capital: "the Kyoto Declaration", "la
        Déclaration de Kyoto", "its second annual Report on Crime Prevention and Community
        Safety: Trends and Perspectives"."""
        text = self.text
        word = match.group()
        if not word[:1].isupper() or (
            not text[start : match.start()].strip(" \t\"'«“(-–—•") and match.start() == start
        ):
            return None
        first = name_start(text, match.start(), start, ordinals=False)
        last = name_end(text, match.end(), end, detect_language(text[start:end]) == "fr", True)
        outside = (text[first : match.start()] + " " + text[match.end() : last]).split()
        if not any(w[:1].isupper() for w in outside) or self._inside_event_name(first, last):
            return None
        if self.known_title(first, last) or any(
            s <= first < e for p in self.x.of_kind("publication") for s, e in p.facts.get("_at", [])
        ):
            return None
        generic = all(w.lower() in GENERIC_TITLE_WORDS for w in text[first : match.start()].split())
        if (
            generic
            and not text[match.end() : last].strip(" ,;:")
            and any(e.cls == publication_class(word) for e in self.x.of_kind("publication"))
        ):
            return None  # "the 2010 International Report": the report already found
        return first, first + len(text[first:last].rstrip(" ,;:"))

    def _inside_event_name(self, start: int, end: int) -> bool:
        """Whether the span is (in) an event's name ("Kyoto Congress Report" is no title of
        a report when an event is named there)."""
        for entity in self.x.of_kind("event"):
            for s, e in entity.facts.get("_at", []):
                if s <= start < e or start <= s < end:
                    return True
        return False

    def _title_after(self, offset: int, limit: int) -> Span | None:
        text = self.text
        quoted = re.match(r'\s*"\s*([^"\n]{2,200}?)\s*"', text[offset:limit])
        if quoted:
            return offset + quoted.start(1), offset + quoted.end(1)
        for s, e in title_spans(text, offset, limit):
            if s - offset <= 2:
                return s, e
            break
        return None

    def _described(
        self, match: re.Match[str], start: int, end: int, creation: bool
    ) -> Entity | None:
        """ "led to the development of a coordination guide": a publication the page names
        by what it is about."""
        if not creation:
            return None
        cls = publication_class(match.group())
        if cls not in ("Guide", "ToolKit", "Report", "SynthesisReport"):
            return None
        before = re.search(
            r"(?i)\b(?:a|an|the|un|une|le|la)\s+((?:[a-z][\w-]+\s+){1,2})$",
            self.text[max(start, match.start() - 40) : match.start()],
        )
        if not before:
            return None
        modifier = before.group(1).strip()
        if modifier.lower() in (
            "new",
            "practical",
            "short",
            "final",
            "first",
            "second",
            "third",
            "annual",
            "full",
            "brief",
            "detailed",
            "comprehensive",
            "nouveau",
            "nouvelle",
            "seminar's",
            "this",
            "that",
        ):
            return None
        s = match.start() - len(before.group(1))
        title = self.doc.text[s : match.end()]
        return self.add(cls, title, (s, match.end()), (start, end))

    def creation_facts(
        self, entity: Entity, start: int, end: int, creation: re.Match[str] | None
    ) -> None:
        text = self.text
        # "ICPC's 2021 report": the owner and the year written before the kind.
        for s_at, _e in entity.facts.get("_at", []):
            kind_before = re.search(
                r"(?P<year>(?:19|20)\d\d\s+)?(?:"
                + "|".join(p for p, _ in PUBLICATION_KINDS)
                + r")\s*[,:]?\s*\"?\s*$",
                text[max(start, s_at - 40) : s_at],
                re.I,
            )
            if not kind_before:
                continue
            kind_start = max(start, s_at - 40) + kind_before.start()
            for (os_, oe), key in self.x.org_spans:
                if start <= os_ and re.fullmatch(r"['’]s\s+", text[oe:kind_start]):
                    self.x.relate(entity.key, "schema:publisher", key, (start, end))
            if kind_before.group("year") and entity.fact("datePublished") is None:
                entity.set_fact(
                    "datePublished", DateValue(kind_before.group("year").strip(), "gYear")
                )
        if creation is not None:
            verb_at = start + creation.start()
            for key in subject_orgs(self.x, start, verb_at):
                self.x.relate(entity.key, "schema:publisher", key, (start, end))
            if entity.fact("datePublished") is None:
                dates = [
                    d
                    for d in find_dates(text, start, verb_at)
                    if d.has_year and (d.form != "year" or d.cue)
                ]
                if dates:
                    value = dates[-1].first
                    entity.set_fact("datePublished", DateValue(value.lexical(), value.datatype()))
        # "the ICPC handbook": an organisation named right before the kind published it.
        for (s, e), key in self.x.org_spans:
            if start <= s and e <= end and KIND_AFTER.match(text, e):
                self.x.relate(entity.key, "schema:publisher", key, (start, end))

    def follows(self, found: list[tuple[Entity, int]], start: int, end: int) -> None:
        """ "Following the training, ICPC published a report", "Les actes du colloque ont été
        publiés dans le rapport ...": the event the publications came from."""
        if not found:
            return
        text = self.text
        lead = re.match(
            r"(?i)\s*(?:following|after|à la suite d[eu]|suite (?:à|au|aux))\s+[^,]{3,80},",
            text[start:end],
        )
        spans: list[tuple[int, int]] = []
        if lead:
            spans.append((start, start + lead.end()))
        proceedings = re.search(
            r"(?i)\b(?:proceedings|actes)\s+(?:of|du|de la|des|de l')\s*[^,;]{3,80}",
            text[start:end],
        )
        if proceedings:
            spans.append((start + proceedings.start(), start + proceedings.end()))
        for s, e in spans:
            for refs, _span in event_references(self.x, s, e):
                for ref in refs:
                    for entity, _ in found:
                        self.x.relate(entity.key, "icpc:followsEvent", ref, (start, end))

    def result_of(self, found: list[tuple[Entity, int]], start: int, end: int) -> None:
        if not found or not re.search(
            r"(?i)\bas a result\b|\ben résultat\b|\bresult(?:ed|ing)? (?:of|from)\b",
            self.text[start:end],
        ):
            return
        scope = self.x.scope_at(start, parts=False, series=True)
        if scope is None:
            return
        for entity, _ in found:
            self.x.relate(entity.key, "icpc:resultOf", scope.key, (start, end))


def add_publications(extraction: Extraction) -> None:
    PublicationFinder(extraction).run()
    link_results(extraction)
    for entity in extraction.of_kind("publication"):
        tidy_title(extraction, entity)
