"""Namespaces and the identifier scheme (see DESIGN.md, "Identifiers")."""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

DEFAULT_BASE = "https://w3id.org/icpc-kg/"

ICPC = Namespace(DEFAULT_BASE + "ontology#")
ID = Namespace(DEFAULT_BASE + "id/")
GRAPH = Namespace(DEFAULT_BASE + "graph/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

ONTOLOGY_IRI = DEFAULT_BASE + "ontology"

# Prefixes used when printing or serialising; the order is the order in Turtle output.
PREFIXES: dict[str, str] = {
    "icpc": str(ICPC),
    "id": str(ID),
    "graph": str(GRAPH),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sd": str(SD),
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = (
    "event",
    "series",
    "org",
    "person",
    "publication",
    "place",
    "theme",
    "scheme",
    "role",
    "membership",
    "involvement",
    "statement",
    "study",
    "plan",
    "document",
    "passage",
    "contribution",
)


def resource_iri(kind: str, slug: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a resource: ``{base}id/{kind}/{slug}``."""
    if not SLUG_RE.match(slug):
        raise ValueError(f"bad slug {slug!r}: lowercase ASCII words joined by hyphens")
    return f"{base}id/{kind}/{slug}"


def graph_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a named graph: ``{base}graph/{name}``."""
    return f"{base}graph/{name}"


def shrink(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``prefix:local`` when a prefix covers ``iri`` with a simple local name, else ``<iri>``."""
    best = ""
    best_prefix = ""
    for prefix, namespace in (prefixes or PREFIXES).items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    local = iri[len(best) :]
    if best and re.fullmatch(r"[A-Za-z_][\w\-./]*", local) and not local.endswith("."):
        return f"{best_prefix}:{local}"
    return f"<{iri}>"
