"""The ledger over small hand-written logs: bad rows, the queries, and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.ledger import (
    BadRow,
    LedgerError,
    build,
    erasure,
    holds,
    open_ledger,
    summary,
    write_synthetic_log,
)
from tracer.ledger.logs import parse_timestamp

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
# the 2025 model: a log of 2025 is read against Alexa as it is then, with its scheduled requests
# (auto-delete after 3 and 18 months), which the 2019 model does not have yet
ALEXA_2025 = Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml"

EVENTS = """\
event,user,interaction,at
e1,ann,dominos-order,2025-01-10T12:00:00Z
e2,ann,weather,2025-02-01T08:30:00+01:00
e3,bob,weather,2025-03-01
e4,bob,pizza-party,2025-03-02T10:00:00Z
e5,bob,weather,yesterday
e1,bob,weather,2025-03-03T10:00:00Z
e6,,weather,2025-03-03T10:00:00Z
"""
REQUESTS = """\
user,request,at,event
ann,delete-recording,2025-01-11T12:00:00Z,e1
ann,auto-delete-3mo,2025-01-01T00:00:00Z,
bob,delete-everything,2025-03-05T00:00:00Z,
bob,delete-recording,2025-02-01T00:00:00Z,e3
bob,delete-recording,2025-03-04T00:00:00Z,e404
ann,delete-all-history,2025-06-01T00:00:00Z,
"""


@pytest.fixture
def log(tmp_path: Path) -> tuple[Path, Path]:
    events, requests = tmp_path / "events.csv", tmp_path / "requests.csv"
    events.write_text(EVENTS)
    requests.write_text(REQUESTS)
    return events, requests


@pytest.fixture
def ledger_path(log, tmp_path: Path) -> Path:
    output = tmp_path / "year.duckdb"
    build(*log, model=ALEXA_2025, output=output)
    return output


def test_bad_rows_are_skipped_counted_and_listed_with_table_row_and_reason(log, tmp_path):
    result = build(*log, model=ALEXA_2025, output=tmp_path / "l.duckdb")
    assert result.skipped == 7
    assert [str(row) for row in result.bad_rows] == [
        "events row 4: unknown interaction 'pizza-party'",
        "events row 5: unreadable time 'yesterday' (ISO 8601, like 2025-03-01T12:00:00Z)",
        "events row 6: duplicate event id 'e1' (first at row 1)",
        "events row 7: no user",
        "requests row 3: unknown request 'delete-everything'",
        "requests row 4: comes before the event it targets ('e3')",
        "requests row 5: targets event 'e404', which is not a usable row of the events log",
    ]
    assert (result.events, result.users) == (3, 2)


def test_strict_fails_on_the_first_bad_rows_naming_each(log, tmp_path):
    with pytest.raises(LedgerError) as caught:
        build(*log, model=ALEXA_2025, output=tmp_path / "l.duckdb", strict=True)
    assert str(caught.value).startswith("7 bad rows in the log (--strict)\n  events row 4:")
    assert caught.value.bad_rows[0] == BadRow("events", 4, "unknown interaction 'pizza-party'")
    assert not (tmp_path / "l.duckdb").exists()


def test_a_request_made_again_counts_once_at_its_earliest_day(tmp_path):
    # applying a request again later changes nothing (tracer.ledger.outcomes): an event's key
    # and request days hold it once, so both events here share the outcome of one request
    events, requests = tmp_path / "events.csv", tmp_path / "requests.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,ann,weather,2025-01-10T12:00:00Z\n"
        "e2,ann,weather,2025-01-15T12:00:00Z\n"
    )
    requests.write_text(
        "user,request,at\n"
        "ann,delete-recording,2025-01-20T12:00:00Z\n"
        "ann,delete-recording,2025-01-12T12:00:00Z\n"
        "ann,delete-recording,2025-02-01T12:00:00Z\n"
    )
    result = build(events, requests, model=ALEXA_2025, output=tmp_path / "l.duckdb")
    assert result.outcomes == 1
    with open_ledger(tmp_path / "l.duckdb") as ledger:
        rows = ledger.con.execute(
            "SELECT e.event, e.days, o.key FROM events e JOIN outcomes o USING (outcome) "
            "ORDER BY e.event"
        ).fetchall()
    assert rows == [
        ("e1", [2], "weather|0|delete-recording:0"),
        ("e2", [5], "weather|0|delete-recording:0"),
    ]


def test_an_id_used_three_times_names_its_first_row_in_each_later_one(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,ann,weather,2025-01-10T12:00:00Z\n"
        "e1,bob,weather,2025-01-11T12:00:00Z\n"
        "e2,bob,weather,2025-01-11T12:00:00Z\n"
        "e1,ann,weather,2025-01-12T12:00:00Z\n"
    )
    result = build(events, model=ALEXA_2025)
    assert [str(row) for row in result.bad_rows] == [
        "events row 2: duplicate event id 'e1' (first at row 1)",
        "events row 4: duplicate event id 'e1' (first at row 1)",
    ]
    assert result.events == 2


def ledger_keys(path: Path) -> list[tuple]:
    """Each event's (event, request days, outcome key), by event."""
    with open_ledger(path) as ledger:
        return ledger.con.execute(
            "SELECT e.event, e.days, o.key FROM events e JOIN outcomes o USING (outcome) "
            "ORDER BY e.event"
        ).fetchall()


def test_when_every_event_of_an_interaction_is_reached_none_has_the_bare_outcome(tmp_path):
    # the build counts the events no request reaches per interaction and bucket: none here
    events, requests = tmp_path / "events.csv", tmp_path / "requests.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,ann,weather,2025-01-10T12:00:00Z\n"
        "e2,bob,weather,2025-01-11T12:00:00Z\n"
    )
    requests.write_text(
        "user,request,at\n"
        "ann,delete-recording,2025-01-12T12:00:00Z\n"
        "bob,delete-recording,2025-01-12T12:00:00Z\n"
    )
    result = build(events, requests, model=ALEXA_2025, output=tmp_path / "l.duckdb")
    assert result.outcomes == 1
    assert ledger_keys(tmp_path / "l.duckdb") == [
        ("e1", [2], "weather|0|delete-recording:0"),
        ("e2", [1], "weather|0|delete-recording:0"),
    ]


def test_a_schedule_that_fires_after_the_query_reaches_no_event_yet(tmp_path):
    # auto-delete-3mo, switched on at New Year: it fires 90 days after each event (or at once
    # for an event older than that), so at Feb 1 the January event has no request yet, and the
    # event of September has it from New Year, 122 days after it
    events, requests = tmp_path / "events.csv", tmp_path / "requests.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,ann,weather,2025-01-10T00:00:00Z\n"
        "e2,ann,weather,2024-09-01T00:00:00Z\n"
    )
    requests.write_text("user,request,at\nann,auto-delete-3mo,2025-01-01T00:00:00Z\n")
    output = tmp_path / "l.duckdb"
    build(events, requests, model=ALEXA_2025, output=output, at="2025-02-01T00:00:00Z")
    assert ledger_keys(output) == [
        ("e1", [], "weather|0"),
        ("e2", [122], "weather|0|auto-delete-3mo:0"),
    ]


def test_the_query_time_defaults_to_the_latest_time_in_the_log(ledger_path):
    with open_ledger(ledger_path) as ledger:
        assert ledger.meta["at"] == "2025-06-01T00:00:00Z"


def test_a_recording_deleted_the_next_day_is_deleted_at_1d_in_that_event_only(ledger_path):
    with open_ledger(ledger_path) as ledger:
        answer = holds(ledger, "ann", record="voice_recording")
    by_event = {(c["event"], c["id"]): (c["status"], c["reason"]) for c in answer["copies"]}
    assert by_event[("e1", "voice_history/voice_recording")] == (
        "deleted",
        "deleted by delete-recording at 1d",
    )
    # auto-delete was switched on before e2: it fires 90 days after it, before the query time
    assert by_event[("e2", "voice_history/voice_recording")] == (
        "deleted",
        "deleted by auto-delete-3mo at 90d",
    )


def test_holds_has_the_documented_shape_sorted_by_event_then_id(ledger_path):
    with open_ledger(ledger_path) as ledger:
        answer = holds(ledger, "bob")
    assert list(answer) == ["user", "at", "copies", "parties"]
    assert list(answer["copies"][0]) == [
        "event",
        "interaction",
        "id",
        "holder",
        "record",
        "party",
        "status",
        "reason",
        "evidence",
        "confidence",
    ]
    keys = [(c["event"], c["id"]) for c in answer["copies"]]
    assert keys == sorted(keys)
    assert {c["event"] for c in answer["copies"]} == {"e3"}
    assert "transient" not in {c["status"] for c in answer["copies"]}
    # the Alexa app's location is kept until the separate geolocation deletion (issue 25)
    assert answer["parties"]["amazon"]["held"] == [
        "geolocation_store/location",
        "voice_history/response_transcript",
        "voice_history/transcript",
        "voice_history/voice_recording",
    ]


def test_holds_equals_trace_of_the_event_with_its_requests_in_whole_days(ledger_path):
    model = tracer.load_model(ALEXA_2025)
    # e1 at 2025-01-10 12:00; delete-recording a day later; auto-delete at 90d; query 142 days on
    expected = tracer.trace(
        model, "dominos-order", ["delete-recording@1d", "auto-delete-3mo@90d"], at=142
    )
    with open_ledger(ledger_path) as ledger:
        answer = holds(ledger, "ann")
    got = {c["id"]: (c["status"], c["reason"]) for c in answer["copies"] if c["event"] == "e1"}
    assert got == {c.id: (c.status, c.reason) for c in expected.copies if c.status != "transient"}


def test_an_unknown_user_record_or_party_is_a_clear_error(ledger_path):
    with open_ledger(ledger_path) as ledger:
        with pytest.raises(LedgerError, match="no events of user 'carol'"):
            holds(ledger, "carol")
        with pytest.raises(tracer.UnknownIdError, match="did you mean 'transcript'"):
            holds(ledger, "ann", record="transcrpt")


def test_summary_counts_copies_by_party_record_and_status(ledger_path):
    with open_ledger(ledger_path) as ledger:
        answer = summary(ledger)
    rows = {(r["party"], r["record"], r["status"]): r["copies"] for r in answer["rows"]}
    assert rows[("amazon", "voice_recording", "deleted")] == 2  # e1, e2 (ann)
    assert rows[("amazon", "voice_recording", "held")] == 1  # e3 (bob)
    assert (answer["events"], answer["users"], answer["skipped"]) == (3, 2, 7)


def test_erasure_shows_what_each_option_leaves_and_the_recipients(ledger_path):
    with open_ledger(ledger_path) as ledger:
        answer = erasure(ledger, "ann")
    options = {o["request"]: o for o in answer["options"]}
    # the unscheduled requests the user makes: not auto-delete, not the FTC's order (by amazon)
    assert set(options) == {
        "delete-all-history",
        "delete-by-voice",
        "delete-date-range",
        "delete-geolocation",
        "delete-recording",
        "delete-today-by-voice",
        "disable-skill",
        "parent-deletion",
        "revoke-permission",
    }
    assert "dominos" in options["delete-all-history"]["parties"]
    assert [r["party"] for r in answer["recipients"]] == sorted(
        r["party"] for r in answer["recipients"]
    )
    assert "dominos" in {r["party"] for r in answer["recipients"]}
    assert "amazon" not in {r["party"] for r in answer["recipients"]}


def test_the_same_seed_writes_the_same_synthetic_log(tmp_path):
    first = write_synthetic_log(tmp_path / "a", users=20, events=2000, seed=5, file_format="csv")
    again = write_synthetic_log(tmp_path / "b", users=20, events=2000, seed=5, file_format="csv")
    other = write_synthetic_log(tmp_path / "c", users=20, events=2000, seed=6, file_format="csv")
    assert first.events.read_bytes() == again.events.read_bytes()
    assert first.requests.read_bytes() == again.requests.read_bytes()
    assert first.events.read_bytes() != other.events.read_bytes()


def test_a_synthetic_log_has_rare_purchases_and_some_deleting_users(tmp_path):
    log = write_synthetic_log(tmp_path, users=200, events=20_000, seed=1, model=ALEXA_2025)
    result = build(
        log.events, log.requests, model=ALEXA_2025, output=tmp_path / "l.duckdb", strict=True
    )
    assert (result.events, result.users, result.skipped) == (20_000, 200, 0)
    with open_ledger(tmp_path / "l.duckdb") as ledger:
        counts = dict(
            ledger.con.execute("SELECT interaction, count(*) FROM events GROUP BY ALL").fetchall()
        )
        kinds = dict(
            ledger.con.execute(
                f"SELECT request, count(DISTINCT \"user\") FROM '{log.requests}' GROUP BY ALL"
            ).fetchall()
        )
    assert counts["weather"] > 10 * counts["dominos-order"]
    assert set(kinds) >= {"delete-recording", "delete-all-history", "auto-delete-3mo"}
    assert all(users < 40 for users in kinds.values())


def test_logs_in_json_lines_and_parquet_give_the_same_ledger_as_csv(tmp_path):
    ledgers = []
    for file_format in ("csv", "jsonl", "parquet"):
        log = write_synthetic_log(
            tmp_path / file_format,
            users=5,
            events=300,
            seed=2,
            file_format=file_format,
            model=ALEXA_2025,
        )
        assert log.request_count > 0
        output = tmp_path / f"{file_format}.duckdb"
        build(log.events, log.requests, model=ALEXA_2025, output=output, strict=True)
        with open_ledger(output) as ledger:
            ledgers.append(ledger.con.execute("SELECT * FROM copies ORDER BY event, id").fetchall())
    assert ledgers[0] == ledgers[1] == ledgers[2]
    assert len(ledgers[0]) > 300


def test_a_log_without_requests_in_every_format_builds_the_same_ledger(tmp_path):
    # the 2019 model schedules nothing: a small synthetic log of it can have no requests at all,
    # and an empty JSON Lines file (no row to read columns from) is still an empty log
    ledgers = []
    for file_format in ("csv", "jsonl", "parquet"):
        log = write_synthetic_log(
            tmp_path / file_format, users=5, events=300, seed=2, file_format=file_format
        )
        assert log.request_count == 0
        output = tmp_path / f"{file_format}.duckdb"
        result = build(log.events, log.requests, output=output, strict=True)
        assert (result.events, result.skipped) == (300, 0)
        with open_ledger(output) as ledger:
            ledgers.append(ledger.con.execute("SELECT * FROM copies ORDER BY event, id").fetchall())
    assert ledgers[0] == ledgers[1] == ledgers[2]
    assert len(ledgers[0]) > 300


@pytest.mark.parametrize(
    "cast",
    [
        "TIMESTAMP",
        "TIMESTAMP_NS",
        "TIMESTAMP_MS",
        "TIMESTAMP_S",
        "TIMESTAMPTZ",
        "TIMESTAMPTZ_NS",
        "DATE",
    ],
)
def test_a_parquet_time_of_any_type_is_the_instant_its_text_names_naive_in_utc(tmp_path, cast):
    import duckdb

    # moments written as text (a time zone's offset counts, a naive time is UTC), each type's
    # first and last year (nanoseconds reach only 1677 to 2262), and the instants they are
    first, last = ("1678", "2261") if cast.endswith("_NS") else ("0001", "9999")
    texts = [f"{first}-01-01 00:00:00", "2025-01-10 10:00:00", f"{last}-12-31 00:00:00"]
    instants = [parse_timestamp(f"{text}Z") for text in texts]
    if cast.startswith("TIMESTAMPTZ"):
        texts = [f"{text}+00" for text in texts]
        texts[1] = "2025-01-10 12:00:00+02"
    if cast == "DATE":
        texts = [text[:10] for text in texts]
        instants[1] = parse_timestamp("2025-01-10")
    events = tmp_path / "events.parquet"
    rows = " UNION ALL ".join(
        f"SELECT 'e{i}' AS event, 'ann' AS \"user\", 'weather' AS interaction, "
        f"CAST('{text}' AS {cast}) AS \"at\""
        for i, text in enumerate(texts)
    )
    con = duckdb.connect()
    con.execute("SET TimeZone = 'America/New_York'")  # the writer's own zone changes nothing
    con.execute(f"COPY ({rows}) TO '{events}' (FORMAT PARQUET)")
    con.close()
    output = tmp_path / f"{cast}.duckdb"
    build(events, output=output, strict=True, at="9999-12-31T23:59:59Z")
    with open_ledger(output) as ledger:
        found = ledger.con.execute("SELECT at_us FROM events ORDER BY event").fetchall()
    assert [us for (us,) in found] == instants


def test_a_missing_column_names_the_file_and_the_columns(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("event,who,interaction,at\ne1,ann,weather,2025-01-01\n")
    with pytest.raises(LedgerError, match="the events log has no column 'user'"):
        build(events)


# ---- the command line


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_cli_build_prints_skipped_rows_and_a_summary_line_on_stderr(log, tmp_path):
    result = run(
        "ledger", "build", *map(str, log), "-m", str(ALEXA_2025), "-o", str(tmp_path / "l.duckdb")
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "skipped: events row 4: unknown interaction 'pizza-party'" in result.stderr
    assert "ledger at 2025-06-01T00:00:00Z: 3 events, 2 users, " in result.stderr
    assert "7 skipped rows in " in result.stderr


def test_cli_build_strict_exits_1_with_the_bad_rows(log, tmp_path):
    result = run(
        "ledger",
        "build",
        *map(str, log),
        "-m",
        str(ALEXA_2025),
        "--strict",
        "-o",
        str(tmp_path / "l.duckdb"),
    )
    assert result.exit_code == 1
    assert "error: 7 bad rows in the log (--strict)" in result.stderr
    assert "Traceback" not in result.output


def test_cli_holds_json_is_the_library_answer(ledger_path):
    result = run("ledger", "holds", str(ledger_path), "--user", "ann", "--format", "json")
    assert result.exit_code == 0, result.output
    with open_ledger(ledger_path) as ledger:
        assert json.loads(result.stdout) == holds(ledger, "ann")


def test_cli_queries_print_csv_with_a_header(ledger_path):
    for command, header in (
        (["holds", "--user", "bob"], "event,interaction,id,holder,record,party,status,reason"),
        (["summary"], "party,record,status,copies"),
        (["erasure", "--user", "bob"], "request,party,held,may_remain"),
    ):
        result = run("ledger", command[0], str(ledger_path), *command[1:], "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(header)


def test_cli_an_unknown_user_exits_1_with_one_message(ledger_path):
    result = run("ledger", "holds", str(ledger_path), "--user", "carol")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no events of user 'carol'")


def test_cli_a_file_that_is_not_a_ledger_exits_1(tmp_path):
    path = tmp_path / "x.duckdb"
    path.write_text("not a database")
    result = run("ledger", "summary", str(path))
    assert result.exit_code == 1
    assert "not a ledger" in result.stderr


def test_a_scheduled_request_switched_on_late_happens_later_but_never_earlier():
    model = tracer.load_model(ALEXA_2025)
    assert tracer.parse_request(model, "auto-delete-3mo@120d") == tracer.Request(
        "auto-delete-3mo", 120
    )
    with pytest.raises(
        tracer.RequestError, match="'auto-delete-3mo' is scheduled: it happens at 90d"
    ):
        tracer.parse_request(model, "auto-delete-3mo@30d")
    late = tracer.trace(model, "weather", ["auto-delete-3mo@120d"])
    assert late.copy("voice_history/voice_recording").reason == "deleted by auto-delete-3mo at 120d"


# ---- outputs: never over the model, never through a symlink, never into a missing folder


def test_a_ledger_never_replaces_the_model_it_is_built_with(log, tmp_path):
    model = tmp_path / "model.yaml"
    model.write_bytes(ALEXA_2025.read_bytes())
    before = model.read_bytes()
    with pytest.raises(tracer.OutputError, match="refusing to overwrite the model file"):
        build(*log, model=model, output=tmp_path / "sub" / ".." / "model.yaml", mkdir=True)
    result = run("ledger", "build", *map(str, log), "-m", str(model), "-o", str(model))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to overwrite the model file")
    assert model.read_bytes() == before
    assert not list(tmp_path.glob("model.yaml.partial*"))


def test_a_ledger_never_replaces_the_shipped_model(log, tmp_path):
    shipped = tracer.default_model_path()
    before = shipped.read_bytes()
    with pytest.raises(tracer.OutputError, match="refusing to overwrite the model file"):
        build(log[0], output=shipped)
    with pytest.raises(tracer.OutputError, match="refusing to overwrite the model file"):
        build(log[0], model=tracer.load_model(), output=shipped)
    assert shipped.read_bytes() == before


def test_a_ledger_output_that_is_a_symlink_or_in_a_missing_folder_is_refused(log, tmp_path):
    target = tmp_path / "elsewhere.duckdb"
    target.write_text("keep me")
    (tmp_path / "link.duckdb").symlink_to(target)
    with pytest.raises(tracer.OutputError, match="it is a symbolic link"):
        build(*log, model=ALEXA_2025, output=tmp_path / "link.duckdb")
    assert target.read_text() == "keep me"
    result = run(
        "ledger",
        "build",
        *map(str, log),
        "-m",
        str(ALEXA_2025),
        "-o",
        str(tmp_path / "new" / "l.duckdb"),
    )
    assert result.exit_code == 1
    assert "does not exist (--mkdir creates it)" in result.stderr
    assert not (tmp_path / "new").exists()
    result = run(
        "ledger",
        "build",
        *map(str, log),
        "-m",
        str(ALEXA_2025),
        "--mkdir",
        "-o",
        str(tmp_path / "new" / "l.duckdb"),
    )
    assert result.exit_code == 0, result.output
    with open_ledger(tmp_path / "new" / "l.duckdb") as ledger:
        assert ledger.meta["events"] == "3"


def test_a_synthetic_log_never_replaces_the_model(tmp_path):
    model = tmp_path / "events.csv"  # a model that happens to sit where the log would go
    model.write_bytes(ALEXA_2025.read_bytes())
    before = model.read_bytes()
    with pytest.raises(tracer.OutputError, match="refusing to overwrite the model file"):
        write_synthetic_log(tmp_path, users=2, events=10, model=model, file_format="csv")
    result = run(
        "ledger",
        "synth",
        "--users",
        "2",
        "--events",
        "10",
        "-m",
        str(model),
        "--file-format",
        "csv",
        "-o",
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to overwrite the model file")
    assert model.read_bytes() == before


def test_cli_prints_ids_with_markup_and_emoji_codes_as_written(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,[red]ann[/] :pizza:,weather,2025-01-01T00:00:00Z\n"
        "e2,bob,[bold]party[/]:100:,2025-01-02T00:00:00Z\n"
    )
    output = tmp_path / "l.duckdb"
    result = run("ledger", "build", str(events), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "skipped: events row 2: unknown interaction '[bold]party[/]:100:'\n" in result.stderr
    result = run("ledger", "holds", str(output), "--user", "[red]ann[/] :pizza:")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[red]ann[/] :pizza: at 2025-01-01T00:00:00Z: ")
    result = run("ledger", "synth", "--users", "1", "--events", "2", "-o", str(tmp_path / "[b]:x:"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {tmp_path / '[b]:x:' / 'events.parquet'} (2 events")


def test_a_ledger_of_an_older_format_is_refused_with_a_plain_word_to_build_it_again(
    ledger_path, tmp_path
):
    import duckdb

    older = tmp_path / "older.duckdb"
    older.write_bytes(ledger_path.read_bytes())
    with duckdb.connect(str(older)) as con:
        con.execute("UPDATE meta SET value = 'tracer-ledger/1' WHERE key = 'format'")
    with pytest.raises(LedgerError) as error:
        open_ledger(older)
    assert str(error.value) == (
        f"{older}: a tracer-ledger/1 ledger, made by another version of tracer: this one reads"
        " tracer-ledger/4; build it again with `tracer ledger build`"
    )
