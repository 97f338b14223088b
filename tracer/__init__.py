"""tracer: where the records of a voice-assistant interaction go, and who can still access them
after the user deletes them.

>>> import tracer
>>> model = tracer.load_model()          # the shipped Amazon Alexa model
>>> result = tracer.trace(model, "dominos-order", ["delete-recording"])
>>> result.copy("voice_history/voice_recording").status
'deleted'

Names are imported on first use (PEP 562), so ``import tracer`` costs almost nothing and a
command that only traces never imports what draws diagrams or writes reports (networkx,
graphviz, jinja2).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and editors
    from .assume import assume
    from .claims import ClaimResult, check
    from .demo import DemoResult, write_demo
    from .diff import Diff, diff
    from .errors import (
        ModelError,
        OutputError,
        Problem,
        RequestError,
        TracerError,
        UnknownIdError,
    )
    from .graph import ecosystem_graph
    from .model import Model
    from .model.lint import lint
    from .model.loading import (
        CheckedModel,
        check_model,
        default_model_path,
        load_model,
        parse_model,
    )
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

# public name -> the module that defines it
_LAZY = {
    "assume": "assume",
    "ClaimResult": "claims",
    "check": "claims",
    "Diff": "diff",
    "diff": "diff",
    "DemoResult": "demo",
    "write_demo": "demo",
    "ModelError": "errors",
    "OutputError": "errors",
    "Problem": "errors",
    "RequestError": "errors",
    "TracerError": "errors",
    "UnknownIdError": "errors",
    "ecosystem_graph": "graph",
    "trace_graph": "tracing",
    "lint": "model.lint",
    "CheckedModel": "model.loading",
    "check_model": "model.loading",
    "default_model_path": "model.loading",
    "load_model": "model.loading",
    "parse_model": "model.loading",
    "Model": "model.format",
    "draw": "render",
    "ecosystem_dot": "render",
    "ecosystem_mermaid": "render",
    "trace_dot": "render",
    "trace_mermaid": "render",
    "write_report": "render",
    "describe": "summary",
    "summary": "summary",
    "STATUSES": "tracing",
    "Copy": "tracing",
    "PartyAccess": "tracing",
    "Request": "tracing",
    "Trace": "tracing",
    "holders_of": "tracing",
    "parse_request": "tracing",
    "parse_time": "tracing",
    "trace": "tracing",
}


# subpackages and modules a program may reach as ``tracer.NAME`` without importing them first
# (``tracer.interop.import_fides``): imported on first use, like the names above
_SUBMODULES = frozenset({"interop", "ledger", "render", "shipped", "web"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)  # the import sets the attribute
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tracer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Package(types.ModuleType):
    """``tracer`` itself. ``tracer.summary`` is a function named like the module that defines
    it; when such a module first loads, the import system sets the package attribute to the
    module, which would hide the function. Keep the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and callable(globals().get(name)):
            return
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
