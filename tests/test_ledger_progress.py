"""A build's progress: its stages in order, a fraction that only grows to 1, DuckDB's own progress
through a long statement, and a bar on stderr only when stderr is a terminal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracer.cli import app
from tracer.ledger import build, progress, write_synthetic_log
from tracer.ledger.progress import DUCKDB_STAGES, Tracker

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def log(tmp_path: Path):
    return write_synthetic_log(tmp_path / "log", users=5, events=200, seed=2)


def test_a_build_tells_its_stages_in_order_and_a_fraction_that_only_grows_to_one(log, tmp_path):
    told: list[tuple[str, float]] = []
    result = build(
        log.events,
        log.requests,
        output=tmp_path / "l.duckdb",
        progress=lambda stage, done: told.append((stage, done)),
    )
    stages = [stage for i, (stage, _) in enumerate(told) if i == 0 or told[i - 1][0] != stage]
    assert stages == [
        "reading the log",
        "mapping events to outcomes",
        f"tracing {result.outcomes:,} outcomes",
        "writing the ledger",
        "done",
    ]
    fractions = [done for _, done in told]
    assert fractions == sorted(fractions)
    assert (fractions[0], fractions[-1]) == (0.0, 1.0)


class SlowConnection:
    """A DuckDB connection's two methods the tracker uses: a statement that runs until its
    progress has been read to the end, and that progress in percent as DuckDB reports it, one
    value a poll (-1 before it can tell, and at times a step back, as between a query's
    pipelines). No clock is involved: every value is seen however slow the machine."""

    def __init__(self, percents: list[float]):
        self.percents = list(percents)
        self.polls = 0
        self.read = threading.Event()

    def execute(self, sql: str):
        assert self.read.wait(timeout=60), "the tracker never read DuckDB's progress"
        return self

    def query_progress(self) -> float:
        percent = self.percents[min(self.polls, len(self.percents) - 1)]
        self.polls += 1
        if self.polls >= len(self.percents):
            self.read.set()
        return percent


def test_a_long_statement_moves_the_fraction_with_duckdbs_progress_and_never_back(monkeypatch):
    monkeypatch.setattr(progress, "POLL_SECONDS", 0.001)
    told: list[float] = []
    tracker = Tracker(lambda stage, done: told.append(done))
    tracker.stage("mapping events to outcomes")  # from 0.35 to 0.90 of the build
    connection = SlowConnection([-1, 20, 60, 40, 80])
    tracker.run(connection, "INSERT ...", share=0.5)
    start, share = DUCKDB_STAGES["reading the log"], DUCKDB_STAGES["mapping events to outcomes"]
    # the stage's start, then 20 %, 60 % and 80 % of the statement (-1 and the step back to 40 %
    # tell nothing new), then the statement's end
    shown = [start + share * 0.5 * p / 100 for p in (20, 60, 80)]
    assert told[0] == start and told[-1] == pytest.approx(start + share * 0.5)
    assert told[1:-1] == pytest.approx(
        [shown[0], shown[1], shown[1], shown[2]] + [shown[2]] * (len(told) - 6)
    )


def test_cli_build_shows_a_bar_on_a_terminal_and_leaves_the_summary_line(log, tmp_path):
    result = CliRunner().invoke(
        app,
        ["ledger", "build", str(log.events), str(log.requests), "-o", str(tmp_path / "l.duckdb")],
        env={**ENV, "TERM": "xterm", "FORCE_COLOR": "1"},  # a terminal, as far as rich can tell
    )
    assert result.exit_code == 0, result.output
    shown = result.stderr
    stages = ["reading the log", "mapping events to outcomes", "writing the ledger", "done"]
    where = [shown.find(stage) for stage in stages]
    assert -1 not in where and where == sorted(where)
    assert " 100% " in shown
    last = shown.rsplit("\x1b[2K", 1)[-1]  # the bar's line is cleared for the summary line
    assert last.startswith("ledger at ") and last.count("\n") == 1


def test_cli_build_prints_only_its_summary_line_when_stderr_is_not_a_terminal(log, tmp_path):
    result = CliRunner().invoke(
        app,
        ["ledger", "build", str(log.events), str(log.requests), "-o", str(tmp_path / "l.duckdb")],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        line for line in result.stderr.splitlines() if line.startswith("ledger at ")
    ]
    assert len(result.stderr.splitlines()) == 1
