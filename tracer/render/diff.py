"""Drawing what differs between two models' traces of one interaction: model B's trace with each
changed copy marked (``CHANGED``/``NEW``, a double border and a thick outline) and each copy gone
from model A drawn dashed (``GONE``), in DOT and Mermaid, so the change reads without colour. The
comparison itself is :func:`tracer.diff.compare_trace`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..diff import compare_trace
from ..model import Model
from ..tracing import Request
from .dot import _label, _text, trace_dot
from .mermaid import mermaid_text, trace_mermaid
from .output import write_diagram
from .style import short_id

__all__ = ["diff_dot", "diff_mermaid", "draw_diff"]


def diff_dot(
    a: Model,
    b: Model,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
) -> str:
    """Model B's trace of ``interaction`` as DOT, each changed copy marked by a double border, a
    thick outline and a ``CHANGED``/``NEW`` line naming the change, and each copy gone from A
    drawn as a dashed ``GONE`` node: the change reads without colour.

    >>> import tracer
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> text = diff_dot(model, what_if, "weather", ["delete-recording"])
    >>> text.count("CHANGED: may_remain -&gt; deleted")
    3
    """
    result, item = compare_trace(a, b, interaction, deletions, at=at)
    lines = []
    for change in item.changes:
        copy = change.why
        record = (b if change.after else a).records[copy.record].name
        if change.after is None:
            word, extra = "GONE", 'style="dashed,rounded" color="#555555"'
            node = f"gone_{short_id('c', copy.id)}"
        else:
            word = "NEW" if change.before is None else "CHANGED"
            extra = 'peripheries=2 penwidth=3 color="#000000"'
            node = short_id("c", copy.id)
        label = _label(
            f"<b>{word}: {_text(change.change)}</b>",
            f"<b>{_text(record)}</b>",
            _text(f"{copy.holder} ({copy.party})"),
        )
        lines.append(f"\t{node} [label={label} shape=box {extra}]")
    title = _label(
        f"<b>{_text(f'{interaction}: {a.name} -> {b.name}')}</b>",
        _text(f"{len(item.changes)} changed copies, marked CHANGED, NEW or GONE"),
    )
    lines.append(f"\tlabel={title}")
    source = trace_dot(b, result).rstrip()
    return source.removesuffix("}").rstrip("\n") + "\n" + "\n".join(lines) + "\n}\n"


def diff_mermaid(
    a: Model,
    b: Model,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
) -> str:
    """Model B's trace as Mermaid, changed copies with a thick border and a ``CHANGED``/``NEW``
    line, copies gone from A as ``GONE`` nodes.

    >>> import tracer
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> diff_mermaid(model, what_if, "weather", ["delete-recording"]).count(":::changed")
    3
    """
    result, item = compare_trace(a, b, interaction, deletions, at=at)
    lines = [trace_mermaid(b, result).rstrip("\n")]
    for change in item.changes:
        copy = change.why
        record = (b if change.after else a).records[copy.record].name
        word = "GONE" if change.after is None else "NEW" if change.before is None else "CHANGED"
        node = ("gone_" if change.after is None else "") + short_id("c", copy.id)
        label = mermaid_text(f"{word}: {change.change}\n{record}\n{copy.holder} ({copy.party})")
        lines.append(f'  {node}["{label}"]:::changed')
    lines.append("  classDef changed stroke:#000,stroke-width:5px,stroke-dasharray:8 3")
    return "\n".join(lines) + "\n"


def draw_diff(
    a: Model,
    b: Model,
    path: str | Path,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
    protect: Path | None = None,
    mkdir: bool = False,
) -> Path:
    """Draw ``interaction`` in model B with the copies that differ from model A marked, into
    ``path`` (.svg .png .pdf .dot .mmd, by suffix).

    >>> import tracer, tempfile, pathlib
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "diff.dot"
    >>> draw_diff(model, what_if, out, "weather", ["delete-recording"]).name
    'diff.dot'
    """
    deletions = list(deletions)
    return write_diagram(
        path,
        dot=diff_dot(a, b, interaction, deletions, at=at),
        mermaid=diff_mermaid(a, b, interaction, deletions, at=at),
        protect=protect,
        mkdir=mkdir,
    )
