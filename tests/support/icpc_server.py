"""Start a real ``icpc-kg serve`` process on a free loopback port and wait until it answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.oxigraph_server import free_port

REPO = Path(__file__).resolve().parents[2]


@dataclass
class IcpcServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        """Resident memory of the server process (not its workers), in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until_up(server: IcpcServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"{server.sparql_url}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"icpc-kg serve exited with {server.process.returncode}:\n{server.log_text()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"icpc-kg serve did not answer within {timeout} s:\n{server.log_text()}")


@contextmanager
def running_server(
    args: Sequence[str],
    log: Path,
    env: dict[str, str] | None = None,
    timeout: float = 180.0,
) -> Iterator[IcpcServer]:
    """``python -m icpc_kg serve --port N *args`` from the repository root."""
    port = free_port()
    command = [sys.executable, "-m", "icpc_kg", "serve", "--port", str(port), *args]
    environment = {**os.environ, **(env or {})}
    environment.pop("ICPC_KG_PROJECT", None)
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            command, cwd=REPO, env=environment, stdout=sink, stderr=subprocess.STDOUT
        )
    server = IcpcServer(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_up(server, timeout)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
