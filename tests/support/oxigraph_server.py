"""Start a real Oxigraph server process (the ``oxigraph`` binary from the PyPI package) on a
free loopback port, for tests that need an external SPARQL 1.1 store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary: beside this Python (a venv run without activation), or
    on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class OxigraphServer:
    process: subprocess.Popen[bytes]
    base_url: str
    location: Path

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph did not answer on {url} within {timeout} s")


@contextmanager
def running_oxigraph(
    location: Path,
    data: Path | None = None,
    read_only: bool = False,
    union_default_graph: bool = True,
) -> Iterator[OxigraphServer]:
    """An Oxigraph server over a store in ``location``, first loaded with ``data``."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph binary is missing: pip install -e '.[test]'")
    location.mkdir(parents=True, exist_ok=True)
    if data is not None:
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(data)],
            check=True,
            capture_output=True,
        )
    port = free_port()
    command = [
        binary,
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if union_default_graph:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = OxigraphServer(process, f"http://127.0.0.1:{port}", location)
    try:
        _wait_until_up(server.base_url, process)
        yield server
    finally:
        server.kill()
