"""Questions asked of a built ledger: what one user's records are and who holds them
(:func:`holds`), how many copies of what remain across all users (:func:`summary`), and what
each of a user's own deletion options would still leave, and whom an erasure must be passed to
(:func:`erasure`, GDPR Art. 19). Each returns plain data, ready for JSON.

>>> import tempfile, pathlib
>>> from tracer.ledger import build, open_ledger, write_synthetic_log
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> log = write_synthetic_log(folder, users=2, events=20, seed=3)
>>> _ = build(log.events, log.requests, output=folder / "l.duckdb")
>>> with open_ledger(folder / "l.duckdb") as ledger:
...     sorted(holds(ledger, "u00001"))
['at', 'copies', 'parties', 'user']
"""

from __future__ import annotations

from functools import lru_cache

from tracer.errors import UnknownIdError
from tracer.model import Model
from tracer.model.loading import parse_model

from .outcomes import Timeline, outcome_copies, parse_key
from .problems import LedgerError
from .store import Ledger

__all__ = ["erasure", "holds", "model_of", "summary"]

COPY_FIELDS = (
    "event",
    "interaction",
    "id",
    "holder",
    "record",
    "party",
    "status",
    "reason",
    "evidence",
    "confidence",
)


def _known_user(ledger: Ledger, user: str) -> None:
    found = ledger.con.execute('SELECT count(*) FROM events WHERE "user" = ?', [user]).fetchone()[0]
    if not found:
        raise LedgerError(f"no events of user {user!r} in the ledger {ledger.path}")


def _check_id(ledger: Ledger, column: str, value: str | None, kind: str) -> None:
    if value is None:
        return
    known = [
        row[0]
        for row in ledger.con.execute(
            f"SELECT DISTINCT {column} FROM outcome_copies ORDER BY 1"
        ).fetchall()
    ]
    if value not in known:
        raise UnknownIdError(kind, value, known)


def holds(
    ledger: Ledger, user: str, *, record: str | None = None, party: str | None = None
) -> dict:
    """This user's copies (all but transient ones), sorted by event then id, and per party
    (by access) the copy ids it still holds or may still hold of this user.

    Shape: ``{"user", "at", "copies": [{"event", "interaction", "id", "holder", "record",
    "party", "status", "reason", "evidence", "confidence"}], "parties": {party: {"held": [...],
    "may_remain": [...]}}}``.
    """
    _check_id(ledger, "record", record, "record")
    _check_id(ledger, "party", party, "party")
    where = ['"user" = ?', "status <> 'transient'"]
    params: list[str] = [user]
    for column, value in (("record", record), ("party", party)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = ledger.con.execute(
        f"SELECT {', '.join(COPY_FIELDS)}, access FROM copies WHERE {' AND '.join(where)} "
        "ORDER BY event, id",
        params,
    ).fetchall()
    if not rows:
        _known_user(ledger, user)  # a user with only transient copies, or none of this record
    copies = []
    parties: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        copy = dict(zip(COPY_FIELDS, row, strict=False))
        copy["evidence"] = list(copy["evidence"])
        copies.append(copy)
        if copy["status"] in ("held", "may_remain"):
            for who in row[-1]:
                lists = parties.setdefault(who, {"held": set(), "may_remain": set()})
                lists[copy["status"]].add(copy["id"])
    return {
        "user": user,
        "at": ledger.meta["at"],
        "copies": copies,
        "parties": {
            who: {"held": sorted(lists["held"]), "may_remain": sorted(lists["may_remain"])}
            for who, lists in sorted(parties.items())
        },
    }


def summary(ledger: Ledger) -> dict:
    """Counts of copies by party, record and status across all users (each outcome's copies
    times the events with that outcome: no per-event rows are made)."""
    rows = ledger.con.execute(
        """WITH counts AS (SELECT outcome, count(*) AS n FROM events GROUP BY outcome)
           SELECT c.party, c.record, c.status, CAST(sum(n) AS BIGINT) AS copies
           FROM counts JOIN outcome_copies c ON c.outcome = counts.outcome
           GROUP BY c.party, c.record, c.status ORDER BY c.party, c.record, c.status"""
    ).fetchall()
    meta = ledger.meta
    return {
        "model": meta["model"],
        "at": meta["at"],
        "events": int(meta["events"]),
        "users": int(meta["users"]),
        "skipped": int(meta["skipped"]),
        "rows": [
            {"party": party, "record": record, "status": status, "copies": copies}
            for party, record, status, copies in rows
        ],
    }


def model_of(ledger: Ledger) -> Model:
    """The model the ledger was built with (its text is kept in the ledger)."""
    return _parse(ledger.meta["model_text"], ledger.meta["model"])


@lru_cache(maxsize=8)
def _parse(text: str, name: str) -> Model:
    return parse_model(text, name=f"<model of the ledger: {name}>")


def _own_option(model: Model, spec) -> bool:
    """Whether the user can make this request: not scheduled, and not made by another party
    (a regulator's order carried out by the platform is no option of the user's)."""
    if spec.after is not None:
        return False
    by = model.parties.get(spec.by) if spec.by is not None else None
    return spec.by is None or (by is not None and by.role == "data_subject")


def erasure(ledger: Ledger, user: str) -> dict:
    """What each of the user's own deletion options (the model's unscheduled requests that no
    other party makes), made now, at the ledger's time, on all of the user's events, would still
    leave, by party; and the recipients to pass an erasure on to (GDPR Art. 19): every party
    other than the platform and the user that can access a copy of the user's records, with the
    copies it can access."""
    _known_user(ledger, user)
    model = model_of(ledger)
    timeline = Timeline.of(model)
    events = ledger.con.execute(
        """SELECT o.key, e.days, e.age, count(*) FROM events e JOIN outcomes o USING (outcome)
           WHERE e."user" = ? GROUP BY o.key, e.days, e.age ORDER BY o.key, e.days, e.age""",
        [user],
    ).fetchall()
    traced: dict[str, list] = {}

    def copies_of(key: str, days: tuple[int, ...], age: int) -> list:
        if key not in traced:
            traced[key] = outcome_copies(model, key, days, age)
        return traced[key]

    options = []
    for request, spec in sorted(model.deletions.items()):
        if not _own_option(model, spec):
            continue
        parties: dict[str, dict[str, int]] = {}
        remaining = 0
        for outcome, days, age, count in events:
            interaction, _, pairs = parse_key(outcome)
            past = [(name, day) for (name, _), day in zip(pairs, days, strict=True)]
            key, new_days = timeline.key(interaction, age, [*past, (request, age)])
            for copy in copies_of(key, new_days, age):
                if copy.status in ("held", "may_remain"):
                    remaining += count
                    counts = parties.setdefault(copy.party, {"held": 0, "may_remain": 0})
                    counts[copy.status] += count
        options.append(
            {
                "request": request,
                "name": spec.name,
                "remaining": remaining,
                "parties": dict(sorted(parties.items())),
            }
        )
    recipients: dict[str, int] = {}
    excluded = {key for key, p in model.parties.items() if p.role in ("platform", "data_subject")}
    for outcome, days, age, count in events:
        for copy in copies_of(outcome, tuple(days), age):
            if copy.status != "transient":
                for who in copy.access:
                    if who not in excluded:
                        recipients[who] = recipients.get(who, 0) + count
    return {
        "user": user,
        "at": ledger.meta["at"],
        "events": sum(row[3] for row in events),
        "options": options,
        "recipients": [
            {
                "party": who,
                "name": model.parties[who].name if who in model.parties else who,
                "copies": n,
            }
            for who, n in sorted(recipients.items())
        ],
    }
