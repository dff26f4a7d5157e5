"""POST /validate gives the report ``icpc-kg validate`` gives, as JSON, Turtle, text or HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF, SH

from icpc_kg.cli import main
from tests.support.icpc_server import REPO, IcpcServer

pytestmark = pytest.mark.server

CONTRIBUTIONS = REPO / "tests" / "contributions"
MEDIA = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml"}
CASES = sorted(
    p for folder in ("valid", "invalid") for p in (CONTRIBUTIONS / folder).iterdir()
    if p.suffix in MEDIA
)  # fmt: skip


def post(
    server: IcpcServer, path: Path, accept: str = "application/json", **params: str
) -> httpx.Response:
    return httpx.post(
        server.base_url + "/validate",
        content=path.read_bytes(),
        headers={"Content-Type": MEDIA[path.suffix], "Accept": accept},
        params=params,
        timeout=60,
    )


def without_sources(report: Any) -> Any:
    """The report with the input's name left out (a file name on the command line, the
    request body on the server) and blank node labels blanked (a parser draws them afresh)."""
    if isinstance(report, dict):
        if report.get("type") == "bnode":
            return {"type": "bnode"}
        return {k: without_sources(v) for k, v in report.items() if k != "source"}
    if isinstance(report, list):
        return [without_sources(v) for v in report]
    return report


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_report_is_the_command_line_report(server: IcpcServer, path: Path) -> None:
    cli = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert cli.exit_code in (0, 1), cli.output
    response = post(server, path)
    assert response.status_code == 200, response.text
    served = response.json()
    assert without_sources(served) == without_sources(json.loads(cli.stdout))
    assert response.headers["x-conforms"] == str(served["conforms"]).lower()


def test_turtle_text_and_html_forms_of_the_report(server: IcpcServer) -> None:
    path = CONTRIBUTIONS / "invalid" / "dangling-reference.ttl"
    turtle = post(server, path, "text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report is not None and str(graph.value(report, SH.conforms)) == "false"
    text = post(server, path, "text/plain").text
    assert "DanglingReference" in text and "does not conform" in text
    french = httpx.post(
        server.base_url + "/validate",
        content=path.read_bytes(),
        headers={"Content-Type": "text/turtle", "Accept": "text/plain", "Accept-Language": "fr"},
    ).text
    assert "n'est pas conforme" in french or "non conforme" in french
    html = post(server, path, "text/html").text
    assert 'id="report"' in html and "DanglingReference" in html


def test_the_html_form_posts_and_shows_the_verdict(server: IcpcServer) -> None:
    data = (CONTRIBUTIONS / "valid" / "montreal-seminar.ttl").read_text()
    response = httpx.post(
        server.base_url + "/validate",
        data={"data": data, "format": "turtle"},
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert response.status_code == 200
    assert 'id="verdict"' in response.text and "conforms" in response.text


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"<urn:a> <urn:b> .", "text/turtle", 400, "SYNTAX_ERROR"),
        (b"x", "image/png", 415, "UNSUPPORTED_FORMAT"),
        (b"x", None, 415, "UNSUPPORTED_FORMAT"),
        (
            b'{"@context": "http://127.0.0.1:1/context.jsonld", "@id": "urn:a"}',
            "application/ld+json",
            400,
            "UNSAFE_INPUT",
        ),
    ],
)
def test_unusable_input(
    server: IcpcServer, body: bytes, content_type: str | None, status: int, code: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.post(server.base_url + "/validate", content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["error"] == code
    if code == "SYNTAX_ERROR":
        assert response.json()["message"].startswith("<request body>:1:")
