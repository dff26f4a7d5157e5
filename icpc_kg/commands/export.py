"""``icpc-kg export``: the command over :func:`icpc_kg.export.export_dataset`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from icpc_kg.commands.common import current_project, published
from icpc_kg.export import (
    CONTEXT_URL,
    EXPORT_FORMATS,
    PROFILES,
    check_export_options,
    export_dataset,
    frame_names,
    read_context_document,
)
from icpc_kg.fileio import write_atomically
from icpc_kg.published import load_published


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonld",
    show_default=True,
    help="Output syntax. N-Quads and TriG keep one named graph per source file; the others "
    "carry their union.",
)
@click.option(
    "--frame",
    metavar="NAME",
    help="JSON-LD only: nest each top-level entity with what it links to. Frames of the full "
    f"profile: {', '.join(frame_names('full'))}; of the schema profile: "
    f"{', '.join(frame_names('schema'))}.",
)
@click.option(
    "--profile",
    default="full",
    show_default=True,
    metavar="|".join(PROFILES),
    help="full: every asserted graph (ontology, themes, data, sources), the graph expanding "
    "the JSON-LD gives back. schema: only schema.org terms, after reasoning, for consumers "
    "that know schema.org and nothing else.",
)
@click.option(
    "--context-url",
    metavar="URL",
    help="JSON-LD only: name the context by this URL instead of embedding it, for readers "
    f"that fetch it from there (the published one is {CONTEXT_URL}, or a copy of "
    "ontology/context.jsonld a portal serves itself).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str,
    frame: str | None,
    profile: str,
    context_url: str | None,
    output: Path | None,
) -> None:
    """Export the knowledge graph for another portal.

    JSON-LD is compacted with the project context and embeds it, so the file
    expands anywhere, offline too; --context-url names a URL instead. The same
    input always gives the same bytes.

    \b
    Exit codes:
      0  exported
      2  unknown frame or profile (the valid ones are listed), a frame with a
         format other than jsonld, or a project that does not load

    \b
    Examples:
      icpc-kg export > icpc.jsonld
      icpc-kg export --frame events -o events.jsonld
      icpc-kg export --context-url https://w3id.org/icpc-kg/context.jsonld
      icpc-kg export --profile schema --frame events
      icpc-kg export --format turtle -o icpc.ttl
      icpc-kg export --format nquads | gzip > icpc.nq.gz
    """
    check_export_options(fmt, frame, profile, context_url)
    project = current_project(ctx)
    context_file = project.context_file
    context = read_context_document(context_file) if context_file.is_file() else None
    data = export_dataset(
        load_published(published(project)), fmt, frame, profile, context, context_url
    )
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, data)
