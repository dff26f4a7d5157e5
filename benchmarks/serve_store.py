"""Serve-from-store benchmark: ``icpc-kg serve --store`` over an Oxigraph server, side by side
with ``icpc-kg serve`` on the embedded store, on the same project.

    python benchmarks/serve_store.py [--sizes bundled,100000] [--duration 10] [--connections 50]
                                     [--rounds 3] [--samples 30] [--work benchmarks/out]
                                     [--json FILE]

For each size (the bundled graph; synthetic projects from ``benchmarks/generate.py``, kept in
``--work`` as ``project-N`` and shared with the other scripts):

1. start ``oxigraph serve`` (the binary beside this Python; read-write, no
   ``--union-default-graph``) over an empty store in ``--work``/serve-store/oxigraph-NAME;
2. ``icpc-kg --project P publish --store URL`` into it (building P first when its build is
   missing or stale);
3. start ``icpc-kg --project P serve`` (embedded: two query workers, each holding the dataset)
   and ``icpc-kg --project P serve --store URL`` on free loopback ports.

Then, for both servers:

    IRI lookup, cached    GET /id/... of one IRI as Turtle and as HTML: a cache hit after the
                          first request. ``wrk`` with ``--connections`` clients for
                          ``--duration`` s, the servers taking turns for ``--rounds`` rounds
                          (each run starting once both servers and Oxigraph are idle); median
                          req/s, p50 and p99.
    IRI lookup, cold      a different IRI per request (``--samples`` of them), Turtle and HTML
                          (HTML runs two queries: the description and the schema.org view).
    named query           /api/queries/events-by-year with a year not asked before.
    SPARQL GROUP BY       the count per class through /sparql (never cached).

The single-client figures are sequential requests, the servers taking turns request by
request; each gives the median latency and the CPU time per request of the server's process
tree (and of the Oxigraph server for ``--store``), which depends far less than latency on what
else the machine is doing. Then the resident memory of each server tree and of Oxigraph.

Last, where a ``--store`` request's time goes: the query of a cold Turtle lookup (the
description CONSTRUCT), of the named query and the GROUP BY, asked in six ways (``WAYS``), from
the engine alone in this process to :class:`icpc_kg.store.RemoteStore` as the server calls it;
one of them replaces the list of served graphs by Oxigraph's own ``union-default-graph``
request parameter (which also takes in graph/publication, so it is not what serve --store
could send as is). Medians over ``--samples`` IRIs for the lookup, over
``--samples`` / 6 (at least 3) for the other two. Figures only: nothing is asserted about
speed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402
from rdflib.compare import isomorphic  # noqa: E402

from benchmarks.serve import (  # noqa: E402
    BASE,
    GROUP_BY,
    JSON,
    TURTLE,
    Figures,
    Server,
    Target,
    alternating,
    cpu_ticks,
    icpc_server,
    median_ms,
    pick_iris,
    settle,
    sparql_path,
    synthetic_project,
    timed_ms,
    tree_rss_mib,
)
from icpc_kg.catalog import bind_parameters, load_catalog  # noqa: E402
from icpc_kg.executor import QueryRequest  # noqa: E402
from icpc_kg.publish import Credentials, resolve_endpoints  # noqa: E402
from icpc_kg.publish.client import StoreClient  # noqa: E402
from icpc_kg.server.linked_data import description_query  # noqa: E402
from icpc_kg.server.remote import read_store_state  # noqa: E402
from icpc_kg.store import RemoteStore  # noqa: E402
from tests.support.oxigraph_server import running_oxigraph  # noqa: E402

HTML = "text/html"
NTRIPLES = "application/n-triples"
EXAMPLE = BASE + "id/event/policing-for-prevention-1998-montreal"
FIRST_YEAR = 1993  # events-by-year: years from here on, one per request (events exist from 1994)
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


Ask = Callable[[str, str], object]  # (query, Accept) -> anything


@dataclass(frozen=True)
class Side:
    """One server under test and the processes whose CPU time it costs."""

    server: Server
    cpu_pids: tuple[int, ...]


@dataclass
class Single:
    """Sequential requests, one client: median latency and CPU time per request."""

    ms: float
    cpu_ms: float


@dataclass
class Size:
    name: str
    quads: int = 0
    graphs: int = 0
    publish_s: float = 0.0
    same_description: bool = False
    load: dict[str, tuple[Figures, Figures]] = field(default_factory=dict)
    single: dict[str, tuple[Single, Single]] = field(default_factory=dict)
    rss_embedded_mib: float = 0.0
    rss_store_mib: float = 0.0
    rss_oxigraph_mib: float = 0.0
    breakdown: Breakdown | None = None


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------


def one_by_one(sides: Sequence[Side], paths: Sequence[str], accept: str) -> list[Single]:
    """Each path asked of every side once, the sides taking turns request by request."""
    times: list[list[float]] = [[] for _ in sides]
    ticks = [0 for _ in sides]
    for path in paths:
        for index, side in enumerate(sides):
            before = sum(cpu_ticks(pid) for pid in side.cpu_pids)
            times[index].append(timed_ms(side.server.url + path, accept))
            ticks[index] += sum(cpu_ticks(pid) for pid in side.cpu_pids) - before
    return [
        Single(median_ms(t), k * TICK_MS / len(paths)) for t, k in zip(times, ticks, strict=True)
    ]


def local_path(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


def fetch(url: str, accept: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=120) as response:
        return bytes(response.read())


def median_call_ms(call: Ask, queries: Sequence[str], accept: str) -> float:
    times = []
    for query in queries:
        started = time.perf_counter()
        call(query, accept)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def form_body(query: str, graphs: Sequence[str], union: bool = False) -> bytes:
    """A query POSTed as a form, with ``graphs`` as its dataset (as RemoteStore sends it), or
    with Oxigraph's ``union-default-graph`` parameter instead."""
    fields = [("query", query)]
    fields += [("default-graph-uri", g) for g in graphs]
    fields += [("named-graph-uri", g) for g in graphs]
    if union:
        fields.append(("union-default-graph", ""))
    return urllib.parse.urlencode(fields).encode("ascii")


def drain(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> int:
    assert not isinstance(result, ox.QueryBoolean)
    return sum(1 for _ in result)


class KeptAlive:
    """Queries POSTed as forms on one kept-alive connection to a SPARQL endpoint."""

    def __init__(self, endpoint: str) -> None:
        parts = urllib.parse.urlsplit(endpoint)
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)

    def ask(self, body: bytes, accept: str) -> bytes:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        self.connection.request("POST", self.path, body, headers)
        response = self.connection.getresponse()
        answer = response.read()
        if response.status != 200:
            raise SystemExit(f"{response.status} from {self.path}: {answer[:300]!r}")
        return answer


def new_connection(endpoint: str, body: bytes, accept: str) -> bytes:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    request = urllib.request.Request(endpoint, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=600) as response:
        return bytes(response.read())


WAYS = {
    "engine, union": "pyoxigraph in this process, union default graph (as the embedded workers)",
    "engine, listed": "pyoxigraph in this process, the served graphs listed as the dataset",
    "server, union": "the Oxigraph server, union-default-graph parameter, kept-alive connection",
    "server, listed": "the Oxigraph server, the served graphs listed, kept-alive connection",
    "server, listed, new connection": "... the same, a new connection per query (urllib)",
    "RemoteStore.run": "RemoteStore.run, as serve --store calls it (SPARQLWrapper, parsing)",
}


@dataclass
class Breakdown:
    """Median ms of queries asked in each of ``WAYS``, per kind of query."""

    times: dict[str, dict[str, float]]  # query kind -> way -> ms
    samples: dict[str, int]
    request_bytes: int  # a description query as serve --store sends it
    graphs: int


def breakdown(store_url: str, dataset: Path, iris: Sequence[str], samples: int) -> Breakdown:
    """Where the time of a ``--store`` request goes: the queries of a cold Turtle lookup, of a
    named query with fresh parameters and of the GROUP BY, asked in each of ``WAYS``."""
    endpoints = resolve_endpoints(store_url, "oxigraph", Credentials(), 600)
    with StoreClient(endpoints, Credentials(), 600) as client:
        state = read_store_state(client, BASE)
    graphs = state.graphs
    named_query = load_catalog(REPO / "queries")["events-by-year"]
    few = max(3, samples // 6)  # the slow queries: fewer samples
    kinds: dict[str, tuple[list[str], str]] = {
        "cold lookup": (
            [description_query(iri, BASE + "graph/inferred") for iri in iris[:samples]],
            NTRIPLES,
        ),
        "named query": (
            [
                bind_parameters(named_query, {"year": str(year)})
                for year in range(FIRST_YEAR, FIRST_YEAR + few)
            ],
            JSON,
        ),
        "GROUP BY": ([GROUP_BY] * few, JSON),
    }
    engine = ox.Store()
    engine.bulk_load(path=dataset, format=ox.RdfFormat.N_QUADS)
    named: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(g) for g in graphs]
    defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(named)
    remote = RemoteStore(endpoints.query, graphs, state.union_graph)  # as serve --store
    published = KeptAlive(endpoints.query)
    times: dict[str, dict[str, float]] = {}
    try:
        ways: dict[str, Ask] = {
            "engine, union": lambda q, a: drain(engine.query(q, use_default_graph_as_union=True)),
            "engine, listed": lambda q, a: drain(
                engine.query(q, default_graph=defaults, named_graphs=named)
            ),
            "server, union": lambda q, a: published.ask(form_body(q, (), union=True), a),
            "server, listed": lambda q, a: published.ask(form_body(q, graphs), a),
            "server, listed, new connection": lambda q, a: new_connection(
                endpoints.query, form_body(q, graphs), a
            ),
            "RemoteStore.run": lambda q, a: remote.run(QueryRequest(q, base_iri=BASE), None),
        }
        for kind, (queries, accept) in kinds.items():
            times[kind] = {}
            for way, call in ways.items():
                call(queries[0], accept)  # warm-up
                times[kind][way] = median_call_ms(call, queries, accept)
            print(f"  breakdown, {kind}: " + ", ".join(f"{ms:.1f}" for ms in times[kind].values()))
    finally:
        published.connection.close()
    request_bytes = len(form_body(kinds["cold lookup"][0][0], graphs))
    counts = {kind: len(queries) for kind, (queries, _) in kinds.items()}
    return Breakdown(times, counts, request_bytes, len(graphs))


# --------------------------------------------------------------------------------------------
# One size
# --------------------------------------------------------------------------------------------


def publish(project: Path, store_url: str, log: Path, union_graph: bool = False) -> float:
    command = [sys.executable, "-m", "icpc_kg", "--project", str(project), "publish"]
    if union_graph:
        command.append("--union-graph")
    started = time.monotonic()
    with open(log, "wb") as sink:
        done = subprocess.run(
            [*command, "--store", store_url], stdout=sink, stderr=subprocess.STDOUT, cwd=REPO
        )
    if done.returncode != 0:
        raise SystemExit(f"publish failed ({done.returncode}); see {log}")
    return time.monotonic() - started


def run_size(name: str, project: Path, work: Path, args: argparse.Namespace) -> Size:
    size = Size(name)
    load = os.getloadavg()[0]
    print(f"\n== {name} ({project}); load average {load:.1f} on {os.cpu_count()} CPUs", flush=True)
    location = work / f"oxigraph-{name}"
    shutil.rmtree(location, ignore_errors=True)
    with running_oxigraph(location, union_default_graph=False) as oxigraph:
        size.publish_s = publish(
            project, oxigraph.base_url, work / f"publish-{name}.log", args.union_graph
        )
        print(f"  published in {size.publish_s:.1f} s (a build included when stale)", flush=True)
        with (
            icpc_server(project, work / f"serve-{name}.log") as (embedded_process, embedded),
            icpc_server(
                project, work / f"serve-store-{name}.log", ("--store", oxigraph.base_url)
            ) as (store_process, store),
        ):
            ox_pid = oxigraph.process.pid
            sides = (
                Side(Server(embedded, embedded_process.pid), (embedded_process.pid,)),
                Side(Server(store, store_process.pid), (store_process.pid, ox_pid)),
            )
            example, *others = lookup_iris(embedded, 3 * args.samples)
            measure_size(size, sides, ox_pid, example, others[: 2 * args.samples], args)
            size.rss_embedded_mib = tree_rss_mib(embedded_process.pid)
            size.rss_store_mib = tree_rss_mib(store_process.pid)
            size.rss_oxigraph_mib = tree_rss_mib(ox_pid)
            dataset = project / "dist" / "dataset.nq"
            with open(dataset, "rb") as lines:
                size.quads = sum(1 for _ in lines)
            size.breakdown = breakdown(
                oxigraph.base_url, dataset, others[2 * args.samples :], args.samples
            )
            size.graphs = size.breakdown.graphs
    print_size(size, args)
    return size


def lookup_iris(url: str, count: int) -> list[str]:
    """The IRI of the cached lookups (the event benchmarks/serve.py uses), then ``count`` other
    resources under id/ (events, people, organisations, passages...) spread evenly over the
    sorted list, so the same IRIs come back on every run."""
    query = (
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }} '
        "ORDER BY ?s"
    )
    request = urllib.request.Request(url + sparql_path(query), headers={"Accept": JSON})
    with urllib.request.urlopen(request, timeout=120) as response:
        resources = [row["s"]["value"] for row in json.load(response)["results"]["bindings"]]
    events = pick_iris(url, 100_000)
    example = EXAMPLE if EXAMPLE in events else events[len(events) // 2]
    others = [i for i in resources if i != example]
    if len(others) < count:
        raise SystemExit(f"{url} has {len(others) + 1} resources; ask for fewer --samples")
    return [example, *(others[i * len(others) // count] for i in range(count))]


def measure_size(
    size: Size,
    sides: Sequence[Side],
    ox_pid: int,
    example: str,
    cold_iris: Sequence[str],
    args: argparse.Namespace,
) -> None:
    embedded, store = (side.server for side in sides)
    path = local_path(example)
    # Triple order and blank node labels may differ between stores: compare graphs.
    described = [
        rdflib.Graph().parse(data=fetch(server.url + path, TURTLE), format="turtle")
        for server in (embedded, store)
    ]
    size.same_description = isomorphic(*described)
    for server in (embedded, store):
        fetch(server.url + path, HTML)
    for label, accept in (("Turtle", TURTLE), ("HTML", HTML)):
        targets = [Target(embedded, path), Target(store, path)]
        first, second = alternating(targets, accept, args, idle=(ox_pid,))
        size.load[f"IRI lookup ({label}), cached"] = (first, second)
        print(
            f"  IRI lookup ({label}), cached: {first.rps:.0f} | {second.rps:.0f} req/s", flush=True
        )
    for pid in (embedded.pid, store.pid, ox_pid):
        settle(pid)
    cold = [local_path(i) for i in cold_iris]
    years = range(FIRST_YEAR, FIRST_YEAR + args.samples)
    named = [f"/api/queries/events-by-year?year={year}" for year in years]
    one_by_one(sides, [sparql_path(GROUP_BY)], JSON)  # warm-up
    singles = {
        "IRI lookup (Turtle), cold": (cold[: args.samples], TURTLE),
        "IRI lookup (HTML), cold": (cold[args.samples :], HTML),
        "named query, fresh parameters": (named, JSON),
        "SPARQL GROUP BY": ([sparql_path(GROUP_BY)] * args.samples, JSON),
    }
    for scenario, (paths, accept) in singles.items():
        first_single, second_single = one_by_one(sides, paths, accept)
        size.single[scenario] = (first_single, second_single)
        print(f"  {scenario}: {first_single.ms:.1f} | {second_single.ms:.1f} ms", flush=True)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def ratio(store: float, embedded: float) -> str:
    return f"{store / embedded:5.2f}x" if embedded else "    -"


def print_size(size: Size, args: argparse.Namespace) -> None:
    print(
        f"\n  {size.name}: {size.quads:,} quads in {size.graphs} served graphs; published in "
        f"{size.publish_s:.1f} s; the same description from both servers: "
        f"{'yes' if size.same_description else 'NO'}"
    )
    print(f"  {'':40} {'embedded':>36} {'--store':>36}  store/embedded")
    for scenario, (embedded, store) in size.load.items():

        def cell(f: Figures) -> str:
            errors = f" ({f.errors} err)" if f.errors else ""
            return f"{f.rps:6.0f}/s p50 {f.p50_ms:5.1f} p99 {f.p99_ms:6.1f} ms{errors}"

        label = f"{scenario}, {args.connections} clients"
        print(
            f"  {label:40} {cell(embedded):>36} {cell(store):>36}  {ratio(store.rps, embedded.rps)}"
        )
    for scenario, (embedded_single, store_single) in size.single.items():

        def single(s: Single) -> str:
            return f"{s.ms:6.1f} ms (CPU {s.cpu_ms:5.1f} ms)"

        label = f"{scenario}, 1 client"
        ratios = (
            f"{ratio(store_single.ms, embedded_single.ms)} "
            f"(CPU {ratio(store_single.cpu_ms, embedded_single.cpu_ms).strip()})"
        )
        print(f"  {label:40} {single(embedded_single):>36} {single(store_single):>36}  {ratios}")
    store_total = size.rss_store_mib + size.rss_oxigraph_mib
    memory = f"{size.rss_store_mib:.0f} + Oxigraph {size.rss_oxigraph_mib:.0f} MiB"
    embedded_memory = f"{size.rss_embedded_mib:.0f} MiB"
    print(
        f"  {'resident memory (server tree)':40} {embedded_memory:>36} {memory:>36}  "
        f"{ratio(store_total, size.rss_embedded_mib)}"
    )
    if size.breakdown is not None:
        print_breakdown(size.breakdown)
    print(
        "  (CPU: the server's process tree, for --store plus the Oxigraph server, per request; "
        f"resolution {TICK_MS:.0f} ms over {args.samples} requests)",
        flush=True,
    )


def print_breakdown(breakdown: Breakdown) -> None:
    kinds = list(breakdown.times)
    print(
        f"  where a --store request's query time goes (median ms; {breakdown.graphs} graphs "
        f"listed: a description query request is {breakdown.request_bytes:,} bytes)"
    )
    header = "".join(f"{f'{k} ({breakdown.samples[k]})':>20}" for k in kinds)
    print(f"    {'':72}{header}")
    for way, text in WAYS.items():
        cells = "".join(f"{breakdown.times[k][way]:20.2f}" for k in kinds)
        print(f"    {text:72}{cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,100000")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=30, help="requests per 1-client figure")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--union-graph",
        action="store_true",
        help="publish with --union-graph (serve --store then queries graph/union)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    work = args.work.resolve() / "serve-store"
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs; {args.connections} connections, {args.duration} s per run, "
          f"{args.rounds} rounds alternating embedded and --store; medians below")  # fmt: skip
    sizes = []
    for name in args.sizes.split(","):
        project = REPO if name == "bundled" else synthetic_project(args.work.resolve(), int(name))
        sizes.append(run_size(name, project, work, args))
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in sizes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
