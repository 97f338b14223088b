"""GraphML of the ecosystem graph or of a trace graph, for Gephi, yEd, Cytoscape and networkx.

The graphs are exactly :func:`tracer.ecosystem_graph` (holders; flows keyed by id, derivations as
self-loops) and :func:`tracer.trace_graph` (copies; the edges that feed them), written by
networkx. GraphML attributes are scalars, so a tuple attribute (a flow's ``records``, its
``when`` tags, the ``edges`` between two copies) is written as its items joined by one space:
ids are slugs and never contain one. A ``None`` attribute is left out.

>>> import tracer
>>> graph = graph_of(tracer.load_model())
>>> graph.edges["echo", "alexa_cloud", "capture"]["records"]
('voice_recording',)
>>> flat_graph(graph).edges["echo", "alexa_cloud", "capture"]["records"]
'voice_recording'
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..graph import ecosystem_graph
from ..model import Model
from ..render.output import write_atomically
from ..tracing import Trace, trace_graph

__all__ = ["flat_graph", "graph_of", "graphml_text", "read_graphml", "write_graphml"]


def graph_of(model_or_trace: Model | Trace) -> nx.MultiDiGraph | nx.DiGraph:
    """The ecosystem graph of a model, or the graph of a trace."""
    if isinstance(model_or_trace, Trace):
        return trace_graph(model_or_trace)
    return ecosystem_graph(model_or_trace)


def _flat(value: object) -> object:
    if isinstance(value, (tuple, list, frozenset, set)):
        return " ".join(str(item) for item in value)
    return value


def flat_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` with every attribute a GraphML scalar (tuples joined by spaces)."""
    flat = graph.__class__()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items() if v is not None})
    if graph.is_multigraph():
        for source, target, key, data in graph.edges(keys=True, data=True):
            flat.add_edge(
                source, target, key=key, **{k: _flat(v) for k, v in data.items() if v is not None}
            )
    else:
        for source, target, data in graph.edges(data=True):
            flat.add_edge(source, target, **{k: _flat(v) for k, v in data.items() if v is not None})
    return flat


def graphml_text(model_or_trace: Model | Trace) -> str:
    """The GraphML document, the same bytes for the same input."""
    return "\n".join(nx.generate_graphml(flat_graph(graph_of(model_or_trace)))) + "\n"


def write_graphml(
    model_or_trace: Model | Trace, path: str | Path, *, protect: Path | None = None
) -> Path:
    """Write the ecosystem (a model) or a trace graph as GraphML to ``path``.

    >>> import tempfile, pathlib, tracer
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "alexa.graphml"
    >>> read_graphml(write_graphml(tracer.load_model(), out)).nodes["echo"]["party"]
    'user'
    """
    return write_atomically(
        Path(path), graphml_text(model_or_trace).encode("utf-8"), protect=protect
    )


def read_graphml(path: str | Path) -> nx.Graph:
    """A GraphML file read back by networkx (attributes as written: strings)."""
    return nx.read_graphml(Path(path))
