"""``tracer history import alexa ...``: a person's own Alexa Voice History as a ledger log.

Parses the options, calls :func:`tracer.history.import_alexa`, prints its summary.
"""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tracer.cli.app import app
from tracer.cli.common import (
    CatalogueOption,
    MkdirOption,
    ModelOption,
    _catalogue,
    _load_model,
    _print_json,
    _protected,
    _say,
    _user_errors,
)


def _lib():
    """tracer.history, imported when its command runs."""
    return importlib.import_module("tracer.history")


history_app = typer.Typer(
    name="history",
    help="A person's own history: import their export as a ledger log.\n\n"
    "Example: tracer history import alexa history.json -o events.csv",
    no_args_is_help=True,
)
app.add_typer(history_app, name="history")


class Source(str, Enum):
    alexa = "alexa"


@history_app.command("import")
def import_command(
    source: Annotated[
        Source, typer.Argument(help="Whose export: alexa (Voice History).", metavar="SOURCE")
    ],
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Voice History JSON: a list of records, or pages {customerHistoryRecords: "
            "[...]}, one file per page.",
            metavar="FILE...",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The events log to write: .csv, .jsonl or .parquet (created 0600). Without it, "
            "only the summary is printed.",
            show_default=False,
        ),
    ] = None,
    user: Annotated[str, typer.Option("--user", "-u", help="The user id in the log.")] = "me",
    model: ModelOption = None,
    catalogue: CatalogueOption = None,
    maps: Annotated[
        list[Path] | None,
        typer.Option(
            "--map",
            metavar="FILE",
            help="Your own mapping rules (YAML, docs/history.md); they come before the shipped "
            "ones. Repeatable.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Fail, writing nothing, on any unmapped, ambiguous or bad record."
        ),
    ] = False,
    keep_text: Annotated[
        bool,
        typer.Option(
            "--keep-text", help="Write what you said (the transcripts) into the log's text column."
        ),
    ] = False,
    deleted_before: Annotated[
        str | None,
        typer.Option(
            "--deleted-before",
            metavar="TIME",
            help="You deleted everything up to TIME (ISO 8601): a request in the requests log.",
            show_default=False,
        ),
    ] = None,
    deleted_by: Annotated[
        str,
        typer.Option(
            "--deleted-by", metavar="REQUEST", help="The request --deleted-before stands for."
        ),
    ] = "delete-all-history",
    auto_delete: Annotated[
        str | None,
        typer.Option(
            "--auto-delete",
            metavar="PERIOD",
            help="You switched on auto-delete after PERIOD (3mo, 18mo) at --since TIME.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="TIME",
            help="When --auto-delete was switched on.",
            show_default=False,
        ),
    ] = None,
    requests_out: Annotated[
        Path | None,
        typer.Option(
            "--requests-out",
            "-r",
            help="The requests log to write (default: requests.csv beside the events).",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    mkdir: MkdirOption = False,
) -> None:
    """Turn an Alexa Voice History export into a ledger events log: one event per record, its
    interaction by the mapping rules; what cannot be mapped is counted and listed.

    Example: tracer history import alexa history.json -o events.csv
    """
    with _user_errors():
        lib = _lib()
        loaded = _load_model(model)
        requests = lib.deletion_requests(
            loaded,
            user.strip(),
            deleted_before=deleted_before,
            deleted_by=deleted_by,
            auto_delete=auto_delete,
            since=since,
        )
        result = lib.import_alexa(
            files,
            output,
            model=loaded,
            catalogue=_catalogue(model, catalogue),
            protect=_protected(model),
            user=user,
            maps=maps or (),
            strict=strict,
            keep_text=keep_text,
            requests=requests,
            requests_output=requests_out,
            mkdir=mkdir,
        )
    if json_output:
        _print_json(result.to_dict())
        return
    if result.mapped:
        _say("mapped:")
    for interaction, count in result.mapped.items():
        _say(f"  {interaction}: {count:,}")
    for line in result.problems():
        _say(line)
    written = [str(p) for p in (result.output, result.requests_output) if p is not None]
    _say(result.line() + (f"; wrote {', '.join(written)}" if written else ""))
