"""Load the project's ontology/ and data/ into one dataset, one named graph per file.

The dataset is a pyoxigraph in-memory store; each graph remembers the file it came from so that
build can report per-file counts, rebuild only what changed, and errors can name the file.

Graph names (``{base}graph/{name}``):

    ontology/icpc.ttl                 graph/ontology
    ontology/{stem}.ttl               graph/{stem}          (e.g. graph/themes)
    data/{stem}.ttl                   graph/{stem}
    data/sources/manifest.ttl         graph/sources
    data/contributions/{stem}.ttl     graph/contribution-{stem}
    shapes/*.ttl                      graph/shapes          (loaded on its own, for validation)
    inferred triples                  graph/inferred
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from icpc_kg.errors import ProjectError
from icpc_kg.project import Project
from icpc_kg.rdfio import FORMATS, format_for_path, parse_file
from icpc_kg.vocab import DEFAULT_BASE, graph_iri

RDF_EXTENSIONS = frozenset(ext for info in FORMATS.values() for ext in info.extensions)
INFERRED_GRAPH = graph_iri("inferred")
SHAPES_GRAPH = graph_iri("shapes")
ONTOLOGY_GRAPH = graph_iri("ontology")


@dataclass(frozen=True)
class GraphSource:
    """One named graph of the dataset and the file it was read from."""

    name: str
    kind: str  # ontology | data | sources | contribution | shapes | derived | inferred | extra
    path: Path | None
    triples: int
    digest: str = ""  # sha256 of the file's bytes; "" for derived graphs


@dataclass
class LoadedDataset:
    """A pyoxigraph store and what each of its named graphs holds."""

    store: ox.Store
    graphs: list[GraphSource] = field(default_factory=list)

    def graph(self, name: str) -> GraphSource:
        for source in self.graphs:
            if source.name == name:
                return source
        raise KeyError(name)

    def graph_names(self, kinds: Iterable[str] | None = None) -> list[str]:
        wanted = set(kinds) if kinds is not None else None
        return [g.name for g in self.graphs if wanted is None or g.kind in wanted]

    def quads(self, kinds: Iterable[str] | None = None) -> Iterator[ox.Quad]:
        for name in self.graph_names(kinds):
            yield from self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def add_graph(self, source: GraphSource, quads: Iterable[ox.Quad]) -> None:
        if any(g.name == source.name for g in self.graphs):
            raise ProjectError(f"two inputs map to the same graph {source.name}")
        self.store.extend(quads)
        self.graphs.append(source)


def graph_name_for(path: Path, project: Project, base: str = DEFAULT_BASE) -> tuple[str, str]:
    """The graph IRI and kind for a content file of ``project``."""
    path = path.resolve()
    root = project.root.resolve()
    relative = path.relative_to(root)
    parts = relative.parts
    stem = path.stem
    if parts[0] == "ontology":
        return graph_iri("ontology" if stem == "icpc" else stem, base), "ontology"
    if parts[0] == "shapes":
        return graph_iri("shapes", base), "shapes"
    if parts[:2] == ("data", "sources"):
        return graph_iri("sources", base), "sources"
    if parts[:2] == ("data", "contributions"):
        return graph_iri(f"contribution-{stem}", base), "contribution"
    if parts[0] == "data":
        return graph_iri(stem, base), "data"
    raise ProjectError(f"{path}: not under ontology/, data/ or shapes/")


def content_files(project: Project) -> list[Path]:
    """Every RDF file of ontology/ and data/ (with sources and contributions), sorted."""
    files: list[Path] = []
    for folder in (project.ontology_dir, project.data_dir):
        if not folder.is_dir():
            raise ProjectError(f"{folder}: missing folder")
        for path in sorted(folder.rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() in RDF_EXTENSIONS
                and (path.name != "context.jsonld")
            ):
                files.append(path)
    return files


def shape_files(project: Project) -> list[Path]:
    return sorted(p for p in project.shapes_dir.rglob("*.ttl") if p.is_file())


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_graph_file(path: Path, graph_name: str) -> tuple[list[ox.Quad], str]:
    """The quads of one content file, placed in ``graph_name``, and the file's digest.

    Triples go into ``graph_name``; a quad format keeps its own named graphs.
    """
    data = path.read_bytes()
    quads = parse_file(path, format_for_path(path), max_bytes=max(len(data), 1))
    target = ox.NamedNode(graph_name)
    digest = file_digest(data)
    # The parser keeps blank node labels as written: without a per-file prefix, _:b0 of one
    # file and _:b0 of another (as in any two N-Triples dumps) would become one node.
    prefix = "f" + hashlib.sha256(f"{path.resolve()}\n{digest}".encode()).hexdigest()[:12]

    def own(term: Any) -> Any:
        return ox.BlankNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term

    placed = [
        ox.Quad(
            own(q.subject),
            q.predicate,
            own(q.object),
            target if isinstance(q.graph_name, ox.DefaultGraph) else own(q.graph_name),
        )
        for q in quads
    ]
    return placed, digest


def load_project(project: Project, base: str = DEFAULT_BASE) -> LoadedDataset:
    """Load ontology/ and data/ of ``project``, one named graph per file."""
    dataset = LoadedDataset(ox.Store())
    for path in content_files(project):
        name, kind = graph_name_for(path, project, base)
        quads, digest = read_graph_file(path, name)
        dataset.add_graph(GraphSource(name, kind, path, len(quads), digest), quads)
    return dataset


def load_shapes(project: Project) -> list[ox.Quad]:
    """Every shape file, in the shapes graph."""
    quads: list[ox.Quad] = []
    for path in shape_files(project):
        parsed, _ = read_graph_file(path, SHAPES_GRAPH)
        quads.extend(parsed)
    return quads


def load_extra_files(
    dataset: LoadedDataset, paths: Iterable[Path], base: str = DEFAULT_BASE
) -> None:
    """Add files given on the command line (``serve FILE...``): triples into
    ``graph/extra-{stem}``, named graphs of N-Quads and TriG kept as they are."""
    for path in paths:
        name = graph_iri(f"extra-{_slug(path.stem)}", base)
        quads, digest = read_graph_file(path, name)
        names = {str(q.graph_name.value) for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        dataset.store.extend(quads)
        for graph_name in sorted(names):
            count = sum(
                1
                for q in quads
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph_name
            )
            dataset.graphs.append(GraphSource(graph_name, "extra", path, count, digest))


def _slug(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in cleaned.split("-") if part) or "file"
