"""What ``icpc-kg serve`` serves: the project's built dataset (``dist/dataset.nq``, built
first when it is missing or older than the project's files), its shapes graph and any extra
files, written as the one N-Quads file that every query worker loads.

The dumps under ``/dumps/`` are the build's own (``dist/``) when nothing is added; with extra
files they are written afresh for the served dataset, in the same layout. The N-Quads file's
digest is the *graph version*: it goes into every ETag, and the response caches are keyed by it.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from icpc_kg.build import load_build_shapes
from icpc_kg.dumps import Description, GraphInfo, write_dumps
from icpc_kg.fileio import file_sha256
from icpc_kg.load import SHAPES_GRAPH, GraphSource, load_extra_files
from icpc_kg.project import Project
from icpc_kg.published import load_published, published_dataset
from icpc_kg.vocab import DEFAULT_BASE

log = logging.getLogger("icpc_kg.server")
SERVED_NQ = "served.nq"
T = TypeVar("T")


@dataclass(frozen=True)
class ServedDataset:
    """The dataset file the workers load, its version, its graphs and its dumps folder."""

    nquads: Path
    version: str
    graphs: tuple[GraphSource, ...]
    dumps_dir: Path


def _graph_label(source: GraphSource, project: Project) -> str:
    if source.path is None:
        return source.name.rsplit("/", 1)[-1]
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
    """The project's built dataset (building it if needed) plus its shapes graph and
    ``extra_files``, written to ``out_dir``/served.nq."""
    published = published_dataset(project, base)
    dataset = load_published(published)
    shapes, _ = load_build_shapes(project)
    dataset.add_graph(GraphSource(SHAPES_GRAPH, "shapes", project.shapes_dir, len(shapes)), shapes)
    load_extra_files(dataset, extra_files, base)
    out_dir.mkdir(parents=True, exist_ok=True)
    nquads = out_dir / SERVED_NQ
    ox.serialize(
        dataset.store.quads_for_pattern(None, None, None, None), str(nquads), ox.RdfFormat.N_QUADS
    )
    dumps_dir = published.out_dir
    if extra_files:
        dumps_dir = out_dir / "dumps"
        dumps_dir.mkdir()
        graphs = [
            GraphInfo(g.name, _graph_label(g, project))
            for g in dataset.graphs
            if g.name != SHAPES_GRAPH
        ]
        write_dumps(dumps_dir, dataset.store, graphs, shapes, Description(base=base))
    log.info("serving %d quads in %d graphs", len(dataset.store), len(dataset.graphs))
    return ServedDataset(nquads, file_sha256(nquads), tuple(dataset.graphs), dumps_dir)


def prepare_dataset_apart(
    project: Project,
    extra_files: Sequence[Path],
    out_dir: Path,
    base: str = DEFAULT_BASE,
) -> ServedDataset:
    """:func:`prepare_dataset` in a child process, so the server process never holds the
    assembled graph (only the query workers hold the data)."""
    return in_child_process(prepare_dataset, project, list(extra_files), out_dir, base)


def in_child_process(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a fresh (spawned) process: the memory it takes is given back
    when it returns, and only its (picklable) result comes back."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()
