"""Invariants of the engine over random valid models, and of the loader over random input."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import common, models, query_times, requests

import tracer
from tracer import STATUSES, trace

request_specs = requests()


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
    at = data.draw(query_times())
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
