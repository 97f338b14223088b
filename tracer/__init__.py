"""tracer: where the records of a voice-assistant interaction go, and who can still access them
after the user deletes them.

>>> import tracer
>>> model = tracer.load_model()          # the shipped Amazon Alexa model
>>> result = tracer.trace(model, "dominos-order", ["delete-recording"])
>>> result.copy("voice_history/voice_recording").status
'deleted'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .assume import assume
from .claims import ClaimResult, check
from .demo import DemoResult, write_demo
from .diff import Diff, diff
from .errors import ModelError, OutputError, Problem, RequestError, TracerError, UnknownIdError
from .graph import ecosystem_graph, trace_graph
from .lint import lint
from .loading import CheckedModel, check_model, default_model_path, load_model, parse_model
from .model import Model
from .render import (
    draw,
    ecosystem_dot,
    ecosystem_mermaid,
    trace_dot,
    trace_mermaid,
    write_report,
)
from .summary import describe, summary
from .tracing import (
    STATUSES,
    Copy,
    PartyAccess,
    Request,
    Trace,
    holders_of,
    parse_request,
    parse_time,
    trace,
)

try:
    __version__ = version("tracer")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "STATUSES",
    "CheckedModel",
    "ClaimResult",
    "Copy",
    "DemoResult",
    "Diff",
    "Model",
    "ModelError",
    "OutputError",
    "PartyAccess",
    "Problem",
    "Request",
    "RequestError",
    "Trace",
    "TracerError",
    "UnknownIdError",
    "__version__",
    "assume",
    "check",
    "check_model",
    "default_model_path",
    "describe",
    "diff",
    "draw",
    "ecosystem_dot",
    "ecosystem_graph",
    "ecosystem_mermaid",
    "holders_of",
    "lint",
    "load_model",
    "parse_model",
    "parse_request",
    "parse_time",
    "summary",
    "trace",
    "trace_dot",
    "trace_graph",
    "trace_mermaid",
    "write_demo",
    "write_report",
]
