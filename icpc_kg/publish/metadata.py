"""graph/publication: what the last publish put into the store, written in the same update
request as the swap, as its last operation, so it always describes the live graphs.

    GRAPH <{base}graph/publication> {
      <{base}graph/publication> a void:Dataset ;
          dcterms:hasVersion "9f2c…" ;            # the graph version (see below)
          dcterms:issued "2026-11-21T08:00:00Z"^^xsd:dateTime ;
          dcterms:creator "icpc-kg 0.1.0" ;
          void:triples 5021 ;                     # sum over the live graphs
          void:subset <{base}graph/ontology>, … .
      <{base}graph/ontology> a sd:NamedGraph ; sd:name <{base}graph/ontology> ;
          void:triples 819 ;
          spdx:checksum <{base}graph/publication#sha256-…> .
      <{base}graph/publication#sha256-…> a spdx:Checksum ;
          spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue "…" .
      …
    }

No blank nodes, so the graph can be written with INSERT DATA everywhere (Virtuoso refuses
blank nodes there).

The version is the sha256 of dist/dataset.nq (what ``icpc-kg serve`` uses for its ETags)
when every graph of that build is live; after a partial publish (``--graph``) it is the sha256
of the sorted ``graph digest`` lines of the live graphs instead, so it still changes whenever
any live graph does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from icpc_kg.vocab import DEFAULT_BASE, graph_iri

DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def publication_graph(base: str = DEFAULT_BASE) -> str:
    return graph_iri("publication", base)


PUBLICATION_GRAPH = publication_graph()


def union_graph(base: str = DEFAULT_BASE) -> str:
    """graph/union: every live graph copied into one, rewritten by each swap, so a server
    can answer over the union with one ``default-graph-uri`` (stores evaluate a list of
    default graphs much more slowly) whatever the store's own default-graph setting."""
    return graph_iri("union", base)


@dataclass(frozen=True)
class PublishedGraph:
    name: str
    triples: int
    digest: str


@dataclass(frozen=True)
class Publication:
    """The content of graph/publication."""

    version: str
    issued: str
    creator: str
    graphs: dict[str, PublishedGraph]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs.values())


def combined_version(graphs: dict[str, PublishedGraph]) -> str:
    text = "".join(f"{name} {graphs[name].digest}\n" for name in sorted(graphs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def publication_triples(publication: Publication, graph: str) -> str:
    """The N-Triples of graph/publication (``graph``) for ``publication``."""
    p = f"<{graph}>"
    lines = [
        f"{p} <{RDF_TYPE}> <{VOID}Dataset> .",
        f"{p} <{DCTERMS}hasVersion> {_literal(publication.version)} .",
        f'{p} <{DCTERMS}issued> "{publication.issued}"^^<{XSD}dateTime> .',
        f"{p} <{DCTERMS}creator> {_literal(publication.creator)} .",
        f'{p} <{VOID}triples> "{publication.triples}"^^<{XSD}integer> .',
    ]
    for name in sorted(publication.graphs):
        entry = publication.graphs[name]
        g = f"<{name}>"
        checksum = f"<{graph}#sha256-{entry.digest}>"
        lines += [
            f"{p} <{VOID}subset> {g} .",
            f"{g} <{RDF_TYPE}> <{SD}NamedGraph> .",
            f"{g} <{SD}name> {g} .",
            f'{g} <{VOID}triples> "{entry.triples}"^^<{XSD}integer> .',
            f"{g} <{SPDX}checksum> {checksum} .",
            f"{checksum} <{RDF_TYPE}> <{SPDX}Checksum> .",
            f"{checksum} <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> .",
            f"{checksum} <{SPDX}checksumValue> {_literal(entry.digest)} .",
        ]
    return "\n".join(lines) + "\n"


def publication_query(graph: str) -> str:
    return f"""SELECT ?version ?issued ?creator ?g ?n ?digest WHERE {{
  GRAPH <{graph}> {{
    <{graph}> <{DCTERMS}hasVersion> ?version .
    OPTIONAL {{ <{graph}> <{DCTERMS}issued> ?issued }}
    OPTIONAL {{ <{graph}> <{DCTERMS}creator> ?creator }}
    OPTIONAL {{
      <{graph}> <{VOID}subset> ?g .
      ?g <{VOID}triples> ?n ; <{SPDX}checksum> ?c .
      ?c <{SPDX}checksumValue> ?digest .
    }}
  }}
}}"""


def publication_from_rows(rows: list[dict[str, str]]) -> Publication | None:
    if not rows:
        return None
    first = rows[0]
    graphs: dict[str, PublishedGraph] = {}
    for row in rows:
        if "g" in row and "n" in row and "digest" in row:
            try:
                count = int(row["n"])
            except ValueError:
                continue
            graphs[row["g"]] = PublishedGraph(row["g"], count, row["digest"])
    return Publication(first["version"], first.get("issued", ""), first.get("creator", ""), graphs)


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
