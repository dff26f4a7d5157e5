"""The HTTP protocol uvicorn runs, with the request head (request line and headers) capped.

uvicorn's httptools protocol buffers a request head whole, whatever its size: a client sending
a 200 MB header made the server hold 200 MB and then answered 200. :class:`BoundedHttpTools`
counts the bytes of each head as they arrive, before httptools sees them, and past the limit
answers ``431 Request Header Fields Too Large`` with the usual error shape and closes the
connection. Without httptools, uvicorn's h11 protocol is used with the same cap
(``h11_max_incomplete_event_size``).

    uvicorn.run(app, **uvicorn_options(max_header=16384))
"""

from __future__ import annotations

import importlib.util
from typing import Any

from icpc_kg.server.web_errors import error_json

_HEAD_END = b"\r\n\r\n"


def _answer_431(limit: int) -> bytes:
    body = error_json(
        "HEADERS_TOO_LARGE",
        f"the request line and headers are over the limit of {limit:,} bytes "
        "(the server's --max-header)",
    )
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def bounded_httptools(max_header: int) -> type:
    """uvicorn's httptools protocol, refusing request heads over ``max_header`` bytes."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class BoundedHttpTools(HttpToolsProtocol):
        limit = max_header

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._in_head = True
            self._head_bytes = 0
            self._tail = b""  # the last bytes seen, for a head end split across reads
            self._refused = False

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            if self._in_head:
                seen = self._tail + data
                end = seen.find(_HEAD_END)
                if end >= 0:
                    size = self._head_bytes + end + len(_HEAD_END) - len(self._tail)
                else:
                    size = self._head_bytes + len(data)
                if size > self.limit:
                    self._refused = True
                    self.transport.write(_answer_431(self.limit))
                    self.transport.close()
                    return
                self._head_bytes = size
                self._tail = seen[-(len(_HEAD_END) - 1) :]
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head, self._head_bytes, self._tail = True, 0, b""

    return BoundedHttpTools


def uvicorn_options(max_header: int) -> dict[str, Any]:
    """uvicorn's protocol and loop options: httptools (head capped) and uvloop when installed,
    several times faster than the pure-Python defaults; else h11 with the same cap."""
    options: dict[str, Any] = {}
    if importlib.util.find_spec("httptools"):
        options["http"] = bounded_httptools(max_header)
    else:
        options["http"] = "h11"
        options["h11_max_incomplete_event_size"] = max_header
    if importlib.util.find_spec("uvloop"):
        options["loop"] = "uvloop"
    return options
