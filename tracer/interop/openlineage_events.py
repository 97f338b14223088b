"""OpenLineage events read from JSON Lines: checked against what the spec requires, and every
field the import cannot use found, each with its event's line.

One event a line, as OpenLineage's file transport and most emitters write them (blank lines are
skipped). A ``RunEvent`` (``run``, ``job``, ``inputs``, ``outputs``) and a ``JobEvent`` (no
``run``) describe lineage; a ``DatasetEvent`` (``dataset``) carries none and is reported. The
spec requires ``eventTime``, ``producer`` and ``schemaURL`` of every event, ``run.runId`` of a
RunEvent, ``namespace`` and ``name`` of a job and of each dataset: a line without them, or that
is not JSON, is an error at its line, and every such error is reported at once.

>>> event = {"eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "s",
...          "run": {"runId": "r", "facets": {"nominalTime": {"nominalStartTime": "..."}}},
...          "job": {"namespace": "n", "name": "j", "facets": {}},
...          "inputs": [{"namespace": "db", "name": "users", "extra": 1}]}
>>> unused_fields(event)
['inputs[0].extra', 'run.facets.nominalTime']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelError, Problem

__all__ = ["Event", "read_events", "unused_fields"]

_USED = True  # a field the import reads
_EACH = "each"  # a mapping whose every key is reported (facets the import has no use for)
_FIELD = "field"  # a schema field, which may nest fields

_META = {"_producer": _USED, "_schemaURL": _USED, "_deleted": _USED}
_COLUMN = {"name": _USED, "type": _USED, "description": _USED, "fields": [_FIELD]}
_DATASET_FACETS = {
    "schema": {**_META, "fields": [_FIELD]},
    "columnLineage": {
        **_META,
        "fields": {
            "*": {
                "inputFields": [
                    {
                        "namespace": _USED,
                        "name": _USED,
                        "field": _USED,
                        "transformations": [
                            {
                                "type": _USED,
                                "subtype": _USED,
                                "description": _USED,
                                "masking": _USED,
                            }
                        ],
                    }
                ],
                "transformationDescription": _USED,
                "transformationType": _USED,
            }
        },
    },
    "tags": {**_META, "tags": [{"key": _USED, "value": _USED, "source": _USED, "field": _USED}]},
    "retention": {**_META, "period": _USED, "retention": _USED, "duration": _USED},
    "ownership": {**_META, "owners": [{"name": _USED, "type": _USED}]},
    "documentation": {**_META, "description": _USED},
}
_DATASET = {
    "namespace": _USED,
    "name": _USED,
    "facets": _DATASET_FACETS,
    "inputFacets": _EACH,
    "outputFacets": _EACH,
}
_EVENT = {
    "eventType": _USED,
    "eventTime": _USED,
    "producer": _USED,
    "schemaURL": _USED,
    "run": {"runId": _USED, "facets": _EACH},
    "job": {"namespace": _USED, "name": _USED, "facets": _EACH},
    "inputs": [_DATASET],
    "outputs": [_DATASET],
}


def _walk(value: Any, spec: Any, path: str, found: list[str]) -> None:
    if spec is _USED:
        return
    if spec == _FIELD:
        spec = _COLUMN
    if spec == _EACH:
        if isinstance(value, dict):
            found.extend(f"{path}.{key}" for key, item in value.items() if item not in (None, {}))
        return
    if isinstance(spec, list):
        if isinstance(value, list):
            for index, item in enumerate(value):
                _walk(item, spec[0], f"{path}[{index}]", found)
        return
    if isinstance(spec, dict) and isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in spec:
                _walk(item, spec[key], where, found)
            elif "*" in spec:
                _walk(item, spec["*"], where, found)
            elif item not in (None, [], {}, ""):  # an empty field says nothing to lose
                found.append(where)


def unused_fields(event: dict) -> list[str]:
    """The paths of every field of ``event`` the import does not use, sorted."""
    found: list[str] = []
    _walk(event, _EVENT, "", found)
    return sorted(found)


@dataclass(frozen=True)
class Event:
    """One event and the line it was read from."""

    line: int
    kind: str  # RunEvent, JobEvent or DatasetEvent
    data: dict


def _required(data: dict, kind: str) -> list[tuple[str, str]]:
    """``(field, message)`` for each field the spec requires that ``data`` lacks."""
    missing = []

    def need(value: Any, field: str) -> None:
        if not isinstance(value, str) or not value:
            missing.append((field, "required by the OpenLineage spec (a non-empty string)"))

    for key in ("eventTime", "producer", "schemaURL"):
        need(data.get(key), key)
    if kind == "RunEvent":
        run = data.get("run")
        need(run.get("runId") if isinstance(run, dict) else None, "run.runId")
    if kind == "DatasetEvent":
        return missing
    job = data.get("job")
    for key in ("namespace", "name"):
        need(job.get(key) if isinstance(job, dict) else None, f"job.{key}")
    for side in ("inputs", "outputs"):
        items = data.get(side, [])
        if not isinstance(items, list):
            missing.append((side, "a list of datasets"))
            continue
        for index, item in enumerate(items):
            for key in ("namespace", "name"):
                need(item.get(key) if isinstance(item, dict) else None, f"{side}[{index}].{key}")
    return missing


def read_events(path: str | Path, max_bytes: int) -> list[Event]:
    """The events of a JSON Lines file; :class:`~tracer.errors.ModelError` with every line
    that is not JSON or lacks what the spec requires."""
    name = str(path)
    try:
        if Path(path).stat().st_size > max_bytes:
            raise ModelError([Problem(name, 0, "", f"the file is over {max_bytes:,} bytes")])
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as error:
        raise ModelError(
            [Problem(name, 0, "", f"cannot read the file: {error.strerror}")]
        ) from None
    except UnicodeDecodeError:
        raise ModelError([Problem(name, 0, "", "not valid UTF-8")]) from None
    events, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(name, number, "", f"not JSON: {error.msg} at column {error.colno}")
            )
            continue
        if not isinstance(data, dict):
            problems.append(Problem(name, number, "", "an OpenLineage event is a JSON object"))
            continue
        if "run" in data:
            kind = "RunEvent"
        elif "dataset" in data:
            kind = "DatasetEvent"
        elif "job" in data:
            kind = "JobEvent"
        else:
            problems.append(
                Problem(name, number, "", "not an OpenLineage event: no run, job or dataset")
            )
            continue
        problems.extend(Problem(name, number, f, m) for f, m in _required(data, kind))
        events.append(Event(number, kind, data))
    if problems:
        raise ModelError(problems)
    if not events:
        raise ModelError([Problem(name, 0, "", "no OpenLineage event in the file")])
    return events
