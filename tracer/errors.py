"""The errors tracer raises, and the problems a model file can have.

Every error the library raises is a :class:`TracerError`, so a caller (the CLI) needs to catch
only that one class::

    TracerError                 anything tracer refuses, with a message fit for a user
     ├── ModelError             a model file that cannot be loaded; lists every Problem at once
     ├── UnknownIdError         an interaction, record, holder, party or request id not in the model
     ├── RequestError           a malformed deletion request or time ("delete-recording@soon")
     └── OutputError            an output that cannot be written (unknown suffix, unwritable path)

>>> str(Problem(file="m.yaml", line=3, field="flows[0].to", message="unknown holder 'x'"))
"m.yaml:3: flows[0].to: unknown holder 'x'"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ModelError",
    "OutputError",
    "Problem",
    "RequestError",
    "TracerError",
    "UnknownIdError",
    "did_you_mean",
    "field_path",
]


class TracerError(Exception):
    """Base of every error tracer raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in a model file: an error (the model does not load) or a warning (it does)."""

    file: str
    line: int
    field: str
    message: str
    severity: str = "error"
    rule: str = ""  # a warning's lint rule (see tracer.lint.RULES), for grouping them

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ModelError(TracerError):
    """A model file that cannot be loaded. ``problems`` holds every error found, in file order."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.line, p.field, p.message))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the model"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class UnknownIdError(TracerError):
    """An id that the model does not define, with a did-you-mean from the ones it does."""

    def __init__(self, kind: str, wanted: str, known: Iterable[str]):
        self.kind, self.wanted, self.known = kind, wanted, sorted(known)
        message = f"unknown {kind} {wanted!r}" + did_you_mean(wanted, self.known)
        if self.known:
            shown = ", ".join(self.known[:12]) + (", ..." if len(self.known) > 12 else "")
            message += f" (known: {shown})"
        super().__init__(message)


class RequestError(TracerError):
    """A deletion request or a time given in a form tracer cannot read."""


class OutputError(TracerError):
    """An output tracer cannot write."""


def did_you_mean(wanted: str, known: Iterable[str]) -> str:
    """The suffix "; did you mean 'x'?" for the closest known id, or "" when none is close.

    >>> did_you_mean("voice_histroy", ["voice_history", "echo"])
    "; did you mean 'voice_history'?"
    >>> did_you_mean("zzz", ["echo"])
    ''
    """
    close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def field_path(loc: Iterable[str | int]) -> str:
    """A field's path as a reader writes it.

    >>> field_path(("flows", 3, "to"))
    'flows[3].to'
    """
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":  # pydantic's marker for "the key itself is invalid"
            text += f".{part}" if text else str(part)
    return text
