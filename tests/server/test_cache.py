"""The response cache: bounded, least recently used out first, and one computation per miss."""

from __future__ import annotations

import asyncio

import pytest

from icpc_kg.server.cache import LruCache


def test_entries_and_bytes_are_bounded_least_recently_used_first() -> None:
    cache = LruCache(max_entries=3, max_bytes=1000)
    for key in "abc":
        cache.put(key, b"x" * 100)
    assert cache.get("a") == b"x" * 100  # a is now the most recent
    cache.put("d", b"y" * 100)
    assert cache.get("b") is None and len(cache) == 3
    cache.put("big", b"z" * 240)  # under a quarter of the budget: kept
    cache.put("huge", b"z" * 300)  # over a quarter: not worth keeping
    assert cache.get("big") is not None and cache.get("huge") is None


def test_concurrent_misses_compute_once() -> None:
    cache = LruCache()
    calls = 0

    async def compute() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return b"answer"

    async def fifty() -> list[bytes]:
        return await asyncio.gather(*(cache.get_or_compute("k", compute) for _ in range(50)))

    assert asyncio.run(fifty()) == [b"answer"] * 50
    assert calls == 1
    assert cache.get("k") == b"answer"


def test_a_failed_computation_reaches_every_waiter_and_is_not_cached() -> None:
    cache = LruCache()

    async def fail() -> bytes:
        await asyncio.sleep(0.01)
        raise LookupError("nothing there")

    async def three() -> list[object]:
        return await asyncio.gather(
            *(cache.get_or_compute("k", fail) for _ in range(3)), return_exceptions=True
        )

    results = asyncio.run(three())
    assert all(isinstance(r, LookupError) for r in results)
    assert cache.get("k") is None
    with pytest.raises(LookupError):
        asyncio.run(cache.get_or_compute("k", fail))
