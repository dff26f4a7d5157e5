"""The Click commands of ``icpc-kg``, one module per command; cli.py registers COMMANDS."""

from __future__ import annotations

import click

from icpc_kg.commands.add import add_command
from icpc_kg.commands.build import build_command
from icpc_kg.commands.export import export_command
from icpc_kg.commands.extract import extract_command
from icpc_kg.commands.publish import publish_command
from icpc_kg.commands.query import queries_command, query_command
from icpc_kg.commands.serve import serve_command
from icpc_kg.commands.validate import validate_command

COMMANDS: list[click.Command] = [
    build_command,
    serve_command,
    query_command,
    queries_command,
    validate_command,
    add_command,
    export_command,
    extract_command,
    publish_command,
]
