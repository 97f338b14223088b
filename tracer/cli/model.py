"""Commands about the model itself: ``validate`` and ``list``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    DataFormat,
    DataFormatOption,
    ModelOption,
    _console,
    _print_json,
    _user_errors,
)


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
    dated = f", as of {described['date']}" if described["date"] else ""
    _console().print(escape(f"{described['model']}{dated}"), soft_wrap=True, style="bold")
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
