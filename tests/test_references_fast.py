"""The set-based check that a model's references resolve agrees with the located walk, on the
shipped model and on every kind of broken reference planted in it."""

from __future__ import annotations

import copy

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import tracer
from tracer.model import Model
from tracer.model.references import Known, _all_resolve, _located_problems

ALEXA = yaml.safe_load(tracer.default_model_path().read_text(encoding="utf-8"))


def _a_holder_with_rules(data):
    return next(key for key, holder in sorted(data["holders"].items()) if holder.get("keeps"))


BREAKS = {
    "flow to an unknown holder": lambda d, i: d["flows"][i % len(d["flows"])].update(to="nobody"),
    "flow from an unknown holder": lambda d, i: d["flows"][i % len(d["flows"])].update(
        {"from": "nobody"}
    ),
    "flow to itself": lambda d, i: d["flows"][i % len(d["flows"])].update(
        to=d["flows"][i % len(d["flows"])]["from"]
    ),
    "unknown record carried": lambda d, i: d["flows"][i % len(d["flows"])]["carries"].append("x"),
    "unknown evidence": lambda d, i: d["flows"][i % len(d["flows"])].update(evidence=["nope"]),
    "duplicate flow id": lambda d, i: d["flows"].append(copy.deepcopy(d["flows"][0])),
    "derivation at an unknown holder": lambda d, i: d["derivations"][
        i % len(d["derivations"])
    ].update(at="nobody"),
    "derivation of an unknown record": lambda d, i: d["derivations"][
        i % len(d["derivations"])
    ].update(to="nothing"),
    "holder of an unknown party": lambda d, i: d["holders"][
        sorted(d["holders"])[i % len(d["holders"])]
    ].update(party="nobody"),
    "unknown deletion request": lambda d, i: next(
        iter(d["holders"][_a_holder_with_rules(d)]["keeps"].values())
    ).update(deleted_by=["never"]),
    "request both deleting and unclear": lambda d, i: next(
        iter(d["holders"][_a_holder_with_rules(d)]["keeps"].values())
    ).update(deleted_by=["delete-recording"], unclear_for=["delete-recording"]),
    "per-request confidence for a request the rule does not name": lambda d, i: next(
        iter(d["holders"][_a_holder_with_rules(d)]["keeps"].values())
    ).update(per_request={"never": {"confidence": "assumed"}}),
    "per-request evidence that is no source": lambda d, i: next(
        iter(d["holders"][_a_holder_with_rules(d)]["keeps"].values())
    ).update(
        deleted_by=["delete-recording"],
        per_request={"delete-recording": {"evidence": ["nope"], "confidence": "reported"}},
    ),
    "rule for an unknown record": lambda d, i: d["holders"][_a_holder_with_rules(d)][
        "keeps"
    ].update(ghost={"for": "30d"}),
    "interaction starting at an unknown holder": lambda d, i: next(
        iter(d["interactions"].values())
    )["starts"].update(nowhere=["voice_recording"]),
    "deletion by an unknown party": lambda d, i: next(iter(d["deletions"].values())).update(
        by="nobody"
    ),
}


def test_the_shipped_model_resolves_by_both_checks():
    model = tracer.load_model(cache=False)
    assert _all_resolve(model, Known.of(model)) is True
    assert _located_problems(model, Known.of(model)) == []


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(BREAKS)), st.integers(min_value=0, max_value=500))
def test_a_planted_broken_reference_is_seen_by_both_checks(kind, where):
    data = copy.deepcopy(ALEXA)
    BREAKS[kind](data, where)
    model = Model.model_validate(data)
    known = Known.of(model)
    assert _located_problems(model, known) != [], kind
    assert _all_resolve(model, known) is False, kind
