"""Commands that trace one interaction: ``trace``, ``holders`` and ``access``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    AssumeOption,
    AtOption,
    DataFormat,
    DataFormatOption,
    DeleteOption,
    InteractionArgument,
    ModelOption,
    TraceFormat,
    WithoutOption,
    _console,
    _load_model,
    _print_json,
    _status,
    _user_errors,
)


@app.command("trace")
def trace_command(
    interaction: InteractionArgument,
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
    output: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TraceFormat.table,
    assume: AssumeOption = None,
    without: WithoutOption = None,
) -> None:
    """Every copy of every record the interaction creates, and its status.

    Example: tracer trace dominos-order --delete delete-recording
    """
    with _user_errors():
        m = _load_model(model, assume, without)
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
    table.add_column("confidence", no_wrap=True)
    table.add_column("reason", overflow="fold", ratio=1)
    for copy in result.copies:
        table.add_row(
            escape(copy.id),
            escape(copy.party),
            _status(copy.status),
            escape(copy.footing),
            escape(copy.reason),
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
    for column in ("holder", "party", "status", "confidence", "path", "access"):
        table.add_column(column, overflow="fold", no_wrap=column in ("status", "confidence"))
    for copy in copies:
        table.add_row(
            escape(copy.holder),
            escape(copy.party),
            _status(copy.status),
            escape(copy.footing),
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
    assume: AssumeOption = None,
    without: WithoutOption = None,
) -> None:
    """Per party, the copies it can still access: held, or that may remain.

    Example: tracer access dominos-order --delete delete-recording
    """
    with _user_errors():
        m = _load_model(model, assume, without)
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
    # a copy resting only on alleged or assumed rules (or on nobody's word) says so
    weak = {
        c.id: c.footing for c in result.copies if c.footing in ("alleged", "assumed", "unknown")
    }

    def listed(ids: tuple[str, ...]) -> str:
        return "\n".join(f"{i} ({weak[i]})" if i in weak else i for i in ids) or "-"

    for party, reach in result.parties.items():
        table.add_row(
            escape(f"{party}\n({m.parties[party].name})"),
            escape(listed(reach.held)),
            escape(listed(reach.may_remain)),
        )
    _console().print(table)
    _console().print(escape(tracer.summary(result)), soft_wrap=True)
