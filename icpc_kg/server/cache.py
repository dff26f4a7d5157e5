"""A bounded LRU cache of rendered responses and derived data, keyed by graph version.

Everything the server renders from the graph (a resource in one format and language, a named
query's answer, an index page, the ontology's labels) is a pure function of the request and the
graph version, so it is cached under a key that includes the version: when the graph changes
(an update, a restart on new data) old entries are simply never asked for again and age out.
A miss is computed once: requests that miss the same key meanwhile wait for that computation
(no stampede of identical queries when 50 clients ask for a cold page at once). Only the event
loop thread touches the cache, so it needs no lock.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class LruCache:
    """At most ``max_entries`` entries and about ``max_bytes`` of ``bytes`` values."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}
        self.hits = 0
        self.misses = 0
        self.computed = 0

    @staticmethod
    def _size(value: Any) -> int:
        if isinstance(value, (bytes, bytearray)):
            return len(value)
        body = getattr(value, "body", None)
        return len(body) if isinstance(body, (bytes, bytearray)) else 0

    def get(self, key: Hashable) -> Any | None:
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: Hashable, value: Any) -> Any:
        size = self._size(value)
        if size > self.max_bytes // 4:
            return value  # too big to be worth keeping
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= self._size(old)
        self._items[key] = value
        self._bytes += size
        while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
            _, evicted = self._items.popitem(last=False)
            self._bytes -= self._size(evicted)
        return value

    async def get_or_compute(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value under ``key``, else ``compute()``'s, computed once for all concurrent
        callers (an error reaches every one of them and nothing is cached)."""
        found = self.get(key)
        if found is not None:
            return found
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            self.computed += 1
            value = await compute()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning
            raise
        finally:
            self._pending.pop(key, None)
        future.set_result(value)
        self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0
