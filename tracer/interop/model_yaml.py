"""A model written back as ``tracer/1`` YAML: what an import produces, ready to edit and load.

Keys come in the order of the format's reference (``for`` first in a retention rule, ``from``,
``to`` and ``carries`` first in a flow), with ``evidence``, ``confidence`` and ``note`` last;
defaults are left out. Loading the text gives back an equal model.

>>> import tracer
>>> model = tracer.load_model()
>>> tracer.parse_model(model_yaml(model)) == model
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..model import Model
from ..render.output import write_atomically

__all__ = ["model_yaml", "write_model"]

_LAST = ("evidence", "confidence", "note")


def _ordered(value: Any) -> Any:
    if isinstance(value, dict):
        first = {k: _ordered(v) for k, v in value.items() if k not in _LAST}
        return {**first, **{k: _ordered(value[k]) for k in _LAST if k in value}}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


def model_yaml(model: Model, *, header: str = "") -> str:
    """The model as ``tracer/1`` YAML text; ``header`` lines become comments at the top."""
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data = {"format": model.format, **data}
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(_ordered(data), Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return comments + body


def write_model(model: Model, path: str | Path, *, header: str = "", protect: Any = None) -> Path:
    """Write ``model`` as ``tracer/1`` YAML to ``path``."""
    return write_atomically(
        Path(path), model_yaml(model, header=header).encode("utf-8"), protect=protect
    )
