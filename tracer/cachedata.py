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
from collections import deque
from itertools import islice, repeat
from typing import Any

from .model import Model

__all__ = ["from_columns", "to_columns"]

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
