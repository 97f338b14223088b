"""Drawing a model or a trace (Graphviz DOT and what it draws, Mermaid), and reports."""

from .dot import ecosystem_dot, trace_dot
from .draw import diagram, draw
from .mermaid import ecosystem_mermaid, trace_mermaid
from .output import (
    DIAGRAM_SUFFIXES,
    check_target,
    graphviz_available,
    write_atomically,
    write_diagram,
)
from .report import build_report, report_text, write_report

__all__ = [
    "DIAGRAM_SUFFIXES",
    "build_report",
    "check_target",
    "diagram",
    "draw",
    "ecosystem_dot",
    "ecosystem_mermaid",
    "graphviz_available",
    "report_text",
    "trace_dot",
    "trace_mermaid",
    "write_atomically",
    "write_diagram",
    "write_report",
]
