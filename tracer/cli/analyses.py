"""Commands that analyse a model: ``check`` (claims against flows) and ``diff`` (two models, or
a model and itself under assumptions); and ``render --diff``'s drawing.

tracer.claims and tracer.diff are imported inside the commands: no other command pays for them
(``tracer/cli/__init__.py`` imports this module only for ``check``, ``diff`` and ``--help``)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    AssumeOption,
    AtOption,
    CatalogueOption,
    DataFormat,
    DataFormatOption,
    DeleteOption,
    ModelOption,
    WithoutOption,
    _console,
    _fail,
    _load_model,
    _print_json,
    _say,
    _say_wrapped,
    _text,
    _user_errors,
    shipped_or_file,
)

# colour-blind-safe (Okabe-Ito), and the verdict is always written out
VERDICT_STYLE = {
    "consistent": "#009E73",
    "contradicted": "bold #D55E00",
    "unverifiable": "#E69F00",
    "vague": "#999999",
}


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"


@app.command("check")
def check_command(
    model: ModelOption = None,
    output: DataFormatOption = DataFormat.table,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a claim is contradicted (for CI).")
    ] = False,
    assume: AssumeOption = None,
    without: WithoutOption = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Check the model's claims against its flows: consistent, contradicted (with the copy,
    path and evidence that disagree), unverifiable (resting on assumptions) or vague.

    Example: tracer check --strict
    """
    with _user_errors():
        m = _load_model(model, assume, without)
        results = tracer.check(m)
        unsupported = _check_catalogue(m, model, catalogue)
    if output is DataFormat.json:
        _print_json([result.to_dict() for result in results])
    elif not results:
        _say("The model makes no claims (add a `claims:` section).")
    else:
        _check_table(results)
    if unsupported or (strict and any(r.verdict == "contradicted" for r in results)):
        raise typer.Exit(1)


def _check_catalogue(model: tracer.Model, path: Path | None, catalogue: Path | None) -> int:
    """With -c: every row problem of the catalogue on stderr, and the rows whose features the
    model's skill template lacks (errors, counted)."""
    if catalogue is None:
        return 0
    from tracer.cli.common import _catalogue
    from tracer.skills.template import unsupported

    found = _catalogue(path, catalogue)
    for problem in found.problems:
        _say(f"{problem.severity}: {problem}", stderr=True)
    lacking = unsupported(model, found)
    for problem in lacking:
        _say(f"error: {problem}", stderr=True)
    return len(lacking)


def _check_table(results: list[tracer.ClaimResult]) -> None:
    from tracer.claims import VERDICTS

    table = Table()
    table.add_column("claim", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=1)
    for result in results:
        table.add_row(
            _text(result.claim),
            _text(result.verdict, VERDICT_STYLE[result.verdict]),
            _text(result.explanation),
        )
    _console().print(table)
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICTS}
    _say(", ".join(f"{n} {v}" for v, n in counts.items() if n))
    for result in results:
        if result.verdict not in ("contradicted", "unverifiable") or not result.findings:
            continue
        first = result.findings[0]
        _say("")
        _say(f"{result.claim} ({result.verdict}), by {result.by}:", style="bold")
        # each detail wrapped to the terminal, its lines under the text after the label
        if result.says:
            _say_wrapped(f"  says: {result.says}", indent=8)
        label = "but: " if result.verdict == "contradicted" else "why: "
        _say_wrapped(f"  {label} {result.explanation}", indent=8)
        if first.path:
            _say_wrapped(f"  path: {' > '.join(first.path)}", indent=8)
        cited = ", ".join(first.evidence) or "no evidence"
        _say_wrapped(f"  rule: {first.reason} ({cited}; {first.confidence})", indent=8)


@app.command("diff")
def diff_command(
    model_a: Annotated[
        Path,
        typer.Argument(
            help="The first model (before): a file or a shipped model's name.",
            metavar="MODEL_A",
            dir_okay=False,
            callback=shipped_or_file,
        ),
    ],
    model_b: Annotated[
        Path,
        typer.Argument(
            help="The second model (after).",
            metavar="MODEL_B",
            dir_okay=False,
            callback=shipped_or_file,
        ),
    ],
    interactions: Annotated[
        list[str] | None,
        typer.Argument(
            help="Interactions to compare; default: every one both models have.",
            metavar="[INTERACTION]...",
            show_default=False,
        ),
    ] = None,
    delete: DeleteOption = None,
    at: AtOption = None,
    output: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.table,
    assume: AssumeOption = None,
    without: WithoutOption = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Per interaction, the copies whose status changed from MODEL_A to MODEL_B, new and gone
    copies, who gains or loses access, and the rule behind each change. --assume and --without
    apply to MODEL_B: give the same file twice for a what-if.

    Example: tracer diff graphs/alexa.yaml graphs/alexa.yaml --assume
    copy-to-subsystems.deletion=propagated --delete delete-recording
    """
    with _user_errors():
        a = _load_model(model_a, catalogue=catalogue, interactions=interactions or ())
        b = tracer.assume(tracer.load_model(model_b), assume or (), without=without or ())
        if interactions and catalogue is not None:
            from tracer.cli.common import _catalogue
            from tracer.skills import with_skills

            b = with_skills(b, _catalogue(model_b, catalogue), interactions)
        result = tracer.diff(a, b, interactions or None, delete or (), at=at)
    if output is DiffFormat.json:
        _print_json(result.to_dict())
    elif output is DiffFormat.md:
        sys.stdout.write(result.to_markdown())
    else:
        _diff_table(result)


def _diff_table(result: tracer.Diff) -> None:
    from tracer.diff import access_lines, preamble

    _say(f"{result.a} -> {result.b}", style="bold")
    for line in preamble(result):
        _say(line)
    for item in result.interactions:
        _say(item.interaction, style="bold")
        if item.changes:
            table = Table()
            table.add_column("copy", no_wrap=True)
            table.add_column("change", overflow="fold")
            table.add_column("why", overflow="fold", ratio=1)
            for change in item.changes:
                why = change.why
                cited = ", ".join(why.evidence) or "no evidence"
                table.add_row(
                    _text(change.copy),
                    _text(change.change.replace("_", " ")),
                    _text(f"{why.reason} ({cited}; {why.confidence})"),
                )
            _console().print(table)
        for line in access_lines(item):
            _say(line)


def render_diff(
    models: tuple[Path, Path],
    interaction: str | None,
    output: Path,
    delete: list[str] | None,
    at: str | None,
    assume: list[str] | None,
    without: list[str] | None,
    model: Path | None = None,
    *,
    mkdir: bool = False,
    quiet: bool = False,
) -> None:
    """``tracer render --diff A B INTERACTION -o FILE``: B's trace with A's differences marked."""
    with _user_errors():
        if interaction is None:
            _fail(tracer.TracerError("--diff needs an interaction to draw"))
        if model is not None:
            _fail(tracer.TracerError("--diff names both models; give no -m/--model with it"))
        from tracer.render.diff import draw_diff

        models = (shipped_or_file(models[0]), shipped_or_file(models[1]))
        a = tracer.load_model(models[0])
        b = _load_model(models[1], assume, without)
        if str(output) == "-":
            _fail(tracer.TracerError("--diff writes a file: give -o FILE, not -o -"))
        written = draw_diff(
            a, b, output, interaction, delete or (), at=at, protect=models[1], mkdir=mkdir
        )
    if not quiet:
        _say(f"wrote {written}")
