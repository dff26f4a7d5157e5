"""Time ``icpc-kg export`` on the bundled graph and on synthetic projects.

    python benchmarks/export.py [--sizes 100000,1000000] [--work benchmarks/out]
                                [--skip-bundled] [--every-frame]

For each project, in a fresh process (so the peak memory is that project's own), it assembles
the graph once (load + reason, timed on its own) and then times each export from the
assembled dataset, as ``icpc-kg export`` runs it:

    jsonld          --format jsonld                    (full profile, compacted)
    jsonld-events   --format jsonld --frame events
    jsonld-schema   --format jsonld --profile schema
    turtle          --format turtle

``--every-frame`` adds every other frame of both profiles. Synthetic projects come from
``benchmarks/generate.py`` (``generate_project``) and are kept in ``--work`` between runs,
in the same folders ``benchmarks/build.py`` uses. CPU time is reported beside wall time
because the machine may be shared.

Target: the JSON-LD export (full profile) of the 100k graph in under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The same synthetic and bundled project folders as build.py, shared in --work.
from benchmarks.build import bundled_project, synthetic_project  # noqa: E402

TARGETS = {("100000", "jsonld"): 5.0}
EXPORTS: dict[str, dict[str, Any]] = {
    "jsonld": {"fmt": "jsonld"},
    "jsonld-events": {"fmt": "jsonld", "frame": "events"},
    "jsonld-schema": {"fmt": "jsonld", "profile": "schema"},
    "turtle": {"fmt": "turtle"},
}


def every_export() -> dict[str, dict[str, Any]]:
    from icpc_kg.export import frame_names

    exports = dict(EXPORTS)
    for profile in ("full", "schema"):
        for frame in frame_names(profile):
            name = f"jsonld-{frame}" if profile == "full" else f"jsonld-schema-{frame}"
            exports.setdefault(name, {"fmt": "jsonld", "frame": frame, "profile": profile})
    return exports


def child(project: Path, every_frame: bool) -> None:
    """Assemble ``project`` and time each export, printing the figures as JSON lines."""
    from icpc_kg.build import assemble
    from icpc_kg.export import export_dataset, profile_quads, read_context_document
    from icpc_kg.project import Project

    started = time.perf_counter()
    dataset = assemble(Project(project.resolve()))
    assembled = time.perf_counter() - started
    triples = len({q.triple for q in profile_quads(dataset, "full")})
    print(json.dumps({"assemble": assembled, "triples": triples}), flush=True)
    context = read_context_document(project / "ontology" / "context.jsonld")
    for name, options in (every_export() if every_frame else EXPORTS).items():
        wall, cpu = time.perf_counter(), time.process_time()
        data = export_dataset(dataset, context_document=context, **options)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(json.dumps({"export": name, "wall": wall, "cpu": cpu, "bytes": len(data)}))
        sys.stdout.flush()


def measure(name: str, project: Path, every_frame: bool) -> list[dict[str, Any]]:
    """The figures of one project, from a fresh process, with its peak memory."""
    command = [sys.executable, __file__, "--child", str(project)]
    if every_frame:
        command.append("--every-frame")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout_data = process.stdout.read() if process.stdout else b""
    stderr_data = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export of {project} failed:\n{stderr_data.decode()}")
    lines = [json.loads(line) for line in stdout_data.decode().splitlines() if line.strip()]
    head, exports = lines[0], lines[1:]
    for row in exports:
        row.update(project=name, triples=head["triples"], assemble=head["assemble"])
        row["peak"] = usage.ru_maxrss * 1024
    return exports


def table(rows: list[dict[str, Any]]) -> str:
    header = ["project", "triples", "assemble s", "export", "wall s", "cpu s", "MB out"]
    header += ["peak MB", "target"]
    lines = [header]
    for row in rows:
        target = TARGETS.get((row["project"], row["export"]))
        verdict = "" if target is None else ("ok" if row["wall"] < target else f"> {target:g} s")
        lines.append(
            [
                row["project"],
                f"{row['triples']:,}",
                f"{row['assemble']:.2f}",
                row["export"],
                f"{row['wall']:.2f}",
                f"{row['cpu']:.2f}",
                f"{row['bytes'] / 1024**2:,.1f}",
                f"{row['peak'] / 1024**2:,.0f}",
                verdict,
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        cells = [
            cell.ljust(widths[i]) if i in (0, 3, 8) else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="synthetic sizes")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--every-frame", action="store_true", help="time every frame too")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.every_frame)
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    projects: list[tuple[str, Path]] = []
    if not args.skip_bundled:
        projects.append(("bundled", bundled_project(args.work)))
    for size in filter(None, args.sizes.split(",")):
        projects.append((size, synthetic_project(args.work, int(size))))
    rows: list[dict[str, Any]] = []
    for name, project in projects:
        measured = measure(name, project, args.every_frame)
        rows.extend(measured)
        print(table(measured), flush=True)
        print(flush=True)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
