"""What-if: assume a deletion behaviour or a retention period, or leave a flow out, without
editing the model; the statuses that rest on an assumption say so."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import common, models
from typer.testing import CliRunner

import tracer
from tracer.assume import AssumptionError, assumptions_of
from tracer.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def test_propagating_deletion_to_subsystems_deletes_their_transcripts_as_an_assumption(alexa):
    what_if = tracer.assume(alexa, ["copy-to-subsystems.deletion=propagated"])
    copy = tracer.trace(what_if, "weather", ["delete-recording"]).copy(
        "alexa_subsystems/transcript"
    )
    assert (copy.status, copy.confidence) == ("deleted", "assumed")
    assert "flow 'copy-to-subsystems' propagates deletion" in copy.reason
    # the shipped model itself is untouched
    original = tracer.trace(alexa, "weather", ["delete-recording"])
    assert original.copy("alexa_subsystems/transcript").status == "may_remain"
    assert assumptions_of(alexa) == ()


def test_a_retention_period_can_be_assumed_even_where_the_model_has_no_rule(alexa):
    what_if = tracer.assume(
        alexa,
        [
            "alexa_subsystems.keeps.transcript.for=30d",
            "alexa_cloud.keeps.annotation.for=forever",
        ],
    )
    copy = tracer.trace(what_if, "weather", at="30d").copy("alexa_subsystems/transcript")
    assert (copy.status, copy.confidence) == ("expired", "assumed")
    rule = what_if.holders["alexa_cloud"].keeps["annotation"]
    assert (str(rule.period), rule.confidence) == ("forever", "assumed")
    assert what_if.name == (
        "Amazon Alexa (2019), assuming alexa_subsystems.keeps.transcript.for=30d; "
        "alexa_cloud.keeps.annotation.for=forever"
    )


def test_without_a_flow_its_copies_are_never_made(alexa):
    what_if = tracer.assume(alexa, without=["human-review", "annotate"])
    holders = {c.holder for c in tracer.trace(what_if, "weather").copies}
    assert "annotation_pool" in holders  # still reached through review-location
    assert {
        c.id for c in tracer.trace(what_if, "weather").copies if c.holder == "annotation_pool"
    } == {"annotation_pool/location"}
    assert assumptions_of(what_if) == ("without human-review", "without annotate")


@pytest.mark.parametrize(
    ("assumption", "error", "message"),
    [
        (
            "copy-to-subsystem.deletion=propagated",
            tracer.UnknownIdError,
            "unknown flow or derivation 'copy-to-subsystem'; did you mean 'copy-to-subsystems'?",
        ),
        (
            "capture.deletion=sometimes",
            AssumptionError,
            "'capture.deletion=sometimes': deletion is one of ignored, propagated, unclear",
        ),
        (
            "voice_history.keeps.voice_recording.for=soon",
            AssumptionError,
            "'voice_history.keeps.voice_recording.for=soon': 'soon' is not a retention period",
        ),
        (
            "voice_histry.keeps.voice_recording.for=1y",
            tracer.UnknownIdError,
            "unknown holder 'voice_histry'; did you mean 'voice_history'?",
        ),
        ("capture.when=child", AssumptionError, "'capture.when=child': assume FLOW.deletion="),
        ("capture.deletion", AssumptionError, "'capture.deletion': write an assumption as"),
    ],
)
def test_an_assumption_tracer_cannot_apply_is_a_clear_error(alexa, assumption, error, message):
    with pytest.raises(error) as raised:
        tracer.assume(alexa, [assumption])
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, tracer.TracerError)


def test_without_an_unknown_flow_is_an_error(alexa):
    with pytest.raises(tracer.UnknownIdError, match="did you mean 'capture'"):
        tracer.assume(alexa, without=["captur"])


@settings(common, max_examples=30)  # each example traces every interaction: keep it quick
@given(models(), st.data())
def test_assuming_a_value_already_in_the_model_changes_nothing(model, data):
    assumptions = [f"{edge.key}.deletion={edge.deletion}" for edge in model.flows]
    for key, holder in model.holders.items():
        assumptions += [
            f"{key}.keeps.{record}.for={rule.period}" for record, rule in holder.keeps.items()
        ]
    chosen = data.draw(st.lists(st.sampled_from(assumptions), unique=True)) if assumptions else []
    same = tracer.assume(model, chosen)
    assert (same.flows, same.derivations, same.holders) == (
        model.flows,
        model.derivations,
        model.holders,
    )
    for interaction in model.interactions:
        for request in ((), ("d0",), ("d2",)):
            assert (
                tracer.trace(same, interaction, request).copies
                == tracer.trace(model, interaction, request).copies
            )


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.mark.parametrize("command", ["trace", "access"])
def test_trace_and_access_say_which_assumptions_they_applied(command):
    result = run(
        command,
        "weather",
        "--delete",
        "delete-recording",
        "--format",
        "json",
        "--assume",
        "copy-to-subsystems.deletion=propagated",
        "--without",
        "human-review",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "assuming: copy-to-subsystems.deletion=propagated; without human-review\n"
    )
    data = json.loads(result.stdout)
    parties = data["parties"] if command == "trace" else data
    assert "annotators" in parties  # review-location still reaches the reviewers
    assert "alexa_subsystems/transcript" not in parties["amazon"]["may_remain"]
    if command == "trace":
        assert data["model"].endswith(
            "assuming copy-to-subsystems.deletion=propagated; without human-review"
        )


def test_render_and_report_apply_assumptions(tmp_path):
    out = tmp_path / "w.mmd"
    result = run("render", "weather", "--without", "human-review", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Human review" in out.read_text()  # the location sample still goes to reviewers
    report = tmp_path / "r.md"
    result = run(
        "report",
        "weather",
        "--assume",
        "copy-to-subsystems.deletion=propagated",
        "-o",
        str(report),
    )
    assert result.exit_code == 0, result.output
    assert "assuming copy-to-subsystems.deletion=propagated" in report.read_text()


def test_a_bad_assumption_on_the_command_line_is_one_message_and_exit_1():
    result = run("trace", "weather", "--assume", "capture.deletion=bogus")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: 'capture.deletion=bogus': deletion is one of ignored, propagated, unclear\n",
    )
