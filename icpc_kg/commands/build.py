"""``icpc-kg build``: the command over :func:`icpc_kg.build.build`."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

import click
import rdflib
from rdflib.term import Node

from icpc_kg.build import DERIVED_LABELS, STEPS, BuildProgress, BuildResult, build
from icpc_kg.commands.common import current_project
from icpc_kg.load import GraphSource
from icpc_kg.shacl import ShaclResult
from icpc_kg.vocab import shrink

STEP_LABELS = {
    "load": "Loading ontology/ and data/",
    "reason": "Reasoning (OWL 2 RL)",
    "validate": "Validating (SHACL)",
    "write": "Writing",
}
SHOW_AFTER = 0.5  # seconds before a step gets a progress line


class ProgressLine:
    """One line on a terminal per step that takes more than a moment: the step, files done
    and elapsed seconds, rewritten in place while it runs (a ticker thread keeps the seconds
    moving during the long single calls of reasoning and validation)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.Lock()
        self.step: str | None = None
        self.started = 0.0
        self.shown = False
        self.text = ""
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.ticker.start()

    def __call__(self, event: BuildProgress) -> None:
        with self.lock:
            if event.step != self.step:
                self.step, self.started, self.shown = event.step, time.monotonic(), False
            label = STEP_LABELS.get(event.step, event.step)
            if event.step in ("load", "write") and event.detail:
                self.text = f"{label} {event.detail}"
            elif event.step == "load" and event.total > 1:
                self.text = f"{label} ({event.done}/{event.total} files)"
            else:
                self.text = label
            if event.finished:
                if self.shown:
                    elapsed = time.monotonic() - self.started
                    self._draw(f"{label}: done in {elapsed:.1f} s\n")
                self.step = None
            elif self.shown:
                self._redraw()

    def _tick(self) -> None:
        while not self.stop.wait(0.25):
            with self.lock:
                if self.step and time.monotonic() - self.started >= SHOW_AFTER:
                    self.shown = True
                    self._redraw()

    def _redraw(self) -> None:
        self._draw(f"{self.text} … {time.monotonic() - self.started:.0f} s")

    def _draw(self, text: str) -> None:
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()

    def close(self) -> None:
        self.stop.set()
        self.ticker.join()
        with self.lock:
            if self.step and self.shown:
                self.stream.write("\n")
                self.stream.flush()


def _term(node: Node | None) -> str:
    """A term as people read it: ``id:event/x``, ``"1998"^^xsd:gYear``, ``[path]``."""
    if node is None:
        return "—"
    if isinstance(node, rdflib.URIRef):
        return shrink(str(node))
    if isinstance(node, rdflib.Literal):
        text = rdflib.Literal(str(node), lang=node.language).n3()
        if node.datatype is not None and not node.language:
            text += "^^" + shrink(str(node.datatype))
        return text
    return "[" + str(node) + "]"


MAX_GRAPH_ROWS = 20
MAX_PLACE_LINES = 10


def _graph_rows(result: BuildResult) -> tuple[list[GraphSource], list[GraphSource]]:
    """The graphs to list (the first ones and graph/inferred) and those summed up in one row."""
    graphs = result.graphs
    if len(graphs) <= MAX_GRAPH_ROWS:
        return list(graphs), []
    head = list(graphs[: MAX_GRAPH_ROWS - 2])
    return [*head, graphs[-1]], list(graphs[MAX_GRAPH_ROWS - 2 : -1])


def render_text(result: BuildResult, quiet: bool = False) -> str:
    """The summary: triples per graph, entities per icpc: class, the verdict, violations."""
    lines: list[str] = []
    counts = result.report.counts()
    if not quiet:
        timings = ", ".join(f"{step} {result.timings.get(step, 0):.1f} s" for step in STEPS)
        lines.append(
            f"Built {result.out_dir} in {result.timings.get('total', 0):.1f} s ({timings})"
        )
        lines.append("")
        lines.append("Triples per graph")
        shown, hidden = _graph_rows(result)
        width = max(len(shrink(g.name)) for g in shown)
        for g in shown:
            source = g.path.relative_to(result.project.root).as_posix() if g.path else ""
            if g.kind == "derived":
                source = f"({DERIVED_LABELS[g.kind]})"
            lines.append(f"  {shrink(g.name):<{width}}  {g.triples:>9,}  {source}")
            if hidden and g is shown[-2]:
                more = sum(h.triples for h in hidden)
                label = f"… {len(hidden)} more graphs"
                lines.append(f"  {label:<{width}}  {more:>9,}  (--format json lists them)")
        lines.append(f"  {'union (distinct)':<{width}}  {result.union_triples:>9,}")
        lines.append("")
        icpc = {c: n for c, n in result.entities.items() if shrink(c).startswith("icpc:")}
        lines.append("Entities per class (icpc:)")
        if icpc:
            width = max(len(shrink(c)) for c in icpc)
            for cls, n in icpc.items():
                lines.append(f"  {shrink(cls):<{width}}  {n:>7,}")
        else:
            lines.append("  (none)")
        lines.append("")
        if result.validation == "incremental":
            lines.append(f"Validation: incremental ({result.validation_note})")
    verdict = "conforms" if result.conforms else "does not conform"
    lines.append(
        f"Validation: {verdict} — {counts['Violation']:,} violations, "
        f"{counts['Warning']:,} warnings, {counts['Info']:,} infos"
    )
    for r in result.report.sorted():
        if r.severity == "Violation":
            lines.extend(_violation_lines(r))
    unlinked = result.place_warnings
    if unlinked and not quiet:
        lines.append(f"Places not linked to GeoNames ({len(unlinked)}, see graph/geonames):")
        lines.extend(f"  warning: {line}" for line in unlinked[:MAX_PLACE_LINES])
        if len(unlinked) > MAX_PLACE_LINES:
            lines.append(
                f"  … and {len(unlinked) - MAX_PLACE_LINES} more (--format json lists them)"
            )
    return "\n".join(line.rstrip() for line in lines)


def _violation_lines(r: ShaclResult) -> list[str]:
    return [
        f"  {_term(r.focus)}  {_term(r.path)}  {_term(r.value)}  [{r.rule_id}]",
        f"      {r.message('en')}",
    ]


def _result_json(r: ShaclResult) -> dict[str, Any]:
    return {
        "focus": str(r.focus),
        "path": str(r.path) if r.path is not None else None,
        "value": str(r.value) if r.value is not None else None,
        "severity": r.severity,
        "rule": r.rule_id,
        "constraint": str(r.constraint),
        "shape": str(r.shape),
        "message": r.message("en"),
        "messages": r.messages,
    }


def render_json(result: BuildResult) -> str:
    root = result.project.root
    data = {
        "out": str(result.out_dir),
        "conforms": result.conforms,
        "counts": result.report.counts(),
        "graphs": [
            {
                "name": g.name,
                "kind": g.kind,
                "file": g.path.relative_to(root).as_posix() if g.path else None,
                "triples": g.triples,
            }
            for g in result.graphs
        ],
        "union_triples": result.union_triples,
        "entities": result.entities,
        "validation": {"mode": result.validation, "note": result.validation_note},
        "results": [_result_json(r) for r in result.report.sorted()],
        "places_not_linked": result.place_warnings,
        "timings": {step: round(seconds, 3) for step, seconds in result.timings.items()},
        "files": [p.name for p in result.files],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


@click.command("build")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: dist/ in the project; for the bundled graph, a per-user "
    "cache folder). It is replaced as a whole, so it must be empty or a previous build's.",
)
@click.option("--full", is_flag=True, help="Ignore the cache: parse, reason and validate all.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Summary as text, or as JSON (with every validation result) for scripts.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the verdict and any violations.")
@click.pass_context
def build_command(
    ctx: click.Context, out_dir: Path | None, full: bool, fmt: str, quiet: bool
) -> None:
    """Load, reason, validate and write the dumps of the knowledge graph.

    Loads ontology/ and data/ (one named graph per file), adds the OWL 2 RL
    inferences as graph/inferred, validates everything against shapes/, and
    writes into the output folder: dataset.trig and dataset.nq (every named
    graph), graph.ttl, graph.nt and graph.jsonld (their union), shapes.ttl,
    void.ttl (a VoID description) and SHA256SUMS. The folder is written
    aside and swapped in, so a failed build leaves the previous one intact.
    A rebuild reuses what the last one computed for files that did not change.

    \b
    Exit codes:
      0  the graph conforms to the shapes (warnings allowed)
      1  it has violations (listed)
      2  it could not be built (e.g. data/x.ttl:12:5: a syntax error)

    \b
    Examples:
      icpc-kg build
      icpc-kg build --out /srv/icpc-kg/dumps --quiet
      icpc-kg build --format json | jq .counts
    """
    project = current_project(ctx)
    show_progress = not quiet and fmt == "text" and sys.stdout.isatty() and sys.stderr.isatty()
    line = ProgressLine(sys.stderr) if show_progress else None
    try:
        result = build(project, out_dir=out_dir, progress=line, full=full)
    finally:
        if line is not None:
            line.close()
    if fmt == "json":
        click.echo(render_json(result))
    else:
        click.echo(render_text(result, quiet=quiet))
    ctx.exit(0 if result.conforms else 1)
