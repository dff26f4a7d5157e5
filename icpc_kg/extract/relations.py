"""Relations the text states between events, publications, organisations and people:
organised, co-organised, in collaboration with, co-sponsored, supported (with its
qualification, "for the first phase", kept as an icpc:Involvement), funded, hosted, presented
by, moderated by, panelists, based on, part of a series.

The subject of a relation is what the clause names before the phrase ("This series was
co-sponsored by...", "a coordination guide, funded by...", "It was funded by..."), else the
event whose scope the sentence is in. The objects are the organisations named after the
phrase, up to the next such phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from icpc_kg.extract.lexicon import TRAINING_WORDS
from icpc_kg.extract.model import Entity, Extraction, Involvement, Span
from icpc_kg.extract.text import fold, fold_words

ORG_RELATIONS: list[tuple[str, re.Pattern[str]]] = [
    (
        "icpc:coOrganizer",
        re.compile(
            r"(?i)\b(?:co-?organi[sz]ed (?:with|by)|jointly organi[sz]ed with|organi[sz]ed jointly "
            r"with|organi[sz]ed with(?! (?:the )?(?:support|help|assistance|participation|"
            r"contribution|collaboration))|organisée? conjointement (?:avec|par)|"
            r"coorganisée? (?:avec|par)|organisée? avec|"
            r"co-organisée? (?:avec|par))\b"
        ),
    ),
    (
        "icpc:collaborator",
        re.compile(
            r"(?i)\b(?:in (?:collaboration|partnership|cooperation|association) with|"
            r"en (?:collaboration|partenariat) avec|with the collaboration of|"
            r"avec la collaboration (?:de|du|des))\b"
        ),
    ),
    (
        "icpc:coSponsor",
        re.compile(r"(?i)\b(?:co-?sponsored by|coparrainée? par|co-parrainée? par)\b"),
    ),
    ("schema:sponsor", re.compile(r"(?i)\b(?<!co-)(?<!co)sponsored by|parrainée? par\b")),
    (
        "icpc:funder",
        re.compile(
            r"(?i)\b(?:(?:co-?)?funded by|financed by|with (?:the )?(?:financial support|funding) "
            r"(?:of|from)|financée?s? par|cofinancée?s? par|avec le (?:soutien|financement) "
            r"financier (?:de|du|des|de la|de l'))\b"
        ),
    ),
    (
        "icpc:supporter",
        re.compile(
            r"(?i)\b(?:supported by|with (?:the )?(?:additional |generous )?support (?:of|from)|"
            r"thanks to the support of|soutenue?s? par|avec (?:le )?(?:l'appui|le soutien|l'aide) "
            r"(?:de|du|des|de la|de l'))|\bavec le soutien\b"
        ),
    ),
    ("icpc:host", re.compile(r"(?i)\b(?:hosted by|accueillie? par|reçue? par)\b")),
    (
        "icpc:organizer",
        re.compile(r"(?i)\b(?<!co-)(?<!co)(?:organi[sz]ed by|organisée? par|convened by)\b"),
    ),
]
SCOPE_RE = re.compile(
    r"\s*,?\s*(?P<scope>(?:for|during|pour|durant|lors de) (?:the|its|their|la|le|sa|son|ses|l')\s?"
    r"[^,.;()]{2,60}?)(?=\s*(?:[,.;)]|$|\band\b|\bet\b))",
    re.I,
)
# A subject named before the phrase: "This series was co-sponsored by", "It was funded by".
SUBJECT_RE = re.compile(
    r"(?i)\b(?:(?P<det>this|that|the|these|ce|cet|cette|le|la|les|ces)\s+(?P<noun>[\w-]+(?:\s[\w-]+)?)|"
    r"(?P<pron>it|they|il|elle|ils|elles))\s+(?:(?:was|were|is|are|will be|has been|have been|"
    r"a été|ont été|est|sont|sera|seront)\b)?[^.;,]{0,40}$"
)
_EVENT_NOUNS = re.compile(
    r"(?i)^(?:series|série|cycle|event|événement|activity|activité|seminar|séminaire|conference|"
    r"conférence|colloquium|colloque|workshop|atelier|session|séance|training|formation|"
    r"webinar|webinaire|mini-conference|forum|panel|project|projet|meeting|rencontre|"
    r"presentation|présentation)s?$"
)
_REFERENCE = re.compile(
    r"(?i)\b(?:the|this|these|those|ce|cet|cette|le|la|les|ces|l'|du|au|aux|des)\s*"
    r"(?:(?P<ord>first|second|third|fourth|fifth|previous|last|next|premier|première|"
    r"deuxième|troisième|dernier|dernière|prochain|prochaine|précédents?|précédentes?|"
    r"\d{1,2}\s?(?:st|nd|rd|th|e|er|re|ème))\s+(?:(?:international|internationale|national|"
    r"nationale|annual|annuel)\s+|(?-i:[A-Z][\w-]*)\s+){0,4}|"
    r"(?-i:(?P<place>[A-Z][\w.-]*(?: [A-Z][\w.-]*)?))\s+)?"
    r"(?P<kind>mini-conference|lunch seminar|training session|training|seminars?|conferences?|"
    r"colloquium|colloquia|workshops?|sessions?|webinars?|events?|series|activity|activité|"
    r"séminaires?|colloques?|conférences?|formation|événement|webinaires?|ateliers?|série)\b"
)
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "premier": 1,
    "première": 1,
    "deuxième": 2,
    "troisième": 3,
}


_SUBJECT_LIST = re.compile(
    r"\s*(?:\([^)]*\))?\s*(?:(?:and|et|,)\s+.*)?(?:has |have |had |will |a |ont |)\s*"
)
_SUBJECT_ASIDE = re.compile(
    r"\s*(?:,[^,]{0,80},)?\s*(?:and its partners|et ses partenaires)?\s*"
    r"(?:has |have |had |will |a |ont |)?"
)


def subject_orgs(extraction: Extraction, start: int, verb_at: int) -> list[str]:
    """Organisations named as the subject just before a verb ("ICPC and AFD published")."""
    text = extraction.doc.flat
    found = []
    for (s, e), key in extraction.org_spans:
        if start <= s and e <= verb_at:
            between = text[e:verb_at]
            adjoining = _SUBJECT_LIST.fullmatch(between) or _SUBJECT_ASIDE.fullmatch(between)
            governed = re.search(r"(?i)\b(?:with|avec|by|par|of|de|at|à)\s*$", text[start:s])
            if adjoining and not governed:
                found.append(key)
    return list(dict.fromkeys(found))


def event_references(
    extraction: Extraction, start: int, end: int, lead: str | None = None
) -> Iterator[tuple[list[str], Span]]:
    """Events a phrase refers to: "the first seminar", "the Washington seminar", "the
    previous seminars", "this series", "the training". With ``lead`` (a regex), only
    references right after it ("following the first seminar")."""
    text = extraction.doc.flat
    found: list[tuple[list[str], Span]] = []
    for match in _REFERENCE.finditer(text, start, end):
        if lead and not _after_lead(text, lead, start, match.start()):
            continue
        refs = resolve_reference(extraction, match, match.start())
        if refs:
            found.append((refs, (match.start(), match.end())))
    # An event named in full ("the 12th ICPC Colloquium", "the Montreal Forum 2019").
    folded = fold(text[start:end])
    for entity in extraction.of_kind("event"):
        if entity.cls == "EventSeries" or any(entity.key in refs for refs, _ in found):
            continue
        for name in entity.all_names():
            key = fold(name)
            at = folded.find(key) if len(key) >= 10 else -1
            if at >= 0 and (not lead or _after_lead(text, lead, start, start + at)):
                found.append(([entity.key], (start + at, start + at + len(key))))
                break
    yield from found


def _after_lead(text: str, lead: str, floor: int, at: int) -> bool:
    return bool(
        re.search(rf"(?i)\b(?:{lead})\s+(?:\w+\s+){{0,8}}$", text[max(floor, at - 90) : at])
    )


def resolve_reference(extraction: Extraction, match: re.Match[str], offset: int) -> list[str]:
    kind = match.group("kind").lower()
    ordinal = (match.group("ord") or "").lower()
    place = match.group("place")
    series_kind = kind.startswith(("series", "série"))
    scope = extraction.scope_at(offset, parts=False, series=True)
    events = [e for e in extraction.of_kind("event") if e.cls != "EventSeries"]
    if series_kind:
        series = extraction.scope_at(offset, parts=False, series=True)
        candidates = [s for s in extraction.scopes if s.is_series and s.contains(offset)]
        if candidates:
            return [max(candidates, key=lambda s: s.start).key]
        return [series.key] if series and series.is_series else []
    if place and place.lower() not in ("the", "this", "le", "la"):
        wanted = fold(place)
        found = []
        for event in events:
            for place_key in extraction.objects(event.key, "schema:location"):
                names = [fold(n) for n in extraction.entities[place_key].all_names()]
                containers = extraction.objects(place_key, "schema:containedInPlace")
                if any(n == wanted or n.startswith(wanted + " ") for n in names) or any(
                    fold(n) == wanted
                    for c in containers
                    for n in extraction.entities[c].all_names()
                ):
                    found.append(event.key)
        return found[:1]
    digits = re.match(r"\d+", ordinal)
    number = _ORDINAL_WORDS.get(ordinal) or (int(digits.group()) if digits else None)
    if number:
        series_keys = [s.key for s in extraction.scopes if s.is_series and s.contains(offset)]
        matches = [e for e in events if e.fact("edition") == number]
        in_series = [
            e
            for e in matches
            if any(
                extraction.objects(e.key, "icpc:inSeries") == [s]
                or s in extraction.objects(e.key, "icpc:inSeries")
                for s in series_keys
            )
        ]
        chosen = in_series or matches
        return [chosen[0].key] if chosen else []
    if ordinal.startswith(("previous", "précédent")):
        current = scope.key if scope and not scope.is_series else None
        current_start = extraction.entities[current].first_offset if current else offset
        return [
            e.key
            for e in events
            if e.first_offset < current_start
            and e.key != current
            and not extraction.subjects("icpc:hasEventPart", e.key)
        ]
    if scope is not None and not scope.is_series:
        return [scope.key]
    return []


def _subject(extraction: Extraction, start: int, at: int) -> str | None:
    """What a clause is about, from the words before a relation phrase."""
    text = extraction.doc.flat
    before = text[start:at]
    match = SUBJECT_RE.search(before)
    scope = extraction.scope_at(at)
    if match:
        noun = (match.group("noun") or "").strip()
        # "Cette activité a été": the noun is the first word the event nouns know.
        words = noun.split()
        head = next((w for w in reversed(words) if _EVENT_NOUNS.match(w)), None)
        if match.group("pron") or head:
            if head and re.match(r"(?i)^(?:series|série|cycle)", head):
                series = [s for s in extraction.scopes if s.is_series and s.contains(at)]
                if series:
                    return max(series, key=lambda s: s.start).key
            if scope is not None:
                if scope.parent is not None and head and not _is_part_noun(head):
                    return scope.parent
                return scope.key
        publication = _publication_named(extraction, noun, start, at)
        if publication:
            return publication
    # "a coordination guide, funded by": the nearest publication or event named before.
    nearest = _nearest_entity(extraction, start, at)
    if nearest:
        return nearest
    if scope is not None:
        return scope.key
    series = [s for s in extraction.scopes if s.is_series and s.contains(at)]
    return max(series, key=lambda s: s.start).key if series else None


def _is_part_noun(noun: str) -> bool:
    return bool(
        re.search(
            r"(?i)\b(?:session|séance|panel|workshop|atelier|presentation|présentation|forum)s?$",
            noun,
        )
    )


def _publication_named(extraction: Extraction, noun: str, start: int, at: int) -> str | None:
    if not noun:
        return None
    from icpc_kg.extract.publication_kinds import publication_class

    cls = publication_class(noun)
    if cls is not None and cls != "Publication":
        earlier = [e for e in extraction.of_class(cls) if e.first_offset < at]
        if earlier:
            return earlier[-1].key
    for entity in extraction.of_kind("publication"):
        for name in entity.all_names():
            last = fold_words(noun).split()[-1] if fold_words(noun) else None
            if last and last in fold_words(name).split()[-2:] and entity.first_offset < at:
                return entity.key
    return None


EVENT_RELATIONS = frozenset(
    {"icpc:host", "icpc:coOrganizer", "icpc:organizer", "icpc:coSponsor", "schema:sponsor"}
)


def _nearest_entity(extraction: Extraction, start: int, at: int) -> str | None:
    best: tuple[int, str] | None = None
    for entity in [*extraction.of_kind("publication"), *extraction.of_kind("event")]:
        for s, e in [*entity.spans, *entity.facts.get("_at", [])]:
            if (
                start <= s
                and e <= at + 2
                and (e - s) < (at - start)
                and (best is None or s > best[0])
            ):
                best = (s, entity.key)
    return best[1] if best else None


def org_relations(extraction: Extraction) -> None:
    text = extraction.doc.flat
    for start, end in extraction.doc.sentences:
        triggers: list[tuple[str, int, int]] = []
        for predicate, pattern in ORG_RELATIONS:
            for match in pattern.finditer(text, start, end):
                if any(t[1] <= match.start() < t[2] for t in triggers):
                    continue
                triggers.append((predicate, match.start(), match.end()))
        triggers.sort(key=lambda t: t[1])
        for index, (predicate, t_start, t_end) in enumerate(triggers):
            stop = triggers[index + 1][1] if index + 1 < len(triggers) else end
            objects = []
            cursor = t_end
            for (s, e), key in sorted(extraction.org_spans):
                if s < cursor or s >= stop:
                    continue
                if not _listed(text, cursor, s):
                    break
                objects.append(((s, e), key))
                cursor = e
            if not objects:
                continue
            subject = _subject(extraction, start, t_start)
            if (
                subject is not None
                and predicate in EVENT_RELATIONS
                and subject.startswith("publication:")
            ):
                # "Launch of the Report ..., hosted by Efus": a publication is not hosted.
                events = [
                    e.key
                    for e in extraction.of_kind("event")
                    if any(start <= s < t_start for s, _e in [*e.spans, *e.facts.get("_at", [])])
                ]
                scope = extraction.scope_at(t_start)
                subject = events[-1] if events else (scope.key if scope else None)
            if subject is None:
                continue
            last_end = max(e for (_s, e), _k in objects)
            scope_match = SCOPE_RE.match(text, last_end)
            for _span, key in objects:
                extraction.relate(subject, predicate, key, (start, end))
                if scope_match:
                    extraction.involvements.append(
                        Involvement(
                            subject,
                            predicate,
                            key,
                            extraction.doc.text[
                                scope_match.start("scope") : scope_match.end("scope")
                            ],
                            (t_start, scope_match.end()),
                            extraction.doc.lang,
                        )
                    )


_LIST_GAP = re.compile(
    r"(?i)\s*(?:\([^)]*\))?\s*(?:,|;|\band\b|\bet\b|\bas well as\b|\bainsi que\b|&)?\s*"
    r"(?:(?:the|le|la|les|du|de la|des|de|from|of)\s+|l['’]|d['’])*"
    r"(?:[A-Z][\w.-]*(?:['’]s)?\s+)*"
)


def _listed(text: str, trigger_end: int, org_start: int) -> bool:
    """Whether the organisation is in the list right after the phrase: only articles,
    commas, "and" and possessive places ("America's") may stand between them."""
    between = text[trigger_end:org_start]
    match = _LIST_GAP.fullmatch(between)
    return match is not None


def people_relations(extraction: Extraction) -> None:
    predicate_of = {
        "presenter": "icpc:presenter",
        "moderator": "icpc:moderator",
        "panelist": "icpc:panelist",
    }
    panels_of: dict[str, list[str]] = {}
    for entity in extraction.of_kind("event"):
        for child in extraction.objects(entity.key, "icpc:hasEventPart"):
            name = fold(extraction.entities[child].name)
            if re.search(r"\bpanel|table ronde|round ?table", name):
                panels_of.setdefault(entity.key, []).append(child)
    for (s, e), key, said in extraction.person_spans:
        if said is None:
            continue
        part: str = said
        scope = extraction.scope_at(s)
        if scope is None:
            series = [sc for sc in extraction.scopes if sc.is_series and sc.contains(s)]
            if not series:
                continue
            target = max(series, key=lambda sc: sc.start).key
        else:
            target = scope.key
            # A "Speakers" list outside the programme ("Moderator: X", "Panelists:" and a
            # list): moderators and panelists go to the event's only panel, if it has one.
            block = extraction.doc.block_at(s)
            listed = block is not None and (block.label is not None or block.kind == "item")
            if (
                scope.parent is None
                and listed
                and part in ("moderator", "panelist", "facilitator")
                and len(panels_of.get(target, [])) == 1
            ):
                target = panels_of[target][0]
            # "le panel d'ouverture réunissait ...": a panel named in the sentence.
            panel = _panel_in_sentence(extraction, s)
            if panel:
                target = panel
        if part == "facilitator":
            # A training's facilitator ("formation animée par") teaches it: its presenter.
            # A panel's, workshop's, webinar's or session's facilitator moderates it.
            part = "presenter" if _is_training(extraction.entities[target]) else "moderator"
        extraction.relate(target, predicate_of[part], key, (s, e))


def _is_training(entity: Entity) -> bool:
    return entity.cls == "TrainingSession" or bool(
        TRAINING_WORDS & set(fold_words(entity.name).split())
    )


def _panel_in_sentence(extraction: Extraction, offset: int) -> str | None:
    start, end = extraction.doc.sentence_at(offset)
    for entity in extraction.of_class("Session"):
        if any(start <= s < end for s, _e in entity.spans) and re.search(
            r"(?i)panel|table ronde", entity.name
        ):
            return entity.key
    return None


def series_membership(extraction: Extraction) -> None:
    """ "This seminar is part of the ICPC Lunch Seminars series": the event is in it."""
    text = extraction.doc.flat
    pattern = re.compile(
        r"(?i)\b(?:is|was|are|were) (?:part|one) of (?:the |a |our )?(?P<name>[^.;]{3,80}?)"
        r"\s+(?:series|cycle)\b|"
        r"\bfait partie (?:de la série|du cycle|de la programmation)\s+(?P<fr>[^.;]{3,80})"
    )
    from icpc_kg.extract.event_kinds import series_name
    from icpc_kg.extract.model import Entity
    from icpc_kg.extract.text import slugify

    for start, end in extraction.doc.sentences:
        for match in pattern.finditer(text, start, end):
            raw = match.group("name") or match.group("fr")
            org_names = [n for o in extraction.of_kind("org") for n in o.all_names()]
            name = series_name(raw, org_names)
            subject = _subject(extraction, start, match.start())
            if subject is None:
                continue
            series = None
            for entity in extraction.of_class("EventSeries"):
                if any(
                    fuzz.token_sort_ratio(fold_words(series_name(n, org_names)), fold_words(name))
                    >= 90
                    for n in entity.all_names()
                ):
                    series = entity
            if series is None:
                series = extraction.add(Entity("series:" + slugify(name), "EventSeries"))
                series.add_name(name, extraction.doc.lang)
            series.add_span((start, end))
            for (s, _e), key in extraction.org_spans:
                if match.start("name" if match.group("name") else "fr") <= s < match.end():
                    extraction.relate(series.key, "icpc:organizer", key, (start, end))
            # The series the sentence names replaces any the event was put in by its section.
            extraction.relations = [
                r
                for r in extraction.relations
                if not (
                    r.subject == subject
                    and r.predicate == "icpc:inSeries"
                    and r.object != series.key
                )
            ]
            extraction.relate(subject, "icpc:inSeries", series.key, (start, end))


def based_on(extraction: Extraction) -> None:
    """ "The Tool Kit was developed based on ... the Washington seminar", "The training was
    based on the ICPC handbook"."""
    text = extraction.doc.flat
    for start, end in extraction.doc.sentences:
        match = re.search(
            r"(?i)\b(?:based on|basée?s? sur|fondée? sur|inspirée? de|draws? on|drawing on|"
            r"builds? on|built on|building on|s'appuie sur|fait suite (?:au|à la|à l'|aux)|"
            r"follows up on)\b",
            text[start:end],
        )
        if not match:
            continue
        at = start + match.start()
        subject = _subject(extraction, start, at)
        if subject is None:
            continue
        clause_end = _clause_stop(text, start + match.end(), end)
        for refs, _span in event_references(extraction, start + match.end(), clause_end):
            for ref in refs:
                if ref != subject and not ref.startswith("series:"):
                    extraction.relate(subject, "icpc:basedOn", ref, (start, end))
        for entity in extraction.of_kind("publication"):
            if entity.key == subject:
                continue
            for s, _e in entity.facts.get("_at", []):
                if start + match.end() <= s < clause_end:
                    extraction.relate(subject, "icpc:basedOn", entity.key, (start, end))
                    break


def _clause_stop(text: str, start: int, end: int) -> int:
    match = re.search(
        r"\s(?:and (?:integrates|was|is|has)|et (?:intègre|a été|est))\b|;", text[start:end]
    )
    return start + match.start() if match else end


def add_relations(extraction: Extraction) -> None:
    org_relations(extraction)
    people_relations(extraction)
    series_membership(extraction)
    based_on(extraction)
