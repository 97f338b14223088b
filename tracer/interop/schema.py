"""The JSON Schema of ``tracer/1``, generated from the pydantic models of :mod:`tracer.model`.

Editors that speak JSON Schema (VS Code's YAML extension, JetBrains IDEs, any yaml-language-server
client) validate and complete a model file that starts with::

    # yaml-language-server: $schema=../docs/tracer-1.schema.json

The schema is made from the models each time, never written by hand, so it cannot drift from what
``tracer validate`` accepts: the committed ``docs/tracer-1.schema.json`` is checked against it by a
test, and ``make schema`` (``tracer export schema -o docs/tracer-1.schema.json``) rewrites it. A
few types are read by plain validators whose shape pydantic cannot see (a retention period, a
duration, an access item given as a bare party id); their schema is stated here, by type, so a
new field of one of these types is described too.

>>> schema = model_schema()
>>> schema["properties"]["format"]
{'const': 'tracer/1', 'title': 'Format', 'type': 'string'}
>>> schema["$defs"]["Retention"]["properties"]["for"]["anyOf"][0]["enum"]
['none', 'until_deleted', 'forever', 'unknown']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

from pydantic import PlainValidator
from pydantic.json_schema import GenerateJsonSchema

from ..model import FORMAT, PERIOD_WORDS, SLUG_PATTERN, Days, Model, PeriodField
from ..render.output import write_atomically

__all__ = ["SCHEMA_URI", "model_schema", "schema_text", "write_schema"]

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

DURATION_PATTERN = r"^\s*[0-9]+(d|w|mo|y)\s*$"
_DURATION = {
    "type": "string",
    "pattern": DURATION_PATTERN,
    "description": "a whole number and a unit: d (day), w (7 days), mo (30 days), y (365 days)",
    "examples": ["30d", "3mo", "7y"],
}
_PERIOD = {
    "anyOf": [{"enum": list(PERIOD_WORDS)}, _DURATION],
    "description": "none (processed only), until_deleted, forever, unknown, or a duration",
}


def _plain_validator(annotated: Any) -> Any:
    return next(m.func for m in get_args(annotated)[1:] if isinstance(m, PlainValidator))


# the types of tracer/1 read by plain validators, whose shape pydantic cannot see, wherever a
# field uses them (a retention's `for`, a request's `after`, and any later field of these types)
_PLAIN_SCHEMAS = ((_plain_validator(PeriodField), _PERIOD), (_plain_validator(Days), _DURATION))


class _Generator(GenerateJsonSchema):
    def function_plain_schema(self, schema: Any) -> dict[str, Any]:
        function = schema["function"]["function"]
        for validator, stated in _PLAIN_SCHEMAS:
            if function == validator:
                return dict(stated)
        return super().function_plain_schema(schema)


def model_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``tracer/1`` model file, as a dict."""
    schema = Model.model_json_schema(by_alias=True, mode="validation", schema_generator=_Generator)
    definitions = schema["$defs"]
    # an access item is a party id, or a grant with its capacity and evidence
    access = definitions["Holder"]["properties"]["access"]
    for option in access["anyOf"]:
        if option.get("type") == "array":
            option["items"] = {
                "anyOf": [{"type": "string", "pattern": SLUG_PATTERN}, option["items"]]
            }
    _slug_keys(schema)
    return {
        "$schema": SCHEMA_URI,
        "title": f"tracer model ({FORMAT})",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def _slug_keys(node: Any) -> None:
    """Every mapping in tracer/1 is keyed by ids (``dict[Slug, ...]``); pydantic states the key
    pattern as ``patternProperties`` but lets any other key through: forbid those, as the loader
    does."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _slug_keys(value)
    elif isinstance(node, list):
        for value in node:
            _slug_keys(value)


def schema_text() -> str:
    """The schema as the committed file holds it: indented JSON, keys in model order, one final
    newline, the same bytes every time."""
    return json.dumps(model_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str | Path, *, protect: Path | None = None) -> Path:
    """Write the JSON Schema of ``tracer/1`` to ``path``.

    >>> import tempfile, pathlib
    >>> out = write_schema(pathlib.Path(tempfile.mkdtemp()) / "tracer-1.schema.json")
    >>> json.loads(out.read_text())["title"]
    'tracer model (tracer/1)'
    """
    return write_atomically(Path(path), schema_text().encode("utf-8"), protect=protect)
