"""The README's examples are real: each console block is run and its output compared, and the
example model it shows loads and traces."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE = re.findall(r"```console\n\$ (.+?)\n(.*?)```", README, flags=re.S)
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def test_the_readme_has_console_examples():
    assert len(CONSOLE) >= 3


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """An empty folder that sees the repository's inputs: what an example writes stays there."""
    for entry in ("graphs", "samples", "tests"):
        (tmp_path / entry).symlink_to(ROOT / entry)
    monkeypatch.chdir(tmp_path)


def _run(command):
    words = shlex.split(command)
    assert words[0] == "tracer"
    return CliRunner().invoke(app, words[1:], env=ENV)


@pytest.mark.parametrize(
    ("index", "command", "expected"),
    [(i, c, e) for i, (c, e) in enumerate(CONSOLE)],
    ids=[c for c, _ in CONSOLE],
)
def test_each_readme_console_example_prints_what_the_readme_shows(scratch, index, command, expected):
    for earlier, _ in CONSOLE[:index]:  # an example may read a file an earlier one wrote
        if " -o " in earlier:
            assert _run(earlier).exit_code == 0
    result = _run(command)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected


def test_the_readme_example_model_validates_without_warnings_and_traces(tmp_path):
    block = re.search(r"```yaml\n(format: tracer/1\n.*?)```", README, flags=re.S).group(1)
    path = tmp_path / "my.yaml"
    path.write_text(block, encoding="utf-8")
    checked = tracer.check_model(path)
    assert checked.warnings == ()
    result = tracer.trace(checked.model, "ask", ["delete"])
    assert {c.id: c.status for c in result.copies} == {
        "crm_store/recording": "may_remain",
        "device/recording": "transient",
        "store/recording": "deleted",
    }
