"""What ``icpc-kg serve`` serves: the project's reasoned graph, its shapes graph and any extra
files, written as the one N-Quads file that every query worker loads, with dumps of exactly
that dataset beside it.

The N-Quads file's digest is the *graph version*: it goes into every ETag, and the response
caches are keyed by it.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from icpc_kg.build import assemble, load_build_shapes
from icpc_kg.dumps import DATASET_NQ, Description, GraphInfo, write_dumps
from icpc_kg.load import SHAPES_GRAPH, GraphSource, LoadedDataset, load_extra_files
from icpc_kg.project import Project
from icpc_kg.vocab import DEFAULT_BASE

log = logging.getLogger("icpc_kg.server")


@dataclass(frozen=True)
class ServedDataset:
    """The dataset file the workers load, its version, its graphs and its dumps folder."""

    nquads: Path
    version: str
    graphs: tuple[GraphSource, ...]
    dumps_dir: Path


def file_version(path: Path) -> str:
    """The sha256 of a file's bytes (the graph version of a dataset file)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _graph_label(source: GraphSource, project: Project) -> str:
    if source.path is None:
        return source.kind
    try:
        return str(source.path.resolve().relative_to(project.root.resolve()))
    except ValueError:
        return source.path.name


def prepare_dataset(
    project: Project,
    extra_files: Sequence[Path],
    out_dir: Path,
    base: str = DEFAULT_BASE,
) -> ServedDataset:
    """Assemble the project (load + reason), add its shapes graph and ``extra_files``, and
    write ``out_dir/dumps/`` (dataset.nq is what the workers load)."""
    dataset: LoadedDataset = assemble(project, base)
    shapes, _ = load_build_shapes(project)
    dataset.add_graph(GraphSource(SHAPES_GRAPH, "shapes", project.shapes_dir, len(shapes)), shapes)
    load_extra_files(dataset, extra_files, base)
    dumps_dir = out_dir / "dumps"
    dumps_dir.mkdir(parents=True, exist_ok=True)
    graphs = [GraphInfo(g.name, _graph_label(g, project)) for g in dataset.graphs]
    write_dumps(dumps_dir, dataset.store, graphs, shapes, Description(base=base))
    nquads = dumps_dir / DATASET_NQ
    log.info("serving %d quads in %d graphs from %s", len(dataset.store), len(graphs), nquads)
    return ServedDataset(nquads, file_version(nquads), tuple(dataset.graphs), dumps_dir)


def prepare_dataset_apart(
    project: Project,
    extra_files: Sequence[Path],
    out_dir: Path,
    base: str = DEFAULT_BASE,
) -> ServedDataset:
    """:func:`prepare_dataset` in a child process, so the server process never holds the
    assembled graph (only the query workers hold the data)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(prepare_dataset, project, list(extra_files), out_dir, base).result()
