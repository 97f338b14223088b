"""Commands that translate to and from other tools: ``import fides`` and ``export``."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer._types import TyperChoice  # the choice type typer gives an Enum (pinned <0.29)

import tracer
from tracer.cli.app import app
from tracer.cli.common import (
    AtOption,
    ConfidenceOption,
    DeleteOption,
    ModelOption,
    PartyOption,
    RetentionOption,
    _say,
    _say_wrapped,
    _user_errors,
)

import_app = typer.Typer(
    help="Read another tool's data map or lineage into a tracer/1 model.\n\n"
    "Example: tracer import fides systems.yml datasets.yml -o model.yaml",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(import_app, name="import")


@import_app.command("fides")
def import_fides_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="fideslang files (systems, datasets, organizations; YAML or JSON), or folders "
            "holding them.",
            metavar="PATH...",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The tracer/1 model to write (YAML).", dir_okay=False),
    ] = ...,
) -> None:
    """Import a Fides data map: systems become holders, egress/ingress flows, data categories
    records, retention texts retention rules; every key it cannot use is a warning at file:line.

    Example: tracer import fides systems.yml datasets.yml -o model.yaml
    """
    with _user_errors():
        from tracer.interop import import_fides  # here: only these commands need fideslang, prov

        imported = import_fides(paths, output=output)
        for warning in imported.warnings:
            _say_wrapped(f"warning: {warning}", indent=2)
        _say_wrapped(imported.summary())
        _say(f"wrote {output}")


@import_app.command("openlineage")
def import_openlineage_command(
    events: Annotated[
        Path,
        typer.Argument(
            help="OpenLineage events (.jsonl), one JSON event a line (RunEvents and JobEvents).",
            metavar="EVENTS",
            dir_okay=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The tracer/1 model to write (YAML); stdout without it.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Import OpenLineage run events: datasets become holders, jobs flows carrying the columns
    their column lineage names, columns records (pii tags as categories), a retention facet
    retention rules; every field it cannot use is a warning at the event's line.

    Example: tracer import openlineage events.jsonl -o model.yaml
    """
    with _user_errors():
        from tracer.interop.openlineage import import_openlineage, openlineage_yaml

        imported = import_openlineage(events, output=output)
        for warning in imported.warnings:
            _say("warning: ", str(warning), stderr=True)
        if output is None:
            sys.stdout.write(openlineage_yaml(events, imported))
            _say(imported.summary(), stderr=True)
            return
        _say(imported.summary())
        _say(f"wrote {output}")


class ExportFormat(str, Enum):
    fides = "fides"
    prov = "prov"
    graphml = "graphml"
    node_link = "node-link"
    schema = "schema"
    ropa = "ropa"
    dpv = "dpv"


class _FormatChoice(TyperChoice):
    """The formats, checked as a choice; the help's type column says only ``<format>``: the
    choices in one unbreakable word were folded mid-word ("schem" / "a") beside the help that
    names each of them."""

    def get_metavar(self, param, ctx) -> str:
        return "<format>"


@app.command("export")
def export_command(
    fmt: Annotated[
        str,
        typer.Argument(
            help="fides (the model as a Fides data map), prov (a trace as PROV-JSON, or PROV-N "
            "for .provn), graphml or node-link (a trace, or the ecosystem with no interaction), "
            "schema (the JSON Schema of tracer/1), ropa (a record of processing, GDPR Art. 30, "
            "as .csv or .xlsx; CSV on stdout without -o), dpv (the model, and a trace when an "
            "interaction is named, in the W3C Data Privacy Vocabulary as JSON-LD).",
            metavar="FORMAT",
            show_default=False,
            click_type=_FormatChoice([f.value for f in ExportFormat]),
        ),
    ],
    interaction: Annotated[
        str | None,
        typer.Argument(
            help="Interaction to trace (prov needs one; graphml, node-link and dpv take one).",
            metavar="INTERACTION",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (ropa: CSV on stdout without it).", dir_okay=False
        ),
    ] = None,
    delete: DeleteOption = None,
    at: AtOption = None,
    party: PartyOption = None,
    retention: RetentionOption = None,
    confidence: ConfidenceOption = None,
    model: ModelOption = None,
) -> None:
    """Write the model, or one interaction's trace, in another tool's format; --party,
    --retention and --confidence keep only part of it.

    Example: tracer export prov dominos-order --delete delete-recording -o order.prov.json
    """
    fmt = ExportFormat(fmt)
    if fmt is ExportFormat.prov and interaction is None:
        raise typer.BadParameter("prov exports a trace: name the interaction", param_hint="FORMAT")
    if output is None and fmt is not ExportFormat.ropa:
        raise typer.BadParameter(f"{fmt.value} needs a file to write: -o FILE", param_hint="-o")
    if interaction is not None and fmt in (
        ExportFormat.fides,
        ExportFormat.schema,
        ExportFormat.ropa,
    ):
        raise typer.BadParameter(
            f"{fmt.value} exports the whole model: leave out {interaction!r}",
            param_hint="INTERACTION",
        )
    with _user_errors():
        from tracer.interop import export  # here: only this command needs prov and networkx
        from tracer.interop.selection import selection_of

        selection = selection_of(party, retention, confidence)
        m = None if fmt is ExportFormat.schema else tracer.load_model(model)
        if output is None:  # ropa: the CSV on stdout
            from tracer.interop.ropa import ropa_csv, ropa_rows

            sys.stdout.write(ropa_csv(ropa_rows(m, selection)))
            return
        written = export(
            fmt.value,
            output,
            model=m,
            interaction=interaction,
            deletions=delete or (),
            at=at,
            protect=model,
            selection=selection,
        )
        _say(f"wrote {written}")
