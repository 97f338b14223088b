"""One call from a model to a diagram file: the ecosystem, or an interaction's trace."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import RequestError
from ..model import Model
from ..tracing import Request, trace
from .dot import ecosystem_dot, trace_dot
from .mermaid import ecosystem_mermaid, trace_mermaid
from .output import check_format, check_target, diagram_bytes, write_diagram

__all__ = ["diagram", "draw"]


def diagram(
    model: Model,
    fmt: str,
    interaction: str | None = None,
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    *,
    focus: str | None = None,
    collapse: str = "auto",
    sources: bool = False,
) -> bytes:
    """The ecosystem (no ``interaction``) or the trace of ``interaction`` after ``deletions``,
    drawn in ``fmt`` (svg png pdf dot mmd), as bytes: for writing to stdout.

    >>> import tracer
    >>> diagram(tracer.load_model(), "mmd", "weather")[:12]
    b'flowchart LR'
    """
    suffix = check_format("." + fmt.lstrip("."))  # an unknown format fails before the work
    mermaid = suffix == ".mmd"
    dot, text = _source(
        model, interaction, deletions, at, focus, collapse, mermaid=mermaid, sources=sources
    )
    return diagram_bytes(suffix, dot=dot, mermaid=text)


def draw(
    model: Model,
    path: str | Path,
    interaction: str | None = None,
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    *,
    focus: str | None = None,
    collapse: str = "auto",
    protect: Path | None = None,
    mkdir: bool = False,
    sources: bool = False,
) -> Path:
    """Draw the ecosystem (no ``interaction``) or the trace of ``interaction`` after
    ``deletions`` into ``path``; the suffix picks the format (.svg .png .pdf .dot .mmd).

    The ecosystem can be limited to the neighbourhood of one party or holder (``focus``), and
    parties collapsed (``collapse``: auto, none, party, role; see :mod:`tracer.render.overview`).
    ``sources`` writes the source ids of each rule on a trace's copies and edges.
    The file is written as :func:`tracer.render.output.write_atomically` says: never over the
    model ``protect``, the folder created only when ``mkdir``.

    >>> import tracer, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> draw(tracer.load_model(), folder / "order.mmd", "dominos-order", ["delete-recording"]).name
    'order.mmd'
    """
    path = Path(path)
    check_format(path.suffix, name=str(path))  # both checked before the work of drawing
    check_target(path, protect=protect, mkdir=mkdir)
    mermaid = path.suffix.lower() == ".mmd"
    dot, text = _source(
        model, interaction, deletions, at, focus, collapse, mermaid=mermaid, sources=sources
    )
    return write_diagram(path, dot=dot, mermaid=text, protect=protect, mkdir=mkdir)


def _source(model, interaction, deletions, at, focus, collapse, *, mermaid: bool, sources: bool):
    """The DOT text (or, when ``mermaid``, the Mermaid text) of what is drawn; the other is "",
    so a large model is planned and written once."""
    if interaction is None:
        if tuple(deletions) or at is not None:
            raise RequestError("--delete and --at need an interaction to trace")
        if sources:
            raise RequestError("--sources marks a trace's copies and edges: give an interaction")
        if mermaid:
            return "", ecosystem_mermaid(model, focus=focus, collapse=collapse)
        return ecosystem_dot(model, focus=focus, collapse=collapse), ""
    if focus is not None:
        raise RequestError("--focus draws part of the ecosystem: give no interaction with it")
    result = trace(model, interaction, deletions, at)
    if mermaid:
        return "", trace_mermaid(model, result, sources=sources)
    return trace_dot(model, result, sources=sources), ""
