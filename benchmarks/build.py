"""Time ``icpc-kg build`` on the bundled graph and on synthetic projects, step by step.

    python benchmarks/build.py [--sizes 10000,100000,1000000] [--work benchmarks/out]
                               [--skip-bundled] [--rebuild-sizes bundled,100000]

For each project it runs, each in a fresh process (so the peak memory is that build's own):

- a full build with a cold cache, reporting the time of each step (load, reason, validate,
  write, each measured on its own inside the build), the wall time, the CPU time and the peak
  resident memory of the process;
- for the projects named by ``--rebuild-sizes``, a rebuild after one data file changed (one
  entity's name edited), which reuses the cache the full build left.

Synthetic projects come from ``benchmarks/generate.py`` (``--triples N --out DIR``) and are
kept in ``--work`` between runs. CPU time is reported beside wall time because the machine
may be shared: CPU time is what the build itself spent.

Targets (2-core machine): bundled < 5 s; 100k < 30 s; 1M < 120 s with peak memory < 4 GB;
a rebuild after one file changed < 5 s on the bundled graph.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO / "benchmarks" / "generate.py"
STEPS = ("load", "reason", "validate", "write")
TARGETS = {  # (seconds, bytes of peak memory) for a full build; rebuild targets below
    "bundled": (5.0, None),
    "100000": (30.0, None),
    "1000000": (120.0, 4 * 1024**3),
}
REBUILD_TARGETS = {"bundled": 5.0}


@dataclass
class Run:
    project: str
    kind: str  # full | rebuild
    triples: int
    timings: dict[str, float]
    wall: float
    cpu: float
    peak: int  # bytes
    validation: str
    conforms: bool
    step_cpu: dict[str, float]  # CPU seconds per step, when the steps ran one by one

    def verdict(self) -> str:
        if self.kind == "rebuild":
            target = REBUILD_TARGETS.get(self.project)
            return "" if target is None else ("ok" if self.wall < target else f"> {target:g} s")
        seconds, memory = TARGETS.get(self.project, (None, None))
        if seconds is None:
            return ""
        misses = []
        if self.wall >= seconds:
            misses.append(f"> {seconds:g} s")
        if memory is not None and self.peak >= memory:
            misses.append(f"> {memory / 1024**3:g} GB")
        return "ok" if not misses else ", ".join(misses)


def child(project: Path, out: Path, full: bool) -> None:
    """Run one build in this process and print its figures as JSON (used by the parent)."""
    from icpc_kg.build import build
    from icpc_kg.project import Project

    result = build(Project(project.resolve()), out_dir=out, full=full)
    print(
        json.dumps(
            {
                "timings": result.timings,
                "triples": result.union_triples,
                "validation": f"{result.validation} ({result.validation_note})",
                "conforms": result.conforms,
            }
        )
    )


def child_steps(project: Path, out: Path, validate: bool) -> None:
    """Run each step on its own, timing wall and CPU seconds of each (used by the parent)."""
    import resource

    from icpc_kg import build as steps
    from icpc_kg.dumps import GraphInfo, new_folder_beside, replace_folder, write_dumps
    from icpc_kg.project import Project
    from icpc_kg.shacl import validate_dataset

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    timings: dict[str, float] = {}
    cpu_times: dict[str, float] = {}

    def timed(step: str, work: Callable[[], Any]) -> Any:
        wall, started = time.perf_counter(), cpu()
        result = work()
        timings[step] = time.perf_counter() - wall
        cpu_times[step] = cpu() - started
        return result

    root = Project(project.resolve())
    dataset, _ = timed("load", lambda: steps.load_content(root))
    shapes, _ = steps.load_build_shapes(root)
    timed("reason", lambda: steps.add_inferred(dataset))
    if validate:
        report = timed("validate", lambda: validate_dataset(dataset, shapes))
    graphs = [GraphInfo(g.name, g.name) for g in dataset.graphs]

    def write() -> Any:
        folder = new_folder_beside(out)
        stats = write_dumps(
            folder, dataset.store, graphs, shapes, steps.describe(dataset, steps.DEFAULT_BASE)
        )
        replace_folder(folder, out)
        return stats

    stats = timed("write", write)
    print(
        json.dumps(
            {
                "timings": {**timings, "total": sum(timings.values())},
                "cpu": cpu_times,
                "triples": stats.triples,
                "validation": f"{report.counts()}" if validate else "not run",
                "conforms": report.conforms if validate else True,
            }
        )
    )


def measure(name: str, kind: str, project: Path, out: Path, full: bool, steps: str = "") -> Run:
    """One build in a fresh process: its figures, wall and CPU time, peak memory. ``steps``
    ("all" or "no-validate") runs the steps one by one instead of ``build``."""
    command = [sys.executable, __file__, "--child", str(project), "--out", str(out)]
    if full:
        command.append("--full")
    if steps:
        command += ["--steps", steps]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would mix all children).
    stdout_data = process.stdout.read() if process.stdout else b""
    stderr_data = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{stderr_data.decode()}")
    figures = json.loads(stdout_data.decode().strip().splitlines()[-1])
    return Run(
        project=name,
        kind=kind,
        triples=figures["triples"],
        timings=figures["timings"],
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak=usage.ru_maxrss * 1024,
        validation=figures["validation"],
        conforms=figures["conforms"],
        step_cpu=figures.get("cpu", {}),
    )


def synthetic_project(work: Path, triples: int) -> Path:
    folder = work / f"project-{triples}"
    marker = folder / ".generated"
    if marker.is_file():
        return folder
    if not GENERATOR.is_file():
        raise SystemExit(f"{GENERATOR} is missing: it makes the synthetic projects")
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(GENERATOR), "--triples", str(triples), "--out", str(folder)],
        check=True,
    )
    marker.write_text(str(triples), encoding="utf-8")
    return folder


def bundled_project(work: Path) -> Path:
    folder = work / "project-bundled"
    shutil.rmtree(folder, ignore_errors=True)
    for name in ("ontology", "data", "shapes", "queries"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name)
    return folder


_NAME = re.compile(r'(schema:name\s+")([^"\\]*)(")')


def change_one_file(project: Path) -> tuple[Path, str]:
    """Edit one entity's name in the last data file that has one; returns the file and its
    content before the edit."""
    candidates = sorted(
        p for p in (project / "data").glob("*.ttl") if _NAME.search(p.read_text("utf-8"))
    )
    path = candidates[-1]
    original = path.read_text(encoding="utf-8")
    path.write_text(_NAME.sub(r"\1\2 (edited)\3", original, count=1), encoding="utf-8")
    return path, original


def _step_cell(run: Run, step: str) -> str:
    if step not in run.timings:
        return "-"
    cell = f"{run.timings[step]:.2f}"
    if step in run.step_cpu:
        cell += f" ({run.step_cpu[step]:.2f})"
    return cell


def table(runs: list[Run]) -> str:
    """Step columns give wall seconds, with CPU seconds in brackets for step-by-step runs."""
    header = [
        "project",
        "build",
        "triples",
        *STEPS,
        "wall s",
        "cpu s",
        "peak MB",
        "target",
        "validation",
    ]
    rows = [header]
    for run in runs:
        rows.append(
            [
                run.project,
                run.kind,
                f"{run.triples:,}",
                *(_step_cell(run, step) for step in STEPS),
                f"{run.wall:.2f}",
                f"{run.cpu:.2f}",
                f"{run.peak / 1024**2:,.0f}",
                run.verdict(),
                run.validation,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i])
            if i in (0, 1, len(header) - 2, len(header) - 1)
            else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="synthetic sizes")
    parser.add_argument("--rebuild-sizes", default="bundled,100000")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument(
        "--steps",
        choices=["all", "no-validate"],
        help="also time each step on its own in a separate process (no-validate: leave "
        "validation out)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if args.steps:
            child_steps(args.child, args.out, validate=args.steps == "all")
        else:
            child(args.child, args.out, args.full)
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    projects: list[tuple[str, Path]] = []
    if not args.skip_bundled:
        projects.append(("bundled", bundled_project(args.work)))
    for size in filter(None, args.sizes.split(",")):
        projects.append((size, synthetic_project(args.work, int(size))))
    rebuilds = set(filter(None, args.rebuild_sizes.split(",")))

    runs: list[Run] = []
    for name, project in projects:
        out = args.work / f"dist-{name}"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(args.work / ".cache" / "icpc-kg" / out.name, ignore_errors=True)
        if args.steps:
            runs.append(measure(name, "steps", project, out, full=True, steps=args.steps))
            print(table(runs[-1:]).splitlines()[-1], flush=True)
            shutil.rmtree(out, ignore_errors=True)
        runs.append(measure(name, "full", project, out, full=True))
        print(table(runs[-1:]).splitlines()[-1], flush=True)
        if name in rebuilds:
            path, original = change_one_file(project)
            try:
                runs.append(measure(name, "rebuild", project, out, full=False))
            finally:
                path.write_text(original, encoding="utf-8")
            print(table(runs[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
