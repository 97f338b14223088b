"""Writing a diagram; every output file goes through :mod:`tracer.safeio`: whole or not at all,
and never over the model or another input.

``.dot`` and ``.mmd`` (Mermaid) are text and need nothing else; ``.svg``, ``.png`` and ``.pdf``
are drawn by Graphviz's ``dot``. Every file (diagrams, reports, the demo's traces) is written by
:func:`tracer.safeio.write_atomically`, which enforces the rules for all of them:

- the model is never overwritten: the output's resolved real path (computed before anything is
  created, so ``new/../model.yaml`` counts) and, when both exist, its inode are compared with the
  model's;
- a symlink, a device, a FIFO or a folder at the output path is refused rather than replaced
  or followed;
- the folder must exist, unless ``mkdir`` asks for it to be created;
- the data goes to a hidden ``.NAME.XXXXXXXX.tmp`` beside the target and is renamed into place,
  so a failure never leaves half a file; such temporaries left by a killed run are removed on the
  next write to the same target;
- a file that existed keeps its permission bits; a new one gets ``0666`` less the umask.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import OutputError
from ..safeio import _mode_for, _remove_leftovers, check_target, write_atomically

__all__ = [
    "DIAGRAM_SUFFIXES",
    "StagedFiles",
    "check_format",
    "check_target",
    "diagram_bytes",
    "graphviz_available",
    "write_atomically",
    "write_diagram",
]

DIAGRAM_SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".mmd")
_DRAWN = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
_TEMPORARY = ".tmp"


def graphviz_available() -> bool:
    """Whether Graphviz's ``dot`` is on the PATH (needed for .svg, .png and .pdf)."""
    return shutil.which("dot") is not None


def check_format(suffix: str, *, name: str = "the diagram") -> str:
    """``suffix`` in lower case, once it is known to be drawable here (Graphviz's ``dot`` is
    installed for .svg, .png and .pdf); else an OutputError naming ``name``.

    >>> check_format(".MMD")
    '.mmd'
    """
    suffix = suffix.lower()
    if suffix not in DIAGRAM_SUFFIXES:
        raise OutputError(f"cannot draw {name}: use one of {', '.join(DIAGRAM_SUFFIXES)}")
    if suffix in _DRAWN and not graphviz_available():
        raise OutputError(
            f"cannot draw {name}: Graphviz's `dot` is not installed (apt-get install graphviz, "
            "brew install graphviz); .dot and .mmd need no Graphviz"
        )
    return suffix


def diagram_bytes(suffix: str, *, dot: str, mermaid: str, name: str = "the diagram") -> bytes:
    """The diagram in the format ``suffix`` names (``.svg``, ``.dot``...), as bytes; ``name``
    says what is drawn in messages.

    >>> diagram_bytes(".mmd", dot="digraph {}", mermaid="flowchart LR\\n")
    b'flowchart LR\\n'
    """
    suffix = check_format(suffix, name=name)
    if suffix == ".dot":
        return dot.encode("utf-8")
    if suffix == ".mmd":
        return mermaid.encode("utf-8")
    data = _pipe(dot, _DRAWN[suffix], name)
    if suffix == ".svg":  # each tooltip as the <title> a browser shows on hover
        from .dot import svg_titles

        return svg_titles(data.decode("utf-8")).encode("utf-8")
    return _fixed_creation_date(data) if suffix == ".pdf" else data


def _pipe(dot: str, fmt: str, name: str) -> bytes:
    """Graphviz's drawing of ``dot``; its complaints (about a name it cannot draw, say) become
    one OutputError naming the file."""
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"], input=dot.encode("utf-8"), capture_output=True, check=False
        )
    except OSError as error:
        raise OutputError(f"Graphviz could not draw {name}: {error.strerror or error}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OutputError(
            f"Graphviz could not draw {name}: {said[0] if said else 'exit ' + str(done.returncode)}"
        )
    return done.stdout


def _fixed_creation_date(pdf: bytes) -> bytes:
    """The PDF with its creation date taken from SOURCE_DATE_EPOCH (the reproducible-builds
    convention; 1970-01-01 when unset), so the same diagram gives the same bytes. The date keeps
    its length, so the byte offsets in the PDF's cross-reference table stay right."""
    try:
        moment = datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), timezone.utc)
    except (ValueError, OverflowError, OSError):
        moment = datetime.fromtimestamp(0, timezone.utc)
    stamp = moment.strftime("%Y%m%d%H%M%S").encode("ascii")
    if len(stamp) != 14:
        stamp = b"19700101000000"
    return re.sub(rb"(/CreationDate \(D:)\d{14}", lambda m: m.group(1) + stamp, pdf)


def write_diagram(
    path: str | Path,
    *,
    dot: str,
    mermaid: str,
    protect: Path | Iterable[Path] | None = None,
    mkdir: bool = False,
    within: Path | None = None,
) -> Path:
    """Write the diagram to ``path`` in the format its suffix names; ``protect`` (the model file,
    then any other input) is never overwritten (:func:`tracer.safeio.check_target`)."""
    path = Path(path)
    data = diagram_bytes(path.suffix, dot=dot, mermaid=mermaid, name=str(path))
    return write_atomically(path, data, protect=protect, mkdir=mkdir, within=within)


class StagedFiles:
    """Several outputs written whole or not at all: each is written to a hidden temporary
    beside its target (created ``0600``, as ``mkstemp`` makes it), and :meth:`commit` renames
    them all into place; leaving the ``with`` block without committing removes every temporary.
    ``mode`` gives the files fixed permission bits (``0o600`` for a person's own records),
    else they get what :func:`write_atomically` gives; ``replace=False`` refuses a target that
    exists.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with StagedFiles(mode=0o600) as staged:
    ...     _ = staged.open(folder / "a.csv").write(b"a\\n")
    ...     [p.name for p in staged.commit()], oct((folder / "a.csv").stat().st_mode & 0o777)
    (['a.csv'], '0o600')
    """

    def __init__(
        self,
        *,
        protect: str | Path | None = None,
        mkdir: bool = False,
        mode: int | None = None,
        replace: bool = True,
    ):
        self.protect, self.mkdir, self.mode, self.replace = protect, mkdir, mode, replace
        self._staged: list[tuple[Path, Path, object]] = []

    def check(self, path: str | Path) -> Path:
        """The target, once :func:`check_target` and ``replace`` allow it; creates nothing."""
        path = check_target(path, protect=self.protect, mkdir=self.mkdir)
        if not self.replace and (path.exists() or path.is_symlink()):
            raise OutputError(f"refusing to write {path}: it exists (--force replaces it)")
        if any(target == path for target, _, _ in self._staged):
            raise OutputError(f"cannot write {path} twice in one go")
        return path

    def open(self, path: str | Path):
        """A binary stream to write ``path``'s whole content to."""
        path = self.check(path)
        try:
            if self.mkdir:
                path.parent.mkdir(parents=True, exist_ok=True)
                path = check_target(path, protect=self.protect)
            _remove_leftovers(path)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=_TEMPORARY, dir=path.parent
            )
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        stream = os.fdopen(handle, "wb")
        self._staged.append((path, Path(temporary), stream))
        return stream

    def temporary(self, path: str | Path) -> Path:
        """Where ``path``'s content is staged (to rewrite it in place before the commit)."""
        for target, temporary, _ in self._staged:
            if target == Path(path):
                return temporary
        raise KeyError(path)

    def commit(self) -> list[Path]:
        """Rename every staged file into place; the targets, in the order they were opened."""
        done = []
        try:
            for path, temporary, stream in self._staged:
                stream.close()
                os.chmod(temporary, self.mode if self.mode is not None else _mode_for(path))
            for path, _temporary, _ in self._staged:
                if not self.replace and path.exists():
                    raise OutputError(f"refusing to write {path}: it exists (--force replaces it)")
            for path, temporary, _ in self._staged:
                os.replace(temporary, path)
                done.append(path)
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        self._staged = [s for s in self._staged if s[0] not in done]
        return done

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc) -> None:
        for _, temporary, stream in self._staged:
            stream.close()
            temporary.unlink(missing_ok=True)
        self._staged = []
