"""YAML text to plain Python data, straight from the parser's events, and back to line numbers.

PyYAML's loaders first compose the whole document into a tree of nodes, each with two position
marks: for a large model that tree is several times the size of the data (about 4 GB for a
100,000-holder model). Here the (C, when present) parser's events are turned into data directly,
so memory stays close to the size of the data, with the same safe, YAML 1.1 results as
``yaml.safe_load`` (but for keys such as ``yes``: see :class:`ReadAs`). On the way it refuses
what a model file must not hold: duplicate keys, recursive aliases, alias bombs, more than one
document, tags outside the safe set, merge keys that do not merge mappings.

Line numbers are needed only to report a problem; :func:`lines_of` finds them with a second,
cheap pass over the events that records only the paths asked for.

>>> read_yaml("a: 1\\nb: [x, 'y', 2019-06-28, ~]\\n")
{'a': 1, 'b': ['x', 'y', datetime.date(2019, 6, 28), None]}
>>> lines_of("a: 1\\nb:\\n  - x\\n  - y\\n", [("b", 1), ("a",), ("c", 0)])
{('b', 1): 4, ('a',): 1, ('c', 0): 1}
"""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.resolver import Resolver

from .characters import ONE_LINE, refused

__all__ = ["DuplicateKeys", "ReadAs", "YamlProblem", "lines_of", "read_yaml", "read_yaml_flagged"]

Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_IMPLICIT = Resolver.yaml_implicit_resolvers
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}

# Aliases may stand for many values; a file whose aliases expand to far more values than it
# writes is an "alias bomb" (a billion laughs) that would make validation run for ever. A merge
# key copies what its alias stands for, so it spends the same budget, and every alias is checked
# as it is read: a bomb is refused before anything is copied.
ALIAS_BUDGET = 100_000
ALIAS_FACTOR = 10


class YamlProblem(Exception):
    """What is wrong with the YAML text, and its 1-based line (0 when it has none)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


class ReadAs(str):
    """A mapping key written as plain text that YAML 1.1 reads as another type (``yes`` is
    True, ``2019-06-28`` a date, ``123`` a number): its text, and ``value``, what it would read as.

    In a model every key is a name, so the loader refuses these with a message naming the key as
    written, at its line.
    """

    __slots__ = ("value",)

    def __new__(cls, text: str, value: Any) -> ReadAs:
        key = super().__new__(cls, text)
        key.value = value
        return key


class _Merge:
    """The ``<<`` merge key."""


MERGE = _Merge()


class _Frame:
    __slots__ = ("anchor", "container", "duplicates", "key", "key_line", "merges", "size")

    def __init__(self, container: dict | list, anchor: str | None):
        self.container = container
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.merges: list[dict] = []
        self.size = 1


_NO_KEY = object()


def read_yaml(text: str) -> Any:
    """The data of one YAML document, as ``yaml.safe_load`` gives it (None for an empty one).

    Raises :class:`YamlProblem` for invalid YAML and for what a model may not contain, and
    :class:`DuplicateKeys` (a YamlProblem) with every duplicate key of the document at once.
    """
    return read_yaml_flagged(text)[0]


def read_yaml_flagged(text: str) -> tuple[Any, bool]:
    """:func:`read_yaml`, and whether a string or key may be one a model refuses (a character
    refused by :mod:`tracer.characters`, a :class:`ReadAs` key): checked as each value is read,
    so the loader looks through the data only when it must.

    >>> read_yaml_flagged("a: x\\nnote: |\\n  two\\n  lines\\n")
    ({'a': 'x', 'note': 'two\\nlines\\n'}, False)
    >>> read_yaml_flagged('a: "x\\\\ay"\\n')[1], read_yaml_flagged("on: x\\n")[1]
    (True, True)
    """
    parser = Parser(text)
    try:
        return _build(parser)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        what = error.problem or str(error)
        if "maximum nesting depth" in what:  # libyaml's own limit, some 1,000 levels
            raise YamlProblem(
                mark.line + 1 if mark else 0,
                "nested too deeply: a model is a few levels deep (section, entry, field, list)",
            ) from None
        context = f" ({error.context})" if error.context else ""
        raise YamlProblem(
            mark.line + 1 if mark else 0, f"not valid YAML: {what}{context}"
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(0, f"not valid YAML: {error}") from None
    finally:
        parser.dispose()


class DuplicateKeys(YamlProblem):
    """Keys defined twice in one mapping: ``duplicates`` lists (line, key) pairs."""

    def __init__(self, duplicates: list[tuple[int, str]]):
        super().__init__(duplicates[0][0], "duplicate key")
        self.duplicates = duplicates


def _build(parser) -> tuple[Any, bool]:
    get = parser.get_event
    flagged = False
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    duplicates: list[tuple[int, str]] = []
    stack: list[_Frame] = []
    root: Any = None
    values = 0  # values written in the file so far (an alias counts once)
    expanded = 0  # the values they stand for, each alias counted as all it expands to
    event = get()  # stream start
    event = get()
    if isinstance(event, StreamEndEvent):
        return None, False
    while True:
        event = get()
        kind = type(event)
        if kind is not MappingEndEvent and kind is not SequenceEndEvent:
            values += 1
            expanded += 1
        if kind is ScalarEvent:
            # the common cases inline (one call less per value of a file with millions): quoted
            # text, and plain text no implicit type can start like (an id)
            size = 1
            value = event.value
            if event.tag is None and event.implicit[0]:
                if _IMPLICIT.get(value[:1]):
                    value = _scalar(parser, event)
                elif len(value) <= 40:
                    value = intern(value)  # see _scalar
            elif event.tag is not None:
                value = _scalar(parser, event)
            # isprintable() (C, no regex) is True for nearly every value, and whenever it is,
            # ONE_LINE finds nothing: it looks for characters none of which is printable
            if type(value) is str and not value.isprintable() and ONE_LINE.search(value):
                # most such values are names with a line break: only keys must be one line
                flagged = flagged or not stack or _refused(value, stack[-1])
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None and event.tag not in _SAFE_TAGS and event.tag != "!":
                raise YamlProblem(event.start_mark.line + 1, f"unsupported YAML tag {event.tag!r}")
            stack.append(_Frame({} if kind is MappingStartEvent else [], event.anchor))
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            value, size = frame.container, frame.size
            for merged in frame.merges:  # explicit keys win, then earlier merges
                for key, item in merged.items():
                    value.setdefault(key, item)
            if frame.anchor is not None:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (value, size)
        elif kind is AliasEvent:
            line = event.start_mark.line + 1
            if event.anchor in open_anchors:
                raise YamlProblem(line, "recursive alias: an anchor refers to itself")
            if event.anchor not in anchors:
                raise YamlProblem(line, f"alias *{event.anchor} names no anchor defined before it")
            value, size = anchors[event.anchor]
            expanded += size - 1
            if expanded > ALIAS_BUDGET + ALIAS_FACTOR * values:
                raise YamlProblem(
                    line,
                    f"aliases expand the {values:,} YAML values written so far into "
                    f"{expanded:,}: refusing a possible alias bomb",
                )
        else:  # document end
            break

        if not stack:
            root = value
            continue
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if value is MERGE and (type(container) is list or frame.key is not _NO_KEY):
            raise YamlProblem(
                event.start_mark.line + 1,
                "`<<` is a merge key and cannot be a value; quote it to write the text '<<'",
            )
        if type(container) is list:
            container.append(value)
        elif frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise YamlProblem(event.start_mark.line + 1, "a mapping key must be a plain value")
            if (
                kind is ScalarEvent
                and type(value) is not str
                and value is not MERGE
                and event.implicit[0]
            ):
                value, flagged = ReadAs(event.value, value), True
            frame.key, frame.key_line = value, event.start_mark.line + 1
        else:
            key = frame.key
            frame.key = _NO_KEY
            if key is MERGE:
                merged = value if isinstance(value, list) else [value]
                if not all(isinstance(item, dict) for item in merged):
                    raise YamlProblem(
                        frame.key_line,
                        "a merge key `<<` takes a mapping (`<<: *anchor`) or a list of them",
                    )
                frame.merges.extend(merged)
            elif key in container:
                duplicates.append((frame.key_line, str(key)))
            else:
                container[key] = value

    event = get()
    if isinstance(event, DocumentStartEvent):
        raise YamlProblem(
            event.start_mark.line + 1,
            "a model file holds one YAML document; this is the start of a second one",
        )
    if duplicates:
        raise DuplicateKeys(duplicates)
    return root, flagged


def _refused(value: str, frame: _Frame) -> bool:
    """Whether ``value``, about to join ``frame``, is one a model refuses."""
    key = type(frame.container) is dict and frame.key is _NO_KEY
    return refused(value, key=key) is not None


def _scalar(parser, event: ScalarEvent) -> Any:
    value, tag = event.value, event.tag
    if tag == "!":  # the non-specific tag: a string
        return value
    if tag is None:
        if not event.implicit[0]:  # quoted
            return value
        resolvers = _IMPLICIT.get(value[:1] if value else "")
        if not resolvers:
            # ids repeat across a model (every flow names its records): one copy of each
            return intern(value) if len(value) <= 40 else value
        tag = next((t for t, regexp in resolvers if regexp.match(value)), _STR)
        if tag == _MERGE:
            return MERGE
        if tag not in _SAFE_TAGS:  # "=" (the value key) and the like: plain text in a model
            return value
    elif tag not in _SAFE_TAGS:
        raise YamlProblem(event.start_mark.line + 1, f"unsupported YAML tag {tag!r}")
    if tag == _STR:
        return value
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    try:
        return SafeConstructor.yaml_constructors[tag](parser, node)
    except Exception:  # noqa: BLE001 - PyYAML's constructors fail on bad text with any error
        raise YamlProblem(
            event.start_mark.line + 1,
            f"cannot read {_shown(value)} as {_TAG_WORDS.get(tag, tag.rsplit(':', 1)[-1])}",
        ) from None


_TAG_WORDS = {
    "tag:yaml.org,2002:bool": "true or false (!!bool)",
    "tag:yaml.org,2002:int": "a whole number (!!int)",
    "tag:yaml.org,2002:float": "a number (!!float)",
    "tag:yaml.org,2002:null": "null (!!null)",
    "tag:yaml.org,2002:timestamp": "a date or time (!!timestamp)",
}


def _shown(value: str, limit: int = 40) -> str:
    """``value`` quoted for a message, cut to ``limit`` characters (a number may have 5,000)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value):,} characters)"


def lines_of(text: str, locs: Iterable[tuple[str | int, ...]]) -> dict[tuple, int]:
    """For each field path, the 1-based line where the text writes it, or the nearest enclosing
    field written (line 1 when none is)."""
    locs = [tuple(loc) for loc in locs]
    wanted = {tuple(_key(p) for p in loc[:n]) for loc in locs for n in range(1, len(loc) + 1)}
    found: dict[tuple, int] = {}
    parser = Parser(text)
    try:
        _walk(parser, wanted, found)
    except yaml.YAMLError:
        pass  # the data was read from this text, so this cannot happen; give what was found
    finally:
        parser.dispose()
    result = {}
    for loc in locs:
        key = tuple(_key(p) for p in loc)
        line = 1
        for n in range(len(key), 0, -1):
            if key[:n] in found:
                line = found[key[:n]]
                break
        result[loc] = line
    return result


def _key(part: str | int) -> str | int:
    return part if isinstance(part, int) else str(part)


def _walk(parser, wanted: set[tuple], found: dict[tuple, int]) -> None:
    # each frame: [path, is_mapping, next index or current key, expecting a key]
    stack: list[list] = []
    get = parser.get_event
    while True:
        event = get()
        kind = type(event)
        if kind is StreamEndEvent:
            return
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        if kind not in (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent):
            continue
        line = event.start_mark.line + 1
        path: tuple | None = ()
        if stack:
            frame = stack[-1]
            if frame[1]:  # a mapping
                if frame[3]:  # this event is a key
                    frame[3] = False
                    frame[2] = event.value if kind is ScalarEvent else None
                    if frame[0] is not None and frame[2] is not None:
                        key_path = (*frame[0], frame[2])
                        if key_path in wanted:
                            found[key_path] = line
                    if kind in (MappingStartEvent, SequenceStartEvent):
                        stack.append([None, kind is MappingStartEvent, 0, True])
                    continue
                frame[3] = True
                path = (
                    (*frame[0], frame[2]) if frame[0] is not None and frame[2] is not None else None
                )
            else:
                path = (*frame[0], frame[2]) if frame[0] is not None else None
                frame[2] += 1
                if path is not None and path in wanted:
                    found[path] = line
        if path is not None and path not in wanted and path != ():
            path = None  # nothing asked for lies below: stop building paths
        if kind is MappingStartEvent:
            stack.append([path, True, None, True])
        elif kind is SequenceStartEvent:
            stack.append([path, False, 0, False])
