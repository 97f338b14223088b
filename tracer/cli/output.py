"""Commands that write files: ``render``, ``report`` and ``demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    AssumeOption,
    AtOption,
    Collapse,
    DeleteOption,
    DiffOption,
    ModelOption,
    WithoutOption,
    _console,
    _load_model,
    _user_errors,
)


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
    assume: AssumeOption = None,
    without: WithoutOption = None,
    diff: DiffOption = None,
) -> None:
    """Draw the ecosystem, or one interaction coloured by what survives deletion.

    Example: tracer render dominos-order --delete delete-recording -o order.svg
    """
    if diff:
        from tracer.cli.analyses import render_diff

        return render_diff(diff, interaction, output, delete, at, assume, without, model)
    with _user_errors():
        m = _load_model(model, assume, without)
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
    assume: AssumeOption = None,
    without: WithoutOption = None,
) -> None:
    """Write a report: summary, diagrams, every copy, access, recipients, timeline, sources.

    Example: tracer report dominos-order uber-ride --delete delete-recording -o report.html
    """
    with _user_errors():
        m = _load_model(model, assume, without)
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
