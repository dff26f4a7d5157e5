"""A real ``icpc-kg serve`` process for the HTTP tests, started once per session.

It serves the bundled graph plus two extra files: the W3C protocol tests' three one-triple
named graphs (N-Quads, written by the shared conformance script) and a Turtle file whose
labels try to break out of HTML and of the page's JSON-LD script. Limits are small so the
tests can reach them quickly: 3 s timeout, 500 rows, 2 MB bodies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.icpc_server import IcpcServer, running_server

CONFORMANCE = Path(
    os.environ.get("ICPC_KG_PROTOCOL_SUITE", "/work/shared/conformance/sparql_protocol.py")
)
TIMEOUT = 3.0
MAX_ROWS = 500
MAX_BODY = 2_000_000
HOSTILE_IRI = "https://w3id.org/icpc-kg/id/org/hostile-test"
HOSTILE_NAME = "<script>alert('name')</script> Evil & Co </script>"

HOSTILE_TTL = f"""\
@prefix schema: <http://schema.org/> .
@prefix icpc: <https://w3id.org/icpc-kg/ontology#> .
<{HOSTILE_IRI}> a icpc:Organization ;
    schema:name "{HOSTILE_NAME}"@en ;
    schema:description "Ends scripts early? </script><script>alert(2)</script> <!-- x"@en ;
    icpc:acronym "<b>EVIL</b>"@en .
"""


def conformance_script() -> Path:
    if not CONFORMANCE.is_file():
        pytest.fail(
            f"the SPARQL protocol suite is missing at {CONFORMANCE}; "
            "set ICPC_KG_PROTOCOL_SUITE to its sparql_protocol.py"
        )
    return CONFORMANCE


@pytest.fixture(scope="session")
def extra_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("extras")
    fixtures = folder / "protocol-fixtures.nq"
    subprocess.run(
        [sys.executable, str(conformance_script()), "--write-fixtures", str(fixtures)],
        check=True,
        capture_output=True,
    )
    hostile = folder / "hostile.ttl"
    hostile.write_text(HOSTILE_TTL, encoding="utf-8")
    return [fixtures, hostile]


@pytest.fixture(scope="session")
def server(
    extra_files: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IcpcServer]:
    log = tmp_path_factory.mktemp("server") / "serve.log"
    args = [
        "--timeout", str(TIMEOUT),
        "--max-rows", str(MAX_ROWS),
        "--max-body", str(MAX_BODY),
        "--workers", "2",
        *map(str, extra_files),
    ]  # fmt: skip
    with running_server(args, log) as running:
        yield running
