"""One call from a model to a diagram file: the ecosystem, or an interaction's trace."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import RequestError
from ..model import Model
from ..tracing import Request, trace
from .dot import ecosystem_dot, trace_dot
from .mermaid import ecosystem_mermaid, trace_mermaid
from .output import write_diagram

__all__ = ["draw"]


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
) -> Path:
    """Draw the ecosystem (no ``interaction``) or the trace of ``interaction`` after
    ``deletions`` into ``path``; the suffix picks the format (.svg .png .pdf .dot .mmd).

    The ecosystem can be limited to the neighbourhood of one party or holder (``focus``), and
    parties collapsed (``collapse``: auto, none, party, role; see :mod:`tracer.render.overview`).

    >>> import tracer, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> draw(tracer.load_model(), folder / "order.mmd", "dominos-order", ["delete-recording"]).name
    'order.mmd'
    """
    if interaction is None:
        if tuple(deletions) or at is not None:
            raise RequestError("--delete and --at need an interaction to trace")
        return write_diagram(
            path,
            dot=ecosystem_dot(model, focus=focus, collapse=collapse),
            mermaid=ecosystem_mermaid(model, focus=focus, collapse=collapse),
            protect=protect,
        )
    if focus is not None:
        raise RequestError("--focus draws part of the ecosystem: give no interaction with it")
    result = trace(model, interaction, deletions, at)
    return write_diagram(
        path, dot=trace_dot(model, result), mermaid=trace_mermaid(model, result), protect=protect
    )
