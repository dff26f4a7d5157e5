"""The shared W3C SPARQL 1.1 Protocol suite, run as a client against the real server."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.server.conftest import conformance_script
from tests.support.icpc_server import IcpcServer

pytestmark = pytest.mark.server


def test_every_read_only_protocol_case_passes(server: IcpcServer) -> None:
    run = subprocess.run(
        [sys.executable, str(conformance_script()), server.sparql_url, "--read-only"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = run.stdout.strip().splitlines()[-1]
    failures = [line for line in run.stdout.splitlines() if line.startswith("FAIL")]
    assert run.returncode == 0, "\n".join(failures) or run.stdout + run.stderr
    passed, failed, skipped = map(int, re.findall(r"\d+", summary))
    assert failed == 0
    # The dataset cases ran (their fixture graphs are served); only the destructive W3C update
    # cases are skipped, because a read-only endpoint must refuse them.
    assert "dataset fixture graphs present: True" in run.stdout
    skips = [line for line in run.stdout.splitlines() if line.startswith("SKIP")]
    assert len(skips) == skipped
    assert all(" w3c-update " in line for line in skips)
    assert passed >= 50
