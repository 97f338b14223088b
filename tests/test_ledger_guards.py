"""`ledger build` does what was asked or fails: a log read against the wrong model, a build with
nowhere to write, and the folder `ledger synth` writes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tracer.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
LOG = Path(__file__).parent.parent / "samples" / "ledger"
EVENTS, REQUESTS = str(LOG / "events.csv"), str(LOG / "requests.csv")


def run(*args: str):
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.output
    return result


def test_a_log_read_against_the_wrong_model_fails_and_names_the_shipped_model_that_fits(tmp_path):
    output = tmp_path / "year.duckdb"
    result = run("ledger", "build", EVENTS, REQUESTS, "-o", str(output))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: the log names an id Amazon Alexa (2019) does not have: request "
        "'auto-delete-3mo' (requests row 3); the shipped model alexa-2025 (Amazon Alexa (2025)) "
        "has every id the log names: add -m alexa-2025\n",
    )
    assert not output.exists()
    fitted = run("ledger", "build", EVENTS, REQUESTS, "-m", "alexa-2025", "-o", str(output))
    assert fitted.exit_code == 0, fitted.output


def test_a_log_whose_rows_mostly_name_unknown_ids_fails(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,u,weather,2025-01-01T00:00:00Z\n"
        "e2,u,pizza-order,2025-01-02T00:00:00Z\n"
        "e3,u,pizza-order,2025-01-03T00:00:00Z\n",
        encoding="utf-8",
    )
    result = run("ledger", "build", str(events), "-o", str(tmp_path / "l.duckdb"))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: 2 of the 3 rows of the events log name ids Amazon Alexa (2019) does not have: "
        "interaction 'pizza-order' (events rows 2, 3); is it the model the log was written "
        "for? (-m MODEL; tracer list --models)\n",
    )


def test_a_few_unknown_rows_are_skipped_and_listed_as_before(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,u,weather,2025-01-01T00:00:00Z\n"
        "e2,u,weather,2025-01-02T00:00:00Z\n"
        "e3,u,pizza-order,2025-01-03T00:00:00Z\n",
        encoding="utf-8",
    )
    result = run("ledger", "build", str(events), "-o", str(tmp_path / "l.duckdb"))
    assert result.exit_code == 0
    assert result.stderr.startswith("skipped: events row 3: unknown interaction 'pizza-order'\n")


def test_build_without_an_output_is_refused_as_bad_usage():
    result = run("ledger", "build", EVENTS, REQUESTS, "-m", "alexa-2025")
    assert result.exit_code == 2
    assert "Missing option '--output' / '-o'" in result.output


def test_the_folder_ledger_synth_writes_builds_as_it_is(tmp_path):
    folder = tmp_path / "log"
    wrote = run("ledger", "synth", "--users", "5", "--events", "200", "-o", str(folder))
    assert wrote.exit_code == 0, wrote.output
    whole = run("ledger", "build", str(folder), "-o", str(tmp_path / "a.duckdb"))
    assert whole.exit_code == 0, whole.output
    parts = run(
        "ledger", "build", str(folder / "events.parquet"), str(folder / "requests.parquet"),
        "-o", str(tmp_path / "b.duckdb"),
    )  # fmt: skip
    summary = whole.stderr.splitlines()[-1].rsplit(" in ", 1)[0]
    assert summary == parts.stderr.splitlines()[-1].rsplit(" in ", 1)[0]
    assert summary.endswith("200 events, 5 users, " + summary.split("5 users, ")[1])


def test_a_model_of_ones_own_may_lack_a_few_ids_of_a_shipped_one(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text(
        (Path(__file__).parent.parent / "graphs" / "alexa.yaml")
        .read_text(encoding="utf-8")
        .replace("name: Amazon Alexa (2019)", "name: Our Alexa", 1),
        encoding="utf-8",
    )
    result = run(
        "ledger", "build", EVENTS, REQUESTS, "-m", str(own), "-o", str(tmp_path / "l.duckdb")
    )
    assert result.exit_code == 0, result.output
    assert "skipped: requests row 3: unknown request 'auto-delete-3mo'" in result.stderr
