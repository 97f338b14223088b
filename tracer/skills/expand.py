"""The explicit model of a catalogue: the template instantiated for every skill (or some).

``tracer skills expand CATALOGUE [ID...] -o model.yaml`` writes it; interaction ``skill:ID``
traces the same in it as in the model with the catalogue (a property test checks this, for the
ledger too). Useful to read what the template makes of a skill, or to hand the model to a tool
that knows nothing of catalogues.

>>> import tracer
>>> from tracer.skills import read_catalogue, shipped_catalogue_path
>>> model = expand(tracer.load_model(), read_catalogue(shipped_catalogue_path()))
>>> sorted(k for k in model.interactions if k.startswith("skill:"))[:3]
['skill:1-800-flowers', 'skill:accuweather', 'skill:any-do']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tracer.model import Model

from .catalogue import Catalogue
from .template import instantiate

__all__ = ["expand", "write_expanded"]


def expand(model: Model, catalogue: Catalogue, ids: Iterable[str] | None = None) -> Model:
    """``model`` with every skill of ``catalogue`` (or those of ``ids``) made explicit."""
    return instantiate(model, catalogue.skills(list(ids) if ids else None))


def write_expanded(
    model: Model,
    catalogue: Catalogue,
    output: str | Path,
    ids: Iterable[str] | None = None,
    *,
    protect: Path | None = None,
) -> Path:
    """Write :func:`expand`'s model as ``tracer/1`` YAML to ``output``."""
    from tracer.interop.model_yaml import write_model

    expanded = expand(model, catalogue, ids)
    header = (
        f"{model.name}, with the skill template instantiated for "
        f"{'the skills given' if ids else 'every skill'} of {catalogue.path.name}\n"
        "(written by `tracer skills expand`)"
    )
    return write_model(expanded, output, header=header, protect=protect)
