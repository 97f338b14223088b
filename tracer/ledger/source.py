"""The model a ledger is built with, as every engine and the stored ledger need it: the model,
the text it was read from (kept in the ledger so that ``erasure`` can trace again) and its file.

>>> from tracer import load_model
>>> ModelSource.of(load_model()).model.name
'Amazon Alexa (2019)'
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from tracer.model import Model
from tracer.model.loading import default_model_path, load_model

__all__ = ["ModelSource"]


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
        from tracer.model.shipped import resolve  # a shipped model's name: -m alexa-2025

        path = resolve(model) or default_model_path()
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

    def timeline(self):
        """The model's :class:`~tracer.ledger.outcomes.Timeline`, with the retention days its
        catalogue's skills may add."""
        from .outcomes import Timeline

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
