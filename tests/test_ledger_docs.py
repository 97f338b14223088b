"""The ledger's documented examples are real: the guide's worked example ("one user's year")
and docs/ledger.md's blocks run in order, in a fresh folder, and print what they show; every
ledger command has help with an example and is documented."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tracer.cli import app

ROOT = Path(__file__).parent.parent
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
# ```console ledger blocks: run in a folder holding samples/ and graphs/ (as the repository does),
# where earlier blocks wrote files
BLOCK = re.compile(r"```console ledger\n\$ (.+?)\n(.*?)```", flags=re.S)
COMMANDS = ["build", "erasure", "holds", "summary", "synth"]


def blocks(name: str) -> list[tuple[str, str]]:
    return BLOCK.findall((ROOT / name).read_text(encoding="utf-8"))


def test_the_readme_and_the_ledger_docs_have_ledger_examples():
    assert len(blocks("docs/guide.md")) >= 4
    assert len(blocks("docs/ledger.md")) >= 1


def test_each_ledger_example_prints_what_the_docs_show(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "samples" / "ledger", tmp_path / "samples" / "ledger")
    shutil.copytree(ROOT / "graphs", tmp_path / "graphs")
    monkeypatch.chdir(tmp_path)
    for command, expected in blocks("docs/guide.md") + blocks("docs/ledger.md"):
        words = shlex.split(command)
        assert words[0] == "tracer"
        result = CliRunner().invoke(app, words[1:], env=ENV)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout == expected, command


def test_every_ledger_command_has_help_with_an_example_and_is_documented():
    group = typer.main.get_command(app).commands["ledger"]
    assert sorted(group.commands) == COMMANDS
    docs = (ROOT / "docs" / "ledger.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        result = CliRunner().invoke(app, ["ledger", command, "--help"], env=ENV)
        assert result.exit_code == 0
        assert f"Example: tracer ledger {command}" in result.stdout.replace("\n", " ")
        assert f"tracer ledger {command}" in docs


@pytest.mark.parametrize("command", COMMANDS)
def test_each_ledger_command_is_in_the_guide(command):
    assert f"`tracer ledger {command}" in (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")


def test_the_benchmark_writes_its_table_into_a_file_that_does_not_exist_yet(tmp_path, monkeypatch):
    import importlib.util

    folder = Path(__file__).parent.parent / "benchmarks"
    monkeypatch.syspath_prepend(str(folder))  # as when the script runs: its folder first
    spec = importlib.util.spec_from_file_location("bench_ledger", folder / "bench_ledger.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    target = tmp_path / "new.md"
    bench.write_between(target, "bench-ledger", "| a table |")
    # the next run's table replaces the first, between the markers
    bench.write_between(target, "bench-ledger", "| the next run's table |")
    assert target.read_text() == (
        "<!-- bench-ledger:begin -->\n| the next run's table |\n<!-- bench-ledger:end -->\n"
    )
