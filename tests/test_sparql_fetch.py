"""SERVICE and LOAD are found on the parsed query, whatever comments, white space, escapes
and nesting surround them; text that only mentions them passes."""

from __future__ import annotations

import pytest

from icpc_kg.errors import RefusedQueryError
from icpc_kg.sparql_fetch import fetching_operations

SVC = "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * {{ #\r{SVC} }}",
        f"SELECT * {{ # x\r\n{SVC} }}",
        f"SELECT * {{ # x\n{SVC} }}",
        "SELECT * { SERVICE\t\r<http://127.0.0.1:9/>\t{ ?s ?p ?o } }",
        "SELECT * { sErViCe SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://127.0.0.1:9/#f> { ?s ?p ?o } }",
        f'SELECT * {{ BIND("#" AS ?h) {SVC} }}',
        f"SELECT * {{ {{ SELECT * WHERE {{ {SVC} }} }} }}",
        f"SELECT * {{ ?a ?b ?c OPTIONAL {{ {SVC} }} }}",
        f"SELECT * {{ {{ ?a ?b ?c }} UNION {{ {SVC} }} }}",
        f"SELECT * {{ ?a ?b ?c MINUS {{ {SVC} }} }}",
        f"SELECT * {{ ?a ?b ?c FILTER NOT EXISTS {{ {SVC} }} }}",
        "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        f"SELECT * {{ {SVC} }} # the end",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "LOAD SILENT <http://127.0.0.1:9/x.ttl> INTO GRAPH <urn:g>",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; #\rLOAD <http://127.0.0.1:9/x>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ {SVC} }}",
    ],
)
def test_fetching_is_found_in_every_form(text: str) -> None:
    assert refused(text)


def refused(text: str) -> bool:
    """Found to fetch, or not checkable (refused as well)."""
    try:
        return bool(fetching_operations(text))
    except RefusedQueryError:
        return True


@pytest.mark.parametrize(
    "text",
    [
        f'SELECT ?x {{ BIND("{SVC}" AS ?x) }}',
        f"SELECT * {{ ?s ?p ?o }} # {SVC}\n",
        "SELECT * { ?s a <https://w3id.org/icpc-kg/ontology#PoliceService> }",
        "PREFIX ex: <http://e/> SELECT ?service { ?service ex:load ?o }",
        "ADD SILENT <http://127.0.0.1:9/a> TO <http://127.0.0.1:9/b>",
        "SELECT * { ?s ?p ?o }",
    ],
)
def test_mentions_are_not_fetches(text: str) -> None:
    assert fetching_operations(text) == []


def test_a_mention_that_cannot_be_parsed_is_refused() -> None:
    with pytest.raises(RefusedQueryError, match="cannot be checked"):
        fetching_operations("SELECT * { ?s ?p 'service' } LATERAL")
