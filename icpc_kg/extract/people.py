"""People: names with their honorifics kept apart ("Mr.", "Mme", "Dr"), their roles and the
organisations they hold them at ("Analyst and Project Officer at ICPC", "directrice des
programmes du CIPC", "Director of Communications, ICPC"), and the part they play in an
event: presenter, moderator or panelist.

A person is recognised by an honorific, by a phrase only a person can follow ("Presented by",
"Moderator:", "Panélistes :"), or by a name followed by a role ("Jane Roe, Senior Analyst at
X"). The part is the nearest such phrase before the name in the same sentence, else the label
of the line or of the line that introduces the list, else a verb after the name
("..., presented the approach").
"""

from __future__ import annotations

import re

from icpc_kg.extract.document import Document
from icpc_kg.extract.lexicon import ROLE_MODIFIERS as _ROLE_MODIFIERS
from icpc_kg.extract.lexicon import ROLE_WORDS
from icpc_kg.extract.org_names import OrgMention
from icpc_kg.extract.people_lists import coordinated_people, name_list
from icpc_kg.extract.person_names import (
    HONORIFIC,
    NAME,
    ROLE_HEAD,
    SURNAME,
    OrgIndex,
    PersonMention,
    RoleMention,
    has_role_head,
    plausible_name,
    split_name,
)

# A speech verb or an appointment before or after a name: "said Valérie Sagant", "Chantal
# Bernier a été nommée", "according to Paula Miraglia".
_SAID_BEFORE = re.compile(
    r"(?i:\b(?:said|says|added|explained|noted|stated|according to|declared|a déclaré|"
    r"a souligné|a ajouté|a expliqué|a rappelé|a indiqué|a précisé|selon|explique|souligne|"
    r"rappelle|précise|ajoute|déclare)\s+)"
)


_SAID_AFTER = re.compile(
    r"\s*,?\s*(?i:said|says|added|explained|noted|stated|was (?:appointed|named|elected)|"
    r"has been (?:appointed|named|elected)|a été (?:nommée?|élue?|désignée?)|"
    r"(?:is|was) (?:the|a|an) (?:(?:new|former|current|founding) )?(?=[a-z]*\s*[A-Za-z-]+)|"
    r"manages|managed|leads|led|heads|headed|chairs|chaired|directs|founded|"
    r"est (?:le|la|l['’]|un|une) |dirige|préside|a fondé|"
    r"a (?:déclaré|souligné|ajouté|expliqué|rappelé|indiqué|précisé)|est (?:nommée?|élue?))\b"
)


# Phrases before a name that say what part the person plays.
PART_TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "moderator",
        re.compile(
            r"(?i:\b(?:moderated|chaired) by|\b(?:modérée?s?|présidée?s?) par|"
            r"\bmoderators?\s?:|\bchair\s?:|\bmodérat(?:eur|rice)s?\s?:)"
        ),
    ),
    # "Animé par", "facilitated by": a panel's moderator, a training's trainer; the relations
    # step decides from the event.
    (
        "facilitator",
        re.compile(
            r"(?i:\bfacilitated by|\banimée?s? par|\banimat(?:eur|rice)s?\s?:|"
            r"\bfacilitators?\s?:)"
        ),
    ),
    (
        "panelist",
        re.compile(
            r"(?i:\bpanel+ists?\s?:|\bpanel\s?:|\bpanélistes?\s?:|\bdiscussants?\s?:|"
            r"\bpanel+ists? (?:were|are|included|include|will be)\b|"
            r"\bpanélistes? (?:étaient|sont|seront)\b|"
            r"\bpanel(?: discussion)?\b[^.;:]{0,80}?\b(?:with|featuring|brought together|"
            r"included|réunissait|réunira|réunit|avec)\b)"
        ),
    ),
    (
        "presenter",
        re.compile(
            r"(?i:\b(?:presented|given|delivered) by|\bprésentée?s? par|\bdonnée? par|"
            r"\b(?:presentation|remarks|address|keynote|talk|lecture|welcome|opening) by|"
            r"\b(?:speakers?|presenters?|trainers?)\s?:|\bconférenci(?:er|ère)s?\s?:|"
            r"\bspeakers? (?:were|are|included|include|will be)\b|"
            r"\bintervenante?s?\s?:|\bprésentat(?:eur|rice)s?\s?:|\bformat(?:eur|rice)s?\s?:)"
        ),
    ),
]


# "la nouvelle présidente du conseil d'administration, Frédérique Porterie.": a position,
# then the name closing the clause.
_ROLE_BEFORE = re.compile(
    r"(?i:\b(?:"
    + "|".join(re.escape(w) for w in sorted(ROLE_WORDS, key=len, reverse=True))
    + r")\b[^,.;:()]{0,50},\s*)$"
)


# A line that already opened with a name and a comma ("Jan Novak, Researcher, Urban Lab").
_NAMED_LINE = re.compile(r"(?:^|\n)[^\n,]*\b[A-ZÀ-Ý][\w’'-]+,[^\n]*$")


# ", Cheffe de mission adjointe, ont accueilli": a position in apposition, closed.
_ROLE_CLOSED = re.compile(r",\s+[^,.;()\n]{3,60}?(?:,|\.(?:\s|$)|;|\s[-–]\s|:|$)")


_ENDS_CLAUSE = re.compile(r"\s*(?:[.;)]|,\s|$|\s(?:and|et)\s)")


_PRESENTED_AFTER = re.compile(
    r"\s*,?\s*(?:presented|presents|will present|spoke|discussed|explained|introduced|"
    r"a présenté|présente|présentera|a exposé)\b",
    re.I,
)


_CONNECTOR = re.compile(
    r"(?P<title>.*?)(?:,\s*|\s+(?:at|of|with|for|in|au|aux|à|du|de|des|chez)"
    r"(?:\s+(?:the|la|le|les))?\s*|\s+(?:à|de)\s+l['’]\s*|\s+d['’]\s*|\s*)$",
    re.S,
)


def find_people(doc: Document, orgs: list[OrgMention]) -> list[PersonMention]:
    text = doc.flat
    found: list[PersonMention] = []
    index = OrgIndex(orgs)  # find_organisations gives them in document order
    for block_index, block in enumerate(doc.blocks):
        if block.kind in ("title", "breadcrumb"):
            continue
        label_part = _label_part(doc, block_index)
        for s_start, s_end in doc.sentences_in(block.start, block.end) or [block.span]:
            found.extend(_people_in(doc, text, s_start, s_end, index, label_part))
    found.extend(coordinated_people(doc, found, orgs))
    return _dedupe(found)


def _label_part(doc: Document, index: int) -> str | None:
    """The part named by this line's label ("Moderator: ...") or, for a list item, by the
    line that introduces the list ("Panelists:")."""
    block = doc.blocks[index]
    head = doc.flat[block.line_start : min(block.end, block.line_start + 40)]
    for part, pattern in PART_TRIGGERS:
        match = pattern.match(head) or pattern.match(doc.flat, block.start, block.end)
        if (match and match.start() == block.start) or (
            match and match.start() == block.line_start
        ):
            return part
    for previous in range(index - 1, max(-1, index - 12), -1):
        # "Moderator:" alone on the line above, or above the lines of a list of people.
        other = doc.blocks[previous]
        line = doc.flat[other.start : other.end].strip()
        if line.endswith(":") and len(line) < 40:
            for part, pattern in PART_TRIGGERS:
                if pattern.fullmatch(line) or pattern.fullmatch(line.rstrip(":").strip() + ":"):
                    return part
            break
        if block.kind == "item" and other.kind == "item":
            continue
        if not NAME.match(doc.flat, other.start) or other.kind not in ("heading", "paragraph"):
            break
    if block.kind == "item":
        for previous in range(index - 1, max(-1, index - 12), -1):
            other = doc.blocks[previous]
            if other.kind == "item":
                continue
            line = doc.flat[other.start : other.end].strip()
            if line.endswith(":"):
                for part, pattern in PART_TRIGGERS:
                    if pattern.search(line):
                        return part
            break
    return None


def _people_in(
    doc: Document,
    text: str,
    start: int,
    end: int,
    orgs: OrgIndex,
    label_part: str | None,
) -> list[PersonMention]:
    candidates: list[tuple[int, int, str | None]] = []  # name start, name end, honorific
    candidates.extend((s, e, None) for s, e in name_list(text, start, end))
    for match in HONORIFIC.finditer(text, start, end):
        found = NAME.match(text, match.end() + 1) or SURNAME.match(text, match.end() + 1)
        if found and found.re is SURNAME and found.group().lower() in ROLE_WORDS | _ROLE_MODIFIERS:
            found = None  # "Consul General"
        if found and found.start() == match.end() + 1:
            candidates.append((match.start(), found.end(), match.group()))
    triggers = _triggers(text, start, end)
    for _part, t_end in triggers:
        found = NAME.match(text, t_end)
        if (
            found
            and not any(c[0] <= found.start() < c[1] for c in candidates)
            and not HONORIFIC.match(text, t_end)
        ):
            candidates.append((found.start(), found.end(), None))
    # A list line led by a name: "Jane Roe (UNODC)", "Jane Roe, Senior Analyst at X", or
    # any name alone on the line under "Moderator:".
    block = doc.block_at(start)
    line_start = block is not None and (block.start == start or text[start - 1 : start] == "\n")
    if line_start and not any(c[0] <= start < c[1] for c in candidates):
        found = NAME.match(text, start)
        if found and (
            re.match(r"\s*(?:\(|,\s*\S)", text[found.end() : found.end() + 3])
            or (label_part and not text[found.end() : end].strip(" .;"))
        ):
            candidates.append((found.start(), found.end(), None))
    # "said Valérie Sagant", "Chantal Bernier a été nommée", "la présidente, Frédérique
    # Porterie.": a name a speech verb, an appointment or a position stands by.
    for found in NAME.finditer(text, start, end):
        if any(c[0] <= found.start() < c[1] for c in candidates):
            continue
        before = text[max(start, found.start() - 60) : found.start()]
        if (
            re.search(_SAID_BEFORE.pattern + r"$", before)
            or _SAID_AFTER.match(text, found.end(), end)
            or (
                _ROLE_BEFORE.search(before)
                and _ENDS_CLAUSE.match(text, found.end(), end)
                and before.count("(") <= before.count(")")
                and not re.search(
                    r"(?:^|\n)[^\n,]*\b[A-ZÀ-Ý][\w’'-]+,[^\n]*$", text[start : found.start()]
                )
            )
        ):
            candidates.append((found.start(), found.end(), None))
    # "Name, Role at Org" anywhere else.
    for found in NAME.finditer(text, start, end):
        if any(c[0] <= found.start() < c[1] for c in candidates):
            continue
        after = text[found.end() : end]
        if (
            re.match(r",\s+", after)
            and ROLE_HEAD.match(after.lstrip(", "))
            and (_ends_at_org(after, found.end(), orgs) or _ROLE_CLOSED.match(after))
        ):
            candidates.append((found.start(), found.end(), None))

    people: list[PersonMention] = []
    for c_start, c_end, honorific in sorted(set(candidates)):
        name_start = c_start + (len(honorific) + 1 if honorific else 0)
        # "Host Amira Haddad": a position before the name is no part of it.
        while (lead := re.match(r"([\w-]+) (?=\S+ \S)", text[name_start:c_end])) and (
            lead.group(1).lower() in ROLE_WORDS
        ):
            name_start += lead.end()
        name = doc.text[name_start:c_end]
        if not plausible_name(name, orgs, name_start, c_end):
            continue
        roles, affiliations, extent_end = parse_appositive(doc, c_end, end, orgs)
        part = None
        previous = [p for p, t_end in triggers if t_end <= c_start]
        if previous:
            part = previous[-1]
        elif label_part:
            part = label_part
        elif _PRESENTED_AFTER.match(text, extent_end):
            part = "presenter"
        given, family = split_name(name)
        people.append(
            PersonMention(
                c_start,
                c_end,
                honorific.strip() if honorific else None,
                name,
                given,
                family,
                roles,
                affiliations,
                part,
                (c_start, extent_end),
            )
        )
    return people


def _triggers(text: str, start: int, end: int) -> list[tuple[str, int]]:
    found: list[tuple[str, int, int]] = []
    for part, pattern in PART_TRIGGERS:
        for match in pattern.finditer(text, start, end):
            found.append((part, match.start(), match.end()))
    found.sort(key=lambda t: t[1])
    return [(part, e + len(text[e:end]) - len(text[e:end].lstrip())) for part, _s, e in found]


def _ends_at_org(after: str, offset: int, orgs: OrgIndex) -> bool:
    return bool(orgs.starting_in(offset + 1, offset + min(len(after), 160)))


_NEXT_PERSON = re.compile(r",?\s+(?:and|et)\s+(?=\S)|;\s*|,\s*(?=" + HONORIFIC.pattern + r")")


def parse_appositive(
    doc: Document, pos: int, limit: int, orgs: OrgIndex
) -> tuple[list[RoleMention], list[int], int]:
    """Roles and organisations after a name: ", Role at Org and Role at Org", "(Org)"."""
    text = doc.flat
    roles: list[RoleMention] = []
    affiliations: list[int] = []
    if text.startswith(" (", pos) or text.startswith("(", pos):
        open_at = text.index("(", pos)
        close = text.find(")", open_at)
        if close != -1:
            inside = [
                i for i in orgs.starting_in(open_at + 1, close + 1) if orgs[i].end <= close + 1
            ]
            if inside:
                affiliations.extend(inside)
                pos = close + 1
    if not text.startswith(",", pos):
        return roles, affiliations, pos
    cursor = pos + 1
    stop = _appositive_end(text, cursor, limit)
    inside = sorted(
        (i for i in orgs.starting_in(cursor, stop + 1) if orgs[i].end <= stop + 1),
        key=lambda i: orgs[i].start,
    )
    segment_start = cursor
    last_end = cursor
    for index in inside:
        org = orgs[index]
        if org.start < segment_start:
            continue
        before = text[segment_start : org.start]
        lead = re.match(r"\s*(?:,\s*)?(?:and|et|&)?\s*", before)
        title_start = segment_start + (lead.end() if lead else 0)
        match = _CONNECTOR.match(text, title_start, org.start)
        title = match.group("title").strip() if match else ""
        if title and has_role_head(title):
            t0 = title_start
            roles.append(
                RoleMention(
                    doc.text[t0 : t0 + len(title)], (t0, t0 + len(title)), index, (t0, org.end)
                )
            )
        elif not title and roles and roles[-1].org is None:
            previous = roles[-1]
            roles[-1] = RoleMention(
                previous.title, previous.title_span, index, (previous.span[0], org.end)
            )
        elif not title:
            affiliations.append(index)
        segment_start = org.end
        last_end = org.end
        if org.end < len(text) and text[org.end : org.end + 2] == " (":
            close = text.find(")", org.end)
            if close != -1 and close < stop:
                segment_start = last_end = close + 1
    rest = text[segment_start:stop]
    lead = re.match(r"\s*(?:,\s*)?(?:and|et|&)?\s*", rest)
    tail_start = segment_start + (lead.end() if lead else 0)
    tail = text[tail_start:stop].strip()
    if tail and has_role_head(tail) and len(tail.split()) <= 8:
        roles.append(
            RoleMention(
                doc.text[tail_start : tail_start + len(tail)],
                (tail_start, tail_start + len(tail)),
                None,
                (tail_start, tail_start + len(tail)),
            )
        )
        last_end = tail_start + len(tail)
    return roles, affiliations, max(last_end, pos)


def _appositive_end(text: str, start: int, limit: int) -> int:
    depth = 0
    index = start
    while index < limit:
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
        elif depth == 0:
            if char in ";\n" or (
                char == "."
                and (index + 1 >= limit or text[index + 1] == " ")
                and not _abbreviation_before(text, index)
            ):
                return index
            if char == "," and index > start:
                after = text[index + 1 : limit].lstrip()
                if HONORIFIC.match(after) or re.match(
                    r"(?:and|et)\s+(?:" + HONORIFIC.pattern + r"|[a-zà-ÿ])", after
                ):
                    return index
                first = re.match(r"[\w'’-]+", after)
                if (
                    first
                    and first.group()[0].islower()
                    and not ROLE_HEAD.match(after)
                    and first.group() not in ("and", "et")
                ):
                    return index
            if text.startswith(" presented", index) or text.startswith(" a présenté", index):
                return index
        index += 1
    return limit


def _abbreviation_before(text: str, index: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, index - 6) : index])
    return word is not None and word.group(1).lower() in (
        "a.m",
        "p.m",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "st",
        "m",
        "dr",
    )


def _dedupe(people: list[PersonMention]) -> list[PersonMention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for person in sorted(people, key=lambda p: p.start):
        if (person.start, person.end) in seen:
            continue
        seen.add((person.start, person.end))
        out.append(person)
    return out
