"""A cache of parsed models, keyed by the file's content: the second command on a big model
skips parsing and validation.

A model file is read, and its SHA-256 (with tracer's version and Python's) names a pickle of the
validated :class:`~tracer.model.Model` in which every holder, flow, party... is pickled on its own
and decoded only when it is used (:mod:`tracer.cache.parts`: a trace of a 100,000-holder model
decodes the few dozen parts it reaches), in the cache folder: ``$TRACER_CACHE_DIR``, else
``$XDG_CACHE_HOME/tracer``, else ``~/.cache/tracer``. Any change to the file changes the key, so
a stale entry is never used; entries can be deleted at any time. Only models that loaded without
error are stored. ``TRACER_NO_CACHE=1`` (the CLI's ``--no-cache``) or ``cache=False`` turns it
off.

A pickle runs code when it is read, so the cache is only read from a folder owned by this user
and writable by nobody else, and its files are written 0600; otherwise it is silently skipped.
An entry is unpickled only when it is a regular file (never a symbolic link), owned by this user,
writable by nobody else, and its bytes match the BLAKE2b checksum in its header: a truncated,
edited or foreign entry is a miss, and is written again. An entry is read into memory, never
mapped: a file another process shrinks under a mapping kills the reader (SIGBUS). Temporary
files a killed write left are removed by a later write once they are some minutes old.

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
import hmac
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .._version import __version__
from ..gcpause import paused_gc

if TYPE_CHECKING:
    from ..model import Model

__all__ = [
    "cache_folder",
    "cached",
    "cached_as",
    "enabled",
    "freeze_loaded",
    "key_of",
    "key_of_file",
]

# what an entry holds, in its name: an entry of another layout is never read
# parts6: a header with a checksum; parts5: a party has a contact; parts4: sources gained
# excerpt, found_at and verified
FORMAT = "parts6"
MAGIC = b"tracer\x00\x06"  # an entry's first bytes, then the checksum of the rest
CHECKSUM_BYTES = 32  # BLAKE2b's digest size here; the header stays a multiple of 8 bytes
HEADER = len(MAGIC) + CHECKSUM_BYTES
STALE_SECONDS = 600  # a temporary older than this is a killed write's, removed by the next one


def enabled() -> bool:
    """Whether the cache is on: it is, unless ``TRACER_NO_CACHE`` is set to something but 0."""
    return os.environ.get("TRACER_NO_CACHE", "") in ("", "0")


def cache_folder() -> Path:
    """Where the cache lives (it may not exist yet)."""
    if os.environ.get("TRACER_CACHE_DIR"):
        return Path(os.environ["TRACER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tracer"


def cached(
    text: str | bytes, parse: Callable[[], Model], *, folder: str | Path | None = None
) -> Model:
    """The model ``parse()`` gives for ``text`` (the file's bytes, or the text they decode to:
    the same key): from the cache when it holds one for exactly these bytes, else parsed and
    stored. Errors from ``parse`` pass through and nothing is stored."""
    return cached_as(key_of(text), parse, folder=folder)


def key_of(text: str | bytes) -> str:
    """The key of a file's entry: the SHA-256 of its bytes (a text is encoded to them first)."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def key_of_file(file: BinaryIO) -> str:
    """:func:`key_of` the bytes of an open file, read a block at a time: a cache hit then never
    holds the file in memory (a 230 MB model costs its hash, not a copy of it as well)."""
    digest = hashlib.sha256()
    block = bytearray(1 << 20)
    view = memoryview(block)
    while count := file.readinto(block):
        digest.update(view[:count])
    return digest.hexdigest()


def cached_as(key: str, parse: Callable[[], Model], *, folder: str | Path | None = None) -> Model:
    """:func:`cached`, given the key (:func:`key_of`): the caller need not keep the bytes alive
    while ``parse()`` runs, so a big file's bytes and its text are never held at once."""
    folder = Path(folder) if folder is not None else cache_folder()
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"
    entry = folder / f"{key}-{__version__}-{python}-{FORMAT}.pickle"
    model = _read(entry)
    if model is None:
        model = parse()
        _write(entry, model)
    return model


def freeze_loaded() -> None:
    """For a process that loads a model, answers once and exits (a CLI command): put every
    object alive now out of the cyclic collector's reach (``gc.freeze()``).

    Loading pauses the collector (:mod:`tracer.gcpause`), so the million parts of a large model
    are all still young when it returns, and the first allocation after it, usually in the first
    trace, makes the collector walk every one of them (about a second at 100,000 holders), then
    again as they age. A model lives until the process ends and has no cycles to collect, so a
    one-shot process loses nothing by freezing it. Never called by the library itself: a
    long-running process (``tracer serve``) reloads models, and any cycle among frozen objects
    would never be collected.

    >>> import gc
    >>> freeze_loaded(); gc.get_freeze_count() > 0
    True
    >>> gc.unfreeze()
    """
    import gc

    gc.freeze()


def _pack(stored: object) -> list:
    """An entry's body (after its header, :data:`MAGIC` and the checksum): the length of its
    head, its head (the pickle, and the sizes of the buffers the pickle hands out of band), then
    those buffers, each at a multiple of 8 bytes. Read back into memory, the large buffers
    (every part, pickled on its own) are unpickled only where a part is decoded."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(stored, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    head = pickle.dumps((data, [raw.nbytes for raw in raws]), protocol=5)
    pieces: list = [len(head).to_bytes(8, "little"), head]
    offset = 8 + len(head)
    for raw in raws:
        pieces.append(bytes(-offset % 8))
        offset += -offset % 8 + raw.nbytes
        pieces.append(raw)
    return pieces


def _unpack(view: memoryview) -> object:
    length = int.from_bytes(view[:8], "little")
    data, sizes = pickle.loads(view[8 : 8 + length])
    buffers, offset = [], 8 + length
    for size in sizes:
        offset += -offset % 8
        buffers.append(view[offset : offset + size])
        offset += size
    if offset != len(view):
        raise ValueError("a truncated entry")
    return pickle.loads(data, buffers=buffers)


def _checksum(pieces: list) -> bytes:
    digest = hashlib.blake2b(digest_size=CHECKSUM_BYTES)
    for piece in pieces:
        digest.update(piece)
    return digest.digest()


def _safe(folder: Path) -> bool:
    """Owned by us and writable by nobody else: no one else can plant a pickle in it."""
    try:
        info = folder.stat()
    except OSError:
        return False
    return _ours(info)


def _ours(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _verified(entry: Path) -> memoryview | None:
    """The body of the entry (its bytes past the header), read into memory, when the entry is a
    regular file of ours that nobody else may write and the body matches its checksum."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(entry, flags)  # O_NOFOLLOW: a symbolic link fails to open
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_size < HEADER:
            return None
        data = bytearray(info.st_size)
        if file.readinto(data) != info.st_size or file.read(1):  # shrunk or grown meanwhile
            return None
    view = memoryview(data)
    if view[: len(MAGIC)] != MAGIC:
        return None
    stated = bytes(view[len(MAGIC) : HEADER])
    if not hmac.compare_digest(stated, _checksum([view[HEADER:]])):
        return None
    return view[HEADER:]


def _read(entry: Path) -> Model | None:
    if not _safe(entry.parent):
        return None
    try:
        body = _verified(entry)
    except (OSError, ValueError, MemoryError):
        return None
    if body is None:
        return None
    try:
        from ..model import Model
        from .parts import from_parts

        with paused_gc():  # a few large objects now, but a model stored as it is has millions
            stored = _unpack(body)
            return stored if isinstance(stored, Model) else from_parts(stored)
    except Exception:  # a foreign entry (another tracer's) is only a miss; it is rewritten below
        return None


def _write(entry: Path, model: Model) -> None:
    """Store atomically (a temporary file renamed over the entry); failing to is not an error."""
    folder = entry.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _safe(folder):
            return
        from .parts import to_parts

        with paused_gc():
            try:
                stored = to_parts(model)
            except Exception:  # noqa: BLE001 - what to_parts cannot store: the model as it is
                stored = model
            pieces = _pack(stored)
        _remove_stale(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:  # mkstemp creates it 0600
                file.write(MAGIC + _checksum(pieces))
                file.writelines(pieces)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        return


def _remove_stale(folder: Path) -> None:
    """Remove the temporaries of writes killed over :data:`STALE_SECONDS` ago (a big model's
    entry is tens of megabytes); a younger one may be another process's write in progress."""
    now = time.time()
    try:
        names = [name for name in os.listdir(folder) if name.startswith(".")]
    except OSError:
        return
    for name in names:
        if not name.endswith(".tmp"):
            continue
        try:
            info = os.lstat(folder / name)
            if stat.S_ISREG(info.st_mode) and _ours(info) and now - info.st_mtime > STALE_SECONDS:
                os.unlink(folder / name)
        except OSError:
            continue
