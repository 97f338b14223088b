"""A trace's diagram for the page: the SVG Graphviz draws from :func:`tracer.trace_dot`, and
which drawn node is which copy (the page makes nodes clickable with it).

Drawing takes Graphviz a noticeable moment, so drawings are kept by their DOT text: moving back
to a state seen before is instant. Without Graphviz's ``dot`` there is no SVG, and ``problem``
says so in words the page shows.

>>> import tracer
>>> model = tracer.load_model()
>>> drawing = trace_diagram(model, tracer.trace(model, "weather"))
>>> sorted(drawing.parties.values())
['amazon', 'annotators', 'user']
>>> opened = trace_diagram(model, tracer.trace(model, "weather"), expand=["user"])
>>> sorted(opened.nodes.values())[:2]
['alexa_app/location', 'echo/response_audio']
>>> drawing.svg is not None or drawing.problem == NO_GRAPHVIZ
True
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import graphviz

from ..model import Model
from ..render.collapsed import collapsed_dot, plan_collapsed
from ..render.dot import trace_dot
from ..render.output import graphviz_available
from ..render.style import short_id
from ..tracing import Trace

__all__ = ["NO_GRAPHVIZ", "Diagram", "diff_diagram", "full_diagram", "trace_diagram"]

NO_GRAPHVIZ = (
    "Graphviz's `dot` is not installed, so there is no diagram (apt-get install graphviz, "
    "brew install graphviz); everything else on this page works without it."
)


@dataclass(frozen=True)
class Diagram:
    """The drawing (``svg``, or None with the ``problem`` why) and the copy each node shows."""

    svg: str | None
    problem: str | None = None
    nodes: dict[str, str] = field(default_factory=dict)  # drawn copy node name -> copy id
    clusters: dict[str, str] = field(default_factory=dict)  # drawn cluster name -> party id
    parties: dict[str, str] = field(default_factory=dict)  # a party's box (node) -> party id
    placed: dict[str, str] = field(default_factory=dict)  # copy id -> node drawing it

    def to_dict(self) -> dict:
        return {
            "svg": self.svg,
            "problem": self.problem,
            "nodes": self.nodes,
            "clusters": self.clusters,
            "parties": self.parties,
            "placed": self.placed,
        }


def trace_diagram(
    model: Model, result: Trace, *, expand: Iterable[str] = (), hide: Collection[str] = ()
) -> Diagram:
    """Draw the trace as SVG with Graphviz, each party a box of counts unless ``expand`` opens
    it, copies ``hide`` names left out (see :mod:`tracer.render.collapsed`)."""
    expand = tuple(expand)
    plan = plan_collapsed(model, result, expand=expand, hide=hide)
    nodes = {name: copy for copy, name in plan.placed.items() if name.startswith("c_")}
    clusters = {f"cluster_{short_id('p', party)}": party for party in plan.expanded}
    parts = (nodes, clusters, plan.parties, plan.placed)
    if not graphviz_available():
        return Diagram(None, NO_GRAPHVIZ, *parts)
    svg, problem = _draw(collapsed_dot(model, result, expand=expand, hide=hide))
    return Diagram(svg, problem, *parts)


def full_diagram(model: Model, result: Trace) -> Diagram:
    """Every copy, every edge and the legend, as :func:`tracer.trace_dot` draws it (the page's
    "every copy as SVG" link): for reading at full size or saving.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> drawing = full_diagram(model, tracer.trace(model, "weather"))
    >>> drawing.svg is None or "Legend" in drawing.svg
    True
    """
    if not graphviz_available():
        return Diagram(None, NO_GRAPHVIZ)
    return Diagram(*_draw(trace_dot(model, result)))


def diff_diagram(
    a: Model, b: Model, interaction: str, deletions: Sequence[str], at: str | None
) -> Diagram:
    """Model ``b``'s trace with each copy whose status differs from ``a``'s marked, as
    ``tracer render --diff A B`` draws it (:func:`tracer.render.diff.diff_dot`).

    >>> import tracer
    >>> a = tracer.load_model()
    >>> b = tracer.load_model(tracer.default_model_path().with_name("alexa-2025.yaml"))
    >>> drawing = diff_diagram(a, b, "weather", ["delete-recording"], None)
    >>> drawing.svg is None or "CHANGED" in drawing.svg or "NEW" in drawing.svg
    True
    """
    from ..render.diff import diff_dot

    if not graphviz_available():
        return Diagram(None, NO_GRAPHVIZ)
    return Diagram(*_draw(diff_dot(a, b, interaction, deletions, at=at)))


@functools.lru_cache(maxsize=64)
def _draw(dot: str) -> tuple[str | None, str | None]:
    try:
        return graphviz.Source(dot).pipe(format="svg").decode("utf-8"), None
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError) as error:
        return None, f"Graphviz could not draw this diagram: {error}"
