"""Publishing when things go wrong: an unreachable store, refused credentials, bodies too
large, a failing store, a cut connection, and a store killed in the middle. Each failure
names the graph and the step, and the live graphs stay exactly as they were."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from icpc_kg.errors import (
    StoreAuthError,
    StoreError,
    StorePayloadTooLargeError,
    StoreUnreachableError,
)
from icpc_kg.publish import PublishOptions, PublishProgress, publish
from icpc_kg.publish import read_published_version as published_version
from icpc_kg.published import PublishedDataset
from icpc_kg.vocab import graph_iri
from tests.support.oxigraph_server import OxigraphServer, free_port, running_oxigraph
from tests.support.publishing import (
    build_digests,
    store_digests,
    store_graphs,
)
from tests.support.store_proxy import Seen, StoreProxy

pytestmark = pytest.mark.store

STAGING = graph_iri("staging/")
PUBLICATION = graph_iri("publication")


@pytest.fixture
def store_a(tmp_path: Path, version_a: PublishedDataset) -> Iterator[OxigraphServer]:
    """A store into which version A was published."""
    with running_oxigraph(tmp_path / "db") as server:
        publish(version_a.out_dir, PublishOptions(server.base_url))
        yield server


def assert_still_version(server: OxigraphServer, version: PublishedDataset) -> None:
    """Every live graph equals ``version``'s build exactly; nothing else but staging graphs
    (and graph/publication) is in the store."""
    expected = build_digests(version.out_dir)
    graphs = store_graphs(server.base_url)
    assert {g for g in graphs if not g.startswith(STAGING)} == set(expected) | {PUBLICATION}
    assert store_digests(server.base_url, sorted(expected)) == expected
    assert published_version(server.query_url) == version.version


def no_staging_left(server: OxigraphServer) -> bool:
    return not any(g.startswith(STAGING) for g in store_graphs(server.base_url))


def test_unreachable_store(version_a: PublishedDataset) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnreachableError, match="cannot reach"):
        publish(version_a.out_dir, PublishOptions(url))
    with pytest.raises(StoreUnreachableError, match=r"plan failed: cannot reach .*/query"):
        publish(version_a.out_dir, PublishOptions(url, flavor="oxigraph"))


def test_bearer_token_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, store_a: OxigraphServer, version_b: PublishedDataset
) -> None:
    with StoreProxy(store_a.base_url, bearer="s3cret") as proxy:
        options = PublishOptions(proxy.url, flavor="oxigraph")
        monkeypatch.delenv("ICPC_KG_STORE_TOKEN", raising=False)
        monkeypatch.delenv("ICPC_KG_STORE_USER", raising=False)
        with pytest.raises(StoreAuthError, match="ICPC_KG_STORE_TOKEN") as refused:
            publish(version_b.out_dir, options)
        assert "HTTP 401" in str(refused.value)
        assert proxy.writes() == []

        monkeypatch.setenv("ICPC_KG_STORE_TOKEN", "s3cret")
        report = publish(version_b.out_dir, options)
    assert report.swapped
    assert {s.authorization for s in proxy.seen[-len(proxy.writes()) :]} == {"Bearer s3cret"}
    assert_still_version(store_a, version_b)


def test_basic_credentials_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    store_a: OxigraphServer,
    version_a: PublishedDataset,
    version_b: PublishedDataset,
) -> None:
    monkeypatch.delenv("ICPC_KG_STORE_TOKEN", raising=False)
    monkeypatch.setenv("ICPC_KG_STORE_USER", "ann")
    with StoreProxy(store_a.base_url, basic=("ann", "right")) as proxy:
        options = PublishOptions(
            proxy.url, flavor="oxigraph", update_endpoint=f"{proxy.url}/update"
        )
        monkeypatch.setenv("ICPC_KG_STORE_PASSWORD", "wrong")
        with pytest.raises(StoreAuthError, match="refused the credentials"):
            publish(version_b.out_dir, options)
        assert_still_version(store_a, version_a)

        monkeypatch.setenv("ICPC_KG_STORE_PASSWORD", "right")
        publish(version_b.out_dir, options)
    # Queries (httpx) and updates (SPARQLWrapper) both sent Basic credentials.
    sent = {s.authorization.split(" ")[0] for s in proxy.seen}
    assert sent == {"Basic"}
    assert any(s.is_update for s in proxy.seen)
    assert_still_version(store_a, version_b)


def test_forbidden_writes(
    store_a: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    with (
        StoreProxy(store_a.base_url, fail=lambda s: s.is_write, fail_status=403) as proxy,
        pytest.raises(StoreAuthError) as failure,
    ):
        publish(version_b.out_dir, PublishOptions(proxy.url, flavor="oxigraph"))
    message = str(failure.value)
    assert "upload failed" in message and "HTTP 403" in message
    assert "the live graphs are unchanged" in message
    assert_still_version(store_a, version_a)


@pytest.mark.parametrize("transport", ["graph-store", "sparql-update"])
def test_too_large_bodies_are_sent_in_smaller_chunks(
    transport: str, tmp_path: Path, version_a: PublishedDataset
) -> None:
    with running_oxigraph(tmp_path / "db") as server:
        with StoreProxy(server.base_url, max_body=20_000) as proxy:
            update = f"{proxy.url}/update" if transport == "sparql-update" else None
            report = publish(
                version_a.out_dir,
                PublishOptions(proxy.url, flavor="oxigraph", update_endpoint=update),
            )
        assert report.swapped
        assert any(len(s.body) > 20_000 for s in proxy.seen)  # refused with 413, then split
        assert_still_version(server, version_a)


def test_too_large_even_when_small_is_a_clear_error(
    store_a: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    with (
        StoreProxy(store_a.base_url, max_body=300) as proxy,
        pytest.raises(StorePayloadTooLargeError) as failure,
    ):
        publish(version_b.out_dir, PublishOptions(proxy.url, flavor="oxigraph"))
    message = str(failure.value)
    assert "upload failed" in message and "HTTP 413" in message
    assert "request size limit" in message
    assert "staging graphs were removed" in message
    assert_still_version(store_a, version_a)
    assert no_staging_left(store_a)


def nth_write(n: int) -> object:
    counter = {"writes": 0}

    def rule(seen: Seen) -> bool:
        if not seen.is_write and "graph=" not in seen.target:
            return False
        counter["writes"] += 1
        return counter["writes"] == n

    return rule


@pytest.mark.parametrize("transport", ["graph-store", "sparql-update"])
def test_a_server_error_in_the_middle(
    transport: str,
    store_a: OxigraphServer,
    version_a: PublishedDataset,
    version_b: PublishedDataset,
) -> None:
    with StoreProxy(store_a.base_url, fail=nth_write(3), fail_status=503) as proxy:
        update = f"{proxy.url}/update" if transport == "sparql-update" else None
        with pytest.raises(StoreError) as failure:
            publish(
                version_b.out_dir,
                PublishOptions(
                    proxy.url, flavor="oxigraph", update_endpoint=update, chunk_bytes=8192
                ),
            )
    message = str(failure.value)
    assert message.startswith("graph/")
    assert "upload failed" in message and "HTTP 503" in message
    assert "the live graphs are unchanged" in message
    assert_still_version(store_a, version_a)
    assert no_staging_left(store_a)


def test_a_server_error_on_the_swap(
    store_a: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    def swap(seen: Seen) -> bool:
        return seen.is_update and seen.body.startswith(b"MOVE")

    with (
        StoreProxy(store_a.base_url, fail=swap, fail_status=500) as proxy,
        pytest.raises(StoreError, match="swap failed") as failure,
    ):
        publish(version_b.out_dir, PublishOptions(proxy.url, flavor="oxigraph"))
    assert "either every graph was replaced or none was" in str(failure.value)
    assert_still_version(store_a, version_a)
    assert no_staging_left(store_a)


@pytest.mark.parametrize("transport", ["graph-store", "sparql-update"])
def test_the_connection_cut_half_way(
    transport: str,
    store_a: OxigraphServer,
    version_a: PublishedDataset,
    version_b: PublishedDataset,
) -> None:
    with StoreProxy(store_a.base_url, cut=nth_write(2)) as proxy:
        update = f"{proxy.url}/update" if transport == "sparql-update" else None
        with pytest.raises(StoreUnreachableError, match="was cut") as failure:
            publish(
                version_b.out_dir,
                PublishOptions(
                    proxy.url, flavor="oxigraph", update_endpoint=update, chunk_bytes=8192
                ),
            )
    assert "upload failed" in str(failure.value)
    assert_still_version(store_a, version_a)
    assert no_staging_left(store_a)


def test_store_killed_during_a_publish(
    tmp_path: Path, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    """kill -9 the store while version B is being uploaded: after a restart on the same
    files every live graph is still version A exactly; publishing B again then works."""
    location = tmp_path / "db"
    with running_oxigraph(location) as server:
        publish(version_a.out_dir, PublishOptions(server.base_url))
        uploading, killed = threading.Event(), threading.Event()
        outcome: list[BaseException | None] = []

        def progress(event: PublishProgress) -> None:
            # In the middle of a graph's upload (a small graph goes up in one chunk).
            mid_upload = event.step == "upload" and 0 < event.done < event.total
            if mid_upload and not uploading.is_set():
                uploading.set()
                killed.wait(30)

        def run() -> None:
            try:
                publish(
                    version_b.out_dir,
                    PublishOptions(server.base_url, chunk_bytes=8192, timeout=20),
                    progress=progress,
                )
                outcome.append(None)
            except BaseException as error:
                outcome.append(error)

        thread = threading.Thread(target=run)
        thread.start()
        assert uploading.wait(60)
        server.kill()  # SIGKILL, in the middle of the upload
        killed.set()
        thread.join(60)
    error = outcome[0]
    assert isinstance(error, StoreUnreachableError)
    assert "upload failed" in str(error) and "could not be removed" in str(error)

    with running_oxigraph(location) as server:
        assert_still_version(server, version_a)
        assert not no_staging_left(server)  # this run's staging graphs wait for the next one
        report = publish(version_b.out_dir, PublishOptions(server.base_url))
        assert report.stale_staging
        assert_still_version(server, version_b)
        assert no_staging_left(server)


def test_store_killed_during_the_swap(
    tmp_path: Path, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    """The swap is one transaction: killed while it runs, the store holds A or B, whole."""
    location = tmp_path / "db"
    with running_oxigraph(location) as server:
        publish(version_a.out_dir, PublishOptions(server.base_url))

        def kill_soon(seen: Seen) -> None:
            if seen.is_update and seen.body.startswith(b"MOVE"):
                threading.Timer(0.002, server.kill).start()

        with (
            StoreProxy(server.base_url, before_forward=kill_soon) as proxy,
            pytest.raises(StoreError, match="swap failed"),
        ):
            publish(version_b.out_dir, PublishOptions(proxy.url, flavor="oxigraph", timeout=20))
        server.kill()

    with running_oxigraph(location) as server:
        version = published_version(server.query_url)
        assert version in (version_a.version, version_b.version)
        assert_still_version(server, version_a if version == version_a.version else version_b)
