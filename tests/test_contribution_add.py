"""``icpc-kg add``: only a passing contribution is written, as Turtle with provenance,
atomically, never over another one, and the next build includes it."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from icpc_kg.build import assemble, build
from icpc_kg.cli import main
from icpc_kg.contribution import ContributionInput, add_contribution, validate_contribution
from icpc_kg.contribution.add import write_contribution
from icpc_kg.errors import InputError, ProjectError
from icpc_kg.project import Project
from icpc_kg.rdfio import parse_file
from icpc_kg.store import EmbeddedStore, Store
from tests.support.contributions import FIXTURES, copy_project, snapshot
from tests.support.oxigraph_server import OxigraphServer

ID = "https://w3id.org/icpc-kg/id/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
VALID_JSONLD = FIXTURES / "valid" / "montreal-seminar.jsonld"
EVENT = ox.NamedNode(ID + "event/urban-safety-seminar-2024-montreal")
TODAY = datetime.date(2026, 5, 4)


@pytest.fixture(scope="module")
def store(bundled_nquads: Path) -> Iterator[Store]:
    embedded = EmbeddedStore(bundled_nquads, workers=1)
    yield embedded
    embedded.close()


@pytest.fixture
def copy(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "project"))


def add(copy: Project, store: Store, path: Path, **options: object) -> object:
    return add_contribution(
        [ContributionInput.from_path(path)],
        store,
        copy,
        by="Montreal Urban Safety Office",
        today=TODAY,
        **options,  # type: ignore[arg-type]
    )


def test_a_passing_contribution_is_written_with_provenance(copy: Project, store: Store) -> None:
    result = add(copy, store, VALID_JSONLD, message="The May 2024 seminar")
    path = copy.contributions_dir / "montreal-seminar.ttl"
    assert result.path == path and result.graph.endswith("graph/contribution-montreal-seminar")  # type: ignore[attr-defined]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Contribution montreal-seminar: added by Montreal Urban Safety Office on 2026-05-04"
    )
    assert "@base <https://w3id.org/icpc-kg/id/> ." in text
    triples = {(q.subject, q.predicate, q.object) for q in parse_file(path)}
    node = ox.NamedNode(ID + "contribution/montreal-seminar")

    def value(subject: object, predicate: str) -> object:
        found = [o for s, p, o in triples if s == subject and p.value == predicate]
        assert len(found) == 1, (subject, predicate, found)
        return found[0]

    assert value(node, DCTERMS + "contributor") == ox.Literal("Montreal Urban Safety Office")
    assert value(node, DCTERMS + "date") == ox.Literal(
        "2026-05-04", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )
    assert value(node, DCTERMS + "description") == ox.Literal("The May 2024 seminar")
    distribution = value(node, "http://www.w3.org/ns/dcat#distribution")
    assert value(distribution, DCTERMS + "title") == ox.Literal("montreal-seminar.jsonld")
    checksum = value(distribution, "http://spdx.org/rdf/terms#checksum")
    digest = hashlib.sha256(VALID_JSONLD.read_bytes()).hexdigest()
    assert value(checksum, "http://spdx.org/rdf/terms#checksumValue").value == digest  # type: ignore[attr-defined]
    # Entities without a source of their own point at the contribution; the event keeps its.
    derived = {s.value for s, p, o in triples if p.value == DCTERMS + "source" and o == node}
    assert derived == {
        ID + "document/urban-safety-seminar-2024",
        ID + "passage/urban-safety-seminar-2024-0-88",
    }
    # Everything submitted is there, converted from JSON-LD.
    submitted = {
        (q.subject, q.predicate, q.object)
        for q in parse_file(FIXTURES / "valid" / "montreal-seminar.ttl")
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }
    assert submitted <= triples


def test_the_written_file_validates_provenance_included(copy: Project, store: Store) -> None:
    add(copy, store, VALID_JSONLD)
    written = copy.contributions_dir / "montreal-seminar.ttl"
    report = validate_contribution([ContributionInput.from_path(written)], store, copy)
    assert report.results == []


def test_the_next_build_includes_it(copy: Project, store: Store) -> None:
    add(copy, store, VALID_JSONLD)
    dataset = assemble(copy)
    graph = ox.NamedNode("https://w3id.org/icpc-kg/graph/contribution-montreal-seminar")
    assert list(dataset.store.quads_for_pattern(EVENT, None, None, graph))
    assert list(
        dataset.store.quads_for_pattern(EVENT, None, ox.NamedNode("http://schema.org/Event"), None)
    ), "the new event is reasoned over with the rest"
    result = build(copy, copy.root / "dist")
    assert result.report.conforms
    assert EVENT.value in (copy.root / "dist" / "dataset.nq").read_text(encoding="utf-8")


def test_a_failing_contribution_writes_nothing(copy: Project, store: Store) -> None:
    before = snapshot(copy.root)
    result = add(copy, store, FIXTURES / "invalid" / "dangling-reference.ttl")
    assert result.path is None and not result.report.conforms  # type: ignore[attr-defined]
    assert snapshot(copy.root) == before


def test_strict_blocks_warnings(copy: Project, store: Store) -> None:
    warnings_only = FIXTURES / "hostile" / "owl-imports.ttl"
    assert add(copy, store, warnings_only, strict=True).path is None  # type: ignore[attr-defined]
    assert not copy.contributions_dir.exists()
    assert add(copy, store, warnings_only).path is not None  # type: ignore[attr-defined]


def test_an_existing_contribution_is_replaced_only_when_asked(copy: Project, store: Store) -> None:
    add(copy, store, VALID_JSONLD)
    path = copy.contributions_dir / "montreal-seminar.ttl"
    first = path.read_bytes()
    with pytest.raises(ProjectError, match="already exists: pass --replace"):
        add(copy, store, FIXTURES / "valid" / "montreal-seminar.ttl")
    assert path.read_bytes() == first
    add(copy, store, FIXTURES / "valid" / "montreal-seminar.ttl", replace=True)
    assert path.read_bytes() != first
    assert "from montreal-seminar.ttl." in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in copy.contributions_dir.iterdir()) == ["montreal-seminar.ttl"]


def test_the_write_never_clobbers_a_file_that_appears_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "contributions" / "x.ttl"
    write_contribution(target, b"first", replace=False)
    with pytest.raises(ProjectError, match="already exists"):
        write_contribution(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    write_contribution(target, b"third", replace=True)
    assert target.read_bytes() == b"third"
    assert [p.name for p in target.parent.iterdir()] == ["x.ttl"]  # no temporary file left


def test_the_bundled_graph_refuses(store: Store, project: Project) -> None:
    bundled = Project(project.root, bundled=True)
    with pytest.raises(ProjectError, match="read-only"):
        add(bundled, store, VALID_JSONLD)


@pytest.mark.parametrize(("by", "slug"), [("  ", None), ("Someone", "Not A Slug")])
def test_contributor_and_name_are_checked(
    copy: Project, store: Store, by: str, slug: str | None
) -> None:
    with pytest.raises(InputError):
        add_contribution([ContributionInput.from_path(VALID_JSONLD)], store, copy, by=by, slug=slug)


def test_the_command(copy: Project, oxigraph: OxigraphServer) -> None:
    def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
        result = CliRunner().invoke(
            main,
            ["--project", str(copy.root), "add", *args, "--endpoint", oxigraph.query_url],
            input=stdin,
        )
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run(str(FIXTURES / "invalid" / "dangling-reference.ttl"), "--by", "X")
    assert code == 1 and "DanglingReference" in out and "not added" in err
    code, out, err = run(str(VALID_JSONLD), "--by", "X", "--slug", "may-2024-seminar")
    assert code == 0, out + err
    assert out.startswith(f"added {copy.contributions_dir / 'may-2024-seminar.ttl'} (41 triples,")
    code, out, err = run(str(VALID_JSONLD), "--by", "X", "--slug", "may-2024-seminar")
    assert code == 2 and "already exists" in err
    code, out, err = run(str(VALID_JSONLD))
    assert code == 2 and "Missing option '--by'" in err
    turtle = (FIXTURES / "valid" / "montreal-seminar.ttl").read_bytes()
    code, out, err = run("-", "--input-format", "turtle", "--by", "X", stdin=turtle)
    assert code == 2 and "pass --slug" in err
    code, out, err = run(
        "-", "--input-format", "turtle", "--by", "X", "--slug", "from-stdin", stdin=turtle
    )
    assert code == 0, out + err
    written = (copy.contributions_dir / "from-stdin.ttl").read_text(encoding="utf-8")
    assert "# from <stdin>." in written
