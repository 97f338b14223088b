"""The ledger: who holds *this person's* records, over a real history, at any scale.

This package owns everything about logs of what really happened (DESIGN.md section 9): reading
and checking the ``events`` and ``requests`` tables (:mod:`~tracer.ledger.logs`), the outcome
keys that make a build fast (:mod:`~tracer.ledger.outcomes`), the engines that map events to
outcomes (:mod:`~tracer.ledger.engines`: DuckDB, Spark), the stored ledger
(:mod:`~tracer.ledger.store`), the questions asked of it (:mod:`~tracer.ledger.queries`), the
erasure letters a person sends to the parties that may still hold their copies
(:mod:`~tracer.ledger.letters`) and synthetic logs for demos and benchmarks
(:mod:`~tracer.ledger.synth`). The ledger is exactly, for every event, :func:`tracer.trace` of
its interaction with its requests, every time taken relative to the event in whole days.
"""

from __future__ import annotations

from .build import BuildResult, build
from .letters import Letter, erasure_letters, write_letters
from .outcomes import Timeline
from .problems import BadRow, LedgerError
from .queries import erasure, holds, summary
from .store import Ledger, open_ledger
from .synth import SyntheticLog, write_synthetic_log

__all__ = [
    "BadRow",
    "BuildResult",
    "Ledger",
    "LedgerError",
    "Letter",
    "SyntheticLog",
    "Timeline",
    "build",
    "erasure",
    "erasure_letters",
    "holds",
    "open_ledger",
    "summary",
    "write_letters",
    "write_synthetic_log",
]
