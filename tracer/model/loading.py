"""Reading a model file (YAML, or the same structure in JSON) into a :class:`~tracer.model.Model`.

Every problem is reported at once, each at ``file:line`` with its field path and, for an unknown
id or key, a did-you-mean. YAML is read with a safe loader (PyYAML's C one when present); duplicate
keys, alias bombs, oversized files, invalid UTF-8, empty files, a top-level list and a wrong
``format:`` are each refused with their own message.

The node tree that carries line numbers is as large as the data itself, so it is dropped once the
data is built and composed again only when there is a problem to locate: a valid file costs one
parse. The plain data of the whole file never exists at once either: each part (a holder, a flow,
a claim...) is validated as soon as the reader completes it and only the validated part is kept.
A part that fails is kept as read, and validating the whole model then reports its problems, at
the same paths and with the same messages as a file read whole. (A JSON text shorter than
``JSON_BY_PARTS_FROM`` is read whole: ``json.loads`` reads it faster, and its tree is small.)

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

import datetime as _dt
import functools
import json
import os
import re
import stat
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from sys import intern
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import cache as model_cache
from ..errors import MissingModelError, ModelError, Problem, did_you_mean, field_path, what_is
from ..gcpause import paused_gc
from .characters import ONE_LINE, TEXT, refused
from .format import FORMAT, Model
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

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class CheckedModel:
    """A model that loaded, with the lint warnings found in it (see
    :func:`tracer.model.lint.lint`)."""

    model: Model
    warnings: tuple[Problem, ...]


def default_model_path() -> Path:
    """The shipped default model (Amazon Alexa), packaged with the library."""
    return Path(str(resources.files("tracer") / "graphs" / "alexa.yaml"))


def load_model(
    path: str | Path | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache: bool | None = None,
) -> Model:
    """Load and validate the model at ``path`` (the shipped default when None).

    A model loaded before from exactly the same bytes comes from the parsed-model cache
    (:mod:`tracer.cache`) unless ``cache`` is False (None: on, unless ``TRACER_NO_CACHE``).
    Raises :class:`~tracer.errors.ModelError` listing every problem.
    """
    path = _resolve(path)
    if cache is False or (cache is None and not model_cache.enabled()):
        return parse_model(_read(path, max_bytes), name=_name(path))
    name = _name(path)
    # keyed by the bytes: a cached model is never decoded, and a regular file is hashed as it is
    # read, not held, so a hit never copies it (stdin, a pipe: read once, whole)
    key = _file_key(path, max_bytes)
    raw = None if key is not None else _read_bytes(path, max_bytes)
    if key is None:
        key = model_cache.key_of(raw)

    def parse() -> Model:
        nonlocal raw
        if raw is None:  # hashed as it was read: read it now, and check it is what was hashed
            data = _read_bytes(path, max_bytes)
            if model_cache.key_of(data) != key:
                raise _Changed(data)
        else:
            data, raw = raw, None
        # the bytes go as soon as they are decoded: a big file is never held twice while parsed
        text, data = _decode(data, name), None
        return parse_model(text, name=name)

    try:
        return model_cache.cached_as(key, parse)
    except _Changed as changed:  # changed between hashing and reading: parsed, never stored
        return parse_model(_decode(changed.data, name), name=name)


class _Changed(Exception):
    """A file's bytes differ from those its cache key was computed from."""

    def __init__(self, data: bytes):
        self.data = data


def _file_key(path: Path, max_bytes: int) -> str | None:
    """The cache key of a regular file within the size limit, hashed a block at a time; None for
    anything else (stdin, a pipe, a device, a file too large or unreadable), which is read whole
    and refused or reported as before."""
    if str(path) == "-":
        return None
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                return None
            return model_cache.key_of_file(file)
    except OSError:
        return None


def check_model(
    path: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedModel:
    """Load ``path`` like :func:`load_model`, and lint it: warnings located at file:line."""
    from .lint import lint_by_rule  # lint traces every interaction; loading must not import it

    path = _resolve(path)
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
    # building millions of small acyclic objects: without the pause, the cyclic collector is
    # most of a big model's load time (see tracer.gcpause)
    with paused_gc():
        return _parse_model(text, name)


def _parse_model(text: str, name: str) -> Model:
    data, flagged, found = _parse(text, name)
    if not isinstance(data, Mapping):
        raise _error(
            name,
            1,
            f"the top level is {what_is(data)}; a model is a mapping of sections "
            "(format, name, parties, holders, ...)",
        )
    try:
        _check_format(data, text, name)
    except ModelError as error:
        raise ModelError([*found, *error.problems]) from None
    refused = _text_problems(data) if flagged else []
    if refused:
        # the refused texts are left out of what is validated next: its messages would repeat
        # the bad characters; every other problem is still found in the same run
        cleared = _without(data, [loc for loc, _ in refused])
        if cleared is None:
            model, problems = None, []
        else:
            model, problems = _validate(cleared)
            problems = [
                (loc, message)
                for loc, message in problems
                if not any(loc[: len(gone)] == gone for gone, _ in refused)
            ]
        locate = _locator(text, [loc for loc, _ in [*refused, *problems]])
        found += [
            Problem(name, locate(loc), field_path(map(_escaped, loc)), message)
            for loc, message in refused
        ]
    else:
        model, problems = _validate(data)
        locate = _locator(text, [loc for loc, _ in problems])
    found += [Problem(name, locate(loc), field_path(loc), message) for loc, message in problems]
    if found or model is None:
        raise ModelError(found)
    return model


def _without(data: Mapping, locs: list[Loc]) -> dict | None:
    """A copy of ``data`` with the refused keys and texts at ``locs`` made plain: a text becomes
    a stand-in, a key its text without what was refused (``yes`` read as true: ``'yes'``), so
    that what names it still finds it; each container on the way copied, the rest shared. None
    if a path does not lead through plain mappings and lists."""
    from .yamldata import ReadAs

    copied: dict[Loc, Any] = {(): dict(data)}

    def container(loc: Loc) -> Any:
        if loc not in copied:
            parent = container(loc[:-1])
            value = parent[loc[-1]]
            if not isinstance(value, (dict, list)):
                raise TypeError(loc)
            parent[loc[-1]] = copied[loc] = type(value)(value)
        return copied[loc]

    try:
        for loc in sorted(locs, key=len, reverse=True):
            parent = container(loc[:-1])
            key = loc[-1]
            if isinstance(parent, dict) and isinstance(parent.get(key), str) and not refused(
                str(key), key=True
            ) and type(key) is not ReadAs:
                parent[key] = "unknown"  # a refused text: its key stays, checked
            elif isinstance(parent, dict):
                value = parent.pop(key)
                plain = "".join(c for c in str(key) if not refused(c, key=True))
                if plain and plain not in parent:
                    parent[plain] = value
            else:
                parent[key] = "unknown"
    except (KeyError, IndexError, TypeError):
        return None
    return copied[()]


def _error(name: str, line: int, message: str, field: str = "") -> ModelError:
    """A ModelError with one problem."""
    return ModelError([Problem(name, line, field, message)])


def _resolve(path: str | Path | None) -> Path:
    """The file ``path`` names: itself, a shipped model's by its name (``alexa-2025``), or the
    default model's when None."""
    from .shipped import resolve

    return resolve(path) or default_model_path()


def _name(path: Path) -> str:
    """How messages name the file; ``-`` is stdin."""
    return "<stdin>" if str(path) == "-" else str(path)


def _read(path: Path, max_bytes: int) -> str:
    return _decode(_read_bytes(path, max_bytes), _name(path))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    name = _name(path)
    try:
        if str(path) == "-":  # stdin (`-m -`, `validate -`)
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                if size > max_bytes:  # a regular file states its size: refused before reading
                    raise _error(
                        name,
                        0,
                        f"the file is {size:,} bytes, over the limit of {max_bytes:,}; "
                        "refusing to read it",
                    )
                # a pipe or a device (<(cat big.yaml), /dev/zero) states no size: read one byte
                # past the limit at most
                raw = file.read(max_bytes + 1)
    except FileNotFoundError as error:
        from .shipped import missing_hint

        raise MissingModelError(name, error.strerror, missing_hint(path)) from None
    except OSError as error:
        raise _error(name, 0, f"cannot read the file: {error.strerror}") from None
    if len(raw) > max_bytes:
        limit = f"the file is over the limit of {max_bytes:,} bytes; refusing to read more of it"
        raise _error(name, 0, limit)
    return raw


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


def _parse(text: str, name: str) -> tuple[Any, bool, list[Problem]]:
    """The file's data, whether a string in it may be refused, and the problems found in
    reading it that do not stop it being checked further (duplicate keys): JSON through the
    json module (fast), YAML (and JSON it rejects) through the event reader; every other
    problem raised as a ModelError at its line."""
    # here, as in the functions below: a model from the cache never needs PyYAML
    from .yamldata import DuplicateKeys, YamlProblem, read_yaml_flagged

    if name.endswith(".json"):
        # JSON refuses raw control characters in strings: the refused ones come only from the
        # escapes below, or are raw non-ASCII ones
        flagged = _has_refused(text) or _RISKY_ESCAPE.search(text) is not None
        # keys are looked at by the slower hook only when the text could put in one a character
        # a key may not hold
        key_risk = flagged or _may_break_key(text)
        hook = _no_duplicates_one_line if key_risk else _no_duplicates
        try:
            # a flagged file's strings are looked through first, and a small file is read
            # faster whole: each part costs a call from Python, where json.loads reads in C
            if not flagged and len(text) >= JSON_BY_PARTS_FROM:
                try:
                    return _json_by_parts(text, hook, one_line=key_risk), False, []
                except (_Irregular, _DuplicateKey):
                    pass  # read whole below, which finds the problem and says where
            data = json.loads(text, object_pairs_hook=hook)
            return data, flagged, []
        except json.JSONDecodeError as error:
            raise _error(name, error.lineno, f"not valid JSON: {error.msg}") from None
        except (_DuplicateKey, RecursionError, ValueError):
            # a duplicate or refused key, nesting deeper than Python's stack or a number too long
            # for int():
            # the YAML reader (which reads JSON too) finds each of them with its line
            pass
    try:
        data, flagged = read_yaml_flagged(text, parts=_validated_part)
    except DuplicateKeys as error:
        duplicates = [
            Problem(
                name, line, key, "duplicate key: it is already defined earlier in the same mapping"
            )
            for line, key in error.duplicates
        ]
        if not isinstance(error.data, Mapping):
            raise ModelError(duplicates) from None
        return error.data, error.flagged, duplicates
    except YamlProblem as error:
        raise _error(name, error.line, error.message) from None
    if data is None:  # no text, or only comments
        raise _error(name, 0, "the file is empty: a model starts with `format: tracer/1`")
    return data, flagged, []


class _DuplicateKey(Exception):
    pass


# from what length (characters) a JSON text is read part by part: below it the whole tree is
# small, and json.loads reads it faster
JSON_BY_PARTS_FROM = 64 * 1024 * 1024


class _Irregular(Exception):
    """What :func:`_json_by_parts` does not read (invalid JSON, a top level not a mapping...)."""


_SPACE = re.compile(r"[ \t\n\r]*")


def _json_by_parts(text: str, hook: Callable, *, one_line: bool) -> dict:
    """The top-level mapping of a JSON model, each part validated as soon as it is decoded (see
    :func:`_validated_part`), so the plain data of the whole file never exists at once: what
    ``json.loads(text, object_pairs_hook=hook)`` gives, but for the parts. Raises _Irregular
    for anything else, for json.loads to report; _DuplicateKey as ``hook`` does.

    >>> _json_by_parts('{"format": "tracer/1", "flows": [{"from": "a", "to": "b",'
    ...     ' "carries": ["r"]}]}', _no_duplicates, one_line=False)["flows"][0].target
    'b'
    """
    # the decoder's C scanner, without raw_decode's wrapper: called once per part
    decode = json.JSONDecoder(object_pairs_hook=hook).scan_once
    space = _SPACE.match
    at = space(text).end()
    if text[at : at + 1] != "{":
        raise _Irregular
    top, at = _json_container(text, at, None, decode, one_line=one_line)
    if space(text, at).end() != len(text):
        raise _Irregular
    return top


def _json_container(
    text: str, at: int, section: str | None, decode: Callable, *, one_line: bool
) -> tuple[dict | list, int]:
    """The mapping or list opening at ``at`` and where it ends: the top level (``section``
    None), each section decoded as a whole, or a section, each part validated as decoded."""
    space = _SPACE.match
    closer = {"{": "}", "[": "]"}.get(text[at : at + 1])
    if closer is None:
        raise _Irregular
    container: dict | list = {} if closer == "}" else []
    at = space(text, at + 1).end()
    if text[at : at + 1] == closer:
        return container, at + 1
    while True:
        if closer == "}":
            if text[at : at + 1] != '"':
                raise _Irregular
            try:
                key, at = json.decoder.scanstring(text, at + 1)
            except json.JSONDecodeError:
                raise _Irregular from None
            if key in container or (one_line and ONE_LINE.search(key)):
                raise _DuplicateKey  # the YAML reader finds it, at its line
            at = space(text, at).end()
            if text[at : at + 1] != ":":
                raise _Irregular
            at = space(text, at + 1).end()
        if section is None and text[at : at + 1] in ("{", "[") and key in _part_validators():
            value, at = _json_container(text, at, key, decode, one_line=one_line)
        else:
            try:
                value, at = decode(text, at)
            except (json.JSONDecodeError, StopIteration):  # StopIteration: no value at ``at``
                raise _Irregular from None
            if section is not None and type(value) in (dict, list):
                value = _validated_part(section, value)
        if closer == "}":
            container[key] = value  # type: ignore[index]
        else:
            container.append(value)  # type: ignore[union-attr]
        at = space(text, at).end()
        if text[at : at + 1] == closer:
            return container, at + 1
        if text[at : at + 1] != ",":
            raise _Irregular
        at = space(text, at + 1).end()


@functools.cache
def _part_validators() -> dict[str, Callable[[Any], Any]]:
    """For each section of a model made of parts (holders, flows...), the validator of one part.

    Validating each part as it is read and the model from the validated parts gives the same
    model as validating the model from its plain data: pydantic takes an instance of a part's
    class as it is (``revalidate_instances`` is ``'never'``).
    """
    from pydantic import TypeAdapter  # here: a model from the cache validates nothing

    validators = {}
    for name, info in Model.model_fields.items():
        origin, args = typing.get_origin(info.annotation), typing.get_args(info.annotation)
        part = args[1] if origin is dict else args[0] if origin is tuple else None
        if _fields(part) is not None:
            validators[name] = TypeAdapter(part).validate_python
    return validators


def _validated_part(section: Any, part: Any) -> Any:
    """``part`` of ``section`` validated, or as read when it fails: validating the whole model
    then reports its problems, each at its path."""
    validate = _part_validators().get(section) if isinstance(section, str) else None
    if validate is None:
        return part
    try:
        return validate(part)
    except ValidationError:
        return part


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    # called for each of a big model's hundreds of thousands of objects: as lean as it can be.
    # json makes a new string of each value, where the model repeats ids by the hundred thousand
    # (every flow names its holders and records): one copy of each short one, as the YAML reader
    # keeps, holds the model's strings to a third
    data = {
        key: value
        if (kind := type(value)) is not str and kind is not list
        else (intern(value) if len(value) <= 40 else value)
        if kind is str
        else [intern(item) if type(item) is str and len(item) <= 40 else item for item in value]
        for key, value in pairs
    }
    if len(data) != len(pairs):
        raise _DuplicateKey  # the YAML reader finds it, at its line
    return data


def _no_duplicates_one_line(pairs: list[tuple[str, Any]]) -> dict:
    data = _no_duplicates(pairs)
    if any(ONE_LINE.search(key) for key in data):
        raise _DuplicateKey  # a refused key: the YAML reader finds it, at its line
    return data


# what can put a line break or tab in a JSON key, where ONE_LINE refuses them: an escape, or the
# two Unicode line separators JSON allows raw (ONE_LINE's other characters are flagged anyway)
_BREAK_ESCAPE = re.compile(r"\\(?:[nt]|u(?:000[9a]|202[89]))", re.I)


def _may_break_key(text: str) -> bool:
    return "\u2028" in text or "\u2029" in text or _BREAK_ESCAPE.search(text) is not None


# the printable ASCII characters, line break and tab: what nearly all of a model's text is
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


def _has_refused(text: str) -> bool:
    """``TEXT.search(text) is not None``, in a fraction of its time on a big file: what is left
    once the plain ASCII is deleted (UTF-8 stays valid without it) is searched."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    return TEXT.search(rest.decode("utf-8", "surrogatepass")) is not None


# JSON escapes that can make a character tracer.model.characters refuses in a value
_RISKY_ESCAPE = re.compile(
    r"\\(?:[bfr]|u(?:00[01]|007f|00[89]|d[89a-f]|fd[de]|fff[ef]|202[a-e]|206[6-9]))", re.I
)


def _check_format(data: Mapping, text: str, name: str) -> None:
    if "format" not in data:
        raise _error(name, 1, f"missing: a model starts with `format: {FORMAT}`", "format")
    if data["format"] != FORMAT:
        from .yamldata import lines_of

        line = lines_of(text, [("format",)])[("format",)]
        raise _error(
            name,
            line,
            f"unsupported format {data['format']!r}: this tracer reads {FORMAT!r}",
            "format",
        )


def _text_problems(data: Mapping) -> list[tuple[Loc, str]]:
    """Every string of the raw data holding a character a model may not (see
    :mod:`tracer.model.characters`), and every key YAML read as something else (``yes:``, a
    date)."""
    from .yamldata import ReadAs

    problems: list[tuple[Loc, str]] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, container = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in items:
            if type(key) is ReadAs and key not in _field_names():
                problems.append(
                    (
                        (*loc, key),
                        f"the key {key!r} is read by YAML as {what_is(key.value)}: "
                        f"write '{key}' (quoted) to use it as a name",
                    )
                )
            elif isinstance(key, str) and (why := refused(key, key=True)):
                problems.append(((*loc, key), f"the key {why}; remove it"))
            if isinstance(value, str):
                if why := refused(value, key=False):
                    problems.append(((*loc, key), f"{why}; remove it"))
            elif isinstance(value, (dict, list)):
                stack.append(((*loc, key), value))
    return problems


def _escaped(part: str | int) -> str | int:
    """A field path part with the characters refused above written as escapes."""
    if isinstance(part, str) and ONE_LINE.search(part):
        return part.encode("unicode_escape", "backslashreplace").decode("ascii")
    return part


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
    # a failing part (a holder, a flow...) is mended with stand-ins where it failed, so the ids
    # it names are still checked; what cannot be mended is left out
    data, mended = _mend(data, [loc for loc, _ in shape])
    pruned, kept = _prune(data, [loc for loc, _ in shape if loc[:2] not in mended])
    try:
        partial = Model.model_validate(pruned)
    except ValidationError:
        return None, shape
    references = [
        (_unprune(loc, kept), message)
        for loc, message in reference_problems(partial, section_ids(data))
    ]
    stand_ins = {loc for locs in mended.values() for loc in locs}
    references = [
        (loc, message)
        for loc, message in references
        if not any(loc[: len(stand_in)] == stand_in for stand_in in stand_ins)
    ]
    return None, shape + references


# what a failing value is replaced with, tried in turn, until its part validates: the text
# "unknown" is a valid period, confidence, id...; any id it stands for is not reported
_STAND_INS: tuple[Any, ...] = ("unknown", "x", "none", 0, (), {})
_MEND_ROUNDS = 8


def _mend(data: Mapping, locs: list[Loc]) -> tuple[dict, dict[Loc, list[Loc]]]:
    """``data`` with each failing part that can be mended replaced by its mended copy, and for
    each such part (``(section, key)``) the paths given stand-ins."""
    import copy

    validators = _part_validators()
    by_part: dict[Loc, list[Loc]] = {}
    for loc in locs:
        if len(loc) > 2 and loc[0] in validators:
            by_part.setdefault(loc[:2], []).append(loc[2:])
    data = dict(data)
    mended: dict[Loc, list[Loc]] = {}
    for (section, key), inside in by_part.items():
        container = data.get(section)
        try:
            part = copy.deepcopy(container[key])  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            continue
        stand_ins = _mend_part(part, inside, validators[section])
        if stand_ins is None:
            continue
        if isinstance(container, list):
            container = list(container)
            container[key] = part  # type: ignore[index]
        else:
            container = {**container, key: part}  # type: ignore[dict-item]
        data[section] = container
        mended[(section, key)] = [(section, key, *loc) for loc in stand_ins]
    return data, mended


def _mend_part(part: Any, locs: list[Loc], validate: Callable[[Any], Any]) -> list[Loc] | None:
    """Give ``part`` stand-ins at ``locs`` (and where they fail in turn) until it validates:
    the paths given one, or None when it cannot be mended."""
    tried: dict[Loc, int] = {}
    for _ in range(_MEND_ROUNDS):
        for loc in locs:
            parent = part
            for step in loc[:-1]:
                try:
                    parent = parent[step]
                except (KeyError, IndexError, TypeError):
                    return None
            if not isinstance(parent, (dict, list)) or not loc:
                return None
            turn = tried.get(loc, 0)
            if turn >= len(_STAND_INS):
                return None
            tried[loc] = turn + 1
            try:
                parent[loc[-1]] = _STAND_INS[turn]
            except (IndexError, TypeError):
                return None
        try:
            validate(part)
        except ValidationError as error:
            locs = [tuple(e["loc"]) for e in error.errors()]
            continue
        return list(tried)
    return None


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
    value = error.get("input")
    if kind == "string_type":
        hint = ""
        if isinstance(value, bool):
            hint = "; YAML reads yes, no, on, off, true and false as true/false: quote it"
        elif isinstance(value, (int, float, _dt.date, _dt.time)):
            hint = "; quote it to make it text"
        return f"must be text, not {what_is(value)}{hint}"
    if kind == "tuple_type":
        example = f": write [{value}]" if isinstance(value, str) else ", like [a, b]"
        return f"must be a list, not {what_is(value)}{example}"
    if kind == "dict_type":
        return f"must be a mapping (key: value), not {what_is(value)}"
    if kind in ("dataclass_type", "model_type", "dataclass_exact_type"):
        return f"must be a mapping of fields, like {{name: ...}}, not {what_is(value)}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        shown = repr(value) if isinstance(value, str) and len(value) <= 40 else what_is(value)
        return f"{shown} is not allowed: use one of {', '.join(allowed)}" + did_you_mean(
            str(value), allowed
        )
    if kind == "too_short":
        return "must have at least one item"
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


@functools.cache
def _field_names() -> frozenset[str]:
    """Every key the format defines (``on`` in a claim, ``for`` in a rule...): written plain,
    such a key is a field's name, never YAML 1.1's boolean, so it is read as its text."""
    names: set[str] = set()
    seen: set[Any] = set()
    kinds: list[Any] = [Model]
    while kinds:
        kind = kinds.pop()
        if kind in seen:
            continue
        seen.add(kind)
        for name, info in (_fields(kind) or {}).items():
            names.update(n for n in (name, info.alias) if n)
            stack = [info.annotation]
            while stack:
                annotation = stack.pop()
                if _fields(annotation) is not None:
                    kinds.append(annotation)
                stack.extend(typing.get_args(annotation))
    return frozenset(names)


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
    from .yamldata import lines_of

    lines = lines_of(text, locs)
    return lambda loc: lines[tuple(loc)]
