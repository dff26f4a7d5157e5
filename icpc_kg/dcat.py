"""The DCAT-AP 3.0 catalogue of what a server offers: the catalogue itself, the dataset, one
distribution per dump, and the SPARQL endpoint as a data service.

DCAT-AP 3.0 (SEMICeu) asks, of each class, for these properties, which this module gives:

- ``dcat:Catalog``: mandatory ``dct:title``, ``dct:description``, ``dct:publisher`` (one
  ``foaf:Agent``); recommended ``dct:language``, ``dct:license``, ``dct:spatial``,
  ``dct:modified``, ``dcat:themeTaxonomy``, ``foaf:homepage``, ``dcat:dataset``,
  ``dcat:service``.
- ``dcat:Dataset``: mandatory ``dct:title``, ``dct:description``; recommended
  ``dcat:contactPoint``, ``dcat:distribution``, ``dcat:keyword``, ``dct:publisher``,
  ``dct:spatial``, ``dct:temporal``, ``dcat:theme``.
- ``dcat:Distribution``: mandatory ``dcat:accessURL``; recommended ``dct:description``,
  ``dcatap:availability``, ``dct:format``, ``dct:license``.
- ``dcat:DataService``: mandatory ``dct:title``, ``dcat:endpointURL``; recommended
  ``dcat:endpointDescription``, ``dcat:servesDataset``, ``dcat:contactPoint``,
  ``dct:publisher``, ``dcat:theme``, ``dct:conformsTo``, ``dcat:keyword``.
- ``foaf:Agent``: mandatory ``foaf:name``; recommended ``dct:type``.
- ``spdx:Checksum``: ``spdx:algorithm`` and ``spdx:checksumValue`` (``xsd:hexBinary``).

and every object has the class DCAT-AP gives as the property's range, stated in the document
itself (a harvester validating without the vocabularies and without inference still finds
``foaf:Document``, ``dct:Standard``, ``dct:MediaType``, ``dct:LicenseDocument``,
``spdx:ChecksumAlgorithm``, ``rdfs:Resource`` for URLs...). Controlled vocabularies are the
ones DCAT-AP recommends (EU data themes, languages, file types, frequencies, planned
availability; ADMS publisher and licence types; IANA media types; GeoNames for places), each
concept with its scheme and a label. The words and those choices are data,
``icpc_kg/tables/catalogue.json``; the facts come from the graph (:class:`CatalogueFacts`).

No blank nodes: the contact point, the period and the checksums have IRIs under the
catalogue's, so the document is the same graph every time it is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from icpc_kg.triples import TripleWriter

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

TABLE = Path(__file__).resolve().parent / "tables" / "catalogue.json"

Labels = dict[str, str]  # language -> text


@dataclass(frozen=True)
class Download:
    """One dump file: its name in the dumps folder, size, SHA-256 (hex) and media type."""

    name: str
    size: int
    sha256: str | None
    media_type: str


@dataclass(frozen=True)
class CatalogueFacts:
    """What the catalogue says that the graph and the dumps folder know.

    ``publisher_names`` and ``keywords`` are (text, language) pairs; ``first_year`` and
    ``last_year`` bound the events' dates (``xsd:gYear`` lexical forms); ``places`` are the
    GeoNames IRIs of the countries the events took place in; ``modified`` is when the served
    build was written (``xsd:dateTime``).
    """

    base: str
    downloads: Sequence[Download] = ()
    publisher: str | None = None
    publisher_names: Sequence[tuple[str, str]] = ()
    keywords: Sequence[tuple[str, str]] = ()
    first_year: str | None = None
    last_year: str | None = None
    places: Sequence[str] = ()
    modified: str | None = None
    version: str | None = None
    ontology: str | None = None


@lru_cache(maxsize=1)
def catalogue_table() -> dict[str, Any]:
    table: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return table


class _Writer(TripleWriter):
    def concept(self, iri: str, labels: Labels, scheme: str, *classes: str) -> None:
        """A concept of a controlled vocabulary, with its label and scheme."""
        self.a(iri, SKOS + "Concept", *classes)
        self.texts(iri, SKOS + "prefLabel", labels)
        self.add(iri, SKOS + "inScheme", scheme)
        self.scheme(scheme)

    def scheme(self, iri: str) -> None:
        """A controlled vocabulary, with its title."""
        self.a(iri, SKOS + "ConceptScheme")
        self.texts(iri, DCT + "title", catalogue_table()["scheme_titles"][iri])


def catalogue_triples(facts: CatalogueFacts) -> list[ox.Triple]:
    """The catalogue of ``facts`` as DCAT-AP 3.0 triples (see the module docstring)."""
    table = catalogue_table()
    base = facts.base
    catalog, dataset, service = base + "catalog", base + "dataset", base + "sparql"
    out = _Writer()

    out.a(catalog, DCAT + "Catalog")
    out.texts(catalog, DCT + "title", table["catalogue"]["title"])
    out.texts(catalog, DCT + "description", table["catalogue"]["description"])
    out.add(catalog, DCAT + "dataset", dataset)
    out.add(catalog, DCAT + "service", service)
    out.add(catalog, FOAF + "homepage", base)
    out.a(base, FOAF + "Document")
    out.add(catalog, DCAT + "themeTaxonomy", table["theme"]["scheme"])
    out.scheme(table["theme"]["scheme"])

    out.a(dataset, DCAT + "Dataset")
    out.texts(dataset, DCT + "title", table["dataset"]["title"])
    out.texts(dataset, DCT + "description", table["dataset"]["description"])
    out.add(dataset, DCAT + "landingPage", base)
    out.add(dataset, DCT + "identifier", ox.Literal(dataset))
    out.add(dataset, DCT + "accrualPeriodicity", table["frequency"]["iri"])
    frequency = table["frequency"]
    out.concept(frequency["iri"], frequency["label"], frequency["scheme"], DCT + "Frequency")
    for resource in (dataset, service):
        for keyword, language in facts.keywords:
            out.add(resource, DCAT + "keyword", ox.Literal(keyword, language=language))
    if facts.version:
        out.add(dataset, DCAT + "version", ox.Literal(facts.version))
    for standard in (facts.ontology, base + "shapes"):
        if standard:
            out.add(dataset, DCT + "conformsTo", standard)
            out.a(standard, DCT + "Standard")
    _period(out, dataset, facts)

    out.a(service, DCAT + "DataService")
    out.texts(service, DCT + "title", table["service"]["title"])
    out.texts(service, DCT + "description", table["service"]["description"])
    out.add(service, DCAT + "endpointURL", service)
    out.add(service, DCAT + "endpointDescription", service)  # its Service Description
    out.a(service, RDFS + "Resource")
    out.add(service, DCAT + "servesDataset", dataset)
    sparql = table["standards"]["sparql"]
    out.add(service, DCT + "conformsTo", sparql["iri"])
    out.a(sparql["iri"], DCT + "Standard")
    out.texts(sparql["iri"], RDFS + "label", sparql["label"])

    licence = table["licence"]
    for resource in (catalog, dataset, service):
        if facts.publisher is not None:
            out.add(resource, DCT + "publisher", facts.publisher)
        out.add(resource, DCT + "license", licence["iri"])
    _publisher(out, facts)
    out.a(licence["iri"], DCT + "LicenseDocument")
    out.texts(licence["iri"], RDFS + "label", licence["label"])
    out.add(licence["iri"], DCT + "type", licence["type"])
    out.concept(licence["type"], licence["type_label"], licence["type_scheme"])
    for resource in (dataset, service):
        out.add(resource, DCAT + "theme", table["theme"]["iri"])
        out.add(resource, DCAT + "contactPoint", catalog + "#contact")
    theme = table["theme"]
    out.concept(theme["iri"], theme["label"], theme["scheme"])
    _contact(out, catalog + "#contact", facts)
    for resource in (catalog, dataset):
        _coverage(out, resource, facts)
        if facts.modified:
            out.typed(resource, DCT + "modified", facts.modified, "dateTime")
    for download in facts.downloads:
        _distribution(out, dataset, download, base)
    return out.unique()  # each concept and class statement once


def _publisher(out: _Writer, facts: CatalogueFacts) -> None:
    if facts.publisher is None:
        return
    out.a(facts.publisher, FOAF + "Agent")
    for text, language in facts.publisher_names:
        out.add(facts.publisher, FOAF + "name", ox.Literal(text, language=language or None))
    kind = catalogue_table()["publisher_type"]
    out.add(facts.publisher, DCT + "type", kind["iri"])
    out.concept(kind["iri"], kind["label"], kind["scheme"])


def _contact(out: _Writer, contact: str, facts: CatalogueFacts) -> None:
    out.a(contact, VCARD + "Kind", VCARD + "Organization")
    for text, language in facts.publisher_names:
        out.add(contact, VCARD + "fn", ox.Literal(text, language=language or None))
    out.add(contact, VCARD + "hasURL", catalogue_table()["contact_url"])


def _coverage(out: _Writer, resource: str, facts: CatalogueFacts) -> None:
    """Languages and the places the events took place in (GeoNames IRIs)."""
    table = catalogue_table()
    for iri, labels in sorted(table["languages"].items()):
        out.add(resource, DCT + "language", iri)
        out.concept(iri, labels, table["language_scheme"], DCT + "LinguisticSystem")
    for place in facts.places:
        out.add(resource, DCT + "spatial", place)
        out.a(place, DCT + "Location")


def _period(out: _Writer, dataset: str, facts: CatalogueFacts) -> None:
    if facts.first_year is None or facts.last_year is None:
        return
    period = dataset + "#period"
    out.add(dataset, DCT + "temporal", period)
    out.a(period, DCT + "PeriodOfTime")
    out.typed(period, DCAT + "startDate", facts.first_year, "gYear")
    out.typed(period, DCAT + "endDate", facts.last_year, "gYear")


def _distribution(out: _Writer, dataset: str, download: Download, base: str) -> None:
    table = catalogue_table()
    url = f"{base}dumps/{download.name}"
    out.add(dataset, DCAT + "distribution", url)
    out.a(url, DCAT + "Distribution", RDFS + "Resource")
    out.add(url, DCT + "title", ox.Literal(download.name))
    out.texts(url, DCT + "description", table["downloads"].get(download.name, {}))
    out.add(url, DCAT + "downloadURL", url)
    out.add(url, DCAT + "accessURL", base + "dumps/")
    out.a(base + "dumps/", RDFS + "Resource")
    media_type = IANA_MEDIA_TYPES + download.media_type
    out.add(url, DCAT + "mediaType", media_type)
    out.a(media_type, DCT + "MediaType")
    file_type = table["file_types"].get(download.media_type)
    if file_type is not None:
        out.add(url, DCT + "format", file_type)
        out.a(file_type, DCT + "MediaTypeOrExtent")
        out.add(file_type, SKOS + "inScheme", table["file_type_scheme"])
        out.scheme(table["file_type_scheme"])
    out.add(url, DCT + "license", table["licence"]["iri"])
    availability = table["availability"]
    out.add(url, DCATAP + "availability", availability["iri"])
    out.concept(availability["iri"], availability["label"], availability["scheme"])
    out.typed(url, DCAT + "byteSize", str(download.size), "nonNegativeInteger")
    if download.sha256:
        checksum = url + "#sha256"
        out.add(url, SPDX + "checksum", checksum)
        out.a(checksum, SPDX + "Checksum")
        out.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        out.a(SPDX + "checksumAlgorithm_sha256", SPDX + "ChecksumAlgorithm")
        out.typed(checksum, SPDX + "checksumValue", download.sha256, "hexBinary")
