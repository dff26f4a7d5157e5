"""How long ``icpc-kg publish`` takes to push a build into a real Oxigraph server.

    python benchmarks/publish.py [--sizes bundled,100k,1M] [--work benchmarks/out]
                                 [--transport graph-store|sparql-update] [--timeout 3600]

For each size (the bundled graph; synthetic projects from ``benchmarks/generate.py``, kept in
``--work`` as ``project-N`` and shared with the other scripts), the project is built into
``--work``/``dist-NAME`` when its build is missing or stale (the build ``icpc-kg publish``
itself would run; its time is printed apart), then an Oxigraph server is started on a free
loopback port over an empty store in a temporary folder, and three publishes run one after
the other, each in a process of its own (``icpc_kg.publish.publish``, as the command calls it):

    first     into the empty store: read the build, upload into staging graphs, check the
              counts, swap, verify
    re-run    nothing changed: the store's graph/publication and counts match the build, so
              nothing is uploaded
    dry-run   ``--dry-run`` against the published store: every graph is read back and
              compared with the build, triple by triple

Each prints its wall time (measured around the call, so the interpreter's start-up is not in
it), the steps the publish timed itself (``detect`` and ``read`` come before the publisher's
own ``plan``, ``upload``, ``swap``, ``verify``; ``compare`` is the dry run's reading back), the
CPU time of the publishing process and of the server during the run (the steadier figures on
a shared machine), the peak resident memory of the publishing process (imports included),
and checks what it reported (first: every graph published and verified; re-run: nothing
swapped; dry-run: nothing to add or remove). The server's own peak memory and its store's
size on disk are printed after the runs. These are figures, not tests: nothing fails when a
run is slow. ``--timeout`` is each request's limit, as ``icpc-kg publish --timeout``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate_project  # noqa: E402
from icpc_kg.project import Project  # noqa: E402
from icpc_kg.published import published_dataset  # noqa: E402
from tests.support.oxigraph_server import running_oxigraph  # noqa: E402

MODES = ("first", "re-run", "dry-run")
SUFFIXES = {"k": 1_000, "m": 1_000_000}


@dataclass
class Run:
    mode: str
    wall: float  # seconds around publish()
    peak: int  # bytes: the publishing process's peak resident memory
    cpu: float  # CPU seconds of the publishing process (start-up and imports included)
    server_cpu: float  # CPU seconds the Oxigraph server spent during the run
    triples: int
    timings: dict[str, float]
    check: str  # "ok", or what differed from what the mode should do


@dataclass
class Size:
    name: str
    triples: int = 0
    graphs: int = 0
    build: float | None = None  # seconds, when this run had to build
    runs: dict[str, Run] = field(default_factory=dict)
    server_peak: int = 0  # bytes
    store_bytes: int = 0


def parse_size(text: str) -> tuple[str, int | None]:
    """("bundled", None) or (label, triples) for ``100k``, ``1M`` or ``250000``."""
    text = text.strip()
    if text == "bundled":
        return text, None
    multiplier = SUFFIXES.get(text[-1:].lower(), 1)
    digits = text[:-1] if multiplier > 1 else text
    try:
        return text, int(float(digits) * multiplier)
    except ValueError:
        raise SystemExit(f"--sizes: {text!r} is not bundled, a number, or like 100k, 1M") from None


def synthetic_project(work: Path, triples: int) -> Path:
    """The synthetic project of this size in ``work``, generated the first time (the same
    folder and marker benchmarks/build.py and benchmarks/serve.py use)."""
    folder = work / f"project-{triples}"
    marker = folder / ".generated"
    if not marker.is_file():
        print(f"generating a {triples:,}-triple project in {folder} ...", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        generate_project(folder, triples)
        marker.write_text(str(triples), encoding="utf-8")
    return folder


def built(name: str, triples: int | None, work: Path) -> tuple[Path, float | None]:
    """The build of the project (``dist-NAME`` in ``work``) and the seconds it took when it
    had to run."""
    project = REPO if triples is None else synthetic_project(work, triples)
    out = work / f"dist-{'bundled' if triples is None else triples}"
    started = time.perf_counter()
    dataset = published_dataset(Project(project.resolve()), out_dir=out)
    seconds = time.perf_counter() - started
    return dataset.out_dir, seconds if dataset.rebuilt else None


def child(
    out_dir: Path, store: str, mode: str, update_endpoint: str | None, timeout: float
) -> None:
    """One publish in this process; prints its figures as JSON (read by the parent)."""
    from icpc_kg.publish import Credentials, PublishOptions, PublishProgress, publish

    options = PublishOptions(
        store=store,
        update_endpoint=update_endpoint,
        dry_run=mode == "dry-run",
        timeout=timeout or None,
    )
    marks: dict[str, float] = {}

    def progress(event: PublishProgress) -> None:
        if event.step == "read":
            marks["read started" if event.done == 0 else "read done"] = time.perf_counter()

    started = time.perf_counter()
    report = publish(out_dir, options, progress, credentials=Credentials())
    wall = time.perf_counter() - started
    # Finding the endpoints (GET probes) and reading the build come before the publisher's
    # own timings start.
    timings = {
        "detect": marks["read started"] - started,
        "read": marks["read done"] - marks["read started"],
        **{step: seconds for step, seconds in report.timings.items() if step != "total"},
    }
    if mode == "dry-run":  # reading every graph back and comparing it: the rest of the run
        timings["compare"] = report.timings["total"] - report.timings.get("plan", 0.0)
    actions = sorted({g.action for g in report.graphs})
    if mode == "first":
        wrong = [g.name for g in report.graphs if g.action != "published" or g.after != g.local]
        check = "ok" if report.swapped and not wrong else f"not published: {wrong}"
    elif mode == "re-run":
        check = "ok" if not report.swapped and actions == ["unchanged"] else f"ran: {actions}"
    else:
        diff = sum((g.added or 0) + (g.removed or 0) for g in report.graphs)
        check = "ok" if diff == 0 else f"{diff} triples differ"
    print(
        json.dumps(
            {
                "wall": wall,
                "triples": sum(g.local or 0 for g in report.graphs),
                "graphs": len(report.graphs),
                "timings": timings,
                "check": check,
                "peak": peak_memory("self"),
            }
        )
    )


def peak_memory(pid: int | str) -> int:
    """A process's peak resident memory (VmHWM), in bytes; 0 where /proc has no answer.

    Read from /proc rather than taken from wait4's ru_maxrss: a child starts as a copy of
    its parent (fork or vfork), and Linux carries that memory's high-water mark over the exec
    into the child's ru_maxrss, so the child of a parent that has just built 1M triples
    would report the parent's gigabytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server has used so far; 0 where /proc has no answer."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_size(name: str, triples: int | None, work: Path, transport: str, timeout: float) -> Size:
    size = Size(name)
    out_dir, size.build = built(name, triples, work)
    if size.build is not None:
        print(f"  {name}: built into {out_dir} in {size.build:.1f} s", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="icpc-kg-publish-bench-") as folder,
        running_oxigraph(Path(folder) / "db") as server,
    ):
        update = server.update_url if transport == "sparql-update" else None
        for mode in MODES:
            figures = run_child(out_dir, server.base_url, mode, update, server.process.pid, timeout)
            size.runs[mode] = figures
            size.triples = figures.triples
            print(f"  {name}: {line(mode, figures)}", flush=True)
        size.server_peak = peak_memory(server.process.pid)
        size.store_bytes = folder_bytes(Path(folder) / "db")
    return size


def run_child(
    out_dir: Path,
    store: str,
    mode: str,
    update_endpoint: str | None,
    server_pid: int,
    timeout: float,
) -> Run:
    """One publish in a fresh process, with its own peak memory and CPU time (wait4 gives
    this child's CPU time alone), and the CPU time the server spent meanwhile."""
    command = [sys.executable, __file__, "--child", str(out_dir), "--store", store]
    command += ["--mode", mode, "--timeout", str(timeout)]
    if update_endpoint:
        command += ["--update-endpoint", update_endpoint]
    server_before = server_cpu(server_pid)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout = process.stdout.read() if process.stdout else b""
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    server_seconds = server_cpu(server_pid) - server_before
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {mode} publish failed:\n{stderr.decode()}")
    figures = json.loads(stdout.decode().strip().splitlines()[-1])
    return Run(
        mode,
        figures["wall"],
        figures["peak"] or usage.ru_maxrss * 1024,
        usage.ru_utime + usage.ru_stime,
        server_seconds,
        figures["triples"],
        figures["timings"],
        figures["check"],
    )


def line(mode: str, run: Run) -> str:
    steps = ", ".join(f"{step} {seconds:.2f}" for step, seconds in run.timings.items())
    rate = f"{run.triples / run.wall:,.0f} triples/s; " if mode == "first" else ""
    return (
        f"{mode:<8} {run.wall:7.2f} s  cpu {run.cpu:.1f} s + server {run.server_cpu:.1f} s  "
        f"peak {run.peak / 1024**2:,.0f} MB  ({rate}{steps})  {run.check}"
    )


def table(sizes: list[Size]) -> str:
    header = [
        "size",
        "triples",
        "first s",
        "triples/s",
        "re-run s",
        "dry-run s",
        "cpu s: client + server (first / re-run / dry)",
        "peak MB (first / re-run / dry)",
        "server MB",
        "store MB",
        "checks",
    ]
    rows = [header]
    for size in sizes:
        first, rerun, dry = (size.runs[m] for m in MODES)
        checks = {r.check for r in size.runs.values()}
        rows.append(
            [
                size.name,
                f"{size.triples:,}",
                f"{first.wall:.2f}",
                f"{first.triples / first.wall:,.0f}",
                f"{rerun.wall:.2f}",
                f"{dry.wall:.2f}",
                " / ".join(f"{r.cpu:.1f} + {r.server_cpu:.1f}" for r in (first, rerun, dry)),
                " / ".join(f"{r.peak / 1024**2:,.0f}" for r in (first, rerun, dry)),
                f"{size.server_peak / 1024**2:,.0f}",
                f"{size.store_bytes / 1024**2:,.0f}",
                "ok" if checks == {"ok"} else "; ".join(sorted(checks - {"ok"})),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i in (0, len(header) - 1) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="bundled,100k,1M", help="bundled and synthetic sizes, e.g. 100k,1M"
    )
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument(
        "--transport",
        choices=["graph-store", "sparql-update"],
        default="graph-store",
        help="upload with the Graph Store Protocol (the default) or SPARQL Update",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        help="seconds each request may take (0: no limit); the swap of 1M triples is one "
        "request of several minutes, longer than icpc-kg publish's default of 300 s on a busy "
        "machine",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--update-endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.store, args.mode, args.update_endpoint, args.timeout)
        return 0

    wanted = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        f"publishing into an Oxigraph server ({args.transport}, request timeout "
        f"{args.timeout:g} s); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    work = args.work.resolve()
    sizes = [run_size(name, n, work, args.transport, args.timeout) for name, n in wanted]
    print()
    print(table(sizes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
