"""A validated model as columns of plain values, and back, without validating again: what the
parsed-model cache (:mod:`tracer.cache`) stores.

A 100,000-holder model is about a million small parts (holders, rules, flows...), frozen and
slotted pydantic dataclasses. Pickled as they are, each is rebuilt by a Python ``__setstate__``
that looks its fields up again: 20 seconds and more for such a model, longer than parsing it.
Here the parts of one kind are stored together, field by field, and rebuilt field by field, each
field of all of them in one C-level pass (``map`` over the slot's setter): the plain values
(text, tuples of ids, periods) come back from the pickle as they went in.

A field holding parts (a holder's ``keeps``, its ``access``, a rule's ``per_request``, a claim's
statement) is a table of its own, rebuilt first, and the field keeps only the keys or counts to
put them back in their places. Anything of another shape is stored as it is.

>>> from tracer.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {note: {name: Note}}
... holders: {inbox: {name: Inbox, party: acme, keeps: {note: {for: 30d}}}}
... ''')
>>> from_columns(to_columns(model)) == model
True
"""

from __future__ import annotations

import dataclasses
import operator
import pickle
import sys
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, islice, repeat
from typing import Any

from .gcpause import paused_gc
from .model import Model

__all__ = [
    "PartMapping",
    "PartSequence",
    "from_columns",
    "from_parts",
    "to_columns",
    "to_parts",
    "whole",
]

# how a field of a table is stored
PLAIN, PART, DICT, TUPLE = "plain", "part", "dict", "tuple"


def to_columns(model: Model) -> tuple:
    """``model`` as plain data: its fields as one table of one row, and which fields were set."""
    return (
        _table(Model, [model], tuple(Model.model_fields)),
        tuple(sorted(model.model_fields_set)),
    )


def from_columns(data: tuple) -> Model:
    """The model :func:`to_columns` stored, equal to it, without validating anything again."""
    table, fields_set = data
    values = _rows(table, build=False)
    return Model.model_construct(_fields_set=set(fields_set), **values)


def _is_part(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and hasattr(type(value), "__pydantic_fields__")


def _table(kind: type, rows: list, names: tuple[str, ...]) -> tuple:
    """``rows`` (instances of ``kind``) as ``(kind, count, columns)``; each column is
    ``(name, how, data)``."""
    columns = []
    for name in names:
        values = [getattr(row, name) for row in rows]
        columns.append((name, *_column(values)))
    return kind, len(rows), tuple(columns)


def _column(values: list) -> tuple[str, Any]:
    present = [value for value in values if value is not None]
    if not present:
        return PLAIN, values
    if all(map(_is_part, present)):
        parts = present
        how, shape = PART, [value is not None for value in values]
    elif all(type(v) is dict for v in present) and all(
        map(_is_part, (p for v in present for p in v.values()))
    ):
        parts = [p for v in present for p in v.values()]
        how, shape = DICT, [None if v is None else tuple(v) for v in values]
    elif all(type(v) is tuple for v in present) and all(
        map(_is_part, (p for v in present for p in v))
    ):
        parts = [p for v in present for p in v]
        how, shape = TUPLE, [None if v is None else len(v) for v in values]
    else:
        return PLAIN, values
    kinds = {type(part) for part in parts}
    if len(kinds) != 1 or not _slotted(next(iter(kinds))):
        return PLAIN, values  # pickled as they are: slower, still right
    kind = kinds.pop()
    names = tuple(field.name for field in dataclasses.fields(kind))
    return how, (shape, _table(kind, parts, names))


def _slotted(kind: type) -> bool:
    """Whether every field of ``kind`` is a slot, so it can be set by the slot's own setter."""
    return all(
        type(_slot(kind, field.name)).__name__ == "member_descriptor"
        for field in dataclasses.fields(kind)
    )


def _slot(kind: type, name: str) -> Any:
    return next(klass.__dict__[name] for klass in kind.__mro__ if name in klass.__dict__)


def _rows(table: tuple, *, build: bool = True) -> Any:
    """The instances a table stores (``build``), or for the model its field values by name."""
    kind, count, columns = table
    values = {name: _values(how, data) for name, how, data in columns}
    if not build:
        return {name: column[0] for name, column in values.items()}
    rows = list(map(object.__new__, repeat(kind, count)))
    for name, column in values.items():
        # the slot's setter, once per row, in C: frozen parts refuse setattr
        deque(map(_slot(kind, name).__set__, rows, column), maxlen=0)
    return rows


def _values(how: str, data: Any) -> list:
    if how == PLAIN:
        return data
    shape, table = data
    parts = iter(_rows(table))
    if how == PART:
        return [next(parts) if present else None for present in shape]
    if how == DICT:
        if None not in shape:  # zip takes from `parts` only while there are keys
            return list(map(dict, map(zip, shape, repeat(parts))))
        return [None if keys is None else dict(zip(keys, parts, strict=False)) for keys in shape]
    if None not in shape:
        return list(map(tuple, map(islice, repeat(parts), shape)))
    return [None if count is None else tuple(islice(parts, count)) for count in shape]


# --- the cache's entry "parts2": every part pickled on its own, decoded when asked for --

# the fields whose parts are stored one by one: mappings of parts, and tuples of parts
_MAPPINGS = ("sources", "parties", "records", "holders", "interactions", "deletions", "claims")
_SEQUENCES = ("flows", "derivations")


class _Blob:
    """Items pickled one by one into one bytes object, with where each starts."""

    __slots__ = ("_data", "_view", "_starts")

    def __init__(self, data: Any, starts: Any):
        # any buffer: bytes and an array when made, or views of the cache's mapped file, read
        # from the disk only where a part is decoded
        self._data = data
        self._view = memoryview(data).cast("B")
        self._starts = memoryview(starts).cast("B").cast("q")

    @classmethod
    def of(cls, items: Iterable) -> _Blob:
        pieces = [pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL) for item in items]
        return cls(b"".join(pieces), array("q", accumulate(map(len, pieces), initial=0)))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def load(self, number: int) -> Any:
        starts = self._starts
        return pickle.loads(self._view[starts[number] : starts[number + 1]])

    def __reduce_ex__(self, protocol: Any) -> tuple:
        if protocol < 5:
            return _Blob, (self._view.tobytes(), self._starts.tobytes())
        # protocol 5 hands both to the pickler's buffer_callback: stored apart, mapped back
        return _Blob, (pickle.PickleBuffer(self._view), pickle.PickleBuffer(self._starts))


class PartMapping(Mapping):
    """A read-only mapping of a model's parts (``model.holders``...), each decoded the first
    time it is asked for: a command that reaches a few dozen holders of 100,000 decodes those.

    It answers as the ``dict`` it stands for (same keys in the same order, equal values, equal
    to that dict); code that walks every value decodes every value, once.
    """

    __slots__ = ("_keys", "_numbers", "_blob", "_decoded")

    def __init__(self, keys: tuple[str, ...], blob: _Blob):
        self._keys, self._blob = keys, blob
        self._numbers: dict[str, int] | None = None
        self._decoded: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._decoded[key]
        except (KeyError, TypeError):
            pass
        numbers = self._numbers
        if numbers is None:
            numbers = self._numbers = dict(zip(self._keys, range(len(self._keys)), strict=True))
        value = self._decoded[key] = self._blob.load(numbers[key])  # KeyError: not a key
        return value

    def __contains__(self, key: object) -> bool:
        if self._numbers is None:
            self._numbers = dict(zip(self._keys, range(len(self._keys)), strict=True))
        return key in self._numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __or__(self, other: object) -> dict:
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self) | dict(other)

    def __ror__(self, other: object) -> dict:
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(other) | dict(self)

    def __reduce__(self) -> tuple:
        return dict, (dict(self),)  # copied or pickled, it is the dict it stands for


class PartSequence(Sequence):
    """A read-only sequence of a model's parts (``model.flows``...), each decoded the first
    time it is asked for; it answers as the ``tuple`` it stands for, and equals it."""

    __slots__ = ("_blob", "_decoded", "edge_columns")

    def __init__(self, blob: _Blob):
        self._blob = blob
        self._decoded: dict[int, Any] = {}
        # on a model's flows: which holder each flow and derivation leaves, and its first tag,
        # for tracer.graph.EdgeIndex (on the model's private attributes it would break ==)
        self.edge_columns: tuple[list[str], list[str], str] | None = None

    def __getitem__(self, number):  # type: ignore[override]
        if isinstance(number, slice):
            return tuple(map(self.__getitem__, range(len(self))[number]))
        try:
            return self._decoded[number]
        except KeyError:
            pass
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(f"index {number} out of range")
        value = self._decoded[number] = self._blob.load(number)
        return value

    def __iter__(self) -> Iterator[Any]:
        return map(self.__getitem__, range(len(self)))

    def __len__(self) -> int:
        return len(self._blob)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple | PartSequence):
            return NotImplemented
        return len(self) == len(other) and all(map(operator.eq, self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))  # as the tuple's: the parts are frozen

    def __add__(self, other: object) -> tuple:
        if not isinstance(other, tuple | PartSequence):
            return NotImplemented
        return tuple(self) + tuple(other)

    def __radd__(self, other: object) -> tuple:
        if not isinstance(other, tuple):
            return NotImplemented
        return other + tuple(self)

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple:
        return tuple, (tuple(self),)


def to_parts(model: Model) -> tuple:
    """``model`` as the cache's entry stores it: its small fields as :func:`to_columns` does,
    each part of its mappings and sequences pickled on its own, and the columns the edge index
    searches (which holder each edge leaves, its first ``when`` tag, and the text of the first)."""
    empty = {name: type(getattr(model, name))() for name in (*_MAPPINGS, *_SEQUENCES)}
    # the fields given are the model's: model_copy counts the emptied ones as given
    rest = (to_columns(model.model_copy(update=empty))[0], tuple(sorted(model.model_fields_set)))
    stored = {
        name: (tuple(getattr(model, name)), _Blob.of(getattr(model, name).values()))
        for name in _MAPPINGS
    }
    stored.update({name: _Blob.of(getattr(model, name)) for name in _SEQUENCES})
    edges = [*model.flows, *model.derivations]
    # interned: the pickle then stores each holder's id once, however many edges leave it
    sources = [
        *map(sys.intern, (flow.source for flow in model.flows)),
        *map(sys.intern, (rule.at for rule in model.derivations)),
    ]
    firsts = [sys.intern(edge.when[0]) if edge.when else "" for edge in edges]
    text = "\n" + "\n".join(sources) + "\n"  # the text EdgeIndex searches, one id a line
    return rest, stored, (sources, firsts, text)


def from_parts(data: tuple) -> Model:
    """The model :func:`to_parts` stored, equal to it; its parts are decoded as they are used.

    >>> from tracer.loading import default_model_path, parse_model
    >>> model = parse_model(default_model_path().read_text())
    >>> again = from_parts(pickle.loads(pickle.dumps(to_parts(model))))
    >>> type(again.holders).__name__, again == model, again.holders == model.holders
    ('PartMapping', True, True)
    """
    rest, stored, columns = data
    model = from_columns(rest)
    fields = dict(model.__dict__)
    for name in _MAPPINGS:
        keys, blob = stored[name]
        fields[name] = PartMapping(keys, blob)
    for name in _SEQUENCES:
        fields[name] = PartSequence(stored[name])
    fields["flows"].edge_columns = columns
    return Model.model_construct(_fields_set=set(model.model_fields_set), **fields)


def whole(model: Model) -> Model:
    """``model`` with every part decoded into plain dicts and tuples (itself if it has none to
    decode): what pydantic's serializer needs, since it knows only dicts and tuples."""
    lazy = {
        name: value
        for name, value in model.__dict__.items()
        if isinstance(value, PartMapping | PartSequence)
    }
    if not lazy:
        return model
    fields = dict(model.__dict__)
    with paused_gc():  # up to a million parts decoded: see tracer.gcpause
        for name, value in lazy.items():
            fields[name] = dict(value) if isinstance(value, PartMapping) else tuple(value)
    return Model.model_construct(_fields_set=set(model.model_fields_set), **fields)
