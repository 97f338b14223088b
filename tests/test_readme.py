"""The README's and the manual's examples are real: each console block of README.md and docs/*.md
is run and its output compared, and the example model the README shows loads and traces."""

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
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```console\n\$ (.+?)\n(.*?)```", flags=re.S)
CONSOLE = BLOCK.findall(README)
# (page, index on its page, command, output): an example may read what an earlier one wrote
EXAMPLES = [
    (page, index, command, expected)
    for page in PAGES
    for index, (command, expected) in enumerate(BLOCK.findall(page.read_text(encoding="utf-8")))
]
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
    ("page", "index", "command", "expected"),
    EXAMPLES,
    ids=[f"{page.name}: {command}" for page, _, command, _ in EXAMPLES],
)
def test_each_console_example_prints_what_its_page_shows(scratch, page, index, command, expected):
    earlier = BLOCK.findall(page.read_text(encoding="utf-8"))[:index]
    for before, _ in earlier:  # an example may read a file an earlier one wrote
        if " -o " in before:
            assert _run(before).exit_code == 0
    result = _run(command)
    if re.search(r"^error: ", expected, flags=re.M):  # an example of an error: exit 1, stderr
        assert (result.exit_code, result.stderr) == (1, expected)
        return
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
