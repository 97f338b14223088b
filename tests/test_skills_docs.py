"""The console examples of docs/skills.md are real: each is run from the repository's root and
its output compared (stdout, or stderr when the example shows an error)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracer.cli import app

ROOT = Path(__file__).parent.parent
PAGE = (ROOT / "docs" / "skills.md").read_text(encoding="utf-8")
CONSOLE = re.findall(r"```console\n\$ (.+?)\n(.*?)```", PAGE, flags=re.S)
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def test_the_page_has_console_examples():
    assert len(CONSOLE) >= 5


@pytest.mark.parametrize(("command", "expected"), CONSOLE, ids=[c for c, _ in CONSOLE])
def test_each_console_example_prints_what_the_page_shows(monkeypatch, command, expected):
    monkeypatch.chdir(ROOT)
    words = shlex.split(command)
    result = CliRunner().invoke(app, words[1:], env=ENV)
    if expected.startswith(("error:", "note:")) and "\nerror:" in "\n" + expected:
        assert (result.exit_code, result.stderr) == (1, expected)
    else:
        assert (result.exit_code, result.stdout) == (0, expected)
