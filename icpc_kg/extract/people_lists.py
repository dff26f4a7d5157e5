"""People named in lists: after a phrase that introduces them ("Prepared by", "Under the
direction of", "staff:"), in a run of three names or more, and a name joined by "and" to a
person's."""

from __future__ import annotations

import re

from icpc_kg.extract.document import Document
from icpc_kg.extract.model import Span
from icpc_kg.extract.org_names import OrgMention
from icpc_kg.extract.person_names import NAME, OrgIndex, PersonMention, plausible_name, split_name

# A list of people: "Prepared by A, B, C and D", "With the help of the staff: A, B, C".
LIST_LEAD = re.compile(
    r"(?i:\b(?:prepared|written|edited|coordinated|directed|compiled|completed|translated|"
    r"reviewed|authored) by|\bunder the (?:direction|supervision|leadership) of|"
    r"\bwith the (?:help|participation|collaboration|contribution) of|\bauthors?\s*:|"
    r"\bstaff\s*:|\binterns\s*:|\bteam\s*:|\bpréparée? par|\brédigée? par|"
    r"\bsous la (?:direction|supervision) de|\bavec la (?:participation|collaboration) de|"
    r"\bauteure?s?\s*:|\béquipe\s*(?:du \w+)?\s*:|\bstagiaires\s*(?:du \w+)?\s*:)"
    r"[^,:;.]{0,40}?[:\s]\s*(?=[A-ZÀ-Ý])"
)


# "Conseils Locaux de Sécurité, Stratégies Locales de ...": things, not people.
ABSTRACT = re.compile(r"\b(?:de|du|des|of|la)\s+(?:la\s+)?\w+(?:tion|té|ance|ence|isme|ité|ies)\b")


LIST_SEPARATOR = re.compile(r"\.?\s*(?:,|;|\band\b|\bet\b|&)\s*")


# Capitalised words that end a name in a list rather than continue it ("... and Jane Roe
# With the help of ...").
NOT_NAME_WORDS = frozenset(
    ["with", "the", "and", "in", "for", "of", "on", "by", "de", "du", "avec", "et", "le", "la"]
)


def name_list(text: str, start: int, end: int) -> list[Span]:
    """The names of a list of people: after a phrase that introduces people, or a run of
    three or more names separated by commas."""
    found: list[Span] = []
    leads = [m.end() for m in LIST_LEAD.finditer(text, start, end)]
    for lead in leads:
        found.extend(names_from(text, lead, end, minimum=1))
    for match in NAME.finditer(text, start, end):
        if any(s <= match.start() < e for s, e in found):
            continue
        names = names_from(text, match.start(), end, minimum=3)
        if not any(ABSTRACT.search(text[s:e]) for s, e in names):
            found.extend(names)
    return found


def names_from(text: str, cursor: int, end: int, minimum: int) -> list[Span]:
    names: list[Span] = []
    while cursor < end:
        match = NAME.match(text, cursor)
        if match is None:
            break
        stop = match.end()
        while (
            len(text[match.start() : stop].split()) > 2
            and text[match.start() : stop].split()[-1].lower() in NOT_NAME_WORDS
        ):
            stop = match.start() + text[match.start() : stop].rindex(" ")
        last_item = bool(re.search(r"(?:\band|\bet|&)\s*$", text[max(0, cursor - 6) : cursor]))
        after = text[stop:end]
        aside = re.match(r"\s*\([^()\n]{1,60}\)", after)
        if aside:  # "Jan Fox (CMNCP), Matthew Swarney (Motorola Solutions) and ..."
            after = after[aside.end() :]
            stop_after = stop + aside.end()
        else:
            stop_after = stop
        separator = LIST_SEPARATOR.match(after)
        closes = re.match(r"\s*(?:[.;)]|\(|$)", after)
        if not (separator or closes or (last_item and names)):
            break  # a capitalised phrase that runs on ("Public Safety Canada funded")
        names.append((match.start(), stop))
        if separator is None or last_item:
            break
        cursor = stop_after + separator.end()
        lead = re.match(r"(?:de|d['’]|of|by|par)\s+", text[cursor:end])  # "et de Valérie Sagant"
        if lead:
            cursor += lead.end()
    return names if len(names) >= minimum else []


def coordinated_people(
    doc: Document, people: list[PersonMention], orgs: list[OrgMention]
) -> list[PersonMention]:
    """ "Ann Champoux and Jean-Philippe Linteau explored ...": a name joined by "and" to a
    person's name is a person too."""
    text = doc.flat
    known = {(p.start, p.end) for p in people}
    index = OrgIndex(orgs)
    added: list[PersonMention] = []
    for person in people:
        for match in re.finditer(r"\s+(?:and|et|&)\s+", text[person.end : person.end + 6]):
            at = person.end + match.end()
            found = NAME.match(text, at)
            if found is None or any(s <= found.start() < e for s, e in known):
                continue
            if found.group().split()[-1].lower() in NOT_NAME_WORDS:
                continue
            if not plausible_name(found.group(), index, found.start(), found.end()):
                continue
            given, family = split_name(found.group())
            added.append(
                PersonMention(
                    found.start(),
                    found.end(),
                    None,
                    doc.text[found.start() : found.end()],
                    given,
                    family,
                    extent=found.span(),
                )
            )
            break
    return added
