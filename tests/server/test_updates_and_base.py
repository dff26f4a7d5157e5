"""Servers started with other options: SPARQL Update behind ``--enable-update`` and a token,
and ``--base`` mapping another canonical base onto the serving host."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib

from icpc_kg.project import find_project
from tests.support.icpc_server import REPO, IcpcServer, running_server

pytestmark = pytest.mark.server

TOKEN = "test-token-1234"
NEW = "https://w3id.org/icpc-kg/id/org/added-by-update"
INSERT = f'INSERT DATA {{ <{NEW}> <http://schema.org/name> "Added by an update"@en }}'


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IcpcServer]:
    log = tmp_path_factory.mktemp("writable") / "serve.log"
    args = ["--enable-update", "--timeout", "3", "--workers", "1"]
    with running_server(args, log, env={"ICPC_KG_UPDATE_TOKEN": TOKEN}) as server:
        yield server


def update(server: IcpcServer, text: str, token: str | None = TOKEN) -> httpx.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(server.sparql_url, content=text.encode(), headers=headers, timeout=60)


def ask(server: IcpcServer, pattern: str) -> bool:
    response = httpx.get(server.sparql_url, params={"query": f"ASK {{ {pattern} }}"})
    return bool(response.json()["boolean"])


def test_without_extra_files_the_dumps_are_the_builds(writable: IcpcServer) -> None:
    # Runs before any update: the server publishes dist/ as `icpc-kg build` wrote it.
    served = httpx.get(writable.base_url + "/dumps/SHA256SUMS").text
    assert served == (find_project(REPO).dist_dir / "SHA256SUMS").read_text()


def test_updates_need_the_token(writable: IcpcServer) -> None:
    missing = update(writable, INSERT, token=None)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = update(writable, INSERT, token="wrong")  # RFC 6750: an invalid token is a 401
    assert wrong.status_code == 401 and "invalid_token" in wrong.headers["www-authenticate"]
    form = httpx.post(writable.sparql_url, data={"update": INSERT})
    assert form.status_code == 401
    assert httpx.get(writable.sparql_url, params={"update": INSERT}).status_code == 400
    assert not ask(writable, f"<{NEW}> ?p ?o")


def test_an_update_reaches_every_reader_and_changes_the_version(writable: IcpcServer) -> None:
    page = writable.base_url + "/id/org/added-by-update"
    assert httpx.get(page).status_code == 404
    etag = httpx.get(writable.base_url + "/id/org/icpc.ttl").headers["etag"]
    response = update(writable, INSERT)
    assert response.status_code == 204, response.text
    assert ask(writable, f'<{NEW}> <http://schema.org/name> "Added by an update"@en')
    described = httpx.get(page, headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and "Added by an update" in described.text
    assert httpx.get(writable.base_url + "/id/org/icpc.ttl").headers["etag"] != etag
    nquads = httpx.get(writable.base_url + "/dumps/dataset.nq").text
    assert f"<{NEW}>" in nquads and "<https://w3id.org/icpc-kg/graph/updates>" in nquads
    # Everything else is still there in the new generation, the shapes graph included.
    assert httpx.get(writable.base_url + "/shapes").status_code == 200
    assert httpx.get(writable.base_url + "/id/org/icpc").status_code == 200
    # The update's default graph is kept: it can be deleted again.
    removed = update(writable, f"DELETE WHERE {{ <{NEW}> ?p ?o }}")
    assert removed.status_code == 204
    assert not ask(writable, f"<{NEW}> ?p ?o")


def test_updates_that_would_fetch_or_run_away_are_stopped(writable: IcpcServer) -> None:
    load = update(writable, "LOAD <http://127.0.0.1:1/x.ttl>")
    assert load.status_code == 400 and load.json()["error"] == "REFUSED"
    bad = update(writable, "INSERT DATA { <urn:a> <urn:b> }")
    assert bad.status_code == 400 and bad.json()["error"] == "SPARQL_SYNTAX"
    runaway = update(
        writable,
        "INSERT { ?a <urn:p> ?g } WHERE { GRAPH ?w { ?a ?b ?c } GRAPH ?x { ?d ?e ?f } "
        "GRAPH ?y { ?g ?h ?i } GRAPH ?z { ?j ?k ?l } }",
    )
    assert runaway.status_code == 503 and runaway.json()["error"] == "TIMEOUT"
    assert not ask(writable, "?a <urn:p> ?g")
    assert ask(writable, "<https://w3id.org/icpc-kg/id/org/icpc> ?p ?o")


def test_the_read_only_server_refuses_updates_even_with_a_token(server: IcpcServer) -> None:
    response = update(server, INSERT)
    assert response.status_code == 403
    assert response.json()["error"] == "READ_ONLY"


# --- another canonical base ----------------------------------------------------------------------

OTHER_BASE = "https://data.example.org/kg/"
WIDGET = OTHER_BASE + "id/thing/widget"


@pytest.fixture(scope="module")
def rebased(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IcpcServer]:
    folder = tmp_path_factory.mktemp("rebased")
    extra = folder / "widget.ttl"
    extra.write_text(
        f'<{WIDGET}> <http://schema.org/name> "Widget"@en ;\n'
        f"    <http://schema.org/isPartOf> <{OTHER_BASE}id/thing/machine> .\n"
        f'<{OTHER_BASE}id/thing/machine> <http://schema.org/name> "Machine"@en .\n',
        encoding="utf-8",
    )
    args = ["--base", OTHER_BASE, "--workers", "1", str(extra)]
    with running_server(args, folder / "serve.log") as server:
        yield server


def test_base_maps_another_canonical_base_onto_this_host(rebased: IcpcServer) -> None:
    ttl = httpx.get(rebased.base_url + "/id/thing/widget", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200
    graph = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (rdflib.URIRef(WIDGET), None, None) in graph
    html = httpx.get(rebased.base_url + "/id/thing/widget", headers={"Accept": "text/html"}).text
    assert 'href="/id/thing/machine">Machine</a>' in html
    # Graph names follow the base too.
    assert httpx.get(rebased.base_url + "/graph/extra-widget").status_code == 200
    void = httpx.get(rebased.base_url + "/.well-known/void").text
    assert "https://data.example.org/kg/dataset" in void
