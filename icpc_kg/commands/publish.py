"""``icpc-kg publish``: the command over :func:`icpc_kg.publish.publish`."""

from __future__ import annotations

import sys
from typing import Any

import click

from icpc_kg.commands.common import current_project, published
from icpc_kg.publish import (
    FLAVORS,
    GraphOutcome,
    PublishOptions,
    PublishProgress,
    PublishReport,
    publish,
)
from icpc_kg.publish.local import short_name
from icpc_kg.publish.run import GRAPH_STORE

PROGRESS_FROM = 20_000  # triples: smaller uploads finish before a bar would be read


@click.command("publish")
@click.option(
    "--store",
    required=True,
    metavar="URL",
    help="The store: its base URL or any of its endpoints, e.g. http://localhost:7878, "
    "http://localhost:3030/icpc, http://localhost:7200/repositories/icpc.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="Upload with SPARQL 1.1 Update (INSERT DATA, in batches) at this endpoint instead "
    "of the Graph Store Protocol; the swap goes there too.",
)
@click.option(
    "--flavor",
    type=click.Choice(FLAVORS),
    help="The store's product, which fixes its URL layout (default: told from the URL, or "
    "from read-only probes of the server).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show, per graph, how many triples would be added and removed; write nothing.",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="NAME",
    help="Publish only this graph (themes, graph/themes or its IRI); repeatable. Graphs "
    "that share blank nodes with it are published with it.",
)
@click.option(
    "--union-graph",
    is_flag=True,
    help="Also keep graph/union, a copy of the union of the live graphs, rewritten in the "
    "same swap: 'serve --store' answers over it several times faster than over the list of "
    "graphs. Doubles the triples stored; leave it off if the store's default graph is the "
    "union of all graphs (Oxigraph --union-default-graph), where it would show each triple "
    "twice. Publishing without it drops an existing graph/union.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="Seconds to wait for each request to the store (0: no limit); the swap request, "
    "which carries the whole publish, gets twelve times as long.",
)
@click.pass_context
def publish_command(
    ctx: click.Context,
    store: str,
    update_endpoint: str | None,
    flavor: str | None,
    dry_run: bool,
    graphs: tuple[str, ...],
    union_graph: bool,
    timeout: float,
) -> None:
    """Publish the built graph into a SPARQL 1.1 triple store (Oxigraph, Fuseki, GraphDB,
    Virtuoso, or any store with the Graph Store Protocol and SPARQL Update).

    Every named graph of dist/dataset.nq, and graph/shapes, is uploaded into a staging
    graph, its triple count checked, and then all of them are swapped over the live graphs
    in one update request, with graph/publication (the version, time, and per-graph counts
    and digests) last. Readers never see a half-published graph; graphs whose content the
    store already holds are skipped. docs/publishing.md has each store's URL layout.

    \b
    Credentials come from the environment only:
      ICPC_KG_STORE_TOKEN                          Bearer token
      ICPC_KG_STORE_USER, ICPC_KG_STORE_PASSWORD   Basic (Digest for Virtuoso)

    \b
    Examples:
      icpc-kg publish --store http://localhost:7878
      icpc-kg publish --store http://localhost:3030/icpc --dry-run
      icpc-kg publish --store http://localhost:7200/repositories/icpc --graph themes
      icpc-kg publish --store http://localhost:8890 --flavor virtuoso
      icpc-kg publish --store http://localhost:7878 --union-graph   # for serve --store

    Exit codes: 0 published (or nothing to do, or a dry run); 2 the store is unreachable,
    refused the credentials or a request, failed or lost the connection (the message names
    the graph and the step; the live graphs are unchanged), or the project does not build.
    """
    project = current_project(ctx)
    dataset = published(project)
    options = PublishOptions(
        store=store,
        flavor=flavor,
        update_endpoint=update_endpoint,
        graphs=graphs,
        dry_run=dry_run,
        timeout=timeout or None,
        union_graph=union_graph,
    )
    display = ProgressDisplay() if sys.stderr.isatty() else None
    try:
        report = publish(dataset.out_dir, options, display, version=dataset.version)
    finally:
        if display is not None:
            display.close()
    render(report)


class ProgressDisplay:
    """A progress bar on standard error for each upload of more than PROGRESS_FROM triples."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0

    def __call__(self, event: PublishProgress) -> None:
        if event.step != "upload":
            return
        if event.done == 0:
            self.close()
            if event.total >= PROGRESS_FROM:
                self.bar = click.progressbar(
                    length=event.total, label=f"uploading {event.graph}", file=sys.stderr
                )
                self.bar.__enter__()
                self.shown = 0
            return
        if self.bar is not None:
            self.bar.update(event.done - self.shown)
            self.shown = event.done
            if event.done >= event.total:
                self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def render(report: PublishReport) -> None:
    ends = report.endpoints
    click.echo(f"store: {ends.flavor} ({ends.detected_by})")
    if report.transport == GRAPH_STORE:
        click.echo(f"  upload: Graph Store Protocol at {ends.graph_store}")
    else:
        click.echo(f"  upload: SPARQL Update at {report.update_endpoint}")
    click.echo(f"  swap: one SPARQL Update request at {report.update_endpoint}")
    click.echo(f"  queries: {ends.query}")
    width = max([len(short_name(g.name)) for g in report.graphs] + [5])
    if report.dry_run:
        click.echo(f"{'graph':<{width}}  {'build':>8}  {'store':>8}  {'+add':>8}  {'-remove':>8}")
        for g in report.graphs:
            click.echo(
                f"{short_name(g.name):<{width}}  {_count(g.local):>8}  {g.before:>8}  "
                f"{'+' + str(g.added):>8}  {'-' + str(g.removed):>8}  {_action(g)}"
            )
    else:
        click.echo(f"{'graph':<{width}}  {'build':>8}  {'before':>8}  {'after':>8}")
        for g in report.graphs:
            click.echo(
                f"{short_name(g.name):<{width}}  {_count(g.local):>8}  {g.before:>8}  "
                f"{_count(g.after):>8}  {_action(g)}"
            )
    for note in report.notes:
        click.echo(f"note: {note}")
    stale = len(report.stale_staging)
    if report.dry_run:
        replaced = sum(1 for g in report.graphs if g.action == "replace")
        removed = sum(1 for g in report.graphs if g.action == "remove")
        extra = (
            f"; {stale} staging graph(s) left by an interrupted publish would be dropped"
            if stale
            else ""
        )
        click.echo(
            f"dry run: nothing was written; {replaced} graph(s) would be replaced, "
            f"{removed} removed{extra}"
        )
        return
    seconds = report.timings.get("total", 0.0)
    if not report.swapped:
        click.echo(f"unchanged: the store already holds version {report.version[:12]}")
        return
    if stale:
        click.echo(f"removed {stale} staging graph(s) left by an interrupted publish")
    was = report.previous_version[:12] if report.previous_version else "none"
    total = sum(g.after or 0 for g in report.graphs)
    click.echo(
        f"published version {report.version[:12]} (was {was}): {len(report.graphs)} graphs, "
        f"{total} triples, verified in the store; {seconds:.1f} s"
    )


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _action(outcome: GraphOutcome) -> str:
    if outcome.shares_with and outcome.action in ("published", "replace"):
        others = ", ".join(short_name(g) for g in outcome.shares_with)
        return f"{outcome.action} (shares blank nodes with {others})"
    return outcome.action
