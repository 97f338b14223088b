"""The typer application and its global options; each command group adds itself to ``app``."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

import tracer

app = typer.Typer(
    name="tracer",
    help="Where the records of a voice-assistant interaction go, and who can still access them "
    "after the user deletes them.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print a user's data
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        # plain text, as rich would print it: `tracer --version` imports no rich (start-up)
        sys.stdout.write(f"tracer {tracer.__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse the model again instead of using the parsed-model cache "
            "(~/.cache/tracer; also TRACER_NO_CACHE=1).",
        ),
    ] = False,
) -> None:
    """Where the records of a voice-assistant interaction go, and who can still access them after
    the user deletes them.

    Example: tracer trace dominos-order --delete delete-recording
    """
    if no_cache:
        # the library reads this when it loads a model (tracer.cache.enabled)
        os.environ["TRACER_NO_CACHE"] = "1"
