"""The ledger is exactly the per-event trace: for random small models and logs, every copy of
every event has the status, reason, evidence and confidence that ``trace()`` gives that event
with its requests, every time taken relative to the event in whole days; and, read from
docs/ledger.md apart from ``trace()``, what the independent oracle (tests/oracle.py) gives."""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import assert_ledger_agrees, ledger_oracle
from profiles import examples
from strategies import LEDGER, logs, models

import tracer
from tracer.ledger import build, open_ledger

BASE = datetime(2025, 1, 1, tzinfo=timezone.utc)
DAY = 86_400_000_000

common = settings(max_examples=examples(dev=30, ci=100, thorough=1000))


def stamp(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def us(minutes: int) -> int:
    return minutes * 60_000_000


def reference(model, events, requests, at):
    """Per event, trace() with its requests relative to it in whole days: {(event, copy): row}."""
    latest = max([m for *_, m in events] + [m for _, _, m, _ in requests])
    query = latest if at is None else at
    rows = {}
    for event, user, interaction, when in events:
        if when > query:
            continue
        specs = []
        for who, request, made, target in requests:
            if made > query or who != user or target not in (None, event):
                continue
            after = model.deletions[request].after
            day = (us(made) - us(when)) // DAY
            if after is None:
                if made < when:
                    continue
                specs.append(f"{request}@{day}d")
            else:
                specs.append(f"{request}@{max(after, day)}d")
        result = tracer.trace(model, interaction, specs, at=(us(query) - us(when)) // DAY)
        for copy in result.copies:
            rows[(event, copy.id)] = (
                user,
                interaction,
                copy.status,
                copy.reason,
                list(copy.evidence),
                copy.confidence,
            )
    return rows


def write_log(folder: Path, events, requests) -> tuple[Path, Path]:
    events_path, requests_path = folder / "events.csv", folder / "requests.csv"
    with events_path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["event", "user", "interaction", "at"])
        writer.writerows([e, u, i, stamp(m)] for e, u, i, m in events)
    with requests_path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["user", "request", "at", "event"])
        writer.writerows([u, r, stamp(m), e or ""] for u, r, m, e in requests)
    return events_path, requests_path


ORACLE_COLUMNS = """SELECT event, id, holder, record, party, status, reason, evidence, confidence,
                           access FROM copies"""


def oracle_rows(path: Path) -> list[tuple]:
    """The ledger's copies with the columns tests/oracle.py checks."""
    with open_ledger(path) as ledger:
        return ledger.con.execute(ORACLE_COLUMNS).fetchall()


def ledger_rows(path: Path) -> dict:
    with open_ledger(path) as ledger:
        rows = ledger.con.execute(
            """SELECT event, id, "user", interaction, status, reason, evidence, confidence
               FROM copies"""
        ).fetchall()
    return {(r[0], r[1]): (r[2], r[3], r[4], r[5], list(r[6]), r[7]) for r in rows}


def build_ledger(model, events, requests, at, folder: Path, **options) -> Path:
    events_path, requests_path = write_log(folder, events, requests)
    output = folder / ("ledger" if options.get("engine") == "spark" else "ledger.duckdb")
    result = build(
        events_path,
        requests_path,
        model=model,
        output=output,
        at=None if at is None else stamp(at),
        strict=True,
        **options,
    )
    assert result.skipped == 0
    return output


@common
@given(st.data())
def test_the_duckdb_ledger_equals_the_per_event_trace_copy_by_copy(data):
    model = data.draw(models(LEDGER))
    events, requests, at = data.draw(logs(model))
    with tempfile.TemporaryDirectory() as folder:
        path = build_ledger(model, events, requests, at, Path(folder))
        assert ledger_rows(path) == reference(model, events, requests, at)
        assert_ledger_agrees(oracle_rows(path), ledger_oracle(model, events, requests, at))
