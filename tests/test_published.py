"""Commands reuse the last build while the project is unchanged, and rebuild when it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from icpc_kg.project import Project
from icpc_kg.published import is_current, published_dataset
from tests.conftest import REPO


def _copy(root: Path) -> Project:
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / name, root / name)
    return Project(root)


def test_first_use_builds_then_reuses(tmp_path: Path) -> None:
    project = _copy(tmp_path / "p")
    first = published_dataset(project)
    assert first.rebuilt and first.nquads.is_file()
    second = published_dataset(project)
    assert not second.rebuilt and second.version == first.version


def test_a_changed_data_file_triggers_a_rebuild(tmp_path: Path) -> None:
    project = _copy(tmp_path / "p")
    before = published_dataset(project)
    places = project.data_dir / "places.ttl"
    places.write_text(
        places.read_text(encoding="utf-8").replace('"Birmingham"@fr', '"Birmingham (R.-U.)"@fr'),
        encoding="utf-8",
    )
    assert not is_current(project, project.dist_dir)
    after = published_dataset(project)
    assert after.rebuilt and after.version != before.version
    assert b"Birmingham (R.-U.)" in after.nquads.read_bytes()


def test_new_and_changed_shapes_make_the_build_stale(tmp_path: Path) -> None:
    project = _copy(tmp_path / "p")
    published_dataset(project)
    (project.shapes_dir / "extra.ttl").write_text("# no shapes yet\n", encoding="utf-8")
    assert not is_current(project, project.dist_dir)
    published_dataset(project)
    (project.data_dir / "new.ttl").write_text("", encoding="utf-8")
    assert not is_current(project, project.dist_dir)


def test_a_deleted_dump_is_rebuilt(tmp_path: Path) -> None:
    project = _copy(tmp_path / "p")
    first = published_dataset(project)
    first.nquads.unlink()
    again = published_dataset(project)
    assert again.rebuilt and again.version == first.version


def test_readers_that_write_nothing_use_a_current_build_or_a_temporary_file(
    tmp_path: Path,
) -> None:
    from icpc_kg.published import current_or_temporary_dataset

    project = _copy(tmp_path / "p")
    with current_or_temporary_dataset(project) as temporary:
        assert temporary.is_file() and not project.dist_dir.exists()
    assert not temporary.exists()
    built = published_dataset(project)
    with current_or_temporary_dataset(project) as path:
        assert path == built.nquads
