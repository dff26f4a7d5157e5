"""The server's view of the store seam: a :class:`~icpc_kg.store.Store`, the version of the
graph it holds, and (optionally) a way to apply SPARQL updates.

Every read the web layer makes (protocol queries, resource descriptions, index pages, named
queries) goes through :meth:`Backend.run`, so an external store (``serve --store``) gives the
same pages as the embedded one. Queries run in a thread because the store call blocks; the
store itself enforces the timeout (the embedded one by killing the worker process).

Updates on the embedded store swap generations instead of changing workers in place: the
update runs in a separate, killable process over a copy of the current dataset file, the
result is written as a new dataset file (and new dumps), a new worker pool is started on it,
and only then does the backend switch to the new pool and version. Readers never see a
half-applied update, every worker of a generation holds the same data, and a runaway update
is stopped like a runaway query. The old pool is closed once its in-flight queries are done.
Updates last until the server restarts: the project's files stay the source of truth.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
import pyoxigraph as ox

from icpc_kg.dumps import Description, GraphInfo, write_dumps
from icpc_kg.errors import IcpcKgError, QueryError, QueryTimeoutError
from icpc_kg.executor import (
    _START_TIMEOUT,
    DEFAULT_TIMEOUT,
    QueryRequest,
    SerializedResult,
    load_nquads,
)
from icpc_kg.fileio import file_sha256
from icpc_kg.load import SHAPES_GRAPH
from icpc_kg.results import QueryResult
from icpc_kg.sandbox import drop_network
from icpc_kg.server.dataset import SERVED_NQ
from icpc_kg.sparql import syntax_error
from icpc_kg.store import EmbeddedStore, Store
from icpc_kg.vocab import graph_iri


@dataclass(frozen=True)
class Generation:
    """One state of the served graph: the store answering for it and its version."""

    store: Store
    version: str
    dumps_dir: Path | None = None


class Backend:
    """The current generation of the served graph, and how to change it."""

    def __init__(
        self,
        store: Store,
        version: str,
        dumps_dir: Path | None = None,
        updater: EmbeddedUpdater | None = None,
    ) -> None:
        self._generation = Generation(store, version, dumps_dir)
        self._updater = updater
        self._update_lock = threading.Lock()
        self._retired: list[threading.Timer] = []

    @property
    def generation(self) -> Generation:
        return self._generation

    @property
    def version(self) -> str:
        return self._generation.version

    @property
    def store(self) -> Store:
        return self._generation.store

    @property
    def can_update(self) -> bool:
        return self._updater is not None

    async def run(
        self, request: QueryRequest, timeout: float | None = DEFAULT_TIMEOUT
    ) -> QueryResult | SerializedResult:
        store = self._generation.store
        return await anyio.to_thread.run_sync(store.run, request, timeout)

    async def update(self, sparql: str, timeout: float) -> str:
        """Apply a SPARQL update and switch to the new generation; its version."""
        if self._updater is None:
            raise IcpcKgError("this store does not take updates")
        return await anyio.to_thread.run_sync(self._update_blocking, sparql, timeout)

    def _update_blocking(self, sparql: str, timeout: float) -> str:
        assert self._updater is not None
        with self._update_lock:
            old = self._generation
            new = self._updater.apply(sparql, timeout)
            self._generation = new
            self._retire(old, timeout)
            return new.version

    def replace(self, generation: Generation, grace: float = DEFAULT_TIMEOUT) -> Generation:
        """Serve ``generation`` from now on (``serve --store`` after the store changed); the
        old one, returned, is closed ``grace`` seconds later."""
        with self._update_lock:
            old = self._generation
            self._generation = generation
            self._retire(old, grace)
            return old

    def _retire(self, old: Generation, grace: float) -> None:
        # Queries already running on the old store finish (or time out) first.
        timer = threading.Timer(grace + 1.0, old.store.close)
        timer.daemon = True
        timer.start()
        self._retired.append(timer)

    def close(self) -> None:
        for timer in self._retired:
            timer.cancel()
        self._generation.store.close()
        for timer in self._retired:
            timer.function()


def _move_graph(store: ox.Store, source: Any, target: Any) -> None:
    for quad in list(store.quads_for_pattern(None, None, None, source)):
        store.remove(quad)
        store.add(ox.Quad(quad.subject, quad.predicate, quad.object, target))


def _apply_update(source: str, sparql: str, folder: str, base: str, done: Any) -> None:
    """In a child process: the dataset of ``source`` with ``sparql`` applied, written as
    ``folder``/served.nq (what the workers load) and as dumps in ``folder``/dumps.

    The update's default graph is kept as the named graph ``graph/updates`` between
    generations (so it is in the dumps and visible in the union default graph)."""
    updates = ox.NamedNode(graph_iri("updates", base))
    drop_network()
    try:
        store = load_nquads(Path(source))
        _move_graph(store, updates, ox.DefaultGraph())
        done.send(("loaded", None))
        try:
            store.update(sparql, base_iri=base)
        except SyntaxError as error:
            raise syntax_error(error, sparql) from None
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"update failed: {error}") from None
        done.send(("updated", None))
        _move_graph(store, ox.DefaultGraph(), updates)
        names = sorted(
            g.value
            for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value != SHAPES_GRAPH
        )
        shapes = list(store.quads_for_pattern(None, None, None, ox.NamedNode(SHAPES_GRAPH)))
        graphs = [GraphInfo(name, name.rsplit("/", 1)[-1]) for name in names]
        ox.serialize(
            store.quads_for_pattern(None, None, None, None),
            str(Path(folder) / SERVED_NQ),
            ox.RdfFormat.N_QUADS,
        )
        dumps = Path(folder) / "dumps"
        dumps.mkdir()
        write_dumps(dumps, store, graphs, shapes, Description(base=base))
        done.send(("ok", None))
    except IcpcKgError as error:
        done.send(("error", error))


def _next_message(receive: Any, limit: float, timeout: float) -> tuple[str, Any]:
    if not receive.poll(limit):
        raise QueryTimeoutError(
            f"the update ran for more than {timeout:g} s and was stopped; nothing was changed"
        )
    try:
        message: tuple[str, Any] = receive.recv()
    except EOFError:
        raise QueryError("the update process stopped unexpectedly") from None
    return message


class EmbeddedUpdater:
    """Makes a new generation of the embedded store for each update (see the module doc)."""

    def __init__(
        self,
        dataset_file: Path,
        runtime_dir: Path,
        workers: int,
        base: str,
        make_store: Callable[[Path, int], Store] = EmbeddedStore,
    ) -> None:
        self._current = dataset_file
        self._runtime_dir = runtime_dir
        self._workers = workers
        self._base = base
        self._make_store = make_store
        self._count = 0

    def apply(self, sparql: str, timeout: float) -> Generation:
        self._count += 1
        folder = self._runtime_dir / f"generation-{self._count}"
        folder.mkdir(parents=True)
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_apply_update,
            args=(str(self._current), sparql, str(folder), self._base, send),
            daemon=True,
        )
        process.start()
        send.close()
        try:
            # --timeout limits the update itself, not starting the process, loading the
            # dataset or writing the new files (which take longer on a busy machine).
            for step, limit in (("loaded", _START_TIMEOUT), ("updated", timeout)):
                tag, payload = _next_message(receive, limit, timeout)
                if tag != step:
                    break
            else:
                tag, payload = _next_message(receive, _START_TIMEOUT, timeout)
        except QueryTimeoutError:
            process.kill()
            raise
        finally:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
            receive.close()
        if tag == "error":
            raise payload
        dataset = folder / SERVED_NQ
        store = self._make_store(dataset, self._workers)
        self._current = dataset
        return Generation(store, file_sha256(dataset), folder / "dumps")
