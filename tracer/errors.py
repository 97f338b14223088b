"""The errors tracer raises, and the problems a model file can have.

Every error the library raises is a :class:`TracerError`, so a caller (the CLI) needs to catch
only that one class::

    TracerError                 anything tracer refuses, with a message fit for a user
     ├── ModelError             a model file that cannot be loaded; lists every Problem at once
     │    └── MissingModelError a model file that is not there (and where one may be instead)
     ├── UnknownIdError         an interaction, record, holder, party or request id not in the model
     ├── RequestError           a malformed deletion request or time ("delete-recording@soon")
     └── OutputError            an output that cannot be written (unknown suffix, unwritable path)

>>> str(Problem(file="m.yaml", line=3, field="flows[0].to", message="unknown holder 'x'"))
"m.yaml:3: flows[0].to: unknown holder 'x'"
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MissingModelError",
    "ModelError",
    "OutputError",
    "Problem",
    "RequestError",
    "Suggestions",
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
    rule: str = ""  # a warning's lint rule (see tracer.model.lint.RULES), for grouping them

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


class MissingModelError(ModelError):
    """A model file that is not there: one line, ``no model file at PATH``, and where a model may
    be instead (a close file name, a shipped model). Its ``problems`` say it as any unreadable
    file's do, for those that list problems (the explorer's page)."""

    def __init__(self, name: str, reason: str = "No such file or directory", hint: str = ""):
        super().__init__([Problem(name, 0, "", f"cannot read the file: {reason}")])
        self.message = f"no model file at {name}{hint}"

    def __str__(self) -> str:
        return self.message


class UnknownIdError(TracerError):
    """An id that the model does not define, with a did-you-mean from the ones it does.
    ``model`` is that model's name, when the id was looked up in a model's own section."""

    def __init__(self, kind: str, wanted: str, known: Iterable[str], *, model: str = ""):
        self.kind, self.wanted, self.known = kind, wanted, sorted(known)
        self.model = model
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
    known = known if isinstance(known, (list, tuple, set, frozenset, dict)) else list(known)
    if len(known) > 1_000:  # indexing pays for itself only on many ids
        return Suggestions(known)(wanted)
    close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Suggestions:
    """Did-you-mean for many names against one set of known ids, in near-linear time.

    difflib compares a name with every id, some 100 µs each: 10,000 misspelled parties against
    10,000 parties took hours. Here each distinct name is looked up once; it is compared only with
    the ``SHORTLIST`` ids sharing the most of its rarer three-letter pieces (with few ids, all of
    them: the same answer as difflib); and past ``limit`` distinct names no more are looked up
    (thousands of misspellings are one mistake repeated, and the first ones show it).

    >>> suggest = Suggestions([f"party-{i}" for i in range(1000)], limit=1)
    >>> suggest("partyy-42"), suggest("partyy-42"), suggest("partyy-43")
    ("; did you mean 'party-42'?", "; did you mean 'party-42'?", '')
    """

    SHORTLIST = 16
    POSTINGS = 2_000  # how many index entries one lookup reads, at most (past its rarest piece)

    def __init__(self, known: Iterable[str], *, limit: int | None = None):
        self.known = sorted(set(known))
        self.limit = limit
        self.found: dict[str, str] = {}
        self.index: dict[str, list[int]] | None = None
        if len(self.known) > self.SHORTLIST:
            self.index = {}
            for number, name in enumerate(self.known):
                for piece in _pieces(name):
                    self.index.setdefault(piece, []).append(number)

    def __call__(self, wanted: str) -> str:
        if wanted in self.found:
            return self.found[wanted]
        if self.limit is not None and len(self.found) >= self.limit:
            return ""
        close = difflib.get_close_matches(wanted, self._shortlist(wanted), n=1, cutoff=0.6)
        self.found[wanted] = f"; did you mean {close[0]!r}?" if close else ""
        return self.found[wanted]

    def _shortlist(self, wanted: str) -> list[str]:
        if self.index is None:
            return self.known
        postings = sorted(
            (self.index[piece] for piece in _pieces(wanted) if piece in self.index), key=len
        )
        shared: dict[int, int] = {}
        read = 0
        for numbers in postings:
            if read and read + len(numbers) > self.POSTINGS:
                break
            read += len(numbers)
            for number in numbers:
                shared[number] = shared.get(number, 0) + 1
        best = sorted(shared, key=lambda number: (-shared[number], number))[: self.SHORTLIST]
        return [self.known[number] for number in sorted(best)]


def _pieces(name: str) -> set[str]:
    """The three-letter pieces of ``name``, its ends marked: what two similar names share."""
    padded = f"\x00{name}\x00"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def what_is(value: object) -> str:
    """What a value read from a file is, in a reader's words, for a message.

    >>> what_is(True), what_is(["a"]), what_is(12), what_is("abc")
    ('true/false (True)', 'a list', 'a number (12)', "text ('abc')")
    """
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        try:
            text = str(value)
        except ValueError:  # an int of over 4,300 digits cannot be printed
            text = "thousands of digits"
        return f"a number ({text[:40]}{'...' if len(text) > 40 else ''})"
    if isinstance(value, (_dt.date, _dt.time)):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"text ({value[:40]!r}{'...' if len(value) > 40 else ''})"
    if value is None:
        return "empty (null)"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a mapping" if isinstance(value, dict) else "a value"


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
