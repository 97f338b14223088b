"""A trace diagram a reader can take in at once: one box per party, its copies counted by
status, opened into its holders and copies only when asked.

The full trace diagram (:func:`tracer.trace_dot`) draws every copy; a few dozen copies with
labelled edges make a drawing too wide to read at any size a screen shows it whole. Here each
party is first a box ("Amazon: 9 may remain, 3 deleted, 4 transient"); ``expand`` opens chosen
parties (or ``"*"``, all) into the holders and copies they hold. Edges are bundled: one line per
pair of drawn boxes or copies, with no label (the line style still says how sure the least sure
rule on it is; its tooltip names the flows). ``hide`` leaves out copies by status, party or
confidence (``status:transient``, ``party:ad_partners``, ``confidence:assumed``). The legend is
not drawn: the page shows it beside the drawing.

>>> import tracer
>>> model = tracer.load_model()
>>> result = tracer.trace(model, "dominos-order", ["delete-recording"])
>>> plan = plan_collapsed(model, result)
>>> sorted(plan.boxes)[:2], plan.boxes["amazon"]
(['ad_partners', 'amazon'], {'may_remain': 10, 'deleted': 3, 'transient': 6})
>>> text = collapsed_dot(model, result, expand=["dominos"])
>>> text.startswith("digraph trace {") and "label=<" in text and "->" in text
True
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import graphviz

from ..model import Model
from ..tracing import STATUSES, SURENESS, Copy, Trace
from .dot import FONT, _edge_look, _label, _status_look, _text
from .style import STATUS_LOOK, short_id
from .traceview import caption, trace_steps

__all__ = ["CollapsedPlan", "collapsed_dot", "hidden", "plan_collapsed"]

HIDE_KINDS = ("status", "party", "confidence")


def hidden(copy: Copy, hide: Collection[str]) -> bool:
    """Whether ``hide`` (``status:transient``, ``party:ad_partners``, ``confidence:assumed``)
    leaves ``copy`` out of the drawing.

    >>> import tracer
    >>> copy = tracer.trace(tracer.load_model(), "weather").copy("echo/voice_recording")
    >>> hidden(copy, ["status:transient"]), hidden(copy, ["party:amazon"])
    (True, False)
    """
    return (
        f"status:{copy.status}" in hide
        or f"party:{copy.party}" in hide
        or f"confidence:{copy.confidence}" in hide
    )


@dataclass(frozen=True)
class CollapsedPlan:
    """What is drawn: each collapsed party's counts by status, the copies of expanded parties,
    the drawn node each shown copy is in, and the bundled edges between drawn nodes."""

    boxes: dict[str, dict[str, int]]  # collapsed party -> status -> count (drawing order)
    expanded: dict[str, dict[str, list[Copy]]]  # party -> holder -> copies
    placed: dict[str, str]  # copy id -> drawn node name
    edges: dict[tuple[str, str], list] = field(default_factory=dict)  # (node, node) -> steps
    parties: dict[str, str] = field(default_factory=dict)  # drawn node name -> party id


def plan_collapsed(
    model: Model,
    result: Trace,
    *,
    expand: Iterable[str] = (),
    hide: Collection[str] = (),
) -> CollapsedPlan:
    """The boxes, copies and bundled edges :func:`collapsed_dot` draws."""
    expand = set(expand)
    shown = [c for c in result.copies if not hidden(c, hide)]
    opened = {c.party for c in shown} if "*" in expand else expand
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    expanded: dict[str, dict[str, list[Copy]]] = defaultdict(lambda: defaultdict(list))
    placed: dict[str, str] = {}
    parties: dict[str, str] = {}
    for copy in sorted(shown, key=lambda c: c.id):
        if copy.party in opened:
            expanded[copy.party][copy.holder].append(copy)
            placed[copy.id] = short_id("c", copy.id)
        else:
            counts[copy.party][copy.status] += 1
            placed[copy.id] = short_id("p", copy.party)
            parties[placed[copy.id]] = copy.party
    boxes = {
        party: {status: counted[status] for status in STATUSES if counted[status]}
        for party, counted in sorted(counts.items())
    }
    edges: dict[tuple[str, str], list] = defaultdict(list)
    for step in trace_steps(model, result):
        source, target = placed.get(step.source), placed.get(step.target)
        if source and target and source != target:
            edges[(source, target)].append(step)
    return CollapsedPlan(
        boxes,
        {party: dict(sorted(holders.items())) for party, holders in sorted(expanded.items())},
        placed,
        dict(sorted(edges.items())),
        parties,
    )


def _box_label(name: str, counts: dict[str, int]) -> str:
    """A party's box: its name (wrapped: a long one would make a wide box), then one coloured
    line per status with its count."""
    lines = "<br/>".join(_text(line) for line in textwrap.wrap(name, 28) or [""])
    rows = [f'<tr><td align="left"><b>{lines}</b></td></tr>']
    for status, count in counts.items():
        look = STATUS_LOOK[status]
        rows.append(
            f'<tr><td align="left" bgcolor="{look.fill}" border="1" color="#000000">'
            f'<font color="{look.font}">{count} {_text(look.word)}</font></td></tr>'
        )
    return (
        '<<table border="0" cellborder="0" cellspacing="3" cellpadding="3">'
        + "".join(rows)
        + "</table>>"
    )


def collapsed_dot(
    model: Model,
    result: Trace,
    *,
    expand: Iterable[str] = (),
    hide: Collection[str] = (),
) -> str:
    """The trace as DOT, each party a box of counts unless ``expand`` opens it (see the module
    docstring); left to right from the user's device, no legend, no edge labels."""
    plan = plan_collapsed(model, result, expand=expand, hide=hide)
    graph = graphviz.Digraph("trace")
    graph.attr(rankdir="LR", fontname=FONT, nodesep="0.3", ranksep="0.7")
    graph.attr("node", fontname=FONT, fontsize="12")
    graph.attr("edge", color="#333333", arrowsize="0.8")
    for party, counts in plan.boxes.items():
        name = model.parties[party].name
        words = ", ".join(f"{n} {STATUS_LOOK[s].word}" for s, n in counts.items())
        graph.node(
            short_id("p", party),
            _box_label(name, counts),
            shape="box",
            style="rounded,filled",
            fillcolor="#FFFFFF",
            color="#333333",
            penwidth="1.5",
            tooltip=f"{name}: {words}. Open it to see its holders and copies.",
        )
    for party, holders in plan.expanded.items():
        with graph.subgraph(name=f"cluster_{short_id('p', party)}") as cluster:
            cluster.attr(
                label=_label(f"<b>{_text(model.parties[party].name)}</b>"),
                style="rounded",
                color="#555555",
                fontsize="13",
            )
            for holder, copies in holders.items():
                spec = model.holders[holder]
                with cluster.subgraph(name=f"cluster_{short_id('h', holder)}") as box:
                    box.attr(
                        label=_label(f"{_text(spec.name)}&#160;<i>({_text(spec.kind)})</i>"),
                        style="rounded,filled",
                        fillcolor="#F7F7F7",
                        color="#767676",
                        fontsize="11",
                    )
                    for copy in copies:
                        box.node(
                            short_id("c", copy.id),
                            _label(
                                f"<b>{_text(model.records[copy.record].name)}</b>",
                                _text(caption(copy)),
                            ),
                            fontsize="11",
                            tooltip=f"{copy.id}: {STATUS_LOOK[copy.status].word} "
                            f"({copy.confidence})",
                            **_status_look(copy.status),
                        )
    # the user's own devices start the trace: an edge back to them must not pull them right
    users = {short_id("p", p) for p in plan.boxes if model.parties[p].role == "data_subject"} | {
        short_id("c", c.id)
        for p, holders in plan.expanded.items()
        if model.parties[p].role == "data_subject"
        for copies in holders.values()
        for c in copies
    }
    for (source, target), steps in plan.edges.items():
        weakest = max((s.rule.confidence for s in steps), key=SURENESS.index)
        look = _edge_look(weakest)
        flows = sorted({s.rule.key for s in steps})
        graph.edge(
            source,
            target,
            arrowhead="onormal" if all(s.derived for s in steps) else "normal",
            tooltip=f"{len(steps)} edge{'s' if len(steps) != 1 else ''}: {', '.join(flows)}",
            style=look["style"],
            constraint="false" if target in users else "true",
            penwidth=f"{float(look['penwidth']) + min(len(steps) - 1, 4) * 0.4:g}",
        )
    return graph.source
