"""``icpc-kg query`` and ``icpc-kg queries``: the commands over :mod:`icpc_kg.query`."""

from __future__ import annotations

import json
import sys

import click

from icpc_kg.commands.common import current_project, published
from icpc_kg.commands.limits import MAX_DEPTH, MAX_LITERAL, input_limits
from icpc_kg.errors import UnsupportedFormatError
from icpc_kg.query import list_queries, parse_params, prepare, run_serialized, select_query
from icpc_kg.results import GRAPH_FORMATS, TABULAR_FORMATS
from icpc_kg.sparql import check_read_only_query
from icpc_kg.store import EmbeddedStore, RemoteStore, Store

ALL_FORMATS = sorted(set(TABULAR_FORMATS) | set(GRAPH_FORMATS))


@click.command("query")
@click.argument("target", required=False, metavar="[NAME | FILE.rq | -]")
@click.option("--sparql", "sparql_text", metavar="TEXT", help="Run this SPARQL text instead.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of a named query, typed and checked against its header; repeatable.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(ALL_FORMATS),
    help="Output format. SELECT/ASK: table, json, xml, csv, tsv. CONSTRUCT/DESCRIBE: "
    "table, turtle, ntriples, jsonld, rdfxml, trig, nquads. Default: table on a terminal, "
    "else json (SELECT/ASK) or turtle (CONSTRUCT/DESCRIBE).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run the query on this SPARQL endpoint instead of the project's graph. Credentials: "
    "ICPC_KG_STORE_TOKEN (Bearer) or ICPC_KG_STORE_USER/ICPC_KG_STORE_PASSWORD (Basic).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Stop the query after this many seconds (0: no limit).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Print at most this many rows or triples."
)
@MAX_DEPTH
@MAX_LITERAL
@click.pass_context
def query_command(
    ctx: click.Context,
    target: str | None,
    sparql_text: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    endpoint: str | None,
    timeout: float,
    limit: int | None,
    max_depth: int,
    max_literal: int,
) -> None:
    """Run a SPARQL query on the graph: a named query from queries/, a .rq file, standard
    input (-) or --sparql TEXT.

    The graph is the project's built dataset (built first if the project changed), with the
    default graph as the union of every named graph, ontology and inferences included.

    \b
    Examples:
      icpc-kg query events-by-year --param year=1999
      icpc-kg query events-in-place -p place=id:place/montreal --format csv
      icpc-kg query my-question.rq --format json > answer.json
      echo 'ASK { ?s a <http://schema.org/Event> }' | icpc-kg query -
      icpc-kg query --sparql 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'
      icpc-kg query partners --endpoint http://localhost:7878/query
      icpc-kg query generated.rq --max-depth 500   # a machine-written query nesting deeply

    Exit codes: 0 answered; 2 syntax error (line:column and token), unknown query name
    (with the nearest names), missing or ill-typed parameter, timeout, or unreachable store.
    """
    project = current_project(ctx)
    query = select_query(target, sparql_text, project.queries_dir, sys.stdin.read)
    prepared = prepare(query, parse_params(params))
    chosen = fmt or _default_format(prepared.form)
    graph_query = prepared.form in ("CONSTRUCT", "DESCRIBE")
    allowed = GRAPH_FORMATS if graph_query else TABULAR_FORMATS
    if chosen not in allowed:
        raise UnsupportedFormatError(
            f"--format {chosen} does not apply to a {prepared.form} query; use one of "
            f"{', '.join(allowed)}"
        )
    # Checked before a worker starts: nesting, literals, SERVICE/LOAD, updates.
    info = check_read_only_query(
        prepared.sparql, input_limits(max_depth, max_literal), max_query=sys.maxsize
    )
    store: Store
    if endpoint:
        store = RemoteStore(endpoint)
    else:
        store = EmbeddedStore(published(project).nquads, workers=1)
    try:
        result = run_serialized(store, prepared, chosen, limit, timeout or None, info)
    finally:
        store.close()
    sys.stdout.buffer.write(result.body)
    sys.stdout.flush()
    if result.truncated:
        noun = "triples" if result.kind == "graph" else "rows"
        click.echo(f"note: output cut at {limit} {noun} (--limit)", err=True)


def _default_format(form: str) -> str:
    if sys.stdout.isatty():
        return "table"
    return "turtle" if form in ("CONSTRUCT", "DESCRIBE") else "json"


@click.command("queries")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one block per query; json: the catalogue as JSON.",
)
@click.pass_context
def queries_command(ctx: click.Context, fmt: str) -> None:
    """List the named queries: name, title and parameters.

    \b
    Examples:
      icpc-kg queries
      icpc-kg queries --format json | jq '.[].name'
    """
    catalog = list_queries(current_project(ctx).queries_dir)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "title": q.title,
                        "description": q.description,
                        "form": q.kind,
                        "params": [
                            {
                                "name": p.name,
                                "type": p.type,
                                "required": p.required,
                                "default": p.default,
                                "description": p.description,
                            }
                            for p in q.params
                        ],
                    }
                    for q in catalog
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for q in catalog:
        click.echo(f"{q.name}  ({q.kind})\n  {q.title}")
        for p in q.params:
            need = (
                "required"
                if p.required
                else (f"default {p.default}" if p.default is not None else "optional")
            )
            click.echo(f"  --param {p.name}=<{p.type}>  {need}: {p.description}")
        click.echo("")
