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

from .errors import ModelError, OutputError, Problem, RequestError, TracerError, UnknownIdError
from .graph import ecosystem_graph, trace_graph
from .lint import lint
from .loading import CheckedModel, check_model, default_model_path, load_model, parse_model
from .model import Model
from .tracing import STATUSES, Copy, PartyAccess, Request, Trace, parse_request, parse_time, trace

try:
    __version__ = version("tracer")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "STATUSES",
    "CheckedModel",
    "Copy",
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
    "check_model",
    "default_model_path",
    "ecosystem_graph",
    "lint",
    "load_model",
    "parse_model",
    "parse_request",
    "parse_time",
    "trace",
    "trace_graph",
]
