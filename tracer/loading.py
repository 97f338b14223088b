"""Reading a model file (YAML, or the same structure in JSON) into a :class:`~tracer.model.Model`.

Every problem is reported at once, each at ``file:line`` with its field path and, for an unknown
id or key, a did-you-mean. YAML is read with a safe loader (PyYAML's C one when present); duplicate
keys, alias bombs, oversized files, invalid UTF-8, empty files, a top-level list and a wrong
``format:`` are each refused with their own message.

The node tree that carries line numbers is as large as the data itself, so it is dropped once the
data is built and composed again only when there is a problem to locate: a valid file costs one
parse.

>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... holders: {inbox: {name: Inbox, party: acme}}
... ''')
>>> sorted(model.holders)
['inbox']
>>> parse_model("format: tracer/1\\nname: t\\nholders: {inbox: {name: I, party: acme}}\\n")
Traceback (most recent call last):
...
tracer.errors.ModelError: 1 problem in the model
<string>:3: holders.inbox.party: unknown party 'acme'
"""

from __future__ import annotations

import json
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ModelError, Problem, did_you_mean, field_path
from .model import FORMAT, Model
from .references import reference_problems, section_ids
from .yamldata import DuplicateKeys, YamlProblem, lines_of, read_yaml

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CheckedModel",
    "check_model",
    "default_model_path",
    "load_model",
    "parse_model",
]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class CheckedModel:
    """A model that loaded, with the lint warnings found in it (see :func:`tracer.lint.lint`)."""

    model: Model
    warnings: tuple[Problem, ...]


def default_model_path() -> Path:
    """The shipped default model (Amazon Alexa), packaged with the library."""
    return Path(str(resources.files("tracer") / "graphs" / "alexa.yaml"))


def load_model(path: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Model:
    """Load and validate the model at ``path`` (the shipped default when None).

    Raises :class:`~tracer.errors.ModelError` listing every problem.
    """
    path = Path(path) if path is not None else default_model_path()
    return parse_model(_read(path, max_bytes), name=_name(path))


def check_model(
    path: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedModel:
    """Load ``path`` like :func:`load_model`, and lint it: warnings located at file:line."""
    from .lint import lint_by_rule  # lint traces every interaction; loading must not import it

    path = Path(path) if path is not None else default_model_path()
    text = _read(path, max_bytes)
    model = parse_model(text, name=_name(path))
    findings = lint_by_rule(model)
    if not findings:
        return CheckedModel(model, ())
    locate = _locator(text, [loc for _, loc, _ in findings])
    warnings = (
        Problem(_name(path), locate(loc), field_path(loc), message, "warning", rule)
        for rule, loc, message in findings
    )
    return CheckedModel(model, tuple(sorted(warnings, key=lambda p: (p.line, p.field, p.message))))


def parse_model(text: str, *, name: str = "<string>") -> Model:
    """Validate a model given as YAML or JSON text; ``name`` is used in messages."""
    data = _parse(text, name)
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise _error(
            name,
            1,
            f"the top level is {kind}; a model is a mapping of sections "
            "(format, name, parties, holders, ...)",
        )
    _check_format(data, text, name)
    model, problems = _validate(data)
    if problems or model is None:
        locate = _locator(text, [loc for loc, _ in problems])
        raise ModelError(
            Problem(name, locate(loc), field_path(loc), message) for loc, message in problems
        )
    return model


def _error(name: str, line: int, message: str, field: str = "") -> ModelError:
    """A ModelError with one problem."""
    return ModelError([Problem(name, line, field, message)])


def _name(path: Path) -> str:
    """How messages name the file; ``-`` is stdin."""
    return "<stdin>" if str(path) == "-" else str(path)


def _read(path: Path, max_bytes: int) -> str:
    if str(path) == "-":  # stdin (`-m -`, `validate -`): at most the limit, then refuse
        raw = sys.stdin.buffer.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise _error("<stdin>", 0, f"more than the limit of {max_bytes:,} bytes; refusing it")
        return _decode(raw, "<stdin>")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _error(
                str(path),
                0,
                f"the file is {size:,} bytes, over the limit of {max_bytes:,}; refusing to read it",
            )
        raw = path.read_bytes()
    except ModelError:
        raise
    except OSError as error:
        raise _error(str(path), 0, f"cannot read the file: {error.strerror}") from None
    return _decode(raw, str(path))


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _error(
            name,
            line,
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} at "
            f"column {column}; save the file as UTF-8",
        ) from None


def _parse(text: str, name: str) -> Any:
    """The file's data: JSON through the json module (fast), YAML (and JSON it rejects) through
    the event reader; every problem raised as a ModelError at its line."""
    if name.endswith(".json"):
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as error:
            raise _error(name, error.lineno, f"not valid JSON: {error.msg}") from None
        except _DuplicateKey:
            pass  # let the YAML reader find every duplicate with its line
    try:
        data = read_yaml(text)
    except DuplicateKeys as error:
        raise ModelError(
            Problem(
                name, line, key, "duplicate key: it is already defined earlier in the same mapping"
            )
            for line, key in error.duplicates
        ) from None
    except YamlProblem as error:
        raise _error(name, error.line, error.message) from None
    if data is None:  # no text, or only comments
        raise _error(name, 0, "the file is empty: a model starts with `format: tracer/1`")
    return data


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


def _check_format(data: Mapping, text: str, name: str) -> None:
    if "format" not in data:
        raise _error(name, 1, f"missing: a model starts with `format: {FORMAT}`", "format")
    if data["format"] != FORMAT:
        line = lines_of(text, [("format",)])[("format",)]
        raise _error(
            name,
            line,
            f"unsupported format {data['format']!r}: this tracer reads {FORMAT!r}",
            "format",
        )


def _validate(data: Mapping) -> tuple[Model | None, list[tuple[Loc, str]]]:
    """The model and every problem: shape errors from pydantic, then unresolved references.

    When some entries are malformed, they are set aside and the rest is validated again, so
    references elsewhere are still checked: one run reports everything.
    """
    try:
        model = Model.model_validate(data)
        return model, reference_problems(model)
    except ValidationError as error:
        shape = [(tuple(e["loc"]), _message(e)) for e in error.errors()]
    pruned, kept = _prune(data, [loc for loc, _ in shape])
    try:
        partial = Model.model_validate(pruned)
    except ValidationError:
        return None, shape
    references = [
        (_unprune(loc, kept), message)
        for loc, message in reference_problems(partial, section_ids(data))
    ]
    return None, shape + references


def _prune(data: Mapping, locs: list[Loc]) -> tuple[dict, dict[str, list[int]]]:
    """A copy of ``data`` without the entries that failed, and for list sections the original
    index of each entry kept."""
    pruned = dict(data)
    drop: dict[str, set] = {}
    for loc in locs:
        if not loc:
            continue
        section = loc[0]
        if len(loc) == 1:
            if section == "name":
                pruned["name"] = "?"
            else:
                pruned.pop(section, None)
        elif isinstance(pruned.get(section), (dict, list)):
            drop.setdefault(section, set()).add(loc[1])
    kept: dict[str, list[int]] = {}
    for section, keys in drop.items():
        value = pruned.get(section)
        if isinstance(value, list):
            kept[section] = [i for i in range(len(value)) if i not in keys]
            pruned[section] = [value[i] for i in kept[section]]
        elif isinstance(value, dict):
            pruned[section] = {k: v for k, v in value.items() if k not in keys}
    return pruned, kept


def _unprune(loc: Loc, kept: dict[str, list[int]]) -> Loc:
    if len(loc) >= 2 and loc[0] in kept and isinstance(loc[1], int):
        return (loc[0], kept[loc[0]][loc[1]], *loc[2:])
    return loc


def _message(error: Mapping[str, Any]) -> str:
    kind, loc = error["type"], tuple(error["loc"])
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = _keys_at(loc[:-1])
        return (
            f"unknown key {loc[-1]!r}"
            + did_you_mean(str(loc[-1]), allowed)
            + (f" (allowed: {', '.join(sorted(allowed))})" if allowed else "")
        )
    if kind == "missing":
        return "required, but missing"
    if kind == "string_pattern_mismatch":
        value = error.get("input")
        return (
            f"{value!r} is not a valid id: use lowercase letters, digits and _ . : - "
            "(starting with a letter or digit), like 'voice_history'"
        )
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _keys_at(loc: Loc) -> set[str]:
    """The keys the schema allows at ``loc``, for the did-you-mean of an unknown key."""
    kind: Any = Model
    for part in loc:
        kind = _unwrap(kind)
        fields = _fields(kind)
        if fields is not None:
            field = next((f for n, f in fields.items() if part in (n, f.alias)), None)
            if field is None:
                return set()
            kind = field.annotation
        elif typing.get_origin(kind) is dict:
            kind = typing.get_args(kind)[1]
        elif typing.get_origin(kind) in (list, tuple):
            kind = typing.get_args(kind)[0]
        else:
            return set()
    fields = _fields(_unwrap(kind))
    return {f.alias or n for n, f in fields.items()} if fields else set()


def _fields(kind: Any) -> dict[str, Any] | None:
    """The pydantic fields of a model or pydantic dataclass, else None."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return kind.model_fields
    return getattr(kind, "__pydantic_fields__", None) if isinstance(kind, type) else None


def _unwrap(kind: Any) -> Any:
    while True:
        origin = typing.get_origin(kind)
        if origin is typing.Annotated:
            kind = typing.get_args(kind)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(kind) if a is not type(None)]
            if len(options) != 1:
                return kind
            kind = options[0]
        else:
            return kind


def _locator(text: str, locs: list[Loc]) -> Callable[[Loc], int]:
    """A function from each of ``locs`` to the line where the file writes it."""
    lines = lines_of(text, locs)
    return lambda loc: lines[tuple(loc)]
