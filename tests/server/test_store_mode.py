"""What only ``serve --store`` has: following the store as new publications land, refusing
hostile queries before the store sees them, and what happens when the store is absent, empty
or goes away. (Everything else is the shared HTTP suite, run against both back ends.)"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, unquote_plus

import httpx
import pytest
from click.testing import CliRunner

from icpc_kg.cli import main
from icpc_kg.publish import PublishOptions, publish
from icpc_kg.published import PublishedDataset
from tests.support.icpc_server import IcpcServer, running_server
from tests.support.oxigraph_server import OxigraphServer, free_port, running_oxigraph
from tests.support.store_proxy import StoreProxy

pytestmark = [pytest.mark.store, pytest.mark.server]

MONTREAL = "/id/place/montreal"
TURTLE = {"Accept": "text/turtle"}


@pytest.fixture
def store_a(tmp_path: Path, version_a: PublishedDataset) -> Iterator[OxigraphServer]:
    with running_oxigraph(tmp_path / "db", union_default_graph=False) as store:
        publish(version_a.out_dir, PublishOptions(store.base_url))
        yield store


def wait_for(condition: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not true within {seconds} s")


@contextmanager
def serve(store_url: str, folder: Path, *more: str) -> Iterator[IcpcServer]:
    args = ["--store", store_url, "--refresh", "0.5", "--timeout", "5", *more]
    with running_server(args, folder / "serve.log") as server:
        yield server


def test_a_new_publication_is_served_without_a_restart(
    tmp_path: Path, store_a: OxigraphServer, version_b: PublishedDataset
) -> None:
    with serve(store_a.base_url, tmp_path) as server:
        before = httpx.get(server.base_url + MONTREAL, headers=TURTLE)
        assert before.status_code == 200
        assert "Ville de Montréal" not in before.text
        etag = before.headers["etag"]

        publish(version_b.out_dir, PublishOptions(store_a.base_url))

        def changed() -> bool:
            answer = httpx.get(server.base_url + MONTREAL, headers=TURTLE)
            return answer.headers.get("etag") != etag

        wait_for(changed)
        after = httpx.get(server.base_url + MONTREAL, headers={**TURTLE, "If-None-Match": etag})
        assert after.status_code == 200  # the old ETag no longer matches
        assert "Ville de Montréal" in after.text
        dump = httpx.get(server.base_url + "/dumps/dataset.nq")
        assert dump.status_code == 200
        assert "Ville de Montréal" in dump.text  # dumps follow the store too
        assert "graph/publication" not in dump.text
        assert "graph/staging" not in dump.text


def test_the_union_default_graph_does_not_depend_on_the_store_setting(
    tmp_path: Path, store_a: OxigraphServer, version_a: PublishedDataset
) -> None:
    """The Oxigraph server runs without --union-default-graph: its own default graph is
    empty, yet the server answers over every published graph, and never over
    graph/publication."""
    bare = httpx.post(
        store_a.query_url,
        content="ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert bare.json()["boolean"] is False
    with serve(store_a.base_url, tmp_path) as server:
        count = httpx.get(
            server.sparql_url,
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
            headers={"Accept": "text/csv"},
        )
        assert int(count.text.split()[1]) > 5000
        graphs = httpx.get(
            server.sparql_url,
            params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "text/csv"},
        ).text.split()[1:]
        assert "https://w3id.org/icpc-kg/graph/ontology" in graphs
        assert "https://w3id.org/icpc-kg/graph/publication" not in graphs
        own_from = httpx.get(
            server.sparql_url,
            params={
                "query": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/icpc-kg/graph/roles> "
                "WHERE { ?s ?p ?o }"
            },
            headers={"Accept": "text/csv"},
        )
        assert int(own_from.text.split()[1]) == 20  # the query's FROM is kept


def test_service_and_load_never_reach_the_store(tmp_path: Path, store_a: OxigraphServer) -> None:
    with StoreProxy(store_a.base_url) as proxy:
        with serve(proxy.url, tmp_path, "--flavor", "oxigraph") as server:
            for query in (
                "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
                "LOAD <http://127.0.0.1:1/data.ttl>",
            ):
                answer = httpx.post(server.sparql_url, data={"query": query})
                assert answer.status_code in (400, 403), answer.text
            assert httpx.get(server.sparql_url, params={"query": "ASK {}"}).status_code == 200
        forwarded = [s for s in proxy.seen if b"SERVICE" in s.body.upper() or b"LOAD" in s.body]
        assert forwarded == []
        assert any(b"ASK" in s.body for s in proxy.seen)  # the proxy did see the server's reads


def test_a_store_that_goes_away_gives_502_and_the_server_stays_up(
    tmp_path: Path, store_a: OxigraphServer
) -> None:
    with serve(store_a.base_url, tmp_path) as server:
        assert httpx.get(server.base_url + "/events").status_code == 200
        store_a.kill()
        answer = httpx.get(
            server.sparql_url,
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
            headers={"Accept": "application/json"},
        )
        assert answer.status_code == 502
        assert answer.json()["error"] == "STORE_UNREACHABLE"
        page = httpx.get(server.base_url + "/id/org/icpc", headers={"Accept": "text/html"})
        assert page.status_code == 502
        assert "cannot reach" in page.text
        assert server.process.poll() is None


def test_serving_an_unreachable_store_names_it(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(
        main, ["serve", "--store", dead, "--flavor", "oxigraph", "--port", str(free_port())]
    )
    assert result.exit_code != 0
    assert "cannot reach" in result.output
    assert dead in result.output


def test_serving_an_empty_store_says_to_publish_first(tmp_path: Path) -> None:
    with running_oxigraph(tmp_path / "empty") as store:
        result = CliRunner().invoke(
            main, ["serve", "--store", store.base_url, "--port", str(free_port())]
        )
    assert result.exit_code != 0
    assert "holds no named graphs" in result.output
    assert "icpc-kg publish" in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["extra.ttl"], "publish extra files into it"),
        (["--enable-update"], "read-only"),
    ],
)
def test_store_mode_refuses_what_it_cannot_do(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    (tmp_path / "extra.ttl").write_text("", encoding="utf-8")
    args = [str(tmp_path / a) if a.endswith(".ttl") else a for a in extra]
    result = CliRunner().invoke(
        main,
        ["serve", "--store", "http://127.0.0.1:1", *args],
        env={"ICPC_KG_UPDATE_TOKEN": "t"},
    )
    assert result.exit_code == 2
    assert message in result.output


def test_with_graph_union_the_default_graph_is_one_graph(
    tmp_path: Path, version_a: PublishedDataset
) -> None:
    """Published with --union-graph, the server sends graph/union as the one default graph
    (the fast path) and lists the named graphs only for queries that use GRAPH; answers are
    the same as over the list."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answers: dict[bool, tuple[str, str]] = {}
    for union in (False, True):
        folder = tmp_path / f"union-{union}"
        with running_oxigraph(folder / "db", union_default_graph=False) as store:
            publish(version_a.out_dir, PublishOptions(store.base_url, union_graph=union))
            with StoreProxy(store.base_url) as proxy, serve(proxy.url, folder) as server:

                def ask(query: str) -> str:
                    return httpx.get(
                        server.sparql_url, params={"query": query}, headers={"Accept": "text/csv"}
                    ).text

                answers[union] = (ask(count), ask(graphs))
                sent = [
                    unquote(s.target) + "&" + unquote_plus(s.body.decode())
                    for s in proxy.seen
                    if b"COUNT" in s.body
                ]
        union_iri = "default-graph-uri=https://w3id.org/icpc-kg/graph/union"
        for target in sent:
            assert (union_iri in target) is union
        assert ("named-graph-uri" in sent[0]) is not union  # the plain count: only with a list
        assert "named-graph-uri" in sent[1]  # GRAPH ?g always gets the named graphs
    assert answers[True] == answers[False]
    assert int(answers[True][1].split()[1]) >= 10
