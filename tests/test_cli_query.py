"""``icpc-kg query`` and ``icpc-kg queries``: wiring, formats and every exit code."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result

from icpc_kg.cli import main
from icpc_kg.project import Project
from tests.support.oxigraph_server import OxigraphServer

BIRMINGHAM = "https://w3id.org/icpc-kg/id/event/policing-for-prevention-1999-birmingham"


def run(project: Project, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--project", str(project.root), "query", *args], input=stdin)


def test_named_query_with_a_parameter_as_json(built_project: Project) -> None:
    result = run(built_project, "events-by-year", "--param", "year=1999", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [b["event"]["value"] for b in body["results"]["bindings"]] == [BIRMINGHAM]


def test_default_format_when_piped_is_sparql_json(built_project: Project) -> None:
    result = run(built_project, "events-by-year")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["head"]["vars"][0] == "event"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml", "table"])
def test_tabular_formats(built_project: Project, fmt: str) -> None:
    result = run(built_project, "events-by-year", "-p", "year=1999", "-f", fmt)
    assert result.exit_code == 0
    assert "policing-for-prevention-1999-birmingham" in result.stdout


def test_table_is_aligned_with_prefixed_names(built_project: Project) -> None:
    result = run(built_project, "events-by-year", "-p", "year=1999", "-f", "table")
    lines = result.stdout.splitlines()
    assert lines[2].startswith("id:event/policing-for-prevention-1999-birmingham")
    assert lines[-1] == "(1 row)"


@pytest.mark.parametrize(
    ("fmt", "parser"), [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]
)
def test_construct_formats(built_project: Project, fmt: str, parser: str) -> None:
    result = run(built_project, "event-card", "-p", f"event=<{BIRMINGHAM}>", "-f", fmt)
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format=parser)
    assert (
        rdflib.URIRef(BIRMINGHAM),
        rdflib.RDF.type,
        rdflib.URIRef("http://schema.org/Event"),
    ) in graph


def test_a_query_file_stdin_and_sparql_text(built_project: Project, tmp_path: Path) -> None:
    text = "SELECT ?n WHERE { <https://w3id.org/icpc-kg/id/org/iacp> <http://schema.org/name> ?n }"
    query_file = tmp_path / "mine.rq"
    query_file.write_text(text, encoding="utf-8")
    for args, stdin in ([[str(query_file)], None], [["-"], text], [["--sparql", text], None]):
        result = run(built_project, *args, "-f", "csv", stdin=stdin)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[1] == "International Association of Chiefs of Police"


def test_limit_cuts_and_says_so(built_project: Project) -> None:
    result = run(
        built_project, "--sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "3", "-f", "csv"
    )
    assert result.exit_code == 0
    assert len(list(csv.reader(io.StringIO(result.stdout)))) == 4
    assert "cut at 3 rows" in result.stderr


def test_syntax_error_gives_line_column_token_and_exit_2(built_project: Project) -> None:
    result = run(built_project, "--sparql", "SELECT ?s\nWHERE { ?s ?p ?o . FILTER(?o = ) }")
    assert result.exit_code == 2
    assert "line 2, column 20" in result.stderr and "FILTER" in result.stderr


def test_unknown_name_suggests_the_nearest(built_project: Project) -> None:
    result = run(built_project, "evnts-by-year")
    assert result.exit_code == 2
    assert "did you mean events-by-year" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events-by-year", "-p", "year=abc"], "parameter 'year' expects an xsd:gYear"),
        (["series-timeline"], "needs parameter 'series'"),
        (["events-by-year", "-p", "yaer=1999"], "did you mean 'year'"),
        (["events-by-year", "-p", "year"], "write it as name=value"),
    ],
)
def test_parameter_errors_say_which_and_what_is_expected(
    built_project: Project, args: list[str], message: str
) -> None:
    result = run(built_project, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_wrong_format_for_the_query_form(built_project: Project) -> None:
    result = run(built_project, "events-by-year", "-f", "turtle")
    assert result.exit_code == 2
    assert "does not apply to a SELECT query" in result.stderr


def test_service_is_refused(built_project: Project) -> None:
    result = run(
        built_project, "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    )
    assert result.exit_code == 2
    assert "SERVICE" in result.stderr


def test_timeout_stops_a_runaway_query(built_project: Project) -> None:
    result = run(
        built_project,
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "--timeout",
        "1",
    )
    assert result.exit_code == 2
    assert "stopped" in result.stderr


def test_same_output_from_a_remote_endpoint(
    built_project: Project, oxigraph: OxigraphServer
) -> None:
    local = run(built_project, "events-by-year", "-f", "csv")
    remote = run(built_project, "events-by-year", "-f", "csv", "--endpoint", oxigraph.query_url)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_queries_lists_names_titles_and_parameters(built_project: Project) -> None:
    result = CliRunner().invoke(main, ["--project", str(built_project.root), "queries"])
    assert result.exit_code == 0
    assert "events-by-year  (SELECT)" in result.stdout
    assert "--param year=<gYear>" in result.stdout
    listed = json.loads(
        CliRunner()
        .invoke(main, ["--project", str(built_project.root), "queries", "--format", "json"])
        .stdout
    )
    assert len(listed) == len(list(built_project.queries_dir.glob("*.rq")))
