"""``icpc-kg build`` from the command line: summary, exit codes 0/1/2, JSON, quiet, --out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpc_kg.cli import main
from icpc_kg.dumps import OUTPUT_FILES
from tests.test_build import EX, TEST_DATA, copy_project, snapshot


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--project", str(root), "build", *args])
    return result.exit_code, result.stdout, result.stderr


def test_build_exits_0_and_prints_the_summary(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p").root
    code, out, err = run(root)
    assert code == 0, out + err
    assert sorted(p.name for p in (root / "dist").iterdir()) == sorted(OUTPUT_FILES)
    assert "Triples per graph" in out
    assert re.search(r"graph:lunch-seminars\s+[\d,]+\s+data/lunch-seminars\.ttl", out)
    assert re.search(r"graph:inferred\s+[\d,]+", out)
    assert re.search(r"union \(distinct\)\s+[\d,]+", out)
    assert re.search(r"icpc:Seminar\s+\d+", out)
    assert re.search(r"Validation: conforms — 0 violations, [\d,]+ warnings, [\d,]+ infos", out)
    assert err == ""  # no progress lines when the output is not a terminal


def test_a_malformed_file_exits_2_with_its_position_and_keeps_dist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p").root
    assert run(root, "--quiet")[0] in (0, 1)
    before = snapshot(root / "dist")
    (root / "data" / "places.ttl").write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "<https://w3id.org/icpc-kg/id/place/x> schema:name\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    code, out, err = run(root)
    assert code == 2
    assert out == ""
    assert re.match(r"error: data/places\.ttl:\d+:\d+: \S", err), err
    assert snapshot(root / "dist") == before


def test_violations_exit_1_and_are_listed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", extra=True).root
    (root / "data" / "build-test.ttl").write_text(
        TEST_DATA.replace('ex:t2 a ex:Thing ; ex:label "two" ;', "ex:t2 a ex:Thing ;"),
        encoding="utf-8",
    )
    code, out, _ = run(root)
    assert code == 1
    assert re.search(r"Validation: does not conform — [1-9]\d* violations", out)
    listed = [line for line in out.splitlines() if EX + "t2" in line]
    assert listed and f"<{EX}label>" in listed[0]
    assert "no label" in out.split(listed[0], 1)[1].splitlines()[1]
    assert (root / "dist" / "SHA256SUMS").is_file()  # the build ran; the exit code tells CI


def test_json_summary_and_quiet(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", extra=True).root
    code, out, _ = run(root, "--format", "json", "--out", str(tmp_path / "out"))
    data = json.loads(out)
    assert code == (0 if data["conforms"] else 1)
    assert data["out"] == str(tmp_path / "out")
    assert sorted(data["files"]) == sorted(OUTPUT_FILES)
    assert set(data["counts"]) == {"Violation", "Warning", "Info"}
    assert data["graphs"][-1]["name"].endswith("/graph/inferred")
    assert data["union_triples"] > 0 and data["entities"]
    assert set(data["timings"]) == {"load", "reason", "validate", "write", "total"}
    assert data["validation"]["mode"] == "full"

    code, out, _ = run(root, "--quiet", "--out", str(tmp_path / "out"))
    assert out.startswith("Validation: ")
    assert "Triples per graph" not in out


def test_help_explains_exit_codes_with_an_example() -> None:
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    for text in ("Exit codes:", "0  the graph conforms", "Examples:", "icpc-kg build", "--full"):
        assert text in result.output
