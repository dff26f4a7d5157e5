"""Events a sentence names in passing, with no verb that holds them: "the 14th United Nations
Congress on Crime Prevention and Criminal Justice", "le CIPC a pris part au Sommet mondial de
la police", "ICPC attended the World Police Summit", "la 7e conférence internationale sur
l'observation ...".

A kind word makes such a mention an event only when the phrase around it is a name: the kind
word is written with a capital inside the sentence (a proper name), an ordinal stands before
it ("third intersessional meeting", "25ième Assemblée générale"), or a verb of taking part
introduces it ("took part in", "participated in", "a participé à", "prendre part au"). The
name runs over the capitalised words and connectors around the kind (in French, over the
lower-case words of a sentence-case name until a verb, a date or punctuation).
"""

from __future__ import annotations

import re

from icpc_kg.extract.dates import EN_MONTHS, FR_MONTHS, find_dates
from icpc_kg.extract.event_kinds import HELD_RE, ORDINAL_RE, Kind, capitalise, edition_of
from icpc_kg.extract.event_state import FinderBase
from icpc_kg.extract.lexicon import CONNECTORS, FRENCH_STOP, WEAK_HEADS
from icpc_kg.extract.model import Entity
from icpc_kg.extract.places import gazetteer
from icpc_kg.extract.publication_kinds import KIND_RE as PUBLICATION_KIND_RE
from icpc_kg.extract.sentences import detect_language
from icpc_kg.extract.text import fold_words
from icpc_kg.extract.times import find_times

PARTICIPATION = re.compile(
    r"(?i)\b(?:took part in|take part in|taking part in|takes part in|participated in|"
    r"participates in|participating in|participate in|attended|attends|attend|"
    r"was invited to|invited to|spoke at|presented at|contributed to|"
    r"a (?:\w+ )?participé (?:à|au|aux)|participe (?:à|au|aux)|participera (?:à|au|aux)|"
    r"participer (?:à|au|aux)|pris part (?:à|au|aux)|prendre part (?:à|au|aux)|"
    r"prend part (?:à|au|aux)|a (?:\w+ )?assisté (?:à|au|aux)|invitée? (?:à|au|aux)|"
    r"lors (?:de|du|des)|dans le cadre (?:de|du|des))\s+(?:the |a |an |la |le |l'|les )?"
)
# Words that end a sentence-case French name ("Sommet mondial de la police organisé par").
_NAME_STOP = re.compile(
    r"(?i)^(?:organisée?s?|tenue?s?|prévue?s?|intitulée?s?|nommée?s?|qui|que|dont|où|avec|"
    r"lors|depuis|pendant|durant|afin|a|se|s'est|était|étaient|sera|seront|aura|auront|avait|"
    r"ayant|ainsi|ont|est|sont|fut|va|vont|vient|réunira|réunit|rassemble|rassemblera|"
    r"accueille|accueillera|portera|porte|permettra|permet|"
    r"held|organi[sz]ed|hosted|entitled|titled|called|named|which|that|where|during|was|"
    r"were|will|is|are|as|comme)$"
)
_WORD = re.compile(r"[\w'’.-]+|[,:;()«»\"“”]")
# "une session de conférence intitulée « Challenges facing ... »": the quoted title.
QUOTED_TITLE = re.compile(
    r"(?i)(?:\s+(?:de|of|du)\s+[\w-]+|\s+[\w-]+)?\s*,?\s*(?:(?:intitulée?s?|entitled|titled|"
    r"called|nommée?s?|named|sur le thème|on the theme)\s*)?[«\"“]\s*(?P<title>[^»\"”\n]{3,200}?)"
    r"\s*[»\"”]"
)
# A title right after the kind word, past one or two lower-case adjectives ("conférence
# internationale Sécurité, Démocratie et Villes").
_TITLE_AFTER = re.compile(
    r"(?:\s+(?!(?:and|et|of|de|des|du|the|for|pour|sur|on|in|with|avec|from)\b)[a-zà-ÿ-]{3,})"
    r"{0,2}\s+[«\"“]?[A-ZÀ-Ý][\w’'-]*\b(?!\s*\()"
)
_ENUMERATION = re.compile(r"\s+[A-ZÀ-Ý][\w’'-]*(?:,\s+[A-ZÀ-Ý][\w’'-]*)*\s+(?:et|and|&)\s+[A-ZÀ-Ý]")
# ", l'analyse et la prévention", ", la sécurité et la cohésion sociale": an enumeration
# inside a French name.
_FRENCH_ENUMERATION = re.compile(
    r"\s+(?:l['’]|la |le |les |des |du )[\w’'-]+(?:[ ,]+(?!(?:et|and)\b)[\w’'-]+){0,4}?"
    r"(?:,\s+(?:l['’]|la |le |les |des |du )[\w’'-]+(?: [\w’'-]+){0,3}?)*"
    r"\s+et\s+(?:l['’]|la |le |les |des |du )"
)
_DEMONSTRATIVE = re.compile(
    r"(?i)\b(?:this|that|our|ce|cet|cette|notre|this year['’]s|cette année,? (?:la|le))\s+$"
)
_ARTICLES_ONLY = r"(?i)\s*(?:(?:the|a|an|la|le|les|l['’]|un|une|sa|son|ses|its|their|our)\s*)?"
_ARTICLE_BEFORE = re.compile(r"(?i)\b(?:les?|la|l['’])\s*$")
# Connectors that lead out of an event's name to its place or date ("in Montreal").
_PLACE_CONNECTORS = frozenset(["in", "at", "à", "au", "aux", "en", "from", "to", "dans"])
MONTHS = frozenset(EN_MONTHS) | frozenset(FR_MONTHS)
_PUNCTUATION = frozenset(',:;()«»"“”[]')
_LEADING = (
    r"(?i)(?:the|a|an|la|le|les|l['’]|its|their|his|her|son|sa|ses|leur|this|that|these|our|"
    r"ce|cet|cette|ces|notre|nos|de|du|des|of)\s+"
)
ORDINAL_BEFORE = re.compile(
    r"(?i)(?:\b(?:\d{1,2}\s?(?:st|nd|rd|th|er|re|ère|e|ème|ième|ieme|eme|è)|"
    + ORDINAL_RE.pattern.split("(?P<w>", 1)[1].rsplit("))", 1)[0]
    + r")\b)(?:\s+[\w'’-]+){0,3}\s*$"
)


class MentionRules(FinderBase):
    """Events named in passing in a sentence (see the module's docstring)."""

    def named_span(
        self, kind: Kind, start: int, end: int, proper_only: bool = False
    ) -> tuple[int, int] | None:
        """The name around ``kind`` when the sentence names an event there, else None; with
        ``proper_only``, only a proper name (capitalised, quoted or titled), not an event
        named by its ordinal or a verb of taking part."""
        text = self.text
        if kind.plural and not kind.text.lower().startswith("assises"):
            return None
        quoted = QUOTED_TITLE.match(text, kind.end, end)
        if quoted:
            return quoted.start("title"), quoted.end("title")
        before = text[start : kind.start]
        participation = PARTICIPATION.search(before[-60:])
        capital = kind.text[:1].isupper() and not _sentence_initial(text, start, kind.start)
        after_article = kind.text[:1].isupper() and re.search(
            r"(?i)\b(?:les?|la|l['’])\s*$", before
        )
        ordinal = ORDINAL_BEFORE.search(before[-60:]) is not None
        titled = _TITLE_AFTER.match(text, kind.end, end) is not None
        proper = capital or bool(after_article) or titled
        if not (proper or ordinal or participation) or (proper_only and not proper):
            return None
        if kind.text.lower().rstrip("s") in WEAK_HEADS and not (ordinal or participation):
            return None  # "Forum Français pour la Sécurité Urbaine" is an organisation
        first = name_start(text, kind.start, start)
        if participation and not ordinal and not capital:
            cue_end = kind.start - len(before[-60:]) + participation.end()
            between = text[cue_end:first]
            weak = participation.group().lower().startswith(("lors", "dans le cadre"))
            if re.fullmatch(_ARTICLES_ONLY, between + " "):
                pass
            elif not weak and re.fullmatch(r"(?:[a-zà-ÿ-]+\s+){1,3}", between):
                first = cue_end  # "participated in the traditional coordination meeting of"
            else:
                participation = None  # "dans le cadre du matériel de formation": no event
                if not proper:
                    return None
        verb = HELD_RE.search(text, kind.end, end)
        limit = verb.start() if verb else end
        last = name_end(text, kind.end, limit, detect_language(text[start:end]) == "fr", proper)
        name = text[first:last].strip(" ,;:")
        words = name.split()
        capitalised = [w for w in words[1:] if w[:1].isupper()]
        if (after_article or participation) and not (capital or ordinal) and not capitalised:
            return None  # "la conférence a réuni": the event in scope
        if len(words) < 2 and not ordinal:
            return None
        if kind.cls == "Event" and not (capital or ordinal or capitalised):
            return None
        if self.inside_org(first, last):
            return None
        return first, last

    def named_event(self, kind: Kind, start: int, end: int) -> bool:
        """Add the event a sentence names around ``kind``; False when it names none."""
        span = self.named_span(kind, start, end)
        if span is None:
            return False
        first, last = span
        name = capitalise(self.doc.text[first:last].strip(" ,;:"))
        same_kind = [e for e in self.x.of_class(kind.cls)]
        target = self.event or (same_kind[0].key if len(same_kind) == 1 else None)
        if target and _DEMONSTRATIVE.search(self.text[start : kind.start]):
            # "cette conférence internationale « Sécurité, Démocratie & Villes »", "This
            # year's Colloquium was titled ...": the name of the event in scope.
            self.x.entities[target].add_alternate(name, self.doc.lang)
            return True
        words = name.split()
        edition = edition_of(words[0] + " ") if words else None
        if edition is None:
            ordinal = ORDINAL_BEFORE.search(self.text[start : kind.start][-60:])
            edition = edition_of(ordinal.group() + " ") if ordinal else None
        existing = self._known_event(kind.cls, name, edition)
        entity = existing or self.new_event(kind.cls, name, (start, end))
        entity.add_span((start, end))
        if existing is None:
            entity.set_fact("_level", 2)
            entity.add_fact("_at", (first, last))
            if edition:
                entity.set_fact("edition", edition)
            self._dates_in_sentence(entity, kind, start, end)
        elif entity.fact("startDate") is None and entity.fact("dateText") is None:
            self._dates_in_sentence(entity, kind, start, end)  # the headline's event, dated here
        return True

    def _dates_in_sentence(self, entity: Entity, kind: Kind, start: int, end: int) -> None:
        """The date the sentence gives the event it names ("From 4 to 6 June 2024, ICPC took
        part in the ... Summit"): a day or month, or a year only where a cue says it is the
        event's ("in 2023"), never "the programme of 2030"."""
        dates = [
            d
            for d in find_dates(self.text, start, end)
            if (d.has_year and (d.form != "year" or d.cue)) or not d.has_year
        ]
        if not dates:
            return
        nearest = min(dates, key=lambda d: abs(d.start - kind.start))
        times = find_times(self.text, start, end)
        time = next((t for t in times if abs(t.start - nearest.end) < 40), None)
        self.set_dates(entity, nearest, time, span=(start, end))

    def _known_event(self, cls: str, name: str, edition: int | None) -> Entity | None:
        """An event already found under this name, or of the same kind whose name contains
        this one or has the same edition."""
        wanted = fold_words(name)
        for entity in self.x.of_kind("event"):
            names = [fold_words(n) for n in entity.all_names()]
            if wanted in names:
                return entity
            if entity.cls != cls:
                continue
            known = entity.fact("edition")
            if edition is not None and known is not None:
                if edition == known:
                    return entity
                continue
            if any(n and (n.startswith(wanted) or wanted.startswith(n)) for n in names):
                return entity
        return None


def name_start(text: str, kind_start: int, floor: int, ordinals: bool = True) -> int:
    """Back over the capitalised words, connectors and (with ``ordinals``) the ordinal and
    the adjectives after it before a kind word."""
    best = kind_start
    capital_seen = False
    for token in reversed(list(_WORD.finditer(text, floor, kind_start))):
        bare = token.group().strip("'’")
        if token.group() == ":" and _title_before(text, floor, token.start()):
            continue  # "Safety Audits for Small Towns: A Field Handbook"
        if token.group() in _PUNCTUATION or bare.lower() in _PLACE_CONNECTORS:
            break  # "... du PNI à la 32e session": the name starts after "à"
        if bare[:1].isupper() or (ordinals and _is_ordinal(bare)):
            best = token.start()
            capital_seen = capital_seen or bare[:1].isupper()
        elif bare.lower() in CONNECTORS and best != kind_start:
            continue  # a connector inside the name ("Forum for the ...")
        elif (
            ordinals
            and not capital_seen
            and re.fullmatch(r"[a-zà-ÿ-]+", bare)
            and ORDINAL_BEFORE.search(text[floor : token.end()])
        ):
            best = token.start()  # after an ordinal: "third intersessional", "8e édition de la"
        else:
            break
    # "Proceedings of the 6th International Colloquium": the event, not the proceedings.
    title = list(PUBLICATION_KIND_RE.finditer(text, best, kind_start))
    if title:
        after = re.search(r"(?i)\b(?:of|de|du|des|from)\b\s*", text[title[-1].end() : kind_start])
        best = title[-1].end() + (after.end() if after else 0)
    while match := re.match(_LEADING, text[best:kind_start]):
        best += match.end()
    return best


def name_end(text: str, kind_end: int, limit: int, french: bool, capital: bool) -> int:
    """Forward over the capitalised words and connectors after a kind word; in a
    sentence-case French name, over lower-case words too until a verb or a stop word."""
    best = kind_end
    for token in _WORD.finditer(text, kind_end, limit):
        word = token.group()
        if word == ":" and _subtitle(text, token.end()):
            continue
        if word == "," and french and _FRENCH_ENUMERATION.match(text, token.end(), limit):
            continue  # "sur l'observation, l'analyse et la prévention de ..."
        if word == "," and best > kind_end and _ENUMERATION.match(text, token.end()):
            continue  # "Sécurité, Démocratie et Villes"
        if word in _PUNCTUATION:
            break
        bare = word.strip("'’").rstrip(".")
        lowered = bare.lower()
        if re.fullmatch(r"\d+\w*", bare) or _NAME_STOP.match(lowered):
            break
        if lowered in MONTHS and re.match(r"\s*\d", text[token.end() : token.end() + 3]):
            break  # "session on November 10th": a date, not the name
        if bare[:1].isupper():
            best = token.start() + len(word.rstrip("."))
        elif lowered in ("and", "et", "&") and best == kind_end and not capital:
            break  # "the first seminar and Inspiring Police Practices": two things
        elif lowered in _PLACE_CONNECTORS and _place_follows(text, token.end()):
            break  # "Colloquium in Montreal", but "Report on Women's Safety in Cities"
        elif lowered in CONNECTORS:
            continue
        elif (
            french
            and re.fullmatch(r"(?:[ld][’'])?[a-zà-ÿ-]+", lowered)
            and (lowered not in FRENCH_STOP)
        ):
            best = token.start() + len(word.rstrip("."))
            if word.endswith("."):
                break
        else:
            break
    return best


def _title_before(text: str, floor: int, colon: int) -> bool:
    """Whether the words before a colon, back to the start of the line, are a title."""
    line_start = max(floor, text.rfind("\n", 0, colon) + 1)
    words = text[line_start:colon].split()
    return len(words) >= 2 and all(w[:1].isupper() or w.lower() in CONNECTORS for w in words)


def _place_follows(text: str, offset: int) -> bool:
    """Whether the capitalised words at ``offset`` name a place (or nothing capitalised)."""
    match = re.match(r"\s+((?:[A-ZÀ-Ý][\w’'.-]*)(?:[ -][A-ZÀ-Ý][\w’'.-]*){0,2})", text[offset:])
    if match is None:
        return True
    words = match.group(1).split()
    return any(gazetteer().classify(" ".join(words[:n])) for n in range(len(words), 0, -1))


def _is_ordinal(word: str) -> bool:
    return bool(
        ORDINAL_RE.fullmatch(word)
        or re.fullmatch(r"(?i)\d{1,2}(?:st|nd|rd|th|e|er|re|ème|ième|ieme|eme)", word)
    )


def _sentence_initial(text: str, start: int, at: int) -> bool:
    return not text[start:at].strip(" \t\"'«“(-–—•")


def _subtitle(text: str, after: int) -> bool:
    """A colon followed by a capitalised subtitle ("Congress: Crime Prevention ...")."""
    rest = text[after : after + 3].lstrip()
    return bool(rest) and rest[0].isupper()
