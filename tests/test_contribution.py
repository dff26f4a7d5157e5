"""Contribution validation against the published graph, through both stores of the seam."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from icpc_kg.contribution import (
    ContributionInput,
    ContributionReport,
    ContributionResult,
    DuplicateCandidate,
    validate_contribution,
)
from icpc_kg.errors import InputTooLargeError, RdfSyntaxError, UnsafeInputError
from icpc_kg.project import Project
from icpc_kg.rdfio import format_for_path, parse_file
from icpc_kg.results import display_term
from icpc_kg.store import EmbeddedStore, RemoteStore, Store
from tests.support.contributions import (
    FIXTURES,
    Expected,
    expectations,
    fixtures_with_expectations,
)
from tests.support.oxigraph_server import OxigraphServer

VALID = sorted((FIXTURES / "valid").iterdir())
ID = "https://w3id.org/icpc-kg/id/"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def store(request: pytest.FixtureRequest, bundled_nquads: Path) -> Iterator[Store]:
    if request.param == "embedded":
        embedded = EmbeddedStore(bundled_nquads, workers=1)
        yield embedded
        embedded.close()
    else:
        server: OxigraphServer = request.getfixturevalue("oxigraph")
        yield RemoteStore(server.query_url)


def check(path: Path, store: Store, project: Project, **options: object) -> ContributionReport:
    return validate_contribution([ContributionInput.from_path(path)], store, project, **options)  # type: ignore[arg-type]


def matches(result: ContributionResult, expected: Expected, path: Path) -> bool:
    if (result.severity, result.rule_id) != (expected.severity, expected.rule_id):
        return False
    if expected.path is not None and (
        result.path is None or display_term(result.path) != expected.path
    ):
        return False
    if expected.focus.startswith("["):
        kind = expected.focus.strip("[] ")
        typed = {
            q.subject
            for q in parse_file(path)
            if q.predicate.value.endswith("#type") and display_term(q.object) == kind
        }
        return isinstance(result.focus, ox.BlankNode) and len(typed) > 0
    return display_term(result.focus) == expected.focus


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_the_valid_contribution_passes_strictly_in_every_syntax(
    path: Path, store: Store, project: Project
) -> None:
    report = check(path, store, project)
    assert report.results == []
    assert report.passes(strict=True) and report.exit_code(strict=True) == 0
    names = {display_term(r.term) for r in report.resources}
    assert "id:event/urban-safety-seminar-2024-montreal" in names
    assert all(not r.existing for r in report.resources)
    # Every resource, blank nodes (the passage's selectors) included, is placed in the file.
    assert all(r.position is not None and r.position.line for r in report.resources)


@pytest.mark.parametrize("path", fixtures_with_expectations(), ids=lambda p: p.name)
def test_each_kind_of_error_is_reported_with_its_rule_and_position(
    path: Path, store: Store, project: Project
) -> None:
    report = check(path, store, project)
    for expected in expectations(path):
        found = [r for r in report.results if matches(r, expected, path)]
        assert found, f"{expected} not in {[(r.rule_id, str(r.focus)) for r in report.results]}"
        for result in found:
            assert result.position is not None and result.position.line is not None
            assert result.position.source == str(path)
            assert set(result.messages) >= {"en", "fr"}
    wants_violation = any(e.severity == "Violation" for e in expectations(path))
    assert report.conforms is not wants_violation


def test_dangling_references_are_placed_at_the_reference(store: Store, project: Project) -> None:
    path = FIXTURES / "invalid" / "dangling-reference.ttl"
    report = check(path, store, project)
    dangling = {
        r.value.value: (r.position.line, r.position.column)  # type: ignore[union-attr]
        for r in report.results
        if r.rule_id == "DanglingReference"
    }
    assert dangling == {
        ID + "org/montreal-crime-prevention-office": (12, 33),
        ID + "place/atlantis": (13, 21),
    }


@pytest.mark.parametrize(
    ("name", "organizer_at", "location_at"),
    [
        ("dangling-reference.jsonld", (11, 20), (13, 15)),
        ("dangling-reference.rdf", (11, 5), (12, 5)),
    ],
)
def test_positions_in_json_ld_and_rdf_xml(
    name: str,
    organizer_at: tuple[int, int],
    location_at: tuple[int, int],
    store: Store,
    project: Project,
) -> None:
    report = check(FIXTURES / "invalid" / name, store, project)
    where = {
        r.path.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: (r.position.line, r.position.column)  # type: ignore[union-attr]
        for r in report.results
        if r.rule_id == "DanglingReference"
    }
    assert where == {"organizer": organizer_at, "location": location_at}


def test_an_existing_resource_comes_with_the_exact_diff(store: Store, project: Project) -> None:
    report = check(FIXTURES / "invalid" / "existing-resource.ttl", store, project)
    existing = {display_term(r.focus): r for r in report.results if r.rule_id == "ExistingResource"}
    iacp = existing["id:org/iacp"]
    assert iacp.severity == "Info"
    assert iacp.diff is not None and iacp.diff.remove == ()
    assert [(t.predicate.value, t.object.value) for t in iacp.diff.add] == [
        ("http://schema.org/name", "Association internationale des chefs de police")
    ]
    seminar = existing["id:event/policing-for-prevention-1998-montreal"]
    assert seminar.severity == "Warning"
    assert seminar.diff is not None
    assert [t.object.value for t in seminar.diff.add] == ["1998-12"]
    assert [t.object.value for t in seminar.diff.remove] == ["1998-11"]
    # The graph's own warnings about the seminar (no French name) are not the contribution's.
    assert not any(r.rule_id.startswith("FrenchLabel") for r in report.results)
    assert {display_term(r.term) for r in report.resources if r.existing} == set(existing)


def test_a_likely_duplicate_names_the_existing_entity(store: Store, project: Project) -> None:
    report = check(FIXTURES / "invalid" / "likely-duplicate.ttl", store, project)
    candidates: dict[str, list[DuplicateCandidate]] = {}
    for result in report.sorted_results():
        if result.candidate is not None:
            candidates.setdefault(display_term(result.focus), []).append(result.candidate)
    seminar = candidates["id:event/policing-prevention-seminar-montreal"]
    assert [(c.iri, c.reason) for c in seminar] == [
        (ID + "event/policing-for-prevention-1998-montreal", "name+date")
    ]
    assert seminar[0].score >= 90
    association = candidates["id:org/chiefs-of-police"]
    assert [(c.iri, c.reason, c.score) for c in association] == [
        (ID + "org/iacp", "acronym", 100.0)
    ]


def test_a_similar_name_at_another_date_is_not_a_duplicate(
    store: Store, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "later.ttl"
    path.write_text(
        (FIXTURES / "invalid" / "likely-duplicate.ttl")
        .read_text(encoding="utf-8")
        .replace('"1998-11-16"^^xsd:date', '"2005-03"^^xsd:gYearMonth'),
        encoding="utf-8",
    )
    report = check(path, store, project)
    duplicates = [r for r in report.results if r.rule_id == "LikelyDuplicate"]
    assert [display_term(r.focus) for r in duplicates] == ["id:org/chiefs-of-police"]


def test_results_only_concern_the_contributions_resources(store: Store, project: Project) -> None:
    report = check(FIXTURES / "invalid" / "shape-violations.ttl", store, project)
    own = {r.term for r in report.resources}
    assert report.results and all(r.focus in own for r in report.results)


def test_documents_are_validated_together_with_blank_nodes_kept_apart(
    store: Store, project: Project, tmp_path: Path
) -> None:
    first = tmp_path / "first.ttl"
    second = tmp_path / "second.ttl"
    selector = (
        '@prefix oa: <http://www.w3.org/ns/oa#> .\n_:s a oa:TextQuoteSelector ; oa:exact "{}" .\n'
    )
    first.write_text(selector.format("one"), encoding="utf-8")
    second.write_text(selector.format("two"), encoding="utf-8")
    report = validate_contribution(
        [ContributionInput.from_path(first), ContributionInput.from_path(second)], store, project
    )
    assert len(report.resources) == 2
    assert {r.position.source for r in report.resources} == {str(first), str(second)}  # type: ignore[union-attr]
    assert report.results == []


def test_input_from_bytes_needs_no_file(store: Store, project: Project) -> None:
    data = (FIXTURES / "valid" / "montreal-seminar.ttl").read_bytes()
    report = validate_contribution(
        [ContributionInput.from_bytes(data, "text/turtle", source="body")], store, project
    )
    assert report.results == [] and report.inputs[0].source == "body"
    assert report.resources[0].position is not None
    assert str(report.resources[0].position) == "body:11:1"


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("unknown-prefix.ttl", "unknown-prefix.ttl:4:21: "),
        ("unclosed-graph.trig", "unclosed-graph.trig:5:1: "),
        ("missing-dot.nt", "missing-dot.nt:3:1: "),
        ("literal-graph-name.nq", "literal-graph-name.nq:2:90: "),
        ("missing-comma.jsonld", "missing-comma.jsonld:5:3: "),
        ("mismatched-tag.rdf", "mismatched-tag.rdf:5:43: "),
        ("type-not-a-string.jsonld", "type-not-a-string.jsonld: "),
    ],
)
def test_malformed_files_give_file_line_column(
    name: str, where: str, store: Store, project: Project
) -> None:
    path = FIXTURES / "malformed" / name
    assert format_for_path(path)  # each syntax is covered by its extension
    with pytest.raises(RdfSyntaxError) as caught:
        check(path, store, project)
    assert str(caught.value).startswith(str(FIXTURES / "malformed" / where))


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("remote-context.jsonld", "remote JSON-LD @context 'http://127.0.0.1:9/evil' is refused"),
        ("import-context.jsonld", "@import 'http://127.0.0.1:9/evil' is refused"),
        ("nested-remote-context.jsonld", "'file:///etc/passwd' is refused"),
        ("external-entity.rdf", r"XML with a DTD .* is refused"),
        ("billion-laughs.rdf", r"XML with a DTD .* is refused"),
    ],
)
def test_hostile_documents_are_refused(
    name: str, says: str, store: Store, project: Project
) -> None:
    with pytest.raises(UnsafeInputError, match=says):
        check(FIXTURES / "hostile" / name, store, project)


class _Listener:
    """A TCP listener that counts the connections it receives."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.socket.close()


def test_nothing_is_fetched_for_imports_or_contexts(
    store: Store, project: Project, tmp_path: Path
) -> None:
    listener = _Listener()
    url = f"http://127.0.0.1:{listener.port}/evil"
    try:
        imports = tmp_path / "imports.ttl"
        imports.write_text(
            f"<{ID}event/x> <http://www.w3.org/2002/07/owl#imports> <{url}> .\n",
            encoding="utf-8",
        )
        report = check(imports, store, project)
        assert [r.rule_id for r in report.results if r.rule_id == "OwlImports"] == ["OwlImports"]
        context = tmp_path / "context.jsonld"
        context.write_text(f'{{"@context": "{url}", "@id": "{ID}event/x"}}', encoding="utf-8")
        with pytest.raises(UnsafeInputError):
            check(context, store, project)
    finally:
        listener.close()
    assert listener.connections == 0


def test_an_input_over_the_cap_is_refused_before_parsing(
    store: Store, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "huge.nt"
    line = f'<{ID}event/x> <http://schema.org/description> "{"x" * 100}" .\n'
    path.write_text(line * 2000, encoding="utf-8")
    with pytest.raises(InputTooLargeError, match="over the input limit of 100,000 bytes"):
        check(path, store, project, max_bytes=100_000)
    with pytest.raises(InputTooLargeError, match="<stdin>: more than 1,000 bytes"):
        validate_contribution(
            [ContributionInput.from_bytes(path.read_bytes(), "ntriples")],
            store,
            project,
            max_bytes=1_000,
        )


def test_the_default_cap_is_ten_megabytes(store: Store, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "huge.ttl"
    with path.open("wb") as stream:
        stream.truncate(10 * 1024 * 1024 + 1)
    with pytest.raises(InputTooLargeError, match="10,485,761 bytes"):
        check(path, store, project)


def test_a_contribution_is_checked_under_the_published_ontology(
    store: Store, project: Project, tmp_path: Path
) -> None:
    """Its own ontology triples are reported, and do not change how the rest is read (here:
    every seminar would become a person)."""
    path = tmp_path / "redefines.ttl"
    path.write_text(
        (FIXTURES / "valid" / "montreal-seminar.ttl").read_text(encoding="utf-8")
        + "\nicpc:Seminar <http://www.w3.org/2000/01/rdf-schema#subClassOf> icpc:Person .\n",
        encoding="utf-8",
    )
    report = check(path, store, project)
    assert [(r.rule_id, display_term(r.focus)) for r in report.results] == [
        ("OntologyTermChange", "icpc:Seminar")
    ]


def test_dates_in_utc_are_one_value_each(store: Store, project: Project, tmp_path: Path) -> None:
    """The reasoner writes "...Z" back as "...+00:00": the same value, not a second date."""
    path = tmp_path / "utc.ttl"
    path.write_text(
        (FIXTURES / "valid" / "montreal-seminar.ttl")
        .read_text(encoding="utf-8")
        .replace('"2024-05-14"^^xsd:date', '"2024-05-14T09:00:00Z"^^xsd:dateTime')
        .replace('"2024-05-15"^^xsd:date', '"2024-05-15T17:00:00Z"^^xsd:dateTime'),
        encoding="utf-8",
    )
    assert check(path, store, project).results == []
