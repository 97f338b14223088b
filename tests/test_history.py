"""Importing a person's Alexa Voice History: exports written as the real ones are (pages and
lists, ms timestamps, absent skill names, non-ASCII transcripts, empty pages, a 50 MB file,
malformed JSON), the mapping and its summary, the privacy of the output, and the command line."""

from __future__ import annotations

import csv
import json
import stat
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.history import (
    Candidate,
    HistoryError,
    exports,
    import_alexa,
    read_voice_history,
)
from tracer.ledger import build, holds, open_ledger

ALEXA_2025 = Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml"
NOW = 1_767_225_600_000  # 2026-01-01T00:00:00Z, the "now" of these imports
FUTURE = 4_102_444_800_000  # 2100-01-01T00:00:00Z, in the future of any import
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def record(key, ms, *, skill=None, domain=None, intent=None, said=None, device="Kitchen Echo"):
    """A record as the privacy page serves it (skillName absent, not null, when there is none)."""
    data = {
        "recordKey": key,
        "recordType": "VOICE_HISTORY",
        "timestamp": ms,
        "customerId": "A3EXAMPLECUSTOMER",
        "device": {"deviceName": device, "deviceType": "A4ZP7ZC4PI6TO"},
        "utteranceType": "GENERAL",
        "domain": domain,
        "intent": intent,
        "voiceHistoryRecordItems": [
            {
                "recordItemKey": f"{key}#1",
                "recordItemType": "CUSTOMER_TRANSCRIPT",
                "utteranceId": f"{key}:1",
                "timestamp": ms,
                "transcriptText": said or "",
            },
            {
                "recordItemKey": f"{key}#2",
                "recordItemType": "ALEXA_RESPONSE",
                "utteranceId": f"{key}:1",
                "timestamp": None if ms is None else ms + 900,
                "transcriptText": "OK.",
            },
        ],
    }
    if skill is not None:
        data["skillName"] = skill
    return data


def page(records, token="tok"):
    return {"customerHistoryRecords": records, "encodedRequestToken": token}


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


# -- reading exports ------------------------------------------------------------------------


def test_a_page_a_list_and_one_file_per_page_read_alike(tmp_path):
    first = [record("k1", 1735732800123, domain="Weather"), record("k2", 1735732900000)]
    second = [record("k3", 1735733000000, skill="Uber")]
    pages = [write(tmp_path / "p1.json", page(first)), write(tmp_path / "p2.json", page(second))]
    listed = write(tmp_path / "all.json", first + second)
    keys = [(r.key, r.timestamp_ms, r.skill) for r in read_voice_history(pages)]
    assert keys == [
        ("k1", 1735732800123, None),
        ("k2", 1735732900000, None),
        ("k3", 1735733000000, "Uber"),
    ]
    assert [(r.key, r.timestamp_ms, r.skill) for r in read_voice_history([listed])] == keys
    assert [r.where for r in read_voice_history(pages)] == [
        f"{pages[0]} record 1",
        f"{pages[0]} record 2",
        f"{pages[1]} record 1",
    ]


def test_empty_pages_give_no_records_and_no_error(tmp_path):
    files = [
        write(tmp_path / "a.json", page([], token=None)),
        write(tmp_path / "b.json", []),
        write(tmp_path / "c.json", {"customerHistoryRecords": None}),
        write(tmp_path / "d.json", page([record("k1", 1735732800000)])),
    ]
    assert [r.key for r in read_voice_history(files)] == ["k1"]


def test_records_are_the_same_whatever_the_chunk_size(tmp_path, monkeypatch):
    said = "Spiel „Ölfässer“ von 東京 🎵 " * 3
    data = page([record(f"k{i}", 1735732800000 + i, said=said, domain="Music") for i in range(40)])
    path = write(tmp_path / "p.json", data)
    whole = list(read_voice_history([path]))
    monkeypatch.setattr(exports, "CHUNK", 7)  # every record, key and string cut across chunks
    assert list(read_voice_history([path])) == whole
    assert whole[0].transcript == said


def test_malformed_json_is_one_error_naming_file_line_and_column(tmp_path, monkeypatch):
    path = tmp_path / "broken.json"
    path.write_text(
        '{"customerHistoryRecords": [\n'
        '  {"recordKey": "k1", "timestamp": 1735732800000},\n'
        '  {"recordKey": "k2" "timestamp": 1735732800000}\n'
        "]}\n"
    )
    message = f"{path}:3:22: not valid JSON: expecting ',' delimiter"
    with pytest.raises(HistoryError) as caught:
        list(read_voice_history([path]))
    assert str(caught.value) == message
    monkeypatch.setattr(exports, "CHUNK", 5)
    with pytest.raises(HistoryError) as caught:
        list(read_voice_history([path]))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file, not a Voice History export"),
        (
            '{"records": []}',
            "a JSON object without 'customerHistoryRecords': not a Voice History page (a page is {'customerHistoryRecords': [...]}, or give a list of records)",
        ),
        ("[1, 2", "1:6: not valid JSON: expected ',' or ']', found the end of the file"),
        (
            '[{"recordKey": "k1"}] x',
            "1:23: not valid JSON: extra data after the export's JSON value",
        ),
        ('[{"recordKey": "k1}]', "1:16: not valid JSON: unterminated string starting at"),
        ("x", "1:1: not valid JSON: expected a list of records or a page object, found 'x'"),
    ],
)
def test_what_is_not_an_export_is_named(tmp_path, text, message):
    path = tmp_path / "h.json"
    path.write_text(text)
    with pytest.raises(HistoryError) as caught:
        list(read_voice_history([path]))
    sep = ":" if message[0].isdigit() else ": "
    assert str(caught.value) == f"{path}{sep}{message}"


def test_a_50_mb_export_is_streamed_in_bounded_memory(tmp_path):
    said = "what's the weather like in Zürich tomorrow morning, and will it rain? " * 10
    template = json.dumps(
        record("KEY", 1_700_000_000_000, domain="Weather", said=said), ensure_ascii=False
    )
    path = tmp_path / "big.json"
    count = 0
    with path.open("w", encoding="utf-8") as file:
        file.write('{"customerHistoryRecords": [')
        while file.tell() < 50_000_000:
            file.write(
                ",".join(template.replace("KEY", f"rk-{count + i:08d}") for i in range(1000))
            )
            count += 1000
            file.write(",")
        file.write(template.replace("KEY", "last") + '], "encodedRequestToken": null}')
    count += 1
    size = path.stat().st_size
    assert size >= 50_000_000
    model = tracer.load_model()  # loaded before: what is measured is the import's reading
    tracemalloc.start()
    try:
        result = import_alexa([path], tmp_path / "events.csv", model=model, now_ms=NOW)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.records, result.events, result.bad_count) == (count, count, 0)
    # the text is read a megabyte at a time (json.loads would hold several times the file);
    # what grows with the records is only the keys seen, to find duplicates: about 8 MB of the
    # peak for these 38,000 records
    assert peak < size / 5, f"peak {peak:,} bytes for a {size:,}-byte export"


# -- mapping, bad records and the summary ---------------------------------------------------


def export(tmp_path: Path) -> Path:
    return write(
        tmp_path / "history.json",
        page(
            [
                record("k1", 1735732800000, domain="Weather", said="wie wird das Wetter morgen"),
                record("k2", 1735736400000, skill="Domino's", said="order a pizza from dominos"),
                record("k3", 1735740000000, skill="DOMINOS"),
                record("k4", 1735743600000, skill="Quiz Night", domain="Games"),
                record("k5", 1735747200000, domain="Astrology"),
                record("k6", 1735750800000, said="remind me to call Mom at six"),
                record("k2", 1735754400000, domain="Weather"),
                record("k7", None, domain="Weather"),
                record("k8", FUTURE, domain="Weather"),
                record("k9", 1735758000000, skill="Quiz Night", domain="Games"),
            ]
        ),
    )


def test_records_are_mapped_counted_and_listed(tmp_path):
    result = import_alexa([export(tmp_path)], tmp_path / "events.csv", now_ms=NOW)
    assert result.mapped == {"dominos-order": 2, "set-reminder": 1, "weather": 1}
    assert result.problems() == [
        f"{tmp_path}/history.json record 7: duplicate recordKey 'k2' (first at {tmp_path}/history.json record 2)",
        f"{tmp_path}/history.json record 8: no timestamp",
        f"{tmp_path}/history.json record 9: timestamp 2100-01-01T00:00:00.000Z is in the future",
        "unmapped: 2 records of skill 'Quiz Night', domain 'Games'",
        "unmapped: 1 record of skill '(none)', domain 'Astrology'",
    ]
    assert result.line() == (
        "4 of 10 records mapped from 2025-01-01T12:00:00.000Z to 2025-01-01T17:00:00.000Z; "
        "3 unmapped, 0 ambiguous, 3 bad"
    )
    assert [(r["event"], r["interaction"], r["at"]) for r in rows(tmp_path / "events.csv")] == [
        ("k1", "weather", "2025-01-01T12:00:00.000Z"),
        ("k2", "dominos-order", "2025-01-01T13:00:00.000Z"),
        ("k3", "dominos-order", "2025-01-01T14:00:00.000Z"),
        ("k6", "set-reminder", "2025-01-01T17:00:00.000Z"),
    ]


def test_a_name_matching_several_skills_is_ambiguous_with_its_candidates(tmp_path):
    path = write(tmp_path / "h.json", [record("k1", 1735732800000, skill="Ride Share")] * 1)
    catalogue = [
        Candidate("B01", "Ride Share", "uber-ride", "catalogue row 1"),
        Candidate("B02", "Ride-Share!", "lyft-ride", "catalogue row 2"),
    ]
    result = import_alexa([path], None, candidates=catalogue, now_ms=NOW)
    assert (result.events, [a.count for a in result.ambiguous]) == (0, [1])
    assert result.problems() == [
        "ambiguous: 1 record of skill 'Ride Share': lyft-ride (Ride-Share!, catalogue row 2); "
        "uber-ride (Ride Share, catalogue row 1)"
    ]


def test_a_persons_own_rules_come_first_and_unknown_ids_are_named_by_line(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "format: tracer-history-map/1\n"
        "skills:\n"
        "  - {name: Quiz Night, interaction: in-skill-purchase, intent: BuyIntent}\n"
        "  - {name: Quiz Night, interaction: recognised-speaker}\n"
        "rules:\n"
        "  - {domain: Astrology, interaction: weather}\n"
    )
    result = import_alexa([export(tmp_path)], None, maps=[mine], now_ms=NOW)
    assert result.mapped == {
        "dominos-order": 2,
        "recognised-speaker": 2,
        "set-reminder": 1,
        "weather": 2,
    }
    mine.write_text("format: tracer-history-map/1\nrules:\n  - {domain: X, interaction: wether}\n")
    with pytest.raises(HistoryError) as caught:
        import_alexa([export(tmp_path)], None, maps=[mine], now_ms=NOW)
    assert str(caught.value) == f"{mine}:3: unknown interaction 'wether'; did you mean 'weather'?"


def test_strict_fails_on_any_unmapped_or_bad_record_and_writes_nothing(tmp_path):
    output = tmp_path / "events.csv"
    with pytest.raises(HistoryError) as caught:
        import_alexa([export(tmp_path)], output, strict=True, now_ms=NOW)
    assert str(caught.value).startswith("5 problems in the export (--strict): nothing written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json"]


def test_the_events_log_is_private_and_keeps_no_transcript_unless_asked(tmp_path):
    output = tmp_path / "events.csv"
    import_alexa([export(tmp_path)], output, now_ms=NOW)
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    text = output.read_text(encoding="utf-8")
    assert "Wetter" not in text and "pizza" not in text and "Mom" not in text
    assert text.splitlines()[0] == "event,user,interaction,at,skill,domain,intent,device"
    kept = tmp_path / "kept.jsonl"
    import_alexa([export(tmp_path)], kept, keep_text=True, now_ms=NOW)
    first = json.loads(kept.read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == "wie wird das Wetter morgen"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_every_output_format_builds_the_same_ledger(tmp_path, suffix):
    output = tmp_path / f"events{suffix}"
    import_alexa([export(tmp_path)], output, now_ms=NOW)
    result = build(output, model=ALEXA_2025, output=tmp_path / "l.duckdb", strict=True)
    assert (result.events, result.skipped) == (4, 0)
    with open_ledger(tmp_path / "l.duckdb") as ledger:
        events = ledger.con.execute(
            "SELECT event, interaction, at_us FROM events ORDER BY 1"
        ).fetchall()
    assert events == [
        ("k1", "weather", 1735732800000000),
        ("k2", "dominos-order", 1735736400000000),
        ("k3", "dominos-order", 1735740000000000),
        ("k6", "set-reminder", 1735750800000000),
    ]


# -- what the person deleted ----------------------------------------------------------------


def test_deleted_before_and_auto_delete_write_the_requests_log_beside_the_events(tmp_path):
    result = run(
        "history",
        "import",
        "alexa",
        str(export(tmp_path)),
        "-m",
        str(ALEXA_2025),
        "--deleted-before",
        "2025-01-01T15:00:00Z",
        "--auto-delete",
        "3mo",
        "--since",
        "2025-01-01",
        "-o",
        str(tmp_path / "events.csv"),
    )
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "requests.csv") == [
        {"user": "me", "request": "delete-all-history", "at": "2025-01-01T15:00:00Z"},
        {"user": "me", "request": "auto-delete-3mo", "at": "2025-01-01T00:00:00Z"},
    ]
    assert stat.S_IMODE((tmp_path / "requests.csv").stat().st_mode) == 0o600
    wrong = run(
        "history",
        "import",
        "alexa",
        str(export(tmp_path)),
        "--auto-delete",
        "3mo",
        "--since",
        "2025-01-01",
        "-o",
        str(tmp_path / "e.csv"),
    )
    assert (wrong.exit_code, wrong.stderr) == (
        1,
        "error: --auto-delete 3mo: the model has no scheduled request after 90d (it has none; "
        "try graphs/alexa-2025.yaml)\n",
    )
    assert not (tmp_path / "e.csv").exists()


def test_the_import_command_prints_the_summary(tmp_path):
    result = run(
        "history",
        "import",
        "alexa",
        str(export(tmp_path)),
        "--user",
        "ann",
        "-o",
        str(tmp_path / "events.csv"),
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == ["mapped:", "  dominos-order: 2", "  set-reminder: 1", "  weather: 1"]
    assert lines[-1].startswith("4 of 10 records mapped from 2025-01-01T12:00:00.000Z to ")
    assert lines[-1].endswith(f"; wrote {tmp_path}/events.csv")
    assert {r["user"] for r in rows(tmp_path / "events.csv")} == {"ann"}


def test_a_ledger_of_the_import_answers_for_the_persons_records(tmp_path):
    events = tmp_path / "events.csv"
    import_alexa([export(tmp_path)], events, now_ms=NOW)
    build(events, model=ALEXA_2025, output=tmp_path / "l.duckdb")
    with open_ledger(tmp_path / "l.duckdb") as ledger:
        answer = holds(ledger, "me", party="dominos")
    assert sorted({c["event"] for c in answer["copies"]}) == ["k2", "k3"]


def test_the_summary_as_json_and_the_requests_log_where_asked(tmp_path):
    result = run(
        "history",
        "import",
        "alexa",
        str(export(tmp_path)),
        "--json",
        "--deleted-before",
        "2025-06-01",
        "-o",
        str(tmp_path / "mine.jsonl"),
        "-r",
        str(tmp_path / "deleted.csv"),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    counts = (summary["records"], summary["events"], summary["bad_count"], summary["requests"])
    assert counts == (10, 4, 3, 1)
    assert summary["unmapped"] == [
        {"skill": "Quiz Night", "domain": "Games", "records": 2},
        {"skill": "", "domain": "Astrology", "records": 1},
    ]
    assert summary["requests_output"] == str(tmp_path / "deleted.csv")
    assert rows(tmp_path / "deleted.csv") == [
        {"user": "me", "request": "delete-all-history", "at": "2025-06-01T00:00:00Z"}
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("skills: []\n", "a mapping file starts with `format: tracer-history-map/1`"),
        ("format: tracer-history-map/1\nrulez: []\n", "unknown key 'rulez' (skills, rules, note)"),
        (
            "format: tracer-history-map/1\nskills:\n  - {interaction: weather}\n",
            "3: a skill needs its name",
        ),
        (
            "format: tracer-history-map/1\nrules:\n  - {says: '(', interaction: weather}\n",
            "3: says: not a regular expression: missing ), unterminated subpattern at position 0",
        ),
        (
            "format: tracer-history-map/1\nrules:\n  - {domian: Music, interaction: weather}\n",
            "3: unknown key 'domian' (domain, intent, interaction, note, says, utterance_type)",
        ),
    ],
)
def test_a_mapping_file_that_cannot_be_used_is_named_with_its_line(tmp_path, text, message):
    mine = tmp_path / "mine.yaml"
    mine.write_text(text)
    result = run("history", "import", "alexa", str(export(tmp_path)), "--map", str(mine))
    sep = ":" if message[0].isdigit() else ": "
    assert (result.exit_code, result.stderr) == (1, f"error: {mine}{sep}{message}\n")


CATALOGUE = """\
skill,name,developer,permissions,account_linking,in_skill_purchases,amazon_pay,category,privacy_policy,retention,source
B0SLEEP1,Sleep Sounds,Sleep Co,,false,false,false,Health,,,https://example.org/1
B0SLEEP2,Sleep sounds!,Other Sleep Co,,false,false,false,Health,,,https://example.org/2
B0QUIZ,Quiz Night,Quiz Ltd,,false,true,false,Games,,,https://example.org/3
B0UBER,Uber,Uber Technologies,,true,false,false,Travel,,,https://example.org/4
"""


def test_a_catalogue_names_the_skills_the_model_does_not_and_its_ledger_traces_them(tmp_path):
    from tracer.skills import read_catalogue

    catalogue_path = tmp_path / "skills.csv"
    catalogue_path.write_text(CATALOGUE)
    path = write(
        tmp_path / "h.json",
        [
            record("k1", 1735732800000, skill="Quiz Night", domain="Games"),
            record("k2", 1735736400000, skill="Sleep Sounds", domain="Skills"),
            record("k3", 1735740000000, skill="Uber"),
        ],
    )
    catalogue = read_catalogue(catalogue_path)
    events = tmp_path / "events.csv"
    result = import_alexa([path], events, model=ALEXA_2025, catalogue=catalogue, now_ms=NOW)
    # the model's own Uber wins over the catalogue's row of the same name
    assert result.mapped == {"skill:b0quiz": 1, "uber-ride": 1}
    assert result.problems() == [
        f"ambiguous: 1 record of skill 'Sleep Sounds': skill:b0sleep1 (Sleep Sounds, {catalogue_path} row 1); "
        f"skill:b0sleep2 (Sleep sounds!, {catalogue_path} row 2)"
    ]
    build(
        events,
        model=ALEXA_2025,
        catalogue=catalogue_path,
        output=tmp_path / "l.duckdb",
        strict=True,
    )
    with open_ledger(tmp_path / "l.duckdb") as ledger:
        parties = holds(ledger, "me")["parties"]
    assert any(party.startswith("developer:") for party in parties), sorted(parties)


def test_a_timestamp_outside_the_years_iso_8601_writes_is_a_bad_record(tmp_path):
    # found by the fuzz: 253402300800000 ms is 10000-01-01, which no log can write
    from tracer.history import import_alexa

    page = tmp_path / "page.json"
    page.write_text(
        '[{"recordKey": "a", "timestamp": 253402300800000},'
        ' {"recordKey": "b", "timestamp": -62135596800001},'
        ' {"recordKey": "c", "timestamp": 1735732800000, "domain": "Weather"}]',
        encoding="utf-8",
    )
    result = import_alexa([page], tmp_path / "events.csv")
    assert [(bad.number, bad.reason) for bad in result.bad] == [
        (1, "timestamp 253402300800000 is outside the years 0001 to 9999"),
        (2, "timestamp -62135596800001 is outside the years 0001 to 9999"),
    ]


def test_a_persons_rule_may_name_a_catalogue_skill_and_is_checked_in_the_catalogue(tmp_path):
    from tracer.history.mapping import read_map
    from tracer.skills import read_catalogue, shipped_catalogue_path

    catalogue = read_catalogue(shipped_catalogue_path())
    model = tracer.load_model()
    rules = tmp_path / "map.yaml"
    rules.write_text(
        "format: tracer-history-map/1\n"
        "skills:\n"
        "  - {name: Yellow Pages, interaction: skill:Yellow-Pages-Thryv}\n"
    )
    skills, _ = read_map(rules, model, catalogue=catalogue)
    assert [(s.skill, s.interaction) for s in skills] == [
        ("Yellow Pages", "skill:yellow-pages-thryv")  # as the ledger names it: lower case
    ]
    with pytest.raises(
        HistoryError,
        match=r"map\.yaml:3: skill:Yellow-Pages-Thryv names a "
        r"catalogue skill, and no catalogue is given: use -c FILE",
    ):
        read_map(rules, model)
    rules.write_text(rules.read_text().replace("Thryv", "Thyrv"))
    with pytest.raises(
        HistoryError,
        match=r"map\.yaml:3: unknown skill 'Yellow-Pages-Thyrv' "
        r"in the catalogue .*did you mean skill:yellow-pages-thryv",
    ):
        read_map(rules, model, catalogue=catalogue)
