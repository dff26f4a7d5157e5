"""Every attack file of ``tests/hostile/`` (see ``tests/support/hostile.py`` for the format)
against a running server and the command line. For each one: the status or exit code it
names; the server still answers an ordinary request afterwards; the resident memory of the
server and its workers stays under a ceiling; nothing connected to the test's TCP listener
(SERVICE, LOAD, entities: nothing may be fetched); and the command line prints no raw control
characters. A new attack is a new file, no Python."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.hostile import RDF_MEDIA, Attack, attacks
from tests.support.icpc_server import REPO, IcpcServer, running_server
from tests.support.oxigraph_server import free_port

pytestmark = pytest.mark.server

TOKEN = "hostile-suite-token"
TREE_RSS_CEILING_KIB = 2_500_000  # the server and its workers together
PROCESS_HWM_CEILING_KIB = 1_500_000  # the peak of any one of them
CLI_MEMORY_LIMIT = 3_000_000_000  # address space of a CLI run (the machine is shared)
CLI_RSS_CEILING_KIB = 1_500_000

READONLY = [
    a for a in attacks(*RDF_MEDIA, ".rq", ".http") if a.http and a.first("server") != "writable"
]
WRITABLE = [a for a in attacks(".ru", ".http") if a.http and a.first("server") == "writable"]
ON_THE_COMMAND_LINE = [a for a in attacks(*RDF_MEDIA, ".rq", ".html") if a.cli]


def ids(items: list[Attack]) -> list[str]:
    return [a.name for a in items]


# --- what the tests watch -------------------------------------------------------------------


class Listener:
    """A loopback TCP listener; every attack names it, and nothing may ever connect to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", free_port()))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"

    def connections(self) -> int:
        count = 0
        while True:
            try:
                connection, _ = self.sock.accept()
            except BlockingIOError:
                return count
            connection.close()
            count += 1


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    watching = Listener()
    yield watching
    watching.sock.close()


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IcpcServer]:
    """A server that takes updates (with the token), small literals allowed."""
    log = tmp_path_factory.mktemp("hostile-writable") / "serve.log"
    args = ["--enable-update", "--workers", "1", "--timeout", "3", "--max-literal", "100000"]
    with running_server(args, log, env={"ICPC_KG_UPDATE_TOKEN": TOKEN}) as server:
        yield server


def process_tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        stack.extend(int(child) for child in children)
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of one process, in KiB (0, 0 if it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {
        k: int(v.split()[0])
        for k, _, v in (line.partition(":") for line in lines)
        if k in ("VmRSS", "VmHWM")
    }
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def assert_memory_bounded(server: IcpcServer, attack: Attack) -> None:
    usage = [memory_kib(pid) for pid in process_tree(server.pid)]
    total = sum(rss for rss, _ in usage)
    peak = max(hwm for _, hwm in usage)
    assert total < TREE_RSS_CEILING_KIB, f"{attack.name}: the server tree holds {total:,} KiB"
    assert peak < PROCESS_HWM_CEILING_KIB, f"{attack.name}: a server process peaked at {peak:,} KiB"


def assert_still_answers(server: IcpcServer) -> None:
    ask = httpx.get(server.sparql_url, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    assert httpx.get(server.base_url + "/id/org/icpc", timeout=30).status_code == 200


# --- sending --------------------------------------------------------------------------------


def send_raw(server: IcpcServer, request: bytes) -> tuple[int, bytes, dict[str, str]]:
    """Send ``request`` on a socket (from a thread, while the answer is read: the server may
    answer before the request ends) and read the answer."""
    port = int(server.base_url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port))

    def send() -> None:
        try:
            for start in range(0, len(request), 1 << 20):
                sock.sendall(request[start : start + (1 << 20)])
        except OSError:
            return  # the server answered and hung up: expected

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sock.settimeout(60)
    answer = bytearray()
    try:
        while True:
            data = sock.recv(1 << 16)
            if not data:
                break
            answer.extend(data)
    except (ConnectionResetError, TimeoutError):
        pass
    finally:
        sock.close()
    sender.join(timeout=60)
    head, _, body = bytes(answer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines and lines[0].startswith("HTTP/"), f"no HTTP answer: {bytes(answer[:200])!r}"
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), body, {k.lower(): v for k, v in headers.items()}


def send(
    server: IcpcServer, attack: Attack, listener: Listener
) -> tuple[int, bytes, dict[str, str]]:
    payload = attack.payload(listener.address, TOKEN)
    if attack.kind == ".http":
        return send_raw(server, payload)
    headers = {"Accept": attack.first("accept", "application/json")}
    if attack.kind == ".rq":
        headers["Content-Type"] = "application/sparql-query"
        url = server.sparql_url
    elif attack.kind == ".ru":
        headers["Content-Type"] = "application/sparql-update"
        headers["Authorization"] = f"Bearer {TOKEN}"
        url = server.sparql_url
    else:
        headers["Content-Type"] = RDF_MEDIA[attack.kind]
        url = server.base_url + "/validate"
    response = httpx.post(url, content=payload, headers=headers, timeout=120)
    return response.status_code, response.content, dict(response.headers)


def check_answer(attack: Attack, status: int, body: bytes, headers: dict[str, str]) -> None:
    expected = attack.http
    assert expected is not None
    about = f"{attack.name} ({attack.first('about')})"
    assert status == expected.status, f"{about}: got {status}: {body[:300]!r}"
    if status >= 400 and "json" in headers.get("content-type", ""):
        import json

        error = json.loads(body)
        assert set(error) == {"error", "message"}, about
        assert "Traceback" not in error["message"], about
        if expected.code:
            assert error["error"] == expected.code, f"{about}: {error}"
    elif expected.code:
        pytest.fail(f"{about}: expected a JSON error {expected.code}, got {body[:300]!r}")
    for text in attack.header.get("absent", []):
        assert text.encode() not in body, f"{about}: the answer contains {text!r}"
    for name in attack.header.get("header", []):
        assert name.lower() in {k.lower() for k in headers}, f"{about}: no {name} header"


def run_against(server: IcpcServer, attack: Attack, listener: Listener) -> None:
    listener.connections()  # forget anything earlier tests caused
    status, body, headers = send(server, attack, listener)
    check_answer(attack, status, body, headers)
    assert_still_answers(server)
    assert_memory_bounded(server, attack)
    assert listener.connections() == 0, f"{attack.name}: something reached the listener"


@pytest.mark.parametrize("attack", READONLY, ids=ids(READONLY))
def test_the_server_withstands(server: IcpcServer, listener: Listener, attack: Attack) -> None:
    run_against(server, attack, listener)


@pytest.mark.parametrize("attack", WRITABLE, ids=ids(WRITABLE))
def test_the_writable_server_withstands(
    writable: IcpcServer, listener: Listener, attack: Attack
) -> None:
    run_against(writable, attack, listener)


# --- the command line -----------------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY_LIMIT, CLI_MEMORY_LIMIT))


def run_cli(args: list[str]) -> tuple[int, str, int]:
    """(exit code, output, peak RSS in KiB) of ``python -m icpc_kg ARGS`` under a memory cap."""
    process = subprocess.Popen(
        [sys.executable, "-m", "icpc_kg", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_limit_memory,
        env={k: v for k, v in os.environ.items() if k != "ICPC_KG_PROJECT"},
    )
    try:
        output, _ = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        return -1, output.decode("utf-8", "replace") + "\n(timed out)", 0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return process.returncode, output.decode("utf-8", "replace"), usage.ru_maxrss


def commands_for(attack: Attack, path: Path, tmp_path: Path) -> list[list[str]]:
    if attack.kind == ".rq":
        return [["query", str(path), "--format", "json"]]
    if attack.kind == ".html":
        return [["extract", str(path), "-o", str(tmp_path / "draft.ttl")]]
    names = attack.first("commands", "validate").split()
    runs = [["validate", str(path)]] if "validate" in names else []
    if "serve" in names:
        runs.append(["serve", "--port", str(free_port()), str(path)])
    return runs


@pytest.mark.parametrize("attack", ON_THE_COMMAND_LINE, ids=ids(ON_THE_COMMAND_LINE))
def test_the_command_line_withstands(attack: Attack, tmp_path: Path) -> None:
    expected = attack.cli
    assert expected is not None
    path = tmp_path / attack.path.name
    path.write_bytes(attack.payload())
    for args in commands_for(attack, path, tmp_path):
        code, output, peak = run_cli(args)
        about = f"{attack.name} ({attack.first('about')}) with {args[0]}"
        assert code == expected[0], f"{about}: exit {code}:\n{output[-2000:]}"
        assert expected[1] in output, f"{about}: {expected[1]!r} not in:\n{output[-2000:]}"
        assert "Traceback" not in output, about
        raw = sorted({c for c in output if ord(c) < 32 and c not in "\n\t"})
        assert not raw, f"{about}: raw control characters {raw!r} in the output"
        assert peak < CLI_RSS_CEILING_KIB, f"{about}: peaked at {peak:,} KiB"
