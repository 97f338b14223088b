"""Drawing a model or a trace: Graphviz DOT (and the .svg/.png/.pdf it draws) and Mermaid."""

from .dot import ecosystem_dot, trace_dot
from .draw import draw
from .mermaid import ecosystem_mermaid, trace_mermaid
from .output import DIAGRAM_SUFFIXES, graphviz_available, write_atomically, write_diagram

__all__ = [
    "DIAGRAM_SUFFIXES",
    "draw",
    "ecosystem_dot",
    "ecosystem_mermaid",
    "graphviz_available",
    "trace_dot",
    "trace_mermaid",
    "write_atomically",
    "write_diagram",
]
