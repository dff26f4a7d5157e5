"""``icpc-kg serve`` refuses bad settings before it prepares anything (exit 2)."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from icpc_kg.cli import main


def serve(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["serve", *args])
    return result.exit_code, result.output


def test_enable_update_without_a_token_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ICPC_KG_UPDATE_TOKEN", raising=False)
    code, output = serve("--enable-update", "--port", "1")
    assert code == 2
    assert "ICPC_KG_UPDATE_TOKEN" in output


def test_a_base_must_end_with_a_slash_or_hash() -> None:
    code, output = serve("--base", "https://example.org/kg", "--port", "1")
    assert code == 2
    assert "--base" in output


def test_a_busy_port_is_reported_before_anything_is_built() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code, output = serve("--port", str(port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in output
    assert "choose another --port" in output


def test_missing_extra_files_are_refused() -> None:
    code, output = serve("/no/such/file.ttl")
    assert code == 2
    assert "does not exist" in output
