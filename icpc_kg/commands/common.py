"""Helpers every command shares: the project from the group's ``--project``, and its built
dataset."""

from __future__ import annotations

import sys

import click

from icpc_kg.project import Project, find_project
from icpc_kg.published import PublishedDataset, published_dataset


def current_project(ctx: click.Context) -> Project:
    """The project named by ``icpc-kg --project`` (or found from the current folder)."""
    root = ctx.find_root()
    chosen = (root.obj or {}).get("project") if root.obj else None
    return find_project(chosen)


def published(project: Project) -> PublishedDataset:
    """The project's built dataset, building it first (with a progress line on a terminal)
    when the project changed since the last build."""
    from icpc_kg.commands.build import ProgressLine

    progress = ProgressLine(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = published_dataset(project, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if result.rebuilt:
        click.echo(f"note: built the graph into {result.out_dir} first", err=True)
    return result
