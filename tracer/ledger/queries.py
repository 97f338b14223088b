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

import json
from functools import lru_cache

from tracer.errors import UnknownIdError
from tracer.model import Model
from tracer.model.loading import parse_model
from tracer.skills.outcomes import DEVELOPER

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
    # a shape's copies name their developer {developer}: the skills' own parties stand for it
    known = [
        row[0]
        for row in ledger.con.execute(
            f"SELECT DISTINCT {column} FROM outcome_copies WHERE {column} <> '{DEVELOPER}' "
            + ("UNION SELECT DISTINCT party FROM skill_parties " if column == "party" else "")
            + "ORDER BY 1"
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
        """WITH counts AS (
               SELECT e.outcome, sp.party AS developer, count(*) AS n
               FROM events e LEFT JOIN skill_parties sp ON sp.interaction = e.interaction
               GROUP BY e.outcome, sp.party)
           SELECT party, record, status, CAST(sum(n) AS BIGINT) AS copies FROM (
               SELECT CASE WHEN c.party = '{developer}' THEN developer ELSE c.party END
                        AS party, c.record, c.status, n
               FROM counts JOIN outcome_copies c ON c.outcome = counts.outcome)
           GROUP BY party, record, status ORDER BY party, record, status"""
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


def _shapes_of(ledger: Ledger) -> dict[str, tuple]:
    """Each shape of catalogue skill the ledger's events name (kept in its meta by the build):
    the shape's first skill, and the model instantiated for it."""
    text = ledger.meta.get("skill_shapes")
    if not text:
        return {}
    from tracer.skills import Skill, instantiate

    model = model_of(ledger)
    found = {}
    for shape, fields in json.loads(text).items():
        skill = Skill(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
        found[shape] = (skill, instantiate(model, [skill]))
    return found


def _developer(ledger: Ledger, party: str, names: dict[str, str]) -> str:
    """A developer party's name (from skill_parties); the id when none is known."""
    if party not in names:
        row = ledger.con.execute(
            "SELECT any_value(developer) FROM skill_parties WHERE party = ?", [party]
        ).fetchone()
        names[party] = row[0] if row and row[0] else party
    return names[party]


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
    if "thresholds" in ledger.meta:  # the retention days the catalogue's skills added
        timeline = Timeline(tuple(json.loads(ledger.meta["thresholds"])), timeline.scheduled)
    # a catalogue skill's event has its shape's outcome and its own developer (skill_parties)
    events = ledger.con.execute(
        """SELECT o.key, e.days, e.age, sp.party, count(*) FROM events e
           JOIN outcomes o USING (outcome)
           LEFT JOIN skill_parties sp ON sp.interaction = e.interaction
           WHERE e."user" = ? GROUP BY o.key, e.days, e.age, sp.party
           ORDER BY o.key, e.days, e.age, sp.party""",
        [user],
    ).fetchall()
    traced: dict[str, list] = {}
    shapes = _shapes_of(ledger)

    def copies_of(key: str, days: tuple[int, ...], age: int) -> list:
        if key not in traced:
            interaction, _, rest = key.partition("|")
            if interaction in shapes:
                from tracer.skills.outcomes import placeheld

                skill, instantiated = shapes[interaction]
                found = outcome_copies(instantiated, f"{skill.interaction}|{rest}", days, age)
                traced[key] = placeheld(found, skill, key)
            else:
                traced[key] = outcome_copies(model, key, days, age)
        return traced[key]

    def party_of(copy, developer: str | None) -> str:
        return developer if copy.party == DEVELOPER and developer else copy.party

    options = []
    for request, spec in sorted(model.deletions.items()):
        if not _own_option(model, spec):
            continue
        parties: dict[str, dict[str, int]] = {}
        remaining = 0
        for outcome, days, age, developer, count in events:
            interaction, _, pairs = parse_key(outcome)
            past = [(name, day) for (name, _), day in zip(pairs, days, strict=True)]
            key, new_days = timeline.key(interaction, age, [*past, (request, age)])
            for copy in copies_of(key, new_days, age):
                if copy.status in ("held", "may_remain"):
                    remaining += count
                    who = party_of(copy, developer)
                    counts = parties.setdefault(who, {"held": 0, "may_remain": 0})
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
    names: dict[str, str] = {}
    for outcome, days, age, developer, count in events:
        for copy in copies_of(outcome, tuple(days), age):
            if copy.status != "transient":
                for who in copy.access:
                    who = developer if who == DEVELOPER and developer else who
                    if who not in excluded:
                        recipients[who] = recipients.get(who, 0) + count
    return {
        "user": user,
        "at": ledger.meta["at"],
        "events": sum(row[4] for row in events),
        "options": options,
        "recipients": [
            {
                "party": who,
                "name": model.parties[who].name
                if who in model.parties
                else _developer(ledger, who, names),
                "copies": n,
            }
            for who, n in sorted(recipients.items())
        ],
    }
