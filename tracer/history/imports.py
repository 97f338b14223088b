"""Importing a Voice History export as a ledger events log: one event per usable record, its
interaction by the mapping rules, and a summary of what could not be used.

Each record becomes a row ``event`` (its ``recordKey``), ``user``, ``interaction``, ``at`` (its
``timestamp``, in ISO 8601 UTC to the millisecond) and, for checking the mapping, ``skill``,
``domain``, ``intent``, ``device``; ``text`` (what the person said) only with ``keep_text``.
A record is *bad* (listed, never written) when it has no ``recordKey``, repeats one, has no
readable timestamp, or one in the future; *unmapped* or *ambiguous* as
:mod:`tracer.history.mapping` says. With ``strict`` any of these fails the import and nothing is
written. The outputs are written whole or not at all and created ``0600``: they are a person's
own history. Nothing is sent anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from tracer.model import Model
from tracer.model.loading import default_model_path, load_model
from tracer.render.output import StagedFiles

from .catalogue import CatalogueNames
from .deletions import REQUEST_HEADER
from .exports import HistoryError, read_voice_history
from .mapping import Mapper
from .matching import Candidate, NameSource

__all__ = [
    "EVENT_HEADER",
    "Ambiguous",
    "BadRecord",
    "ImportResult",
    "Unmapped",
    "import_alexa",
    "requests_path_for",
]

EVENT_HEADER = ("event", "user", "interaction", "at", "skill", "domain", "intent", "device")
SUFFIXES = (".csv", ".jsonl", ".parquet")
LISTED = 1000  # bad records listed beyond their count


@dataclass(frozen=True, order=True)
class BadRecord:
    """A record the import could not use: where it is (file, 1-based record number) and why."""

    file: str
    number: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file} record {self.number}: {self.reason}"


@dataclass(frozen=True, order=True)
class Unmapped:
    """Records no rule maps, counted by skill name and domain ('' where a record has none)."""

    skill: str
    domain: str
    count: int


@dataclass(frozen=True, order=True)
class Ambiguous:
    """Records whose skill name matches several interactions: the name, how many, the matches."""

    skill: str
    count: int
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class ImportResult:
    """What an import read, mapped and wrote."""

    user: str
    output: Path | None
    requests_output: Path | None
    records: int
    mapped: dict[str, int]  # events written, by interaction
    unmapped: tuple[Unmapped, ...]
    ambiguous: tuple[Ambiguous, ...]
    bad: tuple[BadRecord, ...]
    bad_count: int
    requests: int
    first: str | None  # the earliest and latest time of the events written
    last: str | None
    seconds: float = field(compare=False, default=0.0)

    @property
    def events(self) -> int:
        return sum(self.mapped.values())

    def problems(self) -> list[str]:
        """Everything not mapped, one line each: what ``strict`` refuses."""
        lines = [str(row) for row in self.bad]
        if self.bad_count > len(self.bad):
            lines.append(f"... and {self.bad_count - len(self.bad):,} more bad records")
        lines += [
            f"unmapped: {u.count:,} record{'s' if u.count != 1 else ''} of skill "
            f"{u.skill or '(none)'!r}, domain {u.domain or '(none)'!r}"
            for u in self.unmapped
        ]
        lines += [
            f"ambiguous: {a.count:,} record{'s' if a.count != 1 else ''} of skill {a.skill!r}: "
            + "; ".join(f"{c.interaction} ({c.name}, {c.source})" for c in a.candidates)
            for a in self.ambiguous
        ]
        return lines

    def line(self) -> str:
        """The summary line: how many records were mapped, and how many were not."""
        unmapped = sum(u.count for u in self.unmapped)
        ambiguous = sum(a.count for a in self.ambiguous)
        span = f" from {self.first} to {self.last}" if self.first else ""
        return (
            f"{self.events:,} of {self.records:,} records mapped{span}; {unmapped:,} unmapped, "
            f"{ambiguous:,} ambiguous, {self.bad_count:,} bad"
        )

    def to_dict(self) -> dict:
        return {
            "user": self.user,
            "output": str(self.output) if self.output else None,
            "requests_output": str(self.requests_output) if self.requests_output else None,
            "records": self.records,
            "events": self.events,
            "first": self.first,
            "last": self.last,
            "mapped": dict(sorted(self.mapped.items())),
            "unmapped": [
                {"skill": u.skill, "domain": u.domain, "records": u.count} for u in self.unmapped
            ],
            "ambiguous": [
                {
                    "skill": a.skill,
                    "records": a.count,
                    "candidates": [
                        {
                            "id": c.id,
                            "name": c.name,
                            "interaction": c.interaction,
                            "source": c.source,
                        }
                        for c in a.candidates
                    ],
                }
                for a in self.ambiguous
            ],
            "bad": [{"file": b.file, "record": b.number, "reason": b.reason} for b in self.bad],
            "bad_count": self.bad_count,
            "requests": self.requests,
        }


def requests_path_for(events: str | Path) -> Path:
    """Where the requests log goes when not told: beside the events, ``requests.csv`` beside
    ``events.csv``, else ``NAME-requests.csv``.

    >>> str(requests_path_for("out/events.csv")), str(requests_path_for("mine.jsonl"))
    ('out/requests.csv', 'mine-requests.jsonl')
    """
    path = Path(events)
    stem = "requests" if path.stem == "events" else f"{path.stem}-requests"
    return path.with_name(stem + path.suffix)


# the times ISO 8601 (and so every log) can write: 0001-01-01 to 9999-12-31, in ms since 1970
FIRST_MS = -62_135_596_800_000
LAST_MS = 253_402_300_799_999


def _stamp(ms: int) -> str:
    """Milliseconds since 1970 as ISO 8601 UTC to the millisecond (a day's date made once).

    >>> _stamp(1735732800123), _stamp(-1)
    ('2025-01-01T12:00:00.123Z', '1969-12-31T23:59:59.999Z')
    >>> _stamp(FIRST_MS), _stamp(LAST_MS)
    ('0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z')
    """
    day, rest = divmod(ms, 86_400_000)
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, milli = divmod(rest, 1000)
    return f"{_date(day)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{milli:03d}Z"


@lru_cache(maxsize=4096)
def _date(day: int) -> str:
    # isoformat, not strftime("%Y"): glibc writes the year 1 as "1", not ISO 8601's "0001"
    return (datetime(1970, 1, 1) + timedelta(days=day)).date().isoformat()


def _suffix(path: Path, what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise HistoryError(f"{path}: cannot tell the {what}'s format: use .csv, .jsonl or .parquet")
    return suffix


class _Table:
    """A log's rows streamed to a staged file: CSV, JSON Lines, or CSV turned into Parquet."""

    def __init__(self, staged: StagedFiles, path: Path, header: Sequence[str], what: str):
        self.suffix = _suffix(path, what)
        self.header = tuple(header)
        self.stream = staged.open(path)
        self.staged_at = staged.temporary(path)
        # rows go to a text buffer, encoded and written a thousand at a time: csv.writer
        # then never calls back into Python for a row
        self.text = io.StringIO()
        self.rows = 0
        if self.suffix == ".jsonl":
            self.add = self._json
        else:
            self.writer = csv.writer(self.text, lineterminator="\n")
            self.writer.writerow(self.header)
            self.add = self.writer.writerow

    def write(self, row: Sequence) -> None:
        self.add(row)
        self.rows += 1
        if self.rows % 1024 == 0:
            self._flush()

    def _flush(self) -> None:
        self.stream.write(self.text.getvalue().encode("utf-8"))
        self.text.seek(0)
        self.text.truncate()

    def _json(self, row: Sequence) -> None:
        data = {k: v for k, v in zip(self.header, row, strict=True) if v is not None}
        self.text.write(json.dumps(data, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._flush()
        self.stream.flush()
        if self.suffix == ".parquet":
            _csv_to_parquet(self.staged_at, self.header)


def _csv_to_parquet(path: Path, header: Sequence[str]) -> None:
    """The staged CSV file rewritten in place as Parquet (``at`` as a UTC timestamp)."""
    import duckdb

    columns = ", ".join(
        f'CAST("{c}" AS TIMESTAMPTZ) AS "{c}"' if c == "at" else f'"{c}"' for c in header
    )
    target = path.with_name(path.name + ".parquet")
    source = str(path).replace("'", "''")
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(
            f"COPY (SELECT {columns} FROM read_csv('{source}', header = true, all_varchar = true)) "
            f"TO '{str(target).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
        )
    finally:
        con.close()
    target.replace(path)


def import_alexa(
    paths: Iterable[str | Path],
    output: str | Path | None = None,
    *,
    model: Model | str | Path | None = None,
    user: str = "me",
    maps: Sequence[str | Path] = (),
    candidates: Iterable[Candidate] = (),
    sources: Sequence[NameSource] = (),
    catalogue=None,
    strict: bool = False,
    keep_text: bool = False,
    requests: Sequence[tuple[str, str, str]] = (),
    requests_output: str | Path | None = None,
    now_ms: int | None = None,
    mkdir: bool = False,
    protect: str | Path | None = None,
) -> ImportResult:
    """Read the export files, map every record, and write the events log to ``output`` (and
    ``requests``, rows of :func:`tracer.history.deletion_requests`, to ``requests_output``, or
    beside the events). Without ``output`` nothing is written: the result says what would be.
    ``catalogue`` (a read :class:`tracer.skills.Catalogue`) names the skills the rules and the
    model do not: their records are events of interaction ``skill:ID``, which a ledger built
    with the same catalogue traces. No output may replace ``protect`` (the model file; found by
    itself when ``model`` is a path).

    >>> import tempfile, pathlib, json
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "h.json").write_text(json.dumps([
    ...     {"recordKey": "a", "timestamp": 1735732800000, "skillName": "Uber"},
    ...     {"recordKey": "b", "timestamp": 1735736400000, "skillName": "Quiz Night"}]))
    >>> result = import_alexa([folder / "h.json"], folder / "events.csv")
    >>> print(result.line().replace("; ", ";\\n"))
    1 of 2 records mapped from 2025-01-01T12:00:00.000Z to 2025-01-01T12:00:00.000Z;
    1 unmapped, 0 ambiguous, 0 bad
    >>> (folder / "events.csv").read_text().splitlines()[1]
    'a,me,uber-ride,2025-01-01T12:00:00.000Z,Uber,,,'
    """
    started = time.perf_counter()
    if not isinstance(model, Model):
        protect = Path(model) if model is not None else default_model_path()
        model = load_model(model)
    user = user.strip()
    if not user:
        raise HistoryError("--user: the user id is empty")
    fallback = (CatalogueNames(catalogue),) if catalogue is not None else ()
    mapper = Mapper.of(
        model, maps, candidates=candidates, sources=sources, fallback=fallback, catalogue=catalogue
    )
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    output = Path(output) if output is not None else None
    if requests and output is None and requests_output is None:
        raise HistoryError("the requests log needs an output: give the events log (-o) or -r")
    if requests and requests_output is None:
        requests_output = requests_path_for(output)
    requests_output = Path(requests_output) if requests and requests_output else None
    header = EVENT_HEADER + (("text",) if keep_text else ())

    with StagedFiles(protect=protect, mkdir=mkdir, mode=0o600) as staged:
        for path, what in ((output, "events log"), (requests_output, "requests log")):
            if path is not None:
                _suffix(path, what)
                staged.check(path)
        table = _Table(staged, output, header, "events log") if output is not None else None
        # each key's record as one number (files, numbered, and the record in its file): a
        # million keys cost their text and a small int, not a tuple each
        seen: dict[str, int] = {}
        files: dict[str, int] = {}
        mapped: Counter = Counter()
        unmapped: Counter = Counter()
        ambiguous: dict[str, list] = {}
        bad: list[BadRecord] = []
        bad_count = records = 0
        first = last = None
        match = mapper.match
        for record in read_voice_history(paths):
            records += 1
            reason = record.problem
            if reason is None:
                if record.key is None:
                    reason = "no recordKey"
                elif record.key in seen:
                    file_index, number = divmod(seen[record.key], 1 << 40)
                    file = next(f for f, i in files.items() if i == file_index)
                    reason = f"duplicate recordKey {record.key!r} (first at {file} record {number})"
                elif record.timestamp_ms is None:
                    reason = "no timestamp"
                elif not FIRST_MS <= record.timestamp_ms <= LAST_MS:
                    reason = f"timestamp {record.timestamp_ms} is outside the years 0001 to 9999"
                elif record.timestamp_ms > now_ms:
                    reason = f"timestamp {_stamp(record.timestamp_ms)} is in the future"
                if record.key is not None and record.key not in seen:
                    file_index = files.setdefault(record.file, len(files))
                    seen[record.key] = (file_index << 40) + record.number
            if reason is not None:
                bad_count += 1
                if len(bad) < LISTED:
                    bad.append(BadRecord(record.file, record.number, reason))
                continue
            found = match(
                skill=record.skill,
                domain=record.domain,
                intent=record.intent,
                utterance_type=record.utterance_type,
                said=record.transcript,
            )
            if found.interaction is None:
                if found.candidates:
                    entry = ambiguous.setdefault(record.skill, [0, found.candidates])
                    entry[0] += 1
                else:
                    unmapped[(record.skill or "", record.domain or "")] += 1
                continue
            mapped[found.interaction] += 1
            ms = record.timestamp_ms
            first = ms if first is None or ms < first else first
            last = ms if last is None or ms > last else last
            if table is not None:
                row = [
                    record.key,
                    user,
                    found.interaction,
                    _stamp(ms),
                    record.skill,
                    record.domain,
                    record.intent,
                    record.device,
                ]
                if keep_text:
                    row.append(record.transcript)
                table.write(row)
        result = ImportResult(
            user=user,
            output=output,
            requests_output=requests_output,
            records=records,
            mapped=dict(sorted(mapped.items())),
            unmapped=tuple(
                sorted(
                    (Unmapped(s, d, n) for (s, d), n in unmapped.items()),
                    key=lambda u: (-u.count, u.skill, u.domain),
                )
            ),
            ambiguous=tuple(
                sorted(
                    (Ambiguous(s, n, c) for s, (n, c) in ambiguous.items()),
                    key=lambda a: (-a.count, a.skill),
                )
            ),
            bad=tuple(bad),
            bad_count=bad_count,
            requests=len(requests),
            first=_stamp(first) if first is not None else None,
            last=_stamp(last) if last is not None else None,
            seconds=time.perf_counter() - started,
        )
        if strict and result.problems():
            raise HistoryError(
                f"{len(result.problems()):,} problem{'s' if len(result.problems()) != 1 else ''} "
                "in the export (--strict): nothing written"
                + "".join(f"\n  {line}" for line in result.problems()[:50])
            )
        if table is not None:
            table.close()
        if requests_output is not None:
            rows = _Table(staged, requests_output, REQUEST_HEADER, "requests log")
            for row in requests:
                rows.write(list(row))
            rows.close()
        staged.commit()
    return result
