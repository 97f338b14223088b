"""The cache's entry holds a model exactly: rebuilt without validation (every part pickled on its
own, decoded when a trace reaches it), it equals the model loaded from its file, traces the same,
keeps every part's kind and immutability, and decodes only what it is asked for."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracer
from tracer.cache.parts import PartMapping, PartSequence, from_parts, to_parts
from tracer.graph import EdgeIndex
from tracer.model.loading import default_model_path
from tracer.synthetic import synthetic_model, to_yaml

SHIPPED = [default_model_path(), default_model_path().with_name("alexa-2025.yaml")]


def test_the_shipped_model_has_every_kind_of_nested_part_a_cached_part_holds():
    model = tracer.load_model(cache=False)
    rules = [rule for holder in model.holders.values() for rule in holder.keeps.values()]
    assert model.claims  # statements: a part or None in each claim's fields
    assert any(rule.per_request for rule in rules)  # a dict of parts in a part in a dict
    assert any(holder.access for holder in model.holders.values())  # a tuple of parts, or None
    assert any(holder.access is None for holder in model.holders.values())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_a_rebuilt_model_traces_every_interaction_the_same(path):
    model = tracer.load_model(path, cache=False)
    again = from_entry(model)
    deletions = sorted(model.deletions)
    for name in sorted(model.interactions):
        assert (
            tracer.trace(again, name, deletions).to_dict()
            == tracer.trace(model, name, deletions).to_dict()
        )


def test_rebuilt_parts_are_the_same_kinds_and_still_frozen():
    model = tracer.parse_model(to_yaml(synthetic_model(holders=60)))
    again = from_entry(model)
    flow, holder = again.flows[0], again.holders["echo"]
    assert (type(flow), type(holder)) == (type(model.flows[0]), type(model.holders["echo"]))
    assert {type(rule) for rule in holder.keeps.values()} == {
        type(rule) for rule in model.holders["echo"].keeps.values()
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        flow.source = "elsewhere"


def test_a_rebuilt_model_gets_its_own_empty_derived_indexes():
    model = tracer.load_model(cache=False)
    tracer.trace(model, sorted(model.interactions)[0], [])
    assert model._derived  # the edge index is cached on the model...
    assert from_entry(model)._derived == {}  # ...and never stored with it


# --- the cache's entry: every part pickled on its own, decoded when used (to_parts/from_parts)


def from_entry(model):
    """``model`` as the cache gives it back: stored with protocol 5 and its buffers apart."""
    buffers = []
    data = pickle.dumps(to_parts(model), protocol=5, buffer_callback=buffers.append)
    return from_parts(pickle.loads(data, buffers=[buffer.raw() for buffer in buffers]))


def answers(model, *, lazy_from=None):
    """Everything a trace says about every interaction, with every deletion request at 30d."""
    if lazy_from is not None:
        model._derived["edge_index"] = EdgeIndex(model, lazy_from=lazy_from)
    requests = [
        f"{name}@30d" for name in sorted(model.deletions) if not model.deletions[name].after
    ]
    records = sorted(model.records)
    return [
        (
            tracer.trace(model, name, requests),
            [tracer.holders_of(model, name, record) for record in records[:3]],
        )
        for name in sorted(model.interactions)[:6]
    ]


@settings(max_examples=5, deadline=None)
@given(holders=st.integers(40, 100), lazy_from=st.sampled_from([None, 0]))
def test_a_model_from_the_entry_answers_exactly_as_the_parsed_one(holders, lazy_from):
    model = tracer.parse_model(to_yaml(synthetic_model(holders=holders, interactions=6)))
    lazy = from_entry(model)
    assert type(lazy.holders) is PartMapping and type(lazy.flows) is PartSequence
    assert lazy == model and model == lazy  # before tracing: each then holds its own index
    assert answers(lazy, lazy_from=lazy_from) == answers(model)
    assert lazy.model_dump(mode="json") == model.model_dump(mode="json")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_a_shipped_model_from_the_entry_equals_and_traces_as_the_loaded_one(path):
    model = tracer.load_model(path, cache=False)
    lazy = from_entry(model)
    assert (lazy, lazy.model_fields_set) == (model, model.model_fields_set)
    assert answers(lazy) == answers(model)
    assert tracer.lint(lazy) == tracer.lint(model)  # walks every part: decodes them all


def test_a_trace_decodes_only_the_parts_it_reaches():
    model = from_entry(tracer.parse_model(to_yaml(synthetic_model(holders=400))))
    traced = tracer.trace(model, sorted(model.interactions)[0], ["delete-recording"])
    decoded = {copy.holder for copy in traced.copies}
    assert set(model.holders._decoded) == decoded
    assert 0 < len(model.flows._decoded) < len(model.flows) / 10
    assert model.parties._decoded.keys() <= {copy.party for copy in traced.copies}


def test_the_parts_answer_as_the_dict_and_tuple_they_stand_for():
    model = tracer.load_model(cache=False)
    lazy = from_entry(model)
    holders, flows = lazy.holders, lazy.flows
    assert list(holders) == list(model.holders) and len(holders) == len(model.holders)
    assert holders == model.holders and dict(holders.items()) == model.holders
    assert "nowhere" not in holders and holders.get("nowhere") is None
    with pytest.raises(KeyError):
        holders["nowhere"]
    assert flows == model.flows and model.flows == flows and flows != list(model.flows)
    assert (flows[0], flows[-1], flows[1:3]) == (model.flows[0], model.flows[-1], model.flows[1:3])
    assert flows + ("x",) == (*model.flows, "x") and ("x",) + flows == ("x", *model.flows)
    assert lazy.flows + lazy.derivations == model.flows + model.derivations
    assert hash(flows) == hash(model.flows) and {flows: 1}[model.flows] == 1
    assert holders | {} == model.holders and {} | holders == model.holders
    with pytest.raises(IndexError):
        flows[len(model.flows)]
    # copied or pickled, they become the plain dict and tuple; a traced model too (its index)
    tracer.trace(lazy, "dominos-order")
    again = pickle.loads(pickle.dumps(lazy))
    assert type(again.holders) is dict and type(again.flows) is tuple
    assert tracer.trace(again, "dominos-order") == tracer.trace(model, "dominos-order")
    assert tracer.trace(copy.deepcopy(lazy), "dominos-order") == tracer.trace(
        model, "dominos-order"
    )


def test_a_model_with_nothing_assumed_is_the_same_model():
    lazy = from_entry(tracer.load_model(cache=False))
    assert tracer.assume(lazy) is lazy  # not copied: copying would decode every part
