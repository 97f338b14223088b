"""`--at` means one kind of time per command, and says which when given the other: on `trace`
(and REQ@TIME) a time after the interaction, like 30d; on `ledger build` a date and time."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tracer.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
LOG = Path(__file__).parent.parent / "samples" / "ledger"


def run(*args: str):
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.output
    return result


def test_trace_takes_a_time_after_the_interaction():
    result = run(
        "trace", "weather", "--delete", "delete-recording@30d", "--at", "3mo", "-f", "json"
    )
    assert result.exit_code == 0
    assert '"at": "90d"' in result.stdout


def test_a_date_on_trace_says_which_kind_of_time_it_takes_with_an_example():
    for args in (
        ["trace", "dominos-order", "--at", "2025-01-01"],
        ["trace", "dominos-order", "--delete", "delete-recording@2025-01-01"],
        ["access", "dominos-order", "--at", "2025-01-01T10:00:00Z"],
    ):
        result = run(*args)
        date = args[-1].partition("@")[2] or args[-1]
        assert (result.exit_code, result.stderr) == (
            1,
            f"error: {date!r} is a date, but this time counts from the interaction (day 0): "
            "write it like 30d, 3mo or 1y (a date is for a ledger of real events: "
            "tracer ledger build --at 2025-01-01)\n",
        )


def test_ledger_build_takes_a_date_or_a_date_and_time(tmp_path):
    for at in ("2025-12-31", "2025-12-31T23:59:59Z"):
        result = run(
            "ledger", "build", str(LOG / "events.csv"), str(LOG / "requests.csv"),
            "-m", "alexa-2025", "--at", at, "-o", str(tmp_path / f"{at[:10]}-{len(at)}.duckdb"),
        )  # fmt: skip
        assert result.exit_code == 0, result.output


def test_a_duration_on_ledger_build_says_which_kind_of_time_it_takes_before_reading_the_log(
    tmp_path,
):
    result = run(
        "ledger", "build", str(tmp_path / "no-such-log.csv"), "--at", "30d",
        "-o", str(tmp_path / "l.duckdb"),
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        1,
        "error: '30d' is a time after an interaction, but a ledger's --at is a date and time "
        "(ISO 8601): write it like 2025-12-31 or 2025-12-31T23:59:59Z\n",
    )


def test_each_at_option_says_its_kind_in_its_help():
    trace_help = " ".join(run("trace", "--help").stdout.replace("│", " ").split())
    ledger_help = " ".join(run("ledger", "build", "--help").stdout.replace("│", " ").split())
    assert "Query time, counted from the interaction: 30d, 3mo, 1y" in trace_help
    assert "Query time, a date and time (ISO 8601): 2025-12-31T23:59:59Z" in ledger_help
