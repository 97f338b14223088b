"""One entry point for every export format, so the CLI makes one call: ``export(FORMAT, path)``.

| format      | of                                   | writes                                   |
|-------------|--------------------------------------|------------------------------------------|
| ``fides``   | the model                            | a fideslang manifest (YAML, or .json)    |
| ``prov``    | a trace (an interaction is required) | PROV-JSON (PROV-N for a .provn path)     |
| ``graphml`` | a trace, or the ecosystem without one | GraphML                                  |
| ``node-link`` | a trace, or the ecosystem without one | node-link JSON                         |
| ``schema``  | the format itself                    | the JSON Schema of ``tracer/1``          |
| ``ropa``    | the model                            | Art. 30 record of processing: .csv, .xlsx |
| ``dpv``     | the model, and a trace when given    | DPV as JSON-LD                           |

Every format but ``schema`` takes a :class:`~tracer.interop.selection.Selection` (``--party``,
``--retention``, ``--confidence``): the record of processing keeps the selected rows, the
others export the selected part of the model (:func:`~tracer.interop.selection.select_model`)
and of a trace of the whole model (:func:`~tracer.interop.selection.select_trace`).

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
from .selection import EVERYTHING, Selection, select_model, select_trace

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = ("fides", "prov", "graphml", "node-link", "schema", "ropa", "dpv")
NEEDS_INTERACTION = ("prov",)
TAKES_INTERACTION = ("prov", "graphml", "node-link", "dpv")


def export(
    fmt: str,
    path: str | Path,
    *,
    model: Model | None = None,
    interaction: str | None = None,
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    protect: Path | None = None,
    selection: Selection = EVERYTHING,
) -> Path:
    """Write ``model`` (or the trace of ``interaction`` after ``deletions``) in format ``fmt``,
    only what ``selection`` keeps."""
    if fmt not in EXPORT_FORMATS:
        raise OutputError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if interaction is not None and fmt not in TAKES_INTERACTION:
        raise OutputError(f"{fmt} exports the whole model, not one interaction")
    if interaction is None and fmt in NEEDS_INTERACTION:
        raise OutputError(f"{fmt} exports a trace: name the interaction")
    if fmt == "schema":
        if selection:
            raise OutputError("the schema is the format itself: --party, --retention and "
                              "--confidence do not apply")  # fmt: skip
        from .schema import write_schema

        return write_schema(path, protect=protect)
    if model is None:
        raise OutputError(f"{fmt} needs a model")
    if fmt == "ropa":
        from .ropa import write_ropa  # here: only this format needs openpyxl

        return write_ropa(model, path, selection=selection, protect=protect)
    selected = select_model(model, selection.check(model))
    traced = None
    if interaction is not None:  # traced in the whole model, then cut to the selection
        traced = select_trace(trace(model, interaction, deletions, at), model, selection)
    model = selected
    if fmt == "fides":
        from .fides import write_fides

        return write_fides(model, path, protect=protect)
    if fmt == "dpv":
        from .dpv import write_dpv

        return write_dpv(model, path, trace=traced, protect=protect)
    subject = model if traced is None else traced
    if fmt == "prov":
        from .prov import write_prov

        return write_prov(subject, path, model=model, protect=protect)  # type: ignore[arg-type]
    if fmt == "graphml":
        from .graphml import write_graphml

        return write_graphml(subject, path, protect=protect)
    from .nodelink import write_node_link

    return write_node_link(subject, path, protect=protect)
