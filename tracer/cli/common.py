"""What every command shares: consoles, options, the error handling, status styles.

A user error (bad model, unknown id, unwritable output) prints one clear message and exits 1;
bad usage exits 2; nothing ever prints a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from tracer.errors import ModelError, TracerError


def _console(stderr: bool = False) -> Console:
    # made per use, so COLUMNS and NO_COLOR are read when the command runs
    return Console(stderr=stderr, highlight=False)


# colour-blind-safe (Okabe-Ito) and always with the word itself, so it reads without colour
STATUS_STYLE = {
    "held": "bold #D55E00",
    "may_remain": "bold #E69F00",
    "deleted": "#56B4E9",
    "expired": "#999999",
    "transient": "dim",
}


class TraceFormat(str, Enum):
    table = "table"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


class Collapse(str, Enum):
    auto = "auto"
    none = "none"
    party = "party"
    role = "role"


class DataFormat(str, Enum):
    table = "table"
    json = "json"


InteractionArgument = Annotated[str, typer.Argument(help="Interaction id (see `tracer list`).")]
DataFormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        "-m",
        help="Model file (YAML or JSON); default: the shipped Alexa model.",
        show_default=False,
        dir_okay=False,
    ),
]
DeleteOption = Annotated[
    list[str] | None,
    typer.Option(
        "--delete",
        "-d",
        metavar="REQ[@TIME]",
        help="Apply a deletion request, at a time after the interaction (30d, 3mo, 1y; "
        "default 0d, or its schedule). Repeatable.",
        show_default=False,
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="TIME",
        help="Query time after the interaction (default: the latest request's time).",
        show_default=False,
    ),
]


def _fail(error: TracerError) -> NoReturn:
    if isinstance(error, ModelError):
        count = len(error.problems)
        _console(stderr=True).print(
            f"[bold red]error:[/] {count} problem{'s' if count != 1 else ''} in the model"
        )
        for problem in error.problems:
            _console(stderr=True).print(escape(str(problem)), soft_wrap=True)
    else:
        _console(stderr=True).print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
    raise typer.Exit(1)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except TracerError as error:
        _fail(error)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:  # a bug in tracer: still one message, the traceback on request
        if os.environ.get("TRACER_DEBUG"):
            raise
        _console(stderr=True).print(
            f"[bold red]internal error:[/] {escape(type(error).__name__)}: {escape(str(error))} "
            "(a bug in tracer; set TRACER_DEBUG=1 to see where, and please report it)",
            soft_wrap=True,
        )
        raise typer.Exit(1) from None


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _status(status: str) -> Text:
    return Text(status.replace("_", " "), style=STATUS_STYLE[status])


AssumeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--assume",
        metavar="NAME=VALUE",
        help="What-if, without editing the model: FLOW.deletion=propagated|ignored|unclear or "
        "HOLDER.keeps.RECORD.for=PERIOD. Repeatable; the rules changed are marked assumed.",
        show_default=False,
    ),
]
WithoutOption = Annotated[
    list[str] | None,
    typer.Option(
        "--without",
        metavar="FLOW",
        help="What-if: leave out this flow or derivation. Repeatable.",
        show_default=False,
    ),
]


def _load_model(path: Path | None, assume: list[str] | None = None, without=None):
    """The model at ``path`` (default: the shipped one) under the what-if options, which are
    named on stderr so every output says which assumptions it rests on."""
    import tracer
    from tracer.assume import assumptions_of

    model = tracer.assume(tracer.load_model(path), assume or (), without=without or ())
    applied = assumptions_of(model)
    if applied:
        _console(stderr=True).print(escape(f"assuming: {'; '.join(applied)}"), soft_wrap=True)
    return model


DiffOption = Annotated[
    tuple[Path, Path] | None,
    typer.Option(
        "--diff",
        metavar="MODEL_A MODEL_B",
        help="Draw INTERACTION in MODEL_B with the copies that differ from MODEL_A marked "
        "(CHANGED, NEW, GONE; a double thick border): `--diff A B INTERACTION -o x.svg`.",
        show_default=False,
    ),
]
