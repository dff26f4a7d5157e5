"""The review page (icpc_kg/extract/review.py): what a curator sees, as a library, a file
written by ``icpc-kg extract --review`` and the server's ``/extract`` form."""

from __future__ import annotations

import html
import re
from pathlib import Path

from click.testing import CliRunner

from icpc_kg.cli import main
from icpc_kg.extract import ExtractOptions, extract_pages
from icpc_kg.extract.review import render_review, review_view
from icpc_kg.project import Project

PAGE = (
    "News\n\n"
    "ICPC at the Safer Harbours Summit\n\n"
    "On 4 June, the International Centre for the Prevention of Crime (ICPC) took part in "
    "the Safer Harbours Summit organised by the City of Porto Alegre. Marta Ruiz, Director "
    "of Programmes at ICPC, presented the Harbour Safety Handbook. The Golden Tide Parade "
    "closed the day.\n"
)


def _run(tmp_path: Path, project: Project, text: str = PAGE, name: str = "page.txt"):  # type: ignore[no-untyped-def]
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return extract_pages([page], project, ExtractOptions(link=False, validate=False))


def test_every_entity_is_highlighted_with_its_kind(tmp_path: Path, project: Project) -> None:
    view = review_view(_run(tmp_path, project).results[0])
    marked = {(s.mark.kind, s.text) for s in view.segments if s.mark}
    assert ("event", "Safer Harbours Summit") in marked
    assert ("org", "City of Porto Alegre") in marked
    assert ("person", "Marta Ruiz") in marked
    assert ("publication", "Harbour Safety Handbook") in marked
    # The text is all there, in order: the highlights only cut it into segments.
    assert "".join(s.text for s in view.segments) == view_text(tmp_path)
    # A capitalised phrase no entity covers shows as not extracted ("what was missed").
    assert any(s.unextracted and "Golden Tide Parade" in s.text for s in view.segments)


def view_text(tmp_path: Path) -> str:
    return (tmp_path / "page.txt").read_text(encoding="utf-8")


def test_a_date_without_a_year_is_marked_doubtful(tmp_path: Path, project: Project) -> None:
    view = review_view(_run(tmp_path, project).results[0])
    summit = next(e for e in view.entities if e.name == "Safer Harbours Summit")
    assert summit.doubtful
    assert any(s.mark and s.mark.doubtful for s in view.segments)
    assert any(kind == "date" for kind, _where, _message in view.issues)


def test_relations_and_roles_are_listed(tmp_path: Path, project: Project) -> None:
    view = review_view(_run(tmp_path, project).results[0])
    assert ("Marta Ruiz", "Director of Programmes", "ICPC") in [
        (p, t, o.replace("International Centre for the Prevention of Crime", "ICPC"))
        for p, t, o in view.memberships
    ]
    assert any(
        name == "Safer Harbours Summit" and predicate == "icpc:organizer"
        for _a, name, predicate, _b, _o in view.relations
    )


def test_a_hostile_page_cannot_inject_markup(tmp_path: Path, project: Project) -> None:
    hostile = (
        "<html><body><h1>ICPC &lt;script&gt;alert(1)&lt;/script&gt; Seminar on Trust</h1>"
        "<p>The seminar was organised by the City of Lyon &lt;img src=x onerror=alert(2)&gt;."
        "</p></body></html>"
    )
    page = render_review(_run(tmp_path, project, hostile, "page.html"))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_cli_writes_the_review_page(tmp_path: Path, project: Project) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    review = tmp_path / "review.html"
    result = CliRunner().invoke(
        main,
        ["--project", str(project.root), "extract", str(page), "--no-link", "--no-validate",
         "-o", str(tmp_path / "draft.ttl"), "--review", str(review)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote the review page" in result.output
    body = review.read_text(encoding="utf-8")
    assert body.startswith("<!DOCTYPE html>")
    labels = re.findall(r'class="ent ent-(\w+)[^"]*"[^>]*>([^<]+)<span', body)
    assert ("person", "Marta Ruiz") in [(k, html.unescape(t)) for k, t in labels]
    assert "<style>" in body  # standalone: no stylesheet to fetch
