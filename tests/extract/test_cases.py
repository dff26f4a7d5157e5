"""Small pages written for one failure class each (tests/extract/cases/NAME.txt), with the
entities a curator finds in them (NAME.ann, the format of icpc_kg/extract/annotations.py).
For every family the annotations list, the draft must find each entity and invent none."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from icpc_kg.extract import ExtractOptions, extract_pages
from icpc_kg.extract.annotations import read_annotations, score_entities
from icpc_kg.project import Project

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="module")
def ontology(project: Project) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(project.ontology_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize("page", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case(page: Path, project: Project, ontology: rdflib.Graph) -> None:
    annotations = read_annotations(page.with_suffix(".ann"))
    run = extract_pages([page], project, ExtractOptions(link=False, validate=False))
    scores = score_entities(run.graph, annotations, ontology)
    families = {e.family for e in annotations.entities if not e.optional}
    wrong = {
        family: {"missed": scores[family].missed, "extra": scores[family].extra}
        for family in sorted(families)
        if scores[family].missed or scores[family].extra
    }
    assert wrong == {}
