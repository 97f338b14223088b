"""What can be wrong with a log: a bad row (table, row number, reason) and the ledger's error.

>>> str(BadRow("events", 3, "unknown interaction 'pizza'"))
"events row 3: unknown interaction 'pizza'"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracer.errors import TracerError

__all__ = ["BadRow", "LedgerError"]


@dataclass(frozen=True, order=True)
class BadRow:
    """One row of a log that the build skipped: its table, its 1-based data row, and why."""

    table: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row}: {self.reason}"

    def to_dict(self) -> dict:
        return {"table": self.table, "row": self.row, "reason": self.reason}


class LedgerError(TracerError):
    """A log or ledger that cannot be used: unreadable, missing columns, or bad rows under
    ``--strict``. ``bad_rows`` lists the rows at fault, when there are some."""

    def __init__(self, message: str, bad_rows: Sequence[BadRow] = ()):
        self.bad_rows = tuple(bad_rows)
        shown = "".join(f"\n  {row}" for row in self.bad_rows[:20])
        more = len(self.bad_rows) - 20
        super().__init__(message + shown + (f"\n  ... and {more} more" if more > 0 else ""))
