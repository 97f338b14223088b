"""Mermaid flowcharts for the ecosystem and for a trace: text that GitHub draws in Markdown.

Node and subgraph ids are derived from model ids; every label is quoted and escaped with
Mermaid's entity codes (``#quot;``, ``#lt;``...), so no name can break out of its label.

>>> print(mermaid_text('say "hi" <b> | {x}'))
say #quot;hi#quot; #lt;b#gt; #124; #123;x#125;
"""

from __future__ import annotations

from ..model import Model
from ..model.text import printable
from ..tracing import Trace
from .overview import edge_text, plan_overview
from .style import (
    CONDITIONAL_COLOUR,
    CONDITIONAL_WORDS,
    CONFIDENCE_LINE,
    KIND_WORDS,
    LEGEND_LINES,
    STATUS_LOOK,
    short_id,
)
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


# the ecosystem's holder kinds, in Mermaid's shapes (the DOT overview uses Graphviz's own)
KIND_SHAPE = {
    "device": ('[/"', '"/]'),
    "service": ('["', '"]'),
    "store": ('[("', '")]'),
    "people": ('(["', '"])'),
    "group": ('[["', '"]]'),
}


def mermaid_text(value: str) -> str:
    """Text for inside a quoted Mermaid label: special characters as entity codes, line breaks
    (``\\r`` too) as ``<br/>``, control characters replaced."""
    lines = printable(value).split("\n")
    return "<br/>".join("".join(_ENTITIES.get(ch, ch) for ch in line) for line in lines)


def _class_defs() -> list[str]:
    # borders never dashed: a line style means confidence (see tracer.render.style)
    return [
        f"  classDef {status} fill:{look.fill},color:{look.font},stroke:#333,"
        f"stroke-width:{look.pen}px"
        for status, look in STATUS_LOOK.items()
    ]


def _link_style(index: int, confidence: str, colour: str = "#333") -> str:
    line = CONFIDENCE_LINE.get(confidence, CONFIDENCE_LINE["unknown"])
    dash = f",stroke-dasharray:{line.dash}" if line.dash else ""
    return f"  linkStyle {index} stroke:{colour},stroke-width:{line.width:g}px{dash}"


def _copy_node(name: str, text: str, status: str) -> str:
    opening, closing = STATUS_LOOK[status].mermaid
    return f"{name}{opening}{mermaid_text(text)}{closing}:::{status}"


def _trace_legend(links: int) -> tuple[list[str], list[str]]:
    """A legend subgraph: each status in its shape and fill, each line style on a sample link,
    and a note on arrowheads, step numbers and deletion. Returns its lines and link styles."""
    lines = ['  subgraph legend["Legend"]', "    direction TB"]
    for status, look in STATUS_LOOK.items():
        text = f"{look.word}: {look.meaning}"
        lines.append("    " + _copy_node(f"legend_{status}", text, status))
    notes = (
        "Links: N. flow-id = step N from the start, then how sure its rule is, and what deleting "
        "the sender's copy does to the receiver's (propagated: deleted too; unclear: may remain; "
        "ignored: stays). N. derived = a record made from another at the same holder."
    )
    lines.append(f'    legend_notes["{mermaid_text(notes)}"]')
    styles = []
    for index, line in enumerate(LEGEND_LINES):
        tail, head = f"legend_l{index}a", f"legend_l{index}b"
        lines.append(f'    {tail}[" "] -->|"{mermaid_text(line.words)}"| {head}[" "]')
        styles.append(_link_style(links + index, line.words.split(",")[0]))
    lines.append("  end")
    return lines, styles


def trace_mermaid(model: Model, result: Trace, *, sources: bool = False) -> str:
    """A trace as a Mermaid flowchart: copies in holder and party subgraphs, shaped and filled by
    status, links styled by confidence and labelled with it; a legend subgraph explains both.
    ``sources`` adds each rule's source ids to copies and links."""
    lines = ["flowchart LR"]
    for party, holders in grouped_copies(result):
        name = mermaid_text(model.parties[party].name)
        lines.append(f'  subgraph {short_id("p", party)}["{name}"]')
        for holder, copies in holders:
            spec = model.holders[holder]
            name = mermaid_text(f"{spec.name} ({spec.kind})")
            lines.append(f'    subgraph {short_id("h", holder)}["{name}"]')
            for copy in copies:
                text = f"{model.records[copy.record].name}\n{caption(copy)}"
                if sources:
                    text += f"\n[{', '.join(copy.evidence) or 'no source'}]"
                lines.append("      " + _copy_node(short_id("c", copy.id), text, copy.status))
            lines.append("    end")
        lines.append("  end")
    styles = []
    steps = trace_steps(model, result)
    for number, step in enumerate(steps):
        confidence = step.rule.confidence
        # a derivation's arrow is open (Mermaid's -.- has no hollow head): its label says so
        words = f"{step.label}\n{confidence}; deletion {step.rule.deletion}"
        if sources:
            words += f"\n[{', '.join(step.rule.evidence) or 'no source'}]"
        label = mermaid_text(words)
        lines.append(f'  {short_id("c", step.source)} -->|"{label}"| {short_id("c", step.target)}')
        styles.append(_link_style(number, confidence))
    legend, legend_styles = _trace_legend(len(steps))
    lines += legend
    lines += _class_defs()
    lines += styles + legend_styles
    return "\n".join(lines) + "\n"


def ecosystem_mermaid(model: Model, *, focus: str | None = None, collapse: str = "auto") -> str:
    """The whole model (or the part around ``focus``) as a Mermaid flowchart: holders in party
    subgraphs, collapsed groups as double-bordered nodes, flows with their records."""
    plan = plan_overview(model, focus=focus, collapse=collapse)
    lines = ["flowchart LR"]

    def node_line(node, indent: str) -> str:
        opening, closing = KIND_SHAPE[node.kind]
        text = mermaid_text("\n".join((node.title, *node.lines)))
        return f"{indent}{node.name}{opening}{text}{closing}"

    for party, nodes in plan.by_cluster():
        lines.append(f'  subgraph {short_id("p", party)}["{mermaid_text(plan.clusters[party])}"]')
        lines += [node_line(node, "    ") for node in nodes]
        lines.append("  end")
    lines += [node_line(node, "  ") for node in plan.nodes if node.cluster is None]
    styles = []
    for index, edge in enumerate(plan.edges):
        lines.append(f'  {edge.source} -->|"{mermaid_text(edge_text(edge))}"| {edge.target}')
        colour = CONDITIONAL_COLOUR if edge.when else "#333"
        styles.append(_link_style(index, edge.confidence, colour))
    lines.append('  subgraph legend["Legend"]')
    lines.append("    direction TB")
    for kind, (opening, closing) in KIND_SHAPE.items():
        words = mermaid_text(KIND_WORDS[kind])
        lines.append(f"    legend_{kind}{opening}{words}{closing}")
    for index, line in enumerate(LEGEND_LINES):
        tail, head = f"legend_l{index}a", f"legend_l{index}b"
        lines.append(f'    {tail}[" "] -->|"{mermaid_text(line.words)}"| {head}[" "]')
        styles.append(_link_style(len(plan.edges) + index, line.words.split(",")[0]))
    lines.append(f'    legend_l9a[" "] -->|"{mermaid_text(CONDITIONAL_WORDS)}"| legend_l9b[" "]')
    styles.append(_link_style(len(plan.edges) + len(LEGEND_LINES), "stated", CONDITIONAL_COLOUR))
    lines.append("  end")
    return "\n".join(lines + styles) + "\n"
