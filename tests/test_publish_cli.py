"""``icpc-kg publish``: wiring, output and exit codes; and ``icpc-kg query --endpoint`` on the
published store answers as the local graph does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpc_kg.cli import main
from icpc_kg.project import Project
from tests.support.oxigraph_server import OxigraphServer, free_port, running_oxigraph
from tests.support.store_proxy import StoreProxy

pytestmark = pytest.mark.store

# Named queries and parameters that need nothing else; each answers with several rows.
QUERIES = [
    ("events-by-year", ()),
    ("events-in-place", ()),
    ("partners", ()),
    ("people", ()),
    ("presenters", ()),
    ("publication-parts", ()),
    ("schema-events", ()),
    ("schema-creative-works", ()),
    ("studies-and-plans", ()),
    ("themes-across-events", ()),
    ("key-points", ()),
    ("provenance", ("resource=id:event/international-strategic-seminars",)),
    ("provenance-gaps", ()),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OxigraphServer]:
    with running_oxigraph(tmp_path / "db") as server:
        yield server


def run(project: Project, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--project", str(project.root), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_publish_then_nothing_to_do(built_project: Project, store: OxigraphServer) -> None:
    code, out, err = run(built_project, "publish", "--store", store.base_url)
    assert (code, err) == (0, "")
    assert "store: oxigraph" in out
    assert "graph/strategic-seminars" in out and "graph/shapes" in out
    assert "published version" in out and "verified in the store" in out

    code, out, _ = run(built_project, "publish", "--store", store.query_url)
    assert code == 0
    assert "unchanged: the store already holds version" in out


def test_dry_run_table(built_project: Project, store: OxigraphServer) -> None:
    code, out, _ = run(built_project, "publish", "--store", store.base_url, "--dry-run")
    assert code == 0
    assert "+add" in out and "-remove" in out
    line = next(row for row in out.splitlines() if row.startswith("graph/themes "))
    assert line.split()[1:5] == ["267", "0", "+267", "-0"]
    assert "dry run: nothing was written" in out
    code, out, _ = run(
        built_project,
        "query",
        "--sparql",
        "ASK { GRAPH ?g { ?s ?p ?o } }",
        "--endpoint",
        store.query_url,
        "--format",
        "json",
    )
    assert json.loads(out)["boolean"] is False


def test_unreachable_store_exits_2(built_project: Project) -> None:
    code, _, err = run(built_project, "publish", "--store", f"http://127.0.0.1:{free_port()}")
    assert code == 2
    assert err.startswith("error: cannot reach http://127.0.0.1:")


def test_credentials_come_from_the_environment_only(
    built_project: Project, store: OxigraphServer
) -> None:
    with StoreProxy(store.base_url, bearer="t0ken") as proxy:
        args = ("publish", "--store", proxy.url, "--flavor", "oxigraph")
        code, _, err = run(built_project, *args, env={"ICPC_KG_STORE_TOKEN": ""})
        assert code == 2
        assert "refused the credentials (HTTP 401)" in err and "ICPC_KG_STORE_TOKEN" in err
        code, out, _ = run(built_project, *args, env={"ICPC_KG_STORE_TOKEN": "t0ken"})
        assert code == 0 and "published version" in out
    code, out, _ = run(built_project, "publish", "--help")
    assert "ICPC_KG_STORE_TOKEN" in out
    assert "--password" not in out and "--token" not in out and "--user" not in out
    code, _, err = run(built_project, "publish", "--store", store.base_url, "--password", "x")
    assert code == 2 and "No such option" in err


def test_unknown_graph_names_the_valid_ones(built_project: Project, store: OxigraphServer) -> None:
    code, _, err = run(built_project, "publish", "--store", store.base_url, "--graph", "plases")
    assert code == 2
    assert "unknown graph 'plases'" in err and "graph/places" in err


def _value(value: dict[str, str]) -> str:
    if value["type"] == "bnode":
        return "_:"
    if value["type"] == "literal" and "; " in value["value"]:
        # GROUP_CONCAT's order is the store's own (SPARQL leaves it open): compare the parts.
        value = {**value, "value": "; ".join(sorted(value["value"].split("; ")))}
    return json.dumps(value, sort_keys=True)


def _normalised(text: str) -> list[str]:
    """SELECT/ASK JSON results as sorted rows, blank node labels left out."""
    data = json.loads(text)
    if "boolean" in data:
        return [str(data["boolean"])]
    rows = []
    for binding in data["results"]["bindings"]:
        row = {name: _value(value) for name, value in binding.items()}
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


def test_named_queries_answer_the_same_from_the_store(
    built_project: Project, store: OxigraphServer
) -> None:
    code, _, _ = run(built_project, "publish", "--store", store.base_url)
    assert code == 0
    for name, params in QUERIES:
        args = ["query", name, "--format", "json"]
        for param in params:
            args += ["--param", param]
        code, local, err = run(built_project, *args)
        assert code == 0, err
        code, remote, err = run(built_project, *args, "--endpoint", store.query_url)
        assert code == 0, err
        assert _normalised(remote) == _normalised(local), name
