"""Run SPARQL queries where they can be stopped: in worker processes that can be killed.

Neither pyoxigraph nor rdflib can cancel a query in the middle, so a query that runs past its
timeout would keep a thread busy forever. Each worker process holds its own in-memory copy of
the dataset (loaded from an N-Quads file); a query that times out gets its worker killed and
replaced while the other workers keep answering.

    pool = WorkerPool(Path("dist/dataset.nq"), size=2)
    result = pool.run(QueryRequest("SELECT ..."), timeout=10)   # SelectResult | ... or raises
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from icpc_kg.errors import IcpcKgError, QueryError, QueryTimeoutError
from icpc_kg.results import AskResult, QueryResult, collect, serialize_result
from icpc_kg.sandbox import drop_network
from icpc_kg.sparql import QueryInfo, syntax_error

DEFAULT_TIMEOUT = 10.0
_START_TIMEOUT = 600.0


@dataclass(frozen=True)
class QueryRequest:
    """A query and the dataset options of the SPARQL protocol."""

    sparql: str
    default_graph_as_union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int | None = None
    serialize_as: str | None = None  # a format name: the worker returns bytes
    info: QueryInfo | None = None  # set once the query passed check_read_only_query


@dataclass(frozen=True)
class SerializedResult:
    """A result the worker already serialised (what the HTTP layer sends)."""

    kind: str  # select | ask | graph
    body: bytes
    truncated: bool
    count: int


def execute(store: ox.Store, request: QueryRequest) -> QueryResult | SerializedResult:
    """Run ``request`` on ``store`` in this process (no timeout)."""
    options: dict[str, Any] = {"base_iri": request.base_iri}
    if request.default_graphs is not None:
        options["default_graph"] = [
            ox.DefaultGraph() if g == "" else ox.NamedNode(g) for g in request.default_graphs
        ]
    elif request.default_graph_as_union:
        options["use_default_graph_as_union"] = True
    if request.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    try:
        raw = store.query(request.sparql, **options)
        result = collect(raw, request.max_rows)
    except SyntaxError as error:
        raise syntax_error(error, request.sparql) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"query failed: {error}") from None
    if request.serialize_as is None:
        return result
    return serialized(result, request.serialize_as)


def serialized(result: QueryResult, fmt: str) -> SerializedResult:
    """``result`` serialised in ``fmt``, with its kind, truncation and size."""
    count = 1 if isinstance(result, AskResult) else len(result)
    return SerializedResult(result.kind, serialize_result(result, fmt), result.truncated, count)


def load_nquads(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def _worker_main(connection: Connection, dataset: str) -> None:
    drop_network()
    store = load_nquads(Path(dataset))
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", execute(store, request)))
        except IcpcKgError as error:
            connection.send(("error", error))
        except Exception as error:  # a bug, not the user's fault: a 500, and the worker lives on
            connection.send(
                ("error", IcpcKgError(f"internal error while running the query ({error!r})"))
            )


class _Worker:
    def __init__(self, context: Any, dataset: Path) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(dataset)), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float = _START_TIMEOUT) -> None:
        if self.ready:
            return
        if not self.connection.poll(timeout):
            self.kill()
            raise IcpcKgError("a query worker did not start in time")
        try:
            tag, _ = self.connection.recv()
        except EOFError:
            raise IcpcKgError(
                f"a query worker died while loading the dataset (exit {self.process.exitcode})"
            ) from None
        self.ready = tag == "ready"

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class WorkerPool:
    """A fixed number of query worker processes over one dataset file."""

    def __init__(self, dataset: Path, size: int = 2, start_method: str = "spawn") -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.dataset = dataset
        self.size = size
        self._context = multiprocessing.get_context(start_method)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        workers = [self._spawn() for _ in range(size)]
        for worker in workers:
            worker.wait_ready()
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.dataset)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        if self._closed:
            return

        def start() -> None:
            worker = self._spawn()
            try:
                worker.wait_ready()
            except IcpcKgError:
                with self._lock:
                    self._all.discard(worker)
                return
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)

        threading.Thread(target=start, name="icpc-kg-worker-start", daemon=True).start()

    def run(
        self, request: QueryRequest, timeout: float | None = DEFAULT_TIMEOUT
    ) -> QueryResult | SerializedResult:
        """Run ``request`` in a worker; past ``timeout`` seconds (waiting included) the worker
        is killed and replaced and :class:`QueryTimeoutError` is raised."""
        if self._closed:
            raise IcpcKgError("the query worker pool is closed")
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeoutError(
                f"no query worker became free within {timeout:g} s; try again later"
            ) from None
        try:
            worker.connection.send(request)
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not worker.connection.poll(remaining):
                self._replace(worker)
                raise QueryTimeoutError(
                    f"the query ran for more than {timeout:g} s and was stopped; "
                    "add a LIMIT or narrow the patterns"
                )
            tag, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise QueryError("the query worker stopped unexpectedly") from None
        except QueryTimeoutError:
            raise
        self._idle.put(worker)
        if tag == "error":
            raise payload
        return payload

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
