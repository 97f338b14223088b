"""The ledger is exactly the per-event trace: for random small models and logs, every copy of
every event has the status, reason, evidence and confidence that ``trace()`` gives that event
with its requests, every time taken relative to the event in whole days."""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracer
from tracer.ledger import build, open_ledger

PARTIES = ["p0", "p1"]
RECORDS = ["r0", "r1", "r2"]
TAGS = ["t0", "t1"]
REQUESTS = {"d0": None, "d1": None, "s2": "2d", "s5": "5d"}  # s2, s5 are scheduled
PERIODS = ["none", "until_deleted", "forever", "unknown", "0d", "1d", "2d", "3d", "6d", "30d"]
CONFIDENCES = ["stated", "reported", "unknown"]
BASE = datetime(2025, 1, 1, tzinfo=timezone.utc)
DAY = 86_400_000_000

common = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def subset(items):
    if not items:
        return st.just([])
    return st.lists(st.sampled_from(items), unique=True, max_size=len(items))


@st.composite
def retention(draw):
    deleted_by = draw(subset(list(REQUESTS)))
    return {
        "for": draw(st.sampled_from(PERIODS)),
        "deleted_by": deleted_by,
        "unclear_for": draw(subset([r for r in REQUESTS if r not in deleted_by])),
        "confidence": draw(st.sampled_from(CONFIDENCES)),
    }


@st.composite
def models(draw):
    holders = [f"h{i}" for i in range(draw(st.integers(1, 4)))]
    data = {
        "format": "tracer/1",
        "name": "random",
        "parties": {p: {"name": p.upper()} for p in PARTIES},
        "records": {r: {"name": r.upper()} for r in RECORDS},
        "holders": {},
        "flows": [],
        "derivations": [],
        "interactions": {},
        "deletions": {
            r: ({"name": r, "after": after} if after else {"name": r})
            for r, after in REQUESTS.items()
        },
    }
    for holder in holders:
        keeps = draw(st.dictionaries(st.sampled_from(RECORDS), retention(), max_size=3))
        data["holders"][holder] = {
            "name": holder,
            "party": draw(st.sampled_from(PARTIES)),
            "keeps": keeps,
        }
    for index in range(draw(st.integers(0, 6))):
        source, target = draw(st.sampled_from(holders)), draw(st.sampled_from(holders))
        if source != target:
            data["flows"].append(
                {
                    "id": f"f{index}",
                    "from": source,
                    "to": target,
                    "carries": draw(subset(RECORDS).filter(bool)),
                    "when": draw(subset(TAGS)),
                    "deletion": draw(st.sampled_from(["ignored", "propagated", "unclear"])),
                }
            )
    for index in range(draw(st.integers(0, 2))):
        source, target = draw(st.sampled_from(RECORDS)), draw(st.sampled_from(RECORDS))
        if source != target:
            data["derivations"].append(
                {
                    "id": f"x{index}",
                    "at": draw(st.sampled_from(holders)),
                    "from": source,
                    "to": target,
                    "deletion": draw(st.sampled_from(["ignored", "propagated", "unclear"])),
                }
            )
    for index in range(draw(st.integers(1, 2))):
        starts = draw(
            st.dictionaries(
                st.sampled_from(holders), subset(RECORDS).filter(bool), min_size=1, max_size=2
            )
        )
        data["interactions"][f"i{index}"] = {
            "name": f"I{index}",
            "tags": draw(subset(TAGS)),
            "starts": starts,
        }
    return tracer.parse_model(yaml.safe_dump(data, sort_keys=False))


def stamp(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def us(minutes: int) -> int:
    return minutes * 60_000_000


@st.composite
def logs(draw, model):
    """(events, requests, at): times in minutes after BASE, spread over about ten days."""
    minutes = st.integers(0, 14 * 24 * 60)
    events = [
        (
            f"e{index}",
            draw(st.sampled_from(["ann", "bob"])),
            draw(st.sampled_from(sorted(model.interactions))),
            draw(minutes),
        )
        for index in range(draw(st.integers(1, 8)))
    ]
    requests = []
    for _ in range(draw(st.integers(0, 6))):
        request = draw(st.sampled_from(sorted(REQUESTS)))
        if draw(st.booleans()):  # targets one event, at or after it
            event, user, _, at = draw(st.sampled_from(events))
            requests.append((user, request, at + draw(st.integers(0, 6 * 24 * 60)), event))
        else:
            requests.append((draw(st.sampled_from(["ann", "bob"])), request, draw(minutes), None))
    at = draw(st.one_of(st.none(), minutes))
    return events, requests, at


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
    model = data.draw(models())
    events, requests, at = data.draw(logs(model))
    with tempfile.TemporaryDirectory() as folder:
        path = build_ledger(model, events, requests, at, Path(folder))
        assert ledger_rows(path) == reference(model, events, requests, at)
