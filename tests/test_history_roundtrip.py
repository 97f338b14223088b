"""A round trip: a person's export imported, its ledger built, and ``holds`` asked, gives for
every record exactly the copies ``trace(model, interaction, requests)`` gives at that record's
time (every time taken relative to the record in whole days), whatever the records and
whatever the person deleted."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracer
from tracer.history import deletion_requests, import_alexa
from tracer.ledger import build, holds, open_ledger

MODEL = tracer.load_model(Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml")
BASE_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
DAY_MS = 86_400_000
NOW_MS = BASE_MS + 400 * DAY_MS
# what a record shows, and the interaction the shipped mapping file makes of it
SHOWN = [
    ({"skillName": "Domino's"}, "dominos-order"),
    ({"skillName": "uber"}, "uber-ride"),
    ({"skillName": "LYFT"}, "lyft-ride"),
    ({"domain": "Weather"}, "weather"),
    ({"domain": "Music", "intent": "PlayMusicIntent"}, "weather"),
    ({"said": "Alexa, remind me to water the plants"}, "set-reminder"),
]


@st.composite
def histories(draw):
    """Records (key, ms, what it shows, its interaction) over about 200 days, and what the
    person deleted: everything before a time, auto-delete switched on at a time, both or none."""
    count = draw(st.integers(1, 8))
    times = draw(st.lists(st.integers(0, 200 * DAY_MS), min_size=count, max_size=count))
    records = [
        (f"rk{i}", BASE_MS + ms, *draw(st.sampled_from(SHOWN))) for i, ms in enumerate(times)
    ]
    moment = st.integers(0, 260 * DAY_MS).map(lambda ms: BASE_MS + ms - ms % 1000)
    deleted_before = draw(st.one_of(st.none(), moment))
    auto = draw(st.one_of(st.none(), st.tuples(st.sampled_from(["3mo", "18mo"]), moment)))
    return records, deleted_before, auto


def stamp(ms: int) -> str:
    from tracer.ledger.logs import format_timestamp

    return format_timestamp(ms * 1000)


def expected(records, requests) -> dict:
    """Per record, trace() with the requests relative to it in whole days, at the log's latest
    time: {(event, copy id): (status, reason, evidence, confidence)}, transient copies left out."""
    made = [(request, _ms(at)) for _, request, at in requests]
    query = max([ms for _, ms, _, _ in records] + [ms for _, ms in made])
    rows = {}
    for key, ms, _, interaction in records:
        specs = []
        for request, at in made:
            day = (at - ms) // DAY_MS
            after = MODEL.deletions[request].after
            if after is None:
                if at >= ms:
                    specs.append(f"{request}@{day}d")
            else:
                specs.append(f"{request}@{max(after, day)}d")
        result = tracer.trace(MODEL, interaction, specs, at=(query - ms) // DAY_MS)
        for copy in result.copies:
            if copy.status != "transient":
                rows[(key, copy.id)] = (
                    copy.status,
                    copy.reason,
                    list(copy.evidence),
                    copy.confidence,
                )
    return rows


def _ms(text: str) -> int:
    from tracer.ledger.logs import parse_timestamp

    return parse_timestamp(text) // 1000


def export(records) -> list[dict]:
    data = []
    for key, ms, shown, _ in records:
        item = {"recordKey": key, "timestamp": ms, "utteranceType": "GENERAL"}
        item.update({k: v for k, v in shown.items() if k != "said"})
        said = shown.get("said", "something")
        item["voiceHistoryRecordItems"] = [
            {"recordItemType": "CUSTOMER_TRANSCRIPT", "transcriptText": said}
        ]
        data.append(item)
    return data


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_import_then_ledger_holds_equals_trace_at_each_records_time(history):
    records, deleted_before, auto = history
    requests = deletion_requests(
        MODEL,
        "me",
        deleted_before=None if deleted_before is None else stamp(deleted_before),
        auto_delete=auto[0] if auto else None,
        since=stamp(auto[1]) if auto else None,
    )
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "history.json").write_text(
            json.dumps({"customerHistoryRecords": export(records)})
        )
        result = import_alexa(
            [folder / "history.json"],
            folder / "events.csv",
            model=MODEL,
            requests=requests,
            now_ms=NOW_MS,
            strict=True,
        )
        assert result.events == len(records)
        build(
            folder / "events.csv",
            result.requests_output,
            model=MODEL,
            output=folder / "l.duckdb",
            strict=True,
        )
        with open_ledger(folder / "l.duckdb") as ledger:
            copies = holds(ledger, "me")["copies"]
    got = {
        (c["event"], c["id"]): (c["status"], c["reason"], c["evidence"], c["confidence"])
        for c in copies
    }
    assert got == expected(records, requests)
