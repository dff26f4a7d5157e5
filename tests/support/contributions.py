"""Helpers for the contribution tests: the fixture set, expectations written in fixture
headers, project copies and folder snapshots."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "contributions"
REPO = FIXTURES.parent.parent


@dataclass(frozen=True)
class Expected:
    """``# expect: SEVERITY RULE FOCUS [PATH]`` in a fixture's header: FOCUS is a prefixed
    name (``id:event/x``), an ``<IRI>``, or ``[ CLASS ]`` for a blank node of that class."""

    severity: str
    rule_id: str
    focus: str
    path: str | None


_EXPECT = re.compile(r"^# expect: (\S+) (\S+) (\[ \S+ \]|\S+)(?: (\S+))?\s*$")


def expectations(path: Path) -> list[Expected]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            out.append(Expected(*match.groups()))
    return out


def fixtures_with_expectations() -> list[Path]:
    return sorted(
        p
        for folder in ("invalid", "hostile")
        for p in (FIXTURES / folder).iterdir()
        if p.suffix == ".ttl" and expectations(p)
    )


def copy_project(target: Path) -> Path:
    """A writable copy of the checkout's content folders."""
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / name, target / name)
    return target


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
