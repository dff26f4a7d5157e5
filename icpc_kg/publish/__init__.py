"""``icpc-kg publish``: push the built dataset into an external SPARQL 1.1 store.

    flavors   where each product keeps its endpoints; detection by URL shape and GET probes
    client    HTTP: Graph Store Protocol and queries (httpx), SPARQL Update (SPARQLWrapper)
    local     the build's graphs, blank-node components, units and chunks
    metadata  graph/publication: version, time, per-graph counts and digests
    plan      --dry-run diffs: canonical blank nodes, line digests
    run       the publish itself: plan, upload, check, swap, verify

docs/publishing.md describes the layouts, the swap and the publication graph for operators.
"""

from __future__ import annotations

from icpc_kg.publish.client import Credentials, StoreClient
from icpc_kg.publish.flavors import FLAVORS, StoreEndpoints, layout
from icpc_kg.publish.metadata import PUBLICATION_GRAPH, Publication, publication_graph
from icpc_kg.publish.run import (
    GraphOutcome,
    PublishOptions,
    PublishProgress,
    PublishReport,
    publish,
    read_publication,
    read_published_version,
    resolve_endpoints,
    staging_graphs,
)

__all__ = [
    "FLAVORS",
    "PUBLICATION_GRAPH",
    "Credentials",
    "GraphOutcome",
    "Publication",
    "PublishOptions",
    "PublishProgress",
    "PublishReport",
    "StoreClient",
    "StoreEndpoints",
    "layout",
    "publication_graph",
    "publish",
    "read_publication",
    "read_published_version",
    "resolve_endpoints",
    "staging_graphs",
]
