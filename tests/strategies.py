"""Random valid models, deletion requests, query times and ledger logs: the one module of
hypothesis strategies (issue 26) that the engine's properties (test_properties.py, test_assume.py,
test_claims.py, test_diff.py), the oracle (test_oracle.py) and the ledger's equivalence
(test_ledger_equivalence.py, test_ledger_spark.py) draw from.

A :class:`Shape` says what a model may hold. Times are drawn near the retention periods' ends as
often as anywhere else, since that is where a rule about "the same day" shows.

>>> ENGINE.period_days
(30, 5, 0, 365)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from hypothesis import settings
from hypothesis import strategies as st
from profiles import examples

import tracer

__all__ = ["ENGINE", "LEDGER", "Shape", "common", "logs", "models", "query_times", "requests"]

# what the engine's properties run by default; each example is a handful of traces
common = settings(max_examples=examples(dev=150, ci=300, thorough=3000))


@dataclass(frozen=True)
class Shape:
    """What a random model may hold: ids, periods, requests (id -> scheduled ``after``) and
    how many holders, flows, derivations and interactions at most."""

    parties: tuple[str, ...]
    records: tuple[str, ...]
    tags: tuple[str, ...]
    requests: dict[str, str | None]
    periods: tuple[str, ...]
    confidences: tuple[str, ...]
    holders: int
    flows: int
    derivations: int
    interactions: int
    sources: tuple[str, ...] = ("s0", "s1", "s2")
    max_day: int = 60  # requests are drawn up to this many days after the interaction
    notes: tuple[str | None, ...] = field(default=(None, "says so"))

    @property
    def period_days(self) -> tuple[int, ...]:
        units = {"d": 1, "w": 7, "mo": 30, "y": 365}
        found = (re.fullmatch(r"(\d+)(d|w|mo|y)", p) for p in self.periods)
        return tuple(int(m[1]) * units[m[2]] for m in found if m)


ENGINE = Shape(
    parties=("p0", "p1", "p2"),
    records=("r0", "r1", "r2"),
    tags=("t0", "t1", "t2"),
    requests={"d0": None, "d1": None, "d2": "20d"},  # d2 is scheduled
    periods=("until_deleted", "30d", "forever", "unknown", "5d", "0d", "1y", "none"),
    confidences=("stated", "law", "reported", "research", "alleged", "assumed", "unknown"),
    holders=6,
    flows=12,
    derivations=4,
    interactions=3,
)

# small models for the ledger, whose periods end inside its ten-day logs
LEDGER = Shape(
    parties=("p0", "p1"),
    records=("r0", "r1", "r2"),
    tags=("t0", "t1"),
    requests={"d0": None, "d1": None, "s2": "2d", "s5": "5d"},  # s2, s5 are scheduled
    periods=("none", "until_deleted", "forever", "unknown", "0d", "1d", "2d", "3d", "6d", "30d"),
    confidences=("stated", "reported", "unknown"),
    holders=4,
    flows=6,
    derivations=2,
    interactions=2,
)


def count(low: int, high: int):
    """A number of things from ``low`` to ``high``, drawn as ``high`` less a number, since
    hypothesis draws small numbers (and the first of a list) far more often than others."""
    return st.integers(0, high - low).map(lambda n: high - n)


def subset(items):
    items = list(items)
    if not items:
        return st.just([])
    return st.lists(st.sampled_from(items), unique=True, max_size=len(items))


@st.composite
def evidenced(draw, shape: Shape) -> dict:
    """The evidence, confidence and note every rule may carry."""
    entry = {"confidence": draw(st.sampled_from(shape.confidences))}
    if draw(st.booleans()):
        entry["evidence"] = draw(subset(shape.sources))
    note = draw(st.sampled_from(shape.notes))
    if note:
        entry["note"] = note
    return entry


@st.composite
def retention(draw, shape: Shape) -> dict:
    # each request deletes the copy, leaves it in doubt, or is not the rule's to name
    effects = {
        r: draw(st.sampled_from(["deleted_by", "unclear_for", None])) for r in shape.requests
    }
    deleted_by = [r for r, effect in effects.items() if effect == "deleted_by"]
    unclear_for = [r for r, effect in effects.items() if effect == "unclear_for"]
    rule = {"for": draw(st.sampled_from(shape.periods)), "deleted_by": deleted_by}
    rule["unclear_for"] = unclear_for
    rule.update(draw(evidenced(shape)))
    own = draw(subset(deleted_by + unclear_for))
    if own:  # some requests rest on their own sources
        rule["per_request"] = {request: draw(evidenced(shape)) for request in own}
    return rule


@st.composite
def access(draw, shape: Shape):
    """A holder's access list: absent (its own party), party ids, or grants with a capacity."""
    kind = draw(st.sampled_from(["default", "ids", "grants"]))
    if kind == "default":
        return None
    parties = draw(subset(shape.parties))
    if kind == "ids":
        return parties
    return [{"party": party, "as": "reader"} for party in parties]


@st.composite
def models(draw, shape: Shape = ENGINE) -> tracer.Model:
    """A valid model of ``shape``, parsed from the YAML a user would write."""
    holders = [f"h{i}" for i in range(draw(count(1, shape.holders)))]
    data = {
        "format": "tracer/1",
        "name": "random",
        "sources": {s: {"title": s.upper()} for s in shape.sources},
        "parties": {p: {"name": p.upper()} for p in shape.parties},
        "records": {r: {"name": r.upper()} for r in shape.records},
        "holders": {},
        "flows": [],
        "derivations": [],
        "interactions": {},
        "deletions": {
            r: ({"name": r, "after": after} if after else {"name": r})
            for r, after in shape.requests.items()
        },
    }
    for holder in holders:
        # most holders have a rule for most records (a copy without one is simply may_remain)
        keeps = {
            record: draw(retention(shape))
            for record in shape.records
            if draw(st.integers(0, 3)) > 0
        }
        entry = {"name": holder, "party": draw(st.sampled_from(shape.parties)), "keeps": keeps}
        grants = draw(access(shape))
        if grants is not None:
            entry["access"] = grants
        data["holders"][holder] = entry
    deletions = ["propagated", "unclear", "ignored"]  # (hypothesis draws the first most often)
    for index in range(draw(count(0, shape.flows))):
        # mostly a chain h0 -> h1 -> ... (deletion spreads far along it), then any two holders
        if index + 1 < len(holders) and draw(st.integers(0, 3)) > 0:
            source, target = holders[index], holders[index + 1]
        else:
            source, target = draw(st.sampled_from(holders)), draw(st.sampled_from(holders))
        if source == target:
            continue
        data["flows"].append(
            {
                "id": f"f{index}",
                "from": source,
                "to": target,
                "carries": draw(
                    st.lists(st.sampled_from(shape.records), min_size=1, max_size=3, unique=True)
                ),
                "when": draw(tags(shape)),
                "deletion": draw(st.sampled_from(deletions)),
                **draw(evidenced(shape)),
            }
        )
    for index in range(draw(count(0, shape.derivations))):
        source, target = draw(st.sampled_from(shape.records)), draw(st.sampled_from(shape.records))
        if source == target:
            continue
        data["derivations"].append(
            {
                "id": f"x{index}",
                "at": draw(st.sampled_from(holders)),
                "from": source,
                "to": target,
                "when": draw(tags(shape)),
                "deletion": draw(st.sampled_from(deletions)),
                **draw(evidenced(shape)),
            }
        )
    for index in range(draw(st.integers(1, shape.interactions))):
        # the first interaction starts where the chain does
        first = {holders[0]: draw(subset(shape.records).filter(bool))} if index == 0 else {}
        starts = first | draw(
            st.dictionaries(
                st.sampled_from(holders),
                subset(shape.records).filter(bool),
                min_size=0 if first else 1,
                max_size=2,
            )
        )
        data["interactions"][f"i{index}"] = {
            "name": f"I{index}",
            "tags": draw(subset(shape.tags)),
            "starts": starts,
        }
    return tracer.parse_model(yaml.safe_dump(data, sort_keys=False))


def tags(shape: Shape):
    """An edge's ``when``: as often none (active in every interaction) as some tags."""
    return st.one_of(st.just([]), subset(shape.tags))


def days(shape: Shape = ENGINE):
    """A day, as often at a period's end (or the day either side) as anywhere."""
    edges = sorted({d + step for d in shape.period_days for step in (-1, 0, 1) if d + step >= 0})
    return st.one_of(st.sampled_from(edges), st.integers(0, shape.max_day))


def requests(shape: Shape = ENGINE, max_size: int = 3):
    """``REQ@Nd`` specs; a scheduled request bare (at its ``after``) or switched on late."""
    specs = []
    for request, after in shape.requests.items():
        if after is None:
            specs.append(days(shape).map(lambda day, r=request: f"{r}@{day}d"))
        else:
            start = int(after[:-1])
            specs.append(st.just(request))
            specs.append(st.integers(start, start + 20).map(lambda day, r=request: f"{r}@{day}d"))
    return count(0, max_size).flatmap(lambda n: st.lists(st.one_of(specs), min_size=n, max_size=n))


def query_times(shape: Shape = ENGINE):
    """``None`` (the latest request), a day near a period's end, or far later."""
    return st.one_of(st.none(), days(shape).map(lambda d: f"{d}d"), st.just("800d"))


# -- ledger logs ------------------------------------------------------------------------------


@st.composite
def logs(draw, model: tracer.Model, shape: Shape = LEDGER):
    """(events, requests, at) of a ledger: times in minutes after a base time, over about ten
    days; events are (event, user, interaction, minute), requests (user, request, minute, event
    or None)."""
    minutes = st.integers(0, 14 * 24 * 60)
    events = [
        (
            f"e{index}",
            draw(st.sampled_from(["ann", "bob"])),
            draw(st.sampled_from(sorted(model.interactions))),
            draw(minutes),
        )
        for index in range(draw(st.integers(1, 8)))
    ]
    made = []
    for _ in range(draw(st.integers(0, 6))):
        request = draw(st.sampled_from(sorted(shape.requests)))
        if draw(st.booleans()):  # targets one event, at or after it
            event, user, _, at = draw(st.sampled_from(events))
            made.append((user, request, at + draw(st.integers(0, 6 * 24 * 60)), event))
        else:
            made.append((draw(st.sampled_from(["ann", "bob"])), request, draw(minutes), None))
    at = draw(st.one_of(st.none(), minutes))
    return events, made, at
