"""Latency of each named query: icpc-kg's query path against raw pyoxigraph, same SPARQL, same data.

    python benchmarks/queries.py [--sizes bundled,100000,1000000] [--repeat 5]
                                 [--queries events-by-year,partners] [--timeout 60]
                                 [--work benchmarks/out]

For each size (the bundled graph; synthetic projects from ``benchmarks/generate.py``, kept in
``--work``/``project-N``), the build in ``--work``/``dist-NAME`` is reused, and made again (by
``icpc_kg.published.published_dataset``) only when it is missing or stale. Then, for every
named query in the project's ``queries/``:

- its parameters are bound as ``icpc-kg query NAME`` would bind them without ``--param``
  (defaults; optional ones without a default stay free); a required parameter takes the
  header's example when the data has that IRI, else the first IRI under the example's path
  (``id:event/...``) found by a one-row SELECT. The table says which value was used.
- icpc-kg: ``icpc_kg.query.run_serialized`` (TSV, or N-Triples for CONSTRUCT/DESCRIBE) on an
  ``EmbeddedStore(dataset.nq, workers=1)``, what ``icpc-kg query --format tsv`` runs: the
  query goes to a worker process, which runs it and serialises the answer; the bytes come
  back.
- pyoxigraph: the same bound SPARQL on a ``pyoxigraph.Store`` bulk-loaded from the same
  ``dataset.nq`` in this process, ``use_default_graph_as_union=True``, every value of every
  row (or every triple) read.
- in-process (for the split): ``icpc_kg.executor.execute`` on that same store in this
  process, i.e. the worker's share (query, and the answer collected into result objects)
  without serialising it or the trip back.

Each side runs once to warm up, then ``--repeat`` times, the sides taking turns call by
call (so load from other work on the machine falls on both alike); the table gives medians.
CPU time (this process and the worker together for icpc-kg; this process for pyoxigraph; the
mean per call, as the worker's is read from /proc in 10 ms ticks) is shown beside wall time
because the machine may be shared. Load times (start of the worker,
which bulk-loads the file, against bulk-loading it here) are printed apart.

Target (issue 3): each named query on the 1M graph within 1.5x the time pyoxigraph takes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate_project  # noqa: E402
from icpc_kg.catalog import NamedQuery, expand_iri, load_catalog  # noqa: E402
from icpc_kg.errors import QueryTimeoutError  # noqa: E402
from icpc_kg.executor import QueryRequest, execute  # noqa: E402
from icpc_kg.project import Project  # noqa: E402
from icpc_kg.published import published_dataset  # noqa: E402
from icpc_kg.query import PreparedQuery, prepare, run_serialized  # noqa: E402
from icpc_kg.results import AskResult  # noqa: E402
from icpc_kg.store import EmbeddedStore  # noqa: E402

TARGET_SIZE = "1000000"
TARGET_RATIO = 1.5
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_ms(self) -> float:
        return statistics.median(self.wall) * 1000

    @property
    def cpu_ms(self) -> float:
        # The mean: a worker's CPU time is read from /proc in 10 ms ticks.
        return statistics.mean(self.cpu) * 1000


@dataclass
class Row:
    query: str
    binding: str  # the parameter values used, and where required ones came from
    rows: int = 0
    ours: Timing = field(default_factory=Timing)
    inproc: Timing = field(default_factory=Timing)
    raw: Timing = field(default_factory=Timing)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.ours.wall or not self.raw.wall:
            return None
        return self.ours.wall_ms / self.raw.wall_ms


@dataclass
class Size:
    name: str
    quads: int
    build: str  # "reused" or the seconds a rebuild took
    load_ours: float  # seconds to start the worker (it bulk-loads dataset.nq)
    load_raw: float  # seconds to bulk-load dataset.nq here
    load_raw_cpu: float
    rows: list[Row]


def _children_cpu() -> float:
    """CPU seconds used so far by this process's live children (the query worker)."""
    total = 0
    for task in Path("/proc/self/task").iterdir():
        children = (task / "children").read_text().split()
        for pid in children:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def _cpu() -> float:
    return time.process_time() + _children_cpu()


def synthetic_project(work: Path, triples: int) -> Path:
    """``work/project-{triples}``, generated the first time (the folder and marker the other
    benchmarks use)."""
    folder = work / f"project-{triples}"
    marker = folder / ".generated"
    if not marker.is_file():
        print(f"generating a {triples:,}-triple project in {folder} ...", flush=True)
        generate_project(folder, triples)
        marker.write_text(str(triples), encoding="utf-8")
    return folder


def consume(result: object) -> int:
    """Read every value of a pyoxigraph answer; the number of rows (triples; 1 for ASK)."""
    if isinstance(result, ox.QueryBoolean):
        return 1
    count = 0
    if isinstance(result, ox.QuerySolutions):
        width = len(result.variables)
        for solution in result:
            for index in range(width):
                solution[index]
            count += 1
        return count
    for triple in result:  # type: ignore[attr-defined]
        _ = (triple.subject, triple.predicate, triple.object)
        count += 1
    return count


def bind(query: NamedQuery, store: ox.Store) -> tuple[PreparedQuery, str]:
    """The query with its parameters bound, and a note of the values."""
    values: dict[str, str] = {}
    notes: list[str] = []
    for param in query.params:
        if param.default is not None:
            notes.append(f"{param.name}={param.default} (default)")
        elif param.required:
            values[param.name], where = _required_value(query, param.name, param.example, store)
            notes.append(f"{param.name}={values[param.name]} ({where})")
    return prepare(query, values), ", ".join(notes) or "-"


def _required_value(
    query: NamedQuery, name: str, example: str | None, store: ox.Store
) -> tuple[str, str]:
    if example is None:
        raise SystemExit(f"{query.name}: required parameter {name!r} has no example to go by")
    iri = expand_iri(example)
    if store.query(f"ASK {{ <{iri}> ?p ?o }}", use_default_graph_as_union=True):
        return example, "example"
    prefix = iri.rsplit("/", 1)[0] + "/"
    found = list(
        store.query(  # type: ignore[arg-type]
            "SELECT ?x WHERE { ?x ?p ?o "
            f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{prefix}")) }} LIMIT 1',
            use_default_graph_as_union=True,
        )
    )
    if not found:
        raise SystemExit(f"{query.name}: no IRI under {prefix} for parameter {name!r}")
    return found[0][0].value, "first in the data"


def timed(work: Callable[[], int]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), _cpu()
    count = work()
    return time.perf_counter() - wall, _cpu() - cpu, count


def measure_size(name: str, project: Path, work: Path, args: argparse.Namespace) -> Size:
    started = time.perf_counter()
    dataset = published_dataset(Project(project.resolve()), out_dir=work / f"dist-{name}")
    build = f"rebuilt in {time.perf_counter() - started:.1f} s" if dataset.rebuilt else "reused"
    print(f"\n== {name}: {dataset.nquads} ({build})", flush=True)

    wall, cpu = time.perf_counter(), time.process_time()
    raw = ox.Store()
    raw.bulk_load(path=str(dataset.nquads), format=ox.RdfFormat.N_QUADS)
    load_raw, load_raw_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall = time.perf_counter()
    ours = EmbeddedStore(dataset.nquads, workers=1)
    load_ours = time.perf_counter() - wall
    print(f"load: pyoxigraph {load_raw:.2f} s (cpu {load_raw_cpu:.2f} s); icpc-kg worker "
          f"start {load_ours:.2f} s", flush=True)  # fmt: skip

    timeout = args.timeout or None
    wanted = set(filter(None, args.queries.split(",")))
    rows: list[Row] = []
    try:
        for query in load_catalog(project / "queries").values():
            if wanted and query.name not in wanted:
                continue
            prepared, binding = bind(query, raw)
            row = Row(query.name, binding)
            rows.append(row)

            def run_ours(prepared: PreparedQuery = prepared) -> int:
                fmt = "ntriples" if prepared.form in ("CONSTRUCT", "DESCRIBE") else "tsv"
                return run_serialized(ours, prepared, fmt, None, timeout).count

            def run_inproc(sparql: str = prepared.sparql) -> int:
                result = execute(raw, QueryRequest(sparql))
                return 1 if isinstance(result, AskResult) else len(result)  # type: ignore[arg-type]

            def run_raw(sparql: str = prepared.sparql) -> int:
                return consume(raw.query(sparql, use_default_graph_as_union=True))

            try:
                for attempt in range(args.repeat + 1):
                    w, c, count = timed(run_ours)
                    if attempt:
                        row.ours.wall.append(w)
                        row.ours.cpu.append(c)
                    w, c, _ = timed(run_inproc)
                    if attempt:
                        row.inproc.wall.append(w)
                        row.inproc.cpu.append(c)
                    w, c, row.rows = timed(run_raw)
                    if attempt:
                        row.raw.wall.append(w)
                        row.raw.cpu.append(c)
                    if count != row.rows:
                        row.note = f"icpc-kg gave {count} rows"
            except QueryTimeoutError:
                row.note = f"icpc-kg timed out after {args.timeout:g} s; pyoxigraph not run"
            print(table([row], header=not rows[:-1]), flush=True)
    finally:
        ours.close()
    return Size(name, len(raw), build, load_ours, load_raw, load_raw_cpu, rows)


def table(rows: list[Row], header: bool = True) -> str:
    lines = []
    if header:
        lines.append(
            f"{'query':<26} {'rows':>7} {'icpc-kg ms':>11} {'(cpu)':>8} {'in-process':>11} "
            f"{'pyoxigraph ms':>14} {'(cpu)':>8} {'ratio':>6}  parameters"
        )
    for row in rows:
        if row.ratio is None:
            lines.append(f"{row.query:<26} {'-':>7}  {row.note}")
            continue
        lines.append(
            f"{row.query:<26} {row.rows:>7,} {row.ours.wall_ms:>11.1f} {row.ours.cpu_ms:>8.1f} "
            f"{row.inproc.wall_ms:>11.1f} {row.raw.wall_ms:>14.1f} {row.raw.cpu_ms:>8.1f} "
            f"{row.ratio:>5.2f}x  {row.binding}" + (f"  [{row.note}]" if row.note else "")
        )
    return "\n".join(lines)


def report(size: Size) -> str:
    lines = [
        f"== {size.name}: {size.quads:,} quads; build {size.build}",
        f"load: pyoxigraph bulk_load {size.load_raw:.2f} s (cpu {size.load_raw_cpu:.2f} s); "
        f"icpc-kg worker start (spawn + bulk_load) {size.load_ours:.2f} s",
        table(size.rows),
    ]
    ratios = [r.ratio for r in size.rows if r.ratio is not None]
    if ratios:
        lines.append(
            f"ratio median {statistics.median(ratios):.2f}x, max {max(ratios):.2f}x; "
            f"sum icpc-kg {sum(r.ours.wall_ms for r in size.rows):.0f} ms, "
            f"pyoxigraph {sum(r.raw.wall_ms for r in size.rows if r.raw.wall):.0f} ms"
        )
    if size.name == TARGET_SIZE:
        misses = [
            f"{r.query} {r.ratio:.2f}x" if r.ratio is not None else f"{r.query} (no figure)"
            for r in size.rows
            if r.ratio is None or r.ratio > TARGET_RATIO
        ]
        verdict = "ok" if not misses else "MISSED: " + ", ".join(misses)
        lines.append(
            f"target: each named query on the 1M graph within {TARGET_RATIO}x pyoxigraph: "
            + verdict
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per query and side")
    parser.add_argument("--queries", default="", help="only these named queries (comma list)")
    parser.add_argument("--timeout", type=float, default=60.0, help="icpc-kg's limit per call")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs; {args.repeat} timed calls per query and side after one "
          "warm-up, the sides taking turns; medians in ms")  # fmt: skip
    sizes = []
    for name in filter(None, args.sizes.split(",")):
        project = REPO if name == "bundled" else synthetic_project(work, int(name))
        sizes.append(measure_size(name, project, work, args))
    print()
    for size in sizes:
        print(report(size))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
