"""The models shipped inside the package, by name: ``alexa`` (2019, the default) and
``alexa-2025``: their files, and the file a name stands for.

A name stands wherever a model file is expected (``-m alexa-2025``,
``tracer.load_model("alexa-2025")``), so the shipped models are reachable after a wheel install,
outside any clone; a file of that name, when there is one, wins. A model file that is not there
gets a did-you-mean: a file with a close name, or a shipped model. (What the shipped models
hold, loaded, is :mod:`tracer.shipped`: this module is below loading and loads nothing.)

>>> names()
('alexa', 'alexa-2025')
>>> resolve("alexa-2025").name, resolve("my.yaml")
('alexa-2025.yaml', PosixPath('my.yaml'))
"""

from __future__ import annotations

import difflib
import functools
import re
from importlib import resources
from pathlib import Path

__all__ = ["DEFAULT", "SECTIONS", "SUFFIXES", "missing_hint", "names", "path_of", "resolve"]

DEFAULT = "alexa"
SUFFIXES = (".yaml", ".yml", ".json")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
# the model section that holds each kind of id an UnknownIdError names
SECTIONS = {
    "interaction": "interactions",
    "deletion request": "deletions",
    "record": "records",
    "party": "parties",
    "holder": "holders",
}


def _folder() -> Path:
    return Path(str(resources.files("tracer") / "graphs"))


@functools.cache
def names() -> tuple[str, ...]:
    """The shipped models' names, sorted: their file names without ``.yaml``."""
    return tuple(sorted(path.stem for path in _folder().glob("*.yaml")))


def path_of(name: str) -> Path:
    """The file of the shipped model ``name`` (KeyError for another name)."""
    if name not in names():
        raise KeyError(name)
    return _folder() / f"{name}.yaml"


def resolve(path: str | Path | None) -> Path | None:
    """``path`` as a Path, or the shipped model it names when no such file exists (None and
    ``-``, stdin, stay as they are)."""
    if path is None:
        return None
    text = str(path)
    if text in names() and _NAME.fullmatch(text) and not Path(text).exists():
        return path_of(text)
    return Path(path)


def missing_hint(path: str | Path) -> str:
    """ "; did you mean ...?" for a model file that is not there: the shipped model of that
    name, a file with a close name in the same folder, or a shipped model with a close name.

    >>> missing_hint("alexa.yml"), missing_hint("zzz")
    ('; did you mean the shipped model alexa (-m alexa)?', '')
    """
    path = Path(path)
    stem = path.stem if path.suffix.lower() in SUFFIXES else path.name
    if stem in names():
        return f"; did you mean the shipped model {stem} (-m {stem})?"
    nearby = _close_file(path)
    if nearby is not None:
        return f"; did you mean {nearby}?"
    close = difflib.get_close_matches(stem, names(), n=1, cutoff=0.8)
    if close:
        return f"; did you mean the shipped model {close[0]} (-m {close[0]})?"
    return ""


def _close_file(path: Path, limit: int = 1000) -> Path | None:
    """A model file in ``path``'s folder whose name is close to ``path``'s (the first
    ``limit`` entries looked at: a huge folder is not worth a slow error)."""
    folder = path.parent
    try:
        entries = []
        for entry in folder.iterdir():
            if entry.suffix.lower() in SUFFIXES and entry.is_file():
                entries.append(entry.name)
            if len(entries) >= limit:
                break
    except OSError:
        return None
    close = difflib.get_close_matches(path.name, sorted(entries), n=1, cutoff=0.8)
    return folder / close[0] if close else None
