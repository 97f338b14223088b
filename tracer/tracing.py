"""Tracing an interaction: every copy it creates, and what deletion requests leave of them.

Follows the semantics of docs/format.md (Semantics) to the letter:

1. *Trace*: from the interaction's start copies, follow the active edges (all ``when`` tags
   present) breadth first; each copy keeps its first path (fewest edges, ties by file order).
2. *Retention*: a copy's rule is its holder's ``keeps[record]``; ``for: none`` is transient; no
   rule means an unknown time.
3. *Time*: the interaction is at day 0; a request at the time given (``REQ@30d``) or, when
   scheduled, at its ``after``; the query time defaults to the latest request.
4. *Deletion*: in time order, each request deletes the copies whose rule lists it in
   ``deleted_by`` and marks may-remain those listing it in ``unclear_for``, then spreads along
   ``propagated`` (delete) and ``unclear`` (may remain) edges. Deleted beats may remain.
5. *Status*: ``held``, ``may_remain``, ``deleted``, ``expired`` or ``transient``, with a reason.
6. *Access*: the holder's access list; per party, the copies still ``held`` or ``may_remain``.

>>> from tracer.model.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {note: {name: Note}}
... holders:
...   inbox: {name: Inbox, party: acme, keeps: {note: {for: until_deleted, deleted_by: [wipe]}}}
... interactions: {write: {name: Write a note, starts: {inbox: [note]}}}
... deletions: {wipe: {name: Wipe the inbox}}
... ''')
>>> [(c.id, c.status) for c in trace(model, "write").copies]
[('inbox/note', 'held')]
>>> [(c.id, c.status, c.reason) for c in trace(model, "write", ["wipe@2d"]).copies]
[('inbox/note', 'deleted', 'deleted by wipe at 2d')]
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import RequestError, UnknownIdError
from .graph import CopyKey, Edge, Step, edge_index
from .model import Model, Retention
from .model.durations import LIMIT, MAX_DAYS, format_days, parse_duration

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "trace_graph",
    "SURENESS",
    "STATUSES",
    "Copy",
    "PartyAccess",
    "Request",
    "Trace",
    "holders_of",
    "parse_request",
    "parse_time",
    "trace",
]

STATUSES = ("held", "may_remain", "deleted", "expired", "transient")

# Confidences, surest first: a copy is as sure as the least sure rule it rests on.
SURENESS = ("stated", "law", "reported", "research", "alleged", "assumed", "unknown")


@dataclass(frozen=True)
class Request:
    """A deletion request applied at a time (days after the interaction)."""

    id: str
    at: int

    def to_dict(self) -> dict:
        return {"id": self.id, "at": format_days(self.at)}


@dataclass(frozen=True)
class Copy:
    """One record at one holder, and its status at the query time."""

    id: str
    holder: str
    record: str
    party: str
    status: str
    reason: str
    path: tuple[str, ...]
    feeds: tuple[str, ...]
    access: tuple[str, ...]
    evidence: tuple[str, ...]
    confidence: str
    retention: str  # the rule's period ("until_deleted", "90d", ...), or "unknown" when none
    ended: int | None = None  # the day it was deleted or expired, if it was
    # the least sure of the rules it rests on: its status's rule and each edge of its path
    footing: str = "unknown"

    @property
    def remains(self) -> bool:
        """Whether someone may still access it: ``held`` or ``may_remain``."""
        return self.status in ("held", "may_remain")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "holder": self.holder,
            "record": self.record,
            "party": self.party,
            "status": self.status,
            "reason": self.reason,
            "path": list(self.path),
            "access": list(self.access),
            "evidence": list(self.evidence),
            "confidence": self.confidence,
            "footing": self.footing,
        }


@dataclass(frozen=True)
class PartyAccess:
    """The copies one party can still access."""

    held: tuple[str, ...] = ()
    may_remain: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trace:
    """Where an interaction's records went, and their status after the requests applied."""

    model: str
    interaction: str
    requests: tuple[Request, ...]
    at: int
    copies: tuple[Copy, ...]
    parties: dict[str, PartyAccess]
    edges: tuple[tuple[str, str, str], ...] = field(repr=False)  # (from copy, to copy, edge id)

    def copy(self, copy_id: str) -> Copy:
        """The copy with id ``holder/record``; UnknownIdError if the trace has none."""
        for copy in self.copies:
            if copy.id == copy_id:
                return copy
        raise UnknownIdError("copy", copy_id, (c.id for c in self.copies))

    def to_dict(self) -> dict:
        """The JSON shape of docs/format.md (JSON output), sorted: the same bytes every time."""
        return {
            "model": self.model,
            "interaction": self.interaction,
            "requests": [request.to_dict() for request in self.requests],
            "at": format_days(self.at),
            "copies": [copy.to_dict() for copy in self.copies],
            "parties": {
                party: {"held": list(access.held), "may_remain": list(access.may_remain)}
                for party, access in sorted(self.parties.items())
            },
        }


def parse_time(text: str | int) -> int:
    """A time after the interaction, in days: ``30d``, ``3mo``, ``1y`` (or a whole number of days).

    >>> parse_time("3mo"), parse_time(7)
    (90, 7)
    >>> parse_time("99999999999y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tracer.errors.RequestError: '99999999999y' is too long: durations and times go up to 1000 ...
    """
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        if text > MAX_DAYS:  # not printed: str() of a 5,000-digit int is itself an error
            raise RequestError(f"a time of over {format_days(MAX_DAYS)} is too long: {LIMIT}")
        return text
    try:
        return parse_duration(text)  # type: ignore[arg-type]
    except ValueError as error:
        if isinstance(text, str) and _DATE.match(text.strip()):
            raise RequestError(
                f"{text.strip()!r} is a date, but this time counts from the interaction (day 0): "
                "write it like 30d, 3mo or 1y (a date is for a ledger of real events: "
                "tracer ledger build --at 2025-01-01)"
            ) from None
        raise RequestError(str(error)) from None


# a calendar date (ISO 8601), which a time after the interaction is not: `trace --at 2025-01-01`
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?([T ][0-9:.]+)?(Z|[+-][0-9:]+)?$")


def parse_request(model: Model, spec: str | Request) -> Request:
    """``REQ`` or ``REQ@TIME`` as a :class:`Request`; a scheduled request happens at its ``after``.

    >>> from tracer.model import Model
    >>> m = Model.model_validate({"format": "tracer/1", "name": "m", "deletions": {
    ...     "wipe": {"name": "Wipe"}, "auto-3mo": {"name": "Auto", "after": "3mo"}}})
    >>> parse_request(m, "wipe@30d"), parse_request(m, "auto-3mo"), parse_request(m, "wipe")
    (Request(id='wipe', at=30), Request(id='auto-3mo', at=90), Request(id='wipe', at=0))
    >>> parse_request(m, "auto-3mo@120d")  # switched on late
    Request(id='auto-3mo', at=120)
    """
    if isinstance(spec, Request):
        request_id, when = spec.id, parse_time(spec.at)  # bounded like a time given as text
    else:
        request_id, at_sign, time_text = spec.partition("@")
        if at_sign and not time_text.strip():
            raise RequestError(
                f"{spec!r} has no time after the @: write {request_id}@30d, "
                f"or {request_id} alone for day 0"
            )
        when = parse_time(time_text) if at_sign else None
    deletion = model.deletions.get(request_id)
    if deletion is None:
        raise UnknownIdError("deletion request", request_id, model.deletions, model=model.name)
    if deletion.after is not None:
        # switched on late, a schedule fires later (DESIGN 4.3), never earlier than its `after`
        if when is not None and when < deletion.after:
            raise RequestError(
                f"{request_id!r} is scheduled: it happens at {format_days(deletion.after)} "
                f"(or later, when switched on late), not at {format_days(when)}"
            )
        return Request(request_id, deletion.after if when is None else when)
    return Request(request_id, when or 0)


@dataclass
class _State:
    """A copy's mutable state while requests are applied."""

    key: CopyKey
    rule: Retention | None
    steps: list[Step]
    deleted: tuple[int, str, tuple[str, ...], str] | None = (
        None  # (day, reason, evidence, confidence)
    )
    unclear: tuple[str, tuple[str, ...], str] | None = None  # (reason, evidence, confidence)
    path: tuple[str, ...] = ()
    path_confidences: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.key[0]}/{self.key[1]}"

    @property
    def transient(self) -> bool:
        return self.rule is not None and self.rule.period.kind == "none"

    def expires(self) -> int | None:
        rule = self.rule
        return rule.period.days if rule is not None and rule.period.kind == "duration" else None

    def removable(self, day: int) -> bool:
        """Whether a request at ``day`` can still change it: stored, not deleted, not expired."""
        expiry = self.expires()
        return not self.transient and self.deleted is None and (expiry is None or expiry > day)


def trace(
    model: Model,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
) -> Trace:
    """Trace ``interaction`` through ``model``, apply the deletion ``requests`` (``REQ[@TIME]``),
    and give every copy's status at ``at`` (default: the latest request's time)."""
    spec = model.interactions.get(interaction)
    if spec is None:
        raise UnknownIdError("interaction", interaction, model.interactions, model=model.name)
    requests = sorted((parse_request(model, r) for r in deletions), key=lambda r: (r.at, r.id))
    query = parse_time(at) if at is not None else max((r.at for r in requests), default=0)

    walk = _walk(model, interaction)
    states = walk.fresh()
    for request in requests:
        if request.at <= query:
            _apply(request, states)
    copies = tuple(walk.copy(model, states[key], query) for key in walk.by_id)
    return Trace(
        model=model.name,
        interaction=interaction,
        requests=tuple(requests),
        at=query,
        copies=copies,
        parties=_parties(copies),
        edges=walk.edges,
    )


def holders_of(
    model: Model,
    interaction: str,
    record: str,
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
) -> tuple[Copy, ...]:
    """The copies of ``record`` in the trace of ``interaction``, sorted by holder.

    >>> import tracer
    >>> [c.id for c in holders_of(tracer.load_model(), "weather", "voice_recording")][:2]
    ['alexa_cloud/voice_recording', 'alexa_subsystems/voice_recording']
    """
    if record not in model.records:
        raise UnknownIdError("record", record, model.records, model=model.name)
    return tuple(c for c in trace(model, interaction, deletions, at).copies if c.record == record)


class _Walk:
    """An interaction's walk through a model, made once per model (:func:`_walk`): a ledger
    traces one interaction under many sets of requests, and the walk was half of each trace.

    It keeps the walk's states (in the order the walk found them, which is the order requests
    are applied in), their keys in copy-id order, the sorted edges, and the copy of each state
    no request touched: that copy depends on the query only through whether its retention had
    run out by then.
    """

    __slots__ = ("by_id", "edges", "states", "untouched")

    def __init__(self, states: tuple[_State, ...], edges: tuple[tuple[str, str, str], ...]):
        self.states = states
        self.by_id = tuple(sorted((s.key for s in states), key=lambda key: f"{key[0]}/{key[1]}"))
        self.edges = edges
        self.untouched: dict[tuple[CopyKey, bool], Copy] = {}

    def fresh(self) -> dict[CopyKey, _State]:
        """New states for one trace to mark deleted or unclear (never the walk's own)."""
        return {
            s.key: _State(s.key, s.rule, s.steps, None, None, s.path, s.path_confidences, s.feeds)
            for s in self.states
        }

    def copy(self, model: Model, state: _State, query: int) -> Copy:
        """The copy of ``state`` at ``query``; one no request touched is made once."""
        if state.deleted is not None or state.unclear is not None:
            return _copy(model, state, query)
        expiry = state.expires()
        key = (state.key, expiry is not None and expiry <= query)
        found = self.untouched.get(key)
        if found is None:  # copies are frozen: one may be shared by many traces
            found = self.untouched[key] = _copy(model, state, query)
        return found


# the walks a model keeps: a ledger traces a few interactions many times, while linting a
# model of 100,000 skills traces each of its interactions once, and must not keep them all
WALKS_KEPT = 1024


def _walk(model: Model, interaction: str) -> _Walk:
    """The walk of ``interaction``, kept on the (frozen) model (up to :data:`WALKS_KEPT`
    walks: when full, the kept ones are let go and keeping starts again)."""
    walks = model._derived.setdefault("walks", {})
    walk = walks.get(interaction)
    if walk is None:
        spec = model.interactions[interaction]
        states, edges = _reach(model, spec.starts, frozenset(spec.tags))
        walk = _Walk(tuple(states.values()), tuple(sorted(edges)))
        if len(walks) >= WALKS_KEPT:
            walks.clear()
        walks[interaction] = walk
    return walk


def _reach(
    model: Model, starts: dict[str, list[str]], tags: frozenset[str]
) -> tuple[dict[CopyKey, _State], list[tuple[str, str, str]]]:
    """Breadth-first from the start copies: each copy's state with its first path and feeds."""
    index = edge_index(model)
    states: dict[CopyKey, _State] = {}
    parent: dict[CopyKey, tuple[CopyKey, Edge] | None] = {}
    feeds: dict[CopyKey, list[str]] = {}
    edges: list[tuple[str, str, str]] = []
    queue: deque[CopyKey] = deque()
    for holder, records in starts.items():
        for record in records:
            if (holder, record) not in parent:
                parent[(holder, record)] = None
                feeds[(holder, record)] = []
                queue.append((holder, record))
    while queue:
        key = queue.popleft()
        steps = index.steps(key, tags)
        states[key] = _State(key, model.holders[key[0]].keeps.get(key[1]), steps)
        for edge, target in steps:
            edges.append((f"{key[0]}/{key[1]}", f"{target[0]}/{target[1]}", edge.key))
            if target not in parent:
                parent[target] = (key, edge)
                feeds[target] = []
                queue.append(target)
            feeds[target].append(edge.key)
    for key, state in states.items():
        state.path, state.path_confidences = _path(key, parent)
        state.feeds = tuple(sorted(set(feeds[key])))
    return states, edges


def _path(
    key: CopyKey, parent: dict[CopyKey, tuple[CopyKey, Edge] | None]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The edge ids of the copy's first path, and their confidences."""
    path: list[str] = []
    confidences: list[str] = []
    link = parent[key]
    while link is not None:
        key, edge = link
        path.append(edge.key)
        confidences.append(edge.rule.confidence)
        link = parent[key]
    return tuple(reversed(path)), tuple(confidences)


def _apply(request: Request, states: dict[CopyKey, _State]) -> None:
    """Apply one request at its time: direct deletions, then their spread, then may-remain."""
    day, name = request.at, request.id
    deleted: list[_State] = []
    for state in states.values():
        rule = state.rule
        if rule is not None and name in rule.deleted_by and state.removable(day):
            evidence, confidence, _ = rule.cited(name)
            state.deleted = (day, f"deleted by {name} at {format_days(day)}", evidence, confidence)
            deleted.append(state)
    work = list(deleted)
    while work:
        source = work.pop()
        for edge, target_key in source.steps:
            target = states[target_key]
            if edge.deletion == "propagated" and target.removable(day):
                target.deleted = (
                    day,
                    f"deleted at {format_days(day)}: {name} deleted {source.id} and "
                    f"{edge.kind} {edge.key!r} propagates deletion",
                    tuple(edge.rule.evidence),
                    edge.rule.confidence,
                )
                deleted.append(target)
                work.append(target)

    unclear: list[_State] = []

    def mark(state: _State, reason: str, evidence, confidence: str) -> bool:
        if state.unclear is None and state.removable(day):
            state.unclear = (reason, tuple(evidence), confidence)
            unclear.append(state)
            return True
        return False

    for state in states.values():
        rule = state.rule
        if rule is not None and name in rule.unclear_for:
            evidence, confidence, note = rule.cited(name)
            detail = f": {note}" if note else ": its effect here is unclear"
            mark(state, f"{name} may not remove it here{detail}", evidence, confidence)
    for source in deleted:
        for edge, target_key in source.steps:
            if edge.deletion == "unclear":
                mark(
                    states[target_key],
                    f"{name} deleted {source.id}, but {edge.kind} "
                    f"{edge.key!r} passes deletion on unclearly",
                    edge.rule.evidence,
                    edge.rule.confidence,
                )
    work = list(unclear)
    while work:
        source = work.pop()
        for edge, target_key in source.steps:
            target = states[target_key]
            if edge.deletion in ("propagated", "unclear") and mark(
                target,
                f"{name} may not have removed {source.id}, so {edge.kind} {edge.key!r} "
                "may not pass its deletion on",
                edge.rule.evidence,
                edge.rule.confidence,
            ):
                work.append(target)


def _copy(model: Model, state: _State, query: int) -> Copy:
    holder = model.holders[state.key[0]]
    rule = state.rule
    status, reason, evidence, confidence, ended = _status(state, query)
    return Copy(
        id=state.id,
        holder=state.key[0],
        record=state.key[1],
        party=holder.party,
        status=status,
        reason=reason,
        path=state.path,
        feeds=state.feeds,
        access=holder.parties,
        evidence=tuple(sorted(set(evidence))),
        confidence=confidence,
        retention=str(rule.period) if rule is not None else "unknown",
        ended=ended,
        footing=max((confidence, *state.path_confidences), key=SURENESS.index),
    )


def _status(state: _State, query: int) -> tuple[str, str, tuple[str, ...], str, int | None]:
    """(status, reason, evidence, confidence, day it ended) at the query time."""
    rule = state.rule
    if state.transient:
        return "transient", "processed here, never stored (for: none)", *_cited(rule), None
    if state.deleted:
        day, reason, evidence, confidence = state.deleted
        return "deleted", reason, evidence, confidence, day
    expiry = state.expires()
    if expiry is not None and expiry <= query:
        reason = f"kept for {format_days(expiry)}: retention ran out at {format_days(expiry)}"
        return "expired", reason, *_cited(rule), expiry
    if state.unclear:
        return "may_remain", *state.unclear, None
    if rule is None:
        reason = f"no retention rule for {state.key[1]} at {state.key[0]}: kept for an unknown time"
        return "may_remain", reason, (), "unknown", None
    evidence, confidence = _cited(rule)
    period = rule.period
    # an uncertain status needs its why: the rule's note, when it has one
    why = f": {rule.note}" if rule.note else ""
    if period.kind == "unknown":
        return "may_remain", f"kept for an unknown time{why}", evidence, confidence, None
    if confidence == "unknown":
        return (
            "may_remain",
            f"kept {_period_words(rule)}, but nobody can say for sure (confidence: unknown){why}",
            evidence,
            confidence,
            None,
        )
    return "held", f"kept {_period_words(rule)}", evidence, confidence, None


def _cited(rule: Retention | None) -> tuple[tuple[str, ...], str]:
    """A rule's evidence and confidence (a copy with no rule: none, unknown)."""
    return (tuple(rule.evidence), rule.confidence) if rule is not None else ((), "unknown")


def _period_words(rule: Retention) -> str:
    period = rule.period
    if period.kind == "duration":
        return f"for {period} (until {format_days(period.days or 0)})"
    if period.kind == "forever":
        return "indefinitely (for: forever)"
    if rule.deleted_by:
        return f"until deleted by {' or '.join(rule.deleted_by)}"
    return "until deleted, but no deletion request removes it"


def _parties(copies: tuple[Copy, ...]) -> dict[str, PartyAccess]:
    held: dict[str, list[str]] = {}
    may_remain: dict[str, list[str]] = {}
    for copy in copies:
        if copy.remains:
            target = held if copy.status == "held" else may_remain
            for party in copy.access:
                target.setdefault(party, []).append(copy.id)
    return {
        party: PartyAccess(tuple(held.get(party, ())), tuple(may_remain.get(party, ())))
        for party in sorted(held.keys() | may_remain.keys())
    }


def trace_graph(trace: Trace) -> nx.DiGraph:
    """A trace's copies as nodes (id ``holder/record``; attributes from the copy) and, as edges,
    every active flow or derivation between two of them (attribute ``edges``: their ids)."""
    import networkx as nx

    graph = nx.DiGraph(interaction=trace.interaction)
    for copy in trace.copies:
        graph.add_node(
            copy.id, holder=copy.holder, record=copy.record, party=copy.party, status=copy.status
        )
    for source, target, key in trace.edges:
        if graph.has_edge(source, target):
            graph.edges[source, target]["edges"] += (key,)
        else:
            graph.add_edge(source, target, edges=(key,))
    return graph
