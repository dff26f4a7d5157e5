"""Helpers every command shares: finding the project from the group's ``--project``."""

from __future__ import annotations

import click

from icpc_kg.project import Project, find_project


def current_project(ctx: click.Context) -> Project:
    """The project named by ``icpc-kg --project`` (or found from the current folder)."""
    root = ctx.find_root()
    chosen = (root.obj or {}).get("project") if root.obj else None
    return find_project(chosen)
