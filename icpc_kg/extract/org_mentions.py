"""Organisation mentions tidied and completed after the finders of :mod:`.organisations`:

- coordinated names split ("Public Safety Canada and the Government of Quebec" is two);
- the rest of a list after a phrase only organisations follow ("en collaboration avec le
  Ministère ..., l'Union internationale des chemins de fer, Safe.brussels, ... ainsi que le
  gouvernement du Canada"): each item that starts with a capital or a head word is one, brand
  and dotted names included;
- the organisation of a person's line ("Matthew Swarney (Director of Government Affairs,
  Motorola Solutions)", "Mayor Rebecca Alty (City of Yellowknife, Northwest Territories)");
- "the City of Yellowknife", "the city of Palermo" (also written in lower case);
- a name after a lower-case word for its kind ("the Parisian association Espoir 18") and a
  dotted brand name ("Safe.brussels", "avec safe.brussels");
- and left out: a name cut at the end of a page that stops mid-word, a title that ends in a
  position ("Board Co-Chair"), a department inside a job title ("Director of Government
  Affairs"), a heading in capitals with no acronym, a name that ends on a connector.
"""

from __future__ import annotations

import re

from icpc_kg.extract.document import Document
from icpc_kg.extract.lexicon import CONNECTORS, HEADS, ROLE_WORDS
from icpc_kg.extract.org_names import FRENCH_HEADS, OrgMention, guess_lang, org_class
from icpc_kg.extract.places import gazetteer

# Words that join two names in a list or a coordination.
_AND = r"(?:,\s*|\s+(?:and|et|&|ainsi que|as well as|along with|together with)\s+)"
_ARTICLE = r"(?:(?:the|le|la|les|l['’]|des|du|de la|de l['’])\s*)?"
_COORDINATION = re.compile(rf"\s+(?:and|et|&)\s+{_ARTICLE}(?=[A-ZÀ-Ý])")
# An item of a list of organisations: capitalised words and connectors, or a dotted name.
_ITEM = re.compile(
    r"(?:[A-ZÀ-Ý][\w’'.&-]*|[a-z]+\.[a-z]{2,}[\w.]*)"
    r"(?:\s+(?:(?:of|for|the|on|de|du|des|la|le|l['’]|d['’]|pour|sur|contre|&|"
    r"(?:and|et)(?!\s+(?:the|la|le|les|l['’])))\s+)*"
    r"(?:[A-ZÀ-Ý][\w’'.&-]*))*"
)
_PERSON_LINE = re.compile(
    r"^(?:[A-Z][\w.]*\s+)?[A-ZÀ-Ý][\w’'-]+(?:\s+[A-ZÀ-Ý][\w’'-]+){1,3}\s*\((?P<inner>[^()\n]+)\)\s*$",
    re.M,
)


def split_coordinated(doc: Document, mentions: list[OrgMention]) -> list[OrgMention]:
    """One mention per organisation of a coordinated name."""
    text = doc.flat
    out: list[OrgMention] = []
    for mention in mentions:
        name = mention.name or ""
        match = _COORDINATION.search(text, mention.start, mention.end)
        if not name or mention.acronym or match is None:
            out.append(mention)
            continue
        left = text[mention.start : match.start()].strip()
        right_start = match.end()
        right_end = mention.end
        if FRENCH_HEADS.match(text, right_start):
            # "Public Safety Canada and the Délégation interministérielle à la Ville"
            from icpc_kg.extract.org_phrases import french_phrase

            right_end = max(right_end, french_phrase(text, right_start, len(text)))
        right = text[right_start:right_end].strip()
        article = re.search(r"(?:the|la|le|les|l['’])\s*$", text[match.start() : match.end()])
        head_first = right.split()[0].lower() in HEADS
        french_right = FRENCH_HEADS.match(text, right_start) is not None
        if (
            not (
                article or head_first or french_right
            )  # "Crime Prevention and Criminal Justice": one name
            or len(left.split()) < (1 if article else 2)
            or len(right.split()) < 2
            or not (_has_head(right) or french_right)
        ):
            out.append(mention)
            continue
        out.append(_mention(doc, mention.start, mention.start + len(left), mention.how))
        out.append(_mention(doc, right_start, right_end, mention.how))
    return [piece for m in out for piece in _split_of_the(doc, m)]


_OF_THE = re.compile(r"\s(?:of|de)\s(?:the|la|l['’])\s*(?=[A-ZÀ-Ý])")


def _split_of_the(doc: Document, mention: OrgMention) -> list[OrgMention]:
    """ "Commission on Crime Prevention and Criminal Justice of the United Nations Office on
    Drugs and Crime": a body of another organisation, both named in full."""
    text = doc.flat
    match = re.search(
        r"\s(?:of|de)\s(?:the|la|l['’])\s*(?=[A-ZÀ-Ý])", text[mention.start : mention.end]
    )
    if mention.acronym or match is None:
        return [mention]
    left = text[mention.start : mention.start + match.start()]
    right = text[mention.start + match.end() : mention.end]
    if (
        len(left.split()) < 3
        or len(right.split()) < 3
        or not (_has_head(left) and _has_head(right))
    ):
        return [mention]
    return [
        _mention(doc, mention.start, mention.start + match.start(), mention.how),
        _mention(doc, mention.start + match.end(), mention.end, mention.how),
    ]


def listed_after(
    doc: Document, mentions: list[OrgMention], trigger: re.Pattern[str]
) -> list[OrgMention]:
    """The other items of a list whose first item follows ``trigger``."""
    text = doc.flat
    added: list[OrgMention] = []
    taken = [(m.start, m.end) for m in mentions]
    for match in trigger.finditer(text):
        cursor = match.end()
        limit = doc.sentence_at(cursor)[1] if cursor < len(text) else cursor
        first = next((m for m in mentions if m.start <= cursor < m.end + 1), None)
        if first is None:
            continue
        cursor = first.end
        while cursor < limit:
            gap = re.match(_AND + _ARTICLE, text[cursor:limit])
            if gap is None:
                break
            start = cursor + gap.end()
            item = _french_item(text, start, limit) or _ITEM.match(text, start, limit)
            if item is None:
                break
            end = item.end()
            while end > start and text[end - 1] in ".,":
                end -= 1
            name = text[start:end]
            if name.split()[-1].lower() in CONNECTORS:
                break
            if not any(start < e and s < end for s, e in taken) and (
                gazetteer().classify(name) is None or _has_head(name)
            ):
                added.append(_mention(doc, start, end, "list"))
                taken.append((start, end))
            cursor = end
            acronym = re.match(r"\s*\([^()\n]{1,20}\)", text[cursor:limit])
            if acronym:
                cursor += acronym.end()  # "l'Office ... (UNODC) et IBM"
    return added


def _french_item(text: str, start: int, limit: int) -> re.Match[str] | None:
    head = FRENCH_HEADS.match(text, start)
    if head is None:
        return None
    from icpc_kg.extract.org_phrases import french_phrase

    end = french_phrase(text, start, limit)
    return re.compile(r".+", re.S).match(text, start, end)


def person_line_orgs(doc: Document, mentions: list[OrgMention]) -> list[OrgMention]:
    """The organisation in the parentheses of a person's line: the first part that is no
    position and no place."""
    text = doc.flat
    added = []
    for line in _PERSON_LINE.finditer(text):
        offset = line.start("inner")
        for part in re.finditer(r"[^,]+", line.group("inner")):
            s = offset + part.start() + len(part.group()) - len(part.group().lstrip())
            e = offset + part.end() - (len(part.group()) - len(part.group().rstrip()))
            name = text[s:e]
            words = name.split()
            if not words or not words[0][:1].isupper():
                continue
            if any(w.lower().strip(",.") in ROLE_WORDS for w in words):
                continue
            if gazetteer().classify(name) is not None:
                continue
            if not any(m.start <= s < m.end or s <= m.start < e for m in mentions):
                added.append(_mention(doc, s, e, "person line"))
            break
    return added


_CITY_OF = re.compile(
    r"\b(?:[Cc]ity|government|[Mm]unicipality|province|state) of\s+"
    r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"
)


def lower_case_cities(doc: Document, mentions: list[OrgMention]) -> list[OrgMention]:
    """ "the city of Palermo", "City of Yellowknife": the city's government."""
    text = doc.flat
    added = []
    for match in _CITY_OF.finditer(text):
        s, e = match.span()
        if any(m.start <= s < m.end or s <= m.start < e for m in mentions):
            continue
        if gazetteer().classify(match.group(1)) is None:
            continue
        added.append(_mention(doc, s, e, "government of a place"))
    return added


_ROLE_OF = re.compile(
    r"(?i)\b(?:" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")\s+of\s+(?:the\s+)?$"
)


# "the Parisian association Espoir 18", "l'association Espoir 18": the name after the noun.
_KIND_THEN_NAME = re.compile(
    r"\b(?:association|foundation|fondation|organi[sz]ation|NGO|ONG|network|réseau|company|"
    r"entreprise|société|collective|collectif|charity|institute|institut)\s+"
    r"(?P<name>[A-ZÀ-Ý][\w’'-]*(?:\s+(?:[A-ZÀ-Ý][\w’'-]*|\d+))*)"
)
_KIND_AFTER = re.compile(
    r"\s+(?:association|foundation|fondation|organi[sz]ation|NGO|ONG|network|réseau|company)\b"
)
# A dotted brand name ("Safe.brussels", "safe.brussels" after "with"): not a web address.
_DOTTED = re.compile(r"(?<![\w./@-])(?P<name>[A-Za-z][a-z]+\.[a-z]{2,12})(?![\w/@-]|\.[a-z])")
_DOTTED_LEAD = re.compile(r"(?i)(?:with|avec|and|et|,|par|by|de|of)\s+(?:the\s+|le\s+|la\s+)?$")


def named_after_kind(doc: Document, mentions: list[OrgMention]) -> list[OrgMention]:
    """Organisations named after a lower-case word for their kind, and dotted brand names."""
    text = doc.flat
    added = []
    for pattern in (_KIND_THEN_NAME, _DOTTED):
        for match in pattern.finditer(text):
            s, e = match.span("name")
            if pattern is _DOTTED and not (
                text[s].isupper() or _DOTTED_LEAD.search(text[max(0, s - 16) : s])
            ):
                continue
            if pattern is _DOTTED and text[s - 4 : s].lower() in ("www.", "ttp:"):
                continue
            if any(m.start <= s < m.end or s <= m.start < e for m in mentions):
                continue
            if gazetteer().classify(text[s:e]) is not None:
                continue
            added.append(
                _mention(doc, s, e, "kind word" if pattern is _KIND_THEN_NAME else "dotted")
            )
    return added


def keep_mention(doc: Document, mention: OrgMention) -> bool:
    """Whether a mention is an organisation, not a fragment of something else."""
    text = doc.flat
    name = (mention.name or "").strip()
    if not name or mention.acronym:
        return True
    words = name.split()
    # A page cut mid-word ("... for the Preventi").
    tail = text.rstrip()
    if mention.end >= len(tail) and not re.search(r"[.!?)»\"”]$", tail):
        return False
    if words[-1].lower() in ROLE_WORDS or words[-1].lower().split("-")[-1] in ROLE_WORDS:
        return False  # "Board Co-Chair"
    if words[-1].lower() in CONNECTORS or words[-1].lower() in ("et", "and", "&"):
        return False  # "Gouvernement et"
    before = text[max(0, mention.start - 40) : mention.start]
    if re.search(
        r"(?i)\b(?:"
        + "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
        + r")\s+of\s+(?:the\s+)?$",
        before,
    ) and not _has_head(name, strong=True):
        return False  # "Director of Government Affairs"
    if len(words) == 1 and _KIND_AFTER.match(text, mention.end):
        return False  # "the Parisian association Espoir 18": the name is after the noun
    letters = [c for c in name if c.isalpha()]
    return not (len(words) >= 2 and letters and all(c.isupper() for c in letters))


def _has_head(name: str, strong: bool = False) -> bool:
    tokens = [w.lower().strip(",.") for w in name.split()]
    heads = HEADS - {"government", "gouvernement"} if strong else HEADS
    return any(t in heads for t in tokens)


def _mention(doc: Document, start: int, end: int, how: str) -> OrgMention:
    name = doc.text[start:end].strip()
    if name.startswith("city of"):
        name = "C" + name[1:]
    return OrgMention(
        start, end, name=name, name_lang=guess_lang(name, doc.lang), cls=org_class(name), how=how
    )
