"""A ledger as Markdown: what the demo writes to ``ledger-summary.md``.

>>> import tempfile, pathlib
>>> from tracer.ledger import build, open_ledger, write_synthetic_log
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> log = write_synthetic_log(folder, users=3, events=60, seed=2)
>>> _ = build(log.events, log.requests, output=folder / "l.duckdb")
>>> with open_ledger(folder / "l.duckdb") as ledger:
...     summary_markdown(ledger).splitlines()[0]
'# Ledger: Amazon Alexa (2019)'
"""

from __future__ import annotations

from pathlib import Path

from tracer.model import Model
from tracer.model.loading import default_model_path
from tracer.render.output import write_atomically

from .build import build
from .queries import summary
from .store import Ledger, open_ledger
from .synth import write_synthetic_log

__all__ = ["summary_markdown", "write_demo_ledger"]

SHOWN = ("held", "may_remain", "deleted", "expired")


def summary_markdown(ledger: Ledger) -> str:
    """Counts of stored copies by party and record (transient ones left out), largest first."""
    answer = summary(ledger)
    table: dict[tuple[str, str], dict[str, int]] = {}
    for row in answer["rows"]:
        if row["status"] in SHOWN:
            table.setdefault((row["party"], row["record"]), {})[row["status"]] = row["copies"]
    lines = [
        f"# Ledger: {answer['model']}",
        "",
        f"{answer['events']:,} events of {answer['users']:,} users, at {answer['at']} "
        f"({answer['skipped']:,} bad rows skipped). Copies of their records, by party and "
        "record (transient copies, never stored, left out):",
        "",
        "| party | record | held | may remain | deleted | expired |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (party, record), counts in sorted(table.items()):
        cells = " | ".join(f"{counts.get(status, 0):,}" for status in SHOWN)
        lines.append(f"| {party} | {record} | {cells} |")
    remaining = sorted(
        ((counts.get("may_remain", 0), party, record) for (party, record), counts in table.items()),
        reverse=True,
    )[:3]
    lines += ["", "Most copies that may remain:", ""]
    lines += [f"- {n:,} {record} copies at {party}" for n, party, record in remaining if n]
    return "\n".join(lines) + "\n"


def write_demo_ledger(
    directory: str | Path,
    model: Model | str | Path | None = None,
    *,
    users: int = 100,
    events: int = 10_000,
) -> Path:
    """Build a ledger of a small synthetic log in ``directory/ledger/`` and write
    ``directory/ledger-summary.md``; the summary's path."""
    directory = Path(directory)
    log = write_synthetic_log(directory / "ledger", users=users, events=events, seed=1, model=model)
    output = directory / "ledger" / "ledger.duckdb"
    build(log.events, log.requests, model=model, output=output)
    with open_ledger(output) as ledger:
        text = summary_markdown(ledger)
    protect = default_model_path() if model is None or isinstance(model, Model) else Path(model)
    return write_atomically(directory / "ledger-summary.md", text.encode("utf-8"), protect=protect)
