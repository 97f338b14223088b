"""`validate` reports every error of a model at once: fixing what it said never reveals more.
Structure errors (a bad value, a duplicate key, a refused character) and reference errors
(an unknown id) come together, each at its line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.test_cli import TINY
from tracer.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

WIP = "holders.inbox.keeps.note.deleted_by[0]: unknown deletion request 'wip'; did you mean 'wipe'?"
PARTNR = "holders.partner_copy.party: unknown party 'partnr'; did you mean 'partner'?"


def validate(tmp_path, text: str) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)], env=ENV)
    assert result.exit_code == 1
    lines = result.stderr.replace(f"{path}:", "").splitlines()
    assert lines[0] == f"error: {len(lines) - 1} problems in the model"
    return lines[1:]


def test_a_bad_value_and_an_unknown_id_in_the_same_rule_are_both_reported(tmp_path):
    text = (
        TINY.replace("for: until_deleted", "for: sometimes")
        .replace("[wipe]", "[wip]")
        .replace("party: partner", "party: partnr")
        .replace("carries: [note]", "carries: [nte]")
    )
    assert validate(tmp_path, text) == [
        f"10: {WIP}",
        "10: holders.inbox.keeps.note.for: 'sometimes' is not a retention period: use one of "
        "none, until_deleted, forever, unknown or a duration like 30d, 3mo, 7y",
        f"13: {PARTNR}",
        "15: flows[0].carries[0]: unknown record 'nte'; did you mean 'note'?",
    ]


def test_a_missing_field_and_an_unknown_id_beside_it_are_both_reported(tmp_path):
    text = TINY.replace("    party: acme\n", "").replace("[wipe]", "[wip]")
    assert validate(tmp_path, text) == [
        "7: holders.inbox.party: required, but missing",
        f"9: {WIP}",
    ]


def test_a_duplicate_key_and_the_unknown_ids_are_both_reported(tmp_path):
    text = TINY.replace("    party: acme\n", "    party: acme\n    party: acme\n").replace(
        "[wipe]", "[wip]"
    )
    assert validate(tmp_path, text) == [
        "10: party: duplicate key: it is already defined earlier in the same mapping",
        f"11: {WIP}",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("name: Wipe the inbox", 'name: "Wipe\\x07 the inbox"'),
            "17: deletions.wipe.name: contains the control character U+0007, at character 5; remove it",
        ),
        (
            ("deletions: {wipe:", "deletions: {yes: {name: Y}, wipe:"),
            "17: deletions.yes: the key 'yes' is read by YAML as true/false (True): write 'yes' "
            "(quoted) to use it as a name",
        ),
    ],
)
def test_a_refused_text_and_the_unknown_ids_are_both_reported(tmp_path, change, message):
    text = TINY.replace(*change).replace("party: partner", "party: partnr")
    found = validate(tmp_path, text)
    assert f"13: {PARTNR}" in found
    assert any(line.startswith(message) for line in found), found
