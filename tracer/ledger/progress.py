"""How far a build has come: its stages in order, each a share of the whole, and within a long
DuckDB statement, DuckDB's own progress through it, told as one fraction that only grows, from 0
at the start to 1 at the end.

>>> told = []
>>> tracker = Tracker(lambda stage, done: told.append((stage, round(done, 2))))
>>> tracker.stage("reading the log")
>>> tracker.stage("tracing outcomes", label="tracing 3 outcomes")
>>> tracker.finish()
>>> told
[('reading the log', 0.0), ('tracing 3 outcomes', 0.9), ('done', 1.0)]
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

__all__ = ["DUCKDB_STAGES", "SPARK_STAGES", "Progress", "Tracker"]

Progress = Callable[[str, float], None]
"""Told the current stage's label and the build's fraction done (0 to 1, never less than before)."""

# each stage's share of a DuckDB build, from a profile at ten million events (docs/performance.md)
DUCKDB_STAGES = {
    "reading the log": 0.35,
    "mapping events to outcomes": 0.55,
    "tracing outcomes": 0.04,
    "writing the ledger": 0.06,
}
SPARK_STAGES = {"starting Spark": 0.1, **{k: v * 0.9 for k, v in DUCKDB_STAGES.items()}}
POLL_SECONDS = 0.2  # how often DuckDB is asked how far a running statement has come


class Tracker:
    """Tells ``progress`` (if any) where a build is: at each stage's start, and while a statement
    given to :meth:`run` runs, DuckDB's own progress through it, polled from a second thread (the
    work itself stays in DuckDB's hands)."""

    def __init__(self, progress: Progress | None, stages: Mapping[str, float] = DUCKDB_STAGES):
        self._progress = progress
        self._spans: dict[str, tuple[float, float]] = {}
        start = 0.0
        for name, share in stages.items():
            self._spans[name] = (start, share)
            start += share
        self._span = (0.0, 0.0)
        self._within = 0.0  # how much of the current stage is done, 0 to 1
        self._done = 0.0
        self._label = ""
        self._lock = threading.Lock()

    def stage(self, name: str, *, label: str | None = None) -> None:
        """A stage starts (one of the stages given), shown as ``label`` (default its name)."""
        with self._lock:
            self._span = self._spans[name]
            self._within = 0.0
            self._label = label or name
        self._tell(self._span[0])

    def run(self, con, sql: str, *, share: float):
        """Execute ``sql`` on ``con``, a statement that is ``share`` of the current stage."""
        if self._progress is None:
            return con.execute(sql)
        base = self._within
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(POLL_SECONDS):
                percent = con.query_progress()  # -1 while DuckDB cannot tell
                if percent >= 0:
                    self._advance(base + share * min(percent, 100.0) / 100.0)

        poller = threading.Thread(target=poll, name="ledger-progress", daemon=True)
        poller.start()
        try:
            result = con.execute(sql)
        finally:
            stop.set()
            poller.join()
        self._advance(base + share)
        return result

    def finish(self) -> None:
        """The build is done."""
        with self._lock:
            self._label = "done"
        self._tell(1.0)

    def _advance(self, within: float) -> None:
        with self._lock:
            self._within = max(self._within, min(within, 1.0))
            start, share = self._span
            fraction = start + share * self._within
        self._tell(fraction)

    def _tell(self, fraction: float) -> None:
        if self._progress is None:
            return
        with self._lock:
            self._done = max(self._done, min(fraction, 1.0))
            label, done = self._label, self._done
            self._progress(label, done)
