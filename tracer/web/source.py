"""The model file the explorer serves, watched: reloaded when it changes, its errors kept.

The file is checked on each request: a ``stat`` first (cheap), and only when its size or
modification time moved, a read and a hash; a new hash means a new model (or new problems). The
page polls the version and reloads itself when it changes.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.yaml"
>>> _ = path.write_text("format: tracer/1\\nname: tiny\\n", encoding="utf-8")
>>> source = ModelSource(path)
>>> state = source.current()
>>> state.model.name, state.problems
('tiny', ())
>>> _ = path.write_text("format: tracer/1\\nname: tiny\\nparites: {}\\n", encoding="utf-8")
>>> print(*source.current().problems)  # doctest: +ELLIPSIS
/...m.yaml:3: parites: unknown key 'parites'; did you mean 'parties'? ...
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError, Problem
from ..model import Model
from ..model.loading import default_model_path, parse_model

__all__ = ["ModelSource", "ModelState"]

_UNREAD = "-"


@dataclass(frozen=True)
class ModelState:
    """The model as the file says now: loaded (``model``), or not (``problems``)."""

    path: Path
    version: str  # a hash of the file's bytes: the page reloads when it changes
    model: Model | None
    problems: tuple[Problem, ...] = ()


class ModelSource:
    """A model file, loaded again whenever it changes on disk (the shipped model when None)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_model_path()
        self._lock = threading.Lock()  # requests are served from a thread pool
        self._stamp: tuple[int, int, int] | None = None
        self._state = ModelState(self.path, _UNREAD, None)

    def current(self) -> ModelState:
        """The state for the file as it is now, reading it again only when it changed."""
        with self._lock:
            try:
                info = os.stat(self.path)
                stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError as error:
                self._stamp = None
                self._state = self._broken(_UNREAD, f"cannot read the file: {error.strerror}")
                return self._state
            if stamp != self._stamp:
                self._stamp = stamp
                self._state = self._load()
            return self._state

    def _load(self) -> ModelState:
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            return self._broken(_UNREAD, f"cannot read the file: {error.strerror}")
        version = hashlib.sha256(raw).hexdigest()[:16]
        if version == self._state.version:
            return self._state  # touched, not changed
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # load_model words this one with its line and column; reuse it
            from ..model.loading import load_model

            try:
                load_model(self.path)
            except ModelError as error:
                return ModelState(self.path, version, None, tuple(error.problems))
            return self._broken(version, "not valid UTF-8")  # pragma: no cover - changed meanwhile
        try:
            model = parse_model(text, name=str(self.path))
        except ModelError as error:
            return ModelState(self.path, version, None, tuple(error.problems))
        return ModelState(self.path, version, model)

    def _broken(self, version: str, message: str) -> ModelState:
        return ModelState(self.path, version, None, (Problem(str(self.path), 0, "", message),))
