"""The Click commands of ``icpc-kg``, one module per command; cli.py registers COMMANDS."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
