"""The ``tracer`` command line: parse, call the library, print.

Every command works with no files at all (``-m/--model`` defaults to the shipped Alexa model).
One module per command group adds its commands to ``app`` (``tracer/cli/app.py``); importing
it registers them. A new group: a new module, its name in ``GROUPS`` and its commands in
``COMMANDS`` below.

``from tracer.cli import app`` gives the application with every group registered. The console
script (:func:`main`) imports only the module of the command it runs, so ``tracer trace`` costs
neither the other commands' modules nor typer building their options: start-up is most of what a
command on the shipped model takes (docs/performance.md).
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracer.cli.app import app

__all__ = ["COMMANDS", "GROUPS", "app", "main"]

# every module that registers commands, in the order `tracer --help` lists them
GROUPS = ("analyses", "history", "interop", "ledger", "model", "output", "serve", "skills", "trace")

# each top-level command (or sub-app) -> the module in GROUPS that registers it
COMMANDS = {
    "access": "trace",
    "check": "analyses",
    "demo": "output",
    "diff": "analyses",
    "export": "interop",
    "history": "history",
    "holders": "trace",
    "import": "interop",
    "ledger": "ledger",
    "list": "model",
    "render": "output",
    "report": "output",
    "serve": "serve",
    "skills": "skills",
    "trace": "trace",
    "validate": "model",
}


def groups_for(args: list[str]) -> tuple[str, ...]:
    """The modules of ``GROUPS`` a command line needs: its command's, none for ``--version``, or
    all of them when it names no known command (``--help``, a misspelling: typer lists them all).

    >>> groups_for(["--no-cache", "trace", "dominos-order"]), groups_for(["--version"])
    (('trace',), ())
    >>> groups_for(["--help"]) == groups_for(["tarce"]) == GROUPS
    True
    """
    for arg in args:
        if arg == "--no-cache":
            continue
        if arg == "--version":  # eager: it prints and exits before any command is looked up
            return ()
        module = COMMANDS.get(arg)
        return (module,) if module else GROUPS
    return GROUPS


def _register(groups: tuple[str, ...]) -> Any:
    for group in groups:
        importlib.import_module(f"{__name__}.{group}")
    from tracer.cli.app import app

    _one_line_summaries(app)
    return app


def _one_line_summaries(typer_app: Any) -> None:
    """Each command's line in a command list: its docstring's first paragraph as one line.

    The list prints a docstring's line breaks as they are written (rich markup mode), so a
    summary wrapped in the source broke mid-sentence in `tracer --help`; the command's own help
    page reflows it already.
    """
    for info in typer_app.registered_commands:
        doc = info.help or (info.callback.__doc__ if info.callback else None)
        if info.short_help is None and doc:
            info.short_help = " ".join(doc.strip().split("\n\n")[0].split())
    for group in typer_app.registered_groups:
        _one_line_summaries(group.typer_instance)


def main() -> None:
    """The console script's entry point (also ``python -m tracer``)."""
    if sys.argv[1:] == ["--version"]:
        # what typer prints for it (tracer/cli/app.py), without importing typer: a third of the
        # start-up of `tracer --version` (docs/performance.md)
        from tracer._version import __version__

        sys.stdout.write(f"tracer {__version__}\n")
        return
    from tracer.cli import common

    common.ONE_SHOT = True  # this process answers once and exits: see common._load_model
    # shell completion may complete any command's name or options
    completing = "_TRACER_COMPLETE" in os.environ
    _register(GROUPS if completing else groups_for(sys.argv[1:]))(prog_name="tracer")


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    full = _register(GROUPS)
    globals()["app"] = full  # later lookups skip this function
    return full


class _Package(types.ModuleType):
    """``tracer.cli`` itself. Importing the submodule ``tracer.cli.app`` would set the package's
    ``app`` to that module; ``tracer.cli.app`` stays the application, every group registered."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "app" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
