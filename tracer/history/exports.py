"""Reading an Alexa Voice History export, record by record, in bounded memory.

The Alexa privacy page serves Voice History as pages of JSON (DESIGN.md section 12; the shape
the public projects that read it describe): ``{"customerHistoryRecords": [...],
"encodedRequestToken": ...}``. A person may keep each page in its own file, or one top-level list
of records. Either way every record is read on its own: the file is decoded a chunk at a time and
each record is handed to :meth:`json.JSONDecoder.raw_decode`, so a 50 MB export never sits in
memory whole. Malformed JSON is one :class:`HistoryError` naming the file, line and column.

>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "page1.json"
>>> _ = page.write_text('{"customerHistoryRecords": [{"recordKey": "k1", '
...     '"timestamp": 1735732800000, "domain": "Weather", "voiceHistoryRecordItems": '
...     '[{"recordItemType": "CUSTOMER_TRANSCRIPT", "transcriptText": "wie wird das Wetter"}]}]}')
>>> [(r.key, r.timestamp_ms, r.domain, r.transcript) for r in read_voice_history([page])]
[('k1', 1735732800000, 'Weather', 'wie wird das Wetter')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from tracer.errors import TracerError

__all__ = ["WRAPPER", "HistoryError", "VoiceRecord", "read_voice_history"]

WRAPPER = "customerHistoryRecords"  # the key the privacy page's pages keep their records under
CHUNK = 1 << 18  # characters decoded at a time
MAX_RECORD = 16 << 20  # a record longer than this is not a Voice History record
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class HistoryError(TracerError):
    """An export that cannot be read (malformed JSON, an unexpected shape), or an import that
    ``strict`` refuses."""


class VoiceRecord(NamedTuple):
    """One Voice History record, the fields an import uses. ``transcript`` is what the person
    said (the ``CUSTOMER_TRANSCRIPT`` items, joined), kept only in memory, to map the record.
    ``problem`` says why the record is unusable as it stands (not an object, a timestamp that is
    no number), else None."""

    # a named tuple: made once per record, it costs a third of a frozen dataclass

    file: str
    number: int  # 1-based, within its file
    key: str | None
    timestamp_ms: int | None
    device: str | None
    utterance_type: str | None
    domain: str | None
    intent: str | None
    skill: str | None
    transcript: str | None
    problem: str | None = None

    @property
    def where(self) -> str:
        """Where the record is, for messages: ``page1.json record 3``."""
        return f"{self.file} record {self.number}"


def read_voice_history(paths: Iterable[str | Path]) -> Iterator[VoiceRecord]:
    """Every record of the export files, in file order then record order."""
    for path in paths:
        yield from _read_file(Path(path))


# a JSON escape such as "\ud800" gives a lone surrogate, which no file can hold in UTF-8: such a
# character (never in a real export) is read as U+FFFD, the replacement character
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> str | None:
    """A field as text, stripped; None when absent or empty; a lone surrogate as U+FFFD.

    >>> _text("  Domino's "), _text(""), _text("a" + chr(0xD800) + "b") == "a" + chr(0xFFFD) + "b"
    ("Domino's", None, True)
    """
    if value is None:
        return None
    text = value.strip() if type(value) is str else str(value).strip()
    return _SURROGATE.sub("\ufffd", text) or None


def _timestamp(value: object) -> tuple[int | None, str | None]:
    """Milliseconds since the epoch (a number, or a string of digits), and a problem if any."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, f"timestamp {value!r} is not a number of milliseconds"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip()), None
    return None, f"timestamp {value!r} is not a number of milliseconds"


def _record(data: object, file: str, number: int) -> VoiceRecord:
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("dict", "object").replace("list", "array")
        return VoiceRecord(file, number, *(None,) * 8, problem=f"a {kind}, not a record")
    stamp, problem = _timestamp(data.get("timestamp"))
    device = data.get("device")
    items = data.get("voiceHistoryRecordItems")
    said = None
    if isinstance(items, list):
        parts = [
            str(item["transcriptText"])
            for item in items
            if isinstance(item, dict)
            and item.get("recordItemType") == "CUSTOMER_TRANSCRIPT"
            and item.get("transcriptText")
        ]
        said = _SURROGATE.sub("\ufffd", " ".join(parts)) or None
    return VoiceRecord(
        file,
        number,
        _text(data.get("recordKey")),
        stamp,
        _text(device.get("deviceName")) if isinstance(device, dict) else None,
        _text(data.get("utteranceType")),
        _text(data.get("domain")),
        _text(data.get("intent")),
        _text(data.get("skillName")),
        said,
        problem,
    )


class _Reader:
    """A file's text a chunk at a time, with the line and column of any position in it."""

    def __init__(self, path: Path, stream):
        self.path = path
        self.stream = stream
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # of the buffer's first character
        self.column = 1

    def more(self) -> bool:
        """Read another chunk, dropping what has been decoded; False at the end of the file."""
        if self.eof:
            return False
        try:
            chunk = self.stream.read(CHUNK)
        except UnicodeDecodeError as error:
            raise HistoryError(f"{self.path}: not UTF-8 text ({error.reason})") from None
        if not chunk:
            self.eof = True
            return False
        lines = self.buffer.count("\n", 0, self.pos)  # no copy of what is dropped
        if lines:
            self.line += lines
            self.column = self.pos - self.buffer.rindex("\n", 0, self.pos)
        else:
            self.column += self.pos
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def where(self, pos: int) -> str:
        before = self.buffer[:pos]
        lines = before.count("\n")
        if lines:
            return f"{self.line + lines}:{len(before) - before.rindex(chr(10))}"
        return f"{self.line}:{self.column + len(before)}"

    def fail(self, what: str, pos: int | None = None) -> HistoryError:
        at = self.pos if pos is None else pos
        return HistoryError(f"{self.path}:{self.where(at)}: not valid JSON: {what}")

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), without taking it."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def expect(self, characters: str, what: str) -> str:
        found = self.peek()
        if not found or found not in characters:
            raise self.fail(f"expected {what}, found {_shown(found)}")
        self.pos += 1
        return found

    def value(self) -> object:
        """The next JSON value, read whole (a record, a key, the page's token)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                # a value cut off by the chunk's end fails like a malformed one: read on, unless
                # the file has ended, or the failure is plainly inside what was read
                near_end = error.pos + 64 >= len(self.buffer) or error.msg.startswith(
                    "Unterminated string"
                )
                too_long = len(self.buffer) - self.pos > MAX_RECORD
                if self.eof or too_long or not near_end or not self.more():
                    raise self.fail(_message(error), error.pos) from None
                continue
            self.pos = end
            return value


def _shown(character: str) -> str:
    return "the end of the file" if not character else repr(character)


def _message(error: json.JSONDecodeError) -> str:
    """The decoder's words without its own position (ours counts across chunks)."""
    return error.msg[0].lower() + error.msg[1:]


def _read_file(path: Path) -> Iterator[VoiceRecord]:
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such file") from None
    except OSError as error:
        raise HistoryError(f"{path}: cannot read it: {error.strerror or error}") from None
    with stream:
        reader = _Reader(path, stream)
        first = reader.peek()
        if first == "[":
            yield from _records(reader, str(path))
        elif first == "{":
            yield from _page(reader, str(path))
        elif not first:
            raise HistoryError(f"{path}: empty file, not a Voice History export")
        else:
            raise reader.fail(f"expected a list of records or a page object, found {first!r}")
        if reader.peek():
            raise reader.fail("extra data after the export's JSON value")


def _records(reader: _Reader, file: str) -> Iterator[VoiceRecord]:
    """The records of a JSON array, the reader at its ``[``."""
    reader.expect("[", "'['")
    number = 0
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        number += 1
        yield _record(reader.value(), file, number)
        if reader.expect(",]", "',' or ']'") == "]":
            return


def _page(reader: _Reader, file: str) -> Iterator[VoiceRecord]:
    """The records of one page object: its ``customerHistoryRecords``; other keys are skipped."""
    reader.expect("{", "'{'")
    found = False
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            if reader.peek() != '"':
                raise reader.fail(f"expected a key in double quotes, found {_shown(reader.peek())}")
            key = reader.value()
            reader.expect(":", "':'")
            if key == WRAPPER and reader.peek() == "[":
                found = True
                yield from _records(reader, file)
            elif key == WRAPPER and reader.peek() == "n":  # null: an empty page
                reader.value()
                found = True
            else:
                reader.value()
            if reader.expect(",}", "',' or '}'") == "}":
                break
    if not found:
        raise HistoryError(
            f"{reader.path}: a JSON object without {WRAPPER!r}: not a Voice History page (a page "
            f"is {{{WRAPPER!r}: [...]}}, or give a list of records)"
        )
