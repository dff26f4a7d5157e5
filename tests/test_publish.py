"""icpc_kg.publish against a real Oxigraph server: every graph arrives whole, re-running
changes nothing, dry runs count right and write nothing, and graph/publication tells the
version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from icpc_kg.errors import UnknownChoiceError
from icpc_kg.load import INFERRED_GRAPH, SHAPES_GRAPH
from icpc_kg.publish import (
    PUBLICATION_GRAPH,
    PublishOptions,
    PublishProgress,
    StoreClient,
    layout,
    publish,
    read_publication,
    read_published_version,
)
from icpc_kg.publish.local import read_build
from icpc_kg.publish.metadata import union_graph
from icpc_kg.published import PublishedDataset
from icpc_kg.vocab import graph_iri
from tests.support.oxigraph_server import OxigraphServer, running_oxigraph
from tests.support.publishing import (
    build_digests,
    nquads_per_graph,
    store_digests,
    store_graphs,
)
from tests.support.store_proxy import StoreProxy

pytestmark = pytest.mark.store

PLACES = graph_iri("places")
NOTES = graph_iri("notes")
UNION_GRAPH = union_graph()
STAGING = graph_iri("staging/")
SELECTOR = "http://www.w3.org/ns/oa#hasSelector"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OxigraphServer]:
    with running_oxigraph(tmp_path / "db") as server:
        yield server


def client_for(server: OxigraphServer) -> StoreClient:
    return StoreClient(layout("oxigraph", server.base_url))


def test_every_graph_arrives_with_the_build_count(
    store: OxigraphServer, version_a: PublishedDataset
) -> None:
    report = publish(version_a.out_dir, PublishOptions(store.base_url))

    expected = {g: len(lines) for g, lines in nquads_per_graph(version_a.out_dir).items()}
    with read_build(version_a.out_dir) as local:
        expected[SHAPES_GRAPH] = local.graphs[SHAPES_GRAPH].triples
    assert {g.name: g.after for g in report.graphs} == expected
    assert all(g.action == "published" for g in report.graphs)
    assert report.endpoints.flavor == "oxigraph"
    assert report.swapped
    # The store holds exactly the build's graphs, the publication record, and nothing else.
    assert store_graphs(store.base_url) == set(expected) | {PUBLICATION_GRAPH}
    live = store_digests(store.base_url, sorted(expected))
    assert live == build_digests(version_a.out_dir)


def test_the_publication_graph_records_version_counts_and_digests(
    store: OxigraphServer, version_a: PublishedDataset
) -> None:
    assert read_published_version(store.query_url) is None
    publish(version_a.out_dir, PublishOptions(store.base_url))

    assert read_published_version(store.query_url) == version_a.version
    with client_for(store) as client:
        publication = read_publication(client)
    assert publication is not None
    with read_build(version_a.out_dir) as local:
        assert {g: (e.triples, e.digest) for g, e in publication.graphs.items()} == {
            g: (info.triples, info.digest) for g, info in local.graphs.items()
        }
    assert publication.creator.startswith("icpc-kg ")
    assert publication.issued.endswith("Z")


def test_blank_nodes_shared_between_graphs_stay_one_node(
    store: OxigraphServer, version_a: PublishedDataset
) -> None:
    """A selector is described in its data graph and typed in graph/inferred: after the
    upload both graphs still talk about the same node."""
    publish(version_a.out_dir, PublishOptions(store.base_url, chunk_bytes=8192))
    query = f"""SELECT (COUNT(*) AS ?n) WHERE {{
      GRAPH <{graph_iri("strategic-seminars")}> {{ ?passage <{SELECTOR}> ?s }}
      GRAPH <{INFERRED_GRAPH}> {{ ?s a <http://www.w3.org/2002/07/owl#Thing> }}
    }}"""
    with client_for(store) as client:
        joined = int(client.select(query)[0]["n"])
    assert joined > 0
    selectors = sum(
        1
        for line in nquads_per_graph(version_a.out_dir)[graph_iri("strategic-seminars")]
        if "<http://www.w3.org/ns/oa#hasSelector>" in line
    )
    assert joined == selectors


def test_publishing_again_writes_nothing(
    store: OxigraphServer, version_a: PublishedDataset
) -> None:
    publish(version_a.out_dir, PublishOptions(store.base_url))
    with StoreProxy(store.base_url) as proxy:
        again = publish(version_a.out_dir, PublishOptions(proxy.url, flavor="oxigraph"))
    assert proxy.writes() == []
    assert not again.swapped
    assert {g.action for g in again.graphs} == {"unchanged"}
    assert all(g.after == g.local for g in again.graphs)
    assert read_published_version(store.query_url) == version_a.version


def test_dry_run_counts_the_changes_and_writes_nothing(
    store: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    publish(version_a.out_dir, PublishOptions(store.base_url))
    before = store_digests(store.base_url, sorted(store_graphs(store.base_url)))

    with StoreProxy(store.base_url) as proxy:
        report = publish(
            version_b.out_dir, PublishOptions(proxy.url, flavor="oxigraph", dry_run=True)
        )
    assert proxy.writes() == []
    assert store_digests(store.base_url, sorted(before)) == before
    assert read_published_version(store.query_url) == version_a.version

    a, b = nquads_per_graph(version_a.out_dir), nquads_per_graph(version_b.out_dir)
    by_name = {g.name: g for g in report.graphs}
    assert set(by_name) == set(b) | {SHAPES_GRAPH}
    for name in b:
        old = a.get(name, set())
        assert (by_name[name].added, by_name[name].removed) == (
            len(b[name] - old),
            len(old - b[name]),
        ), name
    assert (by_name[PLACES].added, by_name[PLACES].removed) == (2, 1)
    assert by_name[PLACES].action == "replace"
    assert (by_name[NOTES].added, by_name[NOTES].before, by_name[NOTES].action) == (4, 0, "replace")
    assert by_name[INFERRED_GRAPH].added > 0
    assert by_name[graph_iri("themes")].action == "unchanged"
    assert (by_name[graph_iri("themes")].added, by_name[graph_iri("themes")].removed) == (0, 0)


def test_a_new_build_replaces_what_changed_and_drops_what_is_gone(
    store: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    union = PublishOptions(store.base_url, union_graph=True)
    publish(version_a.out_dir, union)
    report = publish(version_b.out_dir, union)
    actions = {g.name: g.action for g in report.graphs}
    assert actions[PLACES] == actions[NOTES] == "published"
    assert actions[graph_iri("themes")] == "unchanged"
    assert read_published_version(store.query_url) == version_b.version
    graphs = sorted(build_digests(version_b.out_dir))
    assert store_digests(store.base_url, graphs) == build_digests(version_b.out_dir)

    assert union_lines(store) == live_lines(store, graphs)
    assert any('"Laval"' in line for line in union_lines(store))

    back = publish(version_a.out_dir, union)
    assert {g.name: g.action for g in back.graphs}[NOTES] == "removed"
    assert NOTES not in store_graphs(store.base_url)
    assert read_published_version(store.query_url) == version_a.version
    # graph/union follows: the removed graph's triples are gone from it too
    assert union_lines(store) == live_lines(store, sorted(build_digests(version_a.out_dir)))
    assert not any('"Laval"' in line for line in union_lines(store))

    # Asked for no more, graph/union goes, even when nothing else changed.
    publish(version_a.out_dir, PublishOptions(store.base_url))
    assert UNION_GRAPH not in store_graphs(store.base_url)


def graph_lines(store: OxigraphServer, graph: str) -> set[str]:
    with client_for(store) as client:
        return {
            f"{t.subject} {t.predicate} {t.object} ."
            for t in client.graph_triples(graph, via_graph_store=True)
        }


def union_lines(store: OxigraphServer) -> set[str]:
    """graph/union, which publish rewrites in every swap as the union of the live graphs."""
    return graph_lines(store, UNION_GRAPH)


def live_lines(store: OxigraphServer, graphs: list[str]) -> set[str]:
    return set().union(*(graph_lines(store, g) for g in graphs))


def test_one_graph_alone(
    store: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    publish(version_a.out_dir, PublishOptions(store.base_url))
    report = publish(version_b.out_dir, PublishOptions(store.base_url, graphs=("places",)))
    assert [g.name for g in report.graphs] == [PLACES]
    live = store_digests(store.base_url, [PLACES, graph_iri("themes")])
    assert live[PLACES] == build_digests(version_b.out_dir)[PLACES]
    assert NOTES not in store_graphs(store.base_url)
    # Neither build is wholly live: the version is neither's, and says so by changing.
    version = read_published_version(store.query_url)
    assert version not in (version_a.version, version_b.version, None)
    with client_for(store) as client:
        publication = read_publication(client)
    assert publication is not None and PLACES in publication.graphs

    with pytest.raises(UnknownChoiceError, match="graph/places"):
        publish(version_b.out_dir, PublishOptions(store.base_url, graphs=("nowhere",)))


def test_sparql_update_transport(
    store: OxigraphServer, version_a: PublishedDataset, version_b: PublishedDataset
) -> None:
    with StoreProxy(store.base_url) as proxy:
        options = PublishOptions(
            proxy.url, flavor="oxigraph", update_endpoint=f"{proxy.url}/update", chunk_bytes=16384
        )
        report = publish(version_a.out_dir, options)
    assert report.transport == "sparql-update"
    assert {s.target.split("?")[0] for s in proxy.writes()} == {"/update"}
    graphs = sorted(build_digests(version_a.out_dir))
    assert store_digests(store.base_url, graphs) == build_digests(version_a.out_dir)

    dry = publish(
        version_b.out_dir,
        PublishOptions(store.base_url, update_endpoint=store.update_url, dry_run=True),
    )
    assert {g.name: (g.added, g.removed) for g in dry.graphs}[PLACES] == (2, 1)


def test_large_uploads_go_in_chunks_with_progress(
    store: OxigraphServer, version_a: PublishedDataset
) -> None:
    events: list[PublishProgress] = []
    with StoreProxy(store.base_url) as proxy:
        publish(
            version_a.out_dir,
            PublishOptions(proxy.url, flavor="oxigraph", chunk_bytes=8192),
            progress=events.append,
        )
    uploads = [e for e in events if e.step == "upload"]
    assert len(proxy.writes()) > 20
    assert max(len(s.body) for s in proxy.writes() if "graph=" in s.target) < 8192 + 2048
    by_unit: dict[str, list[int]] = {}
    for event in uploads:
        by_unit.setdefault(event.graph, []).append(event.done)
        assert event.done <= event.total
    for done in by_unit.values():
        assert done == sorted(done) and done[0] == 0
    assert all(e.done == e.total for e in uploads if e.done == by_unit[e.graph][-1])
    steps = [e.step for e in events]
    assert steps.index("swap") > max(i for i, s in enumerate(steps) if s == "check")
    assert steps[-1] == "verify"


def test_staging_graphs_left_behind_are_removed(
    store: OxigraphServer, version_a: PublishedDataset
) -> None:
    leftover = f"{STAGING}20260101T000000Z-abcdef/places"
    with client_for(store) as client:
        client.update(f'INSERT DATA {{ GRAPH <{leftover}> {{ <urn:x> <urn:y> "z" }} }}')
    dry = publish(version_a.out_dir, PublishOptions(store.base_url, dry_run=True))
    assert dry.stale_staging == [leftover]
    assert leftover in store_graphs(store.base_url)

    report = publish(version_a.out_dir, PublishOptions(store.base_url))
    assert report.stale_staging == [leftover]
    assert not any(g.startswith(STAGING) for g in store_graphs(store.base_url))
