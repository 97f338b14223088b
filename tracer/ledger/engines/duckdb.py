"""The DuckDB engine: the log is read and checked in DuckDB, each event gets its outcome key in
two grouped joins, the distinct keys are traced once in Python, and the ledger is written as a
``.duckdb`` file (or kept in memory).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ..build import ModelSource, Progress, trace_outcomes
from ..logs import check_log, format_timestamp, parse_timestamp
from ..outcomes import Timeline
from ..problems import LedgerError
from ..store import COPIES_VIEW, LEDGER_FORMAT
from .sql import age_sql, applied_requests_sql

__all__ = ["build_duckdb", "outcome_sql", "write_outcomes"]

MEMORY_LIMIT = "3GB"  # the build must stay under 4 GB; DuckDB spills to disk beyond this


def outcome_sql(timeline: Timeline, query_us: int) -> tuple[str, str]:
    """(per-event requests, events) SELECTs over ``events_ok`` and ``requests_ok``."""
    age = age_sql(query_us)
    applied = applied_requests_sql(query_us, user='"user"')
    per_event = f"""
        SELECT event,
               string_agg(request || ':' || CAST({timeline.bucket_sql("day")} AS VARCHAR), '|'
                          ORDER BY day, request) AS reqs,
               list(CAST(day AS INTEGER) ORDER BY day, request) AS days
        FROM (SELECT event, request, min(day) AS day FROM ({applied})
              WHERE day <= age GROUP BY event, request)
        GROUP BY event"""
    events = f"""
        SELECT e.event, e."user", e.interaction, e.at_us, CAST(e.age AS INTEGER) AS age,
               e.interaction || '|' || CAST({timeline.bucket_sql("e.age")} AS VARCHAR)
                 || coalesce('|' || p.reqs, '') AS outcome,
               coalesce(p.days, CAST([] AS INTEGER[])) AS days
        FROM (SELECT *, {age} AS age FROM events_ok e WHERE e.at_us <= {query_us}) e
        LEFT JOIN per_event p ON p.event = e.event"""
    return per_event, events


def write_outcomes(con, copies) -> None:
    """Store each outcome's copies in ``outcome_copies`` (one INSERT of column lists)."""
    con.execute(
        """CREATE TABLE outcome_copies (outcome VARCHAR, id VARCHAR, holder VARCHAR,
           record VARCHAR, party VARCHAR, status VARCHAR, reason_head VARCHAR,
           reason_tail VARCHAR, slot INTEGER, evidence VARCHAR[], confidence VARCHAR,
           access VARCHAR[])"""
    )
    if not copies:
        return
    names = ["outcome", "id", "holder", "record", "party", "status", "reason_head"]
    names += ["reason_tail", "slot", "evidence", "confidence", "access"]
    columns = [[getattr(c, name) for c in copies] for name in names]
    columns = [[list(v) if isinstance(v, tuple) else v for v in col] for col in columns]
    selects = ", ".join(f"unnest(${i + 1})" for i in range(len(names)))
    con.execute(f"INSERT INTO outcome_copies SELECT {selects}", columns)


def build_duckdb(
    source: ModelSource,
    events: str | Path,
    requests: str | Path | None,
    *,
    at: str | None,
    output: str | Path | None,
    strict: bool,
    progress: Progress,
) -> dict:
    """Build with DuckDB; the fields of a :class:`~tracer.ledger.build.BuildResult`."""
    target = Path(output) if output is not None else None
    partial = target.with_name(target.name + ".partial") if target is not None else None
    if partial is not None:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(partial) if partial is not None else ":memory:")
    except duckdb.Error as error:
        raise LedgerError(f"{target}: cannot write the ledger: {error}") from None
    try:
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute("SET preserve_insertion_order = true")
        progress("reading the log")
        checked = check_log(con, source.model, events, requests, strict=strict)
        if at is not None:
            query_us = parse_timestamp(at)
        elif checked.latest_us is not None:
            query_us = checked.latest_us
        else:
            raise LedgerError(f"{events}: the log has no usable event")
        progress("mapping events to outcomes")
        timeline = Timeline.of(source.model)
        per_event, select_events = outcome_sql(timeline, query_us)
        con.execute(f"CREATE TEMP TABLE per_event AS {per_event}")
        con.execute(f'CREATE TABLE events AS {select_events} ORDER BY e."user", e.event')
        con.execute("DROP TABLE per_event")
        samples = con.execute(
            """SELECT outcome, arg_min(days, event), arg_min(age, event) FROM events
               GROUP BY outcome ORDER BY outcome"""
        ).fetchall()
        progress(f"tracing {len(samples):,} outcomes")
        copies = trace_outcomes(source.model, samples)
        progress("writing the ledger")
        write_outcomes(con, copies)
        con.execute("CREATE TABLE bad_rows AS SELECT * FROM temp.bad_rows ORDER BY tbl, row")
        counts = con.execute(
            f"""SELECT count(*), count(DISTINCT "user"),
                       (SELECT count(*) FROM events_ok WHERE at_us > {query_us})
                FROM events"""
        ).fetchone()
        result = {
            "output": target,
            "at": format_timestamp(query_us),
            "events": counts[0],
            "users": counts[1],
            "outcomes": len(samples),
            "copies": len(copies),
            "later": counts[2],
            "skipped": checked.bad_count,
            "bad_rows": checked.bad_rows,
        }
        write_meta(con, source, result, query_us, engine="duckdb")
        con.execute(COPIES_VIEW)
        for table in ("events_ok", "requests_ok", "bad_rows", "dup"):
            con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        con.execute("CHECKPOINT")
    except duckdb.Error as error:
        con.close()
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise LedgerError(f"cannot build the ledger: {str(error).splitlines()[0]}") from None
    except BaseException:
        con.close()
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    con.close()
    if partial is not None and target is not None:
        os.replace(partial, target)
    return result


def write_meta(con, source: ModelSource, result: dict, query_us: int, *, engine: str) -> None:
    """The ledger's ``meta`` table: what it was built from and its counts."""
    meta = {
        "format": LEDGER_FORMAT,
        "engine": engine,
        "model": source.model.name,
        "model_text": source.text,
        "at": result["at"],
        "at_us": str(query_us),
        **{key: str(result[key]) for key in ("events", "users", "outcomes", "later", "skipped")},
    }
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute(
        "INSERT INTO meta SELECT unnest($1), unnest($2)",
        [list(meta), list(meta.values())],
    )
