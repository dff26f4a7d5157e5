"""Serve benchmark: ``icpc-kg serve`` side by side with the Oxigraph server on the same data.

    python benchmarks/serve.py [--sizes bundled,100000] [--duration 10] [--connections 50]
                               [--rounds 3] [--work benchmarks/out] [--json FILE]

For each dataset (the bundled graph; synthetic projects from ``benchmarks/generate.py``):

1. start ``icpc-kg serve`` on a free loopback port (default settings: 2 query workers);
2. download the N-Quads dump it serves, load it into an Oxigraph store and start
   ``oxigraph serve-read-only --union-default-graph`` on another loopback port, so both
   answer over exactly the same quads;
3. drive both with ``wrk`` (Debian package ``wrk``) — ``--connections`` concurrent clients for
   ``--duration`` seconds per run, the two servers alternating for ``--rounds`` rounds — and
   report the median requests per second and the median p50/p99 latencies.

Scenarios (ours | Oxigraph answering the equivalent SPARQL):

    IRI lookup (Turtle)     GET /id/event/...  (Turtle)  | DESCRIBE <iri>   (Turtle)
    IRI lookup, full desc.  same                         | the CONSTRUCT icpc-kg runs to
                                                           describe the IRI
    IRI lookup, cold        a different IRI per request  | DESCRIBE of that IRI
    named query (API)       GET /api/queries/events-by-year?year=1998 | the bound SPARQL
    SPARQL GROUP BY         /sparql (runs in a worker)   | /query

icpc-kg caches rendered answers per graph version, so the repeated lookups and API calls above
are cache hits after the first; two single-client figures show the uncached path: a named query
called with parameters nobody asked before, and the GROUP BY (never cached: /sparql always runs
the query), each the median of sequential requests. Last, the resident memory of each server
with its child processes after the runs.

Targets (ratios in one run): IRI lookup (Turtle) and named query >= 0.5x Oxigraph's req/s;
p99 < 50 ms with 50 clients on the bundled graph; GROUP BY on 100k within 1.5x Oxigraph's
latency; icpc-kg's resident memory (server + workers) < 500 MB serving 100k.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate_project  # noqa: E402
from icpc_kg.catalog import bind_parameters, load_catalog  # noqa: E402
from icpc_kg.server.linked_data import description_query  # noqa: E402
from tests.support.oxigraph_server import free_port  # noqa: E402

BASE = "https://w3id.org/icpc-kg/"
GROUP_BY = (
    "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type"
)
TURTLE = "text/turtle"
JSON = "application/sparql-results+json"


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} ({url})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


@contextmanager
def icpc_server(
    project: Path, log: Path, options: Sequence[str] = ()
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``icpc-kg serve`` (with ``options``) on a free loopback port, its output in ``log``."""
    port = free_port()
    command = [
        sys.executable, "-m", "icpc_kg", "--project", str(project), "serve", "--port", str(port),
        *options,
    ]  # fmt: skip
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        wait_until_up(f"{url}/sparql?query=ASK%7B%7D", process)
        name = " ".join(["icpc-kg serve", *options])
        print(f"  {name} up in {time.monotonic() - started:.1f} s", flush=True)
        yield process, url
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def oxigraph_server(nquads: Path, work: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    binary = shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("the oxigraph binary is missing: pip install oxigraph")
    location = work / "oxigraph-db"
    shutil.rmtree(location, ignore_errors=True)
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(nquads)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/query?query=ASK%7B%7D", process)
        yield process, url
    finally:
        process.terminate()
        process.wait(timeout=30)


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_ticks(pid: int) -> int:
    total = 0
    for process in descendants(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def settle(pid: int, limit: float = 120.0) -> None:
    """Wait until a server has finished the work a load run left queued (a slow server keeps
    answering after wrk stops; that must not eat into the next server's run)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_ticks(pid)
        time.sleep(0.5)
        if cpu_ticks(pid) - before <= 2:
            return


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    total = 0
    for process in descendants(pid):
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# --------------------------------------------------------------------------------------------
# Load generation
# --------------------------------------------------------------------------------------------

PATHS_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local counter = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  counter = math.floor(offset * #paths / 2)
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@dataclass(frozen=True)
class Target:
    """One side of a load run: a server and the path to ask it (or a file of paths, one
    request each, in turn)."""

    server: Server
    path: str
    paths: Path | None = None


def _ms(value: str) -> float:
    """``12.5ms`` / ``830.00us`` / ``1.20s`` in milliseconds (NaN when wrk printed none)."""
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _after(label: str, text: str) -> str:
    """The word after ``label`` at the start of a line of wrk's report."""
    match = re.search(r"^\s*" + re.escape(label) + r"\s+(\S+)", text, re.MULTILINE)
    return match.group(1) if match else ""


def wrk(url: str, accept: str, connections: int, duration: int, paths: Path | None) -> Figures:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s",
        "-H", f"Accept: {accept}",
    ]  # fmt: skip
    script = None
    if paths is not None:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(PATHS_SCRIPT % paths)
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if script is not None:
        script.unlink()
    rps = float(_after("Requests/sec:", out) or "nan")
    p50, p99 = _ms(_after("50%", out)), _ms(_after("99%", out))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Figures(rps, p50, p99, errors)


def median_figures(runs: list[Figures]) -> Figures:
    return Figures(
        statistics.median(r.rps for r in runs),
        statistics.median(r.p50_ms for r in runs),
        statistics.median(r.p99_ms for r in runs),
        sum(r.errors for r in runs),
    )


def timed_ms(url: str, accept: str) -> float:
    """One request's latency in ms; NaN when the server answered with an error."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as error:
        print(f"  ! {error.code} from {url[:80]}", flush=True)
        return float("nan")
    return (time.perf_counter() - started) * 1000


def median_ms(times: list[float]) -> float:
    answered = [t for t in times if t == t]
    return statistics.median(answered) if answered else float("nan")


def first_requests_ms(ours: str, theirs: str) -> tuple[float, float]:
    """Median latency of named-query calls that nothing has cached yet (a year not asked
    before, one client), and of Oxigraph answering the same bound SPARQL."""
    query = load_catalog(REPO / "queries")["events-by-year"]
    ours_times: list[float] = []
    their_times: list[float] = []
    for year in range(1950, 1980):
        ours_times.append(timed_ms(f"{ours}/api/queries/events-by-year?year={year}", JSON))
        their_times.append(timed_ms(theirs + q(bind_parameters(query, {"year": str(year)})), JSON))
    return median_ms(ours_times), median_ms(their_times)


def sequential_ms(url: str, accept: str, count: int = 30) -> float:
    """Median latency of ``count`` requests made one after another (after one warm-up)."""
    timed_ms(url, accept)
    return median_ms([timed_ms(url, accept) for _ in range(count)])


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    ours: str  # URL path (or a paths file for a cold run)
    theirs: str
    accept: str
    paths: tuple[Path, Path] | None = None  # per-server path lists for the cold run


@dataclass
class Row:
    dataset: str
    scenario: str
    ours: Figures
    oxigraph: Figures
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.ours.rps / self.oxigraph.rps if self.oxigraph.rps else float("inf")

    def line(self) -> str:
        def figures(f: Figures) -> str:
            return f"{f.rps:7.0f}/s p50 {f.p50_ms:7.1f} ms p99 {f.p99_ms:7.1f} ms"

        errors = self.ours.errors + self.oxigraph.errors
        warn = f"  ({errors} errors)" if errors else ""
        return (
            f"  {self.scenario:33} ours {figures(self.ours)} | "
            f"oxigraph {figures(self.oxigraph)} | {self.ratio:5.2f}x{warn}"
        )


def q(text: str) -> str:
    return "/query?query=" + urllib.parse.quote(text)


def sparql_path(text: str) -> str:
    return "/sparql?query=" + urllib.parse.quote(text)


def pick_iris(url: str, limit: int) -> list[str]:
    """Event IRIs of the served graph (for the lookups)."""
    query = (
        "SELECT DISTINCT ?e WHERE { ?e a <https://w3id.org/icpc-kg/ontology#Event> "
        f'FILTER(STRSTARTS(STR(?e), "{BASE}id/")) }} ORDER BY ?e LIMIT {limit}'
    )
    request = urllib.request.Request(url + sparql_path(query), headers={"Accept": JSON})
    with urllib.request.urlopen(request) as response:
        rows = json.load(response)["results"]["bindings"]
    return [row["e"]["value"] for row in rows]


def scenarios(ours: str, work: Path) -> list[Scenario]:
    iris = pick_iris(ours, 5000)
    iri = BASE + "id/event/policing-for-prevention-1998-montreal"
    if iri not in iris:
        iri = iris[len(iris) // 2]
    local = "/" + iri.removeprefix(BASE)
    catalog = load_catalog(REPO / "queries")
    named = bind_parameters(catalog["events-by-year"], {"year": "1998"})
    ours_paths, their_paths = work / "paths-ours.txt", work / "paths-oxigraph.txt"
    ours_paths.write_text("".join(f"/{i.removeprefix(BASE)}\n" for i in iris))
    their_paths.write_text("".join(f"{q(f'DESCRIBE <{i}>')}\n" for i in iris))
    describe = description_query(iri, BASE + "graph/inferred")
    return [
        Scenario("IRI lookup (Turtle)", local, q(f"DESCRIBE <{iri}>"), TURTLE),
        Scenario("IRI lookup vs full description", local, q(describe), TURTLE),
        Scenario("IRI lookup, cold (distinct IRIs)", "", "", TURTLE, (ours_paths, their_paths)),
        Scenario(
            "named query (API, JSON)", "/api/queries/events-by-year?year=1998", q(named), JSON
        ),
        Scenario("SPARQL GROUP BY", sparql_path(GROUP_BY), q(GROUP_BY), JSON),
    ]


def run_dataset(
    name: str, project: Path, work: Path, args: argparse.Namespace
) -> tuple[list[Row], dict[str, float]]:
    load = os.getloadavg()[0]
    print(f"\n== {name} ({project}); load average {load:.1f} on {os.cpu_count()} CPUs", flush=True)
    rows: list[Row] = []
    extra: dict[str, float] = {}
    with icpc_server(project, work / f"serve-{name}.log") as (ours_process, ours):
        nquads = work / f"served-{name}.nq"
        with urllib.request.urlopen(f"{ours}/dumps/dataset.nq") as response:
            nquads.write_bytes(response.read())
        with oxigraph_server(nquads, work) as (their_process, theirs):
            servers = Server(ours, ours_process.pid), Server(theirs, their_process.pid)
            for scenario in scenarios(ours, work):
                row = measure(name, scenario, *servers, args)
                rows.append(row)
                print(row.line(), flush=True)
            settle(ours_process.pid)
            settle(their_process.pid)
            ours_first, theirs_first = first_requests_ms(ours, theirs)
            extra["named_first_ours_ms"] = ours_first
            extra["named_first_oxigraph_ms"] = theirs_first
            extra["group_by_ours_ms"] = sequential_ms(ours + sparql_path(GROUP_BY), JSON)
            extra["group_by_oxigraph_ms"] = sequential_ms(theirs + q(GROUP_BY), JSON)
            extra["rss_ours_mib"] = tree_rss_mib(ours_process.pid)
            extra["rss_oxigraph_mib"] = tree_rss_mib(their_process.pid)
            with open(nquads, "rb") as lines:
                extra["quads"] = sum(1 for _ in lines)
    print(
        f"  named query, first request (not cached), one client: ours "
        f"{extra['named_first_ours_ms']:.1f} ms, oxigraph {extra['named_first_oxigraph_ms']:.1f} ms"
    )
    print(
        f"  GROUP BY, one client: ours {extra['group_by_ours_ms']:.1f} ms, "
        f"oxigraph {extra['group_by_oxigraph_ms']:.1f} ms; resident memory: ours "
        f"{extra['rss_ours_mib']:.0f} MiB (server + workers), "
        f"oxigraph {extra['rss_oxigraph_mib']:.0f} MiB",
        flush=True,
    )
    return rows, extra


def measure(
    dataset: str, scenario: Scenario, ours: Server, theirs: Server, args: argparse.Namespace
) -> Row:
    ours_paths, their_paths = scenario.paths or (None, None)
    ours_figures, their_figures = alternating(
        [Target(ours, scenario.ours, ours_paths), Target(theirs, scenario.theirs, their_paths)],
        scenario.accept,
        args,
    )
    return Row(dataset, scenario.name, ours_figures, their_figures)


def alternating(
    targets: Sequence[Target], accept: str, args: argparse.Namespace, idle: Sequence[int] = ()
) -> list[Figures]:
    """``args.rounds`` wrk runs of each target, the targets taking turns (each run starting
    once every target's server and every process in ``idle`` is idle again); the median
    figures of each target."""
    runs: list[list[Figures]] = [[] for _ in targets]
    for _ in range(args.rounds):
        for target, figures in zip(targets, runs, strict=True):
            for pid in [*(t.server.pid for t in targets), *idle]:
                settle(pid)
            url = target.server.url if target.paths else target.server.url + target.path
            figures.append(wrk(url, accept, args.connections, args.duration, target.paths))
    return [median_figures(r) for r in runs]


def synthetic_project(work: Path, triples: int) -> Path:
    folder = work / f"project-{triples}"
    marker = folder / ".generated"
    if not marker.is_file():
        generate_project(folder, triples)
        marker.write_text(str(triples))
    return folder


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def verdicts(results: dict[str, tuple[list[Row], dict[str, float]]], connections: int) -> list[str]:
    lines = []
    for dataset, (rows, extra) in results.items():
        by_name = {r.scenario: r for r in rows}
        for scenario in ("IRI lookup (Turtle)", "named query (API, JSON)"):
            ratio = by_name[scenario].ratio
            lines.append(
                f"{dataset}: {scenario} {ratio:.2f}x Oxigraph's req/s "
                f"(target >= 0.5x): {verdict(ratio >= 0.5)}"
            )
        if dataset == "bundled":
            for scenario in ("IRI lookup (Turtle)", "named query (API, JSON)"):
                p99 = by_name[scenario].ours.p99_ms
                lines.append(
                    f"{dataset}: {scenario} p99 with {connections} clients {p99:.1f} ms "
                    f"(target < 50 ms): {verdict(p99 < 50)}"
                )
            group_by = by_name["SPARQL GROUP BY"]
            lines.append(
                f"{dataset}: (for reference) SPARQL GROUP BY p99 {group_by.ours.p99_ms:.0f} ms, "
                f"Oxigraph {group_by.oxigraph.p99_ms:.0f} ms: every query runs, queued on the "
                "workers"
            )
        else:
            ratio = extra["group_by_ours_ms"] / extra["group_by_oxigraph_ms"]
            rss = extra["rss_ours_mib"]
            lines.append(
                f"{dataset}: GROUP BY latency {ratio:.2f}x Oxigraph's "
                f"(target <= 1.5x): {verdict(ratio <= 1.5)}"
            )
            lines.append(
                f"{dataset}: resident memory {rss:.0f} MiB (target < 500 MiB): {verdict(rss < 500)}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,100000")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    work = args.work.resolve() / "serve"
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs; {args.connections} connections, {args.duration} s per run, "
          f"{args.rounds} rounds alternating icpc-kg and Oxigraph; medians below")  # fmt: skip
    results: dict[str, tuple[list[Row], dict[str, float]]] = {}
    for size in args.sizes.split(","):
        project = REPO if size == "bundled" else synthetic_project(args.work.resolve(), int(size))
        results[size] = run_dataset(size, project, work, args)
    print("\nTargets:")
    for line in verdicts(results, args.connections):
        print("  " + line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    k: {"rows": [asdict(r) for r in rows], **extra}
                    for k, (rows, extra) in results.items()
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
