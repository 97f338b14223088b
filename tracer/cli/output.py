"""Commands that write files: ``render``, ``report`` and ``demo``.

``-o -`` writes to stdout (the format then comes from ``--format``); ``--mkdir`` creates a
missing folder; ``-q`` prints no ``wrote`` lines. What may be written where is decided in one
place, :mod:`tracer.render.output`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    AssumeOption,
    AtOption,
    CatalogueOption,
    Collapse,
    DeleteOption,
    DiffOption,
    MkdirOption,
    ModelOption,
    QuietOption,
    WithoutOption,
    _is_stdio,
    _load_model,
    _protected,
    _say,
    _user_errors,
    _write_stdout,
    complete_interaction,
)


class DiagramFormat(str, Enum):
    svg = "svg"
    dot = "dot"
    mmd = "mmd"


class ReportFormat(str, Enum):
    html = "html"
    md = "md"


def _format_for(output: Path, fmt: Enum | None, option: str) -> str | None:
    """The format to write to stdout, or None for a file (its suffix decides)."""
    if _is_stdio(output):
        if fmt is None:
            raise typer.BadParameter(
                f"-o - writes to stdout: say which format with {option}", param_hint="--format"
            )
        return fmt.value
    if fmt is not None and output.suffix.lower() != "." + fmt.value:
        raise typer.BadParameter(
            f"{fmt.value} does not match {output}: the file's suffix names the format "
            "(--format is for -o -)",
            param_hint="--format",
        )
    return None


@app.command()
def render(
    interaction: Annotated[
        str | None,
        typer.Argument(
            help="Interaction to draw; none draws the whole ecosystem.",
            metavar="[INTERACTION]",
            show_default=False,
            autocompletion=complete_interaction,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .svg .png .pdf .dot or .mmd (Mermaid); - for stdout.",
            dir_okay=False,
        ),
    ] = ...,
    fmt: Annotated[
        DiagramFormat | None,
        typer.Option("--format", "-f", help="The format, for -o - (stdout).", show_default=False),
    ] = None,
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
    sources: Annotated[
        bool,
        typer.Option(
            "--sources", help="Write each rule's source ids on the trace's copies and edges."
        ),
    ] = False,
    model: ModelOption = None,
    mkdir: MkdirOption = False,
    quiet: QuietOption = False,
    assume: AssumeOption = None,
    without: WithoutOption = None,
    diff: DiffOption = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Draw the ecosystem, or one interaction coloured by what survives deletion.

    Example: tracer render dominos-order --delete delete-recording -o order.svg
    """
    if diff:
        from tracer.cli.analyses import render_diff

        return render_diff(
            diff, interaction, output, delete, at, assume, without, model, mkdir=mkdir, quiet=quiet
        )
    with _user_errors():
        stdout_format = _format_for(output, fmt, "--format svg|dot|mmd")
        m = _load_model(
            model, assume, without, catalogue=catalogue, interactions=[interaction or ""]
        )
        options = {"focus": focus, "collapse": collapse.value, "sources": sources}
        if stdout_format:
            from tracer.render import diagram  # here: tracing never imports graphviz

            _write_stdout(diagram(m, stdout_format, interaction, delete or (), at, **options))
            return
        written = tracer.draw(
            m,
            output,
            interaction,
            delete or (),
            at=at,
            protect=_protected(model),
            mkdir=mkdir,
            **options,
        )
        if not quiet:
            _say(f"wrote {written}")


@app.command()
def report(
    interactions: Annotated[
        list[str],
        typer.Argument(
            help="Interaction ids (see `tracer list`).",
            metavar="INTERACTION...",
            autocompletion=complete_interaction,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .html (one self-contained file) or .md (Markdown with Mermaid); "
            "- for stdout.",
            dir_okay=False,
        ),
    ] = ...,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="The format, for -o - (stdout).", show_default=False),
    ] = None,
    delete: DeleteOption = None,
    at: AtOption = None,
    model: ModelOption = None,
    mkdir: MkdirOption = False,
    quiet: QuietOption = False,
    assume: AssumeOption = None,
    without: WithoutOption = None,
    print_pieces: Annotated[
        bool,
        typer.Option(
            "--print-pieces",
            help="On paper, follow each whole diagram with its full-size pieces (text >= 7 pt).",
        ),
    ] = False,
    catalogue: CatalogueOption = None,
) -> None:
    """Write a report: summary, diagrams, every copy, access, recipients, timeline, sources.

    Example: tracer report dominos-order uber-ride --delete delete-recording -o report.html
    """
    with _user_errors():
        stdout_format = _format_for(output, fmt, "--format html|md")
        m = _load_model(model, assume, without, catalogue=catalogue, interactions=interactions)
        if stdout_format:
            from tracer.render import report_text

            text = report_text(
                m,
                stdout_format,
                interactions,
                delete or (),
                at,
                source=_protected(model),
                print_pieces=print_pieces,
            )
            _write_stdout(text.encode("utf-8"))
            return
        written = tracer.write_report(
            m,
            output,
            interactions,
            delete or (),
            at=at,
            protect=_protected(model),
            mkdir=mkdir,
            print_pieces=print_pieces,
        )
        if not quiet:
            _say(f"wrote {written}")


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write into.", file_okay=False)
    ] = Path("demo"),
    model: ModelOption = None,
    mkdir: Annotated[
        bool, typer.Option("--mkdir", help="Create the folder's missing parents too.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Trace every interaction after `delete-recording`; write traces, diagrams, a report and a
    ledger.

    Each interaction gets traces/ID.json and diagrams/ID.svg (and .mmd, for Markdown); the
    whole model is drawn as ecosystem.svg, the purchases are reported in report.html, and a
    synthetic log of 100 users is built into a ledger (ledger/: the log and ledger.duckdb),
    summed up in ledger-summary.md. The folder may not hold the model; files already there are
    replaced, and said so.

    Example: tracer demo -o demo
    """
    with _user_errors():
        if _is_stdio(model):
            raise typer.BadParameter(
                "demo reads its model from a file, not stdin", param_hint="--model"
            )
        written = tracer.write_demo(directory, model, mkdir=mkdir)
        replaced = set(written.replaced)
        if not quiet:
            for path in written.files:
                _say(f"{'replaced' if path in replaced else 'wrote'} {path}")
        for note in written.notes:
            _say(note, stderr=True)
        if not quiet:
            _say(written.summary)
