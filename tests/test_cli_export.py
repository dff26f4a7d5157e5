"""``icpc-kg export`` from the command line: output, -o, formats, exit codes 0 and 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from icpc_kg.cli import main
from icpc_kg.export import CONTEXT_URL, SCHEMA_CONTEXT, read_context_document
from tests.conftest import REPO


def run(*args: str, project: Path = REPO) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["--project", str(project), "export", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


def test_jsonld_with_the_project_context_embedded_on_stdout_by_default() -> None:
    code, out, err = run()
    assert code == 0, err
    document = json.loads(out)
    assert document["@context"] == read_context_document()["@context"]
    ids = {node["@id"] for node in document["@graph"]}
    assert "id:event/policing-for-prevention-2001-washington" in ids


def test_context_url_names_the_context_and_is_refused_where_it_cannot_apply() -> None:
    code, out, err = run("--frame", "events", "--context-url", CONTEXT_URL)
    assert code == 0, err
    assert json.loads(out)["@context"] == CONTEXT_URL
    code, out, err = run("--format", "turtle", "--context-url", CONTEXT_URL)
    assert (code, out) == (2, b"")
    assert "only JSON-LD names a context" in err


def test_a_frame_written_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "events.jsonld"
    code, out, err = run("--frame", "events", "-o", str(target))
    assert code == 0, err
    assert out == b""
    document = json.loads(target.read_bytes())
    washington = next(
        n
        for n in document["@graph"]
        if n["@id"].endswith("policing-for-prevention-2001-washington")
    )
    assert len(washington["coOrganizer"]) == 4
    assert [p.name for p in target.parent.iterdir()] == ["events.jsonld"]  # no temporary left


def test_the_schema_profile() -> None:
    code, out, err = run("--profile", "schema", "--frame", "people")
    assert code == 0, err
    document = json.loads(out)
    assert document["@context"] == SCHEMA_CONTEXT
    assert {n["@type"] for n in document["@graph"]} == {"Person"}


def test_turtle_and_nquads() -> None:
    code, out, err = run("--format", "turtle")
    assert code == 0, err
    assert b"@prefix icpc: <https://w3id.org/icpc-kg/ontology#> .\n" in out
    assert b"@prefix sd:" not in out  # only the prefixes it uses
    triples = list(ox.parse(out, format=ox.RdfFormat.TURTLE))
    code, out, err = run("--format", "nquads")
    assert code == 0, err
    quads = list(ox.parse(out, format=ox.RdfFormat.N_QUADS))
    assert len(quads) >= len(triples) > 2000
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in quads)


@pytest.mark.parametrize("args", [("--format", "turtle"), ("--frame", "events"), ()])
def test_two_processes_write_the_same_bytes(args: tuple[str, ...]) -> None:
    def export(seed: str) -> bytes:
        command = [sys.executable, "-m", "icpc_kg", "--project", str(REPO), "export", *args]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run(command, check=True, capture_output=True, env=env).stdout

    assert export("1") == export("2")


def test_an_unknown_frame_exits_2_and_lists_the_valid_ones() -> None:
    code, out, err = run("--frame", "venues")
    assert code == 2
    assert out == b""
    assert err == (
        "error: unknown frame 'venues' for the full profile; "
        "use one of events, organisations, people, publications, themes\n"
    )


def test_an_unknown_profile_exits_2_and_lists_the_valid_ones() -> None:
    code, _, err = run("--profile", "web")
    assert code == 2
    assert err == "error: unknown profile 'web'; use one of full, schema\n"


def test_a_frame_with_another_format_exits_2() -> None:
    code, _, err = run("--format", "turtle", "--frame", "events")
    assert code == 2
    assert "--format jsonld" in err


def test_an_unknown_format_exits_2() -> None:
    code, _, err = run("--format", "yaml")
    assert code == 2
    assert "'yaml' is not one of 'jsonld', 'turtle'" in err


def test_a_project_that_does_not_parse_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    for folder in ("ontology", "data", "shapes"):
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "broken.ttl").write_text(
        "<https://w3id.org/icpc-kg/id/x> <http://schema.org/name> .\n", encoding="utf-8"
    )
    target = tmp_path / "out.jsonld"
    code, _, err = run("-o", str(target), project=tmp_path)
    assert code == 2
    assert err.startswith("error: ") and "broken.ttl:1:" in err
    assert not target.exists()


def test_help_shows_examples_and_exit_codes() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "icpc-kg export --frame events -o events.jsonld" in result.output
    assert "events, organisations, people, publications, themes" in " ".join(result.output.split())
    assert "Exit codes:" in result.output
