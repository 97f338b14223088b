"""Outcomes: what an event's trace depends on, as a key, and the copies of each key, traced once.

``trace()`` of one event depends on its interaction, on the requests that apply before the query
time (each request's *earliest* time only: applying the same request again later changes nothing,
since a copy a request could not remove then it cannot remove later), on their *order* (by day,
then id, as ``trace()`` applies them), and on where each request's day and the query's day fall
between the model's retention periods (a copy with a 90-day rule is still removable on day 89,
expired on day 90). Nothing else: so events with the same key have the same copies and statuses.
Only a deleted copy's reason names a day (``deleted by wipe at 12d``): an outcome stores that
reason split around the day, and which of the event's request days (its *slot*) fills it.

>>> from tracer.model.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {note: {name: Note}}
... holders:
...   inbox: {name: Inbox, party: acme, keeps: {note: {for: 90d, deleted_by: [wipe]}}}
... interactions: {write: {name: Write a note, starts: {inbox: [note]}}}
... deletions: {wipe: {name: Wipe the inbox}}
... ''')
>>> timeline = Timeline.of(model)
>>> timeline.key("write", 100, [("wipe", 12), ("wipe", 40)])
('write|1|wipe:0', (12,))
>>> [(c.status, c.reason(days=(12,))) for c in outcome_copies(model, "write|1|wipe:0", (12,), 100)]
[('deleted', 'deleted by wipe at 12d')]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from tracer.model import Model
from tracer.model.durations import format_days
from tracer.tracing import Request, trace

from .problems import LedgerError

__all__ = ["OutcomeCopy", "Timeline", "outcome_copies", "parse_key", "trace_outcomes"]


@dataclass(frozen=True)
class Timeline:
    """The days where a model's answers change (its retention periods) and its schedules."""

    thresholds: tuple[int, ...]  # sorted distinct retention durations, in days
    scheduled: dict[str, int]  # request id -> its `after`, for scheduled requests

    @classmethod
    def of(cls, model: Model) -> Timeline:
        days = {
            rule.period.days
            for holder in model.holders.values()
            for rule in holder.keeps.values()
            if rule.period.kind == "duration" and rule.period.days is not None
        }
        scheduled = {
            key: spec.after for key, spec in model.deletions.items() if spec.after is not None
        }
        return cls(tuple(sorted(days)), scheduled)

    def bucket(self, day: int) -> int:
        """How many retention periods have run out by ``day``."""
        return bisect_right(self.thresholds, day)

    def bucket_sql(self, expression: str) -> str:
        """:meth:`bucket` as a SQL expression (DuckDB and Spark SQL alike)."""
        if not self.thresholds:
            return "0"
        cases = " ".join(
            f"WHEN {expression} >= {day} THEN {index}"
            for index, day in reversed(list(enumerate(self.thresholds, start=1)))
        )
        return f"(CASE {cases} ELSE 0 END)"

    def key(
        self, interaction: str, query: int, requests: Iterable[tuple[str, int]]
    ) -> tuple[str, tuple[int, ...]]:
        """The outcome key of an event, and its slot days: the reference the engines follow.

        ``requests`` are (request id, day) relative to the event; those after ``query`` do not
        apply, and of one request only its earliest day counts.
        """
        earliest: dict[str, int] = {}
        for request, day in requests:
            if day <= query and day < earliest.get(request, day + 1):
                earliest[request] = day
        ordered = sorted(earliest.items(), key=lambda item: (item[1], item[0]))
        parts = [interaction, str(self.bucket(query))]
        parts += [f"{request}:{self.bucket(day)}" for request, day in ordered]
        return "|".join(parts), tuple(day for _, day in ordered)


def parse_key(key: str) -> tuple[str, int, tuple[tuple[str, int], ...]]:
    """(interaction, query bucket, ((request, bucket), ...)) of an outcome key.

    >>> parse_key("dominos-order|2|delete-recording:0|auto-delete-3mo:1")
    ('dominos-order', 2, (('delete-recording', 0), ('auto-delete-3mo', 1)))
    """
    interaction, query, *requests = key.split("|")
    pairs = tuple((r.rpartition(":")[0], int(r.rpartition(":")[2])) for r in requests)
    return interaction, int(query), pairs


@dataclass(frozen=True)
class OutcomeCopy:
    """One copy of an outcome: the same for every event with that outcome, but for the day a
    deleted copy's reason names, which is the event's request day at ``slot``."""

    outcome: str
    id: str
    holder: str
    record: str
    party: str
    status: str
    reason_head: str
    reason_tail: str
    slot: int | None
    evidence: tuple[str, ...]
    confidence: str
    access: tuple[str, ...]

    def reason(self, *, days: tuple[int, ...]) -> str:
        """The reason for an event whose request days (in key order) are ``days``."""
        if self.slot is None:
            return self.reason_head
        return self.reason_head + format_days(days[self.slot]) + self.reason_tail


def outcome_copies(model: Model, key: str, days: tuple[int, ...], query: int) -> list[OutcomeCopy]:
    """Trace one outcome, given one event's request days and query day (any event of the key)."""
    interaction, _, pairs = parse_key(key)
    requests = [Request(request, day) for (request, _), day in zip(pairs, days, strict=True)]
    result = trace(model, interaction, requests, at=query)
    copies = []
    for copy in result.copies:
        head, tail, slot = copy.reason, "", None
        if copy.status == "deleted" and copy.ended is not None:
            head, tail, slot = _split_reason(copy.reason, copy.ended, pairs, days)
        copies.append(
            OutcomeCopy(
                outcome=key,
                id=copy.id,
                holder=copy.holder,
                record=copy.record,
                party=copy.party,
                status=copy.status,
                reason_head=head,
                reason_tail=tail,
                slot=slot,
                evidence=copy.evidence,
                confidence=copy.confidence,
                access=copy.access,
            )
        )
    return copies


def _split_reason(
    reason: str, day: int, pairs: tuple[tuple[str, int], ...], days: tuple[int, ...]
) -> tuple[str, str, int]:
    """Split a deleted copy's reason around its day; the slot of the request that deleted it."""
    slots = [slot for slot, value in enumerate(days) if value == day]
    if len(slots) > 1:  # two requests on that day: the reason names the one that deleted it
        slots = [
            slot
            for slot in slots
            if f"deleted by {pairs[slot][0]} at " in reason
            or f": {pairs[slot][0]} deleted " in reason
        ]
    text = format_days(day)
    if slots and reason.startswith(f"deleted at {text}:"):
        return "deleted at ", reason[len("deleted at ") + len(text) :], slots[0]
    if slots and reason.endswith(f" at {text}"):
        return reason[: -len(text)], "", slots[0]
    raise LedgerError(f"cannot tell which request deleted a copy ({reason!r}): a bug in tracer")


def trace_outcomes(
    model: Model, samples: Iterable[tuple[str, Iterable[int], int]], shapes=None
) -> list[OutcomeCopy]:
    """The copies of each outcome, from one sample event's (key, days, age) per outcome. An
    outcome of a shape of catalogue skills (``skill-shape:N``, :class:`tracer.skills.outcomes.
    Shapes`) is traced for the shape's first skill and stored with ``{skill}`` and
    ``{developer}`` in its place: one trace for every skill of that shape."""
    copies: list[OutcomeCopy] = []
    models: dict[str, Model] = {}
    for key, days, age in samples:
        interaction, _, rest = key.partition("|")
        if shapes is None or interaction not in shapes.first:
            copies.extend(outcome_copies(model, key, tuple(days), age))
            continue
        from tracer.skills import instantiate
        from tracer.skills.outcomes import placeheld

        skill = shapes.first[interaction]
        if interaction not in models:
            models[interaction] = instantiate(model, [skill])
        traced = outcome_copies(
            models[interaction], f"{skill.interaction}|{rest}", tuple(days), age
        )
        copies.extend(placeheld(traced, skill, key))
    return copies
