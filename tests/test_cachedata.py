"""The cache's columns hold a model exactly: rebuilt without validation, it equals the model
loaded from its file, traces the same, and keeps every part's kind, sharing and immutability."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

import tracer
from tracer.cachedata import from_columns, to_columns
from tracer.loading import default_model_path
from tracer.synthetic import synthetic_model, to_yaml

SHIPPED = [default_model_path(), default_model_path().with_name("alexa-2025.yaml")]


def rebuilt(model):
    return from_columns(pickle.loads(pickle.dumps(to_columns(model))))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_a_shipped_model_rebuilt_from_columns_equals_the_loaded_one(path):
    model = tracer.load_model(path, cache=False)
    again = rebuilt(model)
    assert again == model
    assert again.model_fields_set == model.model_fields_set


def test_the_shipped_model_has_every_kind_of_nested_part_the_columns_hold():
    model = tracer.load_model(cache=False)
    rules = [rule for holder in model.holders.values() for rule in holder.keeps.values()]
    assert model.claims  # statements: a part or None in each claim's fields
    assert any(rule.per_request for rule in rules)  # a dict of parts in a part in a dict
    assert any(holder.access for holder in model.holders.values())  # a tuple of parts, or None
    assert any(holder.access is None for holder in model.holders.values())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_a_rebuilt_model_traces_every_interaction_the_same(path):
    model = tracer.load_model(path, cache=False)
    again = rebuilt(model)
    deletions = sorted(model.deletions)
    for name in sorted(model.interactions):
        assert (
            tracer.trace(again, name, deletions).to_dict()
            == tracer.trace(model, name, deletions).to_dict()
        )


def test_rebuilt_parts_are_the_same_kinds_and_still_frozen():
    model = tracer.parse_model(to_yaml(synthetic_model(holders=60)))
    again = rebuilt(model)
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
    assert rebuilt(model)._derived == {}  # ...and never stored with it
