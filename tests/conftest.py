"""Shared fixtures: the project checkout and its reasoned dataset, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpc_kg.build import assemble
from icpc_kg.load import LoadedDataset
from icpc_kg.project import Project, find_project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project() -> Project:
    return find_project(REPO)


@pytest.fixture(scope="session")
def assembled(project: Project) -> LoadedDataset:
    """The bundled graph with graph/inferred; read-only: do not add to its store."""
    return assemble(project)
