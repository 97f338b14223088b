"""Mermaid flowcharts for the ecosystem and for a trace: text that GitHub draws in Markdown.

Node and subgraph ids are derived from model ids; every label is quoted and escaped with
Mermaid's entity codes (``#quot;``, ``#lt;``...), so no name can break out of its label.

>>> print(mermaid_text('say "hi" <b> | {x}'))
say #quot;hi#quot; #lt;b#gt; #124; #123;x#125;
"""

from __future__ import annotations

from ..model import Model
from ..text import printable
from ..tracing import Trace
from .overview import edge_text, plan_overview
from .style import CONFIDENCE_LINE, STATUS_LOOK, short_id
from .traceview import caption, grouped_copies, trace_steps

__all__ = ["ecosystem_mermaid", "mermaid_text", "trace_mermaid"]

_ENTITIES = {
    "&": "#amp;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "#": "#35;",
    "|": "#124;",
    "{": "#123;",
    "}": "#125;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "`": "#96;",
    "\\": "#92;",
}


def mermaid_text(value: str) -> str:
    """Text for inside a quoted Mermaid label: special characters as entity codes, line breaks
    (``\\r`` too) as ``<br/>``, control characters replaced."""
    lines = printable(value).split("\n")
    return "<br/>".join("".join(_ENTITIES.get(ch, ch) for ch in line) for line in lines)


def _class_defs() -> list[str]:
    lines = []
    for status, look in STATUS_LOOK.items():
        dash = f",stroke-dasharray:{look.dash}" if look.dash else ""
        lines.append(
            f"  classDef {status} fill:{look.fill},color:{look.font},stroke:#333,"
            f"stroke-width:{look.pen}px{dash}"
        )
    return lines


def trace_mermaid(model: Model, result: Trace) -> str:
    """A trace as a Mermaid flowchart: copies in holder and party subgraphs, classed by status."""
    lines = ["flowchart LR"]
    for party, holders in grouped_copies(result):
        name = mermaid_text(model.parties[party].name)
        lines.append(f'  subgraph {short_id("p", party)}["{name}"]')
        for holder, copies in holders:
            name = mermaid_text(model.holders[holder].name)
            lines.append(f'    subgraph {short_id("h", holder)}["{name}"]')
            for copy in copies:
                label = mermaid_text(f"{model.records[copy.record].name}\n{caption(copy)}")
                lines.append(f'      {short_id("c", copy.id)}["{label}"]:::{copy.status}')
            lines.append("    end")
        lines.append("  end")
    link_styles = []
    for number, step in enumerate(trace_steps(model, result)):
        confidence = step.rule.confidence
        solid = CONFIDENCE_LINE.get(confidence, ("solid", ""))[0] == "solid"
        arrow = "==>" if confidence == "alleged" else "-->" if solid else "-.->"
        label = mermaid_text(step.label)
        lines.append(
            f'  {short_id("c", step.source)} {arrow}|"{label}"| {short_id("c", step.target)}'
        )
        if step.derived:
            link_styles.append(number)
    lines += _class_defs()
    if link_styles:
        lines.append(f"  linkStyle {','.join(map(str, link_styles))} stroke:#777")
    return "\n".join(lines) + "\n"


def ecosystem_mermaid(model: Model, *, focus: str | None = None, collapse: str = "auto") -> str:
    """The whole model (or the part around ``focus``) as a Mermaid flowchart: holders in party
    subgraphs, collapsed groups as double-bordered nodes, flows with their records."""
    shape = {
        "device": ('[/"', '"/]'),
        "service": ('["', '"]'),
        "store": ('[("', '")]'),
        "people": ('(["', '"])'),
        "group": ('[["', '"]]'),
    }
    plan = plan_overview(model, focus=focus, collapse=collapse)
    lines = ["flowchart LR"]

    def node_line(node, indent: str) -> str:
        opening, closing = shape[node.kind]
        text = mermaid_text("\n".join((node.title, *node.lines)))
        return f"{indent}{node.name}{opening}{text}{closing}"

    for party, nodes in plan.by_cluster():
        lines.append(f'  subgraph {short_id("p", party)}["{mermaid_text(plan.clusters[party])}"]')
        lines += [node_line(node, "    ") for node in nodes]
        lines.append("  end")
    lines += [node_line(node, "  ") for node in plan.nodes if node.cluster is None]
    for edge in plan.edges:
        arrow = "-.->" if edge.when else "-->"
        lines.append(f'  {edge.source} {arrow}|"{mermaid_text(edge_text(edge))}"| {edge.target}')
    return "\n".join(lines) + "\n"
