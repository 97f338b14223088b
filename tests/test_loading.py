"""Loading a model file: every bad input gets its own clear message at file:line."""

from __future__ import annotations

import difflib
import json
import os
import textwrap
from pathlib import Path

import pytest

import tracer
from tracer.model.loading import DEFAULT_MAX_BYTES

VALID = """\
format: tracer/1
name: test
sources: {s1: {title: A source, date: 2019-06-28}}
parties: {acme: {name: Acme}}
records: {note: {name: Note}}
holders:
  inbox:
    name: Inbox
    party: acme
    keeps:
      note: {for: until_deleted, deleted_by: [wipe], evidence: [s1], confidence: stated}
interactions: {write: {name: Write, starts: {inbox: [note]}}}
deletions: {wipe: {name: Wipe}}
"""


def write(tmp_path: Path, text: str | bytes, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(tracer.ModelError) as caught:
        tracer.load_model(path)
    # drop the file name: each test reads "line: field: message"
    return [str(p).removeprefix(f"{path}:").lstrip() for p in caught.value.problems]


def test_a_valid_model_loads_from_yaml_and_from_json(tmp_path):
    from_yaml = tracer.load_model(write(tmp_path, VALID))
    import yaml

    data = yaml.safe_load(VALID)
    data["sources"]["s1"]["date"] = "2019-06-28"
    from_json = tracer.load_model(write(tmp_path, json.dumps(data), "m.json"))
    assert from_yaml == from_json
    assert from_yaml.sources["s1"].date == "2019-06-28"


def test_the_default_model_loads_with_no_path():
    assert tracer.load_model().name == "Amazon Alexa (2019)"


def test_an_unknown_key_is_an_error_with_a_did_you_mean(tmp_path):
    path = write(tmp_path, VALID.replace("deleted_by: [wipe]", "delted_by: [wipe]"))
    assert problems(path) == [
        "11: holders.inbox.keeps.note.delted_by: unknown key 'delted_by'; did you mean "
        "'deleted_by'? (allowed: confidence, deleted_by, evidence, for, note, per_request, unclear_for)"
    ]


def test_an_unknown_id_is_an_error_with_a_did_you_mean(tmp_path):
    path = write(tmp_path, VALID.replace("party: acme", "party: acmee"))
    assert problems(path) == ["9: holders.inbox.party: unknown party 'acmee'; did you mean 'acme'?"]


def test_every_problem_is_listed_at_once_shape_and_references_together(tmp_path):
    text = (
        VALID.replace("party: acme", "party: nobody").replace(
            "records: {note: {name: Note}}", "records: {note: {nam: Note}}"
        )
        + "flows: [{from: inbox, to: outbox, carries: [note]}]\n"
    )
    assert problems(path := write(tmp_path, text)) == [
        "5: records.note.nam: unknown key 'nam'; did you mean 'name'? (allowed: categories, name, note)",
        "5: records.note.name: required, but missing",
        "9: holders.inbox.party: unknown party 'nobody'",
        "14: flows[0].to: unknown holder 'outbox'",
    ]
    # the malformed record is not reported a second time as an unknown record
    assert not any("unknown record" in p for p in problems(path))


def test_a_reference_to_an_entry_after_a_malformed_list_entry_keeps_its_index(tmp_path):
    text = VALID + textwrap.dedent("""\
    flows:
      - {from: inbox, carries: [note]}
      - {from: inbox, to: inboxx, carries: [note]}
    """)
    assert problems(write(tmp_path, text)) == [
        "15: flows[0].to: required, but missing",
        "16: flows[1].to: unknown holder 'inboxx'; did you mean 'inbox'?",
    ]


def test_a_duplicate_key_is_an_error_at_its_second_line(tmp_path):
    text = VALID.replace(
        "records: {note: {name: Note}}", "records:\n  note: {name: Note}\n  note: {name: Again}"
    )
    assert problems(write(tmp_path, text)) == [
        "7: note: duplicate key: it is already defined earlier in the same mapping"
    ]


def test_an_invalid_id_says_what_an_id_looks_like(tmp_path):
    text = VALID.replace(
        "parties: {acme: {name: Acme}}", "parties: {acme: {name: Acme}, Big Co: {name: B}}"
    )
    assert problems(write(tmp_path, text)) == [
        "4: parties.Big Co: 'Big Co' is not a valid id: use lowercase letters, digits and _ . : - "
        "(starting with a letter or digit), like 'voice_history'"
    ]


def test_a_bad_duration_names_the_accepted_forms(tmp_path):
    text = VALID.replace("for: until_deleted", "for: 3 months")
    assert problems(write(tmp_path, text)) == [
        "11: holders.inbox.keeps.note.for: '3 months' is not a retention period: use one of none, "
        "until_deleted, forever, unknown or a duration like 30d, 3mo, 7y"
    ]


def test_duplicate_flow_ids_and_conflicting_deletion_lists_are_errors(tmp_path):
    text = VALID.replace("deleted_by: [wipe]", "deleted_by: [wipe], unclear_for: [wipe]")
    text = text.replace("holders:\n", "holders:\n  out: {name: Out, party: acme}\n")
    text += "flows:\n  - {from: inbox, to: out, carries: [note]}\n  - {from: inbox, to: out, carries: [note]}\n"
    assert problems(write(tmp_path, text)) == [
        "12: holders.inbox.keeps.note.unclear_for: 'wipe' is in both deleted_by and unclear_for",
        "17: flows[1]: duplicate id 'inbox->out' (also flows[0]); give each an `id:`",
    ]


def test_an_empty_file_is_refused(tmp_path):
    assert problems(write(tmp_path, "")) == [
        "the file is empty: a model starts with `format: tracer/1`"
    ]
    assert problems(write(tmp_path, "# only a comment\n")) == [
        "the file is empty: a model starts with `format: tracer/1`"
    ]


def test_a_top_level_list_is_refused(tmp_path):
    assert problems(write(tmp_path, "- format: tracer/1\n")) == [
        "1: the top level is a list; a model is a mapping of sections (format, name, parties, holders, ...)"
    ]


def test_a_missing_or_wrong_format_is_refused(tmp_path):
    assert problems(write(tmp_path, "name: x\n")) == [
        "1: format: missing: a model starts with `format: tracer/1`"
    ]
    assert problems(write(tmp_path, "name: x\nformat: tracer/2\n")) == [
        "2: format: unsupported format 'tracer/2': this tracer reads 'tracer/1'"
    ]


def test_invalid_utf8_is_refused_at_its_line(tmp_path):
    raw = VALID.replace("Inbox", "In\udcffbox").encode("utf-8", "surrogateescape")
    assert problems(write(tmp_path, raw)) == [
        "8: not valid UTF-8: byte 0xff at column 13; save the file as UTF-8"
    ]


def test_invalid_yaml_is_refused_at_its_line(tmp_path):
    assert problems(write(tmp_path, "format: tracer/1\nname: [unclosed\n")) == [
        "3: not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"
    ]


def test_an_alias_bomb_is_refused(tmp_path):
    lines = ["format: tracer/1", "name: bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    assert problems(write(tmp_path, "\n".join(lines) + "\n")) == [
        "7: aliases expand the 63 YAML values written so far into 101,243: "
        "refusing a possible alias bomb"
    ]


def test_a_merge_key_bomb_is_refused_at_its_line_before_anything_is_copied(tmp_path):
    # 10,000 keys merged into 20,000 mappings: 200 million copies (29 s and 4 GB before the fix)
    lines = ["format: tracer/1", "name: bomb", "m0: &m0"]
    lines += [f"  k{i}: v" for i in range(10_000)]
    lines += ["list:"] + ["- {<<: *m0}"] * 20_000
    assert problems(write(tmp_path, "\n".join(lines) + "\n")) == [
        "10019: aliases expand the 20,054 YAML values written so far into 320,054: "
        "refusing a possible alias bomb"
    ]


@pytest.mark.parametrize("value", ["5", "[1, 2]", "[*a, 3]", "x"])
def test_a_merge_key_whose_value_is_not_a_mapping_is_an_error(tmp_path, value):
    text = VALID.replace(
        "records: {note: {name: Note}}",
        f"a: &a {{x: 1}}\nrecords: {{note: {{<<: {value}, name: Note}}}}",
    )
    assert problems(write(tmp_path, text)) == [
        "6: a merge key `<<` takes a mapping (`<<: *anchor`) or a list of them"
    ]


def test_a_merge_key_used_as_a_value_is_an_error(tmp_path):
    text = VALID.replace("name: test", "name: <<")
    assert problems(write(tmp_path, text)) == [
        "2: `<<` is a merge key and cannot be a value; quote it to write the text '<<'"
    ]


def test_merge_keys_still_merge_with_explicit_keys_winning(tmp_path):
    text = VALID.replace(
        "parties: {acme: {name: Acme}}",
        "parties: {base: &base {name: Base, role: processor}, acme: {<<: *base, name: Acme}}",
    )
    acme = tracer.load_model(write(tmp_path, text)).parties["acme"]
    assert (acme.name, acme.role) == ("Acme", "processor")


def test_a_recursive_alias_is_refused(tmp_path):
    assert problems(write(tmp_path, "format: tracer/1\nname: &a [*a]\n")) == [
        "2: recursive alias: an anchor refers to itself"
    ]


def test_an_ordinary_alias_is_fine(tmp_path):
    text = VALID.replace("evidence: [s1]", "evidence: &ev [s1]")
    model = tracer.load_model(write(tmp_path, text))
    assert model.holders["inbox"].keeps["note"].evidence == ("s1",)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = write(tmp_path, VALID)
    with pytest.raises(tracer.ModelError) as caught:
        tracer.load_model(path, max_bytes=100)
    assert str(caught.value.problems[0]) == (
        f"{path}: the file is {path.stat().st_size:,} bytes, over the limit of 100; refusing to read it"
    )
    assert DEFAULT_MAX_BYTES == 256 * 1024 * 1024


def test_a_missing_file_is_a_model_error(tmp_path):
    assert problems(tmp_path / "nope.yaml") == ["cannot read the file: No such file or directory"]


def test_model_error_message_lists_every_problem_one_per_line(tmp_path):
    path = write(
        tmp_path, VALID.replace("party: acme", "party: x").replace("[note]}}}", "[nope]}}}")
    )
    with pytest.raises(tracer.ModelError) as caught:
        tracer.load_model(path)
    assert str(caught.value) == "\n".join(
        [
            "2 problems in the model",
            f"{path}:9: holders.inbox.party: unknown party 'x'",
            f"{path}:12: interactions.write.starts.inbox[0]: unknown record 'nope'; did you mean 'note'?",
        ]
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("!!bool maybe", "cannot read 'maybe' as true or false (!!bool)"),
        ('!!int ""', "cannot read '' as a whole number (!!int)"),
        ("!!int +", "cannot read '+' as a whole number (!!int)"),
        ('!!float ""', "cannot read '' as a number (!!float)"),
        ("!!timestamp abc", "cannot read 'abc' as a date or time (!!timestamp)"),
        (
            "!!int " + "9" * 5000,
            "cannot read '" + "9" * 40 + "'... (5,000 characters) as a whole number (!!int)",
        ),
    ],
)
def test_a_safe_yaml_tag_with_a_bad_value_is_an_error_at_its_line(tmp_path, value, problem):
    text = VALID.replace("name: Note", f"name: {value}")
    assert problems(write(tmp_path, text)) == [f"5: {problem}"]


@pytest.mark.parametrize(("value", "kind"), [("[30d]", "a list"), ("{d: 30}", "a mapping")])
def test_a_retention_period_that_is_a_list_or_mapping_is_an_error(tmp_path, value, kind):
    text = VALID.replace("for: until_deleted", f"for: {value}")
    assert problems(write(tmp_path, text)) == [
        f"11: holders.inbox.keeps.note.for: a retention period is one word or duration, not "
        f"{kind}: use one of none, until_deleted, forever, unknown or a duration like 30d, 3mo, 7y"
    ]


def test_a_duration_over_1000_years_in_the_model_is_an_error(tmp_path):
    text = VALID.replace("for: until_deleted", "for: 1001y").replace(
        "{name: Wipe}", "{name: Wipe, after: " + "9" * 320 + "d}"
    )
    assert problems(write(tmp_path, text)) == [
        "11: holders.inbox.keeps.note.for: '1001y' is too long: durations and times go up to "
        "1000 years (365000d)",
        "13: deletions.wipe.after: '" + "9" * 39 + "... is too long: durations and times go up to "
        "1000 years (365000d)",
    ]


def test_the_size_limit_applies_to_a_pipe_or_device_with_no_stated_size(tmp_path):
    for device in ("/dev/zero", "/dev/urandom"):
        with pytest.raises(tracer.ModelError) as caught:
            tracer.load_model(device, max_bytes=1000)
        assert str(caught.value.problems[0]) == (
            f"{device}: the file is over the limit of 1,000 bytes; refusing to read more of it"
        )
    read, write_end = os.pipe()
    os.write(write_end, VALID.encode())
    os.close(write_end)
    with pytest.raises(tracer.ModelError) as caught:
        tracer.load_model(f"/dev/fd/{read}", max_bytes=100)
    os.close(read)
    assert "over the limit of 100 bytes" in str(caught.value)


def test_a_pipe_within_the_size_limit_loads(tmp_path):
    read, write_end = os.pipe()
    os.write(write_end, VALID.encode())
    os.close(write_end)
    try:
        assert tracer.load_model(f"/dev/fd/{read}").name == "test"
    finally:
        os.close(read)


def test_json_nested_100000_deep_is_an_error_not_a_recursion_error(tmp_path):
    text = '{"format": "tracer/1",\n "name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert problems(write(tmp_path, text, "m.json")) == [
        "2: nested too deeply: a model is a few levels deep (section, entry, field, list)"
    ]


def test_a_json_integer_of_5000_digits_is_an_error_at_its_line(tmp_path):
    text = '{"format": "tracer/1",\n "name": ' + "9" * 5000 + "}"
    assert problems(write(tmp_path, text, "m.json")) == [
        "2: cannot read '" + "9" * 40 + "'... (5,000 characters) as a whole number (!!int)"
    ]


def test_did_you_mean_compares_few_ids_however_many_are_misspelled(monkeypatch):
    # each unknown id was compared with every id of its section: 10,000 misspelled parties took
    # minutes. Now the first 100 distinct ones get a suggestion, each from 16 shortlisted ids.
    compared: list[int] = []
    real = difflib.get_close_matches

    def counting(wanted, candidates, **options):
        compared.append(len(candidates))
        return real(wanted, candidates, **options)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    size = 2_000
    data = {
        "format": "tracer/1",
        "name": "misspelled",
        "parties": {f"party-{i:05d}": {"name": "P"} for i in range(size)},
        "holders": {f"h{i}": {"name": "H", "party": f"partyy-{i:05d}"} for i in range(size)},
    }
    with pytest.raises(tracer.ModelError) as caught:
        tracer.parse_model(json.dumps(data, indent=1), name="m.json")
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == size
    assert messages[0] == "unknown party 'partyy-00000'; did you mean 'party-00000'?"
    assert messages[99] == "unknown party 'partyy-00099'; did you mean 'party-00099'?"
    assert messages[100] == "unknown party 'partyy-00100'"
    assert compared == [16] * 100


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ('"a\\x1b[31mb"', "contains the control character U+001B, at character 2; remove it"),
        ('"a\\x01"', "contains the control character U+0001, at character 2; remove it"),
        ('"a\\uFFFEb"', "contains U+FFFE, which is not a character, at character 2; remove it"),
        (
            '"\\u202Eevil"',
            "contains U+202E, an invisible direction control that can disguise text, at "
            "character 1; remove it",
        ),
        (
            '"a\\rb"',
            "contains a carriage return, at character 2: write a line break as \\n; remove it",
        ),
    ],
)
def test_a_control_character_in_a_name_is_an_error_at_its_line(tmp_path, written, problem):
    text = VALID.replace("name: Note", f"name: {written}")
    assert problems(write(tmp_path, text)) == [f"5: records.note.name: {problem}"]


def test_names_and_notes_may_hold_line_breaks_and_tabs_but_keys_may_not(tmp_path):
    text = VALID.replace("{name: Note}", '{name: "two\\nlines", note: "two\\n\\tlines"}')
    record = tracer.load_model(write(tmp_path, text)).records["note"]
    assert (record.name, record.note) == ("two\nlines", "two\n\tlines")
    text = VALID.replace("acme: {name: Acme}", '"ac\\nme": {name: Acme}')
    assert problems(write(tmp_path, text)) == [
        "4: parties.ac\\nme: the key contains a line break, at character 3: a key is one line; "
        "remove it"
    ]


def test_a_control_character_in_a_key_is_an_error_and_is_not_echoed(tmp_path):
    text = VALID.replace("acme: {name: Acme}", '"ac\\x1bme": {name: Acme}')
    assert problems(write(tmp_path, text)) == [
        "4: parties.ac\\x1bme: the key contains the control character U+001B, at character 3; "
        "remove it"
    ]


def test_a_lone_surrogate_in_json_is_an_error_at_its_line(tmp_path):
    text = '{"format": "tracer/1",\n "name": "half \\ud800 a pair"}'
    assert problems(write(tmp_path, text, "m.json")) == [
        "2: name: contains U+D800, half of a surrogate pair and not a character (a bad \\u "
        "escape?), at character 6; remove it"
    ]


@pytest.mark.parametrize(
    ("key", "read_as"),
    [
        ("yes", "true/false (True)"),
        ("off", "true/false (False)"),
        ("2019-06-28", "a date (2019-06-28)"),
        ("123", "a number (123)"),
    ],
)
def test_a_key_yaml_reads_as_another_type_gets_a_plain_message(tmp_path, key, read_as):
    text = VALID.replace("acme: {name: Acme}", f"acme: {{name: Acme}}, {key}: {{name: Y}}")
    assert problems(write(tmp_path, text)) == [
        f"4: parties.{key}: the key '{key}' is read by YAML as {read_as}: write '{key}' "
        "(quoted) to use it as a name"
    ]
    assert tracer.load_model(write(tmp_path, text.replace(f"{key}:", f"'{key}':"))).parties[key]


def test_a_plain_key_the_format_defines_is_its_name_even_where_yaml_reads_a_boolean(tmp_path):
    # `on` is a field of a claim's `deletes:`; wherever it stands, a plain `on:` is that name
    text = VALID.replace("acme: {name: Acme}", "acme: {name: Acme}, on: {name: Y}")
    assert tracer.load_model(write(tmp_path, text)).parties["on"].name == "Y"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "deleted_by: [wipe]",
            "deleted_by: wipe",
            "11: holders.inbox.keeps.note.deleted_by: must be a list, not text ('wipe'): "
            "write [wipe]",
        ),
        (
            "confidence: stated",
            "confidence: stat",
            "11: holders.inbox.keeps.note.confidence: 'stat' is not allowed: use one of stated, "
            "reported, alleged, research, law, assumed, unknown; did you mean 'stated'?",
        ),
        (
            "party: acme",
            "party: acme\n    kind: databse",
            "10: holders.inbox.kind: 'databse' is not allowed: use one of device, service, "
            "store, people",
        ),
        (
            "party: acme",
            "party: acme\n    kind: stor",
            "10: holders.inbox.kind: 'stor' is not allowed: use one of device, service, store, "
            "people; did you mean 'store'?",
        ),
        ("name: test", "name: [a]", "2: name: must be text, not a list"),
        (
            "name: Note",
            "name: yes",
            "5: records.note.name: must be text, not true/false (True); YAML reads yes, no, on, "
            "off, true and false as true/false: quote it",
        ),
        (
            "{name: Acme}",
            "Acme",
            "4: parties.acme: must be a mapping of fields, like {name: ...}, not text ('Acme')",
        ),
        (
            "parties: {acme: {name: Acme}}",
            "parties: [acme]",
            "4: parties: must be a mapping (key: value), not a list",
        ),
        ("{inbox: [note]}", "{}", "12: interactions.write.starts: must have at least one item"),
    ],
)
def test_shape_errors_speak_the_house_language_not_pydantics(tmp_path, old, new, problem):
    found = problems(write(tmp_path, VALID.replace(old, new)))
    assert found[0] == problem
    assert not any("Input should" in p or "valid tuple" in p for p in found)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("5\n", "a number (5)"), ("hello\n", "text ('hello')"), ("yes\n", "true/false (True)")],
)
def test_a_top_level_scalar_is_named_in_plain_words(tmp_path, text, kind):
    assert problems(write(tmp_path, text)) == [
        f"1: the top level is {kind}; a model is a mapping of sections (format, name, parties, "
        "holders, ...)"
    ]


def test_json_escapes_of_refused_characters_are_found_in_keys_and_values(tmp_path):
    text = (
        '{"format": "tracer/1",\n "name": "ok \\u00e9",\n "parties": {"a\\nb": {"name": "x"}},\n'
        ' "records": {"r": {"name": "bell \\u0007"}}}'
    )
    assert problems(write(tmp_path, text, "m.json")) == [
        "3: parties.a\\nb: the key contains a line break, at character 2: a key is one line; "
        "remove it",
        "4: records.r.name: contains the control character U+0007, at character 6; remove it",
    ]


def test_a_json_key_with_only_a_tab_escape_is_still_refused_at_its_line(tmp_path):
    # no character the values' check flags: the key check must still run for the \t escape
    text = '{"format": "tracer/1", "name": "t",\n "parties": {"a\\tb": {"name": "x"}}}'
    assert problems(write(tmp_path, text, "m.json")) == [
        "2: parties.a\\tb: the key contains a tab, at character 2: a key is one line; remove it"
    ]


def test_a_duplicate_key_in_json_is_an_error_at_its_second_line(tmp_path):
    text = (
        '{"format": "tracer/1", "name": "t",\n "parties": {"a": {"name": "x"},\n'
        ' "a": {"name": "y"}}}'
    )
    assert problems(write(tmp_path, text, "m.json")) == [
        "3: a: duplicate key: it is already defined earlier in the same mapping"
    ]
