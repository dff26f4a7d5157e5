"""Reading SPARQL before running it: forms, refusals, located syntax errors."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from icpc_kg.errors import ReadOnlyError, RefusedQueryError, SparqlSyntaxError
from icpc_kg.sparql import check_read_only_query, inspect_query, syntax_error


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://e/>\nBASE <http://b/>\nask { ?s ex:p ?o }", "ASK"),
        ("# a comment with SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/x>", "DESCRIBE"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "UPDATE"),
        ("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }", "UPDATE"),
        ("LOAD <http://example.org/x.ttl>", "UPDATE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
    ],
)
def test_form_is_the_first_keyword_after_the_prologue(text: str, form: str) -> None:
    assert inspect_query(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://localhost/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SeRvIcE <http://x/> { ?s ?q ?r } } }",
        "LOAD <file:///etc/passwd>",
    ],
)
def test_service_is_refused_in_any_case_or_position(text: str) -> None:
    with pytest.raises(RefusedQueryError, match=r"SERVICE|LOAD"):
        check_read_only_query(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o } # SERVICE <http://x/>",
        "PREFIX ex: <http://e/> SELECT ?service WHERE { ?service ex:SERVICE ?o }",
        "SELECT * WHERE { ?s ?p '''multi\nline SERVICE''' }",
    ],
)
def test_service_inside_strings_iris_names_and_comments_is_not_a_keyword(text: str) -> None:
    assert check_read_only_query(text).form == "SELECT"


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DROP ALL",
        "CLEAR DEFAULT",
    ],
)
def test_updates_are_refused_as_read_only(text: str) -> None:
    with pytest.raises(ReadOnlyError):
        check_read_only_query(text)


def _error_for(text: str) -> SparqlSyntaxError:
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(text)
    return syntax_error(raised.value, text)


def test_syntax_error_names_line_column_and_token() -> None:
    error = _error_for("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }\nGROUP BY")
    assert (error.line, error.column) == (4, 3)
    assert error.token == "FILTER"
    assert "line 4, column 3" in str(error)


def test_syntax_error_on_a_misspelt_keyword() -> None:
    error = _error_for("SELEC ?s WHERE { ?s ?p ?o }")
    assert (error.line, error.column, error.token) == (1, 1, "SELEC")


def test_syntax_error_at_the_end_of_the_query() -> None:
    error = _error_for("SELECT * WHERE { ?s ?p ?o ")
    assert error.line == 1
    assert "end of query" in str(error)
