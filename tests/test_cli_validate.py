"""``icpc-kg validate`` from the command line: exit codes 0/1/2, text, JSON and Turtle output,
--lang fr, --strict, standard input, --endpoint, the size cap, and no writes."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.namespace import RDF, SH

from icpc_kg.cli import main
from tests.support.contributions import FIXTURES, copy_project, snapshot
from tests.support.oxigraph_server import OxigraphServer

VALID = FIXTURES / "valid" / "montreal-seminar.ttl"
DANGLING = FIXTURES / "invalid" / "dangling-reference.ttl"
WARNINGS_ONLY = FIXTURES / "hostile" / "owl-imports.ttl"


@pytest.fixture(scope="module")
def endpoint(oxigraph: OxigraphServer) -> str:
    return oxigraph.query_url


def validate(*args: str, stdin: bytes | None = None, project: Path | None = None) -> Result:
    prefix = ["--project", str(project)] if project else []
    return CliRunner().invoke(main, [*prefix, "validate", *args], input=stdin)


def test_a_conforming_contribution_exits_0_on_the_embedded_graph() -> None:
    result = validate(str(VALID))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{VALID}: conforms: 0 violations, 0 warnings, 0 infos (5 resources checked)\n"
    )


def test_violations_exit_1_grouped_by_resource(endpoint: str) -> None:
    result = validate(str(DANGLING), "--endpoint", endpoint)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "id:event/prevention-forum-2023  (new)"
    assert (
        f"  {DANGLING}:12:33  Violation  DanglingReference  icpc:organizer  "
        "id:org/montreal-crime-prevention-office  id:org/montreal-crime-prevention-office is "
        "described neither in this contribution nor in the published graph"
    ) in result.stdout
    assert re.match(
        rf"{re.escape(str(DANGLING))}: does not conform: 4 violations, 2 warnings, 0 infos "
        r"\(1 resource checked\)$",
        lines[-1],
    )


def test_an_existing_resource_shows_its_diff(endpoint: str) -> None:
    result = validate(str(FIXTURES / "invalid" / "existing-resource.ttl"), "--endpoint", endpoint)
    assert '      + schema:startDate "1998-12"^^xsd:gYearMonth' in result.stdout
    assert '      - schema:startDate "1998-11"^^xsd:gYearMonth' in result.stdout


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            FIXTURES / "malformed" / "unknown-prefix.ttl",
            ":4:21: The prefix icpc: has not been declared",
        ),
        (FIXTURES / "malformed" / "missing-comma.jsonld", ":5:3: Expecting ',' delimiter"),
        (FIXTURES / "hostile" / "remote-context.jsonld", ": remote JSON-LD @context"),
        (FIXTURES / "hostile" / "external-entity.rdf", ":2:1: XML with a DTD"),
    ],
)
def test_unusable_input_exits_2_with_file_line_column(
    path: Path, message: str, endpoint: str
) -> None:
    result = validate(str(path), "--endpoint", endpoint)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}{message}")
    assert result.stdout == ""


def test_an_unknown_extension_asks_for_input_format(tmp_path: Path, endpoint: str) -> None:
    path = tmp_path / "contribution.txt"
    path.write_bytes(VALID.read_bytes())
    refused = validate(str(path), "--endpoint", endpoint)
    assert refused.exit_code == 2 and "pass --input-format" in refused.stderr
    accepted = validate(str(path), "--input-format", "turtle", "--endpoint", endpoint)
    assert accepted.exit_code == 0, accepted.output


def test_standard_input(endpoint: str) -> None:
    data = VALID.read_bytes()
    result = validate("-", "--input-format", "ttl", "--endpoint", endpoint, stdin=data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<stdin>: conforms")
    missing = validate("-", "--endpoint", endpoint, stdin=data)
    assert missing.exit_code == 2
    assert "reading standard input needs --input-format" in missing.stderr


def test_the_size_cap(endpoint: str) -> None:
    result = validate(str(VALID), "--max-bytes", "100", "--endpoint", endpoint)
    assert result.exit_code == 2
    assert "is over the input limit of 100 bytes" in result.stderr
    piped = validate(
        "-",
        "--input-format",
        "turtle",
        "--max-bytes",
        "100",
        "--endpoint",
        endpoint,
        stdin=VALID.read_bytes(),
    )
    assert piped.exit_code == 2 and "(--max-bytes raises it)" in piped.stderr


def test_strict_makes_warnings_fail(endpoint: str) -> None:
    assert validate(str(WARNINGS_ONLY), "--endpoint", endpoint).exit_code == 0
    strict = validate(str(WARNINGS_ONLY), "--strict", "--endpoint", endpoint)
    assert strict.exit_code == 1
    assert "does not conform (strict: warnings block): 0 violations, 3 warnings" in strict.stdout


def test_french_messages(endpoint: str) -> None:
    result = validate(str(DANGLING), "--lang", "fr", "--endpoint", endpoint)
    assert "n'est décrit ni dans cette contribution ni dans le graphe publié" in result.stdout
    assert f"{DANGLING} : non conforme : 4 violations, 2 avertissements, 0 info" in result.stdout


def test_json_output_has_the_documented_shape(endpoint: str) -> None:
    result = validate(str(DANGLING), "--format", "json", "--endpoint", endpoint)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {
        "conforms",
        "passes",
        "strict",
        "counts",
        "inputs",
        "resources",
        "results",
    }
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 4, "Warning": 2, "Info": 0}
    assert report["inputs"][0]["format"] == "turtle"
    assert report["resources"][0]["position"] == {"source": str(DANGLING), "line": 9, "column": 1}
    dangling = [r for r in report["results"] if r["ruleId"] == "DanglingReference"]
    assert dangling[0] == {
        "severity": "Violation",
        "ruleId": "DanglingReference",
        "focusNode": {
            "type": "uri",
            "value": "https://w3id.org/icpc-kg/id/event/prevention-forum-2023",
        },
        "resultPath": "https://w3id.org/icpc-kg/ontology#organizer",
        "value": {
            "type": "uri",
            "value": "https://w3id.org/icpc-kg/id/org/montreal-crime-prevention-office",
        },
        "message": dangling[0]["message"],
        "sourceConstraintComponent": "https://w3id.org/icpc-kg/checks#DanglingReference",
        "sourceShape": "https://w3id.org/icpc-kg/checks#DanglingReference",
        "position": {"source": str(DANGLING), "line": 12, "column": 33},
    }
    assert set(dangling[0]["message"]) == {"en", "fr"}


def test_json_carries_diffs_and_candidates(endpoint: str) -> None:
    existing = json.loads(
        validate(
            str(FIXTURES / "invalid" / "existing-resource.ttl"),
            "--format",
            "json",
            "--endpoint",
            endpoint,
        ).stdout
    )
    diffs = [r["diff"] for r in existing["results"] if r["ruleId"] == "ExistingResource"]
    seminar = "<https://w3id.org/icpc-kg/id/event/policing-for-prevention-1998-montreal>"
    month = "<http://www.w3.org/2001/XMLSchema#gYearMonth>"
    assert {
        "add": [f'{seminar} <http://schema.org/startDate> "1998-12"^^{month} .'],
        "remove": [f'{seminar} <http://schema.org/startDate> "1998-11"^^{month} .'],
    } in diffs
    duplicates = json.loads(
        validate(
            str(FIXTURES / "invalid" / "likely-duplicate.ttl"),
            "--format",
            "json",
            "--endpoint",
            endpoint,
        ).stdout
    )
    candidates = [r["candidate"] for r in duplicates["results"] if "candidate" in r]
    assert {
        "iri": "https://w3id.org/icpc-kg/id/org/iacp",
        "label": "International Association of Chiefs of Police",
        "score": 100.0,
        "reason": "acronym",
    } in candidates


def test_turtle_output_is_a_shacl_validation_report(endpoint: str) -> None:
    result = validate(str(DANGLING), "--format", "turtle", "--endpoint", endpoint)
    assert result.exit_code == 1
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == 6
    checks = rdflib.Namespace("https://w3id.org/icpc-kg/checks#")
    dangling = [
        r
        for r in results
        if graph.value(r, SH.sourceConstraintComponent) == checks.DanglingReference
    ]
    assert len(dangling) == 2
    for node in dangling:
        assert graph.value(node, RDF.type) == SH.ValidationResult
        assert graph.value(node, SH.resultSeverity) == SH.Violation
        assert graph.value(node, SH.focusNode) is not None
        assert {m.language for m in graph.objects(node, SH.resultMessage)} == {"en", "fr"}
        assert graph.value(node, checks.line) is not None


def test_validation_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    for path in (VALID, DANGLING):
        validate(str(path), "--format", "json", project=project)
    assert snapshot(tmp_path) == before
    assert list(scratch.iterdir()) == []
