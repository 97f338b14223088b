"""The event reader gives the data ``yaml.safe_load`` gives: each plain text resolved once and
shared (a model repeats its ids thousands of times) reads exactly as when resolved every time."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.model.yamldata import read_yaml

# plain texts YAML 1.1 reads as true/false, numbers, dates, null, or text, and quoted ones
TOKENS = [
    "yes", "No", "on", "OFF", "1", "01", "0x1f", "1_000", "-2", "1.5", "-.inf", "2019-06-28",
    "2019-06-28 10:00:00", "~", "null", "id", "acme", "<<x", "'q'", '"1"', "'yes'", "a b",
]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TOKENS), max_size=8), min_size=1, max_size=4))
def test_repeated_plain_values_read_as_yaml_safe_load_reads_them(rows):
    text = "".join(f"k{i}: [{', '.join(row)}]\n" for i, row in enumerate(rows))
    text += "".join(f"m{i}: {{v: {row[0]}}}\n" for i, row in enumerate(rows) if row)
    assert read_yaml(text) == yaml.safe_load(text)


def test_a_repeated_id_is_one_string_however_often_it_is_written():
    data = read_yaml("a: [acme, x, acme]\nb: acme\n")
    assert data["a"][0] is data["a"][2] is data["b"]
