"""An independent reading of docs/format.md (Semantics), to check ``tracer.trace()`` against.

Deliberately simple and slow, and written apart from the engine (tracer/tracing.py and
tracer/graph.py): it shares only the model classes. The copies an interaction reaches are a
networkx graph; a first path is the smallest of all shortest paths compared as whole tuples; time
is simulated day by day, each day first ending the retention periods that end on it, then
applying that day's requests in id order.

Where the documentation leaves a choice open (which of several edges a spread deletion names,
when two deleted copies reach the same one), the oracle gives every answer it allows, and the
test accepts any of them, provided the copy's confidence and footing are those of the one named.

>>> import tracer
>>> m = tracer.parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {note: {name: Note}}
... holders:
...   inbox: {name: Inbox, party: acme, keeps: {note: {for: 30d, deleted_by: [wipe]}}}
... interactions: {write: {name: Write a note, starts: {inbox: [note]}}}
... deletions: {wipe: {name: Wipe the inbox}}
... ''')
>>> [(c.status, sorted(k.kind for k, _ in c.allowed)) for c in oracle(m, "write", ["wipe@29d"]).copies.values()]
[('deleted', ['deleted_by'])]
>>> [c.status for c in oracle(m, "write", ["wipe@30d"]).copies.values()]  # the period ends first
['expired']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from tracer.model import Model

# docs/format.md, Semantics 8: surest first
SURENESS = ("stated", "law", "reported", "research", "alleged", "assumed", "unknown")
UNITS = {"d": 1, "w": 7, "mo": 30, "y": 365}

STATUS_OF_KIND = {
    "transient": "transient",
    "held": "held",
    "expired": "expired",
    "deleted_by": "deleted",
    "propagated": "deleted",
    "unclear_for": "may_remain",
    "unclear_edge": "may_remain",
    "unclear_spread": "may_remain",
    "no_rule": "may_remain",
    "unknown_period": "may_remain",
    "unknown_confidence": "may_remain",
}


@dataclass(frozen=True)
class Cause:
    """Why a copy has its status: what its reason must say, and the rule it rests on."""

    kind: str  # a key of STATUS_OF_KIND
    request: str | None = None
    day: int | None = None
    source: str | None = None  # the copy whose deletion (or doubt) spread here
    edge: str | None = None  # the edge it spread along
    evidence: tuple[str, ...] = ()
    confidence: str = "unknown"


@dataclass(frozen=True)
class Expected:
    """One copy as the semantics make it; ``allowed`` holds each admissible (cause, footing)."""

    id: str
    holder: str
    record: str
    party: str
    status: str
    path: tuple[str, ...]
    feeds: tuple[str, ...]
    access: tuple[str, ...]
    allowed: frozenset[tuple[Cause, str]]


@dataclass(frozen=True)
class ExpectedTrace:
    at: int
    requests: tuple[tuple[str, int], ...]  # (id, day), in the order applied
    copies: dict[str, Expected]
    parties: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # party -> (held, may_remain)


def days_of(text: str) -> int:
    """``30d``, ``2w``, ``3mo``, ``1y`` in days."""
    match = re.fullmatch(r"(\d+)(d|w|mo|y)", text.strip())
    if match is None:
        raise ValueError(f"not a time: {text!r}")
    return int(match[1]) * UNITS[match[2]]


def least_sure(confidences) -> str:
    return max(confidences, key=SURENESS.index)


def oracle(model: Model, interaction: str, specs=(), at: str | int | None = None) -> ExpectedTrace:
    """What docs/format.md says ``tracer.trace(model, interaction, specs, at)`` gives."""
    requests = []
    for spec in specs:
        name, _, when = spec.partition("@")
        after = model.deletions[name].after
        day = days_of(when) if when else (after or 0)
        if after is not None and day < after:
            raise ValueError(f"{spec}: a scheduled request is never earlier than its after")
        requests.append((name, day))
    requests.sort(key=lambda r: (r[1], r[0]))
    if at is None:
        query = max((day for _, day in requests), default=0)
    else:
        query = at if isinstance(at, int) else days_of(at)

    spec = model.interactions[interaction]
    graph = _copy_graph(model, set(spec.tags))
    starts = []
    for holder, records in spec.starts.items():
        for record in records:
            if (holder, record) not in starts:
                starts.append((holder, record))
    graph.add_nodes_from(starts)
    reached = set(starts)
    for start in starts:
        reached |= nx.descendants(graph, start)
    graph = graph.subgraph(reached)
    paths = _first_paths(graph, starts, reached)

    def rule(copy):
        return model.holders[copy[0]].keeps.get(copy[1])

    def stored(copy) -> bool:
        found = rule(copy)
        return found is None or found.period.kind != "none"

    def expiry(copy) -> int | None:
        found = rule(copy)
        return found.period.days if found is not None and found.period.kind == "duration" else None

    deleted: dict[tuple, frozenset[Cause]] = {}
    doubted: dict[tuple, frozenset[Cause]] = {}
    expired: set[tuple] = set()

    def live(copy) -> bool:
        return stored(copy) and copy not in deleted and copy not in expired

    for day in range(query + 1):
        # the same-day rule (docs/format.md): a period of D days ends at the start of day D
        for copy in reached:
            if stored(copy) and expiry(copy) == day and copy not in deleted:
                expired.add(copy)
        for name, when in requests:
            if when == day:
                _apply(graph, name, day, rule, live, deleted, doubted)

    copies = {}
    for copy in reached:
        path_edges = paths[copy]
        causes = _status(copy, rule(copy), deleted, expired, doubted, query)
        holder = model.holders[copy[0]]
        allowed = frozenset(
            (cause, least_sure([cause.confidence, *(e["confidence"] for e in path_edges)]))
            for cause in causes
        )
        kinds = {STATUS_OF_KIND[cause.kind] for cause in causes}
        assert len(kinds) == 1, (copy, causes)
        copy_id = f"{copy[0]}/{copy[1]}"
        copies[copy_id] = Expected(
            id=copy_id,
            holder=copy[0],
            record=copy[1],
            party=holder.party,
            status=kinds.pop(),
            path=tuple(e["edge"] for e in path_edges),
            feeds=tuple(sorted({key for _, _, key in graph.in_edges(copy, keys=True)})),
            access=_access(model, copy[0]),
            allowed=allowed,
        )
    parties: dict[str, tuple[list, list]] = {}
    for copy_id in sorted(copies):
        expected = copies[copy_id]
        if expected.status in ("held", "may_remain"):
            for party in expected.access:
                lists = parties.setdefault(party, ([], []))
                lists[expected.status == "may_remain"].append(copy_id)
    return ExpectedTrace(
        at=query,
        requests=tuple(requests),
        copies=dict(sorted(copies.items())),
        parties={p: (tuple(h), tuple(m)) for p, (h, m) in sorted(parties.items())},
    )


def _copy_graph(model: Model, tags: set[str]) -> nx.MultiDiGraph:
    """Every active edge between copies, numbered in file order: flows, then derivations."""
    graph = nx.MultiDiGraph()
    for order, flow in enumerate(model.flows):
        if set(flow.when) <= tags:
            for record in flow.carries:
                graph.add_edge(
                    (flow.source, record),
                    (flow.target, record),
                    key=flow.key,
                    **_edge(flow, "flow", order),
                )
    for number, derivation in enumerate(model.derivations):
        if set(derivation.when) <= tags:
            graph.add_edge(
                (derivation.at, derivation.source),
                (derivation.at, derivation.target),
                key=derivation.key,
                **_edge(derivation, "derivation", len(model.flows) + number),
            )
    return graph


def _edge(rule, kind: str, order: int) -> dict:
    return {
        "edge": rule.key,
        "kind": kind,
        "order": order,
        "deletion": rule.deletion,
        "confidence": rule.confidence,
        "evidence": tuple(sorted(set(rule.evidence))),
    }


def _first_paths(graph, starts, reached) -> dict[tuple, list[dict]]:
    """Each copy's first path: fewest edges, then the smallest sequence of file positions (the
    start's, then each edge's), level by level."""
    rank = {start: (index,) for index, start in enumerate(starts)}
    paths: dict[tuple, list[dict]] = {start: [] for start in starts}
    level = set(starts)
    while level:
        found = {}
        for copy in reached - rank.keys():
            options = [
                (rank[u] + (data["order"],), u, data)
                for u, _, data in graph.in_edges(copy, data=True)
                if u in level
            ]
            if options:
                found[copy] = min(options, key=lambda option: option[0])
        for copy, (key, parent, data) in found.items():
            rank[copy] = key
            paths[copy] = paths[parent] + [data]
        level = set(found)
    return paths


def _cited(rule, request: str) -> tuple[tuple[str, ...], str]:
    own = rule.per_request.get(request)
    source = own if own is not None else rule
    return tuple(sorted(set(source.evidence))), source.confidence


def _spread_causes(graph, kind, name, day, targets, seeds, deletions) -> dict:
    """For each copy of ``targets`` (not a seed): every edge it could have been reached along,
    from a copy that ``seeds`` reach without passing through it."""
    along = _along(graph.subgraph(targets | seeds), deletions)
    causes = {}
    for copy in targets - seeds:
        rest = along.subgraph(set(along) - {copy})
        reachable = set(seeds)
        for seed in seeds:
            if seed in rest:
                reachable |= nx.descendants(rest, seed)
        causes[copy] = frozenset(
            Cause(
                kind,
                name,
                day,
                f"{u[0]}/{u[1]}",
                data["edge"],
                data["evidence"],
                data["confidence"],
            )
            for u, _, data in graph.in_edges(copy, data=True)
            if u in reachable and data["deletion"] in deletions
        )
    return causes


def _along(graph, deletions):
    """The same copies, with only the edges whose ``deletion`` is one of ``deletions``."""
    kept = nx.MultiDiGraph()
    kept.add_nodes_from(graph)
    kept.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in graph.edges(keys=True, data=True)
        if d["deletion"] in deletions
    )
    return kept


def _closure(graph, seeds, allowed, deletions) -> set:
    """``seeds`` and every copy of ``allowed`` reached from them along ``deletions`` edges."""
    along = _along(graph.subgraph(allowed | seeds), deletions)
    reached = set(seeds)
    for seed in seeds:
        reached |= nx.descendants(along, seed)
    return reached


def _apply(graph, name, day, rule, live, deleted, doubted) -> None:
    """One request (docs/format.md, Semantics 4): delete, spread, then doubt and spread doubt."""
    alive = {copy for copy in graph if live(copy)}
    direct = {c for c in alive if rule(c) is not None and name in rule(c).deleted_by}
    gone = _closure(graph, direct, alive, {"propagated"})
    spread = _spread_causes(graph, "propagated", name, day, gone, direct, {"propagated"})
    for copy in direct:
        evidence, confidence = _cited(rule(copy), name)
        deleted[copy] = frozenset(
            {Cause("deleted_by", name, day, None, None, evidence, confidence)}
        )
    for copy in gone - direct:
        deleted[copy] = spread[copy]

    open_ = {c for c in alive - gone if c not in doubted}
    own = {c for c in open_ if rule(c) is not None and name in rule(c).unclear_for}
    for copy in own:
        evidence, confidence = _cited(rule(copy), name)
        doubted[copy] = frozenset(
            {Cause("unclear_for", name, day, None, None, evidence, confidence)}
        )
    edged = {}
    for copy in open_ - own:
        causes = frozenset(
            Cause(
                "unclear_edge",
                name,
                day,
                f"{u[0]}/{u[1]}",
                data["edge"],
                data["evidence"],
                data["confidence"],
            )
            for u, _, data in graph.in_edges(copy, data=True)
            if u in gone and data["deletion"] == "unclear"
        )
        if causes:
            edged[copy] = causes
    doubted.update(edged)
    seeds = own | set(edged)
    kinds = {"propagated", "unclear"}
    marked = _closure(graph, seeds, open_, kinds)
    spread = _spread_causes(graph, "unclear_spread", name, day, marked, seeds, kinds)
    for copy in marked - seeds:
        doubted[copy] = spread[copy]


def _status(copy, rule, deleted, expired, doubted, query) -> frozenset[Cause]:
    """The causes a copy's status may rest on at the query time."""
    if rule is not None and rule.period.kind == "none":
        return frozenset({Cause("transient", *_own(rule))})
    if copy in deleted:
        return deleted[copy]
    if copy in expired:
        return frozenset({Cause("expired", *_own(rule))})
    if copy in doubted:
        return doubted[copy]
    if rule is None:
        return frozenset({Cause("no_rule")})
    if rule.period.kind == "unknown":
        return frozenset({Cause("unknown_period", *_own(rule))})
    if rule.confidence == "unknown":
        return frozenset({Cause("unknown_confidence", *_own(rule))})
    return frozenset({Cause("held", *_own(rule))})


def _own(rule) -> tuple:
    """(request, day, source, edge, evidence, confidence) of a cause resting on the rule itself."""
    return None, None, None, None, tuple(sorted(set(rule.evidence))), rule.confidence


def _access(model: Model, holder_id: str) -> tuple[str, ...]:
    """Semantics 6: the holder's ``access`` list; without one, its own party."""
    holder = model.holders[holder_id]
    if holder.access is None:
        return (holder.party,)
    return tuple(sorted({grant.party for grant in holder.access}))


# -- the ledger (docs/ledger.md, Semantics) ------------------------------------------------------

MINUTES_A_DAY = 24 * 60


def ledger_oracle(model: Model, events, requests, at) -> dict[tuple[str, str], Expected]:
    """Per event at or before the query time, its copies as :func:`oracle` gives them, with the
    requests that apply to it taken relative to it in whole days (rounded down). Times are in
    minutes, as :func:`strategies.logs` draws them; ``at`` None is the latest time in the log."""
    query = at if at is not None else max([m for *_, m in events] + [m for *_, m, _ in requests])
    expected = {}
    for event, user, interaction, when in events:
        if when > query:
            continue  # it has not happened yet
        specs = []
        for who, name, made, target in requests:
            if who != user or made > query or target not in (None, event):
                continue
            after = model.deletions[name].after
            day = (made - when) // MINUTES_A_DAY
            if after is not None:
                specs.append(f"{name}@{max(after, day)}d")  # switched on at `made`
            elif made >= when:  # a request is about what happened before it
                specs.append(f"{name}@{day}d")
        result = oracle(model, interaction, specs, (query - when) // MINUTES_A_DAY)
        for copy_id, copy in result.copies.items():
            expected[(event, copy_id)] = copy
    return expected


# -- comparing the engine's output with the oracle's ----------------------------------------------

_REASONS = [
    ("transient", r"processed here, never stored \(for: none\)"),
    ("deleted_by", r"deleted by (?P<request>\S+) at (?P<day>\d+)d"),
    (
        "propagated",
        r"deleted at (?P<day>\d+)d: (?P<request>\S+) deleted (?P<source>\S+) and "
        r"(flow|derivation) '(?P<edge>[^']+)' propagates deletion",
    ),
    ("expired", r"kept for (?P<days>\d+)d: retention ran out at (?P=days)d"),
    ("unclear_for", r"(?P<request>\S+) may not remove it here: .+"),
    (
        "unclear_edge",
        r"(?P<request>\S+) deleted (?P<source>\S+), but (flow|derivation) '(?P<edge>[^']+)' "
        r"passes deletion on unclearly",
    ),
    (
        "unclear_spread",
        r"(?P<request>\S+) may not have removed (?P<source>\S+), so (flow|derivation) "
        r"'(?P<edge>[^']+)' may not pass its deletion on",
    ),
    ("no_rule", r"no retention rule for \S+ at \S+: kept for an unknown time"),
    ("unknown_period", r"kept for an unknown time(: .+)?"),
    ("unknown_confidence", r"kept .+, but nobody can say for sure \(confidence: unknown\)(: .+)?"),
    ("held", r"kept .+"),
]


def observed(reason: str, evidence, confidence: str) -> Cause:
    """The cause a reason states, with the evidence and confidence given beside it."""
    for kind, pattern in _REASONS:
        match = re.fullmatch(pattern, reason, flags=re.S)
        if match:
            found = match.groupdict()
            day = found.get("day")
            return Cause(
                kind,
                found.get("request"),
                int(day) if day is not None else None,
                found.get("source"),
                found.get("edge"),
                tuple(evidence),
                confidence,
            )
    raise AssertionError(f"a reason of no kind the semantics give: {reason!r}")


def admits(expected: Expected, cause: Cause, footing: str | None = None) -> bool:
    """Whether ``cause`` (and ``footing``, when given) is one the oracle allows."""
    for allowed, allowed_footing in expected.allowed:
        if cause.day is None:  # the reasons of doubt do not name the day
            allowed = Cause(**{**allowed.__dict__, "day": None})
        if cause == allowed and footing in (None, allowed_footing):
            return True
    return False


def assert_agrees(result, expected: ExpectedTrace) -> None:
    """A :class:`tracer.Trace` is what the oracle gives, copy for copy."""
    assert result.at == expected.at
    assert tuple((r.id, r.at) for r in result.requests) == expected.requests
    assert [c.id for c in result.copies] == list(expected.copies)
    for copy in result.copies:
        want = expected.copies[copy.id]
        got = (copy.holder, copy.record, copy.party, copy.status, copy.path, copy.feeds)
        assert got == (want.holder, want.record, want.party, want.status, want.path, want.feeds), (
            copy.id
        )
        assert copy.access == want.access, copy.id
        cause = observed(copy.reason, copy.evidence, copy.confidence)
        assert admits(want, cause, copy.footing), (copy.id, cause, copy.footing, want.allowed)
    got_parties = {p: (a.held, a.may_remain) for p, a in result.parties.items()}
    assert got_parties == expected.parties


def assert_ledger_agrees(rows, expected: dict[tuple[str, str], Expected]) -> None:
    """The ledger's ``copies`` rows, ``(event, id, holder, record, party, status, reason,
    evidence, confidence, access)``, are what :func:`ledger_oracle` gives."""
    assert sorted((r[0], r[1]) for r in rows) == sorted(expected)
    for event, copy_id, holder, record, party, status, reason, evidence, confidence, access in rows:
        want = expected[(event, copy_id)]
        assert (holder, record, party, status) == (
            want.holder,
            want.record,
            want.party,
            want.status,
        )
        assert tuple(access) == want.access, (event, copy_id)
        cause = observed(reason, evidence, confidence)
        assert admits(want, cause), (event, copy_id, cause, want.allowed)
