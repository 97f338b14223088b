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
import importlib, pkgutil, sys
import tracer.interop as interop
light = "networkx" not in sys.modules and "tracer.interop.fides" not in sys.modules
for module in pkgutil.iter_modules(interop.__path__):  # each sets its name on the package
    importlib.import_module(f"tracer.interop.{module.name}")
values = [getattr(interop, name) for name in interop.__all__]
print(light, all(not isinstance(v, type(sys)) for v in values), "networkx" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # loaded lightly; each public name is its function or class, never a module of that name
    # (export and model_yaml are both), however the formats were imported
    assert out.stdout.split() == ["True", "True", "True"]
