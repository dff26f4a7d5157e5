"""The words that name publications (lexicons/publication-kinds.txt), the verbs that create
them, the titles a page gives them (quoted, italic, title case), and the kind a title says."""

from __future__ import annotations

import re

from icpc_kg.extract.lexicon import kind_table
from icpc_kg.extract.model import Entity, Extraction, Span
from icpc_kg.extract.text import fold_words, is_capitalised, words

# (regular expression, class) per kind of publication, from lexicons/publication-kinds.txt.
PUBLICATION_KINDS: list[tuple[str, str]] = kind_table("publication-kinds")


KIND_RE = re.compile(
    r"(?i)(?<![\w-])(?:"
    + "|".join(f"(?P<k{i}>{p})" for i, (p, _c) in enumerate(PUBLICATION_KINDS))
    + r")\b"
)


KIND_AFTER = re.compile(r"\s+(?:" + "|".join(p for p, _ in PUBLICATION_KINDS) + r")\b", re.I)


CREATION = re.compile(
    r"(?i)\b(?:publish(?:ed|es)?|produced|launched|released|issued|developed|prepared|drafted|"
    r"wrote|written|circulated|produit|produits|publiée?s?|lancée?s?|élaborée?s?|préparée?s?|"
    r"rédigée?s?|diffusée?s?|development of|will be published|seront publiés|paraîtra|"
    r"launch of|lancement d[eu])\b"
)


NAMING = re.compile(r"(?i)\s*,?\s*(?:called|entitled|titled|named|intitulée?s?|nommée?s?)\s+")


SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "and",
        "to",
        "with",
        "at",
        "by",
        "from",
        "or",
        "vs",
        "de",
        "la",
        "du",
        "des",
        "et",
        "le",
        "les",
        "pour",
        "en",
        "sur",
        "à",
        "aux",
        "l",
        "d",
        "un",
        "une",
    ]
)


QUOTED = re.compile(r'"\s*([^"\n]{2,200}?)\s*"')


LANGUAGES = {
    "french": "fr",
    "english": "en",
    "spanish": "es",
    "français": "fr",
    "anglais": "en",
    "espagnol": "es",
    "portuguese": "pt",
    "portugais": "pt",
}


def publication_class(text: str) -> str | None:
    match = KIND_RE.search(text)
    if not match:
        return None
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
    return PUBLICATION_KINDS[index][1]


def title_spans(text: str, start: int, end: int) -> list[Span]:
    """Title-case runs of three words or more ("Inspiring Police Practices: Crime Prevention
    Partnerships"), which may hold a colon and end with a question mark."""
    tokens = words(text, start, end)
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        if not is_capitalised(tokens[i].text):
            i += 1
            continue
        j = i
        last = i
        while j + 1 < len(tokens):
            gap = text[tokens[j].end : tokens[j + 1].start]
            word = tokens[j + 1].text
            if gap not in (" ", ": ", "-", "'", "’", " - ", " – ") or tokens[j].text.endswith("."):
                break
            if is_capitalised(word):
                j += 1
                last = j
            elif word.lower() in SMALL_WORDS and gap == " ":
                j += 1
            else:
                break
        count = last - i + 1
        if count >= 3:
            e = tokens[last].end
            if e < end and text[e] == "?":
                e += 1
            spans.append((tokens[i].start, e))
        i = last + 1
    return spans


def only_kind(title: str) -> bool:
    """A title-case phrase that is just a determiner and a kind ("The Tool Kit")."""
    rest = KIND_RE.sub("", title)
    words = [
        w
        for w in re.findall(r"[\w'-]+", rest)
        if w.lower() not in SMALL_WORDS and w.lower() not in ("this", "new", "ce", "cette")
    ]
    return not words


def closest_part(title: str, parts: list[Entity]) -> Entity | None:
    from rapidfuzz import fuzz

    best, score = None, 0.0
    for part in parts:
        value = fuzz.token_sort_ratio(fold_words(title), fold_words(part.name))
        if value > score:
            best, score = part, value
    return best if score >= 80 else None


def end_of_clause(text: str, start: int, end: int) -> int:
    match = re.search(r"\s(?:and|et|while|alors que)\s+(?=[A-Z\"«])|[;)]", text[start:end])
    return start + match.start() if match else end


RANKS = {
    "Publication": 0,
    "Report": 1,
    "Guide": 1,
    "ToolKit": 1,
    "ThematicPaper": 1,
    "BackgroundPaper": 1,
    "PresentationRecording": 1,
    "SynthesisReport": 2,
}


def rank(cls: str) -> int:
    return RANKS.get(cls, 0)


def prefer(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


RESULT_OF_PROJECT = re.compile(
    r"(?i)\b(?:this|the) (?:project|study|research|étude|projet)\b.*\b(?:led to|resulted in|"
    r"produced|development of|a permis|a mené)\b"
)


def link_results(extraction: Extraction) -> None:
    """A publication developed in a sentence that follows a study ("This project ... led to
    the development of a coordination guide") is a result of that study."""
    studies = extraction.of_class("Study")
    for study in studies:
        sentence_end = study.fact("_sentence_end")
        if sentence_end is None:
            continue
        for entity in extraction.of_kind("publication"):
            first = entity.first_offset
            if first < sentence_end:
                continue
            sentence = extraction.doc.sentence_at(first)
            said = RESULT_OF_PROJECT.search(extraction.doc.flat[sentence[0] : sentence[1]])
            if said and sentence[0] - sentence_end < 400:
                extraction.relate(entity.key, "icpc:resultOf", study.key, sentence)
