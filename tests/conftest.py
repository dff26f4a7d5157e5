"""Shared fixtures: the project checkout and its reasoned dataset, built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from icpc_kg.build import assemble
from icpc_kg.load import LoadedDataset
from icpc_kg.project import Project, find_project
from icpc_kg.published import PublishedDataset, published_dataset
from tests.support.oxigraph_server import OxigraphServer, running_oxigraph
from tests.support.publishing import variant_project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project() -> Project:
    return find_project(REPO)


@pytest.fixture(scope="session")
def assembled(project: Project) -> LoadedDataset:
    """The bundled graph with graph/inferred; read-only: do not add to its store."""
    return assemble(project)


@pytest.fixture(scope="session")
def bundled_nquads(assembled: LoadedDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reasoned bundled dataset as an N-Quads file (what query workers load)."""
    path = tmp_path_factory.mktemp("bundled") / "dataset.nq"
    ox.serialize(
        assembled.store.quads_for_pattern(None, None, None, None), str(path), ox.RdfFormat.N_QUADS
    )
    return path


@pytest.fixture(scope="session")
def oxigraph(
    bundled_nquads: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OxigraphServer]:
    """A real Oxigraph server holding the bundled dataset (union default graph)."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db", bundled_nquads) as server:
        yield server


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the repository's content folders, built once (dist/ beside them); tests that
    run commands with ``--project`` share it and must not change it."""
    root = tmp_path_factory.mktemp("built") / "project"
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / name, root / name)
    project = Project(root)
    published_dataset(project)
    return project


@pytest.fixture(scope="session")
def version_a(built_project: Project) -> PublishedDataset:
    """The bundled project's build (what the publish tests publish first)."""
    return published_dataset(built_project)


@pytest.fixture(scope="session")
def version_b(built_project: Project, tmp_path_factory: pytest.TempPathFactory) -> PublishedDataset:
    """A second version: places edited and a new data file (tests/support/publishing.py)."""
    root = tmp_path_factory.mktemp("variant") / "project"
    return published_dataset(variant_project(built_project, root))
