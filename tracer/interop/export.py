"""One entry point for every export format, so the CLI makes one call: ``export(FORMAT, path)``.

| format      | of                                   | writes                                   |
|-------------|--------------------------------------|------------------------------------------|
| ``fides``   | the model                            | a fideslang manifest (YAML, or .json)    |
| ``prov``    | a trace (an interaction is required) | PROV-JSON (PROV-N for a .provn path)     |
| ``graphml`` | a trace, or the ecosystem without one | GraphML                                  |
| ``node-link`` | a trace, or the ecosystem without one | node-link JSON                         |
| ``schema``  | the format itself                    | the JSON Schema of ``tracer/1``          |

>>> import tempfile, pathlib, tracer
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> export("graphml", folder / "alexa.graphml", model=tracer.load_model()).name
'alexa.graphml'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError
from ..model import Model
from ..tracing import Request, trace
from .fides import write_fides
from .graphml import write_graphml
from .nodelink import write_node_link
from .prov import write_prov
from .schema import write_schema

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = ("fides", "prov", "graphml", "node-link", "schema")
NEEDS_INTERACTION = ("prov",)
TAKES_INTERACTION = ("prov", "graphml", "node-link")


def export(
    fmt: str,
    path: str | Path,
    *,
    model: Model | None = None,
    interaction: str | None = None,
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    protect: Path | None = None,
) -> Path:
    """Write ``model`` (or the trace of ``interaction`` after ``deletions``) in format ``fmt``."""
    if fmt not in EXPORT_FORMATS:
        raise OutputError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if interaction is not None and fmt not in TAKES_INTERACTION:
        raise OutputError(f"{fmt} exports the whole model, not one interaction")
    if interaction is None and fmt in NEEDS_INTERACTION:
        raise OutputError(f"{fmt} exports a trace: name the interaction")
    if fmt == "schema":
        return write_schema(path, protect=protect)
    if model is None:
        raise OutputError(f"{fmt} needs a model")
    if fmt == "fides":
        return write_fides(model, path, protect=protect)
    subject = model if interaction is None else trace(model, interaction, deletions, at)
    if fmt == "prov":
        return write_prov(subject, path, model=model, protect=protect)  # type: ignore[arg-type]
    if fmt == "graphml":
        return write_graphml(subject, path, protect=protect)
    return write_node_link(subject, path, protect=protect)
