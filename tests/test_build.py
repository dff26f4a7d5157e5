"""``build``: every dump written and readable, byte-identical rebuilds, atomic output,
incremental rebuilds that equal full ones, and a VoID that tells the truth."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SH, VOID

from icpc_kg import dumps
from icpc_kg.build import BuildResult, assemble, build, load_build_shapes, place
from icpc_kg.dumps import CHECKSUMS, DUMPS, OUTPUT_FILES, verify_checksums
from icpc_kg.errors import ProjectError, RdfSyntaxError
from icpc_kg.project import Project
from icpc_kg.rdfio import triples_to_rdflib
from icpc_kg.shacl import ShaclReport

REPO = Path(__file__).resolve().parent.parent
EX = "https://example.org/build-test#"

# Shapes and data of our own, in their own namespace (the project's shapes do not target
# them), that exercise what incremental validation must follow: a SPARQL constraint reading
# a neighbour's date, sh:class on a value, an inverse path and a + path.
TEST_SHAPES = f"""\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .

<{EX}shapes> sh:declare [ sh:prefix "ex" ; sh:namespace "{EX}"^^xsd:anyURI ] .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:message "no label"@en ] ;
    sh:property [ sh:path ex:owner ; sh:class ex:Owner ; sh:message "owner is no Owner"@en ] .

ex:OwnedShape a sh:NodeShape ;
    sh:targetClass ex:Owner ;
    sh:property [ sh:path [ sh:inversePath ex:owner ] ; sh:maxCount 2 ;
                  sh:message "owns more than two things"@en ] .

ex:OwnerShape a sh:NodeShape ;
    sh:targetClass ex:Owner ;
    sh:sparql [
        sh:message "owns a forbidden thing"@en ;
        sh:prefixes <{EX}shapes> ;
        sh:select \"\"\"SELECT $this WHERE {{ ?thing ex:keeper $this ; ex:label "forbidden" }}\"\"\"
    ] .

ex:PartShape a sh:NodeShape ;
    sh:targetClass ex:Part ;
    sh:sparql ex:PartInsideWhole .

ex:PartInsideWhole a sh:SPARQLConstraint ;
    sh:message "part starts before its whole"@en ;
    sh:prefixes <{EX}shapes> ;
    sh:select \"\"\"
        SELECT $this ?value WHERE {{
            $this ex:partOf+ ?whole ; ex:start ?value .
            ?whole ex:start ?bound .
            FILTER (?value < ?bound)
        }}\"\"\" .
"""

TEST_DATA = f"""\
@prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:whole a ex:Part ; ex:start 2000 .
ex:part a ex:Part ; ex:partOf ex:whole ; ex:start 2001 .
ex:subpart a ex:Part ; ex:partOf ex:part ; ex:start 2002 .
ex:alice a ex:Owner .
ex:bob a ex:Owner .
ex:t1 a ex:Thing ; ex:label "one" ; ex:owner ex:alice .
ex:t2 a ex:Thing ; ex:label "two" ; ex:owner ex:alice .
ex:carol a ex:Owner .
ex:t3 a ex:Thing ; ex:label "three" ; ex:owner ex:bob ; ex:keeper ex:carol ;
    ex:note [ ex:text "a blank node" ] .
"""


def copy_project(root: Path, extra: bool = False) -> Project:
    """A copy of the repository's content folders in ``root``; with ``extra``, plus the test
    shapes and data above."""
    for name in ("ontology", "data", "shapes", "queries"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    (root / "shapes").mkdir(exist_ok=True)
    if extra:
        (root / "shapes" / "zz-build-test.ttl").write_text(TEST_SHAPES, encoding="utf-8")
        (root / "data" / "build-test.ttl").write_text(TEST_DATA, encoding="utf-8")
    return Project(root)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def comparable(report: ShaclReport) -> Counter[tuple[str, ...]]:
    """A report's results, with the blank nodes pySHACL mints for complex paths made equal."""

    def term(node: object) -> str:
        return "_:" if isinstance(node, rdflib.BNode) else str(node)

    return Counter(
        (
            term(r.focus),
            term(r.path),
            term(r.value),
            r.severity,
            str(r.constraint),
            term(r.shape),
            r.rule_id,
        )
        for r in report.results
    )


def focus_rules(result: BuildResult) -> set[tuple[str, str]]:
    return {
        (str(r.focus), r.message()) for r in result.report.results if str(r.focus).startswith(EX)
    }


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One build of a copy of the bundled project."""
    root = tmp_path_factory.mktemp("bundled")
    return build(copy_project(root))


# --------------------------------------------------------------------------------------------
# The bundled graph
# --------------------------------------------------------------------------------------------


def test_bundled_build_conforms_and_writes_every_file(bundled: BuildResult) -> None:
    assert bundled.conforms, [(str(r.focus), r.rule_id) for r in bundled.report.violations()]
    assert sorted(p.name for p in bundled.files) == sorted(OUTPUT_FILES)
    assert all(p.stat().st_size > 0 for p in bundled.files)
    names = [g.name.rsplit("/", 1)[-1] for g in bundled.graphs]
    assert {"ontology", "themes", "lunch-seminars", "strategic-seminars", "sources"} <= set(names)
    assert names[-1] == "inferred"
    assert set(bundled.timings) == {"load", "reason", "validate", "write", "total"}


def test_entities_per_class_count_asserted_and_inferred_types(bundled: BuildResult) -> None:
    icpc = "https://w3id.org/icpc-kg/ontology#"
    assert bundled.entities[icpc + "Seminar"] >= 3
    # Every seminar is an icpc:Event and a schema:Event only through the inferences.
    assert bundled.entities[icpc + "Event"] >= bundled.entities[icpc + "Seminar"]
    assert bundled.entities["http://schema.org/Event"] == bundled.entities[icpc + "Event"]


def _triples(path: Path, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)
    }


def test_every_dump_parses_and_the_union_equals_graph_nt(bundled: BuildResult) -> None:
    out = bundled.out_dir
    nquads = list(ox.parse(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    trig = list(ox.parse(path=str(out / "dataset.trig"), format=ox.RdfFormat.TRIG))
    assert set(trig) == set(nquads)
    assert {q.graph_name.value for q in nquads} == {g.name for g in bundled.graphs}
    union = {q.triple for q in nquads}
    assert _triples(out / "graph.nt", ox.RdfFormat.N_TRIPLES) == union
    assert _triples(out / "graph.ttl", ox.RdfFormat.TURTLE) == union
    jsonld = rdflib.Graph().parse(out / "graph.jsonld", format="json-ld")
    nt = rdflib.Graph().parse(out / "graph.nt", format="nt")
    assert len(jsonld) == len(nt) == len(union) == bundled.union_triples
    assert isomorphic(jsonld, nt)
    shapes = rdflib.Graph().parse(out / "shapes.ttl", format="turtle")
    assert (None, RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")) in shapes


def test_checksums_cover_every_other_file_and_verify(bundled: BuildResult) -> None:
    lines = (bundled.out_dir / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    assert all(re.fullmatch(r"[0-9a-f]{64}  [\w.]+", line) for line in lines)
    assert sorted(line.split("  ")[1] for line in lines) == sorted(
        n for n in OUTPUT_FILES if n != CHECKSUMS
    )
    assert verify_checksums(bundled.out_dir) == []


def test_void_counts_match_the_dumps(bundled: BuildResult) -> None:
    out = bundled.out_dir
    void = rdflib.Graph().parse(out / "void.ttl", format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/icpc-kg/dataset")

    def number(subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
        value = void.value(subject, predicate)
        assert value is not None, (subject, predicate)
        return int(value)

    nt = rdflib.Graph().parse(out / "graph.nt", format="nt")
    nquads = list(ox.parse(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    assert number(dataset, VOID.triples) == len(nt)
    assert number(dataset, VOID.properties) == len(set(nt.predicates()))
    assert number(dataset, VOID.classes) == len(set(nt.objects(None, RDF.type)))
    assert number(dataset, VOID.distinctSubjects) == len(set(nt.subjects()))
    entities = {s for s in nt.subjects() if str(s).startswith("https://w3id.org/icpc-kg/id/")}
    assert number(dataset, VOID.entities) == len(entities)
    per_graph = Counter(q.graph_name.value for q in nquads)
    subsets = set(void.objects(dataset, VOID.subset))
    assert {str(s) for s in subsets} == set(per_graph)
    for subset in subsets:
        assert number(subset, VOID.triples) == per_graph[str(subset)]
    for partition in void.objects(dataset, VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        assert number(partition, VOID.entities) == len(set(nt.subjects(RDF.type, cls)))
    dumps = {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, VOID.dataDump)}
    assert dumps == set(DUMPS)
    assert str(void.value(dataset, VOID.uriSpace)) == "https://w3id.org/icpc-kg/id/"
    assert rdflib.URIRef("http://schema.org/") in set(void.objects(dataset, VOID.vocabulary))
    # The date comes from the content (the ontology's dcterms:modified), not the clock.
    ontology = rdflib.Graph().parse(REPO / "ontology" / "icpc.ttl", format="turtle")
    stated = max(str(d) for d in ontology.objects(None, DCTERMS.modified))
    assert str(void.value(dataset, DCTERMS.modified)) >= stated
    assert void.value(dataset, DCTERMS.license) is not None


# --------------------------------------------------------------------------------------------
# Determinism and atomicity
# --------------------------------------------------------------------------------------------


def test_same_input_gives_byte_identical_output(bundled: BuildResult, tmp_path: Path) -> None:
    first = snapshot(bundled.out_dir)
    again = build(bundled.project, out_dir=bundled.out_dir, full=True)
    assert snapshot(again.out_dir) == first
    # A fresh copy elsewhere, with a cold cache: the same bytes (no paths, no clock).
    other = build(copy_project(tmp_path / "copy"), out_dir=tmp_path / "elsewhere")
    assert snapshot(other.out_dir) == first


def test_big_dumps_written_by_worker_processes_are_the_same_bytes(
    bundled: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dumps, "PARALLEL_FROM", 1)
    again = build(bundled.project, out_dir=tmp_path / "parallel", full=True)
    assert snapshot(again.out_dir) == snapshot(bundled.out_dir)


def test_a_malformed_file_stops_the_build_and_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "p")
    first = build(project)
    before = snapshot(first.out_dir)
    (project.data_dir / "broken.ttl").write_text(
        "@prefix schema: <http://schema.org/> .\n\n"
        '<https://w3id.org/icpc-kg/id/event/x> schema:name "x"@en ;\n'
        "    schema:startDate .\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(project.root)
    with pytest.raises(RdfSyntaxError) as caught:
        build(project)
    assert re.match(r"data/broken\.ttl:4:\d+: ", str(caught.value)), str(caught.value)
    assert snapshot(first.out_dir) == before
    assert [p.name for p in first.out_dir.parent.iterdir() if p.name.startswith(".dist")] == []


def test_output_folder_that_is_not_a_build_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ProjectError, match="not an icpc-kg build output"):
        build(project, out_dir=precious)
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".precious")] == []


# --------------------------------------------------------------------------------------------
# Incremental rebuilds
# --------------------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _assert_same_as_full(incremental: BuildResult, tmp_path: Path, name: str) -> BuildResult:
    full = build(
        incremental.project,
        out_dir=tmp_path / name,
        full=True,
        cache_dir=tmp_path / f"{name}-cache",
    )
    assert comparable(incremental.report) == comparable(full.report)
    assert snapshot(incremental.out_dir) == snapshot(full.out_dir)
    return full


def test_incremental_rebuild_follows_neighbours_and_equals_a_full_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", extra=True)
    test_data = project.data_dir / "build-test.ttl"
    first = build(project)
    assert first.validation == "full"
    assert focus_rules(first) == set()

    # Only the whole's date and alice's type change; the results that change belong to the
    # part and sub-part (a SPARQL constraint reads their wholes' dates through ex:partOf+)
    # and to t1 and t2 (sh:class reads the type of their owner).
    _edit(test_data, "ex:whole a ex:Part ; ex:start 2000", "ex:whole a ex:Part ; ex:start 2005")
    _edit(test_data, "ex:alice a ex:Owner", "ex:alice a ex:Person")
    second = build(project)
    assert second.validation == "incremental", second.validation_note
    assert focus_rules(second) == {
        (EX + "part", "part starts before its whole"),
        (EX + "subpart", "part starts before its whole"),
        (EX + "t1", "owner is no Owner"),
        (EX + "t2", "owner is no Owner"),
    }
    _assert_same_as_full(second, tmp_path, "full-2")

    # An inverse path: bob now owns three things; the result belongs to bob.
    _edit(
        test_data,
        'ex:t1 a ex:Thing ; ex:label "one" ; ex:owner ex:alice',
        'ex:t1 a ex:Thing ; ex:label "one" ; ex:owner ex:bob',
    )
    _edit(
        test_data,
        'ex:t2 a ex:Thing ; ex:label "two" ; ex:owner ex:alice',
        'ex:t2 a ex:Thing ; ex:label "two" ; ex:owner ex:bob',
    )
    third = build(project)
    assert third.validation == "incremental", third.validation_note
    assert (EX + "bob", "owns more than two things") in focus_rules(third)
    _assert_same_as_full(third, tmp_path, "full-3")

    # A SPARQL constraint that finds its focus from a neighbour: only t3's label changes,
    # and the result belongs to carol, who keeps t3 (nothing else reads ex:keeper).
    _edit(test_data, 'ex:label "three"', 'ex:label "forbidden"')
    forbidden = build(project)
    assert forbidden.validation == "incremental", forbidden.validation_note
    assert (EX + "carol", "owns a forbidden thing") in focus_rules(forbidden)
    _assert_same_as_full(forbidden, tmp_path, "full-forbidden")

    # Back to the start: every result goes away again.
    test_data.write_text(TEST_DATA, encoding="utf-8")
    fourth = build(project)
    assert fourth.validation == "incremental", fourth.validation_note
    assert focus_rules(fourth) == set()
    assert comparable(fourth.report) == comparable(first.report)
    assert snapshot(fourth.out_dir) == snapshot(first.out_dir)


def test_incremental_rebuild_of_the_bundled_data_equals_a_full_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    build(project)
    lunch = project.data_dir / "lunch-seminars.ttl"
    _edit(
        lunch,
        '"Coordination – A Success Factor in Crime Prevention Initiatives"@en ;',
        '"Coordination, a success factor"@en ;',
    )
    rebuilt = build(project)
    assert rebuilt.validation == "incremental", rebuilt.validation_note
    assert rebuilt.graphs_from_cache == len(rebuilt.graphs) - 2  # all but lunch and inferred
    _assert_same_as_full(rebuilt, tmp_path, "full")

    # A file removed.
    (project.data_dir / "roles.ttl").rename(project.root / "roles.ttl.bak")
    removed = build(project)
    _assert_same_as_full(removed, tmp_path, "full-removed")


def test_what_forces_a_full_validation(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", extra=True)
    build(project)
    assert build(project).validation_note == "nothing changed"
    assert build(project, full=True).validation_note == "--full"

    # A blank node changes: pyshacl cannot select blank focus nodes, so all is validated.
    _edit(project.data_dir / "build-test.ttl", '"a blank node"', '"another blank node"')
    blank = build(project)
    assert blank.validation == "full" and "blank node" in blank.validation_note
    _assert_same_as_full(blank, tmp_path, "full-blank")

    _edit(project.shapes_dir / "zz-build-test.ttl", '"no label"@en', '"no label at all"@en')
    assert build(project).validation_note == "the shapes changed"

    with (project.ontology_dir / "icpc.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment changes the file\n")
    assert build(project).validation_note.startswith("the ontology changed")


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    first = build(project, cache_dir=tmp_path / "cache")
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            path.write_text("garbage", encoding="utf-8")
    again = build(project, cache_dir=tmp_path / "cache")
    assert again.validation == "full"
    assert snapshot(again.out_dir) == snapshot(first.out_dir)
    # A cache that cannot be written (here its folder is a file) only costs time.
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    third = build(project, cache_dir=tmp_path / "not-a-folder")
    assert snapshot(third.out_dir) == snapshot(first.out_dir)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _parse(text: str) -> list[ox.Quad]:
    return [
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(text.encode(), "text/turtle")
    ]


def _blank_labels(quads: list[ox.Quad]) -> set[str]:
    return {q.object.value for q in quads if isinstance(q.object, ox.BlankNode)}


def test_blank_node_labels_come_from_content() -> None:
    text = "@prefix ex: <https://example.org/> .\nex:a ex:p [ ex:q 1 ] , [ ex:q 2 ] .\n"
    graph = "https://w3id.org/icpc-kg/graph/x"
    first = place(_parse(text), graph, "g")
    assert first == place(_parse(text), graph, "g")  # the parser's labels are random
    labels = _blank_labels(first)
    assert len(labels) == 2
    # Another statement in the file leaves the labels as they were.
    assert _blank_labels(place(_parse(text + "ex:z ex:p ex:y .\n"), graph, "g")) == labels
    # Another graph or file, other labels: two files never share a blank node.
    assert labels.isdisjoint(_blank_labels(place(_parse(text), graph, "h")))
    # Two nodes with the same neighbourhood stay two.
    twins = place(
        _parse("[] <https://example.org/p> 1 . [] <https://example.org/p> 1 ."), graph, "g"
    )
    assert len({q.subject for q in twins}) == 2


def test_shape_files_sharing_a_graph_keep_their_blank_nodes_apart(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    for name in ("a", "b"):
        (project.shapes_dir / f"zz-{name}.ttl").write_text(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            f"<{EX}{name}> sh:path <{EX}p> ; sh:or ( [ sh:datatype xsd:string ] ) .\n",
            encoding="utf-8",
        )
    shapes = triples_to_rdflib(load_build_shapes(project)[0])
    lists = [shapes.value(rdflib.URIRef(EX + name), SH["or"]) for name in ("a", "b")]
    assert lists[0] != lists[1]
    assert len(list(Collection(shapes, lists[0]))) == len(list(Collection(shapes, lists[1]))) == 1


def test_assemble_gives_the_reasoned_dataset(project: Project) -> None:
    dataset = assemble(project)
    assert dataset.graph("https://w3id.org/icpc-kg/graph/inferred").triples > 500
    ask = "ASK { ?e a <http://schema.org/Event> ; <http://schema.org/name> ?n }"
    assert dataset.store.query(ask, use_default_graph_as_union=True)
