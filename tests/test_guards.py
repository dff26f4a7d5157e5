"""The input guards before any parser: XML DTDs anywhere, nesting and value sizes by lexical
scans that know each syntax's strings, IRIs and comments; build's data files go through them."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpc_kg.build import parse_content_file
from icpc_kg.errors import InputTooDeepError, RdfSyntaxError, UnsafeInputError, ValueTooLargeError
from icpc_kg.guards import InputLimits, check_rdf_input
from icpc_kg.sparql import check_query_limits, inspect_query

SMALL = InputLimits(max_depth=20, max_literal=1000)
S = "<https://w3id.org/icpc-kg/id/org/x> <http://schema.org/name> "


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("turtle", S + "(" * 21 + "1" + ")" * 21 + " ."),
        ("turtle", S + "[ <urn:p> " * 21 + "1" + " ]" * 21 + " ."),
        ("trig", "<urn:g> { " + S + "(" * 20 + "1" + ")" * 20 + " . }"),
        ("ntriples", "<<" * 21 + "<urn:a> <urn:b> <urn:c>" + ">>" * 21),
        ("turtle", "<urn:a#> <urn:p> " + "(" * 21 + "1" + ")" * 21 + " ."),  # '#' in an IRI
        ("jsonld", '{"a": ' * 21 + "1" + "}" * 21),
        ("jsonld", "[" * 21 + "]" * 21),
        ("rdfxml", "<a>" * 21 + "</a>" * 21),
    ],
)
def test_nesting_past_the_limit_is_refused(fmt: str, data: str) -> None:
    with pytest.raises(InputTooDeepError, match="--max-depth"):
        check_rdf_input(data.encode(), fmt, "x", SMALL)


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("turtle", S + '"' + "(" * 100 + '" .'),
        ("turtle", S + "'''" + "[" * 100 + "\n" + "{" * 100 + "''' ."),
        ("turtle", "# " + "(" * 100 + "\n" + S + "1 ."),
        ("turtle", S + "<urn:x(((((((((((((((((((((((((()> ."),
        ("jsonld", '{"a": "' + "{" * 100 + '"}'),
        ("rdfxml", "<a>" + "<![CDATA[" + "<b>" * 100 + "]]></a>"),
    ],
)
def test_brackets_in_strings_iris_and_comments_do_not_count(fmt: str, data: str) -> None:
    check_rdf_input(data.encode(), fmt, "x", SMALL)


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("ntriples", S + '"' + "x" * 1001 + '" .'),
        ("turtle", S + '"""' + "x\n" * 501 + '""" .'),
        ("turtle", "<urn:" + "x" * 1001 + "> <urn:p> 1 ."),
        ("jsonld", '{"@id": "urn:a", "urn:p": "' + "x" * 1001 + '"}'),
    ],
)
def test_a_value_past_the_limit_is_refused_with_its_position(fmt: str, data: str) -> None:
    with pytest.raises(ValueTooLargeError, match=r"x:1:\d+: .*--max-literal"):
        check_rdf_input(data.encode(), fmt, "x", SMALL)


def test_a_long_comment_is_not_a_long_value() -> None:
    check_rdf_input(("#" + "x" * 5000 + "\n" + S + "1 .").encode(), "turtle", "x", SMALL)


@pytest.mark.parametrize(
    "prefix",
    ["", "<!-- " + "x" * 70000 + " -->\n", "<?pi " + "y" * 70000 + "?>\n", "\n" * 5000],
)
def test_a_dtd_is_refused_wherever_it_is_even_in_builds_data_files(
    prefix: str, tmp_path: Path
) -> None:
    document = (
        f'<?xml version="1.0"?>\n{prefix}<!DOCTYPE r [ <!ENTITY a "b"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    ).encode()
    with pytest.raises(UnsafeInputError, match=r"DTD"):
        parse_content_file(document, tmp_path / "data.rdf", "https://w3id.org/icpc-kg/graph/x")


def test_malformed_xml_names_line_and_column() -> None:
    with pytest.raises(RdfSyntaxError) as raised:
        check_rdf_input(b"<a>\n  <b></a>", "rdfxml", "x.rdf")
    assert (raised.value.line, raised.value.column) == (2, 8)


@pytest.mark.parametrize(
    ("query", "deeper_than"),
    [
        ("SELECT * { " + "{ SELECT * WHERE " * 30 + "{}" + " }" * 30 + " }", 60),
        ("SELECT * { {?s ?p ?o}" + " UNION {?s ?p ?o}" * 50 + " }", 50),
        ("SELECT (1" + " + 1" * 50 + " AS ?x) {}", 50),
        ("SELECT * { ?s ?p ?o" + " OPTIONAL { ?s ?p ?o }" * 50 + " }", 50),
        ("SELECT * { ?s <urn:p>" + "/<urn:p>" * 50 + " ?o }", 50),
        ("SELECT * { FILTER(?a <" + "(" * 50 + "1" + ")" * 50 + "> ?b) }", 50),
    ],
)
def test_a_querys_depth_counts_brackets_and_chains(query: str, deeper_than: int) -> None:
    assert inspect_query(query).depth > deeper_than


def test_brackets_in_query_strings_and_comments_do_not_count() -> None:
    query = 'SELECT * { BIND("' + "(" * 500 + '" AS ?x) } # ' + "{" * 500 + "\r" + "LIMIT 1"
    assert inspect_query(query).depth < 10


def test_query_limits_name_their_flags() -> None:
    with pytest.raises(InputTooDeepError, match="--max-depth"):
        check_query_limits("SELECT * {" + " {" * 30 + " }" * 30 + " }", SMALL)
    with pytest.raises(ValueTooLargeError, match="--max-literal"):
        check_query_limits('ASK { ?s ?p "' + "x" * 2000 + '" }', SMALL)
