"""The model a ledger is built with, as every engine and the stored ledger need it: the model,
the text it was read from (kept in the ledger so that ``erasure`` can trace again) and its file.

>>> from tracer import load_model
>>> ModelSource.of(load_model()).model.name
'Amazon Alexa (2019)'
"""

from __future__ import annotations

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

    @classmethod
    def of(cls, model: Model | str | Path | None) -> ModelSource:
        if isinstance(model, Model):
            data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
            return cls(model, json.dumps(data, sort_keys=True))
        from tracer.model.shipped import resolve  # a shipped model's name: -m alexa-2025

        path = resolve(model) or default_model_path()
        loaded = load_model(path)
        return cls(loaded, path.read_text(encoding="utf-8"), path)

    @property
    def protected(self) -> Path:
        """The model file no output may replace: this one's, or the shipped one."""
        return self.path if self.path is not None else default_model_path()
