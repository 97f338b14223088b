"""Commands that trace one interaction: ``trace``, ``holders`` and ``access``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    AssumeOption,
    AtOption,
    CatalogueOption,
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
    _say,
    _say_wrapped,
    _status,
    _text,
    _user_errors,
)
from tracer.model.text import printable

if TYPE_CHECKING:  # rich is imported only to draw a table: `-f json` needs none (start-up)
    from rich.text import Text


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
    catalogue: CatalogueOption = None,
) -> None:
    """Every copy of every record the interaction creates, and its status.

    Example: tracer trace dominos-order --delete delete-recording
    """
    with _user_errors():
        m = _load_model(model, assume, without, catalogue=catalogue, interactions=[interaction])
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
    from rich.table import Table

    from tracer.cli.cells import IdCell

    _say_wrapped(_title(model, result), style="bold")
    table = Table()
    table.add_column("copy")
    table.add_column("party")
    table.add_column("status", no_wrap=True)
    # the prose column keeps room to be read: ids give way first (they wrap at separators)
    table.add_column("reason", overflow="fold", ratio=1, min_width=REASON_WIDTH)
    for copy in result.copies:
        table.add_row(IdCell(copy.id), IdCell(copy.party), _status_sure(copy), _text(copy.reason))
    _console().print(table)
    _say_wrapped(tracer.summary(result))


# the narrowest the reason column gets while ids can still wrap (at 80 columns, when piped)
REASON_WIDTH = 24


def _status_sure(copy: tracer.Copy) -> Text:
    """The status word, and under it how sure it is: the least sure rule the copy rests on (a
    line, not a column, so the table still fits 80 columns)."""
    return _status(copy.status).append(f"\n({copy.footing})", style="")


def _title(model: tracer.Model, result: tracer.Trace) -> str:
    name = model.interactions[result.interaction].name
    requests = ", ".join(f"{r.id} at {r.at}d" for r in result.requests) or "no deletion request"
    return f"{result.interaction}: {name} — {requests}; status at {result.at}d"


@app.command()
def holders(
    interaction: InteractionArgument,
    record: Annotated[str, typer.Argument(help="Record id, such as transcript.", metavar="RECORD")],
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
    output: DataFormatOption = DataFormat.table,
    catalogue: CatalogueOption = None,
) -> None:
    """Who holds one record of the interaction: status, the path that put it there, access.

    Example: tracer holders dominos-order transcript --delete delete-recording
    """
    with _user_errors():
        m = _load_model(model, catalogue=catalogue, interactions=[interaction])
        copies = tracer.holders_of(m, interaction, record, delete or (), at=at)
        if output is DataFormat.json:
            _print_json([copy.to_dict() for copy in copies])
            return
        if not copies:
            _say(f"{interaction} creates no copy of {record}.")
            return
        from rich.table import Table

        from tracer.cli.cells import IdCell

        _say(f"{record} in {interaction}", style="bold")
        table = Table()
        for column in ("holder", "party", "status", "path", "access"):
            table.add_column(column, overflow="fold", no_wrap=column == "status")
        for copy in copies:
            table.add_row(
                IdCell(copy.holder),
                IdCell(copy.party),
                _status_sure(copy),
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
    assume: AssumeOption = None,
    without: WithoutOption = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Per party, the copies it can still access: held, or that may remain.

    Example: tracer access dominos-order --delete delete-recording
    """
    with _user_errors():
        m = _load_model(model, assume, without, catalogue=catalogue, interactions=[interaction])
        result = tracer.trace(m, interaction, delete or (), at=at)
        if output is DataFormat.json:
            _print_json(result.to_dict()["parties"])
            return
        if not result.parties:
            _say(f"After these requests, no party can access any copy from {interaction}.")
            return
        from rich.table import Table

        from tracer.cli.cells import IdCell

        _say_wrapped(_title(m, result), style="bold")
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
                IdCell(f"{party}\n({m.parties[party].name})"),
                IdCell(listed(reach.held)),
                IdCell(listed(reach.may_remain)),
            )
        _console().print(table)
        _say_wrapped(tracer.summary(result))
