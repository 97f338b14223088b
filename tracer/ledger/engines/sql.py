"""SQL that the DuckDB and Spark engines share, word for word: which requests reach each event,
and when a scheduled request fires. Each engine passes what its dialect spells differently (how a
column named ``user`` is quoted, how a string literal is escaped).

>>> print(scheduled_after_sql({"auto-3mo": 90, "wipe": None}, lambda t: f"'{t}'"))
CASE request WHEN 'auto-3mo' THEN 90 END
>>> scheduled_after_sql({"wipe": None}, repr)
'NULL'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = ["DAY_US", "age_sql", "applied_requests_sql", "scheduled_after_sql"]

DAY_US = 86_400_000_000  # microseconds in a day: times in a log are microseconds since 1970 UTC


def scheduled_after_sql(after: Mapping[str, int | None], quote: Callable[[str], str]) -> str:
    """A request's ``after`` in days (NULL for one made at a time the user names)."""
    cases = " ".join(
        f"WHEN {quote(key)} THEN {days}" for key, days in sorted(after.items()) if days is not None
    )
    return f"CASE request {cases} END" if cases else "NULL"


def age_sql(query_us: int) -> str:
    """An event's age at the query time, in whole days."""
    return f"CAST(floor(({query_us} - e.at_us) / {DAY_US}.0) AS BIGINT)"


def applied_requests_sql(
    query_us: int, *, user: str, key: str = "event", carry: tuple[str, ...] = ()
) -> str:
    """Every (event, request) pair where the request reaches the event by the query time, with
    the day it fires and the event's age at the query, both in whole days after the event, and
    the event's columns named in ``carry``.

    A request without ``event`` reaches every event of its user at or before it; a scheduled one
    (``after``) switched on at ``r.at`` fires at ``max(e.at + after, r.at)`` (DESIGN section 9).
    """

    day = f"CAST(floor((r.at_us - e.at_us) / {DAY_US}.0) AS BIGINT)"
    age = age_sql(query_us)
    fires = f"CASE WHEN r.after IS NULL THEN {day} ELSE greatest(r.after, {day}) END"
    carried = "".join(f", e.{column}" for column in carry)
    return f"""
        SELECT e.{key} AS event, r.request, {fires} AS day, {age} AS age{carried}
        FROM events_ok e JOIN requests_ok r ON r.{user} = e.{user}
        WHERE r.event IS NULL AND r.at_us <= {query_us} AND e.at_us <= {query_us}
          AND (r.after IS NOT NULL OR r.at_us >= e.at_us)
        UNION ALL
        SELECT e.{key} AS event, r.request, {fires} AS day, {age} AS age{carried}
        FROM events_ok e JOIN requests_ok r ON r.event = e.event
        WHERE r.at_us <= {query_us} AND e.at_us <= {query_us}"""
