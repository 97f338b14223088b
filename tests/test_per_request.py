"""A rule whose deletion requests rest on different sources gives each its own confidence
(`per_request`), and a model can say the day it describes (`date`): both optional, so every
`tracer/1` file without them stays valid."""

from __future__ import annotations

import pytest

import tracer

MODEL = """\
format: tracer/1
name: per request
date: 2019-06-28
sources:
  letter: {title: The letter, kind: official, date: 2019-06-28, url: "https://example.com/l"}
  news: {title: The news, kind: press, date: 2019-07-05, url: "https://example.com/n"}
parties: {acme: {name: Acme}}
records: {audio: {name: Audio}, text: {name: Text}}
holders:
  store:
    name: Store
    party: acme
    keeps:
      audio:
        for: until_deleted
        deleted_by: [delete, shout]
        evidence: [letter]
        confidence: stated
        per_request:
          shout: {evidence: [news], confidence: reported}
      text:
        for: until_deleted
        deleted_by: [delete]
        unclear_for: [shout]
        evidence: [letter]
        confidence: stated
        note: The letter speaks of deleting audio.
        per_request:
          shout: {confidence: unknown, note: Nobody says whether shouting removes the text.}
derivations:
  - {at: store, from: audio, to: text, evidence: [letter], confidence: stated}
interactions: {ask: {name: Ask, starts: {store: [audio]}}}
deletions:
  delete: {name: Delete, by: acme, evidence: [letter], confidence: stated}
  shout: {name: Shout at it, by: acme, evidence: [news], confidence: reported}
"""


@pytest.fixture
def model(tmp_path) -> tracer.Model:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    checked = tracer.check_model(path)
    assert checked.warnings == ()
    return checked.model


def test_a_request_with_its_own_sources_deletes_with_its_own_confidence(model):
    by_letter = tracer.trace(model, "ask", ["delete"]).copy("store/audio")
    by_news = tracer.trace(model, "ask", ["shout"]).copy("store/audio")
    assert (by_letter.status, by_letter.evidence, by_letter.confidence) == (
        "deleted",
        ("letter",),
        "stated",
    )
    assert (by_news.status, by_news.evidence, by_news.confidence) == (
        "deleted",
        ("news",),
        "reported",
    )


def test_an_unclear_request_gives_its_own_note_as_the_reason(model):
    text = tracer.trace(model, "ask", ["shout"]).copy("store/text")
    assert (text.status, text.confidence) == ("may_remain", "unknown")
    assert text.reason == (
        "shout may not remove it here: Nobody says whether shouting removes the text."
    )


def test_the_model_carries_its_date(model):
    assert model.date == "2019-06-28"
    assert tracer.describe(model)["date"] == "2019-06-28"


def test_per_request_must_name_a_request_of_the_rule(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        MODEL.replace("          shout: {evidence: [news]", "          shut: {evidence: [news]")
    )
    with pytest.raises(tracer.TracerError) as error:
        tracer.load_model(path)
    assert (
        f"{path}:20: holders.store.keeps.audio.per_request.shut: 'shut' is in neither "
        "deleted_by nor unclear_for"
    ) in str(error.value)


def test_a_model_without_the_extensions_is_still_valid():
    model = tracer.Model.model_validate(
        {
            "format": "tracer/1",
            "name": "plain",
            "sources": {"s": {"title": "S"}},
            "parties": {"a": {"name": "A"}},
            "records": {"r": {"name": "R"}},
            "holders": {"h": {"name": "H", "party": "a", "keeps": {"r": {"for": "30d"}}}},
        }
    )
    assert model.date is None and model.sources["s"].kind is None
    assert model.holders["h"].keeps["r"].per_request == {}
