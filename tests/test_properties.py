"""Invariants of the engine over random valid models, and of the loader over random input."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracer
from tracer import STATUSES, trace

PARTIES = ["p0", "p1", "p2"]
RECORDS = ["r0", "r1", "r2", "r3"]
TAGS = ["t0", "t1", "t2"]
REQUESTS = {"d0": None, "d1": None, "d2": "20d"}  # d2 is scheduled
PERIODS = ["none", "until_deleted", "forever", "unknown", "0d", "5d", "30d", "1y"]
CONFIDENCES = ["stated", "reported", "assumed", "unknown"]

common = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def subset(items):
    if not items:
        return st.just([])
    return st.lists(st.sampled_from(items), unique=True, max_size=len(items))


@st.composite
def retention(draw):
    deleted_by = draw(subset(list(REQUESTS)))
    unclear_for = draw(subset([r for r in REQUESTS if r not in deleted_by]))
    return {
        "for": draw(st.sampled_from(PERIODS)),
        "deleted_by": deleted_by,
        "unclear_for": unclear_for,
        "confidence": draw(st.sampled_from(CONFIDENCES)),
    }


@st.composite
def models(draw):
    holders = [f"h{i}" for i in range(draw(st.integers(1, 6)))]
    data = {
        "format": "tracer/1",
        "name": "random",
        "parties": {p: {"name": p.upper()} for p in PARTIES},
        "records": {r: {"name": r.upper()} for r in RECORDS},
        "holders": {},
        "flows": [],
        "derivations": [],
        "interactions": {},
        "deletions": {
            r: ({"name": r, "after": after} if after else {"name": r})
            for r, after in REQUESTS.items()
        },
    }
    for holder in holders:
        keeps = draw(st.dictionaries(st.sampled_from(RECORDS), retention(), max_size=4))
        entry = {"name": holder, "party": draw(st.sampled_from(PARTIES)), "keeps": keeps}
        if draw(st.booleans()):
            entry["access"] = draw(subset(PARTIES))
        data["holders"][holder] = entry
    for index in range(draw(st.integers(0, 10))):
        source, target = draw(st.sampled_from(holders)), draw(st.sampled_from(holders))
        if source == target:
            continue
        data["flows"].append(
            {
                "id": f"f{index}",
                "from": source,
                "to": target,
                "carries": draw(
                    st.lists(st.sampled_from(RECORDS), min_size=1, max_size=3, unique=True)
                ),
                "when": draw(subset(TAGS)),
                "deletion": draw(st.sampled_from(["ignored", "propagated", "unclear"])),
            }
        )
    for index in range(draw(st.integers(0, 4))):
        source, target = draw(st.sampled_from(RECORDS)), draw(st.sampled_from(RECORDS))
        if source == target:
            continue
        data["derivations"].append(
            {
                "id": f"x{index}",
                "at": draw(st.sampled_from(holders)),
                "from": source,
                "to": target,
                "when": draw(subset(TAGS)),
                "deletion": draw(st.sampled_from(["ignored", "propagated", "unclear"])),
            }
        )
    for index in range(draw(st.integers(1, 3))):
        starts = draw(
            st.dictionaries(
                st.sampled_from(holders), subset(RECORDS).filter(bool), min_size=1, max_size=2
            )
        )
        data["interactions"][f"i{index}"] = {
            "name": f"I{index}",
            "tags": draw(subset(TAGS)),
            "starts": starts,
        }
    return tracer.parse_model(yaml.safe_dump(data, sort_keys=False))


request_specs = st.lists(
    st.one_of(
        st.sampled_from(["d0", "d1"]).flatmap(
            lambda r: st.integers(0, 60).map(lambda day: f"{r}@{day}d")
        ),
        st.just("d2"),
    ),
    max_size=3,
)


def remaining_parties(result):
    return set(result.parties)


@common
@given(models(), st.data())
def test_every_copy_is_reached_from_a_start_through_active_edges(model, data):
    interaction = data.draw(st.sampled_from(sorted(model.interactions)))
    result = trace(model, interaction)
    spec = model.interactions[interaction]
    tags = set(spec.tags)
    flows = {f.key: f for f in model.flows}
    derivations = {d.key: d for d in model.derivations}
    starts = {(h, r) for h, records in spec.starts.items() for r in records}
    for copy in result.copies:
        holder, record = copy.holder, copy.record
        # walk the first path backwards to a start copy, checking each edge is active and fits
        for key in reversed(copy.path):
            edge = flows.get(key) or derivations[key]
            assert set(edge.when) <= tags
            if key in flows:
                assert (edge.target, True) == (holder, record in edge.carries)
                holder = edge.source
            else:
                assert (edge.at, edge.target) == (holder, record)
                record = edge.source
        assert (holder, record) in starts


@common
@given(models(), st.data(), request_specs, request_specs)
def test_adding_a_deletion_request_never_adds_copies_undeletes_or_widens_access(
    model, data, first, extra
):
    interaction = data.draw(st.sampled_from(sorted(model.interactions)))
    at = data.draw(st.sampled_from([None, "0d", "25d", "2y"]))
    before = trace(model, interaction, first, at=at)
    after = trace(model, interaction, first + extra, at=at)
    assert [c.id for c in after.copies] == [c.id for c in before.copies]
    was = {c.id: c.status for c in before.copies}
    for copy in after.copies:
        if was[copy.id] == "deleted":
            assert copy.status == "deleted"
    # access only shrinks: a request removes or blurs copies, a later query time only expires them
    assert remaining_parties(after) <= remaining_parties(before)
    for party, access in after.parties.items():
        assert set(access.held) | set(access.may_remain) <= (
            set(before.parties[party].held) | set(before.parties[party].may_remain)
        )


@common
@given(models(), st.data(), request_specs)
def test_each_copy_has_exactly_one_status_and_the_output_is_deterministic(model, data, requests):
    interaction = data.draw(st.sampled_from(sorted(model.interactions)))
    result = trace(model, interaction, requests)
    ids = [c.id for c in result.copies]
    assert ids == sorted(set(ids))
    assert all(c.status in STATUSES and c.reason for c in result.copies)
    again = trace(model, interaction, list(reversed(requests)))
    assert json.dumps(result.to_dict()) == json.dumps(again.to_dict())


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=8),
        st.sampled_from(["tracer/1", "h0", "r0", "p0", "until_deleted", "30d", "[", "&a", "*a"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "name",
                    "holders",
                    "flows",
                    "records",
                    "parties",
                    "keeps",
                    "for",
                    "from",
                    "to",
                    "carries",
                    "party",
                    "starts",
                    "interactions",
                    "deletions",
                    "x",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_a_random_structure_loads_or_raises_model_error_only(value):
    if isinstance(value, dict) and value.get("format") is None:
        value = {"format": "tracer/1", **value}
    text = yaml.safe_dump(value)
    try:
        tracer.parse_model(text)
    except tracer.ModelError as error:
        assert error.problems
        assert all(p.message for p in error.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text_loads_or_raises_model_error_only(text):
    try:
        tracer.parse_model(text)
    except tracer.ModelError as error:
        assert error.problems
