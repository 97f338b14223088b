"""Drawing a model or a trace (Graphviz DOT and what it draws, Mermaid), and reports."""

from .dot import ecosystem_dot, trace_dot
from .draw import draw
from .mermaid import ecosystem_mermaid, trace_mermaid
from .output import DIAGRAM_SUFFIXES, graphviz_available, write_atomically, write_diagram
from .report import build_report, write_report

__all__ = [
    "DIAGRAM_SUFFIXES",
    "draw",
    "build_report",
    "ecosystem_dot",
    "ecosystem_mermaid",
    "graphviz_available",
    "trace_dot",
    "trace_mermaid",
    "write_atomically",
    "write_diagram",
    "write_report",
]
