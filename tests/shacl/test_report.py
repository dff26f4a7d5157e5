"""Reports: the project's verdict (warnings pass) and the spec's sh:conforms, custom
severities, report graphs, and reading pyshacl's reports (only top-level results)."""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF, SH

from icpc_kg.shacl import ShaclReport, ShaclResult
from icpc_kg.shacl.reference import results_from_report_graph

EX = rdflib.Namespace("http://example.org/ns#")


def result(severity: str, focus: rdflib.URIRef = EX.a) -> ShaclResult:
    return ShaclResult(focus, EX.p, None, severity, SH.MinCountConstraintComponent, EX.S)


def test_warnings_and_infos_pass_the_project_s_verdict_but_not_the_spec_s() -> None:
    report = ShaclReport([result("Warning"), result("Info")])
    assert report.conforms  # what build and validate exit on
    assert not report.spec_conforms
    graph = report.to_graph()
    assert (None, SH.conforms, rdflib.Literal(False)) in graph
    assert ShaclReport().spec_conforms
    assert (None, SH.conforms, rdflib.Literal(True)) in ShaclReport().to_graph()


def test_a_custom_severity_is_kept_counted_and_blocks() -> None:
    custom = str(EX.Blocker)
    report = ShaclReport([result(custom), result("Warning")])
    assert not report.conforms
    assert report.counts() == {"Violation": 0, "Warning": 1, "Info": 0, custom: 1}
    assert report.violations() == [result(custom)]
    assert (None, SH.resultSeverity, EX.Blocker) in report.to_graph()
    assert report.sorted()[0].severity == custom


def test_a_blank_node_path_is_spelled_out_in_the_report_graph() -> None:
    path = rdflib.BNode()
    triples = ((path, SH.inversePath, EX.child),)
    found = ShaclResult(
        EX.a, path, None, "Violation", SH.MinCountConstraintComponent, EX.S, path_triples=triples
    )
    graph = ShaclReport([found, found]).to_graph()
    paths = list(graph.objects(None, SH.resultPath))
    assert len(paths) == 2 and paths[0] != paths[1]  # one copy per result
    assert all(graph.value(p, SH.inversePath) == EX.child for p in paths)


def test_pyshacl_s_nested_results_are_not_results_of_the_report() -> None:
    """sh:detail holds results that explain another (e.g. why sh:node failed): reading a
    report must count only the report's own sh:result values."""
    report = rdflib.Graph()
    node, outer, inner = rdflib.BNode(), rdflib.BNode(), rdflib.BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.result, outer))
    for result_node, component in (
        (outer, SH.NodeConstraintComponent),
        (inner, SH.MinCountConstraintComponent),
    ):
        report.add((result_node, RDF.type, SH.ValidationResult))
        report.add((result_node, SH.focusNode, EX.a))
        report.add((result_node, SH.sourceShape, EX.S))
        report.add((result_node, SH.sourceConstraintComponent, component))
        report.add((result_node, SH.resultSeverity, EX.Custom))
    report.add((outer, SH.detail, inner))
    results = results_from_report_graph(report, rdflib.Graph())
    assert [r.constraint for r in results] == [SH.NodeConstraintComponent]
    assert results[0].severity == str(EX.Custom)  # not turned into a Violation
