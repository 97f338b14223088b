"""The retention timeline: for each stored copy, a bar from the interaction (day 0) to its end.

A bar ends where the copy was deleted or expired, or where its fixed retention period (``7y``)
will run out; a copy kept until deleted, forever or for an unknown time fades out to the right
with an arrow, so it never looks like a bar of known length. The axis is scaled to the data, in
days, months or years. Deletion requests are vertical lines. Pure SVG text, every string
escaped, so it can be inlined in a self-contained HTML report.

>>> import tracer
>>> model = tracer.load_model()
>>> svg = timeline_svg(tracer.trace(model, "weather", ["delete-recording@30d"]))
>>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "delete-recording" in svg
True
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ..model.durations import format_days, parse_duration
from ..model.text import printable
from ..tracing import Copy, Trace
from .style import STATUS_LOOK

__all__ = ["timeline_end", "timeline_rows", "timeline_svg"]

ROW, LABEL, WIDTH, TOP = 20, 400, 1100, 34
_LABEL_CHARS = 64  # what fits in LABEL points at 11 pt


def timeline_rows(result: Trace) -> list[Copy]:
    """The copies the timeline shows: every stored copy, those that remain first."""
    order = {"held": 0, "may_remain": 1, "deleted": 2, "expired": 3}
    stored = [copy for copy in result.copies if copy.status != "transient"]
    return sorted(stored, key=lambda c: (order[c.status], c.id))


def _retention_days(copy: Copy) -> int | None:
    """The day a copy's fixed retention period runs out, or None when it has none."""
    try:
        return parse_duration(copy.retention)
    except ValueError:  # until_deleted, forever, unknown, none
        return None


def timeline_end(copy: Copy) -> tuple[int | None, str]:
    """Where a copy's bar ends (None: open-ended) and the words beside it."""
    word = STATUS_LOOK[copy.status].word
    if copy.ended is not None:
        return copy.ended, f"{word} at {_when(copy.ended)}"
    days = _retention_days(copy)
    if days is not None:
        return days, f"{word} until {_when(days)}"
    kept = {"until_deleted": "until deleted", "forever": "forever"}.get(
        copy.retention, "for an unknown time"
    )
    return None, f"{word}: kept {kept}"


def _fade(copy: Copy) -> str:
    return "" if copy.retention in ("until_deleted", "forever") else "-unknown"


def _horizon(result: Trace, rows: list[Copy]) -> int:
    """The last day drawn: past the query time, the requests and every end a bar has, so a
    7-year rule gets an axis in years and a 30-day one in days."""
    days = [
        result.at,
        *(r.at for r in result.requests),
        *(end for end, _ in map(timeline_end, rows) if end is not None),
    ]
    return max(30, int(max(days) * 1.15) + 1)


def _ticks(horizon: int) -> list[tuple[int, str]]:
    """Round times along the axis, in days, months or years by the horizon."""
    candidates = [(1, "d", s) for s in (1, 2, 5, 7, 10, 15)]
    candidates += [(30, "mo", s) for s in (1, 2, 3, 6)]
    candidates += [(365, "y", m * 10**k) for k in range(20) for m in (1, 2, 5)]
    for unit, word, step in candidates:  # at most 7 ticks (0 to 6 steps), however long
        if horizon / (step * unit) <= 6:
            return [
                (n * unit, f"{n}{word}" if n else "0") for n in range(0, horizon // unit + 1, step)
            ]
    return [(0, "0"), (horizon, _when(horizon))]


def _when(days: int) -> str:
    """A time in the unit a reader would use: 7y, 18mo, 45d."""
    if days and days % 365 == 0:
        return f"{days // 365}y"
    if days and days % 30 == 0:
        return f"{days // 30}mo"
    return format_days(days)


def timeline_svg(result: Trace, *, names: Callable[[Copy], str] | None = None) -> str:
    """The timeline of ``result`` as one standalone SVG element, each row labelled by
    ``names(copy)`` ("Transcript at Voice History"; the copy's id when None), shortened to fit
    (the whole name and the id in the row's tooltip)."""
    rows = timeline_rows(result)
    horizon = _horizon(result, rows)
    plot = WIDTH - LABEL - 250  # room on the right for "may remain: kept for an unknown time"
    height = TOP + ROW * max(len(rows), 1) + 28

    def x(day: int) -> float:
        return LABEL + plot * min(day, horizon) / horizon

    def e(value: object) -> str:
        return html.escape(printable(value))

    # kept until deleted (or forever): solid, then fading where the axis ends; kept for an
    # unknown time: fading from early on, since nobody can say how long it stays
    fades = "".join(
        f'<linearGradient id="fade-{status}{suffix}"><stop offset="0" stop-color="{look.fill}"/>'
        f'<stop offset="{start}" stop-color="{look.fill}"/>'
        f'<stop offset="1" stop-color="{look.fill}" stop-opacity="0"/></linearGradient>'
        for status, look in STATUS_LOOK.items()
        for suffix, start in (("", "0.7"), ("-unknown", "0.15"))
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="Retention timeline" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        '<defs><marker id="open-end" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
        f"{fades}</defs>",
    ]
    # axis: the interaction, ticks in the unit the data calls for
    axis_y = TOP - 8
    parts.append(
        f'<line x1="{LABEL}" y1="{axis_y}" x2="{LABEL + plot}" y2="{axis_y}" stroke="#999"/>'
    )
    for tick, words in _ticks(horizon):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{axis_y - 3}" x2="{x(tick):.1f}" y2="{axis_y + 3}" '
            'stroke="#999"/>'
        )
        parts.append(
            f'<text x="{x(tick):.1f}" y="{axis_y - 6}" text-anchor="middle" '
            f'fill="#555">{e(words)}</text>'
        )
    for index, copy in enumerate(rows):
        y = TOP + index * ROW
        look = STATUS_LOOK[copy.status]
        end, caption = timeline_end(copy)
        name = names(copy) if names else copy.id
        shown = name if len(name) <= _LABEL_CHARS else name[: _LABEL_CHARS - 1].rstrip() + "…"
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 13}" text-anchor="end">{e(shown)}'
            f"<title>{e(name)} ({e(copy.id)})</title></text>"
        )
        tip = f"<title>{e(name)} ({e(copy.id)}): {e(caption)}; {e(copy.reason)}</title>"
        if end is not None:
            width = max(x(end) - x(0), 3)
            parts.append(
                f'<rect x="{x(0):.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 7}" '
                f'fill="{look.fill}" stroke="#333" stroke-width="{look.pen}">{tip}</rect>'
            )
            after = x(0) + width + 6
        else:
            # open-ended: the bar fades out and an arrow says it goes on
            width = x(horizon) - x(0)
            parts.append(
                f'<rect x="{x(0):.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 7}" '
                f'fill="url(#fade-{copy.status}{_fade(copy)})">{tip}</rect>'
            )
            parts.append(
                f'<line x1="{x(0):.1f}" y1="{y + 3}" x2="{x(0):.1f}" y2="{y + ROW - 4}" '
                f'stroke="#333" stroke-width="{look.pen}"/>'
            )
            parts.append(
                f'<line x1="{x(horizon) - 30:.1f}" y1="{y + 9.5}" x2="{x(horizon) + 10:.1f}" '
                f'y2="{y + 9.5}" stroke="#333" marker-end="url(#open-end)"/>'
            )
            after = x(horizon) + 16
        parts.append(f'<text x="{after:.1f}" y="{y + 13}" fill="#333">{e(caption)}</text>')
    bottom = TOP + ROW * max(len(rows), 1)
    for request in result.requests:
        rx = x(request.at)
        parts.append(
            f'<line x1="{rx:.1f}" y1="{TOP - 4}" x2="{rx:.1f}" y2="{bottom}" '
            'stroke="#0072B2" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{rx + 3:.1f}" y="{bottom + 14}" fill="#0072B2">'
            f"{e(request.id)} at {e(_when(request.at))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
