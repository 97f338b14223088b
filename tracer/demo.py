"""``tracer demo``: trace every shipped interaction after ``delete-recording`` and write what a
newcomer should see first, into one folder.

The folder gets ``ecosystem.*`` (the whole model), for each interaction ``traces/<id>.json`` and
``diagrams/<id>.*`` (.mmd always; .svg when Graphviz is installed), and ``report.html`` on the
purchase interactions (those tagged ``purchase`` or ``amazon-purchase``), and ``ledger/`` (a
ledger of a synthetic log) with its ``ledger-summary.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .ledger.report import write_demo_ledger
from .loading import load_model
from .model import Model
from .render import (
    ecosystem_dot,
    ecosystem_mermaid,
    graphviz_available,
    trace_dot,
    trace_mermaid,
    write_atomically,
    write_diagram,
    write_report,
)
from .summary import summary
from .tracing import trace

__all__ = ["DemoResult", "purchases", "write_demo"]

DEMO_REQUEST = "delete-recording"


@dataclass(frozen=True)
class DemoResult:
    files: tuple[Path, ...]
    notes: tuple[str, ...]
    summary: str


def purchases(model: Model) -> list[str]:
    """The interactions that buy something (tagged ``purchase`` or ``amazon-purchase``), sorted.

    >>> from tracer import load_model
    >>> purchases(load_model())  # doctest: +NORMALIZE_WHITESPACE
    ['dominos-order', 'fresh-order', 'in-skill-purchase', 'lyft-ride',
     'music-unlimited', 'uber-ride']
    """
    return [
        key
        for key, spec in sorted(model.interactions.items())
        if {"purchase", "amazon-purchase"} & set(spec.tags)
    ]


def write_demo(directory: str | Path, model_path: str | Path | None = None) -> DemoResult:
    """Write the demo into ``directory`` (created if missing); the files written, in order."""
    directory = Path(directory)
    model = load_model(model_path)
    drawable = graphviz_available()
    notes = (
        ()
        if drawable
        else (
            "Graphviz's dot is not installed: diagrams written as .mmd and .dot only "
            "(apt-get install graphviz for .svg)",
        )
    )
    requests = [DEMO_REQUEST] if DEMO_REQUEST in model.deletions else []
    files: list[Path] = []

    def diagrams(stem: Path, dot: str, mermaid: str) -> None:
        for suffix in (".mmd", ".svg" if drawable else ".dot"):
            files.append(
                write_diagram(stem.with_name(stem.name + suffix), dot=dot, mermaid=mermaid)
            )

    diagrams(directory / "ecosystem", ecosystem_dot(model), ecosystem_mermaid(model))
    for interaction in sorted(model.interactions):
        result = trace(model, interaction, requests)
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
        files.append(write_atomically(directory / "traces" / f"{interaction}.json", text.encode()))
        diagrams(
            directory / "diagrams" / interaction,
            trace_dot(model, result),
            trace_mermaid(model, result),
        )
    if purchases(model):
        files.append(write_report(model, directory / "report.html", purchases(model), requests))
    files.append(write_demo_ledger(directory, model_path))  # a year of synthetic users, at scale
    featured = "dominos-order" if "dominos-order" in model.interactions else min(model.interactions)
    headline = summary(trace(model, featured, requests))
    return DemoResult(tuple(files), notes, f"{model.name}, {featured}: {headline}")
