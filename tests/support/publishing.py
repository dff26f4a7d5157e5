"""Helpers for the publish tests: a second version of the bundled project, and the state of
a store's graphs compared with a build."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from icpc_kg.dumps import DATASET_NQ
from icpc_kg.project import Project
from icpc_kg.publish import StoreClient, layout
from icpc_kg.publish.local import LocalDataset, read_build
from icpc_kg.publish.plan import line_digests
from icpc_kg.published import published_dataset

# A new graph; its new city also adds inferred types, so graph/inferred changes too.
NOTES_TTL = """@base <https://w3id.org/icpc-kg/id/> .
@prefix icpc: <https://w3id.org/icpc-kg/ontology#> .
@prefix schema: <http://schema.org/> .
<place/montreal> schema:description "The city where ICPC has its seat."@en .
<place/laval> a icpc:City ; schema:name "Laval"@en, "Laval"@fr .
"""


def variant_project(source: Project, root: Path) -> Project:
    """A copy of ``source`` with data/places.ttl edited (one literal changed, one triple
    added) and a new data/notes.ttl (so graph/inferred changes too), built into its own
    dist/."""
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(source.root / name, root / name)
    places = root / "data" / "places.ttl"
    text = places.read_text(encoding="utf-8")
    assert '"Montréal"@fr ;' in text
    text = text.replace(
        '"Montréal"@fr ;', '"Ville de Montréal"@fr ;\n    schema:alternateName "MTL"@en ;', 1
    )
    places.write_text(text, encoding="utf-8")
    (root / "data" / "notes.ttl").write_text(NOTES_TTL, encoding="utf-8")
    project = Project(root)
    published_dataset(project)
    return project


def local_digests(local: LocalDataset) -> dict[str, Counter[bytes]]:
    return {name: line_digests(local.triples_of(name)) for name in local.graphs}


def build_digests(out_dir: Path) -> dict[str, Counter[bytes]]:
    """Each graph of the build in ``out_dir`` (with graph/shapes) as canonical line digests."""
    with read_build(out_dir) as local:
        return local_digests(local)


def store_digests(base_url: str, graphs: list[str]) -> dict[str, Counter[bytes]]:
    """The same for the live graphs of an Oxigraph server (read with Graph Store GETs)."""
    with StoreClient(layout("oxigraph", base_url)) as client:
        return {g: line_digests(client.graph_triples(g, via_graph_store=True)) for g in graphs}


def store_graphs(base_url: str) -> set[str]:
    """Every named graph of an Oxigraph server."""
    with StoreClient(layout("oxigraph", base_url)) as client:
        return {row["g"] for row in client.select("SELECT ?g WHERE { GRAPH ?g {} }")}


def nquads_per_graph(out_dir: Path) -> dict[str, set[str]]:
    """The N-Triples lines of each graph of a build's dataset.nq."""
    graphs: dict[str, set[str]] = {}
    for quad in ox.parse(path=str(out_dir / DATASET_NQ), format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value  # type: ignore[union-attr]
        graphs.setdefault(name, set()).add(f"{quad.subject} {quad.predicate} {quad.object} .")
    return graphs
