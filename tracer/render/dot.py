"""Graphviz DOT for the ecosystem and for a trace.

Conventions (docs/design.md, Diagrams): a party is a ``cluster_*`` subgraph, the legend is its own
cluster; node ids are derived from model ids (never the raw id: DOT reads ``a:b`` as a port);
every label is an HTML label built with ``html.escape``, so quotes, backslashes, ``<``, ``>``,
braces, pipes and newlines in a name are drawn as written; everything is emitted sorted.

>>> import tracer
>>> model = tracer.load_model()
>>> text = trace_dot(model, tracer.trace(model, "weather", ["delete-recording"]))
>>> text.startswith("digraph trace {") and "cluster_" in text
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import graphviz

from ..model import Model
from ..model.text import printable
from ..tracing import SURENESS as _SURENESS
from ..tracing import Trace
from .overview import OverviewNode, plan_overview
from .style import (
    CONDITIONAL_COLOUR,
    CONDITIONAL_WORDS,
    CONFIDENCE_LINE,
    DELETION_MARK,
    KIND_WORDS,
    LEGEND_LINES,
    STATUS_LOOK,
    short_id,
)
from .traceview import caption, grouped_copies, trace_steps

__all__ = ["ecosystem_dot", "legend_dot", "svg_titles", "trace_dot"]

FONT = "Helvetica,Arial,sans-serif"
KIND_SHAPE = {"device": "box3d", "service": "component", "store": "cylinder", "people": "tab"}


def _text(value: str) -> str:
    """Model text inside an HTML label: escaped, newlines (``\\r`` too) as line breaks, control
    characters replaced, and backslashes doubled: Graphviz reads ``\\N``, ``\\G``, ``\\E``...
    even in HTML labels, and would draw an internal name instead of the text."""
    return "<br/>".join(
        html.escape(line, quote=True).replace("\\", "\\\\") for line in printable(value).split("\n")
    )


def _label(*lines: str) -> str:
    """An HTML label from lines already escaped; the brackets mark it as HTML for graphviz."""
    return "<" + "<br/>".join(lines) + ">"


def _graph(name: str, title: str) -> graphviz.Digraph:
    graph = graphviz.Digraph(name)
    graph.attr(
        rankdir="LR",
        fontname=FONT,
        labelloc="t",
        labeljust="l",
        label=_label(f"<b>{_text(title)}</b>"),
        nodesep="0.25",
        ranksep="0.6",
    )
    graph.attr("node", fontname=FONT, fontsize="11")
    graph.attr("edge", fontname=FONT, fontsize="9")
    return graph


@contextmanager
def _party_cluster(graph: graphviz.Digraph, party: str, name: str) -> Iterator[graphviz.Digraph]:
    """A party's cluster: its id derived from the party id, its name as the label."""
    with graph.subgraph(name=f"cluster_{short_id('p', party)}") as cluster:
        cluster.attr(
            label=_label(f"<b>{_text(name)}</b>"), style="rounded", color="#555555", fontsize="13"
        )
        yield cluster


def _edge_look(confidence: str) -> dict[str, str]:
    line = CONFIDENCE_LINE.get(confidence, CONFIDENCE_LINE["unknown"])
    return {"style": line.dot_style, "penwidth": f"{line.width:g}"}


def _status_look(status: str) -> dict[str, str]:
    look = STATUS_LOOK[status]
    return {
        "shape": look.shape,
        "style": look.dot_style,
        "peripheries": str(look.peripheries),
        "fillcolor": look.fill,
        "fontcolor": look.font,
        "penwidth": look.pen,
    }


def _sources_line(evidence: tuple[str, ...]) -> str:
    return f'<font point-size="8">[{_text(", ".join(evidence) or "no source")}]</font>'


def trace_dot(model: Model, result: Trace, *, sources: bool = False) -> str:
    """A trace as DOT: each copy a node inside its holder's cluster inside its party's cluster,
    filled and shaped by status; flows and derivations between copies, numbered by step, their
    line style by confidence and their tail mark by how deletion passes along them. ``sources``
    adds the source ids of each rule to nodes and edges; every node and edge has a tooltip with
    its reason and sources (an SVG ``<title>``)."""
    interaction = model.interactions[result.interaction]
    requests = ", ".join(f"{r.id} at {r.at}d" for r in result.requests) or "no deletion request"
    graph = _graph(
        "trace", f"{interaction.name} ({result.interaction}): {requests}; status at {result.at}d"
    )
    _trace_legend(graph)  # emitted first, dot draws it last: below the diagram, not above
    for party, holders in grouped_copies(result):
        with _party_cluster(graph, party, model.parties[party].name) as cluster:
            for holder, copies in holders:
                spec = model.holders[holder]
                with cluster.subgraph(name=f"cluster_{short_id('h', holder)}") as box:
                    # a no-break space: browsers drop a plain space at the end of an SVG <text>
                    box.attr(
                        label=_label(f"{_text(spec.name)}&#160;<i>({_text(spec.kind)})</i>"),
                        style="rounded,filled",
                        fillcolor="#F7F7F7",
                        color="#AAAAAA",
                        fontsize="11",
                    )
                    for copy in copies:
                        lines = [
                            f"<b>{_text(model.records[copy.record].name)}</b>",
                            _text(caption(copy)),
                        ]
                        if sources:
                            lines.append(_sources_line(copy.evidence))
                        box.node(
                            short_id("c", copy.id),
                            _label(*lines),
                            tooltip=_tooltip(
                                f"{copy.id}: {STATUS_LOOK[copy.status].word} "
                                f"({copy.confidence}). {copy.reason}",
                                copy.evidence,
                            ),
                            **_status_look(copy.status),
                        )
    for step in trace_steps(model, result):
        rule = step.rule
        lines = [_text(step.label), f"<i>{_text(rule.confidence)}</i>"]
        if sources:
            lines.append(_sources_line(rule.evidence))
        graph.edge(
            short_id("c", step.source),
            short_id("c", step.target),
            label=_label(*lines),
            arrowhead="onormal" if step.derived else "normal",
            dir="both",
            arrowtail=DELETION_MARK[rule.deletion].arrowtail,
            color="#333333",
            tooltip=_tooltip(
                f"{step.label}: {'derivation' if step.derived else 'flow'}, {rule.confidence}; "
                f"deletion {rule.deletion}: {DELETION_MARK[rule.deletion].meaning}",
                rule.evidence,
            ),
            **_edge_look(rule.confidence),
        )
    return graph.source


def _tooltip(text: str, evidence: tuple[str, ...]) -> str:
    """A tooltip: plain text (python-graphviz quotes it), no line breaks, backslashes doubled
    (DOT reads ``\\n`` and ``\\l`` in a plain string as escapes)."""
    words = f"{text.rstrip('.')}. Sources: {', '.join(evidence) or 'none'}."
    return " ".join(words.split()).replace("\\", "\\\\")


def _legend(graph: graphviz.Digraph, marks: list[tuple[str, dict[str, str]]], rows) -> None:
    """A legend cluster: ``marks`` (nodes drawn as the diagram draws them: label and look) in the
    left column, then ``rows`` (sample edges between invisible points, each labelled with its
    meaning). Each mark has an invisible partner on the right, so both columns stack in the same
    order and every sample edge runs straight."""
    # each end as tall as a two-line label, so the rows keep the same height in both columns
    point = {"shape": "none", "label": "", "width": "0.1", "height": "0.32"}
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label=_label("<b>Legend</b>"), style="rounded", color="#999999", fontsize="11")
        names = [f"legend_{index:02d}" for index in range(len(marks) + len(rows))]
        for name, (label, look) in zip(names, marks, strict=False):
            legend.node(name, label, **look)
            legend.node(f"{name}_", label, **{**look, "style": "invis"})
        for name in names[len(marks) :]:
            legend.node(name, **point)
            legend.node(f"{name}_", **point)
        for column in (names, [f"{name}_" for name in names]):
            with legend.subgraph() as same:
                same.attr(rank="same")
                same.body.append(f"\t{'; '.join(column)}\n")
        for name in names[: len(marks)]:
            legend.edge(name, f"{name}_", style="invis")
        for name, (words, attrs) in zip(names[len(marks) :], rows, strict=True):
            attrs = {"color": "#333333", "arrowhead": "normal", **attrs}
            label = _label(*(_text(w) for w in words.split("\n")))
            legend.edge(name, f"{name}_", label=label, **attrs)


def legend_dot() -> str:
    """The trace diagrams' legend alone, drawn by the code that draws it in every diagram (for a
    document, or to check its swatches in a small image).

    >>> "cluster_legend" in legend_dot()
    True
    """
    graph = _graph("legend", "Legend of a trace diagram")
    _trace_legend(graph)
    return graph.source


def _trace_legend(graph: graphviz.Digraph) -> None:
    """The legend: every mark of the diagram drawn as the diagram draws it, with its meaning."""
    marks = [
        (
            _label(f"<b>{_text(look.word)}</b>", f"<i>{_text(look.meaning)}</i>"),
            _status_look(status),
        )
        for status, look in STATUS_LOOK.items()
    ]
    marks.append(
        (
            _label(
                "<b>3. store-voice-history</b>",
                "step 3 from the start, by the flow's id;",
                "<i>stated</i>: how sure its rule is",
            ),
            {"shape": "plain"},
        )
    )
    rows = [
        ("flow: records copied\nto another holder", {"arrowhead": "normal"}),
        ("derivation: a record made\nfrom another, same holder", {"arrowhead": "onormal"}),
    ]
    rows += [(line.words, _edge_look(line.words.split(",")[0])) for line in LEGEND_LINES]
    rows += [
        (f"deletion {how}:\n{mark.meaning}", {"dir": "both", "arrowtail": mark.arrowtail})
        for how, mark in DELETION_MARK.items()
    ]
    _legend(graph, marks, rows)


def ecosystem_dot(model: Model, *, focus: str | None = None, collapse: str = "auto") -> str:
    """The whole model (or the part around ``focus``) as DOT: holders in one cluster per party,
    shaped by kind; collapsed groups as double-bordered nodes; flows labelled with the records
    they carry and their confidence, conditional flows in blue with their tags ("when ..."); a
    legend of the shapes and lines."""
    plan = plan_overview(model, focus=focus, collapse=collapse)
    graph = _graph("ecosystem", plan.title)
    graph.attr(compound="true")  # a line between two parties ends at their boxes
    _ecosystem_legend(graph)  # emitted first, dot draws it last: below the diagram
    # the lines are written here in one pass, exactly as graphviz.Digraph would write them:
    # its per-call quoting and copying made 100,000 holders take minutes
    body = graph.body
    for party, nodes in plan.by_cluster():
        body.append(f"\tsubgraph cluster_{short_id('p', party)} {{\n")
        title = _label(f"<b>{_text(plan.clusters[party])}</b>")
        body.append(f'\t\tcolor="#555555" fontsize=13 label={title} style=rounded\n')
        for node in nodes:
            body.append(
                f"\t\t{node.name} [label={_node_label(node)} "
                f'fillcolor="#FFFFFF" shape={KIND_SHAPE[node.kind]} style=filled]\n'
            )
        body.append("\t}\n")
    for node in plan.nodes:
        if node.cluster is None:
            body.append(
                f"\t{node.name} [label={_node_label(node)} "
                'fillcolor="#EEEEEE" peripheries=2 shape=box style="filled,rounded"]\n'
            )
    _bundled_edges(model, plan, body)
    if plan.collapsed:
        graph.attr(
            label=_label(
                f"<b>{_text(plan.title)}</b>",
                *(f"<i>{_text(words)}</i>" for words in plan.collapsed),
            )
        )
    return graph.source


def _bundled_edges(model: Model, plan, body: list[str]) -> None:
    """The overview's flows, one line per pair of parties (between their boxes), one per pair
    of holders inside a party; no label on any line (the records it carries are its tooltip),
    so lines never braid around labels. Lines back into the user's own devices do not pull them
    right: the drawing starts from the user, on the left."""
    cluster_of = {node.name: node.cluster for node in plan.nodes}
    users = {
        node.name
        for node in plan.nodes
        if node.cluster and model.parties[node.cluster].role == "data_subject"
    }
    bundles: dict[tuple[str, str], list] = {}
    for edge in plan.edges:
        tail, head = cluster_of.get(edge.source), cluster_of.get(edge.target)
        if tail and head and tail == head:
            key = (edge.source, edge.target)
        else:
            key = (
                f"cluster_{short_id('p', tail)}" if tail else edge.source,
                f"cluster_{short_id('p', head)}" if head else edge.target,
            )
        bundles.setdefault(key, []).append(edge)
    for (tail, head), edges in bundles.items():
        first = edges[0]
        conditional = all(e.when for e in edges)
        weakest = max((e.confidence for e in edges), key=_SURENESS.index)
        look = _edge_look(weakest)
        records = sorted({r for e in edges for r in e.records})
        flows = sum(e.flows for e in edges)
        words = f"{flows} flow{'s' if flows != 1 else ''}: {', '.join(records)}"
        if conditional:
            words += "; " + "; ".join(sorted({e.when for e in edges}))
        attrs = [
            f'color="{CONDITIONAL_COLOUR if conditional else "#333333"}"',
            f"penwidth={float(look['penwidth']) + min(len(edges) - 1, 4) * 0.5:g}",
            f'style="{look["style"]}"',
            f"tooltip={_quoted(words)}",
        ]
        if tail.startswith("cluster_"):
            attrs.append(f"ltail={tail}")
        if head.startswith("cluster_"):
            attrs.append(f"lhead={head}")
        if first.target in users:
            attrs.append("constraint=false")
        body.append(f"\t{first.source} -> {first.target} [{' '.join(sorted(attrs))}]\n")


def _quoted(text: str) -> str:
    """A plain DOT string: quoted, its quotes and backslashes escaped, on one line."""
    clean = " ".join(printable(text).split())
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ecosystem_legend(graph: graphviz.Digraph) -> None:
    """The overview's legend: each holder kind in its shape, each line style, the blue flows."""
    marks = [
        (_label(_text(KIND_WORDS[kind])), {"shape": shape, "style": "filled", "fillcolor": "white"})
        for kind, shape in KIND_SHAPE.items()
    ]
    marks.append(
        (
            _label(_text(KIND_WORDS["group"])),
            {"shape": "box", "style": "filled,rounded", "fillcolor": "#EEEEEE", "peripheries": "2"},
        )
    )
    rows = [(line.words, _edge_look(line.words.split(",")[0])) for line in LEGEND_LINES]
    rows.append((CONDITIONAL_WORDS.replace(": ", ":\n", 1), {"color": CONDITIONAL_COLOUR}))
    _legend(graph, marks, rows)


def _node_label(node: OverviewNode) -> str:
    return _label(f"<b>{_text(node.title)}</b>", *(f"<i>{_text(line)}</i>" for line in node.lines))


_TOOLTIP = re.compile(r'<title>[^<]*</title>(\s*<g id="a_[^"]*"><a) xlink:title="([^"]*)"')


def svg_titles(svg: str) -> str:
    """Graphviz's SVG with each tooltip as the ``<title>`` of its node or edge, which browsers
    show on hover (Graphviz's own title is the drawing id, meaningless to a reader).

    >>> svg_titles('<title>c_1</title>\\n<g id="a_node1"><a xlink:title="held">')
    '<title>held</title>\\n<g id="a_node1"><a>'
    """
    return _TOOLTIP.sub(lambda m: f"<title>{m.group(2)}</title>{m.group(1)}", svg)
