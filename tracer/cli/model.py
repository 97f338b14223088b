"""Commands about the model itself: ``validate`` and ``list``."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    ConfidenceOption,
    DataFormat,
    DataFormatOption,
    ModelOption,
    PartyOption,
    RetentionOption,
    _console,
    _print_json,
    _say,
    _text,
    _user_errors,
    plural,
    shipped_or_file,
)
from tracer.errors import ModelError, Problem

# warnings shown per lint rule unless --verbose: a large model can have tens of thousands
FIRST_FEW = 3


@app.command()
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The model to check, - for stdin (default: --model, or the shipped model).",
            metavar="[PATH]",
            show_default=False,
            callback=shipped_or_file,
        ),
    ] = None,
    model: ModelOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there are warnings.")
    ] = False,
    output: DataFormatOption = DataFormat.table,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help=f"Print every warning, not the first {FIRST_FEW} of each rule."
        ),
    ] = False,
) -> None:
    """Load and check a model: errors at file:line with a did-you-mean, then lint warnings,
    grouped by rule. With --format json, one JSON object for CI (exit 1 when it fails).

    Example: tracer validate graphs/alexa.yaml
    """
    with _user_errors():
        source = path or model
        where = "<stdin>" if str(source) == "-" else source or tracer.default_model_path()
        if output is DataFormat.json:
            _validate_json(source, str(where), strict=strict)
            return
        checked = tracer.check_model(source)
        _print_warnings(checked.warnings, verbose=verbose)
        m = checked.model
        counts = ", ".join(
            plural(count, noun)
            for count, noun in (
                (len(m.holders), "holder"),
                (len(m.flows), "flow"),
                (len(m.derivations), "derivation"),
                (len(m.interactions), "interaction"),
                (len(m.deletions), "deletion request"),
                (len(checked.warnings), "warning"),
            )
        )
        if strict and checked.warnings:
            _say(
                ("failed:", "bold red"),
                f" {where}: {plural(len(checked.warnings), 'warning')} (--strict)",
                stderr=True,
            )
            raise typer.Exit(1)
        _say(f"ok: {where}: {counts}")


def _print_warnings(warnings: tuple[Problem, ...], *, verbose: bool) -> None:
    """Each rule's warnings, the first few of each unless ``verbose``, and how many more."""
    by_rule: dict[str, list[Problem]] = defaultdict(list)
    for warning in warnings:
        by_rule[warning.rule].append(warning)
    for rule, found in sorted(by_rule.items()):
        shown = found if verbose else found[:FIRST_FEW]
        for warning in shown:
            _say(("warning:", "yellow"), f" {warning}", stderr=True)
        if len(found) > len(shown):
            more = len(found) - len(shown)
            _say(
                ("warning:", "yellow"),
                f" ... and {more:,} more like this (rule {rule}: {plural(len(found), 'warning')}; "
                "--verbose prints them all)",
                stderr=True,
            )


def _validate_json(source: Path | None, where: str, *, strict: bool) -> None:
    """The outcome as one JSON object on stdout; exit 1 when the model fails (or, with
    ``strict``, has warnings)."""

    def problem(p: Problem) -> dict:
        found = {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
        return found | ({"rule": p.rule} if p.rule else {})

    try:
        checked = tracer.check_model(source)
    except ModelError as error:
        _print_json(
            {
                "file": where,
                "ok": False,
                "errors": [problem(p) for p in error.problems],
                "warnings": [],
            }
        )
        raise typer.Exit(1) from None
    m = checked.model
    ok = not (strict and checked.warnings)
    _print_json(
        {
            "file": where,
            "ok": ok,
            "errors": [],
            "warnings": [problem(p) for p in checked.warnings],
            "counts": {
                "holders": len(m.holders),
                "flows": len(m.flows),
                "derivations": len(m.derivations),
                "interactions": len(m.interactions),
                "deletions": len(m.deletions),
            },
        }
    )
    if not ok:
        raise typer.Exit(1)


@app.command("list")
def list_model(
    model: ModelOption = None,
    output: DataFormatOption = DataFormat.table,
    party: PartyOption = None,
    retention: RetentionOption = None,
    confidence: ConfidenceOption = None,
    models: Annotated[
        bool,
        typer.Option(
            "--models", help="List the shipped models instead, by the name -m takes (alexa-2025)."
        ),
    ] = False,
) -> None:
    """The model's interactions, deletion requests, records, parties and holders; --party,
    --retention and --confidence list only the holders that handle something selected; --models
    lists the shipped models instead.

    Example: tracer list --retention unknown
    """
    with _user_errors():
        if models:
            _list_shipped(output)
            return
        m = tracer.load_model(model)
        if party or retention or confidence:  # imported only then: `tracer list` starts fast
            from tracer.interop.selection import select_model, selection_of

            m = select_model(m, selection_of(party, retention, confidence).check(m))
        described = tracer.describe(m)
        if output is DataFormat.json:
            _print_json(described)
            return
        # here, not at the top: `validate` and `list -f json` draw no table (start-up)
        from rich.table import Table

        from tracer.cli.cells import IdCell

        dated = f", as of {described['date']}" if described["date"] else ""
        _say(f"{described['model']}{dated}", style="bold")
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
                "Records",
                ("id", "name", "categories"),
                [
                    (k, v["name"], " ".join(v["categories"]))
                    for k, v in described["records"].items()
                ],
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
            _say(title, style="bold")
            table = Table()
            for column in columns:
                table.add_column(column, overflow="fold")
            for key, name, *rest in rows:
                table.add_row(IdCell(key), _text(name), *(IdCell(value) for value in rest))
            _console().print(table)


def _list_shipped(output: DataFormat) -> None:
    from tracer.shipped import listing

    found = listing()
    if output is DataFormat.json:
        _print_json(found)
        return
    from rich.table import Table

    from tracer.cli.cells import IdCell

    _say("Shipped models (use one with -m NAME)", style="bold")
    table = Table()
    for column in ("name", "model", "date", "file"):
        table.add_column(column, overflow="fold")
    for entry in found:
        title = entry["model"] + (" (the default)" if entry["default"] else "")
        # a path wraps after a separator, never mid-word
        cells = (_text(entry["name"]), _text(title), _text(entry["date"]), IdCell(entry["path"]))
        table.add_row(*cells)
    _console().print(table)
