"""The synthetic models the benchmark loads: their YAML reads back as exactly the data."""

from __future__ import annotations

import yaml

from tracer.synthetic import synthetic_model, to_yaml


def test_synthetic_yaml_reads_back_as_exactly_the_model_data():
    data = synthetic_model(holders=200)
    assert yaml.safe_load(to_yaml(data)) == data


def test_synthetic_yaml_quotes_text_that_yaml_would_read_as_something_else():
    data = synthetic_model(holders=40)
    data["description"] = "yes"
    data["records"]["voice_recording"]["note"] = "2019-06-28"
    data["parties"]["user"]["note"] = "it's: #1, [really]\nsecond line"
    text = to_yaml(data)
    assert "description: 'yes'\n" in text
    assert yaml.safe_load(text) == data


def test_synthetic_yaml_with_aliases_shares_the_rules_and_reads_back_the_same():
    data = synthetic_model(holders=200)
    text = to_yaml(data, aliases=True)
    assert "*id" in text
    assert yaml.safe_load(text) == data
