"""The model: what a ``tracer/1`` file says, and reading it.

- :mod:`~tracer.model.format`: the file format as pydantic classes (shape and values, no I/O);
  its names are importable from here (``from tracer.model import Model``).
- :mod:`~tracer.model.loading`: YAML/JSON text or a file -> a validated model, problems at
  ``file:line`` (:mod:`~tracer.model.yamldata` reads YAML with lines; JSON is read by parts).
- :mod:`~tracer.model.references`: every id a model mentions resolves, all problems at once.
- :mod:`~tracer.model.lint`: warnings about a valid model (cycles, unreachable holders...);
  :mod:`~tracer.model.quotes`: a claim's quoted words are in its sources' excerpts.
- :mod:`~tracer.model.scopes` and :mod:`~tracer.model.template`: the skill template's vocabulary
  (ASK permission scopes as manifests spell them) and its references.
- :mod:`~tracer.model.shipped`: the models inside the package, by name (``-m alexa-2025``).
- :mod:`~tracer.model.quotes`: the words a claim quotes, and whether a source's excerpt holds them.
- :mod:`~tracer.model.durations`, :mod:`~tracer.model.characters`, :mod:`~tracer.model.text`: the
  values a file may hold (``30d``, refused characters, one-line texts).

Loading also checks claims and lints, which trace (:mod:`tracer.tracing`): those import the
format, never loading, so imports still run one way.

>>> from tracer.model import Model
>>> from tracer.model.loading import load_model
>>> isinstance(load_model(), Model)
True

The format's names are imported on first use (PEP 562), so importing :mod:`tracer.model.durations`
alone does not import pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .format import (
        CLAIM_KINDS,
        CONFIDENCES,
        FORMAT,
        SOURCE_KINDS,
        AccessGrant,
        Claim,
        Deletion,
        Derivation,
        Flow,
        Holder,
        Interaction,
        Model,
        Party,
        Period,
        Record,
        RequestEvidence,
        Retention,
        SkillFeature,
        SkillTemplate,
        Source,
        Statement,
        TemplateDerivation,
        TemplateFlow,
    )

__all__ = [
    "CLAIM_KINDS",
    "CONFIDENCES",
    "FORMAT",
    "AccessGrant",
    "Claim",
    "Deletion",
    "Derivation",
    "Flow",
    "Holder",
    "Interaction",
    "Model",
    "Party",
    "Period",
    "Record",
    "RequestEvidence",
    "Retention",
    "SOURCE_KINDS",
    "SkillFeature",
    "SkillTemplate",
    "Source",
    "Statement",
    "TemplateDerivation",
    "TemplateFlow",
]


def __getattr__(name: str) -> Any:
    # every name of the format (its constants too, such as PERIOD_WORDS), not only __all__
    if not name.startswith("__"):
        try:
            return getattr(importlib.import_module(".format", __name__), name)
        except AttributeError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
