"""Commands that trace one interaction: ``trace``, ``holders`` and ``access``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

import tracer
from tracer.cli.app import app
from tracer.cli.cells import IdCell
from tracer.cli.common import (
    AtOption,
    DataFormat,
    DataFormatOption,
    DeleteOption,
    InteractionArgument,
    ModelOption,
    TraceFormat,
    _console,
    _print_json,
    _say,
    _status,
    _text,
    _user_errors,
)
from tracer.text import printable


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
            sys.stdout.write(printable(tracer.trace_dot(m, result)))
        elif output is TraceFormat.mermaid:
            sys.stdout.write(printable(tracer.trace_mermaid(m, result)))
        else:
            _trace_table(m, result)


def _trace_table(model: tracer.Model, result: tracer.Trace) -> None:
    _say(_title(model, result), style="bold")
    table = Table()
    table.add_column("copy")
    table.add_column("party")
    table.add_column("status", no_wrap=True)
    # the prose column keeps room to be read: ids give way first (they wrap at separators)
    table.add_column("reason", overflow="fold", ratio=1, min_width=REASON_WIDTH)
    for copy in result.copies:
        table.add_row(IdCell(copy.id), IdCell(copy.party), _status(copy.status), _text(copy.reason))
    _console().print(table)
    _say(tracer.summary(result))


# the narrowest the reason column gets while ids can still wrap (at 80 columns, when piped)
REASON_WIDTH = 24


def _title(model: tracer.Model, result: tracer.Trace) -> str:
    name = model.interactions[result.interaction].name
    requests = ", ".join(f"{r.id} at {r.at}d" for r in result.requests) or "no deletion request"
    return f"{result.interaction}: {name} — {requests}; status at {result.at}d"


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
            _say(f"{interaction} creates no copy of {record}.")
            return
        _say(f"{record} in {interaction}", style="bold")
        table = Table()
        for column in ("holder", "party", "status", "path", "access"):
            table.add_column(column, overflow="fold", no_wrap=column == "status")
        for copy in copies:
            table.add_row(
                IdCell(copy.holder),
                IdCell(copy.party),
                _status(copy.status),
                IdCell(" > ".join(copy.path) or "(start)"),
                IdCell(", ".join(copy.access)),
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
            _say(f"After these requests, no party can access any copy from {interaction}.")
            return
        _say(_title(m, result), style="bold")
        table = Table()
        for column in ("party", "held", "may remain"):
            table.add_column(column, overflow="fold")
        for party, reach in result.parties.items():
            table.add_row(
                IdCell(f"{party}\n({m.parties[party].name})"),
                IdCell("\n".join(reach.held) or "-"),
                IdCell("\n".join(reach.may_remain) or "-"),
            )
        _console().print(table)
