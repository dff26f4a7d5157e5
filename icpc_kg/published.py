"""The project's built dataset: ``dist/dataset.nq``, rebuilt first if the project changed.

Commands that read the reasoned graph (query, validate, export, serve) start here instead of
loading and reasoning again: when the last build's inputs (each content file's digest, the
shapes, the base and the build code) match the project as it is now, the dump is used as it
is; otherwise ``icpc-kg build`` runs (incrementally, from its cache) and its dump is used.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from icpc_kg.build import (
    BuildCache,
    ProgressCallback,
    build,
    default_cache_dir,
    engine_fingerprint,
)
from icpc_kg.dumps import DATASET_NQ
from icpc_kg.fileio import file_sha256
from icpc_kg.load import (
    INFERRED_GRAPH,
    GraphSource,
    LoadedDataset,
    content_files,
    file_digest,
    graph_name_for,
    shape_files,
)
from icpc_kg.project import Project
from icpc_kg.vocab import DEFAULT_BASE


@dataclass(frozen=True)
class PublishedDataset:
    """The N-Quads file of the reasoned dataset and what it was built from."""

    nquads: Path
    out_dir: Path
    version: str  # sha256 of the N-Quads file: changes whenever any triple does
    rebuilt: bool  # True when this call had to run the build


def _shapes_digest(project: Project) -> str:
    digest = hashlib.sha256()
    for path in shape_files(project):
        name = path.relative_to(project.root).as_posix()
        digest.update(f"{name}\n{file_digest(path.read_bytes())}\n".encode())
    return digest.hexdigest()


def is_current(project: Project, out_dir: Path, base: str = DEFAULT_BASE) -> bool:
    """Whether ``out_dir`` holds the build of ``project`` as its files are now."""
    if not (out_dir / DATASET_NQ).is_file():
        return False
    state = BuildCache(default_cache_dir(out_dir.resolve())).load_state()
    if state is None or state.get("base") != base:
        return False
    if state.get("fingerprint") != engine_fingerprint():
        return False
    if state.get("shapes") != _shapes_digest(project):
        return False
    # Derived graphs (graph/geonames) follow from the files and the code, both checked here.
    built = {
        g["name"]: g["digest"]
        for g in state.get("graphs", [])
        if g.get("kind") not in ("shapes", "derived")
    }
    now = {}
    for path in content_files(project):
        name, _kind = graph_name_for(path, project, base)
        now[name] = file_digest(path.read_bytes())
    return built == now


def published_dataset(
    project: Project,
    base: str = DEFAULT_BASE,
    out_dir: Path | None = None,
    progress: ProgressCallback | None = None,
) -> PublishedDataset:
    """The built dataset of ``project``, building it first when it is missing or stale.

    A build with violations still publishes its dump (the report is ``icpc-kg build``'s
    business); a build that cannot run raises, and the previous dump stays as it was.
    """
    out = (out_dir or project.dist_dir).resolve()
    rebuilt = False
    if not is_current(project, out, base):
        build(project, out_dir=out, base=base, progress=progress)
        rebuilt = True
    nquads = out / DATASET_NQ
    return PublishedDataset(nquads, out, file_sha256(nquads), rebuilt)


def load_published(published: PublishedDataset) -> LoadedDataset:
    """The built dataset in memory, each graph with the kind and file the build recorded."""
    store = ox.Store()
    store.bulk_load(path=str(published.nquads), format=ox.RdfFormat.N_QUADS)
    state = BuildCache(default_cache_dir(published.out_dir)).load_state() or {}
    recorded = {g["name"]: g for g in state.get("graphs", [])}
    graphs = []
    for graph in sorted(store.named_graphs(), key=lambda g: str(g)):
        name = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
        info = recorded.get(name, {})
        kind = "inferred" if name == INFERRED_GRAPH else info.get("kind", "data")
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        graphs.append(GraphSource(name, kind, None, count, info.get("digest", "")))
    return LoadedDataset(store, graphs)


@contextmanager
def current_or_temporary_dataset(project: Project, base: str = DEFAULT_BASE) -> Iterator[Path]:
    """The built dataset's N-Quads file when the build is current; otherwise the project
    assembled into a temporary file, removed afterwards. For readers that promise to write
    nothing (``icpc-kg validate``): they never start a build."""
    out = project.dist_dir.resolve()
    if is_current(project, out, base):
        yield out / DATASET_NQ
        return
    from icpc_kg.build import assemble

    with tempfile.TemporaryDirectory(prefix="icpc-kg-") as folder:
        path = Path(folder) / DATASET_NQ
        dataset = assemble(project, base)
        ox.serialize(
            dataset.store.quads_for_pattern(None, None, None, None),
            str(path),
            ox.RdfFormat.N_QUADS,
        )
        yield path
