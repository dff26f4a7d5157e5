"""``icpc-kg extract`` from the command line: outputs, summary formats, exit codes and bad
input."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from click.testing import CliRunner, Result

from icpc_kg.cli import main
from tests.extract.conftest import PAGES


def extract(*args: str) -> Result:
    return CliRunner().invoke(main, ["extract", *args])


def test_writes_the_draft_and_prints_the_summary(tmp_path: Path) -> None:
    target = tmp_path / "draft.ttl"
    result = extract(
        str(PAGES / "webinars.txt"), "-o", str(target), "--url", "https://cipc-icpc.org/en/webinars"
    )
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(target, format="turtle")
    assert (
        None,
        rdflib.URIRef("http://schema.org/url"),
        rdflib.URIRef("https://cipc-icpc.org/en/webinars"),
    ) in graph
    assert "found: 1 series, 3 events" in result.output
    assert "no year: 'Tuesday, March 15' kept as icpc:dateText" in result.output
    assert "shapes: the draft conforms" in result.output
    assert f"wrote {target}" in result.output


def test_without_output_the_draft_goes_to_stdout_and_the_summary_to_stderr() -> None:
    result = extract(str(PAGES / "training-dakar.txt"), "--no-validate")
    assert result.exit_code == 0, result.output
    rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert "found:" in result.stderr and "found:" not in result.stdout


def test_json_summary(tmp_path: Path) -> None:
    result = extract(
        str(PAGES / "seminaire-midi-2017.html"),
        "-o",
        str(tmp_path / "d.ttl"),
        "--format",
        "json",
        "--no-link",
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["documents"][0]
    assert summary["lang"] == "fr"
    assert summary["counts"]["event"] == 3
    assert summary["linked"] == [] and len(summary["new"]) > 5
    assert summary["validation"]["conforms"] is True


def test_linking_is_reported(tmp_path: Path) -> None:
    result = extract(
        str(PAGES / "lunch-panel-2019.html"), "-o", str(tmp_path / "d.ttl"), "--no-validate"
    )
    assert result.exit_code == 0, result.output
    assert "<series/lunch-seminars>  (same name)" in result.output
    assert "<org/icpc>  (acronym" in result.output


def test_a_page_with_nothing_to_extract_exits_0_with_an_empty_draft(tmp_path: Path) -> None:
    target = tmp_path / "draft.ttl"
    result = extract(str(PAGES / "about-icpc.txt"), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "nothing to extract" in result.output
    assert len(rdflib.Graph().parse(target, format="turtle")) == 0


def test_save_text_gives_the_local_copy(tmp_path: Path) -> None:
    target = tmp_path / "draft.ttl"
    result = extract(
        str(PAGES / "colloquium-2019.html"),
        "-o",
        str(target),
        "--save-text",
        str(tmp_path / "sources"),
        "--no-validate",
    )
    assert result.exit_code == 0, result.output
    saved = (tmp_path / "sources" / "colloquium-2019.txt").read_text(encoding="utf-8")
    assert saved.startswith("6th International Colloquium")
    graph = rdflib.Graph().parse(target, format="turtle")
    copies = list(graph.objects(None, rdflib.URIRef("https://w3id.org/icpc-kg/ontology#localCopy")))
    assert [str(c) for c in copies] == [str(tmp_path / "sources" / "colloquium-2019.txt")]


def test_bad_input_exits_2_and_leaves_the_output_untouched(tmp_path: Path) -> None:
    target = tmp_path / "draft.ttl"
    target.write_text("# previous draft\n")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    cases = {
        str(empty): "the file is empty",
        str(binary): "PNG image",
        str(tmp_path / "missing.txt"): "no such file",
    }
    for page, message in cases.items():
        result = extract(str(PAGES / "webinars.txt"), page, "-o", str(target))
        assert result.exit_code == 2, result.output
        assert message in result.output
    assert target.read_text() == "# previous draft\n"


def test_a_page_over_the_size_limit(tmp_path: Path) -> None:
    result = extract(str(PAGES / "webinars.txt"), "--max-bytes", "100")
    assert result.exit_code == 2
    assert "over the limit of 100 bytes" in result.output


def test_url_names_one_page() -> None:
    result = extract(
        str(PAGES / "webinars.txt"), str(PAGES / "training-dakar.txt"), "--url", "https://x.org/"
    )
    assert result.exit_code == 2
    assert "one page at a time" in result.output


def test_language_can_be_given(tmp_path: Path) -> None:
    result = extract(
        str(PAGES / "training-dakar.txt"),
        "--lang",
        "fr",
        "--format",
        "json",
        "--no-validate",
        "-o",
        str(tmp_path / "d.ttl"),
    )
    assert json.loads(result.stdout)["documents"][0]["lang"] == "fr"


def test_several_pages_in_one_draft(tmp_path: Path) -> None:
    target = tmp_path / "draft.ttl"
    result = extract(
        str(PAGES / "webinars.txt"),
        str(PAGES / "training-dakar.txt"),
        "-o",
        str(target),
        "--no-validate",
        "--no-link",
    )
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(target, format="turtle")
    documents = set(
        graph.subjects(
            rdflib.RDF.type, rdflib.URIRef("https://w3id.org/icpc-kg/ontology#SourceDocument")
        )
    )
    assert len(documents) == 2
