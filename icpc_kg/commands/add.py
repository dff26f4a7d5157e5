"""``icpc-kg add``: validate a contribution, and if it passes, write it into data/contributions/."""

from __future__ import annotations

import click

from icpc_kg.commands.common import current_project
from icpc_kg.commands.validate import (
    ENDPOINT,
    FILES,
    INPUT_FORMAT,
    LANG,
    MAX_BYTES,
    STRICT,
    TIMEOUT,
    contribution_inputs,
)


@click.command("add")
@FILES
@click.option(
    "--by",
    required=True,
    metavar="NAME",
    help="Who contributes it (a person or an organisation); recorded in the provenance.",
)
@click.option("--message", metavar="TEXT", help="What the contribution is; recorded with it.")
@click.option(
    "--slug",
    metavar="SLUG",
    help="File name under data/contributions/ (default: from the first file's name).",
)
@click.option("--replace", is_flag=True, help="Overwrite a contribution of the same name.")
@INPUT_FORMAT
@LANG
@STRICT
@MAX_BYTES
@ENDPOINT
@TIMEOUT
@click.pass_context
def add_command(
    ctx: click.Context,
    files: tuple[str, ...],
    by: str,
    message: str | None,
    slug: str | None,
    replace: bool,
    input_format: str | None,
    lang: str,
    strict: bool,
    max_bytes: int,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Add a contribution (FILE... in any RDF syntax) to data/contributions/.

    The contribution is validated as by icpc-kg validate; only one that conforms (with
    --strict: without warnings either) is written, as Turtle, with a provenance node (source
    files and their sha256, today's date, --by, --message). The write is atomic and never
    overwrites an existing contribution unless --replace. The next icpc-kg build includes it.

    \b
    Exit codes: 0 added, 1 not added (the contribution does not conform), 2 unusable input,
    an existing contribution, or a read-only (installed) project.

    \b
    Example:
      icpc-kg add new-event.ttl --by "Montreal Urban Safety Office" --message "May 2024 seminar"
    """
    from icpc_kg.contribution.add import add_contribution
    from icpc_kg.contribution.published import open_published_store
    from icpc_kg.contribution.render import render_text

    project = current_project(ctx)
    inputs = contribution_inputs(files, input_format, max_bytes)
    with open_published_store(project, endpoint) as store:
        result = add_contribution(
            inputs,
            store,
            project,
            by=by,
            message=message,
            slug=slug,
            replace=replace,
            strict=strict,
            max_bytes=max_bytes,
            timeout=timeout,
        )
    if result.report.results or result.path is None:
        click.echo(render_text(result.report, lang, strict), nl=False)
    if result.path is None:
        click.echo("not added: fix the results above and run icpc-kg add again", err=True)
        ctx.exit(1)
    click.echo(
        f"added {result.path} ({result.triples} triples, {result.graph}); "
        "icpc-kg build publishes it"
    )
