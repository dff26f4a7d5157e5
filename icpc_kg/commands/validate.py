"""``icpc-kg validate``: check a contribution against the published graph before it is merged."""

from __future__ import annotations

import click

from icpc_kg.commands.common import current_project
from icpc_kg.commands.limits import MAX_DEPTH, MAX_LITERAL, input_limits
from icpc_kg.contribution.model import DEFAULT_MAX_BYTES, ContributionInput
from icpc_kg.errors import InputError, InputTooLargeError
from icpc_kg.executor import DEFAULT_TIMEOUT
from icpc_kg.rdfio import FORMATS


def contribution_inputs(
    files: tuple[str, ...], input_format: str | None, max_bytes: int
) -> list[ContributionInput]:
    """One input per FILE; ``-`` reads standard input, whose format must be given."""
    if files.count("-") > 1:
        raise InputError("standard input (-) can be given only once")
    inputs = []
    for name in files:
        if name == "-":
            if not input_format:
                raise InputError(
                    f"reading standard input needs --input-format ({', '.join(FORMATS)})"
                )
            with click.open_file("-", "rb") as stream:
                data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputTooLargeError(
                    f"<stdin>: more than {max_bytes:,} bytes, over the input limit "
                    "(--max-bytes raises it)"
                )
            inputs.append(ContributionInput.from_bytes(data, input_format))
        else:
            inputs.append(ContributionInput.from_path(name, input_format))
    return inputs


FILES = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
INPUT_FORMAT = click.option(
    "--input-format",
    metavar="FORMAT",
    help=f"Syntax of the inputs ({', '.join(FORMATS)}); default: from each file's extension. "
    "Required for standard input.",
)
LANG = click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Language of the messages.",
)
STRICT = click.option("--strict", is_flag=True, help="Warnings also make the contribution fail.")
MAX_BYTES = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse an input larger than this many bytes.",
)
ENDPOINT = click.option(
    "--endpoint",
    metavar="URL",
    help="Check against the graph in this SPARQL 1.1 endpoint instead of the project's own.",
)
TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds allowed for each query to the graph.",
)


@click.command("validate")
@FILES
@INPUT_FORMAT
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text: grouped by resource; json: the documented report; turtle: sh:ValidationReport.",
)
@LANG
@STRICT
@MAX_BYTES
@MAX_DEPTH
@MAX_LITERAL
@ENDPOINT
@TIMEOUT
@click.pass_context
def validate_command(
    ctx: click.Context,
    files: tuple[str, ...],
    input_format: str | None,
    output_format: str,
    lang: str,
    strict: bool,
    max_bytes: int,
    max_depth: int,
    max_literal: int,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Check a contribution (FILE... or - for standard input) before it is merged.

    Reads Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML. The contribution is checked
    with the shapes, in the context of the published graph and the ontology (with reasoning),
    for dangling references, changes to existing resources, likely duplicates, identifiers
    outside the project base, changes to ontology terms and blank-node entities. Nothing is
    written.

    \b
    Exit codes: 0 conforms (warnings allowed unless --strict), 1 does not conform,
    2 unusable input (syntax error, unknown format, too large, unsafe) or the graph
    could not be queried.

    \b
    Examples:
      icpc-kg validate new-event.ttl
      icpc-kg validate --format json --lang fr partner.jsonld
      curl -s https://partner.example/data.ttl | icpc-kg validate --input-format turtle -
      icpc-kg validate --endpoint http://localhost:7878/query new-event.ttl
      icpc-kg validate --max-depth 50 --max-literal 65536 untrusted.jsonld
    """
    # Imported here so that the rest of the command line does not pay for them.
    from icpc_kg.contribution.published import open_published_store
    from icpc_kg.contribution.render import RENDERERS
    from icpc_kg.contribution.validate import validate_contribution

    project = current_project(ctx)
    inputs = contribution_inputs(files, input_format, max_bytes)
    with open_published_store(project, endpoint) as store:
        report = validate_contribution(
            inputs,
            store,
            project,
            max_bytes=max_bytes,
            timeout=timeout,
            limits=input_limits(max_depth, max_literal),
        )
    click.echo(RENDERERS[output_format](report, lang, strict), nl=False)
    ctx.exit(report.exit_code(strict))
