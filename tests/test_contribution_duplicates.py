"""Likely duplicates: which names count as similar, and the index of the graph's names."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from icpc_kg.contribution import ContributionInput, duplicates, validate_contribution
from icpc_kg.contribution.duplicates import NameIndex, content, normalise, similarity
from icpc_kg.project import Project
from icpc_kg.store import RemoteStore
from tests.support.oxigraph_server import running_oxigraph

ID = "https://w3id.org/icpc-kg/id/"


def alike(a: str, b: str) -> float:
    return similarity(content(normalise(a)), content(normalise(b)))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("First Policing for Prevention Seminar", "First Policing for Prevention seminar"),
        ("Montréal Youth Centre", "MONTREAL youth centre"),
        ("Coordination – A Success Factor", "Coordinaton: a success factor"),
        ("Policing and Prevention", "Prevention and Policing"),
    ],
)
def test_the_same_name_written_differently_is_similar(a: str, b: str) -> None:
    assert alike(a, b) >= duplicates.NAME_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Victim Support Action Portia-North", "Victim Support Action Portano North"),
        (
            "Conference on Violence Prevention, Toray 2024",
            "Conference on Violence Prevention, Maray 2024",
        ),
        (
            "First Policing for Prevention seminar",
            "First Policing for Prevention seminar workshops",
        ),
    ],
)
def test_one_differing_place_or_kind_makes_names_different(a: str, b: str) -> None:
    assert alike(a, b) < duplicates.NAME_THRESHOLD


def row(iri: str, label: str, kind: str = "n") -> tuple[str, str, str]:
    return (iri, label, kind)


def test_the_index_finds_names_by_their_rarest_word() -> None:
    rows = [row(f"{ID}event/e{i}", f"Seminar on youth safety, Town {i}") for i in range(50)]
    rows += [
        row(f"{ID}event/target", "Seminar on youth safety, Rimouski"),
        row(f"{ID}org/target", "Rimouski Youth Office"),
        row(f"{ID}org/target", "RYO", "a"),
    ]
    index = NameIndex.from_rows(rows)
    assert index.similar(normalise("Youth Safety Seminar, Rimouski")) == [f"{ID}event/target"]
    assert index.acronyms["ryo"] == {f"{ID}org/target"}
    assert index.similar(normalise("Something else entirely")) == []


def test_the_index_follows_an_external_store(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data.nq"
    graph = "<https://w3id.org/icpc-kg/graph/organisations>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    org = f"{rdf_type} <https://w3id.org/icpc-kg/ontology#Organization>"
    name = "<http://schema.org/name>"
    data.write_text(
        f"<{ID}org/one> {org} {graph} .\n"
        f'<{ID}org/one> {name} "Harbour Safety Council"@en {graph} .\n',
        encoding="utf-8",
    )
    contribution = tmp_path / "new.ttl"
    contribution.write_text(
        f"<{ID}org/two> a <https://w3id.org/icpc-kg/ontology#Organization> ;\n"
        '    <http://schema.org/name> "Riverside Prevention Forum"@en .\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(duplicates, "PROBE_AFTER", 0.0)
    with running_oxigraph(tmp_path / "db", data) as server:
        store = RemoteStore(server.query_url)
        inputs = [ContributionInput.from_path(contribution)]
        first = validate_contribution(inputs, store, project)
        assert not [r for r in first.results if r.rule_id == "LikelyDuplicate"]
        update = (
            f"INSERT DATA {{ GRAPH {graph} {{ <{ID}org/three> {org} ; "
            '<http://schema.org/name> "Riverside Prevention Forum"@en . } }'
        )
        request = urllib.request.Request(
            server.update_url,
            data=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass
        second = validate_contribution(inputs, store, project)
    found = [r.candidate.iri for r in second.results if r.candidate is not None]
    assert found == [f"{ID}org/three"]
