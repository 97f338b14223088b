"""Building a ledger: the choices every engine shares (model, query time, outcomes) and
:func:`build`, which hands the log to the engine asked for.

An engine maps each event to its outcome key (:mod:`tracer.ledger.outcomes`) and its request
days; then each distinct key is traced once, in Python, with tracer's own :func:`tracer.trace`.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tracer.loading import default_model_path, load_model
from tracer.model import Model
from tracer.render.output import check_target

from .outcomes import OutcomeCopy, Timeline, outcome_copies
from .problems import BadRow, LedgerError
from .progress import Progress

__all__ = ["BuildResult", "ModelSource", "Progress", "build", "trace_outcomes"]


@dataclass(frozen=True)
class ModelSource:
    """The model a ledger is built with, and the text it was read from (kept in the ledger so
    that ``erasure`` can trace again)."""

    model: Model
    text: str
    path: Path | None = None  # the model file, which no ledger may overwrite
    # the skill catalogue whose skills events may name (interaction skill:ID): tracer.skills
    catalogue: object = None

    @classmethod
    def of(cls, model: Model | str | Path | None) -> ModelSource:
        if isinstance(model, Model):
            data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
            return cls(model, json.dumps(data, sort_keys=True))
        path = Path(model) if model is not None else default_model_path()
        loaded = load_model(path)
        return cls(loaded, path.read_text(encoding="utf-8"), path)

    def with_catalogue(self, catalogue) -> ModelSource:
        """This source with a skill catalogue (a :class:`tracer.skills.Catalogue` or a path)."""
        if catalogue is None:
            return self
        if not hasattr(catalogue, "skill"):
            from tracer.skills import read_catalogue

            catalogue = read_catalogue(catalogue)
        return dataclasses.replace(self, catalogue=catalogue)

    def timeline(self) -> Timeline:
        """The model's timeline, with the retention days its catalogue's skills may add."""
        timeline = Timeline.of(self.model)
        if self.catalogue is None:
            return timeline
        from tracer.skills.outcomes import skill_thresholds

        days = set(timeline.thresholds) | skill_thresholds(self.model, self.catalogue)
        return Timeline(tuple(sorted(days)), timeline.scheduled)

    @property
    def protected(self) -> Path:
        """The model file no output may replace: this one's, or the shipped one."""
        return self.path if self.path is not None else default_model_path()


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its counts, the bad rows it skipped (listed up to a thousand), its time."""

    output: Path | None
    at: str
    events: int
    users: int
    outcomes: int
    copies: int
    later: int  # events after the query time, left out
    skipped: int
    bad_rows: tuple[BadRow, ...]
    seconds: float = field(compare=False)

    def line(self) -> str:
        """The summary line the CLI prints at the end of a build."""
        parts = [
            f"{self.events:,} events",
            f"{self.users:,} users",
            f"{self.outcomes:,} outcomes",
            f"{self.skipped:,} skipped rows",
        ]
        if self.later:
            parts.append(f"{self.later:,} events after {self.at} left out")
        return f"ledger at {self.at}: " + ", ".join(parts) + f" in {self.seconds:.1f}s"


def trace_outcomes(
    model: Model, samples: Iterable[tuple[str, Iterable[int], int]], shapes=None
) -> list[OutcomeCopy]:
    """The copies of each outcome, from one sample event's (key, days, age) per outcome. An
    outcome of a shape of catalogue skills (``skill-shape:N``, :class:`tracer.skills.outcomes.
    Shapes`) is traced for the shape's first skill and stored with ``{skill}`` and
    ``{developer}`` in its place: one trace for every skill of that shape."""
    copies: list[OutcomeCopy] = []
    models: dict[str, Model] = {}
    for key, days, age in samples:
        interaction, _, rest = key.partition("|")
        if shapes is None or interaction not in shapes.first:
            copies.extend(outcome_copies(model, key, tuple(days), age))
            continue
        from tracer.skills import instantiate
        from tracer.skills.outcomes import placeheld

        skill = shapes.first[interaction]
        if interaction not in models:
            models[interaction] = instantiate(model, [skill])
        traced = outcome_copies(
            models[interaction], f"{skill.interaction}|{rest}", tuple(days), age
        )
        copies.extend(placeheld(traced, skill, key))
    return copies


def build(
    events: str | Path,
    requests: str | Path | None = None,
    *,
    model: Model | str | Path | None = None,
    at: str | None = None,
    engine: str = "duckdb",
    output: str | Path | None = None,
    strict: bool = False,
    master: str | None = None,
    progress: Progress | None = None,
    mkdir: bool = False,
    catalogue=None,
) -> BuildResult:
    """Build the ledger of the ``events`` log (and its ``requests``) with ``engine``.

    ``catalogue`` (a :class:`tracer.skills.Catalogue` or its path) lets events name a
    catalogue skill as their interaction (``skill:ID``).
    ``at`` is the query time (ISO 8601; default the latest time in the log). The DuckDB engine
    writes a ``.duckdb`` file (in memory when ``output`` is None); Spark writes a Parquet folder.
    ``progress`` is told the current stage and the build's fraction done (0 to 1, never less than
    before: :mod:`tracer.ledger.progress`), as each stage starts and, with DuckDB, every fifth of
    a second of a long statement. The output is checked before
    anything is read (:func:`tracer.render.output.check_target`): it may not be the model file
    or a symbolic link, and its folder must exist unless ``mkdir``.

    >>> import tempfile, pathlib
    >>> from tracer.ledger import write_synthetic_log
    >>> log = write_synthetic_log(pathlib.Path(tempfile.mkdtemp()), users=2, events=30, seed=4)
    >>> result = build(log.events, log.requests)
    >>> result.events, result.users, result.skipped
    (30, 2, 0)
    """
    started = time.perf_counter()
    source = ModelSource.of(model).with_catalogue(catalogue)
    if output is not None:
        output = check_target(output, protect=source.protected, mkdir=mkdir)
        if mkdir:
            output.parent.mkdir(parents=True, exist_ok=True)
            # the new folders may resolve elsewhere: check again
            output = check_target(output, protect=source.protected)
    if engine == "duckdb":
        from .engines.duckdb import build_duckdb

        result = build_duckdb(
            source, events, requests, at=at, output=output, strict=strict, progress=progress
        )
    elif engine == "spark":
        from .engines.spark import build_spark

        if output is None:
            raise LedgerError("the Spark engine writes a Parquet folder: give -o FOLDER")
        if source.catalogue is not None:
            raise LedgerError("a skill catalogue (-c) is read by the DuckDB engine only")
        result = build_spark(
            source,
            events,
            requests,
            at=at,
            output=output,
            strict=strict,
            master=master,
            progress=progress,
        )
    else:
        raise LedgerError(f"unknown engine {engine!r}: use duckdb or spark")
    return BuildResult(**{**result, "seconds": time.perf_counter() - started})
