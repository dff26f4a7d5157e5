"""``icpc-kg serve``: the command over :mod:`icpc_kg.server`."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from pathlib import Path

import click
import uvicorn

from icpc_kg.catalog import load_catalog
from icpc_kg.commands.common import current_project
from icpc_kg.commands.limits import MAX_DEPTH, MAX_HEADER, MAX_LITERAL, MAX_QUERY, input_limits
from icpc_kg.errors import IcpcKgError
from icpc_kg.executor import DEFAULT_TIMEOUT
from icpc_kg.publish import FLAVORS, Credentials, resolve_endpoints
from icpc_kg.server import ServerConfig, create_app
from icpc_kg.server.backend import Backend, EmbeddedUpdater
from icpc_kg.server.config import DEFAULT_MAX_BODY, DEFAULT_MAX_ROWS, UPDATE_TOKEN_ENV
from icpc_kg.server.dataset import prepare_dataset_apart
from icpc_kg.server.http_protocol import uvicorn_options
from icpc_kg.server.remote import StoreGenerations, StoreWatcher
from icpc_kg.store import EmbeddedStore
from icpc_kg.vocab import DEFAULT_BASE


def check_port(host: str, port: int) -> None:
    """Fail fast (before the dataset is prepared) when the address cannot be listened on."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise IcpcKgError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; choose another --port"
        ) from None


@click.command("serve")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Canonical base of the served IRIs; {base}id/... is served at /id/... of this host.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Query worker processes (each holds the dataset; a timed-out query kills only its own).",
)
@click.option(
    "--timeout",
    default=DEFAULT_TIMEOUT,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a query may run before it is stopped (the client gets 503).",
)
@click.option(
    "--max-rows",
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    type=click.IntRange(1),
    help="Rows (or triples) a query answer may hold; longer answers are cut and say so.",
)
@click.option(
    "--max-body",
    default=DEFAULT_MAX_BODY,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body in bytes (queries, contributions); larger gets 413.",
)
@MAX_QUERY
@MAX_DEPTH
@MAX_LITERAL
@MAX_HEADER
@click.option(
    "--enable-update",
    is_flag=True,
    help=f"Accept SPARQL Update with 'Authorization: Bearer ${UPDATE_TOKEN_ENV}'.",
)
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    help="Serve from an external SPARQL 1.1 store (filled by 'icpc-kg publish') instead of "
    "the embedded one. Credentials: ICPC_KG_STORE_TOKEN or ICPC_KG_STORE_USER/PASSWORD.",
)
@click.option(
    "--flavor",
    type=click.Choice(FLAVORS),
    help="With --store: the store's product (its URL layout); detected when not given.",
)
@click.option(
    "--refresh",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.5, 86400),
    help="With --store: seconds between checks for a new publication in the store.",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    files: tuple[Path, ...],
    host: str,
    port: int,
    base: str,
    workers: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    max_query: int,
    max_depth: int,
    max_literal: int,
    max_header: int,
    enable_update: bool,
    store_url: str | None,
    flavor: str | None,
    refresh: float,
    log_level: str,
) -> None:
    """Serve the graph: SPARQL endpoint, linked-data pages, query API, validation service.

    FILES are extra RDF files (any format) served on top of the project's graph; N-Quads and
    TriG keep their named graphs.

    \b
    Examples:
      icpc-kg serve                              # http://127.0.0.1:8000/
      icpc-kg serve my-contribution.ttl --port 8080
      ICPC_KG_UPDATE_TOKEN=secret icpc-kg serve --enable-update
      icpc-kg serve --store http://127.0.0.1:7878   # over an Oxigraph server
      icpc-kg serve --max-query 65536 --max-depth 50 --max-literal 100000 --max-header 8192
    """
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    if log_level != "debug":  # one line per request to the store is noise below debug
        logging.getLogger("httpx").setLevel(logging.WARNING)
    token = os.environ.get(UPDATE_TOKEN_ENV) if enable_update else None
    if enable_update and not token:
        raise click.UsageError(f"--enable-update needs a token in ${UPDATE_TOKEN_ENV}")
    project = current_project(ctx)
    if not base.endswith(("/", "#")):
        raise click.BadParameter("the base must end with '/' or '#'", param_hint="--base")
    if store_url is not None and files:
        raise click.UsageError(
            "--store serves what the store holds; publish extra files into it "
            "(or serve them without --store)"
        )
    if store_url is not None and enable_update:
        raise click.UsageError("--store is read-only here: change the store with icpc-kg publish")
    if flavor is not None and store_url is None:
        raise click.UsageError("--flavor goes with --store")
    check_port(host, port)
    runtime = Path(tempfile.mkdtemp(prefix="icpc-kg-serve-"))
    backend: Backend | None = None
    watcher: StoreWatcher | None = None
    try:
        if store_url is None:
            served = prepare_dataset_apart(project, files, runtime, base)
            store = EmbeddedStore(served.nquads, workers=workers)
            updater = (
                EmbeddedUpdater(served.nquads, runtime, workers, base) if enable_update else None
            )
            backend = Backend(store, served.version, served.dumps_dir, updater)
        else:
            credentials = Credentials.from_env()
            endpoints = resolve_endpoints(store_url, flavor, credentials, timeout)
            generations = StoreGenerations(endpoints, credentials, runtime, base, timeout)
            first = generations.first()
            backend = Backend(first.store, first.version, first.dumps_dir)
            watcher = StoreWatcher(backend, generations, refresh)
            watcher.start()
        config = ServerConfig(
            base=base,
            timeout=timeout,
            max_rows=max_rows,
            max_body=max_body,
            max_query=max_query,
            max_header=max_header,
            limits=input_limits(max_depth, max_literal),
            update_token=token,
            queries_dir=project.queries_dir,
            context_file=project.context_file,
            sources_dir=project.sources_dir,
            project=project,
        )
        catalog = load_catalog(project.queries_dir) if project.queries_dir.is_dir() else {}
        app = create_app(config, backend, catalog)
        served_from = project.root if store_url is None else backend.store.description
        click.echo(f"icpc-kg serving {served_from} on http://{host}:{port}/", err=True)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=log_level,
            access_log=log_level in ("info", "debug"),
            server_header=False,
            **uvicorn_options(max_header),
        )
    finally:
        if watcher is not None:
            watcher.stop()
        if backend is not None:
            backend.close()
        shutil.rmtree(runtime, ignore_errors=True)
