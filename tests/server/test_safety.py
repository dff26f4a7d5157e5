"""Hostile requests against the real server: federated queries to localhost, a cartesian
explosion, 100 MB bodies, malformed UTF-8, path traversal, and 50 clients while a query times
out. The server must refuse, stop or cap each one and keep answering everybody else."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from tests.server.conftest import MAX_BODY, MAX_ROWS, TIMEOUT
from tests.support.icpc_server import IcpcServer
from tests.support.oxigraph_server import free_port

pytestmark = pytest.mark.server

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def error_of(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error", "message"}
    assert "Traceback" not in body["message"]
    return body


# --- nothing is fetched --------------------------------------------------------------------------


@pytest.fixture
def listener() -> tuple[socket.socket, int]:
    """A loopback socket that records whether anything connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", free_port()))
    sock.listen(5)
    sock.settimeout(0.5)
    yield sock, sock.getsockname()[1]
    sock.close()


def nobody_connected(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except TimeoutError:
        return True
    connection.close()
    return False


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SeRvIcE#comment\n<http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <http://127.0.0.1:{port}/> "
        "{{ ?x ?p ?o }} }} }}",
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "LOAD SILENT <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <urn:g>",
    ],
)
def test_service_and_load_are_refused_before_anything_is_fetched(
    server: IcpcServer, listener: tuple[socket.socket, int], template: str
) -> None:
    sock, port = listener
    query = template.format(port=port)
    for response in (
        httpx.get(server.sparql_url, params={"query": query}),
        httpx.post(
            server.sparql_url,
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
        httpx.post(server.sparql_url, data={"update": query}),
    ):
        assert response.status_code == 400, response.text
        body = error_of(response)
        assert body["error"] == "REFUSED"
        assert "never fetches" in body["message"]
    assert nobody_connected(sock)


def test_service_inside_a_string_or_iri_is_not_mistaken_for_the_keyword(
    server: IcpcServer,
) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/>" AS ?x) }'
    response = httpx.get(server.sparql_url, params={"query": query})
    assert response.status_code == 200
    assert "SERVICE" in response.json()["results"]["bindings"][0]["x"]["value"]


# --- runaway queries -----------------------------------------------------------------------------


def test_a_cartesian_explosion_is_stopped_with_503_while_others_are_answered(
    server: IcpcServer,
) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = httpx.get(server.sparql_url, params={"query": CARTESIAN}, timeout=60)
        outcome["status"] = response.status_code
        outcome["body"] = response.json()
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    # While the runaway query holds one worker, the server keeps answering.
    answered = 0
    while thread.is_alive():
        ask = httpx.get(server.sparql_url, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        page = httpx.get(server.base_url + "/id/org/icpc", timeout=10)
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        assert page.status_code == 200
        answered += 1
        time.sleep(0.1)
    thread.join()
    assert answered >= 3
    assert outcome["status"] == 503
    assert outcome["body"]["error"] == "TIMEOUT"  # type: ignore[index]
    assert TIMEOUT - 0.5 < outcome["seconds"] < TIMEOUT + 5  # type: ignore[operator]
    # The killed worker was replaced: queries still run.
    after = httpx.get(server.sparql_url, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"})
    assert after.status_code == 200


def test_fifty_concurrent_clients_all_succeed_while_one_query_times_out(
    server: IcpcServer,
) -> None:
    runaway: dict[str, int] = {}

    def explode() -> None:
        response = httpx.get(server.sparql_url, params={"query": CARTESIAN}, timeout=60)
        runaway["status"] = response.status_code

    blocker = threading.Thread(target=explode)
    blocker.start()
    time.sleep(0.3)

    def client(number: int) -> int:
        with httpx.Client(timeout=30) as http:
            # Each query text is different, so nothing comes from a cache: it runs in a worker.
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ?type }} # client {number}"
            answer = http.get(server.sparql_url, params={"query": query})
            page = http.get(server.base_url + "/id/event/policing-for-prevention-1998-montreal")
            api = http.get(server.base_url + "/api/queries/events-by-year")
            ok = answer.status_code == page.status_code == api.status_code == 200
            return 200 if ok and int(answer.json()["results"]["bindings"][0]["n"]["value"]) else 500

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(client, range(50)))
    blocker.join()
    assert statuses == [200] * 50
    assert runaway["status"] == 503


# --- caps ----------------------------------------------------------------------------------------


def test_a_result_over_the_row_cap_is_cut_and_says_so(server: IcpcServer) -> None:
    response = httpx.get(server.sparql_url, params={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-limit"] == str(MAX_ROWS)
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    page = httpx.get(server.sparql_url, params={"query": "SELECT * { ?s ?p ?o }", "format": "html"})
    assert page.headers["x-result-truncated"] == "true"
    assert f"cut at {MAX_ROWS} rows" in page.text
    small = httpx.get(server.sparql_url, params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"})
    assert "x-result-truncated" not in small.headers


def _raw_post(server: IcpcServer, headers: str, body_chunks: int, chunked: bool) -> bytes:
    """POST a huge body over a raw socket; the body is sent by one thread while another reads
    the answer (the server answers before the body ends)."""
    port = int(server.base_url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(headers.encode())
    answer = bytearray()

    def send() -> None:
        block = b"x" * (1 << 20)
        try:
            for _ in range(body_chunks):
                if chunked:
                    sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                else:
                    sock.sendall(block)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            return  # the server hung up once it had answered: expected

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sock.settimeout(30)
    try:
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer.extend(data)
    finally:
        sock.close()
    sender.join(timeout=30)
    return bytes(answer)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_100_mb_body_gets_413_and_server_memory_stays_flat(
    server: IcpcServer, chunked: bool
) -> None:
    size = 100 * (1 << 20)
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    headers = (
        "POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: application/sparql-query\r\n{length}\r\n\r\n"
    )
    before = server.rss_kib()
    answer = _raw_post(server, headers, 100, chunked)
    after = server.rss_kib()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert after - before < 3 * MAX_BODY // 1024 + 10_000, (before, after)
    # And the server is fine afterwards.
    assert httpx.get(server.sparql_url, params={"query": "ASK {}"}).status_code == 200


def test_bodies_over_the_cap_get_413_on_every_route_that_reads_one(server: IcpcServer) -> None:
    big = b"#" * (MAX_BODY + 1)
    for url, content_type in (
        ("/sparql", "application/sparql-query"),
        ("/sparql", "application/x-www-form-urlencoded"),
        ("/validate", "text/turtle"),
    ):
        response = httpx.post(
            server.base_url + url, content=big, headers={"Content-Type": content_type}
        )
        assert response.status_code == 413, url
        assert error_of(response)["error"] == "TOO_LARGE"


# --- bad bytes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("GET", "/sparql?query=SELECT%20%FF%FE%20WHERE%20%7B%7D", None, None),
        ("POST", "/sparql", b"SELECT ?x WHERE { BIND('\xff' AS ?x) }", "application/sparql-query"),
        ("POST", "/sparql", b"query=ASK%20%7B%7D%C3%28", "application/x-www-form-urlencoded"),
        ("GET", "/api/queries/events-by-year?year=%C0%AF", None, None),
        ("POST", "/validate", b'<urn:a> <urn:b> "\xc3\x28" .', "text/turtle"),
    ],
)
def test_malformed_utf8_is_a_400_never_a_crash(
    server: IcpcServer, method: str, path: str, body: bytes | None, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.request(method, server.base_url + path, content=body, headers=headers)
    assert response.status_code == 400, response.text
    body_json = error_of(response)
    assert "UTF-8" in body_json["message"] or "utf-8" in body_json["message"].lower()


def _raw_get(server: IcpcServer, path: str) -> tuple[int, bytes]:
    port = int(server.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/../../etc/passwd",
        "/dumps/..%2F..%2F..%2Fetc%2Fpasswd",
        "/dumps/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/dumps/%252e%252e%252fetc%252fpasswd",
        "/dumps/..",
        "/dumps/%2e%2e",
        "/dumps/.%2e/.%2e/etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/graph/..%2F..%2Fetc%2Fpasswd",
        "/id/..%2F..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_no_path_traversal(server: IcpcServer, path: str) -> None:
    status, data = _raw_get(server, path)
    assert status in (400, 404), data[:300]
    assert b"root:" not in data


def test_dumps_are_served_by_name_with_checksums(server: IcpcServer) -> None:
    listing = httpx.get(server.base_url + "/dumps/", headers={"Accept": "application/json"})
    names = {d["name"]: d for d in listing.json()["dumps"]}
    assert {"dataset.trig", "dataset.nq", "graph.ttl", "graph.nt", "graph.jsonld"} <= set(names)
    assert {"void.ttl", "SHA256SUMS"} <= set(names)
    sums = httpx.get(server.base_url + "/dumps/SHA256SUMS").text
    for line in sums.splitlines():
        digest, name = line.split("  ")
        body = httpx.get(server.base_url + f"/dumps/{quote(name)}").content
        assert hashlib.sha256(body).hexdigest() == digest == names[name]["sha256"]


# --- errors have one shape -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"query": "SELECT * WHERE { ?s ?p }"}, 400, "SPARQL_SYNTAX"),
        ({"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, 403, "READ_ONLY"),
        ({"query": "  "}, 400, "BAD_INPUT"),
        ({"query": "ASK {}", "format": "bogus"}, 400, "BAD_INPUT"),
        ({"query": "ASK {}", "default-graph-uri": "not an iri"}, 400, "BAD_INPUT"),
        ({"query": "ASK {}", "format": "turtle"}, 406, "NOT_ACCEPTABLE"),
    ],
)
def test_errors_have_one_shape(
    server: IcpcServer, params: dict[str, str], status: int, code: str
) -> None:
    response = httpx.get(server.sparql_url, params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert error_of(response)["error"] == code


def test_a_syntax_error_names_line_column_and_token(server: IcpcServer) -> None:
    query = "PREFIX ex: <http://example.org/>\nSELECT ?x WHERE {\n  ?x ex:p ?y ?z .\n}"
    response = httpx.get(server.sparql_url, params={"query": query})
    message = error_of(response)["message"]
    assert "line 3, column" in message
    assert "?z" in message


def test_browsers_get_error_pages_with_the_same_status(server: IcpcServer) -> None:
    response = httpx.get(
        server.sparql_url,
        params={"query": "SELECT * WHERE { ?s ?p }"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "SPARQL_SYNTAX" in response.text
    missing = httpx.get(server.base_url + "/no/such/page", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "NOT_FOUND" in missing.text
    assert json.loads(httpx.get(server.base_url + "/no/such/page").text)["error"] == "NOT_FOUND"
