"""``tracer demo``: trace every shipped interaction after ``delete-recording`` and write what a
newcomer should see first, into one folder.

The folder gets ``ecosystem.*`` (the whole model), for each interaction ``traces/<id>.json`` and
``diagrams/<id>.*`` (.mmd always; .svg when Graphviz is installed), and ``report.html`` on the
purchase interactions (those tagged ``purchase`` or ``amazon-purchase``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .loading import load_model
from .render import draw, graphviz_available, write_atomically, write_report
from .summary import summary
from .tracing import trace

__all__ = ["DemoResult", "write_demo"]

DEMO_REQUEST = "delete-recording"


@dataclass(frozen=True)
class DemoResult:
    files: tuple[Path, ...]
    notes: tuple[str, ...]
    summary: str


def write_demo(directory: str | Path, model_path: str | Path | None = None) -> DemoResult:
    """Write the demo into ``directory`` (created if missing); the files written, in order."""
    directory = Path(directory)
    model = load_model(model_path)
    suffixes = [".mmd", ".svg"] if graphviz_available() else [".mmd", ".dot"]
    notes = (
        ()
        if graphviz_available()
        else (
            "Graphviz's dot is not installed: diagrams written as .mmd and .dot only "
            "(apt-get install graphviz for .svg)",
        )
    )
    requests = [DEMO_REQUEST] if DEMO_REQUEST in model.deletions else []
    files: list[Path] = []
    for suffix in suffixes:
        files.append(draw(model, directory / f"ecosystem{suffix}"))
    for interaction in sorted(model.interactions):
        result = trace(model, interaction, requests)
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
        files.append(write_atomically(directory / "traces" / f"{interaction}.json", text.encode()))
        for suffix in suffixes:
            files.append(
                draw(
                    model, directory / "diagrams" / f"{interaction}{suffix}", interaction, requests
                )
            )
    purchases = [
        key
        for key, i in sorted(model.interactions.items())
        if {"purchase", "amazon-purchase"} & set(i.tags)
    ]
    if purchases:
        files.append(write_report(model, directory / "report.html", purchases, requests))
    featured = "dominos-order" if "dominos-order" in model.interactions else min(model.interactions)
    headline = summary(trace(model, featured, requests))
    return DemoResult(tuple(files), notes, f"{model.name}, {featured}: {headline}")
