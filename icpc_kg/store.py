"""The store seam: everything that reads the published graph goes through a :class:`Store`.

Two implementations, one behaviour:

- :class:`EmbeddedStore` — the graph on this machine: worker processes, each holding the
  dataset in memory, that can be killed when a query runs past its timeout.
- :class:`RemoteStore` — an external SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB,
  Virtuoso), queried with SPARQLWrapper; answers are parsed and re-serialised by the same code
  as embedded answers, so clients cannot tell the two apart.

Both refuse what a read-only service must never run (updates, SERVICE, LOAD) before anything
is executed or forwarded.
"""

from __future__ import annotations

import os
import socket
import urllib.error
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

from icpc_kg.errors import (
    QueryError,
    QueryTimeoutError,
    StoreAuthError,
    StoreError,
    StoreUnreachableError,
)
from icpc_kg.executor import (
    DEFAULT_TIMEOUT,
    QueryRequest,
    SerializedResult,
    WorkerPool,
    serialized,
)
from icpc_kg.results import (
    AskResult,
    GraphResult,
    QueryResult,
    SelectResult,
    collect,
)
from icpc_kg.sparql import check_read_only_query, inspect_query, syntax_error


class Store(Protocol):
    """Where SPARQL queries over the published graph are answered."""

    description: str

    def run(
        self, request: QueryRequest, timeout: float | None = DEFAULT_TIMEOUT
    ) -> QueryResult | SerializedResult: ...

    def close(self) -> None: ...


class EmbeddedStore:
    """The dataset in worker processes on this machine (see :mod:`icpc_kg.executor`)."""

    def __init__(self, dataset_file: Path, workers: int = 2) -> None:
        self.dataset_file = dataset_file
        self.description = f"embedded ({dataset_file})"
        self._pool = WorkerPool(dataset_file, size=workers)

    def run(
        self, request: QueryRequest, timeout: float | None = DEFAULT_TIMEOUT
    ) -> QueryResult | SerializedResult:
        if request.info is None:  # not yet checked (the server checks what clients send)
            check_read_only_query(request.sparql)
        return self._pool.run(request, timeout)

    def close(self) -> None:
        self._pool.close()


class RemoteStore:
    """A SPARQL 1.1 query endpoint. Credentials come from the environment only:
    ``ICPC_KG_STORE_TOKEN`` (Bearer) or ``ICPC_KG_STORE_USER`` + ``ICPC_KG_STORE_PASSWORD``
    (Basic)."""

    def __init__(
        self,
        endpoint: str,
        graphs: tuple[str, ...] | None = None,
        union_graph: str | None = None,
    ) -> None:
        """``graphs``: the named graphs a request that names no dataset is answered over
        (their union as the default graph, each as a named graph), as the embedded store
        does; sent as ``default-graph-uri`` / ``named-graph-uri``, so the store's own
        default-graph setting does not matter. None: the store's own dataset.
        ``union_graph``: a graph holding exactly the union of ``graphs`` (what ``publish``
        writes), sent as the one default graph instead of the list, which stores evaluate
        several times faster; the list is then sent only to queries that use GRAPH."""
        self.endpoint = endpoint
        self.graphs = graphs
        self.union_graph = union_graph
        self.description = f"remote ({endpoint})"

    def _wrapper(self, timeout: float | None) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, agent="icpc-kg")
        wrapper.setMethod(POST)
        # A form (query=...), which every SPARQL 1.1 store takes; Virtuoso 7.2 never answers
        # a query POSTed directly as application/sparql-query.
        wrapper.setRequestMethod(URLENCODED)
        if timeout is not None:
            wrapper.setTimeout(max(int(timeout + 0.999), 1))
        token = os.environ.get("ICPC_KG_STORE_TOKEN")
        user = os.environ.get("ICPC_KG_STORE_USER")
        if token:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {token}")
        elif user:
            wrapper.setCredentials(user, os.environ.get("ICPC_KG_STORE_PASSWORD", ""))
        return wrapper

    def run(
        self, request: QueryRequest, timeout: float | None = DEFAULT_TIMEOUT
    ) -> QueryResult | SerializedResult:
        info = request.info or check_read_only_query(request.sparql)
        wrapper = self._wrapper(timeout)
        wrapper.setQuery(request.sparql)
        # SPARQLWrapper guesses the form from keywords and can take a word in a comment for
        # an update ("ADD"), which it would then POST as one; the parser's form is certain.
        wrapper.queryType = info.form
        defaults, named = self._dataset(request, info.keywords)
        for graph in defaults:
            wrapper.addDefaultGraph(graph)
        for graph in named:
            wrapper.addNamedGraph(graph)
        if timeout is not None:
            # Passed through to stores that honour it (Fuseki, GraphDB); enforced here anyway.
            wrapper.addParameter("timeout", str(int(timeout * 1000)))
        accept = (
            "application/n-triples" if info.returns_graph else "application/sparql-results+json"
        )
        wrapper.addCustomHttpHeader("Accept", accept)
        body = self._fetch(wrapper, request.sparql, timeout)
        result = self._parse(body, info.returns_graph, request.max_rows)
        if request.serialize_as is None:
            return result
        return serialized(result, request.serialize_as)

    def _dataset(
        self, request: QueryRequest, keywords: frozenset[str]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The protocol's default and named graphs for ``request``."""
        if request.default_graphs is not None or request.named_graphs is not None:
            if "" in (request.default_graphs or ()):
                raise QueryError("the store's unnamed default graph cannot be asked for by name")
            return request.default_graphs or (), request.named_graphs or ()
        # A query's own FROM / FROM NAMED chooses its dataset; protocol graphs would override it.
        if self.graphs is None or not request.default_graph_as_union or "FROM" in keywords:
            return (), ()
        if self.union_graph is None:
            return self.graphs, self.graphs
        return (self.union_graph,), self.graphs if "GRAPH" in keywords else ()

    def _fetch(self, wrapper: SPARQLWrapper, sparql: str, timeout: float | None) -> bytes:
        try:
            response = wrapper.query().response
            return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300].strip()
            if error.code in (401, 403):
                raise StoreAuthError(
                    f"{self.endpoint} refused the credentials (HTTP {error.code}); set "
                    "ICPC_KG_STORE_TOKEN or ICPC_KG_STORE_USER/ICPC_KG_STORE_PASSWORD"
                ) from None
            if error.code == 400:
                raise syntax_error(SyntaxError(detail), sparql) from None
            if error.code in (503, 504) and "timeout" in detail.lower():
                raise QueryTimeoutError(f"the store stopped the query: {detail}") from None
            raise StoreError(f"{self.endpoint} answered HTTP {error.code}: {detail}") from None
        except TimeoutError:
            raise QueryTimeoutError(
                f"the store did not answer within {timeout:g} s; the query was abandoned"
            ) from None
        except ConnectionError as error:
            raise StoreUnreachableError(
                f"lost the connection to {self.endpoint}: {error}"
            ) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeoutError(
                    f"the store did not answer within {timeout:g} s; the query was abandoned"
                ) from None
            raise StoreUnreachableError(f"cannot reach {self.endpoint}: {error.reason}") from None
        except Exception as error:  # SPARQLWrapper's own exception tree
            name = type(error).__name__
            if name in ("QueryBadFormed",):
                detail = str(error).rsplit("Response:", 1)[-1].strip().strip("b'\"")
                raise syntax_error(SyntaxError(detail), sparql) from None
            if name in ("Unauthorized",):
                raise StoreAuthError(f"{self.endpoint} refused the credentials") from None
            if name in ("EndPointNotFound", "EndPointInternalError", "URITooLong"):
                raise StoreError(f"{self.endpoint}: {error}") from None
            raise

    @staticmethod
    def _parse(body: bytes, returns_graph: bool, max_rows: int | None) -> QueryResult:
        try:
            if returns_graph:
                triples = (
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                )
                return collect(triples, max_rows)
            return collect(
                ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), max_rows
            )
        except SyntaxError as error:
            raise StoreError(f"the store sent an answer that does not parse: {error}") from None

    def close(self) -> None:
        return None


def form_of(sparql: str) -> str:
    return inspect_query(sparql).form


def ensure_query_result(result: QueryResult | SerializedResult) -> QueryResult:
    """The result object of a request made without ``serialize_as``."""
    if isinstance(result, (SelectResult, AskResult, GraphResult)):
        return result
    raise QueryError("expected a result object, got serialised bytes")
