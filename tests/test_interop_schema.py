"""The JSON Schema of tracer/1: generated from the models, committed, and agreeing with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

import tracer
from tracer.interop.schema import model_schema, schema_text

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "docs" / "tracer-1.schema.json"


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2): a date is a string."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [
        (t, r)
        for t, r in resolvers
        if t not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 booleans are true and false only (`on:`, `yes`, `no` are strings)
_EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _shipped() -> dict:
    return yaml.load(tracer.default_model_path().read_text(encoding="utf-8"), Loader=_EditorLoader)


def _validator() -> jsonschema.Draft202012Validator:
    schema = model_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _untyped(node, where=()):
    """Every place in the schema that accepts anything: a field pydantic could not describe."""
    if isinstance(node, dict):
        if node == {}:
            yield where
        for key, value in node.items():
            if key not in ("default", "examples", "const", "enum"):
                yield from _untyped(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _untyped(value, (*where, index))


def test_committed_schema_is_the_one_the_models_generate():
    # stale after a change to tracer/model.py: run `make schema` and commit docs/tracer-1.schema.json
    assert COMMITTED.read_text(encoding="utf-8") == schema_text()


def test_schema_describes_every_field_no_field_accepts_anything():
    assert list(_untyped(model_schema())) == []


def test_shipped_model_is_valid_against_the_schema():
    errors = sorted(_validator().iter_errors(_shipped()), key=str)
    assert errors == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["holders"]["echo"].update(kind="cloud"), "'cloud' is not one of"),
        (
            lambda d: d["holders"]["voice_history"]["keeps"]["voice_recording"].update(
                {"for": "3 months"}
            ),
            "is not valid under any of the given schemas",
        ),
        (
            lambda d: d["flows"][0].update(delted_by=[]),
            "Additional properties are not allowed ('delted_by' was unexpected)",
        ),
        (lambda d: d.update(format="tracer/2"), "'tracer/1' was expected"),
        (lambda d: d["parties"].update({"Bad Id": {"name": "x"}}), "'Bad Id' does not match"),
    ],
    ids=["kind", "period", "typo", "format", "slug"],
)
def test_schema_rejects_what_the_loader_rejects(change, reason):
    data = _shipped()
    change(data)
    messages = [error.message for error in _validator().iter_errors(data)]
    assert any(reason in message for message in messages), messages
    with pytest.raises(tracer.ModelError):
        tracer.parse_model(json.dumps(data, default=str), name="m.json")


def test_access_items_may_be_a_party_id_or_a_grant():
    model = {
        "format": "tracer/1",
        "name": "m",
        "parties": {"us": {"name": "Us"}, "them": {"name": "Them"}},
        "holders": {
            "h": {"name": "H", "party": "us", "access": ["us", {"party": "them", "as": "support"}]}
        },
        "deletions": {"auto": {"name": "Auto", "after": "3mo"}},
    }
    assert list(_validator().iter_errors(model)) == []
    tracer.parse_model(json.dumps(model), name="m.json")


def test_format_docs_show_the_yaml_language_server_line():
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in text
    assert "tracer-1.schema.json" in text
