"""What an organisation's name says: its head word, its kind (lexicons/org-classes.txt), its
language, whether an acronym fits it, and the site owners whose names and acronyms the
pages use (ICPC / CIPC)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from icpc_kg.extract.lexicon import HEADS, WEAK_HEADS, kind_table, word_set
from icpc_kg.extract.model import Span
from icpc_kg.extract.places import PlaceInfo
from icpc_kg.extract.text import is_capitalised, strip_accents

FRENCH_HEADS = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(w) if w[0].isupper() else f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}"
        for w in sorted(word_set("french-heads"), key=len, reverse=True)
    )
    + r")\b"
)


_UNMISTAKABLY_FRENCH = re.compile(
    r"(?i:ministère|secrétariat|réseau|sûreté|gouvernement|université|fondation)$"
)


# The kind of organisation a name says (lexicons/org-classes.txt), most specific first.
CLASS_RULES: list[tuple[str, re.Pattern[str]]] = [
    (cls, re.compile(rf"\b(?:{pattern})\b", re.I)) for pattern, cls in kind_table("org-classes")
]


CLASS_ORDER = [name for name, _ in CLASS_RULES] + ["Organization"]


# The site the pages come from: its acronyms and names in both languages, so that "CIPC" in a
# breadcrumb and "ICPC" in the text are one organisation even before anything is linked.
@dataclass(frozen=True)
class SiteOwner:
    acronyms: dict[str, str]  # acronym -> language
    names: dict[str, str]  # folded name -> language

    @property
    def main_acronym(self) -> str:
        return next(a for a, lang in self.acronyms.items() if lang == "en")


SITE_OWNERS = (
    SiteOwner(
        acronyms={"ICPC": "en", "CIPC": "fr"},
        names={
            "international centre for the prevention of crime": "en",
            "centre international pour la prevention de la criminalite": "fr",
        },
    ),
)


@dataclass
class OrgMention:
    start: int
    end: int
    name: str | None = None
    name_lang: str | None = None
    acronym: str | None = None
    acronym_lang: str | None = None
    other_names: list[tuple[str, str | None]] = field(default_factory=list)
    written: str | None = None  # the name as written with a possessive ("X's Office")
    place: PlaceInfo | None = None
    place_span: Span | None = None
    place_role: str | None = None  # jurisdiction | basedIn
    cls: str = "Organization"
    how: str = "head"  # definition | head | acronym | trigger | site

    @property
    def span(self) -> Span:
        return self.start, self.end


def org_class(name: str) -> str:
    for cls, pattern in CLASS_RULES:
        if pattern.search(name):
            return cls
    return "Organization"


def more_specific(a: str, b: str) -> str:
    return a if CLASS_ORDER.index(a) <= CLASS_ORDER.index(b) else b


def has_head(name: str, weak: bool = False) -> bool:
    tokens = [t.lower().rstrip(".") for t in re.findall(r"[\w'’-]+", name)]
    heads = HEADS | WEAK_HEADS if weak else HEADS
    return any(t in heads for t in tokens) or bool(re.search(r"\bsolicitor general\b", name, re.I))


def guess_lang(name: str, default: str) -> str:
    tokens = re.findall(r"[\w']+", name.lower())
    french = sum(
        t in ("de", "du", "des", "la", "le", "les", "pour", "et", "l'", "d'")
        or t.startswith(("l'", "d'"))
        for t in tokens
    )
    english = sum(t in ("of", "for", "the", "and", "on", "to") for t in tokens)
    if any(
        t in ("ministère", "réseau", "université", "sûreté", "institut", "fondation")
        for t in tokens
    ):
        french += 2
    if any(c in name for c in "éèêàçôû"):
        french += 1
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return default


# Small words an acronym skips ("International Centre for the Prevention of Crime": ICPC).
ACRONYM_SKIPS = word_set("acronym-skips")


def acronym_fits(acronym: str, name: str) -> bool:
    """Whether the acronym's letters are the initials of the name's significant words."""
    letters = [c for c in strip_accents(acronym).upper() if c.isalpha()]
    initials = [
        strip_accents(w)[0].upper()
        for w in re.findall(r"[\w]+", name)
        if w.lower() not in ACRONYM_SKIPS
    ]
    if not letters or not initials:
        return False
    # Letters must appear in order among the initials (some initials may be skipped).
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def trim_to_acronym(name: str, acronym: str) -> int:
    """How many characters to drop from the front of ``name`` so that it starts with the word
    the acronym's first letter stands for ("Motorola Foundation and the Canadian Association
    of Chiefs of Police (CACP)" -> "Canadian Association...")."""
    first = strip_accents(acronym)[:1].upper()
    words = list(re.finditer(r"[\w'’-]+", name))
    for index, word in enumerate(words):
        if word.group().lower() in ACRONYM_SKIPS - {"to", "in", "l", "d"}:
            continue
        if strip_accents(word.group())[0].upper() == first:
            rest = name[word.start() :]
            # Only cut off what is another name in a list ("X Foundation and the ...").
            joined = re.search(r"(?:,|\band\b|\bet\b)", name[: word.start()])
            if index and joined and acronym_fits(acronym, rest) and len(rest.split()) >= 2:
                return word.start()
            return 0
        if index == 0:
            continue
    return 0


def flat_name(name: str) -> str:
    from icpc_kg.extract.text import flat

    return flat(name)


def _org_like(text: str) -> bool:
    tokens = text.split()
    capitals = sum(1 for t in tokens if is_capitalised(t))
    return (
        len(tokens) >= 2 and (capitals >= 2 or has_head(text, weak=True)) and not text.endswith(".")
    )


def _looks_like_title(name: str) -> bool:
    """Titles and event names that happen to hold an organisation word: "The Role of the
    Police...", "14th United Nations Congress on Crime Prevention" (a congress, not a body)."""
    if ":" in name or re.match(r"(?i)(?:first|second|third|\d+(?:st|nd|rd|th|e|er))\b", name):
        return True
    from icpc_kg.extract.event_kinds import find_kinds

    kinds = [k for k in find_kinds(name) if k.cls != "Event"]
    if kinds:
        after = name[kinds[-1].end :]
        return not has_head(after)
    return False


def is_person_like(name: str) -> bool:
    from icpc_kg.extract.person_names import HONORIFIC

    return bool(HONORIFIC.match(name))
