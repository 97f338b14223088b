"""The ledger as stored: its tables, the ``copies`` view, and :func:`open_ledger`.

A ledger is a DuckDB file (built by the DuckDB engine) or a folder of Parquet files (built by
Spark) with the same tables:

- ``events``: event, user, interaction, at_us (microseconds since 1970 UTC), age (whole days from
  the event to the query time), outcome (its outcome's id), days (its request days, in key
  order), in user order;
- ``outcomes``: outcome (the id: 0, 1, ... in the byte order of the keys), key (see
  :mod:`tracer.ledger.outcomes`);
- ``outcome_copies``: each outcome's copies, stored once, under its id;
- ``bad_rows``: tbl, row, reason; ``meta``: key, value (model, query time, counts).

The ``copies`` view joins them into one row per copy of each event, for people who want rows.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..safeio import kind_of
from .problems import LedgerError

if TYPE_CHECKING:
    from .source import ModelSource

__all__ = ["COPIES_VIEW", "LEDGER_FORMAT", "Ledger", "meta_of", "open_ledger"]

# 2: events name their outcome by number (table outcomes); 3: skill_parties holds each
# catalogue skill's name and privacy policy (its developer's letter names them); 4: and the
# row's source (the letter cites it for what the skill receives)
LEDGER_FORMAT = "tracer-ledger/4"
TABLES = ("events", "outcomes", "outcome_copies", "bad_rows", "meta")


def meta_of(source: ModelSource, result: dict, query_us: int, *, engine: str) -> dict[str, str]:
    """The rows of a ledger's ``meta`` table, the same for every engine: what it was built from
    and its counts (``result`` holds the fields of a
    :class:`~tracer.ledger.build.BuildResult`)."""
    return {
        "format": LEDGER_FORMAT,
        "engine": engine,
        "model": source.model.name,
        "model_text": source.text,
        "at": result["at"],
        "at_us": str(query_us),
        **{key: str(result[key]) for key in ("events", "users", "outcomes", "later", "skipped")},
    }


# a deleted copy's reason is split around its day: format_days(day) is f"{day}d"
# a catalogue skill's copies are stored once per shape of skill, with {skill} and {developer}
# where the skill's id and its developer's party go (tracer.skills.outcomes): each event's own
# are put back from skill_parties
_REASON = """CASE WHEN c.slot IS NULL THEN c.reason_head
            ELSE c.reason_head || CAST(e.days[c.slot + 1] AS VARCHAR) || 'd' || c.reason_tail
       END"""
COPIES_VIEW = f"""
CREATE OR REPLACE VIEW copies AS
SELECT e.event, e."user", e.interaction,
       CASE WHEN sp.party IS NULL THEN c.id ELSE replace(c.id, '{{skill}}', e.interaction) END
         AS id,
       CASE WHEN sp.party IS NULL THEN c.holder
            ELSE replace(c.holder, '{{skill}}', e.interaction) END AS holder,
       c.record,
       CASE WHEN c.party = '{{developer}}' THEN sp.party ELSE c.party END AS party,
       c.status,
       CASE WHEN sp.party IS NULL THEN {_REASON}
            ELSE replace({_REASON}, '{{skill}}', e.interaction) END AS reason,
       CASE WHEN sp.party IS NULL THEN c.evidence
            ELSE list_transform(c.evidence, lambda x: replace(x, '{{skill}}', e.interaction))
       END AS evidence,
       c.confidence,
       CASE WHEN sp.party IS NULL THEN c.access
            ELSE list_sort(list_transform(c.access,
                 lambda x: CASE WHEN x = '{{developer}}' THEN sp.party ELSE x END)) END AS access
FROM events e JOIN outcome_copies c ON c.outcome = e.outcome
LEFT JOIN skill_parties sp ON sp.interaction = e.interaction
"""
SKILL_PARTIES = (
    "CREATE TEMP TABLE skill_parties (interaction VARCHAR, shape VARCHAR, party VARCHAR, "
    "developer VARCHAR, name VARCHAR, privacy_policy VARCHAR, source VARCHAR)"
)


@dataclass
class Ledger:
    """An open ledger: a read-only DuckDB connection over its tables, and its ``meta``.

    Use it as a context manager (or call :meth:`close`) to release the file.
    """

    path: Path
    con: duckdb.DuckDBPyConnection = field(repr=False)
    meta: dict[str, str]

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_ledger(path: str | Path) -> Ledger:
    """Open a ledger built by ``tracer ledger build``: a ``.duckdb`` file or a Parquet folder.

    >>> import tempfile, pathlib
    >>> from tracer.ledger import build, open_ledger, write_synthetic_log
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> log = write_synthetic_log(folder / "log", users=3, events=40, seed=1)
    >>> _ = build(log.events, log.requests, output=folder / "l.duckdb")
    >>> with open_ledger(folder / "l.duckdb") as ledger:
    ...     ledger.meta["events"]
    '40'
    """
    path = Path(path)
    if not path.exists():
        raise LedgerError(f"{path}: no such ledger (build one with `tracer ledger build`)")
    mode = path.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # DuckDB would wait on a FIFO for ever
        raise LedgerError(f"{path}: not a ledger: it is {kind_of(mode)}, not a regular file")
    try:
        if path.is_dir():
            con = duckdb.connect()
            for table in TABLES:
                files = path / table
                if not files.exists():
                    raise LedgerError(f"{path}: not a ledger folder (no {table}/)")
                target = str(files / "*.parquet").replace("'", "''")
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{target}')")
        else:
            con = duckdb.connect(str(path), read_only=True)
        con.execute("SET TimeZone = 'UTC'")
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error as error:
        raise LedgerError(f"{path}: not a ledger ({str(error).splitlines()[0]})") from None
    if meta.get("format") != LEDGER_FORMAT:
        con.close()
        found = meta.get("format")
        if isinstance(found, str) and found.startswith("tracer-ledger/"):
            raise LedgerError(
                f"{path}: a {found} ledger, made by another version of tracer: this one reads"
                f" {LEDGER_FORMAT}; build it again with `tracer ledger build`"
            )
        raise LedgerError(f"{path}: not a {LEDGER_FORMAT} ledger (format {found!r})")
    if path.is_dir():
        if not (path / "skill_parties").exists():  # Spark reads no catalogue
            con.execute(SKILL_PARTIES)
        con.execute(COPIES_VIEW)
    return Ledger(path, con, meta)
