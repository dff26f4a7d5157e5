"""``icpc_kg.shacl.validate``: pyshacl's calling convention on the project's engine, and the
README's example of it."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

import icpc_kg.shacl
from icpc_kg.errors import ShaclFailure
from icpc_kg.shacl import validate

REPO = Path(__file__).resolve().parent.parent.parent
EX = rdflib.Namespace("http://example.org/ns#")
PREFIXES = """
@prefix ex: <http://example.org/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
SHAPES = (
    PREFIXES
    + """
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] ,
        [ sh:path ex:nickname ; sh:maxCount 1 ; sh:severity sh:Warning ] .
"""
)


def turtle(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def test_the_readme_example_runs_and_says_what_it_shows() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The SHACL engine, from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {"print": lambda *args, **kwargs: None}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    assert namespace["conforms"] is False
    assert "Constraint Violation in DatatypeConstraintComponent" in str(namespace["text"])
    report = namespace["report"]
    assert isinstance(report, rdflib.Graph)
    assert (None, SH.sourceConstraintComponent, SH.DatatypeConstraintComponent) in report


def test_the_module_docstring_example_runs() -> None:
    failed, attempted = doctest.testmod(icpc_kg.shacl, raise_on_error=False)
    assert attempted and not failed


def test_returns_conforms_the_report_graph_and_its_text() -> None:
    data = turtle("ex:ann a ex:Person ; ex:name 'Ann' . ex:bob a ex:Person .")
    conforms, report, text = validate(data, shacl_graph=turtle(SHAPES))
    assert conforms is False
    assert isinstance(report, rdflib.Graph)
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == rdflib.Literal(False)
    (result,) = report.objects(node, SH.result)
    assert report.value(result, SH.focusNode) == EX.bob
    assert report.value(result, SH.resultPath) == EX.name
    assert text.startswith("Validation Report\nConforms: False\nResults (1):")
    assert "Focus Node: ex:bob" in text or str(EX.bob) in text


def test_warnings_make_the_report_nonconforming_but_allow_warnings_passes_them() -> None:
    data = turtle("ex:ann a ex:Person ; ex:name 'Ann' ; ex:nickname 'A' , 'Annie' .")
    conforms, report, _ = validate(data, shacl_graph=turtle(SHAPES))
    assert conforms is False
    allowed, allowed_report, _ = validate(data, shacl_graph=turtle(SHAPES), allow_warnings=True)
    assert allowed is True
    # The report itself follows the spec either way: a result means sh:conforms false.
    for graph in (report, allowed_report):
        assert isinstance(graph, rdflib.Graph)
        assert (None, SH.conforms, rdflib.Literal(False)) in graph
        assert (None, SH.resultSeverity, SH.Warning) in graph
    # allow_infos alone does not let a warning pass.
    assert validate(data, shacl_graph=turtle(SHAPES), allow_infos=True)[0] is False


def test_shapes_default_to_the_data_graph() -> None:
    data = turtle("ex:bob a ex:Person .")
    data += turtle(SHAPES)
    conforms, _report, _text = validate(data)
    assert conforms is False


def test_a_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    dataset = rdflib.Dataset()
    dataset.graph(rdflib.URIRef("urn:g:people")).add((EX.ann, RDF.type, EX.Person))
    dataset.graph(rdflib.URIRef("urn:g:names")).add((EX.ann, EX.name, rdflib.Literal("Ann")))
    dataset.graph(rdflib.URIRef("urn:g:more")).add((EX.bob, RDF.type, EX.Person))
    _conforms, report, _text = validate(dataset, shacl_graph=turtle(SHAPES))
    assert isinstance(report, rdflib.Graph)
    assert set(report.objects(None, SH.focusNode)) == {EX.bob}


def test_files_are_read_as_written(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(PREFIXES + 'ex:a ex:flag "1"^^xsd:boolean .\n', encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        PREFIXES + "ex:S a sh:NodeShape ; sh:targetNode ex:a ;"
        " sh:property [ sh:path ex:flag ; sh:in ( true ) ] .\n",
        encoding="utf-8",
    )
    # rdflib would read "1"^^xsd:boolean as "true"; as written it is not the term true.
    conforms, _report, _text = validate(str(data), shacl_graph=str(shapes))
    assert conforms is False


def test_ont_graph_and_rdfs_inference_type_the_data() -> None:
    data = turtle("ex:sam a ex:Student . ex:kim ex:studentId 7 .")
    ontology = turtle("ex:Student rdfs:subClassOf ex:Person . ex:studentId rdfs:domain ex:Person .")
    shapes = turtle(SHAPES)

    def focus_nodes(**options: object) -> set[rdflib.term.Node]:
        _conforms, report, _text = validate(data, shacl_graph=shapes, **options)  # type: ignore[arg-type]
        assert isinstance(report, rdflib.Graph)
        return set(report.objects(None, SH.focusNode))

    assert focus_nodes() == set()  # no ex:Person without the ontology
    assert focus_nodes(ont_graph=ontology) == {EX.sam}  # subclasses count in SHACL itself
    assert focus_nodes(ont_graph=ontology, inference="rdfs") == {EX.sam, EX.kim}  # the domain
    assert len(data) == 2  # the caller's graph is left alone
    with pytest.raises(ShaclFailure, match="inference must be one of"):
        validate(data, shacl_graph=shapes, inference="magic")


def test_focus_nodes_use_shapes_and_abort_on_first() -> None:
    data = turtle("ex:bob a ex:Person . ex:cid a ex:Person .")
    shapes = turtle(
        SHAPES + "ex:Other a sh:NodeShape ; sh:targetClass ex:Person ; sh:nodeKind sh:Literal ."
    )
    _c, everything, _t = validate(data, shacl_graph=shapes)
    assert isinstance(everything, rdflib.Graph)
    assert len(set(everything.objects(None, SH.result))) == 4
    _c, bob, _t = validate(data, shacl_graph=shapes, focus_nodes=[EX.bob])
    assert isinstance(bob, rdflib.Graph)
    assert set(bob.objects(None, SH.focusNode)) == {EX.bob}
    _c, other, _t = validate(data, shacl_graph=shapes, use_shapes=[EX.Other])
    assert isinstance(other, rdflib.Graph)
    assert set(other.objects(None, SH.sourceShape)) == {EX.Other}
    _c, first, _t = validate(data, shacl_graph=shapes, abort_on_first=True)
    assert isinstance(first, rdflib.Graph)
    assert len(set(first.objects(None, SH.result))) == 1


def test_serialize_report_graph_gives_bytes() -> None:
    data = turtle("ex:bob a ex:Person .")
    _c, report, _t = validate(data, shacl_graph=turtle(SHAPES), serialize_report_graph="nt")
    assert isinstance(report, bytes)
    assert b"http://www.w3.org/ns/shacl#MinCountConstraintComponent" in report


def test_unknown_options_and_what_the_engine_does_not_run_are_said_plainly() -> None:
    data = turtle("ex:bob a ex:Person .")
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        validate(data, shacl_graph=turtle(SHAPES), colour="red")
    with pytest.raises(ShaclFailure, match="remote SPARQL"):
        validate(data, shacl_graph=turtle(SHAPES), sparql_mode=True)
    rules = turtle(
        "ex:R a sh:NodeShape ; sh:targetClass ex:Person ;"
        " sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:p ; sh:object 1 ] ."
    )
    with pytest.raises(ShaclFailure, match=r"SHACL-AF rules \(sh:rule\)"):
        validate(data, shacl_graph=rules)


def test_an_ill_formed_shape_is_a_failure_that_names_the_shape_and_the_reason() -> None:
    data = turtle("ex:bob a ex:Person .")
    shapes = turtle(
        "ex:Bad a sh:NodeShape ; sh:targetClass ex:Person ;"
        " sh:property [ sh:path ex:name ; sh:minCount 'one' ] ."
    )
    with pytest.raises(ShaclFailure, match=r"sh:minCount must be an xsd:integer"):
        validate(data, shacl_graph=shapes)


def test_meta_shacl_checks_the_shapes_graph_first() -> None:
    data = turtle("ex:bob a ex:Person .")
    broken = turtle("ex:Bad a sh:NodeShape ; sh:targetClass ex:Person ; sh:nodeKind sh:Anything .")
    with pytest.raises(ShaclFailure, match="not well-formed SHACL"):
        validate(data, shacl_graph=broken, meta_shacl=True)
    assert validate(data, shacl_graph=turtle(SHAPES), meta_shacl=True)[0] is False


def test_a_file_with_named_graphs_is_validated_as_their_union(tmp_path: Path) -> None:
    data = tmp_path / "data.trig"
    data.write_text(
        PREFIXES + "<urn:g:1> { ex:ann a ex:Person . } <urn:g:2> { ex:ann ex:name 'Ann' . }\n"
        "<urn:g:3> { ex:bob a ex:Person . }\n",
        encoding="utf-8",
    )
    _conforms, report, _text = validate(str(data), shacl_graph=turtle(SHAPES))
    assert isinstance(report, rdflib.Graph)
    assert set(report.objects(None, SH.focusNode)) == {EX.bob}
