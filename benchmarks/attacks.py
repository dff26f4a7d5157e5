"""Each attack file of tests/hostile/ once against a running server: what it answers, how long
it takes, how long an ordinary request waits meanwhile (a stalled event loop shows here), and
how much memory the server and its workers take.

    icpc-kg serve --max-body 20000000 &          # or any server, old code included
    python benchmarks/attacks.py --url http://127.0.0.1:8000 --pid $! [--only billion]

``--pid`` is the server's process id (its memory and its workers' are read from /proc).
Updates (.ru and writable .http) need a server with --enable-update and ``--token``.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.server.test_hostile import Listener, memory_kib, process_tree, send
from tests.support.hostile import RDF_MEDIA, attacks
from tests.support.icpc_server import IcpcServer


class Pinger:
    """Asks ``ASK {}`` every 20 ms from a thread; the longest wait is the figure."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.longest = 0.0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    client.get(self.url, params={"query": "ASK {}"})
                except httpx.HTTPError:
                    self.failures += 1
                self.longest = max(self.longest, time.perf_counter() - started)
                time.sleep(0.02)

    def __enter__(self) -> Pinger:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=70)


class _Server(IcpcServer):
    def __init__(self, url: str, pid: int) -> None:  # a server someone else started
        self.base_url = url.rstrip("/")
        self._pid = pid

    @property
    def pid(self) -> int:
        return self._pid


def tree_memory(pid: int) -> tuple[int, int]:
    usage = [memory_kib(p) for p in process_tree(pid)]
    return sum(r for r, _ in usage) // 1024, max((h for _, h in usage), default=0) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--only", default="", help="only attacks whose name contains this")
    parser.add_argument("--token", default="", help="the server's update token, for updates")
    args = parser.parse_args()
    server = _Server(args.url, args.pid)
    listener = Listener()
    chosen = [
        a
        for a in attacks(*RDF_MEDIA, ".rq", ".ru", ".http")
        if a.http and args.only in a.name and (args.token or a.first("server") != "writable")
    ]
    columns = ("status", "s", "ping max s", "RSS MB", "HWM MB")
    print(f"{'attack':58} " + " ".join(f"{c:>10}" for c in columns) + " fetched")
    for attack in chosen:
        listener.connections()
        with Pinger(server.sparql_url) as pinger:
            started = time.perf_counter()
            try:
                status, _, _ = send(server, attack, listener)
            except (httpx.HTTPError, AssertionError, OSError) as error:
                status = f"{type(error).__name__}"  # type: ignore[assignment]
            seconds = time.perf_counter() - started
        rss, hwm = tree_memory(args.pid)
        fetched = listener.connections()
        print(
            f"{attack.name:58} {status!s:>10} {seconds:10.2f} {pinger.longest:10.2f} "
            f"{rss:10} {hwm:10} {fetched}"
        )
        if not Path(f"/proc/{args.pid}").exists():
            print("the server is gone")
            return


if __name__ == "__main__":
    main()
