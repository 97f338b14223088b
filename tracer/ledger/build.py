"""Building a ledger: the choices every engine shares (model, query time, outcomes) and
:func:`build`, which hands the log to the engine asked for.

An engine maps each event to its outcome key (:mod:`tracer.ledger.outcomes`) and its request
days; then each distinct key is traced once, in Python, with tracer's own :func:`tracer.trace`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tracer.model import Model
from tracer.render.output import check_target

from .logs import parse_timestamp
from .outcomes import trace_outcomes
from .problems import BadRow, LedgerError
from .progress import Progress
from .source import ModelSource

__all__ = ["BuildResult", "ModelSource", "Progress", "build", "trace_outcomes"]


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its counts, the bad rows it skipped (listed up to a thousand), its time."""

    output: Path | None
    at: str
    events: int
    users: int
    outcomes: int
    copies: int
    later: int  # events after the query time, left out
    skipped: int
    bad_rows: tuple[BadRow, ...]
    seconds: float = field(compare=False)

    def line(self) -> str:
        """The summary line the CLI prints at the end of a build."""
        parts = [
            f"{self.events:,} events",
            f"{self.users:,} users",
            f"{self.outcomes:,} outcomes",
            f"{self.skipped:,} skipped rows",
        ]
        if self.later:
            parts.append(f"{self.later:,} events after {self.at} left out")
        return f"ledger at {self.at}: " + ", ".join(parts) + f" in {self.seconds:.1f}s"


LOG_SUFFIXES = (".parquet", ".csv", ".jsonl")


def log_tables(
    events: str | Path, requests: str | Path | None
) -> tuple[str | Path, str | Path | None]:
    """The two tables of a log given as one folder that holds ``events.*`` and ``requests.*``
    (as ``tracer ledger synth -o DIR`` writes it); anything else as it is given (a folder of
    Parquet files is then the events table itself).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("events.csv", "requests.csv"):
    ...     _ = (folder / name).write_text("")
    >>> [path.name for path in log_tables(folder, None)]
    ['events.csv', 'requests.csv']
    """
    folder = Path(events)
    if requests is not None or not folder.is_dir():
        return events, requests
    tables = []
    for table in ("events", "requests"):
        found = [folder / f"{table}{suffix}" for suffix in LOG_SUFFIXES]
        tables.append(next((path for path in found if path.is_file()), None))
    if tables[0] is None:
        return events, requests
    return tables[0], tables[1]


def build(
    events: str | Path,
    requests: str | Path | None = None,
    *,
    model: Model | str | Path | None = None,
    at: str | None = None,
    engine: str = "duckdb",
    output: str | Path | None = None,
    strict: bool = False,
    master: str | None = None,
    progress: Progress | None = None,
    mkdir: bool = False,
    catalogue=None,
) -> BuildResult:
    """Build the ledger of the ``events`` log (and its ``requests``) with ``engine``.

    ``catalogue`` (a :class:`tracer.skills.Catalogue` or its path) lets events name a
    catalogue skill as their interaction (``skill:ID``).
    ``events`` may be a folder holding both tables (:func:`log_tables`). ``at`` is the query time
    (ISO 8601; default the latest time in the log). The DuckDB engine
    writes a ``.duckdb`` file (in memory when ``output`` is None); Spark writes a Parquet folder.
    ``progress`` is told the current stage and the build's fraction done (0 to 1, never less than
    before: :mod:`tracer.ledger.progress`), as each stage starts and, with DuckDB, every fifth of
    a second of a long statement. The output is checked before
    anything is read (:func:`tracer.render.output.check_target`): it may not be the model file
    or a symbolic link, and its folder must exist unless ``mkdir``.

    >>> import tempfile, pathlib
    >>> from tracer.ledger import write_synthetic_log
    >>> log = write_synthetic_log(pathlib.Path(tempfile.mkdtemp()), users=2, events=30, seed=4)
    >>> result = build(log.events, log.requests)
    >>> result.events, result.users, result.skipped
    (30, 2, 0)
    """
    started = time.perf_counter()
    events, requests = log_tables(events, requests)
    if at is not None:  # a time of the wrong kind is said before the log is read
        parse_timestamp(at)
    source = ModelSource.of(model).with_catalogue(catalogue)
    if output is not None:
        output = check_target(output, protect=source.protected, mkdir=mkdir)
        if mkdir:
            output.parent.mkdir(parents=True, exist_ok=True)
            # the new folders may resolve elsewhere: check again
            output = check_target(output, protect=source.protected)
    if engine == "duckdb":
        from .engines.duckdb import build_duckdb

        result = build_duckdb(
            source, events, requests, at=at, output=output, strict=strict, progress=progress
        )
    elif engine == "spark":
        from .engines.spark import build_spark

        if output is None:
            raise LedgerError("the Spark engine writes a Parquet folder: give -o FOLDER")
        if source.catalogue is not None:
            raise LedgerError("a skill catalogue (-c) is read by the DuckDB engine only")
        result = build_spark(
            source,
            events,
            requests,
            at=at,
            output=output,
            strict=strict,
            master=master,
            progress=progress,
        )
    else:
        raise LedgerError(f"unknown engine {engine!r}: use duckdb or spark")
    return BuildResult(**{**result, "seconds": time.perf_counter() - started})
