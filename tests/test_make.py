"""The Makefile's long-running targets say what they do and leave the repository as it was:
`make demo` and `make fuzz` say up front what takes long, `make bench` prints its tables once
and writes no tracked file unless asked, `make samples` keeps a drawing that only Graphviz's
layout changed."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracer.cli import app

ROOT = Path(__file__).parent.parent


def dry_run(*targets: str, tmp_path: Path) -> list[str]:
    """The commands `make -n` would run, with a .venv that does not exist yet."""
    done = subprocess.run(
        ["make", "-n", *targets, f"VENV={tmp_path / '.venv'}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.splitlines()


def _first(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


def test_make_demo_says_pip_takes_about_a_minute_before_it_runs(tmp_path):
    lines = dry_run("demo", tmp_path=tmp_path)
    said = _first(lines, r"^echo .*about a minute")
    assert said < _first(lines, r"-m pip install")


def test_make_fuzz_says_how_long_it_takes_before_it_starts(tmp_path):
    lines = dry_run("fuzz", tmp_path=tmp_path)
    said = _first(lines, r"^echo .*5000 examples.*minutes")
    assert said < _first(lines, r"pytest .*tests/test_fuzz.py")


def test_make_bench_writes_no_tracked_file_unless_asked(tmp_path):
    plain = [line for line in dry_run("bench", "bench-big", "bench-ledger", tmp_path=tmp_path)]
    assert not [line for line in plain if "--write" in line]
    asked = dry_run("bench", "DOC=docs/performance.md", tmp_path=tmp_path)
    assert any(line.endswith("bench.py --write docs/performance.md") for line in asked)


def test_the_benchmark_prints_its_tables_once(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "40", "50",
         "--runs", "1", "--no-tree", "--draw-up-to", "0", "--no-commands"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "TRACER_NO_CACHE": "1"},
    )  # fmt: skip
    assert (done.stdout + done.stderr).count("**Load and validate**") == 1
    assert "| 40 |" in done.stdout and "| 50 |" in done.stdout


@pytest.fixture
def generate():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "samples" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_samples_keeps_a_drawing_only_graphvizs_layout_changed(generate, tmp_path):
    committed = (ROOT / "samples" / "dominos-order-delete-recording.svg").read_bytes()
    sample = tmp_path / "d.svg"
    sample.write_bytes(committed)
    # another machine: every point a little elsewhere, the page a little larger
    moved = re.sub(rb'(?<![\w-])(points|x|y|width|height)="([^"]*)"', rb'\1="\2 1"', committed)
    assert moved != committed
    assert generate.update(sample, moved, layout_only_is_same=True) == "kept"
    assert sample.read_bytes() == committed
    relabelled = committed.replace(b"Voice History", b"Voice Archive", 1)
    assert generate.update(sample, relabelled, layout_only_is_same=True) == "wrote"
    assert sample.read_bytes() == relabelled
    assert generate.update(sample, relabelled) == "unchanged"


def test_the_demo_help_names_everything_the_demo_writes():
    result = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"})
    said = " ".join(result.stdout.replace("│", " ").split())
    for written in ("traces/ID.json", "diagrams/ID.svg", "ecosystem.svg", "report.html",
                    "ledger/", "ledger-summary.md"):  # fmt: skip
        assert written in said, written
