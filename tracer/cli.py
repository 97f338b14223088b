"""The ``tracer`` command line: parse, call the library, print.

Every command works with no files at all (``-m/--model`` defaults to the shipped Alexa model).
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
from rich.table import Table
from rich.text import Text

import tracer
from tracer.errors import ModelError, TracerError

app = typer.Typer(
    name="tracer",
    help="Where the records of a voice-assistant interaction go, and who can still access them "
    "after the user deletes them.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print a user's data
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def _version(value: bool) -> None:
    if value:
        _console().print(f"tracer {tracer.__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Where the records of a voice-assistant interaction go, and who can still access them after
    the user deletes them.

    Example: tracer trace dominos-order --delete delete-recording
    """


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


@app.command()
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The model to check (default: --model, or the shipped model).", show_default=False
        ),
    ] = None,
    model: ModelOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there are warnings.")
    ] = False,
) -> None:
    """Load and check a model: errors at file:line with a did-you-mean, then lint warnings.

    Example: tracer validate graphs/alexa.yaml
    """
    with _user_errors():
        checked = tracer.check_model(path or model)
    for warning in checked.warnings:
        _console(stderr=True).print(f"[yellow]warning:[/] {escape(str(warning))}", soft_wrap=True)
    m = checked.model
    where = path or model or tracer.default_model_path()
    _console().print(
        f"ok: {where}: {len(m.holders)} holders, {len(m.flows)} flows, {len(m.derivations)} "
        f"derivations, {len(m.interactions)} interactions, {len(m.deletions)} deletion requests, "
        f"{len(checked.warnings)} warnings",
        soft_wrap=True,
    )
    if strict and checked.warnings:
        raise typer.Exit(1)


@app.command("list")
def list_model(
    model: ModelOption = None,
    output: DataFormatOption = DataFormat.table,
) -> None:
    """The model's interactions, deletion requests, parties and holders.

    Example: tracer list
    """
    with _user_errors():
        m = tracer.load_model(model)
    if output is DataFormat.json:
        _print_json(tracer.describe(m))
        return
    described = tracer.describe(m)
    sections = [
        (
            "Interactions",
            ("id", "name", "tags"),
            [(k, v["name"], " ".join(v["tags"])) for k, v in described["interactions"].items()],
        ),
        (
            "Deletion requests",
            ("id", "name", "when"),
            [(k, v["name"], v["when"]) for k, v in described["deletions"].items()],
        ),
        (
            "Parties",
            ("id", "name", "role"),
            [(k, v["name"], v["role"]) for k, v in described["parties"].items()],
        ),
        (
            "Holders",
            ("id", "name", "party", "kind"),
            [(k, v["name"], v["party"], v["kind"]) for k, v in described["holders"].items()],
        ),
    ]
    for title, columns, rows in sections:
        _console().print(title, style="bold")
        table = Table()
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*map(escape, row))
        _console().print(table)


@app.command("trace")
def trace_command(
    interaction: InteractionArgument,
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
    output: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TraceFormat.table,
) -> None:
    """Every copy of every record the interaction creates, and its status.

    Example: tracer trace dominos-order --delete delete-recording
    """
    with _user_errors():
        m = tracer.load_model(model)
        result = tracer.trace(m, interaction, delete or (), at=at)
        if output is TraceFormat.json:
            _print_json(result.to_dict())
        elif output is TraceFormat.dot:
            sys.stdout.write(tracer.trace_dot(m, result))
        elif output is TraceFormat.mermaid:
            sys.stdout.write(tracer.trace_mermaid(m, result))
        else:
            _trace_table(m, result)


def _trace_table(model: tracer.Model, result: tracer.Trace) -> None:
    _console().print(_title(model, result), soft_wrap=True, style="bold")
    table = Table()
    table.add_column("copy", no_wrap=True)
    table.add_column("party", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("reason", overflow="fold", ratio=1)
    for copy in result.copies:
        table.add_row(
            escape(copy.id), escape(copy.party), _status(copy.status), escape(copy.reason)
        )
    _console().print(table)
    _console().print(escape(tracer.summary(result)), soft_wrap=True)


def _title(model: tracer.Model, result: tracer.Trace) -> str:
    name = model.interactions[result.interaction].name
    requests = ", ".join(f"{r.id} at {r.at}d" for r in result.requests) or "no deletion request"
    return escape(f"{result.interaction}: {name} — {requests}; status at {result.at}d")


@app.command()
def holders(
    interaction: InteractionArgument,
    record: Annotated[str, typer.Argument(help="Record id, such as transcript.")],
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
    output: DataFormatOption = DataFormat.table,
) -> None:
    """Who holds one record of the interaction: status, the path that put it there, access.

    Example: tracer holders dominos-order transcript --delete delete-recording
    """
    with _user_errors():
        m = tracer.load_model(model)
        copies = tracer.holders_of(m, interaction, record, delete or (), at=at)
    if output is DataFormat.json:
        _print_json([copy.to_dict() for copy in copies])
        return
    if not copies:
        _console().print(escape(f"{interaction} creates no copy of {record}."))
        return
    _console().print(escape(f"{record} in {interaction}"), soft_wrap=True, style="bold")
    table = Table()
    for column in ("holder", "party", "status", "path", "access"):
        table.add_column(column, overflow="fold", no_wrap=column == "status")
    for copy in copies:
        table.add_row(
            escape(copy.holder),
            escape(copy.party),
            _status(copy.status),
            escape(" > ".join(copy.path) or "(start)"),
            escape(", ".join(copy.access)),
        )
    _console().print(table)


@app.command()
def access(
    interaction: InteractionArgument,
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
    output: DataFormatOption = DataFormat.table,
) -> None:
    """Per party, the copies it can still access: held, or that may remain.

    Example: tracer access dominos-order --delete delete-recording
    """
    with _user_errors():
        m = tracer.load_model(model)
        result = tracer.trace(m, interaction, delete or (), at=at)
    if output is DataFormat.json:
        _print_json(result.to_dict()["parties"])
        return
    if not result.parties:
        _console().print(
            escape(f"After these requests, no party can access any copy from {interaction}.")
        )
        return
    _console().print(_title(m, result), soft_wrap=True, style="bold")
    table = Table()
    for column in ("party", "held", "may remain"):
        table.add_column(column, overflow="fold")
    for party, reach in result.parties.items():
        table.add_row(
            escape(f"{party}\n({m.parties[party].name})"),
            escape("\n".join(reach.held) or "-"),
            escape("\n".join(reach.may_remain) or "-"),
        )
    _console().print(table)


@app.command()
def render(
    interaction: Annotated[
        str | None,
        typer.Argument(
            help="Interaction to draw; none draws the whole ecosystem.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .svg .png .pdf .dot or .mmd (Mermaid).",
            dir_okay=False,
        ),
    ] = ...,
    delete: DeleteOption = None,
    at: AtOption = None,
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            metavar="PARTY|HOLDER",
            help="Draw only this party or holder and its neighbours (ecosystem only).",
            show_default=False,
        ),
    ] = None,
    collapse: Annotated[
        Collapse,
        typer.Option(
            "--collapse",
            help="Draw parties with many holders "
            "(party), or roles shared by many parties (role), as one node; auto does so "
            "when they are many.",
        ),
    ] = Collapse.auto,
    model: ModelOption = None,
) -> None:
    """Draw the ecosystem, or one interaction coloured by what survives deletion.

    Example: tracer render dominos-order --delete delete-recording -o order.svg
    """
    with _user_errors():
        m = tracer.load_model(model)
        written = tracer.draw(
            m,
            output,
            interaction,
            delete or (),
            at=at,
            focus=focus,
            collapse=collapse.value,
            protect=model,
        )
    _console().print(escape(f"wrote {written}"), soft_wrap=True)


@app.command()
def report(
    interactions: Annotated[
        list[str],
        typer.Argument(help="Interaction ids (see `tracer list`).", metavar="INTERACTION..."),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .html (one self-contained file) or .md (Markdown with Mermaid).",
            dir_okay=False,
        ),
    ] = ...,
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
) -> None:
    """Write a report: summary, diagrams, every copy, access, recipients, timeline, sources.

    Example: tracer report dominos-order uber-ride --delete delete-recording -o report.html
    """
    with _user_errors():
        m = tracer.load_model(model)
        written = tracer.write_report(m, output, interactions, delete or (), at=at, protect=model)
    _console().print(escape(f"wrote {written}"), soft_wrap=True)


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write into.", file_okay=False)
    ] = Path("demo"),
) -> None:
    """Trace the shipped interactions after `delete-recording`; write traces and diagrams.

    Each interaction gets traces/ID.json and diagrams/ID.svg (and .mmd, for Markdown).

    Example: tracer demo -o demo
    """
    with _user_errors():
        written = tracer.write_demo(directory)
    for path in written.files:
        _console().print(escape(f"wrote {path}"), soft_wrap=True)
    for note in written.notes:
        _console(stderr=True).print(escape(note), soft_wrap=True)
    _console().print(escape(written.summary), soft_wrap=True)


def main() -> None:
    """The console script's entry point."""
    app()
