"""The edge index answers exactly as a scan of every flow and derivation would, whether it files
every edge up front (small models), one holder at a time (large ones), with hubs, or switches
from one to the other half-way through a run of lookups."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracer
from tracer.graph import EdgeIndex, edge_index
from tracer.model import Derivation, Flow
from tracer.synthetic import synthetic_model, to_yaml

HOLDERS = ["h0", "h1", "h2", "hub", "h1x", "xh1"]  # ids that contain one another
RECORDS = ["r0", "r1", "r2"]
TAGS = ["t0", "t1", "t2", "h1"]  # a tag spelled like a holder


def brute_force(model, copy, tags):
    """Every flow and derivation, in file order, that leaves ``copy`` under ``tags``."""
    holder, record = copy
    found = []
    for flow in model.flows:
        if flow.source == holder and set(flow.when) <= tags and record in flow.carries:
            found.append((flow.key, (flow.target, record)))
    for rule in model.derivations:
        if rule.at == holder and set(rule.when) <= tags and rule.source == record:
            found.append((rule.key, (rule.at, rule.target)))
    return found


def answers(index, lookups):
    return [
        [(edge.key, target) for edge, target in index.steps(copy, tags)] for copy, tags in lookups
    ]


tag_sets = st.lists(st.sampled_from(TAGS), unique=True, max_size=3)
flows = st.builds(
    lambda source, target, carries, when: (source, target, carries, when),
    st.sampled_from(HOLDERS),
    st.sampled_from(HOLDERS),
    st.lists(st.sampled_from(RECORDS), unique=True, min_size=1, max_size=2),
    tag_sets,
)
derivations = st.builds(
    lambda at, source, target, when: (at, source, target, when),
    st.sampled_from(HOLDERS),
    st.sampled_from(RECORDS),
    st.sampled_from(RECORDS),
    tag_sets,
)


@st.composite
def rule_sets(draw):
    # a hub: many flows from one holder, so a low HUB threshold makes it one
    hub = [("hub", HOLDERS[i % 3], ["r0"], [TAGS[i % 4]] if i % 3 else []) for i in range(12)]
    drawn = draw(st.lists(flows, max_size=30))
    order = draw(st.permutations(hub + drawn))
    return SimpleNamespace(
        flows=tuple(
            Flow(id=f"f{n}", source=s, target=t, carries=tuple(c), when=tuple(w))
            for n, (s, t, c, w) in enumerate(order)
        ),
        derivations=tuple(
            Derivation(id=f"d{n}", at=a, source=s, target=t, when=tuple(w))
            for n, (a, s, t, w) in enumerate(draw(st.lists(derivations, max_size=12)))
        ),
    )


lookups = st.lists(
    st.tuples(
        st.tuples(st.sampled_from([*HOLDERS, "nowhere"]), st.sampled_from(RECORDS)),
        tag_sets.map(frozenset),
    ),
    min_size=1,
    max_size=25,
)


class SmallHubs(EdgeIndex):
    HUB = 3  # so the random models have hubs


@settings(max_examples=150, deadline=None)
@given(model=rule_sets(), lookups=lookups, budget=st.sampled_from([None, 0.0, 1.0, 5.0]))
def test_the_index_finds_the_same_steps_as_a_scan_of_every_edge(model, lookups, budget):
    expected = [brute_force(model, copy, tags) for copy, tags in lookups]
    assert answers(EdgeIndex(model), lookups) == expected  # small: every edge filed up front
    for kind in (EdgeIndex, SmallHubs):
        lazy = kind(model, lazy_from=0)  # one holder at a time
        if budget is not None:
            lazy._budget = budget  # spent after a lookup or a few: all filed half-way through
        assert answers(lazy, lookups) == expected
        assert answers(lazy, lookups) == expected  # asked again, from what it filed


def test_a_large_model_files_only_the_holders_a_trace_leaves():
    model = tracer.parse_model(to_yaml(synthetic_model(holders=400)))
    whole = EdgeIndex(model)
    assert whole._filed is None  # under LAZY_FROM edges: everything filed at once
    lazy = model._derived["edge_index"] = EdgeIndex(model, lazy_from=0)
    name = sorted(model.interactions)[0]
    traced = tracer.trace(model, name, ["delete-recording"])
    assert 0 < len(lazy._filed) < len(model.holders) / 10
    model._derived["edge_index"] = whole
    assert traced == tracer.trace(model, name, ["delete-recording"])


@pytest.mark.parametrize("lazy_from", [0, 2**62])
def test_every_interaction_traces_the_same_with_either_index(lazy_from):
    model = tracer.load_model(cache=False)
    deletions = sorted(model.deletions)
    expected = {name: tracer.trace(model, name, deletions) for name in sorted(model.interactions)}
    model._derived["edge_index"] = EdgeIndex(model, lazy_from=lazy_from)
    assert {name: tracer.trace(model, name, deletions) for name in expected} == expected


def test_the_index_is_built_once_per_model():
    model = tracer.load_model(cache=False)
    assert edge_index(model) is edge_index(model)


def test_a_model_keeps_a_bounded_number_of_walks_and_traces_alike_from_them(monkeypatch):
    # a trace walks its interaction once per model (tracer.tracing._walk), and a model of
    # 100,000 skills linted must not keep 100,000 walks
    import tracer.tracing as tracing

    monkeypatch.setattr(tracing, "WALKS_KEPT", 2)
    model = tracer.load_model(cache=False)
    names = sorted(model.interactions)[:3]
    deletions = sorted(model.deletions)
    first = {name: tracer.trace(model, name, deletions, at="400d") for name in names}
    assert len(model._derived["walks"]) <= 2
    # the same answers again, from kept walks and from walks made anew, with other requests
    # between them (a trace never changes the walk it is given)
    for name in names:
        tracer.trace(model, name, deletions[:1])
    assert {name: tracer.trace(model, name, deletions, at="400d") for name in names} == first
    fresh = tracer.load_model(cache=False)
    assert {name: tracer.trace(fresh, name, deletions, at="400d") for name in names} == first


def test_threads_filing_holders_at_once_answer_as_one_thread_does():
    # `tracer serve` traces one shared model from a pool of threads: a holder filed by two of
    # them at once must not be filed twice, nor a lookup read buckets another is clearing
    import sys
    import threading

    model = tracer.parse_model(to_yaml(synthetic_model(holders=300, interactions=10)))
    tags = frozenset(tag for flow in model.flows for tag in flow.when)
    copies = sorted({(flow.source, flow.carries[0]) for flow in model.flows})
    expected = [brute_force(model, copy, tags) for copy in copies]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows at once
    try:
        for budget in (None, 40.0):  # with and without every edge filed half-way through
            index = SmallHubs(model, lazy_from=0)
            if budget is not None:
                index._budget = budget
            seen: list[list] = []

            def look(index=index, seen=seen):
                seen.append(answers(index, [(copy, tags) for copy in copies]))

            threads = [threading.Thread(target=look) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert seen == [expected] * 8
            assert answers(index, [(copy, tags) for copy in copies]) == expected
    finally:
        sys.setswitchinterval(old)
