"""A real ``icpc-kg serve`` process for the HTTP tests, started once per session and
parametrized: every test that uses ``server`` runs against both back ends.

- ``embedded``: ``icpc-kg serve FILES...``, the bundled graph plus the extra files, in the
  server's own worker processes.
- ``store``: a real Oxigraph server (started without ``--union-default-graph``, so nothing
  depends on the store's default-graph setting), filled by ``icpc-kg publish --union-graph``
  and with the extra files' graphs added through the Graph Store Protocol, then
  ``icpc-kg serve --store``. (The extra graphs are not in graph/union, so this server answers
  over the list of graphs; tests/server/test_store_mode.py covers graph/union.)

The extra files are the W3C protocol tests' three one-triple named graphs (N-Quads, written
by the shared conformance script) and a Turtle file whose labels try to break out of HTML and
of the page's JSON-LD script. Limits are small so the tests can reach them quickly: 3 s
timeout, 500 rows, 2 MB bodies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from icpc_kg.load import LoadedDataset, load_extra_files
from tests.support.icpc_server import REPO, IcpcServer, running_server
from tests.support.oxigraph_server import OxigraphServer, running_oxigraph

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


LIMITS = [
    "--timeout", str(TIMEOUT),
    "--max-rows", str(MAX_ROWS),
    "--max-body", str(MAX_BODY),
]  # fmt: skip


def extra_quads(files: list[Path]) -> bytes:
    """The extra files as N-Quads, in the graphs ``icpc-kg serve FILES...`` gives them."""
    dataset = LoadedDataset(ox.Store())
    load_extra_files(dataset, files)
    return ox.serialize(dataset.store, format=ox.RdfFormat.N_QUADS) or b""


@contextmanager
def store_with_extras(folder: Path, extra_files: list[Path]) -> Iterator[OxigraphServer]:
    """An Oxigraph server with the bundled build published into it, plus the extra graphs."""
    with running_oxigraph(folder / "oxigraph", union_default_graph=False) as oxigraph:
        subprocess.run(
            [
                *(sys.executable, "-m", "icpc_kg", "publish"),
                *("--store", oxigraph.base_url, "--union-graph"),
            ],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        response = httpx.post(
            oxigraph.store_url,
            content=extra_quads(extra_files),
            headers={"Content-Type": "application/n-quads"},
        )
        response.raise_for_status()
        yield oxigraph


@pytest.fixture(scope="session", params=["embedded", "store"])
def server(
    request: pytest.FixtureRequest,
    extra_files: list[Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[IcpcServer]:
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "embedded":
        with running_server(
            [*LIMITS, "--workers", "2", *map(str, extra_files)], folder / "log"
        ) as running:
            yield running
        return
    with store_with_extras(folder, extra_files) as oxigraph:
        args = [*LIMITS, "--store", oxigraph.base_url, "--refresh", "1"]
        with running_server(args, folder / "log") as running:
            yield running
