"""A trace's diagram for the page: the SVG Graphviz draws from :func:`tracer.trace_dot`, and
which drawn node is which copy (the page makes nodes clickable with it).

Drawing takes Graphviz a noticeable moment, so drawings are kept by their DOT text: moving back
to a state seen before is instant. Without Graphviz's ``dot`` there is no SVG, and ``problem``
says so in words the page shows.

>>> import tracer
>>> model = tracer.load_model()
>>> drawing = trace_diagram(model, tracer.trace(model, "weather"))
>>> sorted(drawing.nodes.values())[:2]
['alexa_actions/action_record', 'alexa_app/location']
>>> drawing.svg is not None or drawing.problem == NO_GRAPHVIZ
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import graphviz

from ..model import Model
from ..render.dot import trace_dot
from ..render.output import graphviz_available
from ..render.style import short_id
from ..tracing import Trace

__all__ = ["NO_GRAPHVIZ", "Diagram", "trace_diagram"]

NO_GRAPHVIZ = (
    "Graphviz's `dot` is not installed, so there is no diagram (apt-get install graphviz, "
    "brew install graphviz); everything else on this page works without it."
)


@dataclass(frozen=True)
class Diagram:
    """The drawing (``svg``, or None with the ``problem`` why) and the copy each node shows."""

    svg: str | None
    problem: str | None = None
    nodes: dict[str, str] = field(default_factory=dict)  # drawn node name -> copy id
    clusters: dict[str, str] = field(default_factory=dict)  # drawn cluster name -> party id


def trace_diagram(model: Model, result: Trace) -> Diagram:
    """Draw the trace as SVG with Graphviz (see :func:`tracer.trace_dot`)."""
    nodes = {short_id("c", copy.id): copy.id for copy in result.copies}
    clusters = {f"cluster_{short_id('p', c.party)}": c.party for c in result.copies}
    if not graphviz_available():
        return Diagram(None, NO_GRAPHVIZ, nodes, clusters)
    svg, problem = _draw(trace_dot(model, result))
    return Diagram(svg, problem, nodes, clusters)


@functools.lru_cache(maxsize=64)
def _draw(dot: str) -> tuple[str | None, str | None]:
    try:
        return graphviz.Source(dot).pipe(format="svg").decode("utf-8"), None
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError) as error:
        return None, f"Graphviz could not draw this diagram: {error}"
