"""The named-query catalog: headers, parameter types, binding and its safety, lookup."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from icpc_kg.catalog import (
    PARAM_TYPES,
    NamedQuery,
    QueryParam,
    bind_parameters,
    find_query,
    load_catalog,
    load_query,
    parse_query,
)
from icpc_kg.errors import ParameterError, ProjectError, QueryError, UnknownQueryError

XSD = "http://www.w3.org/2001/XMLSchema#"

EVENTS = """\
# title: Events by year
# description: Every event with its start date,
#   oldest first.
#
# param: year (gYear, optional, example: 1998) — only events starting
#   in this year
# param: city (iri, default: <https://w3id.org/icpc-kg/id/place/montreal>) — the city
# param: limit (xsd:integer, required) -- at most this many
PREFIX schema: <http://schema.org/>
SELECT ?event WHERE {
  ?event schema:location ?city ; schema:startDate ?start .
  FILTER(!BOUND(?year) || SUBSTR(STR(?start), 1, 4) = STR(?year))
  FILTER(?limit > 0)
}
"""


def echo_query(param_type: str) -> NamedQuery:
    """A query that returns the bound value of ?value untouched, as ?echo."""
    text = (
        "# title: Echo\n"
        "# description: Returns the value.\n"
        f"# param: value ({param_type}) — anything\n"
        "SELECT ?echo WHERE { BIND(?value AS ?echo) }\n"
    )
    return parse_query(text, "echo")


def run_echo(param_type: str, raw: str) -> ox.Literal | ox.NamedNode:
    sparql = bind_parameters(echo_query(param_type), {"value": raw})
    solutions = list(ox.Store().query(sparql))
    assert len(solutions) == 1
    return solutions[0]["echo"]


# --- header ---------------------------------------------------------------------------------


def test_header_gives_title_description_and_typed_params() -> None:
    query = parse_query(EVENTS, "events", "queries/events.rq")
    assert query.name == "events"
    assert query.title == "Events by year"
    assert query.description == "Every event with its start date, oldest first."
    assert query.kind == "SELECT"
    assert [(p.name, p.type, p.required, p.default) for p in query.params] == [
        ("year", "gYear", False, None),
        ("city", "iri", False, "<https://w3id.org/icpc-kg/id/place/montreal>"),
        ("limit", "integer", True, None),
    ]
    assert query.params[0].description == "only events starting in this year"
    assert query.params[0].example == "1998"
    assert query.param("limit") is query.params[2]
    assert query.param("nope") is None


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/x>", "DESCRIBE"),
        (
            'PREFIX ex: <http://e/#SELECT>\n# ASK\nconstruct WHERE { ?s ex:ask "SELECT" }',
            "CONSTRUCT",
        ),
    ],
)
def test_query_kind_comes_from_the_query_form(body: str, kind: str) -> None:
    text = f"# title: T\n# description: D\n{body}\n"
    assert parse_query(text, "q").kind == kind


def test_param_values_may_be_quoted_to_hold_commas_and_parentheses() -> None:
    text = (
        "# title: T\n# description: D\n"
        '# param: name (string, default: "Montreal, Canada (QC)") — a name\n'
        "SELECT ?name WHERE { ?s ?p ?name }\n"
    )
    assert parse_query(text, "q").params[0].default == "Montreal, Canada (QC)"


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("# description: D\n", 1, "starts with '# title: ...'"),
        ("# title: T\n# description: D\n# author: me\n", 3, "unknown header field 'author'"),
        ("# title: T\n# description: D\n#param: x (string) — y\n", 3, "expected '# field: value'"),
        ("# title: T\n# title: U\n# description: D\n", 2, "'title' is given twice"),
        ("# title: T\n", 1, "no '# description:'"),
        ("# title: T\n# description:\n", 2, "'description' is empty"),
        ("# title: T\n# description: D\n# param: x — y\n", 3, "expected '# param: name (type"),
        ("# title: T\n# description: D\n# param: x (year) — y\n", 3, "unknown type 'year'"),
        ("# title: T\n# description: D\n# param: x (string, maybe) — y\n", 3, "unknown flag"),
        ("# title: T\n# description: D\n# param: x (string)\n", 3, "expected ' — description'"),
        (
            "# title: T\n# description: D\n# param: x (string, required, default: a) — y\n",
            3,
            "cannot be required and optional",
        ),
        (
            "# title: T\n# description: D\n# param: x (string, optional, default: a) — y\n",
            3,
            "a default already makes it optional",
        ),
        (
            "# title: T\n# description: D\n# param: x (gYear, default: 98) — y\n",
            3,
            "bad default: parameter 'x' expects an xsd:gYear like 1999, got '98'",
        ),
        (
            "# title: T\n# description: D\n# param: x (string) — y\n# param: x (string) — z\n",
            4,
            "parameter 'x' is declared twice",
        ),
        (
            "# title: T\n# description: D\n# param: nowhere (string) — y\n",
            3,
            "the query never uses ?nowhere",
        ),
    ],
)
def test_malformed_header_names_file_and_line(header: str, line: int, message: str) -> None:
    text = header + "SELECT ?x WHERE { ?s ?p ?x }\n"
    with pytest.raises(QueryError) as caught:
        parse_query(text, "bad", "queries/bad.rq")
    assert str(caught.value).startswith(f"queries/bad.rq:{line}: ")
    assert message in str(caught.value)


def test_a_param_the_query_assigns_is_refused() -> None:
    text = "# title: T\n# description: D\n# param: x (string) — y\nSELECT ?x { BIND(1 AS ?x) }"
    with pytest.raises(QueryError, match=r"q\.rq:3: .*assigns \?x"):
        parse_query(text, "q", "q.rq")


def test_params_need_a_where_clause_to_be_bound_in() -> None:
    text = "# title: T\n# description: D\n# param: x (iri) — y\nASK { ?x ?p ?o }"
    with pytest.raises(QueryError, match=r"q\.rq:3: .*top-level 'WHERE \{'"):
        parse_query(text, "q", "q.rq")


def test_an_update_is_not_a_named_query() -> None:
    with pytest.raises(QueryError, match="not a SELECT, ASK, CONSTRUCT or DESCRIBE query"):
        parse_query("# title: T\n# description: D\nDROP ALL\n", "q", "q.rq")


def test_header_is_optional_for_ad_hoc_queries() -> None:
    query = parse_query("# my notes\nSELECT * { ?s ?p ?o }", "adhoc", require_header=False)
    assert (query.title, query.description, query.params) == ("adhoc", "", ())
    with pytest.raises(QueryError, match=r"starts with '# title: \.\.\.'"):
        parse_query("# my notes\nSELECT * { ?s ?p ?o }", "adhoc")


# --- the catalog ------------------------------------------------------------------------------


def test_load_catalog_reads_every_rq_file_by_name(tmp_path: Path) -> None:
    (tmp_path / "b-query.rq").write_text("# title: B\n# description: D\nASK { ?s ?p ?o }\n")
    (tmp_path / "a-query.rq").write_text(EVENTS)
    (tmp_path / "README.md").write_text("not a query")
    catalog = load_catalog(tmp_path)
    assert list(catalog) == ["a-query", "b-query"]
    assert catalog["a-query"].path == tmp_path / "a-query.rq"
    assert catalog["b-query"].kind == "ASK"


def test_load_catalog_refuses_bad_names_and_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no queries folder"):
        load_catalog(tmp_path / "missing")
    (tmp_path / "Bad_Name.rq").write_text("# title: B\n# description: D\nASK { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"Bad_Name\.rq: a query's file name is lowercase"):
        load_catalog(tmp_path)


def test_load_query_names_the_file_in_header_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: T\n# description: D\n# param: y (gYear, sometimes) — z\nASK {}")
    with pytest.raises(QueryError, match=rf"^{path}:3: parameter 'y': unknown flag 'sometimes'"):
        load_query(path)


def test_find_query_suggests_the_nearest_names(tmp_path: Path) -> None:
    for name in ("events-by-year", "events-in-place", "series-timeline"):
        (tmp_path / f"{name}.rq").write_text("# title: T\n# description: D\nASK { ?s ?p ?o }\n")
    catalog = load_catalog(tmp_path)
    assert find_query(catalog, "series-timeline").name == "series-timeline"
    with pytest.raises(UnknownQueryError) as caught:
        find_query(catalog, "events-by-yaer")
    assert caught.value.suggestions[0] == "events-by-year"
    assert "did you mean events-by-year" in str(caught.value)
    with pytest.raises(UnknownQueryError) as caught:
        find_query(catalog, "timeline")
    assert caught.value.suggestions == ["series-timeline"]
    with pytest.raises(UnknownQueryError) as caught:
        find_query(catalog, "zzzz")
    assert caught.value.suggestions == []
    assert "did you mean" not in str(caught.value)


# --- types ------------------------------------------------------------------------------------

GOOD = [
    ("string", "Montréal, QC", ox.Literal("Montréal, QC")),
    ("string", "", ox.Literal("")),
    ("langString", "Montréal@fr", ox.Literal("Montréal", language="fr")),
    ("langString", "Police@en-GB", ox.Literal("Police", language="en-gb")),
    ("langString", "Montreal", ox.Literal("Montreal")),
    ("langString", "info@example.org", ox.Literal("info@example.org")),
    ("integer", "42", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
    ("integer", "-007", ox.Literal("-7", datatype=ox.NamedNode(XSD + "integer"))),
    ("decimal", "2.50", ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal"))),
    ("decimal", "-.5", ox.Literal("-0.5", datatype=ox.NamedNode(XSD + "decimal"))),
    ("boolean", "true", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
    ("boolean", "0", ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))),
    ("date", "2018-02-28", ox.Literal("2018-02-28", datatype=ox.NamedNode(XSD + "date"))),
    (
        "dateTime",
        "2018-02-28T10:00:00-05:00",
        ox.Literal("2018-02-28T10:00:00-05:00", datatype=ox.NamedNode(XSD + "dateTime")),
    ),
    ("gYear", "1999", ox.Literal("1999", datatype=ox.NamedNode(XSD + "gYear"))),
    ("gYearMonth", "1998-11", ox.Literal("1998-11", datatype=ox.NamedNode(XSD + "gYearMonth"))),
    ("iri", "https://example.org/a#b", ox.NamedNode("https://example.org/a#b")),
    ("iri", "<urn:isbn:0451450523>", ox.NamedNode("urn:isbn:0451450523")),
    (
        "iri",
        "id:place/montreal",
        ox.NamedNode("https://w3id.org/icpc-kg/id/place/montreal"),
    ),
    ("iri", "icpc:Seminar", ox.NamedNode("https://w3id.org/icpc-kg/ontology#Seminar")),
]


@pytest.mark.parametrize(("param_type", "raw", "expected"), GOOD)
def test_good_values_are_bound_as_their_rdf_term(
    param_type: str, raw: str, expected: ox.Literal | ox.NamedNode
) -> None:
    assert run_echo(param_type, raw) == expected


BAD = [
    ("string", "bell\x07", "a string like Montreal"),
    ("integer", "3.5", "an xsd:integer like 3"),
    ("integer", "three", "an xsd:integer like 3"),
    ("decimal", "1e3", "an xsd:decimal like 2.5"),
    ("boolean", "yes", "an xsd:boolean (true or false)"),
    ("date", "2018-02-30", "an xsd:date like 2018-02-28"),
    ("date", "28/02/2018", "an xsd:date like 2018-02-28"),
    ("dateTime", "2018-02-28 10:00", "an xsd:dateTime like 2018-02-28T10:00:00-05:00"),
    ("gYear", "abc", "an xsd:gYear like 1999"),
    ("gYear", "98", "an xsd:gYear like 1999"),
    ("gYearMonth", "1998-13", "an xsd:gYearMonth like 1998-11"),
    ("iri", "place/montreal", "an IRI like"),
    ("iri", "http://exa mple.org/", "an IRI like"),
    ("iri", "idd:place/montreal", "unknown prefix 'idd:'"),
]


@pytest.mark.parametrize(("param_type", "raw", "expects"), BAD)
def test_bad_values_say_what_the_parameter_expects(param_type: str, raw: str, expects: str) -> None:
    with pytest.raises(ParameterError) as caught:
        bind_parameters(echo_query(param_type), {"value": raw})
    message = str(caught.value)
    assert message.startswith("parameter 'value' expects ")
    assert expects in message
    assert f"got {raw!r}" in message


def test_the_error_reads_as_documented() -> None:
    with pytest.raises(ParameterError) as caught:
        bind_parameters(echo_query("xsd:gYear"), {"value": "abc"})
    assert str(caught.value) == "parameter 'value' expects an xsd:gYear like 1999, got 'abc'"


def test_every_type_has_a_json_schema_that_a_default_fits() -> None:
    defaults = {
        "string": ("Montreal", "Montreal"),
        "langString": ("Montréal@fr", "Montréal@fr"),
        "integer": ("3", 3),
        "decimal": ("2.5", 2.5),
        "boolean": ("false", False),
        "date": ("2018-02-28", "2018-02-28"),
        "dateTime": ("2018-02-28T10:00:00Z", "2018-02-28T10:00:00Z"),
        "gYear": ("1999", "1999"),
        "gYearMonth": ("1998-11", "1998-11"),
        "iri": ("id:place/montreal", "id:place/montreal"),
    }
    assert set(defaults) == set(PARAM_TYPES)
    for name, (raw, json_value) in defaults.items():
        param = QueryParam("p", name, False, raw, "a parameter", example=raw)
        schema = param.json_schema()
        assert schema["type"] in ("string", "integer", "number", "boolean")
        assert schema["description"] == "a parameter"
        assert schema["default"] == json_value
        assert schema["examples"] == [json_value]


def test_query_json_schema_lists_required_params() -> None:
    schema = parse_query(EVENTS, "events").json_schema()
    assert schema["type"] == "object"
    assert list(schema["properties"]) == ["year", "city", "limit"]
    assert schema["required"] == ["limit"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["year"]["pattern"].startswith("^[0-9]{4}")


# --- binding ----------------------------------------------------------------------------------


def test_binding_fills_defaults_and_leaves_unset_optionals_free() -> None:
    query = parse_query(EVENTS, "events")
    sparql = bind_parameters(query, {"limit": "5"})
    assert "VALUES ?city { <https://w3id.org/icpc-kg/id/place/montreal> }" in sparql
    assert f'VALUES ?limit {{ "5"^^<{XSD}integer> }}' in sparql
    assert "VALUES ?year" not in sparql
    # Bound on the WHERE line itself, so line numbers in engine errors stay right.
    assert sparql.count("\n") == EVENTS.count("\n")
    assert sparql.splitlines()[9].startswith("SELECT ?event WHERE { VALUES ?city")


def test_binding_restricts_and_unset_leaves_unrestricted() -> None:
    store = ox.Store()
    store.load(
        b'<http://e/a> <http://e/p> "1998"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n'
        b'<http://e/b> <http://e/p> "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n',
        ox.RdfFormat.N_TRIPLES,
    )
    query = parse_query(
        "# title: T\n# description: D\n# param: year (gYear, optional) — y\n"
        "SELECT ?s WHERE { ?s <http://e/p> ?year } ORDER BY ?s",
        "q",
    )
    assert [s["s"].value for s in store.query(bind_parameters(query, {}))] == [
        "http://e/a",
        "http://e/b",
    ]
    bound = bind_parameters(query, {"year": "2001"})
    assert [s["s"].value for s in store.query(bound)] == ["http://e/b"]


def test_a_query_without_params_is_returned_unchanged() -> None:
    text = "# title: T\n# description: D\nASK { ?s ?p ?o }\n"
    assert bind_parameters(parse_query(text, "q"), {}) == text


def test_unknown_parameter_is_refused_with_a_suggestion() -> None:
    query = parse_query(EVENTS, "events")
    with pytest.raises(ParameterError) as caught:
        bind_parameters(query, {"limit": "5", "yeer": "1998"})
    assert str(caught.value) == (
        "query 'events' has no parameter 'yeer'; did you mean 'year'? (it takes year, city, limit)"
    )
    bare = parse_query("# title: T\n# description: D\nASK { ?s ?p ?o }", "bare")
    with pytest.raises(ParameterError, match=r"has no parameter 'x' \(it takes no parameters\)"):
        bind_parameters(bare, {"x": "1"})


def test_missing_required_parameter_says_what_it_expects() -> None:
    with pytest.raises(ParameterError) as caught:
        bind_parameters(parse_query(EVENTS, "events"), {"year": "1998"})
    assert str(caught.value) == (
        "query 'events' needs parameter 'limit' (an xsd:integer like 3): at most this many"
    )


INJECTIONS = [
    '" } ; DROP ALL ; #',
    '"} UNION { ?s ?p ?o } #',
    "'''\"\"\" } } }",
    '\\" } ; DROP ALL',
    "\\u0022 } ; DROP ALL ; # \\U00000022",
    "line one\nline two\r\n} ; CLEAR DEFAULT",
    "> . ?s ?p ?o . <http://x",
    "#> comment ?value",
]


@pytest.mark.parametrize("raw", INJECTIONS)
@pytest.mark.parametrize("param_type", ["string", "langString"])
def test_hostile_strings_stay_one_literal(param_type: str, raw: str) -> None:
    assert run_echo(param_type, raw) == ox.Literal(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "http://x> . ?s ?p ?o . <http://y",
        "<http://x> } ; DROP ALL ; { <http://y>",
        'http://x/"',
        "http://x/{a}",
        "http://x/\\u003E",
        "http://x/\nDROP ALL",
        "id:place/x> . ?s ?p ?o",
    ],
)
def test_hostile_iris_are_refused(raw: str) -> None:
    with pytest.raises(ParameterError, match="parameter 'value' expects an IRI like"):
        bind_parameters(echo_query("iri"), {"value": raw})
