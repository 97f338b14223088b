"""trace() against an independent reading of docs/format.md (tests/oracle.py): on random models,
requests and query times, every copy has the status, reason, evidence, confidence, footing, path
and access that the semantics give it, and every party the copies it can still reach."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import assert_agrees, oracle
from profiles import examples
from strategies import models, query_times, requests

import tracer


@settings(max_examples=examples(dev=100, ci=500, thorough=5000))
@given(models(), st.data())
def test_trace_gives_what_an_independent_reading_of_the_semantics_gives(model, data):
    interaction = data.draw(st.sampled_from(sorted(model.interactions)), label="interaction")
    specs = data.draw(requests(), label="requests")
    at = data.draw(query_times(), label="at")
    assert_agrees(
        tracer.trace(model, interaction, specs, at), oracle(model, interaction, specs, at)
    )
