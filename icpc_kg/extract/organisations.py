"""Organisations: names, acronyms (both "Name (ACR)" and "ACR (Name)"), names in the other
language ("ministère de la Sécurité publique (Ministry of Public Security)"), the kind of
organisation its name says, and the place its name or the page ties it to ("Solicitor General
of Canada", "Washington DC's Metropolitan Police Department", "National Crime Prevention
Council (USA)").

An organisation is recognised by an acronym definition, by a head word in its name
(Centre, Ministry, ministère, Foundation, Network, University...), by a known acronym, or by
a phrase that only an organisation can fill ("funded by X", "en collaboration avec X").
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Iterable

from icpc_kg.extract.document import Document
from icpc_kg.extract.lexicon import HEADS
from icpc_kg.extract.model import Span
from icpc_kg.extract.org_entities import locate_mention
from icpc_kg.extract.org_mentions import (
    keep_mention,
    listed_after,
    lower_case_cities,
    named_after_kind,
    person_line_orgs,
    split_coordinated,
)
from icpc_kg.extract.org_names import (
    _UNMISTAKABLY_FRENCH,
    FRENCH_HEADS,
    SITE_OWNERS,
    OrgMention,
    _looks_like_title,
    _org_like,
    acronym_fits,
    flat_name,
    guess_lang,
    has_head,
    is_person_like,
    org_class,
    trim_to_acronym,
)
from icpc_kg.extract.org_phrases import (
    french_phrase,
    french_sentence,
    name_pieces,
    possessive,
    possessive_before,
    sentence_start,
    strip_leading,
)
from icpc_kg.extract.places import gazetteer
from icpc_kg.extract.text import capitalised_phrases, fold, is_acronym

_ORG_TRIGGERS = re.compile(
    r"\b(?:(?:co-?)?(?:funded|financed|sponsored|supported|organi[sz]ed|hosted|led|"
    r"convened|commissioned) (?:jointly )?by|(?:in )?(?:collaboration|partnership|"
    r"cooperation|association) with|co-?organi[sz]ed with|with (?:the )?(?:additional |financial "
    r"|generous )?support (?:of|from)|thanks to|(?:co-?)?financée?s? par|soutenue?s? par|"
    r"organisée?s? (?:conjointement )?(?:par|avec)|coorganisée?s? (?:par|avec)|"
    r"en (?:collaboration|partenariat) avec|avec (?:le )?(?:l'appui|le soutien|l'aide)"
    r"(?: financier)? (?:de|du|des|de la|de l')|accueillie? par|parrainée? par)\s+"
    r"(?:the |le |la |les |l'|des |du |de la |de l')?",
    re.I,
)


def _quoted_spans(text: str) -> list[Span]:
    return [m.span() for m in re.finditer(r'"[^"\n]{3,200}"', text)]


def find_organisations(
    doc: Document, known_acronyms: dict[str, str] | None = None
) -> list[OrgMention]:
    """Every organisation mention in ``doc``; ``known_acronyms`` maps acronyms already in the
    graph to their language."""
    text = doc.flat
    mentions: list[OrgMention] = []
    quoted = _quoted_spans(text)

    spans: list[Span] = []  # the mentions' spans, kept sorted for lookups

    def covered(s: int, e: int) -> bool:
        first = bisect_right(spans, (s, 1 << 62))
        return any(ms <= s and e <= me for ms, me in spans[max(0, first - 8) : first])

    def overlaps_start(s: int) -> bool:
        first = bisect_right(spans, (s, 1 << 62))
        return any(ms <= s < me for ms, me in spans[max(0, first - 8) : first])

    def keep(mention: OrgMention) -> None:
        mentions.append(mention)
        insort(spans, (mention.start, mention.end))

    def in_quotes(s: int, e: int) -> bool:
        return any(qs <= s and e <= qe for qs, qe in quoted)

    for block in doc.blocks:
        if block.kind == "title":
            continue
        for mention in _definitions(doc, block.start, block.end):
            keep(mention)
    for block in doc.blocks:
        if block.kind in ("title",):
            continue
        for mention in _head_phrases(doc, block.start, block.end):
            if not covered(mention.start, mention.end) and not in_quotes(
                mention.start, mention.end
            ):
                keep(mention)
        for mention in _triggered(doc, block.start, block.end):
            if not covered(mention.start, mention.end) and not overlaps_start(mention.start):
                keep(mention)
    # "the Undersecretariat" for "the Undersecretariat for Crime Prevention" named before.
    by_head: dict[str, list[OrgMention]] = {}
    for mention in mentions:
        if (
            mention.name
            and len(mention.name.split()) >= 3
            and mention.name.split()[0].lower() in HEADS
        ):
            by_head.setdefault(mention.name.split()[0], []).append(mention)
    for head, named in sorted(by_head.items()):
        if len({fold(m.name or "") for m in named}) != 1:
            continue
        for match in re.finditer(
            rf"\b(?:the|The|le|la|Le|La|l'|L')\s?({re.escape(head)})(?![\w-])", text
        ):
            s, e = match.span(1)
            if covered(s, e) or overlaps_start(s):
                continue
            source = named[0]
            keep(
                OrgMention(
                    s, e, name=source.name, name_lang=source.name_lang, cls=source.cls, how="repeat"
                )
            )
    # Later mentions of a name found once ("Public Safety Canada" after "funded by").
    first_named: dict[str, OrgMention] = {}
    for mention in mentions:
        if mention.name and len(mention.name.split()) >= 2:
            first_named.setdefault(mention.name, mention)
    for name, mention in first_named.items():
        for match in re.finditer(re.escape(flat_name(name)), text):
            if covered(*match.span()) or overlaps_start(match.start()):
                continue
            keep(
                OrgMention(
                    match.start(),
                    match.end(),
                    name=mention.name,
                    name_lang=mention.name_lang,
                    cls=mention.cls,
                    how="repeat",
                )
            )
    acronyms = dict(known_acronyms or {})
    for owner in SITE_OWNERS:
        acronyms.update(owner.acronyms)
    for mention in mentions:
        if mention.acronym:
            acronyms.setdefault(mention.acronym, mention.acronym_lang or doc.lang)
    for acronym, lang in sorted(acronyms.items()):
        pattern = re.compile(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])")
        for match in pattern.finditer(text):
            if covered(*match.span()):
                continue
            keep(
                OrgMention(
                    match.start(), match.end(), acronym=acronym, acronym_lang=lang, how="acronym"
                )
            )
    mentions = [m for m in split_coordinated(doc, mentions) if keep_mention(doc, m)]
    spans[:] = sorted((m.start, m.end) for m in mentions)
    for complete in (lower_case_cities, named_after_kind, person_line_orgs):
        for mention in complete(doc, mentions):
            if not covered(mention.start, mention.end) and keep_mention(doc, mention):
                keep(mention)
    for mention in listed_after(doc, mentions, _ORG_TRIGGERS):
        if not covered(mention.start, mention.end) and keep_mention(doc, mention):
            keep(mention)
    return sorted(mentions, key=lambda m: (m.start, -m.end))


def _name_before(doc: Document, paren: int, acronym: str | None = None) -> tuple[int, int] | None:
    """The organisation name that ends just before an opening parenthesis; with the acronym
    given in it, the longest name it stands for ("Université du Québec à Montréal (UQAM)")."""
    text = doc.flat
    end = paren
    while end > 0 and text[end - 1] == " ":
        end -= 1
    floor = max(sentence_start(doc, max(end - 1, 0)), end - 160)
    best: tuple[int, int] | None = None
    for phrase in capitalised_phrases(text, floor, end):
        if phrase.end == end:
            pieces = name_pieces(text, phrase.start, phrase.end)
            best = pieces[-1]
            if acronym:
                # The whole run may be the name when it is joined by a French "à"
                # ("Université du Québec à Montréal"), never by "at", "with" or "by".
                whole = (
                    []
                    if re.search(r"(?i)\s(?:at|with|by|from|chez)\s", text[phrase.start : end])
                    else [(phrase.start, end)]
                )
                fitting = [
                    (s, end)
                    for s, piece_end in [*whole, *pieces]
                    if piece_end == end
                    and acronym_fits(acronym, text[s:end])
                    and not acronym_fits(acronym, text[end - 1 : end])
                ]
                if fitting:
                    longest = min(fitting)
                    cut = trim_to_acronym(text[longest[0] : end], acronym)
                    return longest[0] + cut, end
    for match in FRENCH_HEADS.finditer(text, floor, end):
        stop = french_phrase(text, match.start(), end)
        if stop < end and acronym and acronym_fits(acronym, text[match.start() : end]):
            stop = end  # "Laboratoire en sécurité urbaine (LabSU)"
        if stop == end and (best is None or match.start() < best[0]):
            if (
                best is None
                or not text[best[0] : best[1]].strip()[0].isupper()
                or match.start() < best[0]
            ):
                best = (match.start(), end)
            break
    return best


def _definitions(doc: Document, start: int, end: int) -> list[OrgMention]:
    text = doc.flat
    found: list[OrgMention] = []
    gaz = gazetteer()
    for match in re.finditer(r"\(([^()\n]{2,140})\)", text[start:end]):
        p0 = start + match.start()
        p1 = start + match.end()
        inner = match.group(1).strip()
        parts = [p.strip() for p in inner.split(",")]
        acronym = next((p for p in parts if is_acronym(p, loose=True)), None)
        if acronym is not None and not is_acronym(acronym):
            # A mixed-case acronym (Efus, LabSU) counts when it fits the name before it, or
            # when that name has an organisation's head (the acronym of its other language).
            name_before = _name_before(doc, p0, acronym)
            if name_before is None or not (
                acronym_fits(acronym, text[name_before[0] : name_before[1]])
                or has_head(text[name_before[0] : name_before[1]], weak=True)
            ):
                acronym = None
        others = [p for p in parts if p != acronym]
        before = _name_before(doc, p0, acronym)
        # "ACR (Full name)"
        before_word = re.search(r"([\w-]+)\s*$", text[max(start, p0 - 40) : p0])
        if (
            acronym is None
            and before_word
            and is_acronym(before_word.group(1))
            and len(parts) == 1
            and _org_like(inner)
        ):
            acr = before_word.group(1)
            acr_start = p0 - len(text[max(start, p0 - 40) : p0]) + before_word.start(1)
            acr_start = max(start, p0 - 40) + before_word.start(1)
            name_lang = guess_lang(inner, doc.lang)
            acr_lang = (
                name_lang
                if acronym_fits(acr, inner)
                else ("fr" if re.search("[À-ÿ]", acr) else doc.lang)
            )
            found.append(
                OrgMention(
                    strip_leading(text, acr_start - 4, acr_start)
                    if text[acr_start - 4 : acr_start].lower() == "the "
                    else acr_start,
                    p1,
                    name=inner,
                    name_lang=name_lang,
                    acronym=acr,
                    acronym_lang=acr_lang,
                    cls=org_class(inner),
                    how="definition",
                )
            )
            continue
        if before is None:
            continue
        s, e = before
        s = strip_leading(text, s, e)
        s, place, place_span = possessive(text, s, e)
        written = doc.text[place_span[0] : e] if place_span else None
        if place is None:
            place, place_span = possessive_before(text, s)
        name = doc.text[s:e].strip()
        if not name or len(name) < 3:
            continue
        lang = guess_lang(name, doc.lang)
        place_info = gaz.classify(inner) if acronym is None and len(parts) == 1 else None
        as_place = gaz.classify(acronym) if acronym is not None else None
        if as_place is not None and as_place.kind == "Country":
            place_info, acronym, others = as_place, None, []  # "(USA)" is a place
        if acronym is not None:
            if not (has_head(name, weak=True) or acronym_fits(acronym, name)):
                continue
            cut = trim_to_acronym(name, acronym) if acronym_fits(acronym, name) else 0
            if cut:
                s += cut
                name = doc.text[s:e].strip()
                written = None
            acr_lang = (
                lang
                if acronym_fits(acronym, name)
                else ("fr" if re.search("[À-ÿ]", acronym) else doc.lang)
            )
            mention = OrgMention(
                s,
                p1,
                name=name,
                name_lang=lang,
                acronym=acronym,
                acronym_lang=acr_lang,
                written=written,
                cls=org_class(name),
                how="definition",
            )
            for other in others:
                if _org_like(other):
                    other_lang = guess_lang(other, "fr" if lang == "en" else "en")
                    mention.other_names.append((other, other_lang))
                    if not acronym_fits(acronym, name) and acronym_fits(acronym, other):
                        mention.acronym_lang = other_lang
            locate_mention(mention, text, s, e, place, place_span)
            found.append(mention)
        elif (
            place_info is not None
            and place_info.kind in ("Country", "City", "AdministrativeRegion")
            and has_head(name, weak=True)
        ):
            cls = org_class(name)
            mention = OrgMention(
                s,
                p1,
                name=name,
                name_lang=lang,
                written=written,
                cls=cls,
                how="definition",
                place=place_info,
                place_span=(p0 + 1, p1 - 1),
                place_role="jurisdiction"
                if cls in ("GovernmentBody", "PoliceService")
                else "basedIn",
            )
            found.append(mention)
        elif len(parts) == 1 and has_head(name) and _org_like(inner) and has_head(inner):
            other_lang = guess_lang(inner, "fr" if lang == "en" else "en")
            mention = OrgMention(
                s,
                p1,
                name=name,
                name_lang=lang,
                written=written,
                cls=org_class(name + " " + inner),
                how="definition",
            )
            if other_lang != lang:
                mention.other_names.append((inner, other_lang))
            locate_mention(mention, text, s, e, place, place_span)
            found.append(mention)
    return found


def _head_phrases(doc: Document, start: int, end: int) -> Iterable[OrgMention]:
    text = doc.flat
    spans: list[Span] = []
    for phrase in capitalised_phrases(text, start, end):
        for s, e in name_pieces(text, phrase.start, phrase.end):
            name = text[s:e]
            if len(name.split()) >= 2 and has_head(name):
                spans.append((s, e))
    for match in FRENCH_HEADS.finditer(text, start, end):
        if (
            match.group()[0].islower()
            and doc.lang != "fr"
            and not _UNMISTAKABLY_FRENCH.match(match.group())
        ):
            continue
        if not french_sentence(doc, match.start()):
            continue  # "the European Forum and its network are working": English
        stop = french_phrase(text, match.start(), end)
        if stop > match.end() and not any(s <= match.start() < e for s, e in spans):
            name = text[match.start() : stop]
            if (len(name.split()) >= 2 and any(t[0].isupper() for t in name.split()[1:])) or (
                name.split()[0][0].isupper() and len(name.split()) >= 2
            ):
                spans = [(s, e) for s, e in spans if not (match.start() <= s and e <= stop)]
                spans.append((match.start(), stop))
    for s, e in sorted(spans):
        s = strip_leading(text, s, e)
        s, place, place_span = possessive(text, s, e)
        written = doc.text[place_span[0] : e] if place_span else None
        if place is None:
            place, place_span = possessive_before(text, s)
        name = doc.text[s:e]
        if (
            len(name.split()) < 2
            or not has_head(name)
            or (name.split()[0].lower() in HEADS and len(name.split()) < 2)
        ):
            continue
        if _looks_like_title(name):
            continue
        mention = OrgMention(
            s,
            e,
            name=name,
            name_lang=guess_lang(name, doc.lang),
            cls=org_class(name),
            written=written,
            how="head",
        )
        locate_mention(mention, text, s, e, place, place_span)
        yield mention


def _triggered(doc: Document, start: int, end: int) -> Iterable[OrgMention]:
    text = doc.flat
    for match in _ORG_TRIGGERS.finditer(text, start, end):
        s = match.end()
        if s >= end:
            continue
        if re.match(r"(?:Mr|Mrs|Ms|Dr|Prof|M|Mme|Mlle)\b\.?", text[s:end]):
            continue
        french = FRENCH_HEADS.match(text, s)
        if french and french.group()[0].islower() and not french_sentence(doc, s):
            french = None  # "in collaboration with police services": English words
        if french:
            e = french_phrase(text, s, end)
        else:
            phrase = next(iter(capitalised_phrases(text, s, end)), None)
            if phrase is None or phrase.start != s:
                continue
            e = name_pieces(text, phrase.start, phrase.end)[0][1]
        s2, place, place_span = possessive(text, s, e)
        name = doc.text[s2:e].strip()
        if not name or is_person_like(name) or re.search(r"['’]s$", name):
            continue
        info = gazetteer().classify(name)
        if info is not None and not has_head(name):
            continue
        mention = OrgMention(
            s2,
            e,
            name=name if not is_acronym(name) else None,
            acronym=name if is_acronym(name) and " " not in name else None,
            acronym_lang=doc.lang,
            name_lang=guess_lang(name, doc.lang),
            cls=org_class(name),
            how="trigger",
            written=doc.text[place_span[0] : e] if place_span else None,
        )
        if mention.acronym is None and mention.name is None:
            continue
        locate_mention(mention, text, s2, e, place, place_span)
        yield mention
