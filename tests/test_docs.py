"""The README and --help texts are checked against the code, so they stay true."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from icpc_kg.cli import main
from icpc_kg.commands import COMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert blocks[0].strip() == "pip install . && icpc-kg serve"
    assert blocks[1].strip() == "pip install -e '.[test]' && pytest"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && pytest" in ci


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_is_in_the_readme(command: click.Command) -> None:
    assert f"icpc-kg {command.name}" in README


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_help_with_an_example(command: click.Command) -> None:
    result = CliRunner().invoke(main, [command.name or "", "--help"])
    assert result.exit_code == 0
    assert re.search(r"Examples?:", result.output), result.output
    assert f"icpc-kg {command.name}" in result.output


def test_every_named_query_is_in_the_readme() -> None:
    for path in sorted((REPO / "queries").glob("*.rq")):
        assert f"`{path.stem}`" in README, path.stem


def test_every_exit_code_table_row_names_a_command() -> None:
    table = README.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `([a-z]+)`", table, re.MULTILINE))
    assert {c.name for c in COMMANDS} - {"queries"} <= named
