"""Where the content folders (ontology/, data/, shapes/, queries/) and the build output live.

A *project* is a folder holding the four content folders. In a checkout it is the checkout
itself; after ``pip install .`` the package carries a copy (``icpc_kg/_content``) so the
bundled graph works from anywhere. Build output goes to ``<project>/dist`` for a checkout and
to a per-user cache folder for the bundled copy, which is read-only in spirit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from icpc_kg.errors import ProjectError

CONTENT_FOLDERS = ("ontology", "data", "shapes", "queries")
PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_CONTENT = PACKAGE_DIR / "_content"
SOURCE_CHECKOUT = PACKAGE_DIR.parent


@dataclass(frozen=True)
class Project:
    root: Path
    bundled: bool = False

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def sources_dir(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def contributions_dir(self) -> Path:
        return self.root / "data" / "contributions"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def context_file(self) -> Path:
        return self.root / "ontology" / "context.jsonld"

    @property
    def dist_dir(self) -> Path:
        override = os.environ.get("ICPC_KG_DIST")
        if override:
            return Path(override)
        if self.bundled:
            cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            return cache / "icpc-kg" / "dist"
        return self.root / "dist"


def is_project(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in ("ontology", "data", "shapes"))


def find_project(explicit: str | os.PathLike[str] | None = None) -> Project:
    """The project to work on: ``explicit``, else $ICPC_KG_PROJECT, else the current folder
    if it is a project, else the source checkout this package runs from, else the bundled copy.
    """
    chosen = explicit or os.environ.get("ICPC_KG_PROJECT")
    if chosen:
        root = Path(chosen).resolve()
        if not is_project(root):
            missing = [n for n in CONTENT_FOLDERS if not (root / n).is_dir()]
            raise ProjectError(
                f"{root}: not an icpc-kg project (missing {', '.join(missing)}/); "
                "point --project at a folder holding ontology/, data/ and shapes/"
            )
        return Project(root)
    cwd = Path.cwd()
    if is_project(cwd):
        return Project(cwd.resolve())
    if is_project(SOURCE_CHECKOUT):
        return Project(SOURCE_CHECKOUT)
    if is_project(BUNDLED_CONTENT):
        return Project(BUNDLED_CONTENT, bundled=True)
    raise ProjectError(
        "cannot find the icpc-kg content folders (ontology/, data/, shapes/); "
        "reinstall the package or pass --project"
    )
