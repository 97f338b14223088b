"""``tracer demo``: trace every shipped interaction after ``delete-recording`` and write what a
newcomer should see first, into one folder.

The folder gets ``ecosystem.*`` (the whole model), for each interaction ``traces/<id>.json`` and
``diagrams/<id>.*`` (.mmd always; .svg when Graphviz is installed), and ``report.html`` on the
purchase interactions (those tagged ``purchase`` or ``amazon-purchase``), and ``ledger/`` (a
ledger of a synthetic log) with its ``ledger-summary.md``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .ledger.report import write_demo_ledger
from .model import Model
from .model.loading import default_model_path, load_model
from .render import (
    check_target,
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
    files: tuple[Path, ...]  # every file written, in order
    notes: tuple[str, ...]
    summary: str
    replaced: tuple[Path, ...] = ()  # those of ``files`` that existed before and were replaced


def purchases(model: Model) -> list[str]:
    """The interactions that buy something (tagged ``purchase`` or ``amazon-purchase``), sorted.

    >>> from tracer import load_model
    >>> purchases(load_model())  # doctest: +NORMALIZE_WHITESPACE
    ['amazon-pay-purchase', 'dominos-order', 'fresh-order', 'in-skill-purchase',
     'lyft-ride', 'music-unlimited', 'uber-ride']
    """
    return [
        key
        for key, spec in sorted(model.interactions.items())
        if {"purchase", "amazon-purchase"} & set(spec.tags)
    ]


def write_demo(
    directory: str | Path, model_path: str | Path | None = None, *, mkdir: bool = False
) -> DemoResult:
    """Write the demo of the model at ``model_path`` (default: the shipped one) into
    ``directory``, which is created if missing (its parent too only when ``mkdir``).

    Refuses a ``directory`` that holds the model, so no output can ever replace it; the result
    says which files were written and which of them replaced an existing file.
    """
    directory = Path(directory)
    model_file = Path(model_path) if model_path is not None else default_model_path()
    _refuse_the_models_folder(directory, model_file)
    check_target(directory, protect=model_file, mkdir=mkdir)  # its parent must exist
    model = load_model(model_file)
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
    replaced: list[Path] = []

    def write(path: Path, data: bytes | None = None, **diagram: str) -> None:
        existed = path.exists()
        # the demo makes its own folders (traces/, diagrams/) inside the one it was given
        if data is None:
            written = write_diagram(path, protect=model_file, mkdir=True, **diagram)
        else:
            written = write_atomically(path, data, protect=model_file, mkdir=True)
        files.append(written)
        if existed:
            replaced.append(written)

    def diagrams(stem: Path, dot: str, mermaid: str) -> None:
        for suffix in (".mmd", ".svg" if drawable else ".dot"):
            write(stem.with_name(stem.name + suffix), dot=dot, mermaid=mermaid)

    diagrams(directory / "ecosystem", ecosystem_dot(model), ecosystem_mermaid(model))
    for interaction in sorted(model.interactions):
        result = trace(model, interaction, requests)
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
        write(directory / "traces" / f"{interaction}.json", text.encode())
        diagrams(
            directory / "diagrams" / interaction,
            trace_dot(model, result),
            trace_mermaid(model, result),
        )
    if purchases(model):
        report = directory / "report.html"
        existed = report.exists()
        files.append(
            write_report(model, report, purchases(model), requests, protect=model_file, mkdir=True)
        )
        if existed:
            replaced.append(report)
    existed = (directory / "ledger-summary.md").exists()
    files.append(write_demo_ledger(directory, model_file))  # a year of synthetic users
    if existed:
        replaced.append(files[-1])
    featured = "dominos-order" if "dominos-order" in model.interactions else min(model.interactions)
    headline = summary(trace(model, featured, requests))
    return DemoResult(tuple(files), notes, f"{model.name}, {featured}: {headline}", tuple(replaced))


def _refuse_the_models_folder(directory: Path, model_file: Path) -> None:
    """The demo writes many files under ``directory``: none may be near the model."""
    folder = os.path.realpath(directory)
    model = os.path.realpath(model_file)
    if os.path.commonpath([folder, model]) == folder:
        raise OutputError(
            f"refusing to write the demo into {directory}: it holds the model {model_file}; "
            "choose another folder"
        )
