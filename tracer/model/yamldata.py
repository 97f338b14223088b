"""YAML text to plain Python data, straight from the parser's events, and back to line numbers.

PyYAML's loaders first compose the whole document into a tree of nodes, each with two position
marks: for a large model that tree is several times the size of the data (about 4 GB for a
100,000-holder model). Here the (C, when present) parser's events are turned into data directly,
so memory stays close to the size of the data, with the same safe, YAML 1.1 results as
``yaml.safe_load`` (but for keys such as ``yes``: see :class:`ReadAs`); a caller may also take
each entry of a section as soon as it is read (``parts``, :func:`read_yaml_flagged`), so that not
even the data exists whole. On the way it refuses
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

import datetime as _dt
from collections.abc import Callable, Iterable
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
    __slots__ = ("anchor", "container", "flags", "key", "key_mark", "merges", "start")

    def __init__(self, container: dict | list, anchor: str | None, start: int):
        self.container = container
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: Any = None  # where the key was read: its line only for an error
        self.merges: list[dict] = []
        # the values counted when it began (itself included): its size is the count when it
        # ends less this, plus one
        self.start = start
        self.flags = 0  # the values flagged before it began (a part, an anchored value)


_NO_KEY = object()

# what a plain text can be read as and one object can stand for in every place it is written
_SHARED = frozenset({str, int, float, bool, _Merge, _dt.date})


class _Chunks:
    """A text handed to the parser a chunk at a time, as a file is: given the whole text, the C
    parser first makes a UTF-8 copy of all of it (223 MB for a 100,000-holder model), alive
    until it is done; read in chunks, only a chunk is copied at a time. Line numbers and errors
    are the same: the parser sees the same bytes."""

    __slots__ = ("at", "text")

    def __init__(self, text: str):
        self.text, self.at = text, 0

    def read(self, size: int) -> str:
        chunk = self.text[self.at : self.at + size]
        self.at += size
        return chunk


def read_yaml(text: str) -> Any:
    """The data of one YAML document, as ``yaml.safe_load`` gives it (None for an empty one).

    Raises :class:`YamlProblem` for invalid YAML and for what a model may not contain, and
    :class:`DuplicateKeys` (a YamlProblem) with every duplicate key of the document at once.
    """
    return read_yaml_flagged(text)[0]


# what read_yaml_flagged calls as each part of a document completes: (section, part) -> the part
# to keep in its place
PartHook = Callable[[Any, Any], Any]


def read_yaml_flagged(text: str, *, parts: PartHook | None = None) -> tuple[Any, bool]:
    """:func:`read_yaml`, and whether a string or key may be one a model refuses (a character
    refused by :mod:`tracer.model.characters`, a :class:`ReadAs` key): checked as each value is
    read, so the loader looks through the data only when it must.

    ``parts``, when given, is called with each mapping or list two levels down (an entry of a
    section of the top-level mapping, ``holders: {inbox: {...}}``) as soon as the reader
    completes it, and what it returns takes its place: the loader validates each holder, flow...
    as it is read, so the plain data of the whole file never exists at once. It is called only
    for a part with nothing flagged in it (a flagged part is left as read, for the loader to find
    what it holds), and the value an anchor stands for is the part as read.

    >>> read_yaml_flagged("a: x\\nnote: |\\n  two\\n  lines\\n")
    ({'a': 'x', 'note': 'two\\nlines\\n'}, False)
    >>> read_yaml_flagged('a: "x\\\\ay"\\n')[1], read_yaml_flagged("on: x\\n")[1]
    (True, True)
    >>> read_yaml_flagged("s: {a: [1], b: [2]}\\nt: [[3]]\\n", parts=lambda s, part: (s, len(part)))
    ({'s': {'a': ('s', 1), 'b': ('s', 1)}, 't': [('t', 1)]}, False)
    """
    parser = Parser(_Chunks(text))
    try:
        return _build(parser, parts)
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
    """Keys defined twice in one mapping: ``duplicates`` lists (line, key) pairs; ``data`` and
    ``flagged`` are what the document read as, each key's first value kept, so its other
    problems can be reported with these."""

    def __init__(self, duplicates: list[tuple[int, str]], data: Any = None, flagged: bool = False):
        super().__init__(duplicates[0][0], "duplicate key")
        self.duplicates = duplicates
        self.data, self.flagged = data, flagged


def _build(parser, parts: PartHook | None) -> tuple[Any, bool]:
    get = parser.get_event
    plain: dict[str, Any] = {}  # what each plain text read so far was read as
    flags = 0  # values flagged so far
    # each anchor's value, its size, and whether anything in it was flagged: an alias of it
    # flags the part it is written in too, which is then left as read for the loader's checks
    anchors: dict[str, tuple[Any, int, bool]] = {}
    open_anchors: set[str] = set()
    duplicates: list[tuple[int, str]] = []
    stack: list[_Frame] = []
    top: Any = None  # stack[-1], the container being read (None at the top level)
    root: Any = None
    values = 0  # values written in the file so far (an alias counts once)
    # the values they stand for less values: what the aliases add, each counted as all it
    # expands to
    extra = 0
    event = get()  # stream start
    event = get()
    if isinstance(event, StreamEndEvent):
        return None, False
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            values += 1
            # the common cases inline (one call less per value of a file with millions): quoted
            # text, and plain text no implicit type can start like (an id)
            value = event.value
            if event.tag is not None:
                value = _scalar(parser, event)
            elif event.implicit[0]:
                # a model repeats its ids and words thousands of times: each plain text is
                # resolved once, and its one copy kept (see _scalar)
                known = plain.get(value)
                if known is not None:
                    value = known
                elif len(value) <= 40:
                    value = _scalar(parser, event) if _IMPLICIT.get(value[:1]) else intern(value)
                    if type(value) in _SHARED:  # not None: get() above could not tell it
                        plain[event.value] = value
                else:
                    value = _scalar(parser, event) if _IMPLICIT.get(value[:1]) else value
            # isprintable() (C, no regex) is True for nearly every value, and whenever it is,
            # ONE_LINE finds nothing: it looks for characters none of which is printable
            # (most such values are names with a line break: only keys must be one line)
            flagged = (
                type(value) is str
                and not value.isprintable()
                and ONE_LINE.search(value) is not None
                and (top is None or _refused(value, top))
            )
            if flagged:
                flags += 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1, flagged)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            values += 1
            if event.tag is not None and event.tag not in _SAFE_TAGS and event.tag != "!":
                raise YamlProblem(event.start_mark.line + 1, f"unsupported YAML tag {event.tag!r}")
            top = _Frame({} if kind is MappingStartEvent else [], event.anchor, values + extra)
            stack.append(top)
            if len(stack) == 3 or event.anchor is not None:  # a part, an anchored value
                top.flags = flags
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            top = stack[-1] if stack else None
            value, size = frame.container, values + extra - frame.start + 1
            for merged in frame.merges:  # explicit keys win, then earlier merges
                for key, item in merged.items():
                    value.setdefault(key, item)
            if frame.anchor is not None:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (value, size, flags != frame.flags)
            if len(stack) == 2 and parts is not None and flags == frame.flags:
                root_frame, section = stack
                # not a merge into the section, nor a part of an anchored section: an alias of
                # it must stand for the parts as read, as the loader's messages expect
                if (
                    type(root_frame.container) is dict
                    and (type(section.container) is list or section.key is not _NO_KEY)
                    and section.key is not MERGE
                    and section.anchor is None
                ):
                    value = parts(root_frame.key, value)
        elif kind is AliasEvent:
            values += 1
            line = event.start_mark.line + 1
            if event.anchor in open_anchors:
                raise YamlProblem(line, "recursive alias: an anchor refers to itself")
            if event.anchor not in anchors:
                raise YamlProblem(line, f"alias *{event.anchor} names no anchor defined before it")
            value, size, flagged = anchors[event.anchor]
            if flagged:
                flags += 1
            extra += size - 1
            if values + extra > ALIAS_BUDGET + ALIAS_FACTOR * values:
                raise YamlProblem(
                    line,
                    f"aliases expand the {values:,} YAML values written so far into "
                    f"{values + extra:,}: refusing a possible alias bomb",
                )
        else:  # document end
            break

        if top is None:
            root = value
            continue
        frame = top
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
                value = ReadAs(event.value, value)
                flags += 1
            frame.key, frame.key_mark = value, event.start_mark
        else:
            key = frame.key
            frame.key = _NO_KEY
            if key is MERGE:
                merged = value if isinstance(value, list) else [value]
                if not all(isinstance(item, dict) for item in merged):
                    raise YamlProblem(
                        frame.key_mark.line + 1,
                        "a merge key `<<` takes a mapping (`<<: *anchor`) or a list of them",
                    )
                frame.merges.extend(merged)
            elif key in container:
                duplicates.append((frame.key_mark.line + 1, str(key)))
            else:
                container[key] = value

    event = get()
    if isinstance(event, DocumentStartEvent):
        raise YamlProblem(
            event.start_mark.line + 1,
            "a model file holds one YAML document; this is the start of a second one",
        )
    if duplicates:
        raise DuplicateKeys(duplicates, root, flags > 0)
    return root, flags > 0


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
    parser = Parser(_Chunks(text))
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
