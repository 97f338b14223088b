"""``tracer skills ...``: a skill catalogue: list it, ask which skills can reach a record, show
one skill, check it, expand it into an explicit model, or write a synthetic one.

Each command parses its options, calls one function of :mod:`tracer.skills`, and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracer.cli.app import app
from tracer.cli.common import (
    AtOption,
    CatalogueOption,
    DeleteOption,
    ModelOption,
    QueryFormat,
    QueryFormatOption,
    _catalogue,
    _console,
    _load_model,
    _print_csv,
    _print_json,
    _protected,
    _say,
    _text,
    _user_errors,
    plural,
)

skills_app = typer.Typer(
    name="skills",
    help="Every skill of a catalogue, not the few a model names: which skills can get a "
    "record, what one receives and keeps.\n\nExample: tracer skills reach device_address",
    no_args_is_help=True,
)
app.add_typer(skills_app, name="skills")


def _rows(header: list[str], rows: list[list[object]], output: QueryFormat, data, title=""):
    """Print ``data`` as JSON, or ``rows`` as CSV or a table."""
    if output is QueryFormat.json:
        _print_json(data)
        return
    cells = [[_cell(v) for v in row] for row in rows]
    if output is QueryFormat.csv:
        _print_csv(header, cells)
        return
    from rich.table import Table

    if title:
        _say(title, style="bold")
    table = Table()
    for index, column in enumerate(header):
        numeric = bool(cells) and all(isinstance(row[index], int) for row in cells)
        table.add_column(column, overflow="fold", justify="right" if numeric else "left")
    for row in cells:
        table.add_row(
            *(_text("" if v is None else f"{v:,}" if isinstance(v, int) else v) for v in row)
        )
    _console().print(table)


def _cell(value: object) -> object:
    """A value as a table or CSV cell: lists joined, yes/no as true/false."""
    if isinstance(value, bool):
        return str(value).lower()
    return ", ".join(value) if isinstance(value, list) else value


def _word(status: str, output: QueryFormat) -> str:
    """A status as the tables write it (``may remain``); CSV keeps the JSON's word."""
    return status if output is QueryFormat.csv else status.replace("_", " ")


def _open(model: Path | None, catalogue: Path | None, *, strict: bool = False, note=True):
    found = _catalogue(model, catalogue, strict=strict, note=note)
    if found is None:
        from tracer.skills import CatalogueError

        raise CatalogueError("give a catalogue with -c FILE (a model of your own has none)")
    return found


@skills_app.command("list")
def list_command(
    catalogue: CatalogueOption = None,
    permission: Annotated[
        str | None,
        typer.Option(
            help="Only skills with this scope (or account_linking...).", show_default=False
        ),
    ] = None,
    developer: Annotated[
        str | None, typer.Option(help="Only this developer's skills.", show_default=False)
    ] = None,
    category: Annotated[
        str | None, typer.Option(help="Only this category.", show_default=False)
    ] = None,
    model: ModelOption = None,
    output: QueryFormatOption = QueryFormat.table,
) -> None:
    """The catalogue's skills, by id: name, developer, permissions.

    Example: tracer skills list --permission alexa::devices:all:address:full:read
    """
    from tracer.skills.queries import list_skills

    with _user_errors():
        found = _open(model, catalogue)
        rows = list_skills(found, permission=permission, developer=developer, category=category)
        header = ["skill", "name", "developer", "permissions", "account_linking",
                  "in_skill_purchases", "amazon_pay", "category"]  # fmt: skip
        _rows(header, [[r[h] for h in header] for r in rows], output, rows,
              f"{plural(len(rows), 'skill')} of {len(found):,}")  # fmt: skip


@skills_app.command("reach")
def reach_command(
    record: Annotated[
        str, typer.Argument(help="Record id, such as device_address.", metavar="RECORD")
    ],
    delete: DeleteOption = None,
    at: AtOption = None,
    catalogue: CatalogueOption = None,
    model: ModelOption = None,
    output: QueryFormatOption = QueryFormat.table,
) -> None:
    """How many skills' developers can receive RECORD, by permission and developer; with
    --delete, how many may still hold it.

    Example: tracer skills reach device_address --delete disable-skill
    """
    from tracer.skills.queries import reach

    with _user_errors():
        m = _load_model(model)
        answer = reach(m, _open(model, catalogue), record, delete or (), at=at)
        if output is QueryFormat.json:
            _print_json(answer)
            return
        title = f"{answer['skills']:,} of {answer['of']:,} skills can receive {record}" + (
            f"; {answer['may_still_hold']:,} may still hold it" if delete else ""
        )
        _rows(
            ["feature", "skills", "status at the backend"],
            [[f["feature"], f["skills"], _word(f["status"], output)] for f in answer["features"]],
            output,
            answer,
            title,
        )
        if output is QueryFormat.table:
            _rows(
                ["developer", "party", "skills", "may still hold"],
                [
                    [d["developer"], d["party"], d["skills"], d["may_still_hold"]]
                    for d in answer["developers"][:20]
                ],  # fmt: skip
                output,
                answer,
                "by developer"
                + (
                    f" (the first 20 of {len(answer['developers']):,}; -f json or csv for all)"
                    if len(answer["developers"]) > 20
                    else ""
                ),
            )


@skills_app.command("show")
def show_command(
    skill: Annotated[
        str, typer.Argument(help="The skill's id (B07K1NBJLJ, skill:ID).", metavar="ID")
    ],
    delete: DeleteOption = None,
    at: AtOption = None,
    catalogue: CatalogueOption = None,
    model: ModelOption = None,
    output: QueryFormatOption = QueryFormat.table,
) -> None:
    """What one skill receives, keeps and passes on, with the evidence of each.

    Example: tracer skills show dominos-uk --delete disable-skill
    """
    from tracer.skills.queries import show

    with _user_errors():
        m = _load_model(model)
        answer = show(m, _open(model, catalogue), skill, delete or (), at=at)
        if output is QueryFormat.json:
            _print_json(answer)
            return
        header = ["copy", "party", "status", "retention", "evidence", "confidence"]
        rows = [
            [_word(r[h], output) if h == "status" else r[h] for h in header]
            for r in answer["receives"] + answer["passes_on"]
        ]
        title = (
            f"{answer['interaction']}: {answer['name']} by {answer['developer']}; features: "
            + ", ".join(answer["features"])
        )
        _rows(header, rows, output, answer, title)
        if output is QueryFormat.table:
            for key, source in answer["sources"].items():
                _say(
                    f"  {key}: {source['title']}" + (f" <{source['url']}>" if source["url"] else "")
                )
            if answer["unknown_permissions"]:
                _say("unknown permissions (no rule): " + ", ".join(answer["unknown_permissions"]))


@skills_app.command("check")
def check_command(
    catalogue: Annotated[
        Path, typer.Argument(help="The catalogue file.", dir_okay=False, metavar="CATALOGUE")
    ],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on any bad row.")] = False,
    model: ModelOption = None,
    output: QueryFormatOption = QueryFormat.table,
) -> None:
    """Read and check a catalogue: every bad row and warning by row number, and the rows the
    model's skill template has no rules for.

    Example: tracer skills check skills.csv --strict
    """
    from tracer.skills.template import unsupported

    with _user_errors():
        m = _load_model(model)
        found = _open(model, catalogue, strict=strict, note=False)
        problems = sorted(found.problems + unsupported(m, found), key=lambda p: (p.row, p.field))
        data = [
            {"row": p.row, "field": p.field, "severity": p.severity, "message": p.message}
            for p in problems
        ]
        _rows(
            ["row", "field", "severity", "message"],
            [[p.row, p.field, p.severity, p.message] for p in problems],
            output,
            data,
            f"{catalogue}: {len(found):,} skills read; {plural(len(problems), 'problem')}",
        )
    if strict and any(p.severity == "error" for p in problems):
        raise typer.Exit(1)


@skills_app.command("expand")
def expand_command(
    catalogue: Annotated[
        Path, typer.Argument(help="The catalogue file.", dir_okay=False, metavar="CATALOGUE")
    ],
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Only these skills (default: all).", metavar="[ID]...", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The model file to write (YAML).", dir_okay=False)
    ] = ...,
    model: ModelOption = None,
) -> None:
    """Write the explicit model: the skill template instantiated for each skill.

    Example: tracer skills expand graphs/alexa-skills.csv dominos-uk -o dominos.yaml
    """
    from tracer.skills.expand import write_expanded

    with _user_errors():
        m = _load_model(model)
        written = write_expanded(
            m, _open(model, catalogue), output, ids or None, protect=_protected(model)
        )
        _say(f"wrote {written}")


@skills_app.command("synth")
def synth_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write: .csv, .jsonl or .parquet.")
    ],
    skills: Annotated[int, typer.Option("--skills", min=1, help="How many skills.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same rows.")] = 0,
    model: ModelOption = None,
) -> None:
    """Write a synthetic catalogue with a realistic mix of permissions (docs/skills.md).

    Example: tracer skills synth --skills 100000 --seed 1 -o skills.csv
    """
    from tracer.skills.synth import write_synthetic_catalogue

    with _user_errors():
        m = _load_model(model)
        features = set(m.skill_template.features) if m.skill_template else set()
        written = write_synthetic_catalogue(output, skills, seed=seed, features=features)
        _say(f"wrote {written}")
