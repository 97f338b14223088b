"""The ``tracer`` command line: parse, call the library, print.

Every command works with no files at all (``-m/--model`` defaults to the shipped Alexa model).
One module per command group adds its commands to ``app`` (``tracer/cli/app.py``); importing
them here registers them. A new group: a new module, and one import line below.
"""

from __future__ import annotations

from tracer.cli import model, output, trace  # noqa: F401  (registers the commands)
from tracer.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script's entry point (also ``python -m tracer``)."""
    app(prog_name="tracer")
