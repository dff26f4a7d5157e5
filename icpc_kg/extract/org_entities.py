"""Organisation entities from mentions: mentions of one organisation grouped (a name and its
acronym, a name in each language, a short form), their class, names and place."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from icpc_kg.extract.model import Entity, Extraction, Span
from icpc_kg.extract.org_names import CLASS_ORDER, SITE_OWNERS, OrgMention, more_specific
from icpc_kg.extract.places import PlaceInfo, gazetteer
from icpc_kg.extract.text import fold, fold_words, slugify

_OF_PLACE = re.compile(
    r"(?:\bof(?: the)?|\bdu|\bde la|\bde l'|\bde|\bdes)\s+"
    r"((?:Ville de |City of )?[A-ZÀ-Ý][\w'’.-]*(?: [A-ZÀ-Ý][\w'’.-]*){0,2})$"
)


_LEADING_PLACE = re.compile(r"^([A-ZÀ-Ý][\w.-]*(?: [A-ZÀ-Ý][\w.-]*)?) (?=\w)")


def locate_mention(
    mention: OrgMention,
    text: str,
    s: int,
    e: int,
    place: PlaceInfo | None,
    place_span: Span | None,
) -> None:
    """The mention's place: from its own name (a government body's territory), else the place
    written beside it — a government body's or police service's jurisdiction, any other
    organisation's seat."""
    _place_from_name(mention, text, s, e)
    if place is not None:
        mention.place, mention.place_span = place, place_span
        mention.place_role = (
            "jurisdiction" if mention.cls in ("GovernmentBody", "PoliceService") else "basedIn"
        )


def _place_from_name(mention: OrgMention, text: str, s: int, e: int) -> None:
    """A government body's territory from its name: "of Canada", "du Québec", "City of X",
    "de la Ville de Montréal", or a leading city ("Toronto Police Service")."""
    if mention.cls not in ("GovernmentBody", "PoliceService") or mention.place is not None:
        return
    name = text[s:e]
    gaz = gazetteer()
    match = _OF_PLACE.search(name)
    if match:
        place_text = re.sub(r"^(?:Ville de |City of )", "", match.group(1))
        info = gaz.classify(place_text, before="", after="")
        if info is not None and info.kind in ("Country", "City", "AdministrativeRegion"):
            offset = s + match.end(1) - len(place_text)
            mention.place, mention.place_span, mention.place_role = (
                info,
                (offset, offset + len(place_text)),
                "jurisdiction",
            )
            return
    words_ = name.split()
    for count in (2, 1):
        if len(words_) <= count:
            continue
        lead = " ".join(words_[:count])
        info = gaz.classify(lead)
        if info is not None and info.kind in ("City", "AdministrativeRegion", "Country"):
            mention.place, mention.place_span, mention.place_role = (
                info,
                (s, s + len(lead)),
                "jurisdiction",
            )
            return


def _site_owner_index(name_or_acronym: str) -> int | None:
    key = fold(name_or_acronym)
    for index, owner in enumerate(SITE_OWNERS):
        if name_or_acronym in owner.acronyms or key in owner.names:
            return index
    return None


def group_mentions(mentions: list[OrgMention]) -> list[list[int]]:
    """Mentions of one organisation, together: the same acronym, the same name (or one
    within 92% on long names), or two names of the site's owner. Linear in the mentions
    (union-find on shared keys), quadratic only in the distinct names."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_with: dict[str, int] = {}
    names: dict[str, int] = {}  # folded name -> a mention with it
    for index, mention in enumerate(mentions):
        all_names = [n for n in (mention.name, *[o[0] for o in mention.other_names]) if n]
        keys = {f"name:{fold_words(n)}" for n in all_names}
        if mention.acronym:
            keys.add(f"acronym:{mention.acronym}")
        for value in (mention.acronym, *all_names):
            owner = _site_owner_index(value) if value else None
            if owner is not None:
                keys.add(f"owner:{owner}")
        for key in keys:
            if key in first_with:
                union(index, first_with[key])
            else:
                first_with[key] = index
        for name in all_names:
            names.setdefault(fold_words(name), index)
    distinct = sorted(names)
    for a_index, a in enumerate(distinct):
        for b in distinct[a_index + 1 :]:
            if min(len(a), len(b)) >= 12 and fuzz.token_sort_ratio(a, b) >= 92:
                union(names[a], names[b])
    grouped: dict[int, list[int]] = {}
    for index in range(len(mentions)):
        grouped.setdefault(find(index), []).append(index)
    return [grouped[root] for root in sorted(grouped)]


def add_organisations(extraction: Extraction, mentions: list[OrgMention]) -> dict[int, str]:
    """Group mentions of the same organisation into entities; returns mention index -> key."""
    from icpc_kg.extract.places import add_place

    groups = group_mentions(mentions)

    keys: dict[int, str] = {}
    for members in groups:
        if not members:
            continue
        ordered = sorted(members, key=lambda i: (mentions[i].how == "acronym", mentions[i].start))
        acronym = next((mentions[i].acronym for i in ordered if mentions[i].acronym), None)
        owner = next(
            (
                _site_owner_index(x)
                for i in ordered
                for x in (mentions[i].acronym, mentions[i].name)
                if x and _site_owner_index(x) is not None
            ),
            None,
        )
        if owner is not None:
            key = "org:" + slugify(SITE_OWNERS[owner].main_acronym)
        else:
            named = next((mentions[i].name for i in ordered if mentions[i].name), None)
            key = "org:" + slugify(acronym or named or "organisation")
        entity = extraction.add(Entity(key, "Organization"))
        for i in ordered:
            mention = mentions[i]
            keys[i] = key
            if mention.name:
                entity.add_name(mention.name, mention.name_lang)
            for alias, alias_lang in mention.other_names:
                entity.add_name(alias, alias_lang)
            if mention.written:
                entity.add_alternate(mention.written, mention.name_lang)
            if mention.acronym:
                lang = mention.acronym_lang
                if owner is not None:
                    lang = SITE_OWNERS[owner].acronyms.get(mention.acronym, lang)
                entity.add_acronym(mention.acronym, lang)
            entity.cls = (
                more_specific(entity.cls, mention.cls) if entity.cls in CLASS_ORDER else mention.cls
            )
            if mention.how != "acronym" or not entity.spans:
                entity.add_span(mention.span)
            if mention.place is not None and mention.place_span is not None:
                place_key = add_place(extraction, mention.place, mention.place_span)
                predicate = (
                    "icpc:jurisdiction" if mention.place_role == "jurisdiction" else "icpc:basedIn"
                )
                extraction.relate(key, predicate, place_key, mention.span)
        # Names in a language get the preferred (first, longest) form; acronyms stay apart.
        entity.names.sort(key=lambda label: label.lang != extraction.doc.lang)
    return keys
