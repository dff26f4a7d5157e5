"""Queries run in worker processes; a runaway query is stopped and the others go on."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from icpc_kg.errors import QueryTimeoutError, SparqlSyntaxError
from icpc_kg.executor import QueryRequest, SerializedResult, WorkerPool
from icpc_kg.results import SelectResult

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def pool(bundled_nquads: Path) -> Iterator[WorkerPool]:
    with WorkerPool(bundled_nquads, size=2) as workers:
        yield workers


def test_a_query_returns_result_objects(pool: WorkerPool) -> None:
    result = pool.run(
        QueryRequest(
            "SELECT ?name WHERE { <https://w3id.org/icpc-kg/id/org/icpc> "
            "<http://schema.org/name> ?name }"
        )
    )
    assert isinstance(result, SelectResult)
    assert [str(t.value) for t in result.column("name")] == [
        "International Centre for the Prevention of Crime"
    ]


def test_serialised_results_come_back_as_bytes(pool: WorkerPool) -> None:
    result = pool.run(QueryRequest("ASK { ?s ?p ?o }", serialize_as="json"))
    assert isinstance(result, SerializedResult)
    assert result.body == b'{"head":{},"boolean":true}'


def test_syntax_errors_cross_the_process_boundary(pool: WorkerPool) -> None:
    with pytest.raises(SparqlSyntaxError) as raised:
        pool.run(QueryRequest("SELECT * WHERE { ?s ?p }"))
    assert raised.value.line == 1


def test_a_runaway_query_is_stopped_while_others_are_answered(pool: WorkerPool) -> None:
    outcome: list[BaseException] = []

    def runaway() -> None:
        try:
            pool.run(QueryRequest(CARTESIAN), timeout=1.0)
        except QueryTimeoutError as error:
            outcome.append(error)

    thread = threading.Thread(target=runaway)
    started = time.monotonic()
    thread.start()
    time.sleep(0.2)
    for _ in range(20):  # the other worker keeps answering
        assert pool.run(QueryRequest("ASK { ?s ?p ?o }"), timeout=5.0) is not None
    thread.join(timeout=30)
    assert outcome and "stopped" in str(outcome[0])
    assert time.monotonic() - started < 10
    # the killed worker is replaced: two queries can run side by side again
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and pool._idle.qsize() < 2:
        time.sleep(0.1)
    assert pool._idle.qsize() == 2


def test_row_cap(pool: WorkerPool) -> None:
    result = pool.run(QueryRequest("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5))
    assert isinstance(result, SelectResult)
    assert len(result) == 5 and result.truncated
