"""One filter for every export and `tracer list`: --party, --retention, --confidence select
processings (a holder handling a record), and the part of the model they keep still loads and
traces."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.errors import OutputError, UnknownIdError
from tracer.interop.selection import Selection, processings, select_model, select_trace

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}

SMALL = """
format: tracer/1
name: small
parties: {acme: {name: Acme}, ads: {name: Ads, role: third_party}}
records: {log: {name: Log}, mail: {name: Mail}}
holders:
  app: {name: App, party: acme, keeps: {log: {for: 30d, confidence: stated}, mail: {for: forever, confidence: stated}}}
  archive: {name: Archive, party: acme, keeps: {log: {for: 1y, confidence: reported}}}
  tracker: {name: Tracker, party: ads}
flows:
  - {from: app, to: archive, carries: [log], confidence: stated}
  - {from: app, to: tracker, carries: [log, mail], confidence: alleged}
interactions:
  use: {name: Use the app, starts: {app: [log, mail]}}
"""


@pytest.fixture(scope="module")
def small():
    return tracer.parse_model(SMALL)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(), ["app/log", "app/mail", "archive/log", "tracker/log", "tracker/mail"]),
        (Selection(parties=("ads",)), ["tracker/log", "tracker/mail"]),
        (Selection(retention=("forever",)), ["app/mail"]),
        (Selection(retention=("duration",)), ["app/log", "archive/log"]),
        (Selection(retention=("1y",)), ["archive/log"]),
        # a record a holder receives with no rule is kept for an unknown time
        (Selection(retention=("unknown",)), ["tracker/log", "tracker/mail"]),
        (Selection(confidence=("reported",)), ["archive/log"]),
        (Selection(parties=("acme",), confidence=("stated",)), ["app/log", "app/mail"]),
    ],
)
def test_a_selection_keeps_the_processings_that_match_every_filter(small, selection, expected):
    assert [f"{h}/{r}" for h, r in processings(small, selection)] == expected


def test_the_selected_model_keeps_whole_holders_and_the_flows_between_them(small):
    part = select_model(small, Selection(retention=("duration",)))
    assert list(part.holders) == ["app", "archive"]
    assert part.holders["app"].keeps == small.holders["app"].keeps  # rules are not cut
    assert [(f.source, f.target) for f in part.flows] == [("app", "archive")]
    assert list(part.interactions) == ["use"]
    assert tracer.parse_model(tracer.interop.model_yaml(part)) == part  # it is a whole model


def test_a_confidence_filter_keeps_the_flows_of_that_confidence_and_their_ends(small):
    part = select_model(small, Selection(confidence=("alleged",)))
    assert [(f.source, f.target) for f in part.flows] == [("app", "tracker")]
    assert list(part.holders) == ["app", "tracker"]


def test_a_trace_is_taken_of_the_whole_model_then_cut(small):
    whole = tracer.trace(small, "use")
    cut = select_trace(whole, small, Selection(parties=("ads",)))
    assert [(c.id, c.path) for c in cut.copies] == [
        ("tracker/log", ("app->tracker",)), ("tracker/mail", ("app->tracker",))
    ]  # fmt: skip
    assert list(cut.parties) == ["ads"]


def test_an_unknown_party_or_word_is_an_error_never_an_empty_result(small):
    with pytest.raises(UnknownIdError, match="unknown party 'acm'; did you mean 'acme'"):
        list(processings(small, Selection(parties=("acm",))))
    with pytest.raises(OutputError, match="--retention 'soon'"):
        list(processings(small, Selection(retention=("soon",))))
    with pytest.raises(OutputError, match="--confidence 'sure'"):
        list(processings(small, Selection(confidence=("sure",))))


def test_list_takes_the_filters(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["list", "-m", str(path), "-f", "json", "--retention", "unknown"], env=ENV
    )
    assert result.exit_code == 0
    assert list(json.loads(result.stdout)["holders"]) == ["tracker"]
    result = CliRunner().invoke(
        app, ["list", "-m", str(path), "-f", "json", "--party", "acme", "--party", "ads"], env=ENV
    )
    assert list(json.loads(result.stdout)["holders"]) == ["app", "archive", "tracker"]


def test_every_export_takes_the_filters(tmp_path):
    out = tmp_path / "amazon.graphml"
    result = CliRunner().invoke(
        app, ["export", "graphml", "--party", "annotators", "-o", str(out)], env=ENV
    )
    assert result.exit_code == 0
    assert [n for n in tracer.interop.read_graphml(out).nodes] == ["annotation_pool"]
    fides = tmp_path / "fides.yml"
    result = CliRunner().invoke(
        app, ["export", "fides", "--retention", "until_deleted", "-o", str(fides)], env=ENV
    )
    assert result.exit_code == 0
    assert list(tracer.interop.read_fides(fides).holders) == ["voice_history"]
    result = CliRunner().invoke(
        app, ["export", "schema", "--party", "amazon", "-o", str(tmp_path / "s.json")], env=ENV
    )
    assert result.exit_code == 1
    assert "the schema is the format itself" in result.stderr


@pytest.mark.parametrize("name", ["alexa.yaml", "alexa-2025.yaml"])
def test_every_selection_of_a_shipped_model_is_a_model_that_traces(name):
    model = tracer.load_model(tracer.default_model_path().parent / name)
    for party in [None, *model.parties]:
        for retention in [(), ("unknown",), ("until_deleted",), ("none",)]:
            for confidence in [(), ("alleged",), ("stated",)]:
                selection = Selection((party,) if party else (), retention, confidence)
                part = select_model(model, selection)
                kept = {h for h, _ in processings(model, selection)}
                assert kept <= set(part.holders)
                for interaction in part.interactions:
                    tracer.trace(part, interaction)
