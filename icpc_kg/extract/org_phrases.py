"""Where an organisation's name starts and ends: a French name after its head (over "de la",
"pour les", an embassy's "en France", never over English words or "à Paris"), a run of
capitalised words cut into names ("... Institute and Coordinator at ..."), a possessive
place ("Washington DC's"), a leading article."""

from __future__ import annotations

import re

from icpc_kg.extract.document import Document
from icpc_kg.extract.lexicon import FRENCH_NAME_CONNECTORS as _FRENCH_NAME_CONNECTORS
from icpc_kg.extract.lexicon import FRENCH_STOP as _FRENCH_STOP
from icpc_kg.extract.lexicon import HEADS
from icpc_kg.extract.model import Span
from icpc_kg.extract.org_names import has_head
from icpc_kg.extract.places import PlaceInfo, gazetteer
from icpc_kg.extract.sentences import detect_language
from icpc_kg.extract.text import words


def strip_leading(text: str, start: int, end: int) -> int:
    match = re.match(
        r"(?:[Tt]he|[Ll]e|[Ll]a|[Ll]es|[Ll]['’]|[Dd]u|[Dd]es|[Dd]e la|[Dd]e l['’])\s?",
        text[start:end],
    )
    if match and end - start - match.end() > 2 and text[start + match.end()].isupper():
        return start + match.end()
    if match and text[start:end].lower().startswith(("l'", "l’")):
        return start + 2
    return start


def possessive(text: str, start: int, end: int) -> tuple[int, PlaceInfo | None, Span | None]:
    """``start`` moved past a possessive place ("America's", "Washington DC's")."""
    match = re.match(r"((?:[A-Z][\w.-]*)(?: (?:of |de )?[A-Z][\w.-]*){0,3})['’]s ", text[start:end])
    if not match:
        return start, None, None
    place_text = match.group(1)
    info = gazetteer().classify(place_text, after="'s")
    if info is None:
        return start, None, None
    return start + match.end(), info, (start, start + len(place_text))


def possessive_before(text: str, start: int) -> tuple[PlaceInfo | None, Span | None]:
    """A possessive place just before a name: "the Province of Quebec's ministère"."""
    match = re.search(
        r"((?:[A-Z][\w.-]*)(?: (?:of |de )?[A-Z][\w.-]*){0,3})['’]s\s+$",
        text[max(0, start - 60) : start],
    )
    if not match:
        return None, None
    offset = max(0, start - 60) + match.start(1)
    info = gazetteer().classify(match.group(1), after="'s")
    if info is None:
        return None, None
    return info, (offset, offset + len(match.group(1)))


# Heads whose names go on with the country they are in ("l'ambassade du Canada en France").
_POSTED_ABROAD = frozenset(["ambassade", "consulat", "délégation", "mission", "bureau"])


def french_phrase(text: str, start: int, limit: int) -> int:
    """The end of a French organisation name starting at a head word at ``start``."""
    tokens = words(text, start, min(limit, start + 240))  # a name is a dozen words at most
    end = tokens[0].end if tokens else start
    for index in range(1, len(tokens)):
        gap = text[tokens[index - 1].end : tokens[index].start]
        if gap.strip() not in ("", "'", "’", "-"):
            break
        if tokens[index - 1].text.endswith("."):
            break
        word = tokens[index].text
        lower = word.lower().rstrip(".")
        after_preposition = lower in ("la", "le", "les") and tokens[index - 1].text.lower() in (
            "pour",
            "contre",
        )  # "Programme ... pour les établissements humains"
        posted = lower == "en" and tokens[0].text.lower() in _POSTED_ABROAD
        # "Délégation interministérielle à la Ville", "Université du Québec à Montréal"
        posted = posted or (
            lower == "à"
            and index + 1 < len(tokens)
            and (
                (
                    tokens[index + 1].text[0].isupper()
                    and not gazetteer().classify(tokens[index + 1].text.rstrip(".,;:"))
                )
                or (
                    tokens[index + 1].text.lower() in ("la", "l")
                    and index + 2 < len(tokens)
                    and tokens[index + 2].text[0].isupper()
                )
            )
        )
        if (
            lower in _FRENCH_STOP
            and lower not in _FRENCH_NAME_CONNECTORS
            and not after_preposition
            and not posted
        ):
            break
        if lower in ("of", "the", "and", "for", "with", "by", "from"):
            break  # English words after a French name ("... à la Ville of the government")
        if lower == "et":
            nxt = tokens[index + 1].text if index + 1 < len(tokens) else ""
            if not nxt or (
                nxt[0].islower() and nxt.lower() not in ("de", "des", "du", "la", "le", "l")
            ):
                break
        if (
            lower in ("en", "pour")
            and index + 1 < len(tokens)
            and tokens[index + 1].text[0].isupper()
            and not (lower == "en" and tokens[0].text.lower() in _POSTED_ABROAD)
        ):
            break
        if index >= 10:
            break
        if lower not in _FRENCH_NAME_CONNECTORS:
            end = tokens[index].end
            if word.endswith(".") and len(word) > 2 and "." not in word[:-1]:
                end -= 1
                break
    return end


_SPLIT_ALWAYS = re.compile(r"\s(?:at|with|à|au|aux|chez|by|from)\s", re.I)


def name_pieces(text: str, start: int, end: int) -> list[Span]:
    """Split a capitalised run that joins several things ("Research Institute and
    Coordinator at the RÉSAL") into candidate names."""
    pieces = [(start, end)]
    out: list[Span] = []
    for s, e in pieces:
        cursor = s
        for match in _SPLIT_ALWAYS.finditer(text, s, e):
            out.append((cursor, match.start()))
            cursor = match.end()
        out.append((cursor, e))
    final: list[Span] = []
    from icpc_kg.extract.person_names import ROLE_HEAD, has_role_head

    # "Coordinator of the Quebec Crime Prevention Network": the title is not the name.
    trimmed: list[Span] = []
    for s, e in out:
        role = re.match(
            r"(.+?)\s+(?:of|at|for|de|du|des)\s+(?:the\s+|la\s+|l')?(?=[A-ZÀ-Ý])", text[s:e]
        )
        if role and has_role_head(role.group(1)) and not has_head(role.group(1)):
            s += role.end()
        trimmed.append((s, e))
    out = trimmed

    for s, e in out:
        cursor = s
        for match in re.finditer(r"\s(?:and|et)\s", text[s:e]):
            after = text[s + match.end() : e]
            before = text[cursor : s + match.start()]
            # "X and the Y", "X and Ministry of Y" join two names; "Commission on Crime
            # Prevention and Criminal Justice" is one.
            new_name = re.match(r"(?:the|le|la|les|l['’])\s", after) or (
                after.split()[0].lower() in HEADS if after.split() else False
            )
            if ROLE_HEAD.match(after) or (
                has_head(before) and has_head(after) and starts_new_name(after) and new_name
            ):
                final.append((cursor, s + match.start()))
                cursor = s + match.end()
        final.append((cursor, e))
    return [(s, e) for s, e in final if e > s]


def starts_new_name(text: str) -> bool:
    words = text.split()
    while words and words[0].lower() in ("the", "le", "la", "les", "l'"):
        words = words[1:]
    first = words[0] if words else ""
    return bool(first) and first[0].isupper() and first.lower() not in ("of", "for")


def french_sentence(doc: Document, offset: int) -> bool:
    start, end = doc.sentence_at(offset)
    return (detect_language(doc.flat[start:end]) if end > start else doc.lang) == "fr"


def sentence_start(doc: Document, offset: int) -> int:
    return doc.sentence_at(offset)[0] if offset < len(doc.text) else offset
