"""Writing a diagram to a file, the format chosen by the file's suffix; whole or not at all.

``.dot`` and ``.mmd`` (Mermaid) are text and need nothing else; ``.svg``, ``.png`` and ``.pdf``
are drawn by Graphviz's ``dot``. A file is written to a temporary name beside it and renamed into
place, so a failure never leaves half a file; and the model a diagram is drawn from is never
overwritten by it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import graphviz

from ..errors import OutputError

__all__ = ["DIAGRAM_SUFFIXES", "graphviz_available", "write_atomically", "write_diagram"]

DIAGRAM_SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".mmd")
_DRAWN = {".svg": "svg", ".png": "png", ".pdf": "pdf"}


def graphviz_available() -> bool:
    """Whether Graphviz's ``dot`` is on the PATH (needed for .svg, .png and .pdf)."""
    return shutil.which("dot") is not None


def write_diagram(path: str | Path, *, dot: str, mermaid: str, protect: Path | None = None) -> Path:
    """Write the diagram to ``path`` in the format its suffix names; ``protect`` (the model file)
    is never overwritten."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in DIAGRAM_SUFFIXES:
        raise OutputError(f"cannot draw {path}: use one of {', '.join(DIAGRAM_SUFFIXES)}")
    if suffix == ".dot":
        data = dot.encode("utf-8")
    elif suffix == ".mmd":
        data = mermaid.encode("utf-8")
    else:
        if not graphviz_available():
            raise OutputError(
                f"cannot draw {path}: Graphviz's `dot` is not installed (apt-get install graphviz, "
                "brew install graphviz); .dot and .mmd need no Graphviz"
            )
        try:
            data = graphviz.Source(dot).pipe(format=_DRAWN[suffix])
        except graphviz.CalledProcessError as error:  # pragma: no cover - our DOT is valid
            raise OutputError(f"Graphviz could not draw {path}: {error.stderr!r}") from None
    return write_atomically(path, data, protect=protect)


def write_atomically(path: Path, data: bytes, *, protect: Path | None = None) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    if protect is not None and path.exists() and protect.exists() and path.samefile(protect):
        raise OutputError(f"refusing to overwrite the model file {path} with an output")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return path
