"""The synthetic-graph generator of the benchmarks: projects in the model of data/*.ttl that
load, reason and conform, at the size asked, the same for the same seed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.generate import VIOLATION_KINDS, generate_contribution, generate_project
from icpc_kg.build import assemble
from icpc_kg.load import GraphSource, LoadedDataset, load_shapes
from icpc_kg.project import Project, find_project
from icpc_kg.rdfio import FORMATS, parse_file, parse_rdf, to_rdflib
from icpc_kg.reason import infer
from icpc_kg.shacl import validate_dataset
from icpc_kg.vocab import ID

PASSAGES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?document ?exact ?start ?end WHERE {
    ?passage oa:hasSource ?document ;
        oa:hasSelector [ oa:exact ?exact ] , [ oa:start ?start ; oa:end ?end ] .
}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "project"
    generate_project(out, 2500, seed=3)
    return out


def test_a_small_project_has_the_size_asked_and_every_content_folder(small: Path) -> None:
    triples = sum(len(parse_file(p)) for p in (small / "data").rglob("*.ttl"))
    assert abs(triples - 2500) <= 250
    for folder in ("ontology", "shapes", "queries", "data/sources"):
        assert any((small / folder).iterdir()), folder
    assert (small / "data" / "synthetic-0001.ttl").is_file()
    assert (small / "data" / "sources" / "synthetic-0001.txt").is_file()


def test_it_loads_reasons_and_conforms_to_the_shapes(small: Path) -> None:
    project = find_project(small)
    dataset = assemble(project)
    events = dataset.store.query(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://schema.org/Event> }",
        use_default_graph_as_union=True,
    )
    assert int(next(iter(events))["n"].value) > 20  # the schema.org view, after reasoning
    report = validate_dataset(dataset, load_shapes(project))
    assert report.conforms, [f"{r.rule_id} {r.focus}" for r in report.violations()]


def test_every_synthetic_passage_quotes_its_document_at_its_offsets(small: Path) -> None:
    store = ox.Store()
    store.load(path=str(small / "data" / "synthetic-0001.ttl"), format=ox.RdfFormat.TURTLE)
    texts: dict[str, str] = {}
    rows = list(store.query(PASSAGES))
    for row in rows:
        slug = row["document"].value.rsplit("/", 1)[1]
        text = texts.setdefault(slug, (small / "data" / "sources" / f"{slug}.txt").read_text())
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value
    assert len(rows) > 20


def test_the_same_seed_gives_the_same_files(small: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_project(again, 2500, seed=3)
    for path in sorted((small / "data").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(small)).read_bytes(), path


def test_violations_are_the_ones_asked_for_and_only_those(tmp_path: Path) -> None:
    summary = generate_project(tmp_path / "bad", 6000, seed=5, violations=5)
    assert [kind for kind, _ in summary.violations] == list(VIOLATION_KINDS)
    project = find_project(tmp_path / "bad")
    report = validate_dataset(assemble(project), load_shapes(project))
    violating = {str(r.focus) for r in report.violations()}
    assert violating == {str(ID[iri]) for _, iri in summary.violations}


def test_a_contribution_adds_resources_that_refer_to_the_project_and_conform(
    small: Path,
) -> None:
    text = generate_contribution(small, 1000, seed=9)
    quads = parse_rdf(text.encode(), FORMATS["turtle"], "contribution.ttl")
    assert abs(len(quads) - 1000) <= 100
    project = find_project(small)
    dataset = assemble(project)
    existing = {q.subject for q in dataset.quads(kinds=["data"])}
    subjects = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    objects = {q.object for q in quads if isinstance(q.object, ox.NamedNode)}
    assert not subjects & existing
    assert len(objects & existing) >= 5  # places, organisations, roles of the project
    _add(dataset, "urn:x-test:contribution", quads)
    ontology = list(dataset.quads(kinds=["ontology"]))
    _add(dataset, "urn:x-test:inferred", infer([*ontology, *quads]))
    focus = [to_rdflib(s) for s in subjects]
    report = validate_dataset(dataset, load_shapes(project), focus_nodes=focus)
    assert report.conforms, [f"{r.rule_id} {r.focus}" for r in report.violations()]


def test_the_bundled_data_is_copied_as_it_is(small: Path, project: Project) -> None:
    for path in project.data_dir.glob("*.ttl"):
        assert (small / "data" / path.name).read_bytes() == path.read_bytes()


def _add(dataset: LoadedDataset, name: str, triples: Iterable[ox.Triple | ox.Quad]) -> None:
    graph = ox.NamedNode(name)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    dataset.add_graph(GraphSource(name, "contribution", None, len(quads)), quads)
