"""Each store's URL layout, and how a store is recognised: from the URL, from the answers of
read-only probes (recorded answers, table-tested), and against a real Oxigraph server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icpc_kg.errors import InputError
from icpc_kg.publish import Credentials, layout, resolve_endpoints
from icpc_kg.publish.flavors import Probe, classify, detect, guess_from_url
from tests.support.oxigraph_server import running_oxigraph
from tests.support.store_proxy import StoreProxy

LAYOUTS = [
    (
        "oxigraph",
        "http://h:7878",
        ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ),
    (
        "oxigraph",
        "http://h:7878/store",
        ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ),
    (
        "fuseki",
        "http://h:3030/icpc",
        ("http://h:3030/icpc/query", "http://h:3030/icpc/update", "http://h:3030/icpc/data"),
    ),
    (
        "fuseki",
        "http://h:3030/icpc/sparql",
        ("http://h:3030/icpc/query", "http://h:3030/icpc/update", "http://h:3030/icpc/data"),
    ),
    (
        "fuseki",
        "https://h/fuseki/icpc/data",
        (
            "https://h/fuseki/icpc/query",
            "https://h/fuseki/icpc/update",
            "https://h/fuseki/icpc/data",
        ),
    ),
    (
        "graphdb",
        "http://h:7200/repositories/icpc",
        (
            "http://h:7200/repositories/icpc",
            "http://h:7200/repositories/icpc/statements",
            "http://h:7200/repositories/icpc/rdf-graphs/service",
        ),
    ),
    (
        "graphdb",
        "http://h:7200/repositories/icpc/statements",
        (
            "http://h:7200/repositories/icpc",
            "http://h:7200/repositories/icpc/statements",
            "http://h:7200/repositories/icpc/rdf-graphs/service",
        ),
    ),
    (
        "virtuoso",
        "http://h:8890/sparql",
        ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
    ),
    ("generic", "http://h/ds", ("http://h/ds", "http://h/ds", "http://h/ds")),
]


@pytest.mark.parametrize(("flavor", "url", "expected"), LAYOUTS)
def test_layouts(flavor: str, url: str, expected: tuple[str, str, str]) -> None:
    endpoints = layout(flavor, url)
    assert (endpoints.query, endpoints.update, endpoints.graph_store) == expected


def test_virtuoso_with_credentials_uses_its_digest_endpoints() -> None:
    endpoints = layout("virtuoso", "http://h:8890", with_credentials=True)
    assert endpoints.update == "http://h:8890/sparql-auth"
    assert endpoints.graph_store == "http://h:8890/sparql-graph-crud-auth"
    assert endpoints.digest_auth
    assert not endpoints.shared_blank_nodes and not endpoints.atomic_requests


@pytest.mark.parametrize(
    ("flavor", "url", "message"),
    [
        ("fuseki", "http://h:3030", "name the Fuseki dataset"),
        ("graphdb", "http://h:7200", "name the GraphDB repository"),
        ("oxigraph", "ftp://h/store", "not an http(s) URL"),
        ("stardog", "http://h", "unknown store flavor"),
    ],
)
def test_layouts_that_cannot_be(flavor: str, url: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        layout(flavor, url)


@pytest.mark.parametrize(
    ("url", "flavor"),
    [
        ("http://h:7200/repositories/icpc", "graphdb"),
        ("http://h:8890/sparql-graph-crud-auth", "virtuoso"),
        ("http://h:3030/icpc/data", "fuseki"),
        ("http://h:3030/icpc/update", "fuseki"),
        ("http://h:7878", None),
        ("http://h:8890/sparql", None),  # Virtuoso's, or a Fuseki dataset called sparql
    ],
)
def test_guess_from_url(url: str, flavor: str | None) -> None:
    assert guess_from_url(url) == flavor


OXIGRAPH_PAGE = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Oxigraph server</title>'
FUSEKI_SERVER = '{"version": "5.1.0", "datasets": [{"ds.name": "/icpc", "ds.state": true}]}'
FUSEKI_TWO = '{"datasets": [{"ds.name": "/a"}, {"ds.name": "/b"}]}'
GRAPHDB_REPOS = '[{"id": "icpc", "title": "", "type": "graphdb", "readable": true}]'


@pytest.mark.parametrize(
    ("probes", "expected"),
    [
        ([Probe("/", 200, "Oxigraph/0.5.13", OXIGRAPH_PAGE)], ("oxigraph", None)),
        ([Probe("/", 200, "BaseHTTP/0.6, Oxigraph/0.5.13", "")], ("oxigraph", None)),
        ([Probe("/", 404, ""), Probe("/$/server", 200, "", FUSEKI_SERVER)], ("fuseki", "icpc")),
        ([Probe("/$/server", 200, "", FUSEKI_TWO)], ("fuseki", None)),
        ([Probe("/", 200, "Apache Jena Fuseki (5.1.0)", "")], ("fuseki", None)),
        ([Probe("/rest/repositories", 200, "", GRAPHDB_REPOS)], ("graphdb", "icpc")),
        ([Probe("/", 200, "Virtuoso/07.20.3229 (Linux) x86_64", "")], ("virtuoso", None)),
        (
            [Probe("/sparql", 200, "", "<title>Virtuoso SPARQL Query Editor</title>")],
            ("virtuoso", None),
        ),
        ([Probe("/", 200, "nginx", "<html>welcome</html>"), Probe("/sparql", 404)], None),
        ([Probe("/rest/repositories", 200, "", "<html>not json</html>")], None),
    ],
)
def test_classify(probes: list[Probe], expected: tuple[str, str | None] | None) -> None:
    found = classify(probes)
    assert ((found[0], found[2]) if found else None) == expected


def test_detect_asks_for_the_dataset_when_the_server_has_several() -> None:
    answers = {"/": Probe("/", 404), "/$/server": Probe("/$/server", 200, "", FUSEKI_TWO)}

    def get(path: str) -> Probe:
        return answers.get(path, Probe(path, 404))

    with pytest.raises(InputError, match="which dataset"):
        detect("http://h:3030", None, get)
    assert detect("http://h:3030/b", None, get).query == "http://h:3030/b/query"


def test_detect_takes_the_only_repository() -> None:
    def get(path: str) -> Probe:
        return (
            Probe(path, 200, "", GRAPHDB_REPOS)
            if path == "/rest/repositories"
            else Probe(path, 404)
        )

    endpoints = detect("http://h:7200", None, get)
    assert endpoints.update == "http://h:7200/repositories/icpc/statements"
    assert detect("http://h:7200", "graphdb", get).query == "http://h:7200/repositories/icpc"


@pytest.mark.store
def test_a_real_oxigraph_server_is_recognised_by_reading_only(tmp_path: Path) -> None:
    with running_oxigraph(tmp_path / "db") as server, StoreProxy(server.base_url) as proxy:
        endpoints = resolve_endpoints(f"{proxy.url}/store", None, Credentials(), 10)
    assert endpoints.flavor == "oxigraph"
    assert endpoints.graph_store == f"{proxy.url}/store"
    assert {s.method for s in proxy.seen} == {"GET"}


def test_a_store_that_refuses_the_token_is_named_as_such_not_as_unknown(
    tmp_path: Path,
) -> None:
    """A wrong token, without --flavor: every probe gets 401. The message names the 401 and
    the credentials (it used to say 'cannot tell which store')."""
    import http.server
    import threading

    from click.testing import CliRunner

    from icpc_kg.cli import main

    class Refusing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        result = CliRunner().invoke(
            main, ["publish", "--store", url, "--dry-run"], env={"ICPC_KG_STORE_TOKEN": "wrong"}
        )
    finally:
        server.shutdown()
    assert result.exit_code == 2, result.output
    assert "401" in result.output and "credentials" in result.output
    assert "cannot tell which store" not in result.output
