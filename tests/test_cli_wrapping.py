"""Prose the commands print fits the terminal: the summary under `trace` and `access`, the
details of `check`, the warnings and summary of `import fides`, wrapped at spaces to the width
(80 and 100 columns here, through COLUMNS), never inside a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app

FIDES = Path(__file__).parent / "fixtures" / "fides"


def run(width: int, *args: str):
    env = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("command", ["trace", "access"])
def test_the_summary_under_a_trace_wraps_at_spaces_to_the_width(width, command):
    result = run(width, command, "dominos-order", "--delete", "delete-recording")
    summary = tracer.summary(
        tracer.trace(tracer.load_model(), "dominos-order", ["delete-recording"])
    )
    assert len(summary) > 100
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("After delete-recording"))
    assert " ".join(lines[start:]) == summary
    assert all(len(line) <= width for line in lines)


@pytest.mark.parametrize("width", [80, 100])
def test_the_details_of_check_wrap_under_their_label(width):
    result = run(width, "check")
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    says = next(i for i, line in enumerate(lines) if line.startswith('  says: "We retain'))
    assert lines[says + 1].startswith("        ")  # under the text, not under the label
    assert " ".join(part.strip() for part in lines[says : says + 2]).startswith(
        "says: \"We retain customers' voice recordings and transcripts until the customer"
    )


@pytest.mark.parametrize("width", [80, 100])
def test_the_warnings_of_import_fides_wrap_to_the_width(width, tmp_path):
    result = run(
        width, "import", "fides", str(FIDES / "shop.yml"), str(FIDES / "datasets.yml"),
        "-o", str(tmp_path / "shop.yaml"),
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert all(len(line) <= width or " " not in line.strip() for line in lines)
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert len(warnings) == 10
    assert "'egres' is not a fideslang key; did you mean 'egress'?: ignored" in " ".join(
        result.stdout.split()
    )
