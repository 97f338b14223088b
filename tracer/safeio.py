"""Every path tracer reads or writes, by one rule, in the CLI and the server alike.

Reading (:func:`read_input`, :func:`open_regular`):

- a regular file is read up to a size cap (its stated size is checked before a byte is read);
- ``-`` is stdin, read up to the cap;
- a FIFO (a named pipe, or ``<(cat model.yaml)``) is waited for a bounded time: no one writing
  to it is an error, never a hang (``wait=None`` refuses FIFOs outright, as the server does);
- anything else (a device like ``/dev/zero``, a folder, a socket) is refused.

The open itself never blocks: it is made with ``O_NONBLOCK``, which on a FIFO returns at once.

A path handed to DuckDB or Spark (a log, a catalogue) is read as written, never as a pattern
(:func:`literal_path`).

Writing (:func:`check_target`, :func:`write_atomically`, :func:`partial_folder`):

- an output is never one of the command's inputs (``protect``: the model first, then logs,
  catalogues, the files imported...), by real path once ``..`` and symlinks are resolved
  (nothing needs to exist) and by inode (a hard link);
- an output is never a symlink, a device, a FIFO or a folder; no folder between ``within`` (a
  folder the command writes into, like the demo's) and the output is a symlink either;
- an output is written whole or not at all: into a temporary file (or folder) beside it, renamed
  into place; a failure removes the temporary, and leftovers of a killed write are removed by
  the next write to the same target.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomically(folder / "a.txt", b"hi", protect=[folder / "in.yaml"]).read_bytes()
b'hi'
>>> read_input(folder / "a.txt", max_bytes=10)
b'hi'
>>> read_input(folder, max_bytes=10)  # doctest: +ELLIPSIS
Traceback (most recent call last):
tracer.safeio.InputError: /...: cannot read the file: it is a folder, not a regular file
"""

from __future__ import annotations

import os
import re
import select
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError, TracerError

__all__ = [
    "FIFO_WAIT_SECONDS",
    "InputError",
    "check_folder",
    "check_target",
    "kind_of",
    "literal_path",
    "open_regular",
    "partial_folder",
    "read_input",
    "write_atomically",
]

# how long a FIFO may stay silent (before its first byte, and between two reads) before reading
# it is given up; TRACER_FIFO_WAIT overrides it (seconds)
FIFO_WAIT_SECONDS = 10.0
_TEMPORARY = ".tmp"
_BLOCK = 1 << 20


class InputError(TracerError):
    """An input that cannot be read: ``reason`` says why, without the path (for a Problem);
    ``errno`` and ``strerror`` are the system's, when it refused to open the file."""

    def __init__(
        self, path: str | Path, reason: str, *, errno: int | None = None, strerror: str = ""
    ):
        self.path, self.reason, self.errno, self.strerror = str(path), reason, errno, strerror
        super().__init__(f"{path}: {reason}")


def fifo_wait() -> float:
    """:data:`FIFO_WAIT_SECONDS`, or ``$TRACER_FIFO_WAIT`` when it is a number of seconds."""
    try:
        return max(0.0, float(os.environ["TRACER_FIFO_WAIT"]))
    except (KeyError, ValueError):
        return FIFO_WAIT_SECONDS


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words.

    >>> kind_of(stat.S_IFCHR), kind_of(stat.S_IFIFO), kind_of(stat.S_IFDIR)
    ('a character device', 'a FIFO (named pipe)', 'a folder')
    """
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a regular file" if stat.S_ISREG(mode) else "not a file"


def _open(path: Path) -> tuple[int, os.stat_result]:
    """A descriptor open for reading, and what it is; never blocks (``O_NONBLOCK``)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        raise InputError(
            path,
            f"cannot read the file: {error.strerror}",
            errno=error.errno,
            strerror=error.strerror or "",
        ) from None
    try:
        return handle, os.fstat(handle)
    except OSError as error:
        os.close(handle)
        raise InputError(path, f"cannot read the file: {error.strerror}") from None


def open_regular(path: str | Path) -> BinaryIO | None:
    """``path`` open for reading when it is a regular file, else None (a FIFO, a device, a
    folder, a file that cannot be opened): for a caller that hashes a file before reading it."""
    try:
        handle, info = _open(Path(path))
    except InputError:
        return None
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        return None
    os.set_blocking(handle, True)
    return os.fdopen(handle, "rb")


def read_input(path: str | Path, *, max_bytes: int, wait: float | None = -1.0) -> bytes:
    """The bytes of the input ``path`` (``-``: stdin), by the rule of this module's docstring.

    ``wait`` is how long a FIFO may stay silent (-1: :func:`fifo_wait`; None: a FIFO is refused).
    Raises :class:`InputError` naming what is wrong.
    """
    if str(path) == "-":
        try:
            data = sys.stdin.buffer.read(max_bytes + 1)
        except OSError as error:
            raise InputError("<stdin>", f"cannot read the file: {error.strerror}") from None
        return _capped("<stdin>", data, max_bytes)
    path = Path(path)
    handle, info = _open(path)
    try:
        if stat.S_ISREG(info.st_mode):
            if info.st_size > max_bytes:  # a regular file states its size: refused unread
                raise InputError(
                    path,
                    f"the file is {info.st_size:,} bytes, over the limit of {max_bytes:,}; "
                    "refusing to read it",
                )
            os.set_blocking(handle, True)
            with os.fdopen(handle, "rb", closefd=False) as file:
                data = file.read(max_bytes + 1)  # it may have grown since
        elif stat.S_ISFIFO(info.st_mode) and wait is not None:
            data = _read_fifo(path, handle, max_bytes, fifo_wait() if wait < 0 else wait)
        else:
            raise InputError(
                path, f"cannot read the file: it is {kind_of(info.st_mode)}, not a regular file"
            )
    except OSError as error:
        raise InputError(path, f"cannot read the file: {error.strerror}") from None
    finally:
        os.close(handle)
    return _capped(path, data, max_bytes)


def _read_fifo(path: Path, handle: int, max_bytes: int, wait: float) -> bytes:
    """What a FIFO's writers write until the last one closes it, waiting at most ``wait``
    seconds for each piece (before a writer opens it, Linux reports nothing, so it times out)."""
    poller = select.poll()
    poller.register(handle, select.POLLIN | select.POLLHUP)
    pieces: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if not poller.poll(wait * 1000):
            raise InputError(
                path,
                f"cannot read the file: it is a FIFO (named pipe) and no one writes to it "
                f"(waited {wait:g}s)",
            )
        try:
            piece = os.read(handle, min(_BLOCK, max_bytes + 1 - size))
        except BlockingIOError:
            continue
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)


def _capped(path: str | Path, data: bytes, max_bytes: int) -> bytes:
    if len(data) > max_bytes:
        raise InputError(
            path, f"the file is over the limit of {max_bytes:,} bytes; refusing to read more of it"
        )
    return data


# what DuckDB (and Spark) read in a path as a pattern: `log?.csv` would read logA.csv too
_PATTERN = re.compile(r"[*?\[\]{}]")


@contextmanager
def literal_path(path: Path) -> Iterator[Path]:
    """``path`` as one DuckDB and Spark read as it is written: a path holding a pattern's
    characters is read through a symbolic link without them, in a folder of its own (removed
    after the block). A folder of Parquet files is read through such a link too.

    >>> with literal_path(Path("events.csv")) as same:
    ...     same
    PosixPath('events.csv')
    """
    if not _PATTERN.search(str(path)):
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="tracer-log-"))
    try:
        suffixes = "" if path.is_dir() else "".join(path.suffixes).lower()  # .csv.gz too
        link = folder / ("log" + ("" if _PATTERN.search(suffixes) else suffixes))
        link.symlink_to(path.resolve())
        yield link
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---- writing


def _paths(protect: str | Path | Iterable[str | Path | None] | None) -> list[Path | None]:
    """The inputs to protect, in order (None where there is no model file, and for stdin)."""
    if protect is None:
        return []
    if isinstance(protect, (str, Path)):
        protect = [protect]
    return [None if p is None or str(p) == "-" else Path(p) for p in protect]


def check_target(
    path: str | Path,
    *,
    protect: str | Path | Iterable[str | Path] | None = None,
    mkdir: bool = False,
    within: str | Path | None = None,
) -> Path:
    """Refuse an output path that is one of the inputs ``protect`` (the first one, if not None,
    is the model),
    a symlink, a device, a FIFO or a folder, that has a symlinked folder below ``within``, or
    whose folder is missing (unless ``mkdir``); creates nothing.

    >>> check_target("no-such-folder/out.svg")
    Traceback (most recent call last):
    tracer.errors.OutputError: cannot write no-such-folder/out.svg: the folder no-such-folder does \
not exist (--mkdir creates it)
    """
    path = Path(path)
    for number, protected in enumerate(_paths(protect)):
        if protected is not None and _same_file(path, protected):
            if number == 0:
                raise OutputError(f"refusing to overwrite the model file {protected} with {path}")
            raise OutputError(f"refusing to overwrite {protected}, an input of this command")
    try:
        info = os.lstat(path)
    except OSError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise OutputError(
            f"refusing to write {path}: it is a symbolic link; remove it or name the file it "
            "points to"
        )
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(f"cannot write {path}: it is {kind_of(info.st_mode)}, not a regular file")
    if within is not None:
        _no_link_below(Path(within), path)
    folder = path.parent
    if not mkdir and not folder.is_dir():
        if folder.exists():
            raise OutputError(f"cannot write {path}: {folder} is not a folder")
        raise OutputError(
            f"cannot write {path}: the folder {folder} does not exist (--mkdir creates it)"
        )
    return path


def check_folder(
    path: str | Path,
    *,
    protect: str | Path | Iterable[str | Path] | None = None,
    mkdir: bool = False,
) -> Path:
    """:func:`check_target` for a folder a command writes many files into: it may exist (as a
    folder, not a link to one); its own folder must exist unless ``mkdir``.

    >>> check_folder("no-such-folder/out")
    Traceback (most recent call last):
    tracer.errors.OutputError: cannot write no-such-folder/out: the folder no-such-folder does \
not exist (--mkdir creates it)
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        return path
    return check_target(path, protect=protect, mkdir=mkdir)


def _no_link_below(top: Path, path: Path) -> None:
    """No folder from ``top`` (included) down to ``path``'s is a symlink: a command writing many
    files into ``top`` never writes through a link planted in it."""
    try:
        parts = path.parent.relative_to(top).parts
    except ValueError:
        return
    folder = top
    for part in ("", *parts):
        folder = folder / part if part else folder
        if folder.is_symlink():
            raise OutputError(
                f"refusing to write {path}: the folder {folder} is a symbolic link; remove it"
            )


def _same_file(path: Path, other: Path) -> bool:
    """Whether writing ``path`` would replace ``other``: same real path once ``..`` and symlinks
    are resolved (nothing needs to exist), or the same inode (a hard link)."""
    if os.path.realpath(path) == os.path.realpath(other):
        return True
    try:
        return path.exists() and other.exists() and path.samefile(other)
    except OSError:
        return False


def write_atomically(
    path: str | Path,
    data: bytes,
    *,
    protect: str | Path | Iterable[str | Path] | None = None,
    mkdir: bool = False,
    within: str | Path | None = None,
) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename, after
    :func:`check_target`; the folder is created only when ``mkdir``.

    A file that existed keeps its permission bits; a new one gets ``0666`` less the umask.
    """
    path = check_target(path, protect=protect, mkdir=mkdir, within=within)
    folder = path.parent
    try:
        if mkdir:
            folder.mkdir(parents=True, exist_ok=True)
            # the new folders may resolve elsewhere: check again
            path = check_target(path, protect=protect, within=within)
        _remove_leftovers(path)
        mode = _mode_for(path)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMPORARY, dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return path


@contextmanager
def partial_folder(target: Path) -> Iterator[Path]:
    """A path beside ``target`` (in a new hidden folder) to build it at; renamed onto ``target``
    when the block ends, the folder removed either way. For writers that make their file
    themselves (DuckDB, Spark): nothing else's ``target.partial`` is ever touched.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "l.db"
    >>> with partial_folder(target) as building:
    ...     _ = building.write_text("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['l.db'])
    """
    _remove_leftovers(target, suffix=".partial", older_than=3600)  # a build may take minutes
    try:
        folder = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        )
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        building = folder / target.name
        yield building
        try:
            if target.is_dir() and not target.is_symlink() and building.is_dir():
                shutil.rmtree(target)  # a Parquet folder is replaced whole
            os.replace(building, target)
        except OSError as error:
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _mode_for(path: Path) -> int:
    """The permission bits the written file gets: the existing file's, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def _remove_leftovers(path: Path, *, suffix: str = _TEMPORARY, older_than: float = 0.0) -> None:
    """Remove temporaries a killed earlier write to ``path`` left behind (mkstemp's 8 letters),
    those last changed over ``older_than`` seconds ago."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}" + re.escape(suffix))
    folder = path.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if pattern.fullmatch(name):
            leftover = folder / name
            try:
                info = os.lstat(leftover)
            except OSError:
                continue
            if now - info.st_mtime < older_than:
                continue
            if stat.S_ISREG(info.st_mode):
                leftover.unlink(missing_ok=True)
            elif stat.S_ISDIR(info.st_mode):
                shutil.rmtree(leftover, ignore_errors=True)
