"""Synthetic logs: a realistic year of events and requests for a model, deterministic for a seed.

Usage is skewed (a few users make most requests), follows a daily rhythm (little at night, peaks
in the morning and evening), and the weather is asked far more often than pizza is ordered. A few
percent of users delete single recordings (in the app or by voice) soon after making them, some
delete all their history once, and some switch on auto-delete. The log is generated inside DuckDB
from hashes of (seed, row), so it is the same for a seed however many threads run, and ten
million events take seconds.

>>> import tempfile, pathlib, duckdb
>>> log = write_synthetic_log(pathlib.Path(tempfile.mkdtemp()), users=10, events=500, seed=7)
>>> duckdb.sql(f"SELECT count(*), count(DISTINCT user) FROM '{log.events}'").fetchall()
[(500, 10)]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from tracer.model import Model
from tracer.model.loading import default_model_path, load_model
from tracer.render.output import check_target

from .problems import LedgerError

__all__ = ["SyntheticLog", "write_synthetic_log"]

START = "2025-01-01 00:00:00"
DAYS = 365
# how often each shipped interaction is asked, relative to the others
WEIGHTS = {
    "weather": 40,
    "music-unlimited": 18,
    "set-reminder": 15,
    "kids-request": 4,
    "fresh-order": 2,
    "dominos-order": 1.5,
    "uber-ride": 1,
    "lyft-ride": 0.6,
    "in-skill-purchase": 0.8,
}
# share of each hour of the day in the requests: quiet nights, morning and evening peaks
HOURS = [1, 0.5, 0.3, 0.3, 0.4, 1, 3, 6, 7, 5, 4, 4, 5, 4, 3.5, 3.5, 4, 5, 7, 8, 7, 5, 3, 2]
# (request, share of users, kind): "event" deletes single recordings, "once" is one request
BEHAVIOURS = [
    ("delete-recording", 0.04, "event"),
    ("delete-by-voice", 0.02, "event"),
    ("delete-all-history", 0.03, "once"),
    ("auto-delete-3mo", 0.05, "once"),
    ("auto-delete-18mo", 0.02, "once"),
]
USER_HASH = 'hash(ev."user")'  # a per-user draw: the same for all of a user's rows
DELETED_SHARE = 0.2  # of a deleting user's events, the share whose recording they delete


@dataclass(frozen=True)
class SyntheticLog:
    """Where a synthetic log was written, and its size."""

    events: Path
    requests: Path
    users: int
    event_count: int
    request_count: int


def _uniform(seed: int, salt: str, row: str) -> str:
    """A SQL expression for a uniform number in [0, 1) from (seed, salt, row)."""
    return f"(hash({seed}, '{salt}', {row}) % 1000000007) / 1000000007.0"


def _pick(weights: list[tuple[str, float]], u: str) -> str:
    """A SQL CASE choosing a value by cumulative weight from the uniform ``u``."""
    total = sum(w for _, w in weights)
    cases, running = [], 0.0
    for value, weight in weights[:-1]:
        running += weight / total
        cases.append(f"WHEN {u} < {running!r} THEN {value}")
    return f"(CASE {' '.join(cases)} ELSE {weights[-1][0]} END)"


def write_synthetic_log(
    directory: str | Path,
    *,
    users: int,
    events: int,
    seed: int = 0,
    model: Model | str | Path | None = None,
    file_format: str = "parquet",
) -> SyntheticLog:
    """Write ``events.<ext>`` and ``requests.<ext>`` for ``users`` users into ``directory``.

    ``file_format`` is ``parquet``, ``csv`` or ``jsonl``. Every user has at least one event.
    ``directory`` is created if it is missing; neither file may be the model or a symbolic link
    (:func:`tracer.render.output.check_target`).
    """
    if users < 1 or events < users:
        raise LedgerError("a synthetic log needs at least one user and one event per user")
    if file_format not in ("parquet", "csv", "jsonl"):
        raise LedgerError(f"unknown log format {file_format!r}: use parquet, csv or jsonl")
    spec = model if isinstance(model, Model) else load_model(model)
    # the model file (the one given, or the shipped one) is never written over
    protect = default_model_path() if model is None or isinstance(model, Model) else Path(model)
    interactions = [(f"'{k}'", WEIGHTS.get(k, 5.0)) for k in sorted(spec.interactions)]
    if not interactions:
        raise LedgerError("the model has no interaction to make events of")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    suffix = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}[file_format]
    events_path, requests_path = directory / f"events.{suffix}", directory / f"requests.{suffix}"
    for path in (events_path, requests_path):
        check_target(path, protect=protect)
    copy = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER)", "jsonl": "(FORMAT json)"}
    hours = _pick([(str(h), w) for h, w in enumerate(HOURS)], _uniform(seed, "hour", "i"))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # the first `users` events give every user one; the rest are skewed to low user numbers
    con.execute(
        f"""CREATE TABLE ev AS SELECT i,
              printf('e%09d', i) AS event,
              printf('u%05d', CASE WHEN i < {users} THEN i + 1
                 ELSE 1 + CAST(floor({users} * pow({_uniform(seed, "user", "i")}, 1.5)) AS BIGINT)
                 END) AS "user",
              {_pick(interactions, _uniform(seed, "interaction", "i"))} AS interaction,
              TIMESTAMP '{START}'
                + to_days(CAST(floor({DAYS} * {_uniform(seed, "day", "i")}) AS INTEGER))
                + to_hours(CAST({hours} AS INTEGER))
                + to_seconds(CAST(floor(3600 * {_uniform(seed, "second", "i")}) AS BIGINT)) AS "at"
            FROM range({events}) t(i)"""
    )
    parts = []
    for request, share, kind in BEHAVIOURS:
        if request not in spec.deletions:
            continue
        chosen = f"{_uniform(seed, request, USER_HASH)} < {share}"
        if kind == "event":  # some of the user's recordings, deleted up to 20 days later
            later = _uniform(seed, request + "at", "i")
            picked = _uniform(seed, request + "ev", "i")
            parts.append(
                f"""SELECT "user", '{request}' AS request,
                      ev."at" + to_minutes(CAST(floor(60 * 24 * 20 * {later}) AS BIGINT)) AS "at",
                      event
                    FROM ev WHERE {chosen} AND {picked} < {DELETED_SHARE}"""
            )
        else:
            parts.append(
                f"""SELECT "user", '{request}' AS request,
                      TIMESTAMP '{START}' + to_days(CAST(floor({DAYS} *
                        {_uniform(seed, request + "at", USER_HASH)}) AS INTEGER)) AS "at",
                      CAST(NULL AS VARCHAR) AS event
                    FROM ev WHERE {chosen} AND i < {users}"""
            )
    union = " UNION ALL ".join(parts) or (
        'SELECT NULL::VARCHAR AS "user", NULL::VARCHAR AS request, NULL::TIMESTAMP AS "at", '
        "NULL::VARCHAR AS event WHERE false"
    )
    con.execute(f"CREATE TABLE rq AS {union}")
    # ISO 8601 text in CSV and JSON; a timestamp column in Parquet
    at = '"at"' if file_format == "parquet" else """strftime("at", '%Y-%m-%dT%H:%M:%SZ') AS "at\""""
    con.execute(
        f"""COPY (SELECT event, "user", interaction, {at} FROM ev ORDER BY i)
            TO '{events_path}' {copy[file_format]}"""
    )
    con.execute(
        f"""COPY (SELECT "user", request, {at}, event FROM rq ORDER BY "user", "at", request, event)
            TO '{requests_path}' {copy[file_format]}"""
    )
    request_count = con.execute("SELECT count(*) FROM rq").fetchone()[0]
    con.close()
    return SyntheticLog(events_path, requests_path, users, events, request_count)
