"""The engine on the project's own SHACL cases: ``tests/shacl/cases/<family>/*.trig``.

Each case is one TriG file (format: ``tests/shacl/cases/README.md``): the data graph, the
shapes graph and the report expected. The report the engine gives (``icpc_kg.shacl.validate``)
must be isomorphic to the expected one on each result's focus node, path, value, source shape,
source constraint, constraint component and severity (and the messages the case names), or the
engine must fail when the case expects a failure. A new case is a new file: no Python.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, SH

from icpc_kg.errors import ShaclFailure
from icpc_kg.rdfio import to_rdflib
from icpc_kg.shacl import validate
from icpc_kg.shacl.report import comparable

CASES = Path(__file__).resolve().parent / "cases"
CASE = rdflib.Namespace("https://w3id.org/icpc-kg/shacl-test#")


def _graphs(path: Path) -> dict[str, rdflib.Graph]:
    """The case's graphs by local name (data, shapes, expect), literals as written."""
    graphs: dict[str, rdflib.Graph] = {}
    for quad in ox.parse(path=path, format=ox.RdfFormat.TRIG):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise AssertionError(f"{path.name}: every triple belongs in a named graph")
        name = quad.graph_name.value.removeprefix(str(CASE))
        graph = graphs.setdefault(name, rdflib.Graph())
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    assert "data" in graphs and "expect" in graphs, f"{path.name}: needs case:data and case:expect"
    return graphs


def _expected_report(expect: rdflib.Graph) -> rdflib.Graph:
    """The expected report, with each result typed (the cases leave that out)."""
    report = rdflib.Graph()
    for triple in expect:
        report.add(triple)
    for result in expect.objects(None, SH.result):
        report.add((result, RDF.type, SH.ValidationResult))
    return report


@pytest.mark.parametrize(
    "path", sorted(CASES.glob("*/*.trig")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_case(path: Path) -> None:
    graphs = _graphs(path)
    data = graphs["data"]
    shapes = graphs.get("shapes", data)
    expect = graphs["expect"]
    advanced = (None, CASE.advanced, rdflib.Literal(True)) in expect
    failure = next(expect.subjects(RDF.type, CASE.Failure), None)
    if failure is not None:
        because = str(expect.value(failure, CASE.because) or "")
        with pytest.raises(ShaclFailure, match=because):
            validate(data, shacl_graph=shapes, advanced=advanced)
        return
    _conforms, report, _text = validate(data, shacl_graph=shapes, advanced=advanced)
    assert isinstance(report, rdflib.Graph)
    expected = _expected_report(expect)
    messages = list(expected.objects(None, SH.resultMessage))
    actual, wanted = comparable(report, messages), comparable(expected, messages)
    if not isomorphic(actual, wanted):
        _both, extra, missing = graph_diff(to_isomorphic(actual), to_isomorphic(wanted))
        lines = [f"+ {s.n3()} {p.n3()} {o.n3()}" for s, p, o in sorted(extra)]
        lines += [f"- {s.n3()} {p.n3()} {o.n3()}" for s, p, o in sorted(missing)]
        pytest.fail(f"{path.name}: the report differs (+ given, - expected):\n" + "\n".join(lines))


def test_every_family_of_the_spec_has_cases() -> None:
    families = {p.name for p in CASES.iterdir() if p.is_dir() and any(p.glob("*.trig"))}
    assert {
        "value-type",
        "cardinality",
        "value-range",
        "string-based",
        "property-pair",
        "logical",
        "shape-based",
        "other",
        "targets",
        "paths",
        "sparql",
        "components",
        "severity",
        "deactivated",
        "messages",
        "literals",
    } <= families
