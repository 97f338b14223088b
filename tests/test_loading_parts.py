"""Each part of a model (a holder, a flow, a claim...) is validated as soon as the reader completes
it, so a big file's plain data never exists whole: and the model and the problems are exactly
those of validating the whole file at once."""

from __future__ import annotations

import json
import textwrap
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracer
from tracer.model import Flow, Holder, Party, loading
from tracer.model.yamldata import YamlProblem, read_yaml_flagged

HEADER = """\
format: tracer/1
name: parts
parties: {acme: {name: Acme}}
records: {note: {name: Note}}
"""


@pytest.fixture(autouse=True)
def json_by_parts(monkeypatch):
    """Every JSON text read part by part, as a big one is."""
    monkeypatch.setattr(loading, "JSON_BY_PARTS_FROM", 0)


def messages(text: str, name: str) -> list[str]:
    with pytest.raises(tracer.ModelError) as caught:
        tracer.parse_model(text, name=name)
    return [str(problem) for problem in caught.value.problems]


class Stop(Exception):
    pass


def test_the_reader_hands_over_a_holder_before_it_reads_the_next_one():
    # the hook stops at the first holder: the broken YAML after it is never read
    text = HEADER + "holders:\n  a: {name: A, party: acme}\n  b: {name: [unclosed\n"

    def stop(section, part):
        raise Stop(section, part)

    with pytest.raises(Stop) as caught:
        read_yaml_flagged(text, parts=stop)
    assert caught.value.args == ("parties", {"name": "Acme"})
    with pytest.raises(YamlProblem):
        read_yaml_flagged(text)


def test_the_loader_keeps_validated_parts_and_the_failed_ones_as_read():
    text = HEADER + textwrap.dedent("""\
        holders:
          a: {name: A, party: acme}
          b: {name: B, party: acme, kind: boat}
        flows:
          - {from: a, to: b, carries: [note]}
        """)
    for name, source in (("m.yaml", text), ("m.json", json.dumps(yaml.safe_load(text)))):
        data, _, _ = loading._parse(source, name)
        assert data["parties"] == {"acme": Party(name="Acme")}
        assert data["holders"]["a"] == Holder(name="A", party="acme")
        assert data["holders"]["b"] == {"name": "B", "party": "acme", "kind": "boat"}
        assert data["flows"] == [Flow(source="a", target="b", carries=("note",))]


BROKEN = HEADER + textwrap.dedent("""\
    holders:
      first: {name: First, party: acne}
      second: {name: Second, party: acme}
      third: {name: Third, party: acme, kind: boat}
    flows:
      - {from: first, to: second, carries: [note]}
      - {from: second, to: third, carries: [note]}
      - {from: third, to: first, carries: [note], when: Tag}
    """)


def test_an_error_in_the_first_holder_and_one_in_the_last_flow_are_both_reported_at_their_lines():
    assert messages(BROKEN, "m.yaml") == [
        "m.yaml:6: holders.first.party: unknown party 'acne'; did you mean 'acme'?",
        "m.yaml:8: holders.third.kind: 'boat' is not allowed: use one of device, service, store, "
        "people",
        "m.yaml:12: flows[2].when: must be a list, not text ('Tag'): write [Tag]",
    ]


def test_a_json_file_reports_the_same_problems_at_its_own_lines():
    text = json.dumps(yaml.safe_load(BROKEN), indent=1)
    lines = text.splitlines()
    line_of = {
        word: next(n for n, line in enumerate(lines, 1) if f'"{word}"' in line)
        for word in ("acne", "boat", "Tag")
    }
    assert messages(text, "m.json") == [
        f"m.json:{line_of['acne']}: holders.first.party: unknown party 'acne'; did you mean "
        "'acme'?",
        f"m.json:{line_of['boat']}: holders.third.kind: 'boat' is not allowed: use one of "
        "device, service, store, people",
        f"m.json:{line_of['Tag']}: flows[2].when: must be a list, not text ('Tag'): write [Tag]",
    ]


def test_json_the_parts_reader_does_not_take_is_read_whole_with_the_same_messages():
    # a duplicate section, a syntax error and a top-level list: json.loads and the YAML reader say
    # (and, reported with it, what the model lacks besides: issue 24, every error at once)
    assert messages('{"format": "tracer/1", "format": "tracer/1"}', "m.json") == [
        "m.json:1: format: duplicate key: it is already defined earlier in the same mapping",
        "m.json:1: name: required, but missing",
    ]
    assert messages('{"format": "tracer/1",\n "holders": {"a": }}', "m.json") == [
        "m.json:2: not valid JSON: Expecting value"
    ]
    assert messages("[1]", "m.json")[0].startswith("m.json:1: the top level is a list")
    # a duplicate key before a syntax error in the same mapping: the syntax error, as read whole
    broken = '{"format": "tracer/1", "name": "t", "name": "u",\n "parties": {}\n "holders": {}}'
    with mock.patch.object(loading, "JSON_BY_PARTS_FROM", 2**62):
        whole = messages(broken, "m.json")
    assert (
        messages(broken, "m.json") == whole == ["m.json:3: not valid JSON: Expecting ',' delimiter"]
    )


def outcome(text: str, name: str) -> str:
    try:
        return repr(tracer.parse_model(text, name=name))
    except tracer.ModelError as error:
        return "\n".join(map(str, error.problems))


ids = st.sampled_from(["a", "b", "c", "Bad", "acme", "note"])
values = st.one_of(ids, st.integers(0, 3), st.lists(ids, max_size=2), st.none())


@st.composite
def small_models(draw) -> dict:
    """A small model, often with a mistake: a wrong type, an unknown key or id, a bad period."""

    def fields(required: dict, optional: dict) -> dict:
        part = {
            k: draw(st.one_of(v, values)) if draw(st.booleans()) else draw(v)
            for k, v in required.items()
            if draw(st.integers(0, 9))
        }
        part.update({k: draw(v) for k, v in optional.items() if draw(st.booleans())})
        return part

    holders = {
        key: fields(
            {"name": st.just(key.upper()), "party": st.sampled_from(["acme", "acne"])},
            {
                "kind": st.sampled_from(["store", "boat"]),
                "keeps": st.dictionaries(
                    ids,
                    st.fixed_dictionaries({"for": st.sampled_from(["7y", "soon"])}),
                    max_size=2,
                ),
                "nmae": st.just("typo"),
            },
        )
        for key in draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    }
    flows = [
        fields(
            {"from": ids, "to": ids, "carries": st.lists(ids, max_size=2)},
            {"when": st.lists(ids, max_size=2), "deletion": st.sampled_from(["ignored", "no"])},
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    return {
        "format": "tracer/1",
        "name": "random",
        "parties": {"acme": {"name": "Acme"}},
        "records": {key: {"name": key} for key in draw(st.lists(ids, max_size=3, unique=True))},
        "holders": holders,
        "flows": flows,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_models())
def test_validating_each_part_as_it_is_read_gives_what_validating_the_whole_file_gives(data):
    for name, text in (
        ("m.yaml", yaml.safe_dump(data, sort_keys=False)),
        ("m.json", json.dumps(data, indent=1)),
    ):
        by_parts = outcome(text, name)
        with mock.patch.object(loading, "_validated_part", lambda section, part: part):
            whole = outcome(text, name)
        assert by_parts == whole


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["a", "b c", "é\n"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["x", "y", "z"]), inner)
    ),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["format", "name", "holders", "flows", "other"]), json_values),
    st.sampled_from([None, 0, 2]),
    st.sampled_from([(", ", ": "), (",", ":"), (" ,\r\n", " :\t")]),
)
def test_json_read_part_by_part_is_the_data_json_loads_reads(data, indent, separators):
    text = json.dumps(data, indent=indent, separators=separators)
    with mock.patch.object(loading, "_validated_part", lambda section, part: part):
        by_parts = loading._json_by_parts(text, loading._no_duplicates, one_line=False)
    assert by_parts == json.loads(text)


def read_whole(text: str, name: str) -> list[str]:
    """The messages with no part validated as it is read: the whole data validated at the end."""
    with mock.patch.object(loading, "_validated_part", lambda section, part: part):
        return messages(text, name)


@pytest.mark.parametrize(
    "text",
    [
        # an alias of a value holding a refused character: both places are reported
        "format: tracer/1\nname: t\nparties: {acme: {name: Acme}}\nholders:\n"
        '  a: {name: &n "bad\\u202eX", party: acme}\n  b: {name: *n, party: acme}\n',
        # a merge key as a section's entry
        HEADER + "holders: {<<: {name: X, party: acme}}\n",
        # an anchored section stands, in its alias, for its parts as written
        "format: tracer/1\nname: t\nsources: &s {src: {title: T}}\nparties: *s\n",
    ],
    ids=["alias-of-refused", "merge-in-section", "anchored-section"],
)
def test_aliases_merges_and_anchored_sections_are_reported_as_a_file_read_whole(text):
    assert messages(text, "m.yaml") == read_whole(text, "m.yaml") != []
