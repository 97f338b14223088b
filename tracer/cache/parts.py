"""A validated model as the parsed-model cache (:mod:`tracer.cache`) stores it, and back without
validating again: every part (a holder, a flow, a party...) pickled on its own, and decoded only
when something uses it.

A 100,000-holder model is about a million small parts, frozen and slotted pydantic dataclasses.
Rebuilt all at once they cost seconds, however they are stored (as they are, or as columns of
plain values set slot by slot, the entry format before this one); a trace reaches a few dozen of
them. So each mapping of parts (``model.holders``...) comes back as a :class:`PartMapping` and
each tuple of parts (``model.flows``...) as a :class:`PartSequence`, which decode a part the first
time it is asked for and answer as the dict and tuple they stand for. The model's other fields
(its format, name, date, description) are stored as they are.

>>> from tracer.model.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {note: {name: Note}}
... holders: {inbox: {name: Inbox, party: acme, keeps: {note: {for: 30d}}}}
... ''')
>>> from_parts(pickle.loads(pickle.dumps(to_parts(model)))) == model
True
"""

from __future__ import annotations

import operator
import pickle
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate
from typing import Any

from ..graph import edge_columns
from ..model import Model

__all__ = ["PartMapping", "PartSequence", "from_parts", "to_parts"]


# the fields whose parts are stored one by one: mappings of parts, and tuples of parts
_MAPPINGS = ("sources", "parties", "records", "holders", "interactions", "deletions", "claims")
_SEQUENCES = ("flows", "derivations")


class _Blob:
    """Items pickled one by one into one bytes object, with where each starts."""

    __slots__ = ("_data", "_view", "_starts")

    def __init__(self, data: Any, starts: Any):
        # any buffer: bytes and an array when made, or views of the cache entry's bytes (read
        # into memory), unpickled only where a part is decoded
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
        value = self._decoded[key] = self._blob.load(self._positions()[key])  # KeyError: no key
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._positions()

    def _positions(self) -> dict[str, int]:
        """Where each key's part is in the blob, made on first use."""
        if self._numbers is None:
            self._numbers = dict(zip(self._keys, range(len(self._keys)), strict=True))
        return self._numbers

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
    """``model`` as the cache's entry stores it: its other fields as they are, and which were
    set; each part of its mappings and sequences pickled on its own; and the columns the edge
    index searches (which holder each edge leaves, its first ``when`` tag, and the text of the
    first)."""
    plain = {
        name: getattr(model, name)
        for name in Model.model_fields
        if name not in _MAPPINGS and name not in _SEQUENCES
    }
    rest = (plain, tuple(sorted(model.model_fields_set)))
    stored = {
        name: (tuple(getattr(model, name)), _Blob.of(getattr(model, name).values()))
        for name in _MAPPINGS
    }
    stored.update({name: _Blob.of(getattr(model, name)) for name in _SEQUENCES})
    return rest, stored, edge_columns(model)


def from_parts(data: tuple) -> Model:
    """The model :func:`to_parts` stored, equal to it; its parts are decoded as they are used.

    >>> from tracer.model.loading import default_model_path, parse_model
    >>> model = parse_model(default_model_path().read_text())
    >>> again = from_parts(pickle.loads(pickle.dumps(to_parts(model))))
    >>> type(again.holders).__name__, again == model, again.holders == model.holders
    ('PartMapping', True, True)
    """
    (plain, fields_set), stored, columns = data
    fields = dict(plain)
    for name in _MAPPINGS:
        keys, blob = stored[name]
        fields[name] = PartMapping(keys, blob)
    for name in _SEQUENCES:
        fields[name] = PartSequence(stored[name])
    fields["flows"].edge_columns = columns
    return Model.model_construct(_fields_set=set(fields_set), **fields)
