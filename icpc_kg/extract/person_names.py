"""What a person's name looks like: honorifics (lexicons/honorifics.txt), name words (family
names in capitals too, never across a line break), positions (lexicons/role-words.txt), and
what is no name (a month, a place, an organisation's head, "The ICPC")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from icpc_kg.extract.lexicon import ROLE_MODIFIERS as _ROLE_MODIFIERS
from icpc_kg.extract.lexicon import ROLE_WORDS, word_set
from icpc_kg.extract.model import Span
from icpc_kg.extract.org_names import OrgMention

HONORIFIC = re.compile(
    "(?:"
    + "|".join(
        re.escape(h) if h.endswith(".") else re.escape(h) + r"\.?"
        for h in sorted(word_set("honorifics"), key=len, reverse=True)
    )
    + r")(?=\s)"
)


TOKEN = (
    r"(?:[A-ZÀ-Ý][a-zà-ÿ]*(?:['’][A-ZÀ-Ý])?[a-zà-ÿ]+(?:[A-ZÀ-Ý][a-zà-ÿ]+)?(?:-[A-ZÀ-Ý][a-zà-ÿ]+)*"
    r"|[A-Z]\.(?:-[A-Z]\.)?)"
)


PARTICLE = r"(?:de|du|des|da|di|dos|van|von|der|den|le|la|del|della|bin|ben|al|el|St\.?|O|D)"


# A family name written in capitals ("Ahmed ABOUTALEB", "Maria GARCIA LOPEZ"), never first.
CAPS = r"(?:[A-ZÀ-Ý]['’]?[A-ZÀ-Ý]+(?:-[A-ZÀ-Ý]+)*(?![\w]))"


# Words of a name are joined by spaces, never by a line break ("Kristopher Wells\nCanadian
# Research Chair" is a name and the next line).
NAME = re.compile(rf"{TOKEN}(?:[ \u00a0](?:{PARTICLE} )*(?:{TOKEN}|{CAPS})){{1,3}}")


# After an honorific, a family name alone is a person ("Chief Morin", "Mr. Brisebois").
SURNAME = re.compile(rf"(?:{TOKEN}|{CAPS})(?![\w'’-])")


ROLE_HEAD = re.compile(
    r"(?i:(?:(?:"
    + "|".join(sorted(_ROLE_MODIFIERS))
    + r")\s+){0,2}(?:"
    + "|".join(re.escape(w) for w in sorted(ROLE_WORDS, key=len, reverse=True))
    + r"))\b"
)


@dataclass
class RoleMention:
    title: str
    title_span: Span
    org: int | None  # index of the organisation mention it is held at
    span: Span


@dataclass
class PersonMention:
    start: int  # the name, honorific included
    end: int
    honorific: str | None
    name: str
    given: str | None
    family: str | None
    roles: list[RoleMention] = field(default_factory=list)
    affiliations: list[int] = field(default_factory=list)  # "(ORG)" after the name
    part: str | None = None  # presenter | moderator | panelist
    extent: Span = (0, 0)  # name and appositive, the passage that states the person


def split_name(name: str) -> tuple[str | None, str | None]:
    tokens = name.split()
    if len(tokens) < 2:
        return None, name
    family_start = len(tokens) - 1
    while family_start > 1 and re.fullmatch(PARTICLE, tokens[family_start - 1]):
        family_start -= 1
    return " ".join(tokens[:family_start]), " ".join(tokens[family_start:])


def has_role_head(text: str) -> bool:
    tokens = re.findall(r"[\w'’-]+", text.lower())[:5]
    return any(t in ROLE_WORDS for t in tokens)


def split_roles(title: str) -> list[str]:
    """ "Analyst and Project Officer" -> two roles; "Director of Research and Development"
    stays one (the second half names no position)."""
    parts = re.split(r"\s+(?:and|et|&)\s+|\s*/\s*", title)
    if len(parts) > 1 and all(has_role_head(p) for p in parts):
        return [p.strip() for p in parts]
    return [title.strip()]


class OrgIndex:
    """The organisation mentions in document order, for range lookups by offset."""

    def __init__(self, mentions: list[OrgMention]) -> None:
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def __getitem__(self, index: int) -> OrgMention:
        return self.mentions[index]

    def starting_in(self, low: int, high: int) -> range:
        """Indices of the mentions that start in [low, high)."""
        return range(bisect_left(self.starts, low), bisect_left(self.starts, high))

    def covers(self, offset: int) -> bool:
        first = bisect_right(self.starts, offset)
        return any(m.start <= offset < m.end for m in self.mentions[max(0, first - 8) : first])


def plausible_name(name: str, orgs: OrgIndex, start: int, end: int) -> bool:
    if orgs.covers(start):
        return False
    tokens = name.split()
    if any(t.lower() in ROLE_WORDS for t in tokens):
        return False
    from icpc_kg.extract.dates import EN_MONTHS, FR_MONTHS, WEEKDAYS
    from icpc_kg.extract.org_names import has_head
    from icpc_kg.extract.places import gazetteer

    lowered = [t.lower().rstrip(".") for t in tokens]
    if any(t in WEEKDAYS or (len(t) > 3 and (t in EN_MONTHS or t in FR_MONTHS)) for t in lowered):
        return False
    if lowered[0] in NOT_GIVEN or all(t.isupper() for t in tokens):
        return False
    if has_head(name, weak=True):
        return False
    info = gazetteer().classify(name)
    return info is None or info.kind == "Venue"


# First words that make a capitalised phrase something other than a name ("The ICPC").
NOT_GIVEN = word_set("determiners")
