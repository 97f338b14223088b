"""The Spark engine: the same build as DuckDB's (:mod:`tracer.ledger.engines.duckdb`), in Spark
SQL, for a log that outgrows one machine. It reads Parquet (a file or a folder) and writes the
ledger as a folder of Parquet tables, which :func:`tracer.ledger.open_ledger` reads with DuckDB.

It runs in the session ``spark-submit`` started, or starts one on ``master`` (default
``local[*]``). Only the distinct outcomes come back to the driver, to be traced in Python.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..logs import MAX_LISTED, format_timestamp, parse_timestamp
from ..outcomes import Timeline, trace_outcomes
from ..problems import BadRow, LedgerError
from ..progress import SPARK_STAGES, Progress, Tracker
from ..source import ModelSource
from ..store import meta_of
from .sql import age_sql, applied_requests_sql, scheduled_after_sql

__all__ = ["LOCAL_CONFIG", "OUTCOMES_SQL", "build_spark", "spark_session"]

# a session this module starts: few shuffle partitions (200 tiny tasks cost minutes on a laptop;
# a cluster's spark-submit sets its own), no web UI, no progress bars on the user's terminal
LOCAL_CONFIG = {
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}


def spark_session(master: str | None = None):
    """The active Spark session, or a new one on ``master`` (UTC, no web UI)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - the extra is installed by `make setup`
        raise LedgerError("the Spark engine needs pyspark: pip install 'tracer[spark]'") from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        session = active
    else:
        builder = SparkSession.builder.appName("tracer-ledger").master(master or "local[*]")
        for key, value in LOCAL_CONFIG.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    return session


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _read(spark, path: str | Path, table: str, required: tuple[str, ...]):
    """The log as a view ``raw_<table>`` with a ``row`` column: 1-based, files in name order."""
    from pyspark.sql import functions as F

    path = Path(path)
    if not path.exists():
        raise LedgerError(f"{path}: no such file or folder")
    if path.is_file() and path.suffix.lower() not in (".parquet", ".pq"):
        raise LedgerError(
            f"{path}: the Spark engine reads Parquet (a file or a folder of files); "
            "convert the log, or build it with --engine duckdb"
        )
    try:
        frame = spark.read.parquet(str(path))
    except Exception as error:  # Spark's errors are Java exceptions wrapped in many classes
        message = str(error).strip().splitlines()[0]
        raise LedgerError(f"{path}: cannot read the {table} log as Parquet: {message}") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise LedgerError(
            f"{path}: the {table} log has no column {', '.join(map(repr, missing))} "
            f"(it needs {', '.join(required)}; it has {', '.join(frame.columns) or 'none'})"
        )
    frame = frame.select(
        "*",
        F.col("_metadata.file_path").alias("_file"),
        F.col("_metadata.row_index").alias("_index"),
    )
    counts = sorted(frame.groupBy("_file").count().collect())
    offsets, total = [], 0
    for file, count in counts:  # rows count on across the files in name order, as in DuckDB
        offsets.append((file, total))
        total += count
    offset = spark.createDataFrame(offsets or [("", 0)], "_file string, _offset long")
    numbered = frame.join(F.broadcast(offset), "_file").withColumn(
        "row", F.col("_offset") + F.col("_index") + 1
    )
    numbered.createOrReplaceTempView(f"raw_{table}")
    return dict(frame.dtypes)


def _time_sql(kind: str) -> str:
    if kind.startswith("timestamp") or kind == "date":
        return "unix_micros(CAST(`at` AS TIMESTAMP))"
    return "unix_micros(try_cast(CAST(`at` AS STRING) AS TIMESTAMP))"


def _text(column: str) -> str:
    return f"NULLIF(TRIM(CAST(`{column}` AS STRING)), '')"


def _check_fit(spark, model) -> None:
    """Fail when the log was written for another model, as with DuckDB
    (:mod:`tracer.ledger.fit`)."""
    from ..fit import check_fit

    # `.` stands for the quotes around the id: no quoting of quotes inside the SQL
    found = spark.sql(
        """SELECT tbl, regexp_extract(reason, '^unknown [a-z]+ .(.*).$', 1) AS id,
                  slice(array_sort(collect_list(row)), 1, 5) AS first, count(*) AS n
           FROM bad_rows WHERE reason RLIKE '^unknown (interaction|request) '
           GROUP BY tbl, id"""
    ).collect()
    if not found:
        return
    unknown: dict[str, dict[str, tuple[list[int], int]]] = {}
    for table, wanted, first, count in found:
        unknown.setdefault(table, {})[wanted] = (list(first), count)
    used = {
        "events": {r[0] for r in spark.sql("SELECT DISTINCT interaction FROM events_ok").collect()},
        "requests": {r[0] for r in spark.sql("SELECT DISTINCT request FROM requests_ok").collect()},
    }
    rows = {
        table: spark.sql(f"SELECT count(*) FROM {table}_ok").collect()[0][0]
        for table in ("events", "requests")
    }
    bad = dict(spark.sql("SELECT tbl, count(*) FROM bad_rows GROUP BY tbl").collect())
    check_fit(model, unknown, used, {t: rows[t] + bad.get(t, 0) for t in rows})


def _check(spark, source: ModelSource, events, requests) -> None:
    """Views ``events_ok``, ``requests_ok`` and ``bad_rows``, as ``logs.check_log`` makes."""
    model = source.model
    kinds = _read(spark, events, "events", ("event", "user", "interaction", "at"))
    interactions = ", ".join(_quote(k) for k in sorted(model.interactions)) or "NULL"
    spark.sql(
        f"""SELECT row, {_text("event")} AS event, {_text("user")} AS user,
                   {_text("interaction")} AS interaction, {_time_sql(kinds["at"])} AS at_us,
                   CAST(`at` AS STRING) AS at_text FROM raw_events"""
    ).createOrReplaceTempView("ev")
    spark.sql(
        """SELECT event, min(row) AS first FROM ev WHERE event IS NOT NULL GROUP BY event
           HAVING count(*) > 1"""
    ).createOrReplaceTempView("dup")
    spark.sql(
        f"""SELECT ev.*, CASE
              WHEN ev.event IS NULL THEN 'no event id'
              WHEN user IS NULL THEN 'no user'
              WHEN interaction IS NULL THEN 'no interaction'
              WHEN interaction NOT IN ({interactions})
                THEN concat('unknown interaction \\'', interaction, '\\'')
              WHEN at_us IS NULL THEN concat('unreadable time \\'', coalesce(at_text, ''),
                '\\' (ISO 8601, like 2025-03-01T12:00:00Z)')
              WHEN dup.first IS NOT NULL AND row <> dup.first
                THEN concat('duplicate event id \\'', ev.event, '\\' (first at row ',
                            CAST(dup.first AS STRING), ')')
            END AS reason
            FROM ev LEFT JOIN dup ON dup.event = ev.event"""
    ).cache().createOrReplaceTempView("ev_checked")
    spark.sql(
        "SELECT event, user, interaction, at_us FROM ev_checked WHERE reason IS NULL"
    ).createOrReplaceTempView("events_ok")
    bad = "SELECT 'events' AS tbl, row, reason FROM ev_checked WHERE reason IS NOT NULL"
    if requests is None:
        spark.sql(
            """SELECT CAST(NULL AS STRING) AS user, CAST(NULL AS STRING) AS request,
                      CAST(NULL AS BIGINT) AS at_us, CAST(NULL AS STRING) AS event,
                      CAST(NULL AS INT) AS after WHERE false"""
        ).createOrReplaceTempView("requests_ok")
        spark.sql(bad).createOrReplaceTempView("bad_rows")
        return
    kinds = _read(spark, requests, "requests", ("user", "request", "at"))
    event = _text("event") if "event" in kinds else "CAST(NULL AS STRING)"
    known = ", ".join(_quote(k) for k in sorted(model.deletions)) or "NULL"
    after_sql = scheduled_after_sql(
        {key: spec.after for key, spec in model.deletions.items()}, _quote
    )
    spark.sql(
        f"""SELECT row, {_text("user")} AS user, {_text("request")} AS request,
                   {_time_sql(kinds["at"])} AS at_us, CAST(`at` AS STRING) AS at_text,
                   {event} AS event FROM raw_requests"""
    ).createOrReplaceTempView("rq")
    spark.sql(
        f"""SELECT rq.*, CAST({after_sql} AS INT) AS after, CASE
              WHEN rq.user IS NULL THEN 'no user'
              WHEN request IS NULL THEN 'no request'
              WHEN request NOT IN ({known}) THEN concat('unknown request \\'', request, '\\'')
              WHEN rq.at_us IS NULL THEN concat('unreadable time \\'', coalesce(at_text, ''),
                '\\' (ISO 8601, like 2025-03-01T12:00:00Z)')
              WHEN rq.event IS NOT NULL AND e.event IS NULL
                THEN concat('targets event \\'', rq.event,
                            '\\', which is not a usable row of the events log')
              WHEN rq.event IS NOT NULL AND e.user <> rq.user
                THEN concat('targets event \\'', rq.event, '\\' of another user (\\'', e.user,
                            '\\')')
              WHEN rq.event IS NOT NULL AND rq.at_us < e.at_us
                THEN concat('comes before the event it targets (\\'', rq.event, '\\')')
            END AS reason
            FROM rq LEFT JOIN events_ok e ON e.event = rq.event"""
    ).cache().createOrReplaceTempView("rq_checked")
    spark.sql(
        "SELECT user, request, at_us, event, after FROM rq_checked WHERE reason IS NULL"
    ).createOrReplaceTempView("requests_ok")
    spark.sql(
        f"{bad} UNION ALL SELECT 'requests', row, reason FROM rq_checked WHERE reason IS NOT NULL"
    ).createOrReplaceTempView("bad_rows")


def _outcome_sql(timeline: Timeline, query_us: int) -> str:
    """The events with their outcome keys and days: the DuckDB engine's query in Spark SQL."""
    age = age_sql(query_us)
    applied = applied_requests_sql(query_us, user="user")
    per_event = f"""
        SELECT event,
               concat_ws('|', transform(s, x -> concat(x.request, ':', CAST(x.bucket AS STRING))))
                 AS reqs,
               transform(s, x -> CAST(x.day AS INT)) AS days
        FROM (SELECT event, array_sort(collect_list(named_struct(
                       'day', day, 'request', request, 'bucket', {timeline.bucket_sql("day")})))
                     AS s
              FROM (SELECT event, request, min(day) AS day FROM ({applied})
                    WHERE day <= age GROUP BY event, request)
              GROUP BY event)"""
    return f"""
        SELECT e.event, e.user, e.interaction, e.at_us, CAST(e.age AS INT) AS age,
               concat(e.interaction, '|', CAST({timeline.bucket_sql("e.age")} AS STRING),
                      coalesce(concat('|', p.reqs), '')) AS key,
               coalesce(p.days, CAST(array() AS ARRAY<INT>)) AS days
        FROM (SELECT *, {age} AS age FROM events_ok e WHERE e.at_us <= {query_us}) e
        LEFT JOIN ({per_event}) p ON p.event = e.event"""


# as the DuckDB engine numbers them: each key's place among the keys in byte order
OUTCOMES_SQL = """SELECT CAST(row_number() OVER (ORDER BY key) - 1 AS INT) AS outcome, key
                  FROM (SELECT DISTINCT key FROM keyed)"""


def build_spark(
    source: ModelSource,
    events: str | Path,
    requests: str | Path | None,
    *,
    at: str | None,
    output: str | Path,
    strict: bool,
    master: str | None,
    progress: Progress | None,
) -> dict:
    """Build with Spark into the folder ``output``; the fields of a ``BuildResult``."""
    tracker = Tracker(progress, SPARK_STAGES)
    tracker.stage("starting Spark")
    spark = spark_session(master)
    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    tracker.stage("reading the log")
    _check(spark, source, events, requests)
    _check_fit(spark, source.model)
    bad_count = spark.sql("SELECT count(*) FROM bad_rows").collect()[0][0]
    listed = tuple(
        BadRow(r[0], r[1], r[2])
        for r in spark.sql(
            f"SELECT tbl, row, reason FROM bad_rows ORDER BY tbl, row LIMIT {MAX_LISTED}"
        ).collect()
    )
    if strict and bad_count:
        raise LedgerError(
            f"{bad_count} bad row{'s' if bad_count != 1 else ''} in the log (--strict)", listed
        )
    latest = spark.sql(
        """SELECT greatest((SELECT max(at_us) FROM events_ok),
                           (SELECT max(at_us) FROM requests_ok))"""
    ).collect()[0][0]
    if at is not None:
        query_us = parse_timestamp(at)
    elif latest is not None:
        query_us = latest
    else:
        raise LedgerError(f"{events}: the log has no usable event")
    tracker.stage("mapping events to outcomes")
    timeline = Timeline.of(source.model)
    spark.sql(_outcome_sql(timeline, query_us)).cache().createOrReplaceTempView("keyed")
    outcomes = spark.sql(OUTCOMES_SQL).cache()
    outcomes.createOrReplaceTempView("outcomes")
    outcomes.coalesce(1).sortWithinPartitions("outcome").write.parquet(str(partial / "outcomes"))
    keyed = spark.sql(
        """SELECT k.event, k.user, k.interaction, k.at_us, k.age, o.outcome, k.days
           FROM keyed k JOIN outcomes o ON o.key = k.key"""
    )
    keyed.sortWithinPartitions("user", "event").write.parquet(str(partial / "events"))
    spark.table("keyed").unpersist()
    written = spark.read.parquet(str(partial / "events"))
    written.createOrReplaceTempView("ledger_events")
    samples = [
        (r[0], list(r[1]), r[2])
        for r in spark.sql(
            """SELECT o.key, s.days, s.age FROM outcomes o JOIN (
                 SELECT outcome, min_by(days, event) AS days, min_by(age, event) AS age
                 FROM ledger_events GROUP BY outcome) s ON s.outcome = o.outcome
               ORDER BY o.key"""
        ).collect()
    ]
    ids = {r[1]: r[0] for r in outcomes.collect()}
    outcomes.unpersist()
    tracker.stage("tracing outcomes", label=f"tracing {len(samples):,} outcomes")
    copies = trace_outcomes(source.model, samples)
    tracker.stage("writing the ledger")
    schema = (
        "outcome int, id string, holder string, record string, party string, status string, "
        "reason_head string, reason_tail string, slot int, evidence array<string>, "
        "confidence string, access array<string>"
    )
    rows = [
        (
            ids[c.outcome],
            c.id,
            c.holder,
            c.record,
            c.party,
            c.status,
            c.reason_head,
            c.reason_tail,
            c.slot,
            list(c.evidence),
            c.confidence,
            list(c.access),
        )
        for c in copies
    ]
    spark.createDataFrame(rows, schema).coalesce(1).write.parquet(str(partial / "outcome_copies"))
    spark.sql("SELECT * FROM bad_rows ORDER BY tbl, row").coalesce(1).write.parquet(
        str(partial / "bad_rows")
    )
    counts = spark.sql(
        f"""SELECT count(*), count(DISTINCT user),
                   (SELECT count(*) FROM events_ok WHERE at_us > {query_us})
            FROM ledger_events"""
    ).collect()[0]
    result = {
        "output": target,
        "at": format_timestamp(query_us),
        "events": counts[0],
        "users": counts[1],
        "outcomes": len(samples),
        "copies": len(copies),
        "later": counts[2],
        "skipped": bad_count,
        "bad_rows": listed,
    }
    meta = meta_of(source, result, query_us, engine="spark")
    spark.createDataFrame(list(meta.items()), "key string, value string").coalesce(1).write.parquet(
        str(partial / "meta")
    )
    for view in ("ev_checked", "rq_checked"):
        if spark.catalog.tableExists(view):
            spark.table(view).unpersist()
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    tracker.finish()
    return result
