"""``tracer ledger ...``: build a ledger from a log of real events and ask it who holds what.

Each command parses its options, calls one function of :mod:`tracer.ledger`, and prints.
"""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tracer.cli.app import app
from tracer.cli.common import (
    CatalogueOption,
    MkdirOption,
    ModelOption,
    QueryFormat,
    QueryFormatOption,
    _console,
    _print_csv,
    _print_json,
    _say,
    _text,
    _user_errors,
    plural,
)


def _lib():
    """tracer.ledger, imported when a ledger command runs: DuckDB is no cost of other commands."""
    return importlib.import_module("tracer.ledger")


ledger_app = typer.Typer(
    name="ledger",
    help="Who holds one person's records, over a log of real events: build a ledger, then ask "
    "it.\n\nExample: tracer ledger build events.csv requests.csv -o year.duckdb",
    no_args_is_help=True,
)
app.add_typer(ledger_app, name="ledger")


class Engine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


class LogFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


LedgerArgument = Annotated[
    Path,
    typer.Argument(
        help="A ledger built by `tracer ledger build` (.duckdb or a folder).", metavar="LEDGER"
    ),
]
UserOption = Annotated[str, typer.Option("--user", "-u", help="The user id, as in the log.")]


def _print_table(header: list[str], rows: list[list[object]], title: str | None = None) -> None:
    if title:
        _say(title)
    table = Table()
    for column in header:
        table.add_column(column, overflow="fold", justify="right" if column in NUMERIC else "left")
    for row in rows:
        table.add_row(*(_text(f"{v:,}" if isinstance(v, int) else v) for v in row))
    _console().print(table)


NUMERIC = {"copies", "held", "may remain", "remaining", "events"}


def _progress_bar(console):
    """The build's bar on stderr: its stage, how far it has come, and the time so far; gone
    when the build ends, leaving the summary line."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@ledger_app.command("build")
def build_command(
    events: Annotated[
        Path,
        typer.Argument(
            help="The events log: .csv, .jsonl, .parquet or a folder.", metavar="EVENTS"
        ),
    ],
    requests: Annotated[
        Path | None,
        typer.Argument(
            help="The deletion requests log (optional).", metavar="[REQUESTS]", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The ledger to write: a .duckdb file (Spark: a folder). Required: a build that "
            "wrote nothing would be lost.",
            show_default=False,
        ),
    ] = ...,
    model: ModelOption = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="TIME",
            help="Query time, a date and time (ISO 8601): 2025-12-31T23:59:59Z (default: the "
            "latest time in the log).",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="duckdb (embedded) or spark.")] = (
        Engine.duckdb
    ),
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master URL (default local[*]).", show_default=False),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on any bad row instead of skipping it.")
    ] = False,
    mkdir: MkdirOption = False,
    catalogue: CatalogueOption = None,
) -> None:
    """Build a ledger: every event's copies and their status at the query time (an event's
    interaction may be skill:ID, a skill of the catalogue).

    Example: tracer ledger build events.csv requests.csv -o year.duckdb
    """
    console = _console(stderr=True)
    if engine is Engine.duckdb:
        from tracer.cli.common import _catalogue_path

        catalogue = _catalogue_path(model, catalogue)
    options = dict(
        catalogue=catalogue,
        model=model,
        at=at,
        engine=engine.value,
        output=output,
        strict=strict,
        master=master,
        mkdir=mkdir,
    )
    with _user_errors():
        if not console.is_terminal:  # a log file or a pipe gets the summary line only
            result = _lib().build(events, requests, **options)
        else:
            with _progress_bar(console) as bar:
                task = bar.add_task("reading the log", total=1.0)

                def show(stage: str, done: float) -> None:
                    new_stage = bar.tasks[0].description != stage
                    bar.update(task, description=stage, completed=done)
                    if new_stage:  # drawn now: a short stage would fall between two redraws
                        bar.refresh()

                result = _lib().build(events, requests, **options, progress=show)
    for row in result.bad_rows:
        _say(("skipped:", "yellow"), f" {row}", stderr=True)
    if result.skipped > len(result.bad_rows):
        more = result.skipped - len(result.bad_rows)
        _say(("skipped:", "yellow"), f" ... and {more:,} more", stderr=True)
    _say(result.line(), stderr=True)


@ledger_app.command("holds")
def holds_command(
    ledger: LedgerArgument,
    user: UserOption,
    record: Annotated[
        str | None, typer.Option("--record", help="Only this record.", show_default=False)
    ] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="Only copies at this party.", show_default=False)
    ] = None,
    output: QueryFormatOption = QueryFormat.table,
) -> None:
    """This user's copies (transient ones left out), by party and status.

    Example: tracer ledger holds year.duckdb --user alice
    """
    with _user_errors(), _lib().open_ledger(ledger) as opened:
        answer = _lib().holds(opened, user, record=record, party=party)
    copies = answer["copies"]
    if output is QueryFormat.json:
        _print_json(answer)
        return
    if output is QueryFormat.csv:
        fields = list(_lib().queries.COPY_FIELDS)
        rows = [[c[f] if f != "evidence" else " ".join(c[f]) for f in fields] for c in copies]
        _print_csv(fields, rows)
        return
    groups: dict[tuple[str, str], list[dict]] = {}
    for copy in copies:
        groups.setdefault((copy["party"], copy["status"]), []).append(copy)
    rows = [
        [who, status.replace("_", " "), len(group), ", ".join(sorted({c["record"] for c in group}))]
        for (who, status), group in sorted(groups.items())
    ]
    events = len({c["event"] for c in copies})
    _print_table(
        ["party", "status", "copies", "records"],
        rows,
        title=f"{user} at {answer['at']}: {plural(len(copies), 'copy', 'copies')} of "
        f"{plural(events, 'event')}",
    )


@ledger_app.command("summary")
def summary_command(ledger: LedgerArgument, output: QueryFormatOption = QueryFormat.table) -> None:
    """Copies by party, record and status, across all users.

    Example: tracer ledger summary year.duckdb
    """
    with _user_errors(), _lib().open_ledger(ledger) as opened:
        answer = _lib().summary(opened)
    if output is QueryFormat.json:
        _print_json(answer)
        return
    rows = [[r["party"], r["record"], r["status"], r["copies"]] for r in answer["rows"]]
    if output is QueryFormat.csv:
        _print_csv(["party", "record", "status", "copies"], rows)
        return
    rows = [[p, r, s.replace("_", " "), n] for p, r, s, n in rows]
    _print_table(
        ["party", "record", "status", "copies"],
        rows,
        title=f"{answer['model']} at {answer['at']}: {answer['events']:,} events of "
        f"{answer['users']:,} users ({answer['skipped']:,} bad rows skipped)",
    )


class Law(str, Enum):
    gdpr = "gdpr"
    ccpa = "ccpa"


@ledger_app.command("erasure")
def erasure_command(
    ledger: LedgerArgument,
    user: UserOption,
    output: QueryFormatOption = QueryFormat.table,
    letters: Annotated[
        Path | None,
        typer.Option(
            "--letters",
            metavar="DIR",
            help="Write one letter per party that may still hold the user's copies into DIR, "
            "created if missing "
            "(PARTY.md, a colon in the party's id as _; PARTY.pdf too when Chromium is "
            "installed).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace letters that exist in DIR.")
    ] = False,
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf",
            help="Print the letters as PDF too (default: when Chromium is installed).",
            show_default=False,
        ),
    ] = None,
    law: Annotated[
        list[Law] | None,
        typer.Option(
            "--law",
            help="The laws the letters invoke (default: both). Repeatable.",
            show_default=False,
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="NAME",
            help="The sender the letters name (default: a blank).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """What each of the user's own deletion options would still leave now, and the recipients
    an erasure must be passed on to (GDPR Art. 19); with --letters, the letters to send.

    Example: tracer ledger erasure year.duckdb --user alice --letters letters/
    """
    if letters is not None:
        laws = tuple(sorted({item.value for item in law})) if law else ("ccpa", "gdpr")
        with _user_errors():
            from tracer.ledger import letters as writing

            with _lib().open_ledger(ledger) as opened:
                made = writing.erasure_letters(opened, user, laws=laws, sender=sender)
            printing = pdf if pdf is not None else writing.chromium() is not None
            written = writing.write_letters(
                made, letters, force=force, pdf=printing, mkdir=True, protect=ledger
            )
        for letter in made:
            _say(
                f"{letter.party}: {plural(letter.events, 'request')}, "
                f"{plural(letter.copies, 'copy', 'copies')}"
            )
        _say(f"wrote {plural(len(written), 'file')} into {letters}")
        return
    with _user_errors(), _lib().open_ledger(ledger) as opened:
        answer = _lib().erasure(opened, user)
    if output is QueryFormat.json:
        _print_json(answer)
        return
    rows = [
        [o["request"], who, counts["held"], counts["may_remain"]]
        for o in answer["options"]
        for who, counts in o["parties"].items()
    ]
    if output is QueryFormat.csv:
        _print_csv(["request", "party", "held", "may_remain"], rows)
        return
    compact = [
        [
            o["request"],
            sum(c["held"] for c in o["parties"].values()),
            sum(c["may_remain"] for c in o["parties"].values()),
            ", ".join(o["parties"]),
        ]
        for o in answer["options"]
    ]
    _print_table(
        ["request", "held", "may remain", "parties"],
        compact,
        title=f"{user} at {answer['at']}: what each deletion option, made now on all "
        f"{answer['events']:,} events, would still leave",
    )
    _print_table(
        ["recipient", "name", "copies"],
        [[r["party"], r["name"], r["copies"]] for r in answer["recipients"]],
        title="Recipients to pass an erasure on to (GDPR Art. 19)",
    )


@ledger_app.command("synth")
def synth_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The folder to write the log into.")
    ],
    users: Annotated[int, typer.Option("--users", min=1, help="How many users.")] = 100,
    events: Annotated[int, typer.Option("--events", min=1, help="How many events.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same log.")] = 0,
    model: ModelOption = None,
    file_format: Annotated[
        LogFormat, typer.Option("--file-format", help="The log's file format.")
    ] = LogFormat.parquet,
) -> None:
    """Write a realistic synthetic log (events and requests) for the model.

    Example: tracer ledger synth --users 1000 --events 100000 --seed 1 -o log
    """
    with _user_errors():
        log = _lib().write_synthetic_log(
            output,
            users=users,
            events=events,
            seed=seed,
            model=model,
            file_format=file_format.value,
        )
    _say(
        f"wrote {log.events} ({log.event_count:,} events of {log.users:,} users) "
        f"and {log.requests} ({log.request_count:,} requests)"
    )
