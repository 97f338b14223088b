"""Node-link JSON of the ecosystem graph or of a trace graph: the shape D3 force layouts read,
and networkx's own ``node_link_graph`` reads back.

Unlike GraphML, JSON keeps a tuple attribute as a list; ``links`` holds the edges (with ``key``
for the ecosystem's flow and derivation ids). Keys are sorted so the same input gives the same
bytes.

>>> import tracer
>>> data = node_link_data(tracer.load_model())
>>> data["directed"], data["multigraph"], data["links"][0]["key"]
(True, True, 'capture')
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from ..model import Model
from ..render.output import write_atomically
from ..tracing import Trace
from .graphml import graph_of

__all__ = ["node_link_data", "read_node_link", "write_node_link"]


def node_link_data(model_or_trace: Model | Trace) -> dict[str, Any]:
    """The graph of a model (its ecosystem) or of a trace as node-link data."""
    try:
        return nx.node_link_data(graph_of(model_or_trace), edges="links")
    except TypeError:  # pragma: no cover - networkx before 3.4 has no `edges=`, and says links
        return nx.node_link_data(graph_of(model_or_trace))


def write_node_link(
    model_or_trace: Model | Trace, path: str | Path, *, protect: Path | None = None
) -> Path:
    """Write the ecosystem (a model) or a trace graph as node-link JSON to ``path``."""
    text = json.dumps(node_link_data(model_or_trace), indent=2, sort_keys=True, ensure_ascii=False)
    return write_atomically(Path(path), (text + "\n").encode("utf-8"), protect=protect)


def read_node_link(path: str | Path) -> nx.Graph:
    """A node-link JSON file read back by networkx (lists stay lists).

    >>> import tempfile, pathlib, tracer
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "alexa.json"
    >>> graph = read_node_link(write_node_link(tracer.load_model(), out))
    >>> graph.edges["echo", "alexa_cloud", "capture"]["records"]
    ['voice_recording']
    """
    from ..model.loading import DEFAULT_MAX_BYTES
    from ..safeio import read_input

    data = json.loads(read_input(path, max_bytes=DEFAULT_MAX_BYTES).decode("utf-8"))
    try:
        return nx.node_link_graph(data, edges="links")
    except TypeError:  # pragma: no cover - networkx before 3.4, as above
        return nx.node_link_graph(data)
