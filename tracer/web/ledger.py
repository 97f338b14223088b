"""The explorer's user search over a ledger (``tracer serve --ledger FILE``): one person's
copies by party and status, exactly as ``tracer ledger holds --format json`` gives them, and the
erasure letters that person can send (as ``tracer ledger erasure --letters`` writes them).

The ledger is opened once, when the app is made (a bad path fails ``tracer serve`` at once),
and asked one question at a time: its DuckDB connection is not shared between threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import UnknownIdError
from ..ledger import LedgerError, holds, open_ledger
from ..ledger.letters import Letter, erasure_letters

__all__ = ["UserSearch"]


class UserSearch:
    """A ledger, open for the app's lifetime, answering :meth:`holds` for one user at a time.

    >>> import tempfile, pathlib
    >>> from tracer.ledger import build, write_synthetic_log
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> log = write_synthetic_log(folder, users=2, events=10, seed=3)
    >>> _ = build(log.events, log.requests, output=folder / "l.duckdb")
    >>> search = UserSearch(folder / "l.duckdb")
    >>> search.about()["events"], sorted(search.holds("u00001"))
    (10, ['at', 'copies', 'parties', 'user'])
    >>> [letter.party for letter in search.letters("u00001")][:1]
    ['ad_partners']
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._ledger = open_ledger(self.path)
        self._lock = threading.Lock()

    def about(self) -> dict:
        """What the page says about the ledger: its file, query time, and how much it holds."""
        meta = self._ledger.meta
        return {
            "file": self.path.name,
            "at": meta.get("at"),
            "events": int(meta.get("events", 0)),
            "users": int(meta.get("users", 0)),
        }

    def _known(self, user: str) -> None:
        known = self._ledger.con.execute(
            'SELECT count(*) FROM events WHERE "user" = ?', [user]
        ).fetchone()[0]
        if not known:
            raise UnknownIdError("user", user, ())

    def letters(self, user: str) -> list[Letter]:
        """One erasure letter per party that may still hold this user's copies
        (:func:`tracer.ledger.letters.erasure_letters`), in party order."""
        with self._lock:
            self._known(user)
            return erasure_letters(self._ledger, user)

    def holds(self, user: str, *, record: str | None = None, party: str | None = None) -> dict:
        """This user's copies by party and status (:func:`tracer.ledger.holds`); an unknown
        user is an :class:`~tracer.errors.UnknownIdError`, so the app answers 404."""
        with self._lock:
            self._known(user)
            try:
                return holds(self._ledger, user, record=record, party=party)
            except LedgerError as error:  # pragma: no cover - the user was found just above
                raise UnknownIdError("user", user, ()) from error
