"""The SHACL shapes: the bundled graph conforms, and each shape fixture gives its expected report.

Fixtures follow the W3C SHACL test suite: ``tests/shapes/valid/*.ttl`` and
``tests/shapes/invalid/*.ttl`` each hold the data to check and, in the same file, a
``test:Case`` node listing the results expected (see ``tests/shapes/README.md``). Each fixture
is validated together with the ontology and the OWL 2 RL inferences over both, as the build
does, so a new case needs a file and no Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from icpc_kg.errors import ProjectError
from icpc_kg.load import LoadedDataset, load_shapes
from icpc_kg.project import Project
from icpc_kg.rdfio import parse_file, rdflib_to_triples, triples_to_rdflib
from icpc_kg.reason import infer
from icpc_kg.shacl import ShaclReport, ShaclResult, validate_dataset, validate_graph
from icpc_kg.vocab import KINDS, PREFIXES, shrink

FIXTURES = Path(__file__).resolve().parent / "shapes"
TEST = rdflib.Namespace("https://w3id.org/icpc-kg/shapes-test#")
ICPCSH = "https://w3id.org/icpc-kg/shapes#"
SEVERITY_NAMES: dict[Node | None, str] = {
    SH.Violation: "Violation",
    SH.Warning: "Warning",
    SH.Info: "Info",
}
BLANK = "_:blank"  # blank nodes are compared as "some blank node"
SHORT = {**PREFIXES, "icpcsh": ICPCSH}


Key = tuple[str, str, str, str, str]  # focus, path, constraint component, shape, severity


# ---------------------------------------------------------------------------------------------
# Session fixtures: the shapes and the ontology are read once
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def shapes(project: Project) -> rdflib.Graph:
    return triples_to_rdflib(load_shapes(project))


@pytest.fixture(scope="session")
def ontology_quads(project: Project) -> list[ox.Quad]:
    return parse_file(project.ontology_dir / "icpc.ttl")


# ---------------------------------------------------------------------------------------------
# Reading a fixture
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    key: Key
    value: Node | None


@dataclass
class Fixture:
    data: rdflib.Graph
    expected: list[Expected]


def _node_key(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.BNode):
        return BLANK
    return str(node)


def _path_key(path: Node | None, graph: rdflib.Graph) -> str:
    """A predicate path as its IRI, an inverse path as ``^IRI``."""
    if isinstance(path, rdflib.BNode):
        inverse = graph.value(path, SH.inversePath)
        assert inverse is not None, "only predicate and inverse paths are supported"
        return f"^{inverse}"
    return _node_key(path)


def _closure(graph: rdflib.Graph, node: Node) -> set[tuple[Node, Node, Node]]:
    """The triples about ``node`` and, recursively, about the blank nodes it points at."""
    triples: set[tuple[Node, Node, Node]] = set()
    for s, p, o in graph.triples((node, None, None)):
        triples.add((s, p, o))
        if isinstance(o, rdflib.BNode):
            triples |= _closure(graph, o)
    return triples


def read_fixture(path: Path) -> Fixture:
    graph = triples_to_rdflib(parse_file(path))
    cases = list(graph.subjects(RDF.type, TEST.Case))
    assert len(cases) == 1, f"{path.name}: needs exactly one test:Case node"
    case = cases[0]
    expected = []
    for node in graph.objects(case, TEST.expect):
        focus = graph.value(node, SH.focusNode)
        component = graph.value(node, SH.sourceConstraintComponent)
        shape = graph.value(node, SH.sourceShape)
        severity = graph.value(node, SH.resultSeverity)
        assert focus is not None and component and shape and severity in SEVERITY_NAMES, (
            f"{path.name}: each expectation names sh:focusNode, sh:sourceConstraintComponent, "
            "sh:sourceShape and sh:resultSeverity"
        )
        key = (
            _node_key(focus),
            _path_key(graph.value(node, SH.resultPath), graph),
            str(component),
            str(shape),
            SEVERITY_NAMES[severity],
        )
        expected.append(Expected(key, graph.value(node, SH.value)))
    for triple in _closure(graph, case):
        graph.remove(triple)
    return Fixture(graph, expected)


def validate_fixture(
    fixture: Fixture, shapes: rdflib.Graph, ontology_quads: list[ox.Quad]
) -> ShaclReport:
    """Validate the fixture as the build validates the bundled graph: data, ontology and the
    OWL 2 RL inferences over both."""
    data = triples_to_rdflib(ontology_quads, graph=rdflib.Graph())
    for triple in fixture.data:
        data.add(triple)
    inferred = infer([*ontology_quads, *rdflib_to_triples(fixture.data)])
    triples_to_rdflib(inferred, graph=data)
    return validate_graph(data, shapes)


def result_key(result: ShaclResult, shapes: rdflib.Graph) -> Key:
    path = result.path
    if isinstance(path, rdflib.BNode):  # the report's copy of the shape's path
        path = shapes.value(result.shape, SH.path)
    return (
        _node_key(result.focus),
        _path_key(path, shapes),
        str(result.constraint),
        str(result.shape),
        result.severity,
    )


def short(text: str) -> str:
    return shrink(text, SHORT) if text.startswith("http") else text


def describe(keys: Iterable[Key]) -> str:
    return "\n".join("  " + " | ".join(map(short, key)) for key in sorted(keys)) or "  (none)"


def fixture_paths(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*.ttl"))


# ---------------------------------------------------------------------------------------------
# The fixtures
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [*fixture_paths("valid"), *fixture_paths("invalid")],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_fixture_gives_the_expected_report(
    path: Path, shapes: rdflib.Graph, ontology_quads: list[ox.Quad]
) -> None:
    fixture = read_fixture(path)
    report = validate_fixture(fixture, shapes, ontology_quads)
    actual = {result_key(r, shapes) for r in report.results}
    expected = {e.key for e in fixture.expected}
    assert actual == expected, (
        f"{path.name}\nmissing:\n{describe(expected - actual)}\n"
        f"unexpected:\n{describe(actual - expected)}"
    )
    for wanted in fixture.expected:
        if wanted.value is not None:
            values = {r.value for r in report.results if result_key(r, shapes) == wanted.key}
            assert wanted.value in values, f"{path.name}: {wanted.key} with value {wanted.value}"
    if path.parent.name == "valid":
        assert report.conforms, f"{path.name}: a valid fixture may expect warnings only"
    else:
        assert expected, f"{path.name}: an invalid fixture names the results it expects"


def test_every_rule_has_an_invalid_fixture(shapes: rdflib.Graph) -> None:
    """Each property shape and each SPARQL-based node shape appears as sh:sourceShape in at
    least one invalid fixture."""
    rules = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(SH.sparql))
    covered = {e.key[3] for path in fixture_paths("invalid") for e in read_fixture(path).expected}
    missing = sorted(short(str(rule)) for rule in rules if str(rule) not in covered)
    assert not missing, f"rules without an invalid fixture: {missing}"
    assert len(fixture_paths("valid")) + len(fixture_paths("invalid")) >= 40


# ---------------------------------------------------------------------------------------------
# The shapes themselves
# ---------------------------------------------------------------------------------------------


def _shape_nodes(shapes: rdflib.Graph) -> set[Node]:
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    return nodes


def test_every_shape_has_an_iri_and_a_message_in_english_and_french(
    shapes: rdflib.Graph,
) -> None:
    constraints = set(shapes.objects(None, SH.sparql))
    problems = []
    for node in _shape_nodes(shapes):
        if not (isinstance(node, rdflib.URIRef) and str(node).startswith(ICPCSH)):
            problems.append(f"{node}: not an icpcsh: IRI")
            continue
        languages = {getattr(m, "language", None) for m in shapes.objects(node, SH.message)}
        if not {"en", "fr"} <= languages:
            problems.append(f"{short(str(node))}: messages in {sorted(map(str, languages))}")
        if node not in constraints and shapes.value(node, SH.severity) not in SEVERITY_NAMES:
            problems.append(f"{short(str(node))}: no sh:severity")
    assert not problems, "\n".join(problems)


def test_sparql_constraints_declare_their_prefixes(shapes: rdflib.Graph) -> None:
    for constraint in shapes.objects(None, SH.sparql):
        declared = shapes.value(constraint, SH.prefixes)
        assert declared is not None and (declared, RDF.type, OWL.Ontology) in shapes
        text = str(shapes.value(constraint, SH.select))
        prefixes = {str(shapes.value(d, SH.prefix)) for d in shapes.objects(declared, SH.declare)}
        used = set(re.findall(r"\b([a-z]+):[A-Za-z]", text))
        assert used <= prefixes, (short(str(constraint)), used - prefixes)


def test_the_identifier_rule_knows_every_kind_of_resource(shapes: rdflib.Graph) -> None:
    text = str(shapes.value(rdflib.URIRef(ICPCSH + "DataIriFormQuery"), SH.select))
    match = re.search(r"/id/\(([a-z|]+)\)/", text)
    assert match is not None
    assert set(match.group(1).split("|")) == set(KINDS)


# ---------------------------------------------------------------------------------------------
# The bundled graph
# ---------------------------------------------------------------------------------------------


def test_the_bundled_graph_conforms(assembled: LoadedDataset, project: Project) -> None:
    report = validate_dataset(assembled, load_shapes(project))
    violations = [f"{short(str(r.focus))} {r.rule_id} {r.message()}" for r in report.violations()]
    assert report.conforms, "\n".join(violations)


def test_unusable_shapes_are_a_project_error_naming_the_constraint() -> None:
    shapes = rdflib.Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ;\n"
        '    sh:property [ sh:path ex:p ; sh:minCount "many" ] .',
        format="turtle",
    )
    data = rdflib.Graph().parse(data="<http://ex/a> a <http://ex/C> .", format="turtle")
    with pytest.raises(ProjectError, match=r"shapes cannot be applied: .*minCount"):
        validate_graph(data, shapes)
