"""Publishing a build into a store: find the endpoints, read the build, compare it with what
the store says it holds, upload what changed into staging graphs, check their counts, swap
them over the live graphs in one update request that also rewrites graph/publication, and
read the counts back.

    read  ──▶ plan ──▶ upload (per unit, in chunks) ──▶ check ──▶ swap ──▶ verify
                 ╰──▶ --dry-run: per-graph added / removed, nothing written

The swap is one SPARQL 1.1 Update request::

    MOVE <staging/…/a> TO <graph/a> ;        # each changed graph
    DROP SILENT GRAPH <graph/gone> ;         # graphs the last publish wrote, no longer built
    DROP SILENT GRAPH <graph/publication> ;
    INSERT DATA { GRAPH <graph/publication> { … } }

A store that runs one request as one transaction (Oxigraph, Fuseki, GraphDB) switches every
graph and the publication record at once, or, if anything fails, none. Until then the live
graphs are not written at all; a failure before the swap leaves them as they were and removes
this run's staging graphs (best effort: a store that went away keeps them until the next
publish, which removes staging graphs left by interrupted runs before it starts).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from icpc_kg import __version__
from icpc_kg.errors import (
    StoreError,
    StorePayloadTooLargeError,
    UnknownChoiceError,
)
from icpc_kg.publish.client import Credentials, StoreClient, probe_getter
from icpc_kg.publish.flavors import StoreEndpoints, detect
from icpc_kg.publish.local import Chunk, LocalDataset, Unit, read_build, short_name
from icpc_kg.publish.metadata import (
    Publication,
    PublishedGraph,
    combined_version,
    publication_from_rows,
    publication_graph,
    publication_query,
    publication_triples,
    union_graph,
)
from icpc_kg.publish.plan import diff_counts, line_digests
from icpc_kg.vocab import DEFAULT_BASE, graph_iri

DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024
SWAP_PATIENCE = 12.0  # the swap request may take this many times --timeout
MIN_CHUNK_BYTES = 4 * 1024
GRAPH_STORE = "graph-store"
SPARQL_UPDATE = "sparql-update"


@dataclass(frozen=True)
class PublishOptions:
    store: str
    flavor: str | None = None
    update_endpoint: str | None = None  # set: upload with SPARQL Update there, not the GSP
    graphs: tuple[str, ...] = ()  # graph names (``themes``, ``graph/themes``) or IRIs
    dry_run: bool = False
    timeout: float | None = 300.0
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    base: str = DEFAULT_BASE
    # Keep graph/union, a copy of the union of the live graphs, for ``serve --store`` (see
    # metadata.union_graph). Off by default: it doubles the triples stored, and a store whose
    # default graph is the union of all its graphs would show each triple twice.
    union_graph: bool = False


@dataclass(frozen=True)
class PublishProgress:
    """``step`` is read, plan, upload, check, swap, verify or cleanup; ``done`` of ``total``
    triples for upload, else 0 of 1 at the start and 1 of 1 at the end."""

    step: str
    graph: str
    done: int
    total: int


ProgressCallback = Callable[[PublishProgress], None]


@dataclass
class GraphOutcome:
    """What happened (or, in a dry run, would happen) to one graph."""

    name: str
    action: str  # published | unchanged | removed; dry run: replace | unchanged | remove
    local: int | None  # triples in the build (None: not in the build)
    before: int  # triples in the live graph before
    after: int | None = None  # triples read back by the verification
    added: int | None = None  # dry run: triples the live graph would gain
    removed: int | None = None  # dry run: triples it would lose
    shares_with: tuple[str, ...] = ()  # graphs uploaded with it (shared blank nodes)


@dataclass
class PublishReport:
    endpoints: StoreEndpoints
    transport: str
    dry_run: bool
    version: str  # the version live after the publish (dry run: that would be)
    previous_version: str | None
    graphs: list[GraphOutcome]
    stale_staging: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    swapped: bool = False
    update_endpoint: str = ""

    @property
    def changed(self) -> bool:
        return any(g.action not in ("unchanged",) for g in self.graphs)


class _StepFailed(Exception):
    def __init__(self, step: str, where: str, error: StoreError) -> None:
        super().__init__(str(error))
        self.step, self.where, self.error = step, where, error


@contextmanager
def _step(step: str, where: str) -> Iterator[None]:
    try:
        yield
    except StoreError as error:
        raise _StepFailed(step, where, error) from None


def resolve_endpoints(
    store: str, flavor: str | None, credentials: Credentials, timeout: float | None
) -> StoreEndpoints:
    """The store's endpoints (probing it with GET requests when the flavor is not given)."""
    from urllib.parse import urlsplit

    parts = urlsplit(store)
    get, close = probe_getter(f"{parts.scheme}://{parts.netloc}", credentials, timeout or 10.0)
    try:
        return detect(store, flavor, get, with_credentials=credentials.present)
    finally:
        close()


def _iri_list(names: list[str]) -> str:
    return " ".join(f"<{n}>" for n in names)


def live_counts(client: StoreClient, graphs: list[str]) -> dict[str, int]:
    """The number of triples of each of ``graphs`` in the store (0 when missing)."""
    if not graphs:
        return {}
    rows = client.select(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {_iri_list(graphs)} }} "
        "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    counts = dict.fromkeys(graphs, 0)
    for row in rows:
        if row.get("g") in counts:
            counts[row["g"]] = int(row.get("n", "0"))
    return counts


def read_publication(client: StoreClient, base: str = DEFAULT_BASE) -> Publication | None:
    """graph/publication as the last publish wrote it, or None."""
    return publication_from_rows(client.select(publication_query(publication_graph(base))))


def staging_prefix(base: str = DEFAULT_BASE) -> str:
    return graph_iri("staging/", base)


def named_graphs(client: StoreClient) -> list[str]:
    """Every named graph in the store."""
    pattern = "{}" if client.endpoints.lists_graphs else "{ ?s ?p ?o }"
    rows = client.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}")
    return sorted(row["g"] for row in rows if "g" in row)


def staging_graphs(client: StoreClient, base: str = DEFAULT_BASE) -> list[str]:
    """Staging graphs in the store (left by runs that could not clean up)."""
    prefix = staging_prefix(base)
    return [g for g in named_graphs(client) if g.startswith(prefix)]


class Publisher:
    """One publish run against one store."""

    def __init__(
        self,
        local: LocalDataset,
        client: StoreClient,
        options: PublishOptions,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.local = local
        self.client = client
        self.options = options
        self.progress = progress or (lambda event: None)
        self.transport = SPARQL_UPDATE if options.update_endpoint else GRAPH_STORE
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)
        self.max_bytes = max(options.chunk_bytes, MIN_CHUNK_BYTES)
        self.publication_graph = publication_graph(options.base)
        self.union_graph = union_graph(options.base)
        self.staged: list[str] = []
        self.timings: dict[str, float] = {}

    # -- planning ---------------------------------------------------------------------------

    def staging_iri(self, graph: str) -> str:
        graph_base = graph_iri("", self.options.base)
        local = graph[len(graph_base) :] if graph.startswith(graph_base) else None
        if not local:
            local = hashlib.sha256(graph.encode("utf-8")).hexdigest()[:16]
        return f"{staging_prefix(self.options.base)}{self.run_id}/{local}"

    def chosen_units(self, units: list[Unit]) -> list[Unit]:
        if not self.options.graphs:
            return units
        by_name = {short_name(g): g for g in self.local.graphs}
        by_name.update({short_name(g).removeprefix("graph/"): g for g in self.local.graphs})
        wanted: set[str] = set()
        for name in self.options.graphs:
            iri = name if name in self.local.graphs else by_name.get(name)
            if iri is None:
                raise UnknownChoiceError(
                    "graph", name, sorted(short_name(g) for g in self.local.graphs), "in the build"
                )
            wanted.add(iri)
        return [u for u in units if wanted & set(u.graphs)]

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> PublishReport:
        endpoints = self.client.endpoints
        started = time.perf_counter()
        units = self.local.units(split_shared=not endpoints.shared_blank_nodes)
        chosen = self.chosen_units(units)
        with _step("plan", "the store"):
            previous = read_publication(self.client, self.options.base)
            known = sorted(set(self.local.graphs) | (set(previous.graphs) if previous else set()))
            before = live_counts(self.client, known)
            in_store = named_graphs(self.client)
            prefix = staging_prefix(self.options.base)
            stale = [g for g in in_store if g.startswith(prefix)]
            has_union = self.union_graph in in_store
        self.timings["plan"] = time.perf_counter() - started

        changed: list[Unit] = []
        outcomes: list[GraphOutcome] = []
        for unit in chosen:
            same = previous is not None and all(
                self._unchanged(name, previous, before) for name in unit.graphs
            )
            if not same:
                changed.append(unit)
            for name in unit.graphs:
                outcomes.append(
                    GraphOutcome(
                        name,
                        "unchanged" if same else "published",
                        self.local.graphs[name].triples,
                        before.get(name, 0),
                        shares_with=tuple(g for g in unit.graphs if g != name),
                    )
                )
        removed = []
        if previous is not None and not self.options.graphs:
            removed = sorted(g for g in previous.graphs if g not in self.local.graphs)
            outcomes += [GraphOutcome(g, "removed", None, before.get(g, 0)) for g in removed]
        live = self._live_after(previous, chosen)
        version = (
            self.local.version
            if set(live) == set(self.local.graphs)
            and all(live[g].digest == self.local.graphs[g].digest for g in live)
            else combined_version(live)
        )
        report = PublishReport(
            endpoints,
            self.transport,
            self.options.dry_run,
            version,
            previous.version if previous else None,
            sorted(outcomes, key=lambda o: o.name),
            stale,
            update_endpoint=self.options.update_endpoint or endpoints.update,
        )
        if not endpoints.shared_blank_nodes and self.local.components:
            shared = sum(1 for c in self.local.components if len(c.graphs) > 1)
            if shared:
                report.notes.append(
                    f"{endpoints.flavor} cannot insert one blank node into two graphs in one "
                    f"request: {shared} groups of blank nodes shared between graphs are "
                    "published as separate nodes in each graph"
                )
        if self.options.dry_run:
            self._dry_run(report)
            report.timings = {**self.timings, "total": time.perf_counter() - started}
            return report
        nothing_to_do = (
            not changed
            and not removed
            and not stale
            and previous is not None
            and previous.version == version
            and has_union == self.options.union_graph
        )
        if nothing_to_do:
            for outcome in report.graphs:
                outcome.after = outcome.before  # read by the plan, in this run
            report.timings = {**self.timings, "total": time.perf_counter() - started}
            return report
        try:
            if stale:
                with self._timer("cleanup"):
                    self._drop(stale, "cleanup", "stale staging graphs")
            for unit in changed:
                with self._timer("upload"):
                    self._upload(unit)
            with self._timer("swap"):
                self._swap(changed, removed, live, version)
        except _StepFailed as failure:
            raise self._failed(failure) from None
        report.swapped = True
        with self._timer("verify"):
            self._verify(report, live)
        report.timings = {**self.timings, "total": time.perf_counter() - started}
        return report

    @contextmanager
    def _timer(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - started

    def _unchanged(self, name: str, previous: Publication, before: dict[str, int]) -> bool:
        recorded = previous.graphs.get(name)
        local = self.local.graphs[name]
        return (
            recorded is not None
            and recorded.digest == local.digest
            and recorded.triples == local.triples
            and before.get(name) == local.triples
        )

    def _live_after(
        self, previous: Publication | None, chosen: list[Unit]
    ) -> dict[str, PublishedGraph]:
        """graph/publication's entries once the swap is done: every chosen graph as built;
        with ``--graph``, the other entries of the last publish as they were."""
        live: dict[str, PublishedGraph] = {}
        if previous is not None:
            live.update(previous.graphs)
            if not self.options.graphs:
                live = {g: e for g, e in live.items() if g in self.local.graphs}
        for unit in chosen:
            for name in unit.graphs:
                local = self.local.graphs[name]
                live[name] = PublishedGraph(name, local.triples, local.digest)
        return live

    # -- dry run ----------------------------------------------------------------------------

    def _dry_run(self, report: PublishReport) -> None:
        via_gsp = self.transport == GRAPH_STORE
        for outcome in report.graphs:
            self.progress(PublishProgress("plan", short_name(outcome.name), 0, 1))
            with _step("plan", short_name(outcome.name)):
                live = line_digests(self.client.graph_triples(outcome.name, via_gsp))
            if outcome.name in self.local.graphs:
                local = line_digests(self.local.triples_of(outcome.name))
            else:
                local = line_digests(())
            outcome.added, outcome.removed = diff_counts(local, live)
            if outcome.action == "published":
                outcome.action = "replace"
            elif outcome.action == "removed":
                outcome.action = "remove"
            self.progress(PublishProgress("plan", short_name(outcome.name), 1, 1))

    # -- upload, check, swap, verify --------------------------------------------------------

    def _upload(self, unit: Unit) -> None:
        staging = {name: self.staging_iri(name) for name in unit.graphs}
        self.staged += list(staging.values())
        total = sum(self.local.graphs[name].triples for name in unit.graphs)
        done = 0
        self.progress(PublishProgress("upload", unit.label, 0, total))
        with _step("upload", unit.label):
            for chunk in self.local.chunks(unit, lambda: self.max_bytes):
                self._send(chunk, staging)
                done += chunk.triples
                self.progress(PublishProgress("upload", unit.label, done, total))
        for name in unit.graphs:
            with _step("check", short_name(name)):
                self.progress(PublishProgress("check", short_name(name), 0, 1))
                count = live_counts(self.client, [staging[name]])[staging[name]]
                expected = self.local.graphs[name].triples
                if count != expected:
                    raise StoreError(
                        f"the staging graph holds {count} triples, expected {expected} "
                        "(the store lost or duplicated some of the upload)"
                    )
                self.progress(PublishProgress("check", short_name(name), 1, 1))

    def _send(self, chunk: Chunk, staging: dict[str, str]) -> None:
        """One request for ``chunk``; after an HTTP 413, halve the chunk size and send the
        two halves (the store refused the request, so nothing of it was applied)."""
        try:
            graphs = chunk.graphs
            if self.transport == GRAPH_STORE and len(graphs) == 1:
                (graph,) = graphs
                body = "".join(line for atom in chunk.atoms for _, line in atom)
                self.client.post_graph(staging[graph], body.encode("utf-8"))
            else:
                self.client.update(_insert(chunk, staging), endpoint=self.options.update_endpoint)
        except StorePayloadTooLargeError as error:
            size = chunk.size
            if len(chunk.atoms) == 1 or size <= MIN_CHUNK_BYTES:
                what = (
                    f"{chunk.triples} triples linked by blank nodes"
                    if chunk.blank and len(chunk.atoms) == 1
                    else f"{chunk.triples} triples"
                )
                raise StorePayloadTooLargeError(
                    f"{error}; even {what} ({size} bytes) in one request is too much; raise "
                    "the store's (or its proxy's) request size limit"
                ) from None
            self.max_bytes = max(min(self.max_bytes, size) // 2, MIN_CHUNK_BYTES)
            middle = len(chunk.atoms) // 2
            self._send(Chunk(chunk.atoms[:middle], chunk.blank), staging)
            self._send(Chunk(chunk.atoms[middle:], chunk.blank), staging)

    def _swap(
        self,
        changed: list[Unit],
        removed: list[str],
        live: dict[str, PublishedGraph],
        version: str,
    ) -> None:
        changed_names = [name for unit in changed for name in unit.graphs]
        operations = [f"MOVE <{self.staging_iri(name)}> TO <{name}>" for name in changed_names]
        operations += [f"DROP SILENT GRAPH <{name}>" for name in removed]
        operations.append(f"DROP SILENT GRAPH <{self.union_graph}>")
        if self.options.union_graph:
            operations += [f"ADD <{name}> TO <{self.union_graph}>" for name in sorted(live)]
        publication = Publication(version, _now(), f"icpc-kg {__version__}", live)
        graph = self.publication_graph
        operations += [
            f"DROP SILENT GRAPH <{graph}>",
            f"INSERT DATA {{ GRAPH <{graph}> {{\n{publication_triples(publication, graph)}}} }}",
        ]
        self.progress(PublishProgress("swap", "", 0, 1))
        with _step("swap", f"{len(changed_names) + len(removed)} graphs"):
            # One request holds the whole publish; Oxigraph copies every triple in it (a
            # 1M-triple swap took 3-6 minutes on 2 busy cores), so it gets longer than others.
            self.client.update(
                " ;\n".join(operations),
                endpoint=self.options.update_endpoint,
                patience=SWAP_PATIENCE,
            )
        self.staged = []
        self.progress(PublishProgress("swap", "", 1, 1))

    def _verify(self, report: PublishReport, live: dict[str, PublishedGraph]) -> None:
        self.progress(PublishProgress("verify", "", 0, 1))
        names = [o.name for o in report.graphs]
        try:
            counts = live_counts(self.client, names)
        except StoreError as error:
            raise type(error)(
                f"verify: could not read the counts back after the swap: {error} (the "
                "publish itself is done; query the store to check it)"
            ) from None
        wrong = []
        for outcome in report.graphs:
            outcome.after = counts.get(outcome.name, 0)
            expected = 0 if outcome.action == "removed" else outcome.local
            if outcome.after != expected:
                name = short_name(outcome.name)
                wrong.append(f"{name} holds {outcome.after}, expected {expected}")
        self.progress(PublishProgress("verify", "", 1, 1))
        if wrong:
            raise StoreError(
                "verify: the store's counts differ from the build after the swap: "
                + "; ".join(wrong)
                + " (something else wrote to these graphs; publish again)"
            )

    def _drop(self, graphs: list[str], step: str, where: str) -> None:
        with _step(step, where):
            self.client.update(
                " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs),
                endpoint=self.options.update_endpoint,
            )

    def _failed(self, failure: _StepFailed) -> StoreError:
        """The error to raise for a failed step, after removing this run's staging graphs."""
        if failure.step == "swap":
            if self.client.endpoints.atomic_requests:
                state = (
                    "the store runs the swap as one transaction, so either every graph was "
                    "replaced or none was; run icpc-kg publish again to be sure"
                )
            else:
                state = (
                    f"{self.client.endpoints.flavor} commits each operation of the swap on its "
                    "own, so some graphs may have been replaced; run icpc-kg publish again"
                )
        else:
            state = "the live graphs are unchanged (nothing was swapped)"
        cleanup = ""
        if self.staged:
            self.progress(PublishProgress("cleanup", "", 0, 1))
            try:
                self._drop(self.staged, "cleanup", "staging graphs")
                cleanup = "; this run's staging graphs were removed"
            except _StepFailed as error:
                cleanup = (
                    f"; this run's staging graphs could not be removed ({error.error}); the "
                    "next publish removes them"
                )
        message = f"{failure.where}: {failure.step} failed: {failure.error}; {state}{cleanup}"
        return type(failure.error)(message)


def _insert(chunk: Chunk, staging: dict[str, str]) -> str:
    """INSERT DATA for triples without blank nodes; INSERT … WHERE {} otherwise, which every
    store accepts with blank nodes (Virtuoso refuses them in INSERT DATA), one fresh node per
    label for the whole request, across GRAPH blocks."""
    by_graph: dict[str, list[str]] = {}
    for atom in chunk.atoms:
        for graph, line in atom:
            by_graph.setdefault(graph, []).append(line)
    blocks = "".join(
        f"GRAPH <{staging[graph]}> {{\n{''.join(lines)}}}\n" for graph, lines in by_graph.items()
    )
    if chunk.blank:
        return f"INSERT {{\n{blocks}}} WHERE {{}}"
    return f"INSERT DATA {{\n{blocks}}}"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def publish(
    out_dir: Path,
    options: PublishOptions,
    progress: ProgressCallback | None = None,
    version: str | None = None,
    credentials: Credentials | None = None,
) -> PublishReport:
    """Publish the build in ``out_dir`` (dist/) into ``options.store``; see the module doc."""
    creds = credentials if credentials is not None else Credentials.from_env()
    endpoints = resolve_endpoints(options.store, options.flavor, creds, options.timeout)
    report_progress = progress or (lambda event: None)
    report_progress(PublishProgress("read", "", 0, 1))
    with read_build(out_dir, version) as local:
        report_progress(PublishProgress("read", "", 1, 1))
        with StoreClient(endpoints, creds, options.timeout) as client:
            publisher = Publisher(local, client, options, progress)
            try:
                return publisher.run()
            except _StepFailed as failure:  # plan and dry-run failures: nothing was written
                error = failure.error
                raise type(error)(f"{failure.where}: {failure.step} failed: {error}") from None


def read_published_version(
    store: StoreClient | StoreEndpoints | str,
    base: str = DEFAULT_BASE,
    credentials: Credentials | None = None,
    timeout: float | None = 30.0,
) -> str | None:
    """The version graph/publication records (the sha256 of the published dist/dataset.nq,
    the graph version ``icpc-kg serve`` puts in its ETags), or None when nothing was
    published. ``store`` is a client, endpoints, or a SPARQL query endpoint URL."""
    if isinstance(store, StoreClient):
        publication = read_publication(store, base)
    else:
        endpoints = (
            store
            if isinstance(store, StoreEndpoints)
            else StoreEndpoints("generic", store, store, store, "the URL")
        )
        creds = credentials if credentials is not None else Credentials.from_env()
        with StoreClient(endpoints, creds, timeout) as client:
            publication = read_publication(client, base)
    return publication.version if publication else None


__all__ = [
    "GraphOutcome",
    "PublishOptions",
    "PublishProgress",
    "PublishReport",
    "publish",
    "read_published_version",
]
