"""docs/interop.md's console examples are real: its ```console interop blocks run in order, in a
folder holding samples/ (as the repository does), and print exactly what they show."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tracer.cli import app

ROOT = Path(__file__).parent.parent
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
BLOCK = re.compile(r"```console interop\n\$ (.+?)\n(.*?)```", flags=re.S)


def test_each_interop_example_prints_what_the_docs_show(tmp_path, monkeypatch):
    blocks = BLOCK.findall((ROOT / "docs" / "interop.md").read_text(encoding="utf-8"))
    assert [shlex.split(c)[1:3] for c, _ in blocks] == [
        ["export", "ropa"], ["export", "dpv"], ["import", "openlineage"], ["holders", "enter-public.customers"]
    ]  # fmt: skip
    shutil.copytree(ROOT / "samples" / "openlineage", tmp_path / "samples" / "openlineage")
    monkeypatch.chdir(tmp_path)
    for command, expected in blocks:
        words = shlex.split(command)
        result = CliRunner().invoke(app, words[1:], env=ENV)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout == expected, command
