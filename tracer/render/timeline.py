"""The retention timeline: for each stored copy, a bar from the interaction (day 0) to its end.

A bar ends where the copy was deleted or expired; a copy still held, or that may remain, runs off
the right edge with an arrow. Deletion requests are vertical lines. Pure SVG text, every string
escaped, so it can be inlined in a self-contained HTML report.

>>> import tracer
>>> model = tracer.load_model()
>>> svg = timeline_svg(tracer.trace(model, "weather", ["delete-recording@30d"]))
>>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "delete-recording" in svg
True
"""

from __future__ import annotations

import html

from ..durations import format_days
from ..text import printable
from ..tracing import Copy, Trace
from .style import STATUS_LOOK

__all__ = ["timeline_rows", "timeline_svg"]

ROW, LABEL, WIDTH, TOP = 20, 300, 900, 34


def timeline_rows(result: Trace) -> list[Copy]:
    """The copies the timeline shows: every stored copy, those that remain first."""
    order = {"held": 0, "may_remain": 1, "deleted": 2, "expired": 3}
    stored = [copy for copy in result.copies if copy.status != "transient"]
    return sorted(stored, key=lambda c: (order[c.status], c.id))


def _horizon(result: Trace, rows: list[Copy]) -> int:
    """The last day drawn: past the query time, the requests and every end that is not far off."""
    days = [
        result.at,
        *(r.at for r in result.requests),
        *(c.ended for c in rows if c.ended is not None),
    ]
    return max(30, int(max(days) * 1.25) + 1)


def _ticks(horizon: int) -> list[int]:
    """Round day counts along the axis, at most 7 whatever the range: multiples of a step from
    1d up to a year, then of 2, 5 or 10 times ten years as far as needed.

    >>> _ticks(60), len(_ticks(365_000)), len(_ticks(10**15))
    ([0, 10, 20, 30, 40, 50, 60], 6, 6)
    """
    steps = (1, 2, 5, 7, 10, 15, 30, 60, 90, 180, 365, 730, 1825)
    step = next((s for s in steps if horizon / s <= 6), None)
    decade = 3650
    while step is None:
        step = next((decade * m for m in (1, 2, 5) if horizon / (decade * m) <= 6), None)
        decade *= 10
    return list(range(0, horizon + 1, step))


def timeline_svg(result: Trace) -> str:
    """The timeline of ``result`` as one standalone SVG element."""
    rows = timeline_rows(result)
    horizon = _horizon(result, rows)
    plot = WIDTH - LABEL - 120  # room on the right for "may remain", "deleted at 90d"
    height = TOP + ROW * max(len(rows), 1) + 28

    def x(day: int) -> float:
        return LABEL + plot * min(day, horizon) / horizon

    def e(value: object) -> str:
        return html.escape(printable(value))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="Retention timeline" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        '<defs><marker id="open-end" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
    ]
    # axis: the interaction, a few ticks, the query time
    axis_y = TOP - 8
    parts.append(
        f'<line x1="{LABEL}" y1="{axis_y}" x2="{LABEL + plot}" y2="{axis_y}" stroke="#999"/>'
    )
    for tick in _ticks(horizon):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{axis_y - 6}" text-anchor="middle" '
            f'fill="#555">{e(format_days(tick))}</text>'
        )
    for index, copy in enumerate(rows):
        y = TOP + index * ROW
        look = STATUS_LOOK[copy.status]
        parts.append(f'<text x="{LABEL - 8}" y="{y + 13}" text-anchor="end">{e(copy.id)}</text>')
        end = copy.ended if copy.ended is not None else horizon
        width = max(x(end) - x(0), 3)
        dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
        parts.append(
            f'<rect x="{x(0):.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 7}" '
            f'fill="{look.fill}" stroke="#333" stroke-width="{look.pen}"{dash}>'
            f"<title>{e(copy.id)}: {e(look.word)}; {e(copy.reason)}</title></rect>"
        )
        if copy.ended is None:
            parts.append(
                f'<line x1="{x(end) - 2:.1f}" y1="{y + 9.5}" x2="{x(end) + 12:.1f}" '
                f'y2="{y + 9.5}" stroke="#333" marker-end="url(#open-end)"/>'
            )
        caption = look.word if copy.ended is None else f"{look.word} at {format_days(copy.ended)}"
        parts.append(
            f'<text x="{x(0) + width + (18 if copy.ended is None else 6):.1f}" '
            f'y="{y + 13}" fill="#333">{e(caption)}</text>'
        )
    bottom = TOP + ROW * max(len(rows), 1)
    for request in result.requests:
        rx = x(request.at)
        parts.append(
            f'<line x1="{rx:.1f}" y1="{TOP - 4}" x2="{rx:.1f}" y2="{bottom}" '
            'stroke="#0072B2" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{rx + 3:.1f}" y="{bottom + 14}" fill="#0072B2">'
            f"{e(request.id)} at {e(format_days(request.at))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
