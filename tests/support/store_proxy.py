"""A reverse proxy in front of a real store, for tests: it checks credentials (Oxigraph has
none), refuses writes with large bodies with 413 (queries pass), fails chosen requests with
an error status, cuts the connection half way through a request body, and records every
request it sees.

    with StoreProxy(server.base_url, bearer="s3cret", max_body=20_000) as proxy:
        publish(out_dir, PublishOptions(proxy.url, flavor="oxigraph"))
        assert proxy.writes()

A request the proxy does not fail, refuse or cut is forwarded as it came and its answer is
sent back as the store gave it. When the store itself goes away mid-request, the client's
connection is closed without an answer, as the store's own would be.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

WRITE_METHODS = ("POST", "PUT", "DELETE")


@dataclass(frozen=True)
class Seen:
    """One request as the proxy received it."""

    index: int
    method: str
    target: str  # path and query string
    content_type: str
    authorization: str
    body: bytes

    @property
    def is_update(self) -> bool:
        return self.content_type.startswith("application/sparql-update") or (
            self.content_type.startswith("application/x-www-form-urlencoded")
            and self.body.startswith(b"update=")
        )

    @property
    def is_write(self) -> bool:
        """A Graph Store write or a SPARQL update (a POSTed query is a read)."""
        if self.method in ("PUT", "DELETE"):
            return True
        return self.method == "POST" and (self.is_update or "graph=" in self.target)


Rule = Callable[[Seen], bool]


class StoreProxy:
    """The proxy, on a free loopback port; a context manager."""

    def __init__(
        self,
        upstream: str,
        *,
        bearer: str | None = None,
        basic: tuple[str, str] | None = None,
        max_body: int | None = None,
        fail: Rule | None = None,
        fail_status: int = 503,
        cut: Rule | None = None,
        before_forward: Callable[[Seen], None] | None = None,
    ) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.bearer = bearer
        self.basic = basic
        self.max_body = max_body
        self.fail = fail
        self.fail_status = fail_status
        self.cut = cut
        self.before_forward = before_forward
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def writes(self) -> list[Seen]:
        return [s for s in self.seen if s.is_write]

    def __enter__(self) -> StoreProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _authorised(self, header: str) -> bool:
        if self.bearer is None and self.basic is None:
            return True
        if self.bearer is not None and header == f"Bearer {self.bearer}":
            return True
        if self.basic is not None:
            token = base64.b64encode(f"{self.basic[0]}:{self.basic[1]}".encode()).decode()
            return header == f"Basic {token}"
        return False

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return None

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                with proxy._lock:
                    index = len(proxy.seen)
                head = Seen(
                    index,
                    self.command,
                    self.path,
                    self.headers.get("Content-Type", ""),
                    self.headers.get("Authorization", ""),
                    b"",
                )
                if proxy.cut is not None and length > 1 and proxy.cut(head):
                    self.rfile.read(length // 2)
                    with proxy._lock:
                        proxy.seen.append(head)
                    self._drop()
                    return
                body = self.rfile.read(length) if length else b""
                seen = Seen(
                    index, head.method, head.target, head.content_type, head.authorization, body
                )
                with proxy._lock:
                    proxy.seen.append(seen)
                if not proxy._authorised(seen.authorization):
                    self._answer(401, b"unauthorised", {"WWW-Authenticate": 'Basic realm="store"'})
                    return
                if proxy.max_body is not None and seen.is_write and length > proxy.max_body:
                    self._answer(413, b"request entity too large")
                    return
                if proxy.fail is not None and proxy.fail(seen):
                    self._answer(proxy.fail_status, b"injected failure")
                    return
                if proxy.before_forward is not None:
                    proxy.before_forward(seen)
                self._forward(seen)

            def _forward(self, seen: Seen) -> None:
                connection = http.client.HTTPConnection(
                    proxy.upstream_host, proxy.upstream_port, timeout=120
                )
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "connection", "authorization", "content-length")
                }
                try:
                    connection.request(seen.method, seen.target, body=seen.body, headers=headers)
                    response = connection.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException):
                    self._drop()  # the store went away: so does the answer
                    return
                finally:
                    connection.close()
                passed = {
                    k: v
                    for k, v in response.getheaders()
                    if k.lower() not in ("connection", "transfer-encoding", "content-length")
                }
                self._answer(response.status, data, passed)

            def _answer(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _drop(self) -> None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        return Handler
