"""``serve --store``: the front end over an external SPARQL 1.1 store.

What the server shows is the store's *served graphs*: every named graph except icpc-kg's own
bookkeeping (graph/publication, graph/union and the staging graphs of a publish in progress).
Queries that name no dataset get their union as the default graph and each as a named graph,
sent as ``default-graph-uri`` / ``named-graph-uri`` (see :class:`icpc_kg.store.RemoteStore`),
so the pages and answers are those of the embedded store whatever the store's own default
graph is. When the served graphs are exactly the published ones, the default graph is sent as
graph/union, the copy of their union that ``publish`` keeps (one graph is evaluated several
times faster than a list).

The *version* (ETags, response caches) is the one graph/publication records when the served
graphs are exactly the published ones; otherwise (graphs added by other means) it is derived
from the publication's version and each served graph's name and triple count. A
:class:`StoreWatcher` re-reads it every ``--refresh`` seconds and, when it changes, writes new
dumps from the store and then switches the backend to a new generation, so a publish shows up
without a restart and an ETag never names data the server no longer has.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from icpc_kg.dumps import Description, GraphInfo, write_dumps
from icpc_kg.errors import IcpcKgError, StoreError
from icpc_kg.load import SHAPES_GRAPH
from icpc_kg.publish.client import Credentials, StoreClient
from icpc_kg.publish.flavors import StoreEndpoints
from icpc_kg.publish.metadata import Publication, publication_graph, union_graph
from icpc_kg.publish.run import live_counts, named_graphs, read_publication, staging_prefix
from icpc_kg.server.backend import Backend, Generation
from icpc_kg.server.dataset import in_child_process
from icpc_kg.store import RemoteStore

log = logging.getLogger("icpc_kg.server")


@dataclass(frozen=True)
class StoreState:
    """What the store holds now, as the server sees it."""

    graphs: tuple[str, ...]
    version: str
    publication: Publication | None
    union_graph: str | None = None  # graph/union, when it holds exactly ``graphs``


def read_store_state(client: StoreClient, base: str) -> StoreState:
    in_store = named_graphs(client)
    bookkeeping = {publication_graph(base), union_graph(base)}
    staging = staging_prefix(base)
    graphs = tuple(g for g in in_store if g not in bookkeeping and not g.startswith(staging))
    publication = read_publication(client, base)
    if publication is not None and set(publication.graphs) == set(graphs):
        union = union_graph(base) if union_graph(base) in in_store else None
        return StoreState(graphs, publication.version, publication, union)
    counts = live_counts(client, list(graphs))
    text = (publication.version if publication else "") + "\n"
    text += "".join(f"{g} {counts[g]}\n" for g in graphs)
    return StoreState(graphs, hashlib.sha256(text.encode("utf-8")).hexdigest(), publication)


def write_store_dumps(
    endpoints: StoreEndpoints,
    credentials: Credentials,
    graphs: tuple[str, ...],
    folder: Path,
    base: str,
    timeout: float | None,
) -> None:
    """The dumps of ``graphs`` (read from the store) in ``folder``, in the build's layout."""
    store = ox.Store()
    with StoreClient(endpoints, credentials, timeout) as client:
        store.extend(client.quads(list(graphs)))
    shapes = list(store.quads_for_pattern(None, None, None, ox.NamedNode(SHAPES_GRAPH)))
    infos = [GraphInfo(g, g.rsplit("/", 1)[-1]) for g in graphs if g != SHAPES_GRAPH]
    folder.mkdir(parents=True)
    write_dumps(folder, store, infos, shapes, Description(base=base))


def write_store_dumps_apart(
    endpoints: StoreEndpoints,
    credentials: Credentials,
    graphs: tuple[str, ...],
    folder: Path,
    base: str,
    timeout: float | None,
) -> Path:
    """:func:`write_store_dumps` in a child process (the server never holds the graph)."""
    in_child_process(write_store_dumps, endpoints, credentials, graphs, folder, base, timeout)
    return folder


class StoreGenerations:
    """Makes a :class:`Generation` of the backend for each state of the store."""

    def __init__(
        self,
        endpoints: StoreEndpoints,
        credentials: Credentials,
        runtime_dir: Path,
        base: str,
        timeout: float | None,
    ) -> None:
        self.endpoints = endpoints
        self.credentials = credentials
        self.runtime_dir = runtime_dir
        self.base = base
        self.timeout = timeout
        self._count = 0

    def read_state(self) -> StoreState:
        with StoreClient(self.endpoints, self.credentials, self.timeout) as client:
            return read_store_state(client, self.base)

    def generation(self, state: StoreState) -> Generation:
        self._count += 1
        folder = self.runtime_dir / f"store-dumps-{self._count}"
        dumps = write_store_dumps_apart(
            self.endpoints, self.credentials, state.graphs, folder, self.base, self.timeout
        )
        store = RemoteStore(self.endpoints.query, state.graphs, state.union_graph)
        return Generation(store, state.version, dumps)

    def first(self) -> Generation:
        """The generation for the store as it is now; an error when it holds nothing."""
        state = self.read_state()
        if not state.graphs:
            raise StoreError(
                f"{self.endpoints.query} holds no named graphs to serve; "
                f"publish into it first: icpc-kg publish --store URL"
            )
        log.info("serving %d graphs from %s", len(state.graphs), self.endpoints.query)
        return self.generation(state)


class StoreWatcher:
    """Re-reads the store's state every ``interval`` seconds in a daemon thread and moves the
    backend to a new generation when the version changes. A store that cannot be read keeps
    the current generation (and is logged)."""

    def __init__(self, backend: Backend, generations: StoreGenerations, interval: float) -> None:
        self.backend = backend
        self.generations = generations
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="store-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def check_once(self) -> bool:
        """Move to the store's current version if it changed; whether it did."""
        state = self.generations.read_state()
        if state.version == self.backend.version or not state.graphs:
            return False
        old = self.backend.replace(self.generations.generation(state))
        if old.dumps_dir is not None:
            # Downloads of the old dumps already under way get a minute to finish.
            timer = threading.Timer(60.0, shutil.rmtree, (old.dumps_dir, True))
            timer.daemon = True
            timer.start()
        log.info("the store changed: now serving version %s", state.version[:12])
        return True

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check_once()
            except IcpcKgError as error:
                log.warning("could not re-read the store: %s", error)
