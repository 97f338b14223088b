"""The shipped models, loaded: each one's title and date (``tracer list --models``), and which
of them defines an id a model lacks (``-m alexa-2025``, said when a request is unknown).

Their names and files are :mod:`tracer.model.shipped`, re-exported here.

>>> [entry["name"] for entry in listing()]
['alexa', 'alexa-2025']
"""

from __future__ import annotations

from .model.loading import load_model
from .model.shipped import DEFAULT, SECTIONS, missing_hint, names, path_of, resolve

__all__ = ["DEFAULT", "defining", "listing", "missing_hint", "names", "path_of", "resolve"]


def listing() -> list[dict]:
    """Each shipped model: its name, title, date, whether it is the default, and its file."""
    found = []
    for name in names():
        model = load_model(path_of(name))
        found.append(
            {
                "name": name,
                "model": model.name,
                "date": model.date,
                "default": name == DEFAULT,
                "path": str(path_of(name)),
            }
        )
    return found


def defining(kind: str, wanted: str) -> list[tuple[str, str]]:
    """The shipped models, as (name, title), that define ``wanted`` as a ``kind`` (an
    :class:`~tracer.errors.UnknownIdError`'s kind: ``interaction``, ``deletion request``...).

    >>> defining("deletion request", "auto-delete-3mo")
    [('alexa-2025', 'Amazon Alexa (2025)')]
    """
    section = SECTIONS.get(kind)
    if section is None:
        return []
    found = []
    for name in names():
        model = load_model(path_of(name))
        if wanted in getattr(model, section):
            found.append((name, model.name))
    return found
