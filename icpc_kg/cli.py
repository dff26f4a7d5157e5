"""The ``icpc-kg`` command line: one Click group; each command lives in icpc_kg/commands/.

Commands only parse options, call one library function and render its result. Every
deliberate error (:mod:`icpc_kg.errors`) is turned into a one-line message and its exit code
here, in one place; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from icpc_kg import __version__
from icpc_kg.errors import IcpcKgError
from icpc_kg.terminal import printable


class IcpcKgGroup(click.Group):
    """A group that reports :class:`IcpcKgError` as ``error: message`` and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IcpcKgError as error:
            click.echo(f"error: {printable(str(error))}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=IcpcKgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="icpc-kg")
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True),
    envvar="ICPC_KG_PROJECT",
    help="Folder holding ontology/, data/, shapes/ and queries/ (default: the current folder "
    "if it is one, else the graph bundled with the package).",
)
@click.pass_context
def main(ctx: click.Context, project: str | None) -> None:
    """Build, check, query and publish the ICPC knowledge graph.

    \b
    Examples:
      icpc-kg build                 # load, reason, validate, write dist/
      icpc-kg query events-by-year  # run a named query
      icpc-kg serve                 # SPARQL endpoint and linked-data site on :8000
    """
    ctx.obj = {"project": project}


def _register() -> None:
    from icpc_kg.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register()
