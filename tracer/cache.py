"""A cache of parsed models, keyed by the file's content: the second command on a big model
skips parsing and validation.

A model file is read, and its SHA-256 (with tracer's version and Python's) names a pickle of the
validated :class:`~tracer.model.Model`, stored as columns of plain values
(:mod:`tracer.cachedata`: rebuilt several times faster than the parts pickled one by one), in the
cache folder: ``$TRACER_CACHE_DIR``, else
``$XDG_CACHE_HOME/tracer``, else ``~/.cache/tracer``. Any change to the file changes the key, so
a stale entry is never used; entries can be deleted at any time. Only models that loaded without
error are stored. ``TRACER_NO_CACHE=1`` (the CLI's ``--no-cache``) or ``cache=False`` turns it
off.

A pickle runs code when it is read, so the cache is only read from a folder owned by this user
and writable by nobody else, and its files are written 0600; otherwise it is silently skipped.

>>> import tempfile, tracer
>>> folder = tempfile.mkdtemp()
>>> text = "format: tracer/1\\nname: tiny\\n"
>>> first = cached(text, lambda: tracer.parse_model(text), folder=folder)
>>> again = cached(text, lambda: 1 / 0, folder=folder)   # not parsed again
>>> again == first
True
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__
from .gcpause import paused_gc

if TYPE_CHECKING:
    from .model import Model

__all__ = ["cache_folder", "cached", "enabled"]

# what an entry holds, in its name: an entry of another layout is never read
FORMAT = "columns1"


def enabled() -> bool:
    """Whether the cache is on: it is, unless ``TRACER_NO_CACHE`` is set to something but 0."""
    return os.environ.get("TRACER_NO_CACHE", "") in ("", "0")


def cache_folder() -> Path:
    """Where the cache lives (it may not exist yet)."""
    if os.environ.get("TRACER_CACHE_DIR"):
        return Path(os.environ["TRACER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tracer"


def cached(text: str, parse: Callable[[], Model], *, folder: str | Path | None = None) -> Model:
    """The model ``parse()`` gives for ``text``: from the cache when it holds one for exactly this
    text, else parsed and stored. Errors from ``parse`` pass through and nothing is stored."""
    folder = Path(folder) if folder is not None else cache_folder()
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"
    entry = folder / f"{key}-{__version__}-{python}-{FORMAT}.pickle"
    model = _read(entry)
    if model is None:
        model = parse()
        _write(entry, model)
    return model


def _safe(folder: Path) -> bool:
    """Owned by us and writable by nobody else: no one else can plant a pickle in it."""
    try:
        info = folder.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(entry: Path) -> Model | None:
    if not _safe(entry.parent):
        return None
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        from .cachedata import from_columns
        from .model import Model

        with paused_gc():  # millions of small objects again: see tracer.gcpause
            stored = pickle.loads(data)
            return stored if isinstance(stored, Model) else from_columns(stored)
    except Exception:  # a truncated or foreign entry is only a miss; it is rewritten below
        return None


def _write(entry: Path, model: Model) -> None:
    """Store atomically (a temporary file renamed over the entry); failing to is not an error."""
    folder = entry.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _safe(folder):
            return
        from .cachedata import to_columns

        with paused_gc():
            try:
                stored = to_columns(model)
            except Exception:  # noqa: BLE001 - a part of a shape columns cannot hold: as it is
                stored = model
            data = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:  # mkstemp creates it 0600
                file.write(data)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        return
