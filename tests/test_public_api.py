"""The public surface is small, sorted and exactly what __all__ says."""

from __future__ import annotations

import tracer

PUBLIC = [
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


def test_all_is_exactly_the_public_names():
    assert tracer.__all__ == PUBLIC
    for name in PUBLIC:
        assert hasattr(tracer, name), name


def test_every_error_is_a_tracer_error():
    for error in (
        tracer.ModelError,
        tracer.UnknownIdError,
        tracer.RequestError,
        tracer.OutputError,
    ):
        assert issubclass(error, tracer.TracerError)


def test_every_public_function_has_a_docstring():
    for name in PUBLIC:
        value = getattr(tracer, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), name


# every command a person can type, groups included: moving modules must not lose one
COMMANDS = [
    "access", "check", "demo", "diff", "export", "history import", "holders", "import fides",
    "import openlineage",
    "ledger build",
    "ledger erasure", "ledger holds", "ledger summary", "ledger synth", "list", "render", "report",
    "serve", "skills check", "skills expand", "skills list", "skills reach", "skills show",
    "skills synth", "trace", "validate",
]  # fmt: skip


def command_paths(command, prefix: tuple[str, ...] = ()) -> list[str]:
    """Each leaf command of a typer/click group, as the words typed after ``tracer``."""
    if not hasattr(command, "commands"):
        return [" ".join(prefix)]
    return [
        path
        for name, sub in sorted(command.commands.items())
        for path in command_paths(sub, (*prefix, name))
    ]


def test_every_command_is_still_there():
    import typer.main

    from tracer.cli import app

    assert command_paths(typer.main.get_command(app)) == COMMANDS


def test_interop_names_each_resolve_though_its_formats_load_on_first_use():
    # a fresh interpreter: this one's tests have long since imported every format
    import subprocess
    import sys

    code = """
import sys
import tracer.interop as interop
light = "networkx" not in sys.modules and "tracer.interop.fides" not in sys.modules
import tracer.interop.export
names = sorted(n for n in interop.__all__ if getattr(interop, n) is not None)
print(light, callable(interop.export), names == sorted(interop.__all__), "networkx" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # loaded lightly; `export` the function even once its module is imported; every name there
    assert out.stdout.split() == ["True", "True", "True", "True"]
