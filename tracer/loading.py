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

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ModelError, Problem, did_you_mean, field_path
from .model import FORMAT, Model
from .references import reference_problems, section_ids

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CheckedModel",
    "check_model",
    "default_model_path",
    "load_model",
    "parse_model",
]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024

# An alias may stand for many nodes; a file whose aliases expand to far more nodes than it holds
# is an "alias bomb" (a billion laughs) that would make validation take forever.
_ALIAS_BUDGET = 100_000
_ALIAS_FACTOR = 10

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"

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
    return parse_model(_read(path, max_bytes), name=str(path))


def check_model(
    path: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedModel:
    """Load ``path`` like :func:`load_model`, and lint it: warnings located at file:line."""
    from .lint import lint  # lint traces every interaction; loading alone must not import it

    path = Path(path) if path is not None else default_model_path()
    text = _read(path, max_bytes)
    model = parse_model(text, name=str(path))
    findings = lint(model)
    if not findings:
        return CheckedModel(model, ())
    locate = _locator(text, str(path))
    warnings = (
        Problem(str(path), locate(loc), field_path(loc), message, "warning")
        for loc, message in findings
    )
    return CheckedModel(model, tuple(sorted(warnings, key=lambda p: (p.line, p.field, p.message))))


def parse_model(text: str, *, name: str = "<string>") -> Model:
    """Validate a model given as YAML or JSON text; ``name`` is used in messages."""
    if not text.strip():
        raise ModelError(
            [Problem(name, 0, "", "the file is empty: a model starts with `format: tracer/1`")]
        )
    data = _parse(text, name)
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ModelError(
            [
                Problem(
                    name,
                    1,
                    "",
                    f"the top level is {kind}; a model is a mapping "
                    "of sections (format, name, parties, holders, ...)",
                )
            ]
        )
    _check_format(data, text, name)
    model, problems = _validate(data)
    if problems:
        locate = _locator(text, name)
        raise ModelError(
            Problem(name, locate(loc), field_path(loc), message) for loc, message in problems
        )
    assert model is not None
    return model


def _read(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ModelError(
                [
                    Problem(
                        str(path),
                        0,
                        "",
                        f"the file is {size:,} bytes, over the "
                        f"limit of {max_bytes:,}; refusing to read it",
                    )
                ]
            )
        raw = path.read_bytes()
    except ModelError:
        raise
    except OSError as error:
        raise ModelError(
            [Problem(str(path), 0, "", f"cannot read the file: {error.strerror}")]
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ModelError(
            [
                Problem(
                    str(path),
                    line,
                    "",
                    f"not valid UTF-8: byte 0x{raw[error.start]:02x} "
                    f"at column {column}; save the file as UTF-8",
                )
            ]
        ) from None


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, noting duplicate keys in a mapping instead of silently keeping the last."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[yaml.Node] = []

    def construct_mapping(self, node, deep=False):
        keys = [key.value for key, _ in node.value if key.tag != _MERGE_TAG]
        if len(keys) != len(set(keys)):
            seen: set[Any] = set()
            for key, _ in node.value:
                if key.value in seen:
                    self.duplicates.append(key)
                seen.add(key.value)
        return super().construct_mapping(node, deep)


def _yaml_problem(name: str, error: yaml.YAMLError) -> ModelError:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 0
    what = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    return ModelError(
        [Problem(name, line, "", f"not valid YAML: {what}" + (f" ({context})" if context else ""))]
    )


def _parse(text: str, name: str) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ModelError(
                [Problem(name, 0, "", "the file is empty: a model starts with `format: tracer/1`")]
            )
        # only a file with both an anchor and an alias can expand; most have neither
        if "&" in text and "*" in text:
            _check_aliases(node, name)
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        raise _yaml_problem(name, error) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise ModelError(
            Problem(
                name,
                key.start_mark.line + 1,
                str(key.value),
                "duplicate key: it is already defined earlier in the same mapping",
            )
            for key in loader.duplicates
        )
    return data


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Refuse recursive aliases, and aliases that expand far beyond the file's own size."""
    sizes: dict[int, int] = {}
    distinct = 0
    # iterative post-order walk: deep files must not hit Python's recursion limit
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ModelError(
                [
                    Problem(
                        name,
                        node.start_mark.line + 1,
                        "",
                        "recursive alias: an anchor refers to itself",
                    )
                ]
            )
        distinct += 1
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise ModelError(
                    [
                        Problem(
                            name,
                            child.start_mark.line + 1,
                            "",
                            "recursive alias: an anchor refers to itself",
                        )
                    ]
                )
            if id(child) not in sizes:
                stack.append((child, False))
    expanded = sizes[id(root)]
    if expanded > _ALIAS_BUDGET + _ALIAS_FACTOR * distinct:
        raise ModelError(
            [
                Problem(
                    name,
                    1,
                    "",
                    f"aliases expand {distinct:,} YAML nodes into "
                    f"{expanded:,}: refusing a possible alias bomb",
                )
            ]
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_format(data: Mapping, text: str, name: str) -> None:
    if "format" not in data:
        raise ModelError(
            [Problem(name, 1, "format", f"missing: a model starts with `format: {FORMAT}`")]
        )
    if data["format"] != FORMAT:
        line = _locator(text, name)(("format",))
        raise ModelError(
            [
                Problem(
                    name,
                    line,
                    "format",
                    f"unsupported format {data['format']!r}: this tracer reads {FORMAT!r}",
                )
            ]
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
    if kind == "extra_forbidden":
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
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            field = next((f for n, f in kind.model_fields.items() if part in (n, f.alias)), None)
            if field is None:
                return set()
            kind = field.annotation
        elif typing.get_origin(kind) is dict:
            kind = typing.get_args(kind)[1]
        elif typing.get_origin(kind) is list:
            kind = typing.get_args(kind)[0]
        else:
            return set()
    kind = _unwrap(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {f.alias or n for n, f in kind.model_fields.items()}
    return set()


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


def _locator(text: str, name: str) -> Callable[[Loc], int]:
    """A function from a field path to the line where the file writes it."""
    root = yaml.compose(text, Loader=_BaseLoader)

    def locate(loc: Loc) -> int:
        node, line = root, root.start_mark.line + 1
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    return locate
