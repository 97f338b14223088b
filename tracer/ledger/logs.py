"""Reading logs: the ``events`` and ``requests`` tables (CSV, JSON Lines, Parquet or a folder of
Parquet files) into DuckDB, checked row by row.

Every row gets its 1-based data row number (the header is not a row; a folder of Parquet files
counts on across its files in name order). A row that cannot be used is a :class:`BadRow`:
skipped and listed, or, with ``strict``, the reason the build fails. Timestamps are ISO 8601;
a naive one is UTC. Times are kept as microseconds since 1970 (UTC), so whole days are exact.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tracer.model import Model
from tracer.safeio import kind_of, literal_path
from tracer.sqltext import trimmed_sql

from .engines.sql import scheduled_after_sql
from .problems import BadRow, LedgerError
from .progress import Tracker

__all__ = [
    "EVENT_COLUMNS",
    "REQUEST_COLUMNS",
    "CheckedLog",
    "check_log",
    "log_format",
    "parse_timestamp",
]

EVENT_COLUMNS = ("event", "user", "interaction", "at")
REQUEST_COLUMNS = ("user", "request", "at")  # and optional "event"
MAX_LISTED = 1000  # bad rows kept in the ledger beyond their count
# the times a log may hold: ISO 8601's four-digit years, 0001 to 9999 (microseconds since 1970)
FIRST_US = -62_135_596_800_000_000
LAST_US = 253_402_300_799_999_999
OUT_OF_RANGE = "(years 0001 to 9999)"


@dataclass(frozen=True)
class CheckedLog:
    """What :func:`check_log` left in the connection: tables ``events_ok`` and ``requests_ok``
    (the usable rows), and the bad rows, counted and listed."""

    events: int
    requests: int
    bad_count: int
    bad_rows: tuple[BadRow, ...]
    latest_us: int | None


def log_format(path: str | Path) -> str:
    """``csv``, ``json`` (JSON Lines) or ``parquet``, from the file's suffix (a folder: Parquet).

    >>> log_format("events.csv"), log_format("log.jsonl"), log_format("big/")
    ('csv', 'json', 'parquet')
    """
    folder = str(path).endswith("/")
    path = Path(path)
    suffix = path.suffix.lower()
    if folder or path.is_dir():
        return "parquet"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "json"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise LedgerError(
        f"{path}: cannot tell the log's format from its name: use .csv, .jsonl, .parquet or a "
        "folder of Parquet files"
    )


def parse_timestamp(text: str) -> int:
    """An ISO 8601 time as microseconds since 1970 UTC; a naive time is UTC.

    >>> parse_timestamp("1970-01-02"), parse_timestamp("1970-01-01T01:00:00+01:00")
    (86400000000, 0)
    """
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        if _is_duration(text):
            raise LedgerError(
                f"{text.strip()!r} is a time after an interaction, but a ledger's --at is a date "
                "and time (ISO 8601): write it like 2025-12-31 or 2025-12-31T23:59:59Z"
            ) from None
        raise LedgerError(f"{text!r} is not an ISO 8601 time (like 2025-03-01T12:00:00Z)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    delta = value - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _is_duration(text: str) -> bool:
    from tracer.model.durations import parse_duration

    try:
        parse_duration(text)
    except ValueError:
        return False
    return True


def format_timestamp(us: int) -> str:
    """Microseconds since 1970 as ISO 8601 UTC, to the second.

    >>> format_timestamp(86_400_000_000), format_timestamp(FIRST_US)
    ('1970-01-02T00:00:00Z', '0001-01-01T00:00:00Z')
    """
    seconds = us // 1_000_000
    value = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
    # the year as ISO 8601 writes it, four digits (strftime's %Y writes year 1 as "1")
    return f"{value.year:04d}-{value:%m-%dT%H:%M:%S}Z"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scan(path: Path, fmt: str) -> str:
    """A DuckDB table expression reading the log, with every column as it is stored."""
    if fmt == "csv":
        return f"read_csv({_quote(str(path))}, header = true, all_varchar = true)"
    if fmt == "json":
        return f"read_json({_quote(str(path))}, format = 'newline_delimited')"
    target = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    return f"read_parquet({_quote(target)})"


def _blank(path: Path) -> bool:
    """Whether a file holds nothing but white space, read a block at a time (a log may be big)."""
    with path.open("rb") as file:
        while block := file.read(1 << 16):
            if block.strip():
                return False
    return True


def _load(
    con,
    path: str | Path,
    table: str,
    required: tuple[str, ...],
    tracker: Tracker | None = None,
    *,
    select=None,
    into: str | None = None,
) -> dict[str, str]:
    """Copy one log into ``raw_<table>`` (input order kept, so rowid is the row); its columns.

    With ``select`` (the columns -> a SELECT list), the log is read once, straight into the
    table ``into`` as that list makes it, after asking the reader for its columns: a raw copy
    first cost a second at ten million events."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if not path.exists():
            raise LedgerError(f"{path}: no such file or folder") from None
        raise LedgerError(f"{path}: cannot read the {table} log: {error.strerror}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # DuckDB would wait on a FIFO for ever
        raise LedgerError(
            f"{path}: cannot read the {table} log: it is {kind_of(mode)}, not a regular file"
        )
    fmt = log_format(path)
    if fmt == "json" and stat.S_ISREG(mode) and _blank(path):
        # an empty JSON Lines log (no rows at all) has no columns to read: none of its rows is bad
        names = ", ".join(f'"{c}" VARCHAR' for c in required)
        con.execute(f"CREATE OR REPLACE TEMP TABLE raw_{table} ({names})")
        columns = {c: "VARCHAR" for c in required}
        if select is not None:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT {select(columns)} FROM raw_{table}"
            )
            con.execute(f"DROP TABLE raw_{table}")
        return columns
    try:
        with literal_path(path) as literal:
            scan = _scan(literal, fmt)
            if select is None:
                (tracker or Tracker(None)).run(
                    con,
                    f"CREATE OR REPLACE TEMP TABLE raw_{table} AS SELECT * FROM {scan}",
                    share=0.15 if table == "events" else 0.0,
                )
                columns = dict(
                    con.execute(
                        "SELECT column_name, data_type FROM duckdb_columns() "
                        "WHERE table_name = ? ORDER BY column_index",
                        [f"raw_{table}"],
                    ).fetchall()
                )
            else:
                columns = {
                    name: kind
                    for name, kind, *_ in con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
                }
    except Exception as error:  # duckdb's errors are many classes; say which file failed to read
        raise _unreadable(path, table, fmt, error) from None
    missing = [c for c in required if c not in columns]
    if missing:
        raise LedgerError(
            f"{path}: the {table} log has no column {', '.join(map(repr, missing))} "
            f"(it needs {', '.join(required)}; it has {', '.join(columns) or 'none'})"
        )
    if select is not None:
        try:
            with literal_path(path) as literal:
                (tracker or Tracker(None)).run(
                    con,
                    f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT {select(columns)} "
                    f"FROM {_scan(literal, fmt)}",
                    share=0.5,
                )
        except Exception as error:  # as above
            raise _unreadable(path, table, fmt, error) from None
    return columns


def _unreadable(path: Path, table: str, fmt: str, error: Exception) -> LedgerError:
    """The error for a log DuckDB could not read: the file, and the first line of why."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return LedgerError(f"{path}: cannot read the {table} log as {fmt}: {message}")


def _time_sql(kind: str) -> str:
    """The ``at`` column as microseconds since 1970 UTC, NULL when unreadable.

    >>> _time_sql("TIMESTAMP WITH TIME ZONE"), _time_sql("TIMESTAMP_NS")
    ('epoch_us("at")', 'epoch_us(CAST("at" AS TIMESTAMP))')
    >>> _time_sql("TIMESTAMPTZ_NS")
    'epoch_us(CAST("at" AS TIMESTAMPTZ))'
    """
    # a naive time is UTC, which is what epoch_us reads a TIMESTAMP as; a cast to TIMESTAMPTZ
    # would say the same through the time zone library, half a second at ten million events.
    # A time with its zone is an instant already: read as one (nanoseconds, as pandas and
    # Arrow write a zoned time, through TIMESTAMPTZ, whatever the session's zone)
    if kind == "TIMESTAMP WITH TIME ZONE":
        return 'epoch_us("at")'
    if kind.startswith("TIMESTAMPTZ") or "TIME ZONE" in kind:
        return 'epoch_us(CAST("at" AS TIMESTAMPTZ))'
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return 'epoch_us(CAST("at" AS TIMESTAMP))'
    return 'epoch_us(TRY_CAST(CAST("at" AS VARCHAR) AS TIMESTAMPTZ))'


def _text(column: str) -> str:
    """A cell as text, the spaces around it dropped, NULL when empty (trimmed only when it needs
    it: :mod:`tracer.sqltext`)."""
    return f"NULLIF({trimmed_sql(f'CAST({column} AS VARCHAR)')}, '')"


def _interaction_sql(column: str = "interaction") -> str:
    """The event's interaction; ``skill:ID`` in lower case, as a catalogue's ids are keyed
    (only a skill's is lowered: its first six letters say whether it is one).

    >>> import duckdb
    >>> cells = "(VALUES (' Skill:AB '), ('skill:cd'), ('Weather'), ('  ')) t(x)"
    >>> duckdb.sql(f"SELECT {_interaction_sql('x')} FROM {cells}").fetchall()
    [('skill:ab',), ('skill:cd',), ('Weather',), (None,)]
    """
    text = _text(column)
    general = f"CASE WHEN lower(left({text}, 6)) = 'skill:' THEN lower({text}) ELSE {text} END"
    # most cells of a log of skills are `skill:ID` in ASCII with no space after it: such a cell
    # needs no trimming and starts as a skill's does, so it is lowered at once; the general
    # rule, which made the cell's text three times, cost a sixth of reading ten million events
    cell = f"CAST({column} AS VARCHAR)"
    return (
        f"CASE WHEN starts_with({cell}, 'skill:') AND NOT ends_with({cell}, ' ') "
        f"AND strlen({cell}) = length({cell}) THEN lower({cell}) ELSE {general} END"
    )


def check_log(
    con,
    model: Model,
    events: str | Path,
    requests: str | Path | None = None,
    *,
    strict: bool = False,
    tracker: Tracker | None = None,
    catalogue=None,
) -> CheckedLog:
    """Read and check the log into ``con`` (a DuckDB connection): tables ``events_ok``
    (event, user, interaction, at_us and the raw time; the good rows, in input order, though
    its rowid is no longer the row once the bad ones are deleted) and ``requests_ok`` (user,
    request, at_us, event, after), and ``bad_rows`` (tbl, row, reason). ``tracker`` follows the
    long statements."""
    tracker = tracker or Tracker(None)
    con.execute("SET TimeZone = 'UTC'")
    # the log is read once into `ev` (in input order: its rowid + 1 is the row); the time's text
    # is made only for a row whose time is unreadable (formatting ten million took seconds)
    _load(
        con,
        events,
        "events",
        EVENT_COLUMNS,
        tracker,
        into="ev",
        select=lambda columns: (
            f"""{_text("event")} AS event, {_text('"user"')} AS "user",
            {_interaction_sql()} AS interaction,
            {_time_sql(columns["at"])} AS at_us, "at" AS at_raw"""
        ),
    )
    con.execute("CREATE OR REPLACE TEMP VIEW ev_rows AS SELECT rowid + 1 AS row, * FROM ev")
    interactions = ", ".join(_quote(key) for key in sorted(model.interactions)) or "NULL"
    skills = ""
    if catalogue is not None:  # skill:ID of a catalogue skill: tracer.skills
        # from the catalogue's DuckDB to this one as one JSON text: 100,000 ids never become
        # Python strings
        ((keys,),) = catalogue.query(
            "SELECT coalesce(to_json(list('skill:' || key)), '[]') FROM skills"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE skill_ids AS "
            "SELECT unnest(from_json(?, '[\"VARCHAR\"]')) AS interaction",
            [str(keys)],
        )
        skills = " AND interaction NOT IN (SELECT interaction FROM skill_ids)"
    tracker.run(
        con,
        # the repeated ids' hashes first, then only the rows with such a hash grouped by id
        # (a fifth faster than grouping ten million strings); a hash is repeated when the one
        # before it in order is the same: sorting ten million integers took a quarter less
        # time than grouping them
        """CREATE OR REPLACE TEMP TABLE dup AS SELECT event, min(row) AS first FROM ev_rows
           WHERE event IS NOT NULL AND hash(event) IN (
               SELECT h FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous
                              FROM (SELECT hash(event) AS h FROM ev WHERE event IS NOT NULL))
               WHERE h = previous)
           GROUP BY event HAVING count(*) > 1""",
        share=0.25,
    )
    # the bad rows are picked out and deleted: a copy of every good event would cost seconds at
    # ten million events
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW ev_checked AS SELECT ev.row, CASE
              WHEN ev.event IS NULL THEN 'no event id'
              WHEN "user" IS NULL THEN 'no user'
              WHEN interaction IS NULL THEN 'no interaction'
              WHEN interaction NOT IN ({interactions}){skills}
                THEN 'unknown interaction ''' || interaction || ''''
              WHEN at_us IS NULL THEN 'unreadable time ''' ||
                coalesce(CAST(at_raw AS VARCHAR), '') ||
                ''' (ISO 8601, like 2025-03-01T12:00:00Z)'
              WHEN at_us NOT BETWEEN {FIRST_US} AND {LAST_US} THEN 'time out of range ''' ||
                CAST(at_raw AS VARCHAR) || ''' {OUT_OF_RANGE}'
              WHEN dup.first IS NOT NULL AND row <> dup.first
                THEN 'duplicate event id ''' || ev.event || ''' (first at row ' || dup.first ||
                  ')'
            END AS reason
            FROM ev_rows ev LEFT JOIN dup ON dup.event = ev.event"""
    )
    tracker.run(
        con,
        """CREATE OR REPLACE TEMP TABLE bad_rows AS
           SELECT 'events' AS tbl, row, reason FROM ev_checked WHERE reason IS NOT NULL""",
        share=0.1,
    )
    con.execute("DROP VIEW ev_checked")
    con.execute("DROP VIEW ev_rows")
    con.execute("DELETE FROM ev WHERE rowid + 1 IN (SELECT row FROM bad_rows)")
    con.execute("DROP TABLE IF EXISTS events_ok")
    con.execute("ALTER TABLE ev RENAME TO events_ok")
    if requests is not None:
        _check_requests(con, model, requests)
    else:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE requests_ok (\"user\" VARCHAR, request VARCHAR,
               at_us BIGINT, event VARCHAR, after INTEGER)"""
        )
    _check_fit(con, model)
    bad_count = con.execute("SELECT count(*) FROM bad_rows").fetchone()[0]
    listed = tuple(
        BadRow(table, row, reason)
        for table, row, reason in con.execute(
            f"SELECT tbl, row, reason FROM bad_rows ORDER BY tbl, row LIMIT {MAX_LISTED}"
        ).fetchall()
    )
    if strict and bad_count:
        raise LedgerError(
            f"{bad_count} bad row{'s' if bad_count != 1 else ''} in the log (--strict)", listed
        )
    counts = con.execute(
        """SELECT (SELECT count(*) FROM events_ok), (SELECT count(*) FROM requests_ok),
                  greatest((SELECT max(at_us) FROM events_ok),
                           (SELECT max(at_us) FROM requests_ok))"""
    ).fetchone()
    return CheckedLog(counts[0], counts[1], bad_count, listed, counts[2])


def _check_fit(con, model: Model) -> None:
    """Fail when the log was written for another model (:mod:`tracer.ledger.fit`)."""
    from .fit import check_fit

    unknown: dict[str, dict[str, tuple[list[int], int]]] = {}
    found = con.execute(
        r"""SELECT tbl, regexp_extract(reason, '^unknown \w+ ''(.*)''$', 1) AS id,
                   list(row ORDER BY row)[1:5], count(*)
            FROM bad_rows WHERE regexp_matches(reason, '^unknown (interaction|request) ')
            GROUP BY tbl, id"""
    ).fetchall()
    if not found:
        return
    for table, wanted, first, count in found:
        unknown.setdefault(table, {})[wanted] = (first, count)
    used = {
        "events": {
            r[0] for r in con.execute("SELECT DISTINCT interaction FROM events_ok").fetchall()
        },
        "requests": {
            r[0] for r in con.execute("SELECT DISTINCT request FROM requests_ok").fetchall()
        },
    }
    rows = dict(
        con.execute(
            """SELECT 'events', (SELECT count(*) FROM events_ok) UNION ALL
               SELECT 'requests', (SELECT count(*) FROM requests_ok)"""
        ).fetchall()
    )
    bad = dict(con.execute("SELECT tbl, count(*) FROM bad_rows GROUP BY tbl").fetchall())
    check_fit(model, unknown, used, {t: rows.get(t, 0) + bad.get(t, 0) for t in rows})


def _check_requests(con, model: Model, path: str | Path) -> None:
    columns = _load(con, path, "requests", REQUEST_COLUMNS)
    event = _text("event") if "event" in columns else "CAST(NULL AS VARCHAR)"
    known = ", ".join(_quote(key) for key in sorted(model.deletions)) or "NULL"
    after_sql = scheduled_after_sql(
        {key: spec.after for key, spec in model.deletions.items()}, _quote
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rq AS SELECT rowid + 1 AS row,
            {_text('"user"')} AS "user", {_text("request")} AS request,
            {_time_sql(columns["at"])} AS at_us, CAST("at" AS VARCHAR) AS at_text,
            {event} AS event FROM raw_requests"""
    )
    con.execute("DROP TABLE raw_requests")
    # the events a request names, looked up only if one does: most requests name none, and the
    # join read every event's id (ten million)
    targeted = con.execute("SELECT count(*) FROM rq WHERE event IS NOT NULL").fetchone()[0]
    targets = (
        "events_ok" if targeted else '(SELECT event, "user", at_us FROM events_ok WHERE false)'
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rq_checked AS SELECT rq.*,
            CAST({after_sql} AS INTEGER) AS after, CASE
              WHEN rq."user" IS NULL THEN 'no user'
              WHEN request IS NULL THEN 'no request'
              WHEN request NOT IN ({known}) THEN 'unknown request ''' || request || ''''
              WHEN rq.at_us IS NULL THEN 'unreadable time ''' || coalesce(at_text, '') ||
                ''' (ISO 8601, like 2025-03-01T12:00:00Z)'
              WHEN rq.at_us NOT BETWEEN {FIRST_US} AND {LAST_US}
                THEN 'time out of range ''' || at_text || ''' {OUT_OF_RANGE}'
              WHEN rq.event IS NOT NULL AND e.event IS NULL
                THEN 'targets event ''' || rq.event ||
                  ''', which is not a usable row of the events log'
              WHEN rq.event IS NOT NULL AND e."user" <> rq."user"
                THEN 'targets event ''' || rq.event || ''' of another user (''' || e."user" || ''')'
              WHEN rq.event IS NOT NULL AND rq.at_us < e.at_us
                THEN 'comes before the event it targets (''' || rq.event || ''')'
            END AS reason
            FROM rq LEFT JOIN {targets} e ON e.event = rq.event"""
    )
    con.execute("DROP TABLE rq")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE requests_ok AS SELECT "user", request, at_us, event, after
           FROM rq_checked WHERE reason IS NULL"""
    )
    con.execute(
        """INSERT INTO bad_rows SELECT 'requests', row, reason FROM rq_checked
           WHERE reason IS NOT NULL"""
    )
    con.execute("DROP TABLE rq_checked")
