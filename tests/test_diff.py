"""Diff: what changes between two models, or a model and itself under assumptions, copy by copy
and party by party; and its drawing, where a change reads without colour."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from strategies import common, models, requests
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.render.diff import diff_dot, diff_mermaid

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

BEFORE = """\
format: tracer/1
name: Before
sources: {s1: {title: A source}}
parties: {acme: {name: Acme}, partner: {name: Partner}, broker: {name: Broker}}
records: {note: {name: Note}}
holders:
  inbox:
    name: Inbox
    party: acme
    keeps: {note: {for: until_deleted, deleted_by: [wipe], evidence: [s1], confidence: stated}}
  partner_copy:
    name: Partner copy
    party: partner
    keeps: {note: {for: unknown, evidence: [s1], confidence: stated}}
  broker_copy:
    name: Broker copy
    party: broker
    keeps: {note: {for: 1y, evidence: [s1], confidence: stated}}
flows:
  - {id: share, from: inbox, to: partner_copy, carries: [note], evidence: [s1], confidence: stated}
  - {id: sell, from: inbox, to: broker_copy, carries: [note], evidence: [s1], confidence: stated}
interactions:
  write: {name: Write a note, starts: {inbox: [note]}}
  old: {name: Only before, starts: {inbox: [note]}}
deletions: {wipe: {name: Wipe the inbox, by: acme}}
"""

AFTER = (
    BEFORE.replace("name: Before", "name: After")
    .replace(
        "  - {id: share, from: inbox, to: partner_copy,",
        "  - {id: share, deletion: propagated, from: inbox, to: partner_copy,",
    )
    .replace(
        "  - {id: sell, from: inbox, to: broker_copy, carries: [note], evidence: [s1], "
        "confidence: stated}\n",
        "",
    )
    .replace(
        "  old: {name: Only before, starts: {inbox: [note]}}",
        "  new: {name: Only after, starts: {inbox: [note]}}",
    )
)


@pytest.fixture
def before() -> tracer.Model:
    return tracer.parse_model(BEFORE)


@pytest.fixture
def after() -> tracer.Model:
    return tracer.parse_model(AFTER)


def test_a_copy_that_deletion_now_reaches_and_a_copy_gone_with_who_loses_access(before, after):
    result = tracer.diff(before, after, deletions=["wipe"])
    assert (result.only_in_a, result.only_in_b, result.compared) == (("old",), ("new",), ("write",))
    (item,) = result.interactions
    assert [(c.copy, c.change) for c in item.changes] == [
        ("broker_copy/note", "gone (was held)"),
        ("partner_copy/note", "may_remain -> deleted"),
    ]
    deleted = item.changes[1].after
    assert deleted.reason == (
        "deleted at 0d: wipe deleted inbox/note and flow 'share' propagates deletion"
    )
    assert (item.gained, item.lost) == (
        {},
        {"broker": ("broker_copy/note",), "partner": ("partner_copy/note",)},
    )


def test_a_new_copy_and_who_gains_access_read_the_other_way(before, after):
    (item,) = tracer.diff(after, before, ["write"]).interactions
    assert [(c.copy, c.change) for c in item.changes] == [("broker_copy/note", "new (held)")]
    assert item.gained == {"broker": ("broker_copy/note",)}


def test_a_request_only_one_model_has_is_applied_to_that_side_at_one_query_time(before):
    later = tracer.parse_model(
        BEFORE.replace(
            "deletions: {wipe: {name: Wipe the inbox, by: acme}}",
            "deletions: {wipe: {name: Wipe the inbox, by: acme}, auto: {name: Auto, after: 40d}}",
        ).replace("deleted_by: [wipe]", "deleted_by: [wipe, auto]")
    )
    result = tracer.diff(before, later, ["write"], ["auto"])
    assert (result.requests, result.requests_only_in_b, result.at) == (("auto",), ("auto",), "40d")
    assert [(c.copy, c.change) for c in result.interactions[0].changes] == [
        ("inbox/note", "held -> deleted")
    ]
    assert "Requests only in B (applied there only): auto." in result.to_markdown()
    with pytest.raises(tracer.UnknownIdError, match="unknown deletion request 'autoo'"):
        tracer.diff(before, later, deletions=["autoo"])


def test_an_interaction_missing_from_one_model_is_an_error_when_asked_for(before, after):
    with pytest.raises(tracer.UnknownIdError, match="unknown interaction \\(in After\\) 'old'"):
        tracer.diff(before, after, ["old"])


@settings(common, max_examples=30)  # each example traces every interaction: keep it quick
@given(models(), requests())
def test_a_model_diffed_with_itself_is_empty(model, requests):
    result = tracer.diff(model, model, deletions=requests)
    assert result.empty
    assert result.interactions == ()
    assert result.compared == tuple(sorted(model.interactions))


def test_the_markdown_diff_names_the_assumption_and_each_change(alexa):
    what_if = tracer.assume(alexa, ["copy-to-subsystems.deletion=propagated"])
    text = tracer.diff(alexa, what_if, ["weather"], ["delete-recording"]).to_markdown()
    assert "Assumptions applied: copy-to-subsystems.deletion=propagated." in text
    row = next(line for line in text.splitlines() if line.startswith("| alexa_subsystems/tr"))
    assert row.startswith(
        "| alexa_subsystems/transcript | may_remain -> deleted | deleted at 0d: delete-recording "
        "deleted voice_history/transcript and flow 'copy-to-subsystems' propagates deletion | "
    )
    assert row.endswith(" | assumed |")
    assert text.endswith(
        "amazon can no longer access alexa_subsystems/response_transcript, "
        "alexa_subsystems/transcript, alexa_subsystems/voice_recording\n"
    )


def test_the_diff_drawing_marks_changed_and_gone_copies_by_words_and_borders(before, after):
    dot = diff_dot(before, after, "write", ["wipe"])
    assert "<b>CHANGED: may_remain -&gt; deleted</b>" in dot
    assert "<b>GONE: gone (was held)</b>" in dot
    assert "peripheries=2 penwidth=3" in dot and 'style="dashed,rounded"' in dot
    mermaid = diff_mermaid(before, after, "write", ["wipe"])
    assert mermaid.count(":::changed") == 2
    assert "stroke-width:5px,stroke-dasharray" in mermaid


# --- the command line -------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.fixture
def files(tmp_path, before, after):
    a, b = tmp_path / "before.yaml", tmp_path / "after.yaml"
    a.write_text(BEFORE)
    b.write_text(AFTER)
    return str(a), str(b)


def test_diff_command_prints_each_change_and_the_access_it_costs(files):
    result = run("diff", *files, "--delete", "wipe")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Before -> After",
        "Deletion requests: wipe; status at 0d.",
        "Interactions only in A: old.",
        "Interactions only in B: new.",
    ]
    assert "partner can no longer access partner_copy/note" in lines


def test_diff_command_json_and_md(files):
    data = json.loads(run("diff", *files, "write", "--format", "json").stdout)
    assert data["interactions"][0]["changes"][0]["change"] == "gone (was held)"
    assert run("diff", *files, "--format", "md").stdout.startswith("# Before -> After\n")


def test_diff_of_a_model_with_itself_under_an_assumption(files):
    a, _ = files
    result = run("diff", a, a, "write", "--delete", "wipe", "--assume", "share.deletion=propagated")
    assert "Assumptions applied: share.deletion=propagated." in result.stdout
    assert "partner_copy/note" in result.stdout
    same = run("diff", a, a)
    assert same.stdout.splitlines()[-1] == "No change in 2 interactions compared."


def test_render_diff_writes_one_diagram_with_the_changes(files, tmp_path):
    out = tmp_path / "diff.dot"
    result = run("render", "--diff", *files, "write", "--delete", "wipe", "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, f"wrote {out}\n")
    assert "CHANGED: may_remain -&gt; deleted" in out.read_text()
    missing = run("render", "--diff", *files, "-o", str(out))
    assert (missing.exit_code, missing.stderr) == (
        1,
        "error: --diff needs an interaction to draw\n",
    )
    both = run("render", "--diff", *files, "write", "-m", files[0], "-o", str(out))
    assert (both.exit_code, both.stderr) == (
        1,
        "error: --diff names both models; give no -m/--model with it\n",
    )


def test_diff_of_an_unknown_request_is_one_message(files):
    result = run("diff", *files, "--delete", "wype")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown deletion request 'wype'; did you mean 'wipe'?")


def test_render_diff_is_drawn_without_colour_alone(files, tmp_path, dot):
    out = tmp_path / "diff.svg"
    assert (
        run("render", "--diff", *files, "write", "--delete", "wipe", "-o", str(out)).exit_code == 0
    )
    svg = out.read_text()
    assert "CHANGED: may_remain &#45;&gt; deleted" in svg and "GONE: gone (was held)" in svg
