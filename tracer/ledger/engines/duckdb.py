"""The DuckDB engine: the log is read and checked in DuckDB, the events some request reaches
get their requests in one grouped join, the distinct outcome keys are found and traced once in
Python, every event is given its outcome in one pass (in user order), and the ledger is written
as a ``.duckdb`` file (or kept in memory).
"""

from __future__ import annotations

import json
import tempfile
from contextlib import nullcontext
from pathlib import Path

import duckdb

from ...errors import OutputError
from ...safeio import literal_path, partial_folder
from ..logs import check_log, format_timestamp, parse_timestamp
from ..outcomes import Timeline, trace_outcomes
from ..problems import LedgerError
from ..progress import Progress, Tracker
from ..source import ModelSource
from ..store import COPIES_VIEW, SKILL_PARTIES, meta_of
from .sql import age_sql, applied_requests_sql

__all__ = ["OUTCOMES_SQL", "build_duckdb", "outcome_sql", "write_outcomes"]

MEMORY_LIMIT = "3GB"  # the build must stay under 4 GB; DuckDB spills to disk beyond this


def outcome_sql(timeline: Timeline, query_us: int) -> tuple[str, str, str]:
    """(per-event requests, distinct parts, events with their outcomes) SELECTs over
    ``events_ok`` and ``requests_ok``, each reading the tables made before it: ``per_event``,
    ``parts``, then ``reached`` and ``unreached`` (made of :data:`OUTCOMES_SQL`'s outcomes).

    An event's outcome key has three parts: its interaction, the query's bucket ``qb`` and
    ``reqs``, its requests' part ('' when none reaches it). The per-event requests are those of
    the events some request reaches: their interaction, ``qb``, ``reqs`` and request days.
    """
    age = age_sql(query_us)
    applied = applied_requests_sql(query_us, user='"user"', key="rowid", carry=("interaction",))
    # each event's requests in (day, request) order, each request once at its earliest day:
    # gathered unordered, each event's short list sorted (an aggregate with its own ORDER BY
    # sorted every group, a quarter of the build at ten million events). A list of one is
    # done; a longer one is sorted by (request, day) in the aggregate, so a request's first
    # item is its earliest and the items after it are dropped by comparing each with the one
    # before, then sorted by (day, request): grouping by event and request first was a second
    # aggregate of every reached event
    bucket = timeline.bucket_sql("x.day")
    per_event = f"""
        SELECT event, interaction, CAST({timeline.bucket_sql("age")} AS INTEGER) AS qb,
               array_to_string(list_transform(pairs,
                   lambda x: x.request || ':' || CAST({bucket} AS VARCHAR)), '|') AS reqs,
               list_transform(pairs, lambda x: CAST(x.day AS INTEGER)) AS days
        FROM (SELECT event, interaction, age, CASE WHEN len(by_request) = 1 THEN by_request
                     ELSE list_transform(list_sort(list_transform(
                         list_filter(by_request, lambda x, i:
                             i = 1 OR x.request <> by_request[i - 1].request),
                         lambda x: {{'day': x.day, 'request': x.request}})),
                         lambda x: {{'request': x.request, 'day': x.day}}) END AS pairs
              FROM (SELECT event, interaction, age,
                           list_sort(list({{'request': request, 'day': day}})) AS by_request
                    FROM ({applied}) WHERE day <= age GROUP BY event, interaction, age))"""
    # the distinct parts without joining the events to their requests: those with requests are
    # the per-event table's, and an (interaction, qb) has events with none when it has more
    # events than the per-event table holds (a grouping of the events, not a second join)
    parts = f"""
        WITH every AS (
            SELECT interaction, CAST({timeline.bucket_sql(age)} AS INTEGER) AS qb,
                   count(*) AS n
            FROM events_ok e WHERE e.at_us <= {query_us} GROUP BY ALL),
        asked AS (SELECT interaction, qb, count(*) AS n FROM per_event GROUP BY ALL)
        SELECT interaction, qb, '' AS reqs FROM every LEFT JOIN asked USING (interaction, qb)
        WHERE every.n > coalesce(asked.n, 0)
        UNION ALL
        SELECT DISTINCT interaction, qb, reqs FROM per_event"""
    # each event's outcome: a reached event's from its row of the per-event table (`reached`),
    # the others' by interaction and qb (`unreached`); no event's requests' text is made or
    # joined on (it was, as '', for every event)
    events = f"""
        SELECT e.event, e."user", e.interaction, e.at_us, CAST(e.age AS INTEGER) AS age,
               coalesce(r.outcome, u.outcome) AS outcome,
               coalesce(r.days, CAST([] AS INTEGER[])) AS days
        FROM (SELECT *, rowid AS rid, {age} AS age FROM events_ok e WHERE e.at_us <= {query_us}) e
        LEFT JOIN reached r ON r.event = e.rid
        LEFT JOIN unreached u ON u.interaction = e.interaction
          AND u.qb = CAST({timeline.bucket_sql("e.age")} AS INTEGER)"""
    return per_event, parts, events


# an outcome's key from its parts; its id is its place among the keys in byte order (Spark
# numbers them alike), so both engines write the same ids
KEY_SQL = "interaction || '|' || CAST(qb AS VARCHAR)"
KEY_SQL += " || CASE WHEN reqs = '' THEN '' ELSE '|' || reqs END"
# each distinct (interaction, qb, reqs) of the events with its outcome: a catalogue skill's
# events take their outcome from their skill's shape (skill_parties), so `interaction` is the
# events' own and `shaped` keys the outcome. The distinct parts meet skill_parties, never the
# ten million events, which meet only the outcomes made of them (`reached`, `unreached`)
OUTCOMES_SQL = f"""
    WITH parts AS (
        SELECT p.interaction, coalesce(sp.shape, p.interaction) AS shaped, p.qb, p.reqs
        FROM parts p LEFT JOIN skill_parties sp ON sp.interaction = p.interaction),
    numbered AS (
        SELECT CAST(row_number() OVER (ORDER BY key) - 1 AS INTEGER) AS outcome, key,
               interaction AS shaped, qb, reqs
        FROM (SELECT *, {KEY_SQL} AS key
              FROM (SELECT DISTINCT shaped AS interaction, qb, reqs FROM parts)))
    SELECT p.interaction, p.qb, p.reqs, n.outcome, n.key
    FROM parts p JOIN numbered n USING (shaped, qb, reqs)"""
# the event ids are unique by the check: a dictionary does not shrink them, and trying one cost
# more than half of the build's time at ten million events
EVENTS_TABLE = """CREATE TABLE events (event VARCHAR USING COMPRESSION uncompressed,
    "user" VARCHAR, interaction VARCHAR, at_us BIGINT, age INTEGER, outcome INTEGER,
    days INTEGER[])"""


def write_outcomes(con, copies, ids: dict[str, int]) -> None:
    """Store each outcome's copies in ``outcome_copies`` (one INSERT of column lists), each
    under its outcome's id in ``ids`` (key -> id)."""
    con.execute(
        """CREATE TABLE outcome_copies (outcome INTEGER, id VARCHAR, holder VARCHAR,
           record VARCHAR, party VARCHAR, status VARCHAR, reason_head VARCHAR,
           reason_tail VARCHAR, slot INTEGER, evidence VARCHAR[], confidence VARCHAR,
           access VARCHAR[])"""
    )
    if not copies:
        return
    names = ["outcome", "id", "holder", "record", "party", "status", "reason_head"]
    names += ["reason_tail", "slot", "evidence", "confidence", "access"]
    kinds = {"outcome": "INTEGER", "slot": "INTEGER"}
    kinds |= {"evidence": ["VARCHAR"], "access": ["VARCHAR"]}
    columns = [[getattr(c, name) for c in copies] for name in names]
    columns[0] = [ids[key] for key in columns[0]]
    # each column as one JSON text: DuckDB binds a Python list an item at a time, and parses
    # the same as JSON in a third of the time (a log of many skills has tens of thousands)
    selects = ", ".join(
        f"unnest(from_json(${i + 1}, '{json.dumps([kinds.get(name, 'VARCHAR')])}'))"
        for i, name in enumerate(names)
    )
    con.execute(
        f"INSERT INTO outcome_copies SELECT {selects}", [json.dumps(column) for column in columns]
    )


def build_duckdb(
    source: ModelSource,
    events: str | Path,
    requests: str | Path | None,
    *,
    at: str | None,
    output: str | Path | None,
    strict: bool,
    progress: Progress | None,
) -> dict:
    """Build with DuckDB; the fields of a :class:`~tracer.ledger.build.BuildResult`."""
    target = Path(output) if output is not None else None
    # built in a folder of its own beside the target, renamed into place when done: a failure
    # leaves nothing, and no other file (someone's ``X.partial``) is touched
    with partial_folder(target) if target is not None else nullcontext(None) as partial:
        result, tracker = _build(
            source,
            events,
            requests,
            at=at,
            partial=partial,
            strict=strict,
            progress=progress,
            target=target,
        )
    tracker.finish()
    return result


def _build(source, events, requests, *, at, partial, strict, progress, target):
    """The build itself, into ``partial`` (a new file) or memory; its result and tracker."""
    try:
        con = duckdb.connect(str(partial) if partial is not None else ":memory:")
    except duckdb.Error as error:
        raise OutputError(f"cannot write {target}: {str(error).splitlines()[0]}") from None
    try:
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute("SET preserve_insertion_order = true")
        if progress is not None:  # DuckDB follows a query's progress only when asked to
            # its own bar would print on the terminal; the tracker asks it instead
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        else:
            con.execute("SET enable_progress_bar = false")
        tracker = Tracker(progress)
        tracker.stage("reading the log")
        checked = check_log(
            con,
            source.model,
            events,
            requests,
            strict=strict,
            tracker=tracker,
            catalogue=source.catalogue,
        )
        if at is not None:
            query_us = parse_timestamp(at)
        elif checked.latest_us is not None:
            query_us = checked.latest_us
        else:
            raise LedgerError(f"{events}: the log has no usable event")
        tracker.stage("mapping events to outcomes")
        timeline = source.timeline()
        per_event, parts, events_sql = outcome_sql(timeline, query_us)
        tracker.run(con, f"CREATE TEMP TABLE per_event AS {per_event}", share=0.1)
        tracker.run(con, f"CREATE TEMP TABLE parts AS {parts}", share=0.1)
        # the catalogue skills the events name, found among the few distinct parts
        shapes = skill_shapes(con, source)
        con.execute(f"CREATE TEMP TABLE outcome_parts AS {OUTCOMES_SQL}")
        con.execute("DROP TABLE parts")
        con.execute(
            "CREATE TABLE outcomes AS SELECT DISTINCT outcome, key FROM outcome_parts ORDER BY 1"
        )
        con.execute(
            """CREATE TEMP TABLE reached AS SELECT p.event, o.outcome, p.days
               FROM per_event p JOIN outcome_parts o USING (interaction, qb, reqs)"""
        )
        con.execute(
            """CREATE TEMP TABLE unreached AS SELECT interaction, qb, outcome
               FROM outcome_parts WHERE reqs = ''"""
        )
        con.execute("DROP TABLE per_event")
        con.execute("DROP TABLE outcome_parts")
        con.execute(EVENTS_TABLE)
        # the events are written once, in user order, so that the row groups' min/max of user
        # let `holds` read one group (by user alone: every query sorts its rows, and sorting by
        # event too cost as much again)
        tracker.run(con, f'INSERT INTO events {events_sql} ORDER BY e."user"', share=0.75)
        con.execute("DROP TABLE reached")
        con.execute("DROP TABLE unreached")
        samples = con.execute(
            """SELECT o.key, s.days, s.age FROM outcomes o JOIN (
                 SELECT outcome, arg_min(days, event) AS days, arg_min(age, event) AS age
                 FROM events GROUP BY outcome) s USING (outcome)
               ORDER BY o.key"""
        ).fetchall()
        tracker.stage("tracing outcomes", label=f"tracing {len(samples):,} outcomes")
        copies = trace_outcomes(source.model, samples, shapes)
        tracker.stage("writing the ledger")
        ids = dict(con.execute("SELECT key, outcome FROM outcomes").fetchall())
        write_outcomes(con, copies, ids)
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
        if shapes is not None:
            write_skills_meta(con, source, shapes, timeline)
        con.execute(COPIES_VIEW)
        for table in ("events_ok", "requests_ok", "bad_rows", "dup"):
            con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        con.execute("CHECKPOINT")
    except duckdb.Error as error:
        raise LedgerError(f"cannot build the ledger: {str(error).splitlines()[0]}") from None
    finally:
        con.close()
    return result, tracker


def skill_shapes(con, source: ModelSource):
    """The table ``skill_parties`` (interaction, shape, party, developer, and the skill's name,
    privacy policy and row source, which its developer's letter names) of the catalogue skills the
    events' distinct parts (the table ``parts``) name, empty without a catalogue; and their
    :class:`~tracer.skills.outcomes.Shapes` (None without a catalogue)."""
    con.execute(SKILL_PARTIES.replace("TEMP TABLE", "TABLE"))
    if source.catalogue is None:
        return None
    from tracer.skills.outcomes import Shapes

    # the ids of the catalogue skills the parts name, as one JSON text made here: 100,000 ids
    # never become Python strings
    (named,) = con.execute(
        """SELECT coalesce(to_json(list(DISTINCT interaction[7:])), '[]') FROM parts
           WHERE starts_with(interaction, 'skill:')
             AND NOT list_contains(?::VARCHAR[], interaction)""",
        [sorted(source.model.interactions)],  # an expanded model's own skill:ID are its own
    ).fetchone()
    shapes = Shapes.of_json(source.catalogue, str(named))
    # from the catalogue's DuckDB to the ledger's through a Parquet file: 100,000 skills never
    # become Python rows (they cost half a second each way)
    try:
        with tempfile.TemporaryDirectory(prefix="tracer-shapes-") as folder:
            path = Path(folder) / "skill_parties.parquet"
            shapes.write_parquet(path)
            with literal_path(path) as literal:  # a folder's name is never read as a pattern
                quoted = str(literal).replace("'", "''")
                con.execute(f"INSERT INTO skill_parties SELECT * FROM read_parquet('{quoted}')")
    finally:
        shapes.drop()  # the shapes' first skills (shapes.first) are all the build needs now
    return shapes


def write_skills_meta(con, source: ModelSource, shapes, timeline) -> None:
    """What ``erasure`` needs to trace the skills' outcomes again without the catalogue file,
    kept in ``meta``: each shape's first skill (key ``skill_shapes``) and the retention days
    the skills added (``thresholds``)."""
    import dataclasses

    first = {shape: dataclasses.asdict(skill) for shape, skill in sorted(shapes.first.items())}
    con.execute(
        "INSERT INTO meta VALUES ('skill_shapes', ?), ('thresholds', ?)",
        [json.dumps(first, sort_keys=True), json.dumps(list(timeline.thresholds))],
    )


def write_meta(con, source: ModelSource, result: dict, query_us: int, *, engine: str) -> None:
    """The ledger's ``meta`` table: what it was built from and its counts."""
    meta = meta_of(source, result, query_us, engine=engine)
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute(
        "INSERT INTO meta SELECT unnest($1), unnest($2)",
        [list(meta), list(meta.values())],
    )
