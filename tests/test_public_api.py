"""The public surface is small, sorted and exactly what __all__ says."""

from __future__ import annotations

import tracer

PUBLIC = [
    "STATUSES", "CheckedModel", "ClaimResult", "Copy", "DemoResult", "Diff", "Model",
    "ModelError", "OutputError", "PartyAccess", "Problem", "Request", "RequestError", "Trace",
    "TracerError", "UnknownIdError", "__version__", "assume", "check", "check_model",
    "default_model_path", "describe", "diff", "draw", "ecosystem_dot", "ecosystem_graph",
    "ecosystem_mermaid", "holders_of", "lint", "load_model", "parse_model", "parse_request",
    "parse_time", "summary", "trace", "trace_dot", "trace_graph", "trace_mermaid", "write_demo",
    "write_report",
]


def test_all_is_exactly_the_public_names():
    assert tracer.__all__ == PUBLIC
    for name in PUBLIC:
        assert hasattr(tracer, name), name


def test_every_error_is_a_tracer_error():
    for error in (tracer.ModelError, tracer.UnknownIdError, tracer.RequestError, tracer.OutputError):
        assert issubclass(error, tracer.TracerError)


def test_every_public_function_has_a_docstring():
    for name in PUBLIC:
        value = getattr(tracer, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), name
