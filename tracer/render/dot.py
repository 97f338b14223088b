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
from collections.abc import Iterator
from contextlib import contextmanager

import graphviz

from ..model import Model
from ..text import printable
from ..tracing import Trace
from .overview import OverviewNode, edge_text, plan_overview
from .style import CONFIDENCE_LINE, STATUS_LOOK, TRANSIENT_MEANING, short_id
from .traceview import caption, grouped_copies, trace_steps

__all__ = ["ecosystem_dot", "trace_dot"]

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
        newrank="true",
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


def _edge_style(confidence: str) -> str:
    return CONFIDENCE_LINE.get(confidence, ("solid", ""))[0]


def trace_dot(model: Model, result: Trace) -> str:
    """A trace as DOT: each copy a node inside its holder's cluster inside its party's cluster,
    coloured and styled by status; flows and derivations between copies, numbered by step."""
    interaction = model.interactions[result.interaction]
    requests = ", ".join(f"{r.id} at {r.at}d" for r in result.requests) or "no deletion request"
    graph = _graph(
        "trace", f"{interaction.name} ({result.interaction}): {requests}; status at {result.at}d"
    )
    for party, holders in grouped_copies(result):
        with _party_cluster(graph, party, model.parties[party].name) as cluster:
            for holder, copies in holders:
                spec = model.holders[holder]
                with cluster.subgraph(name=f"cluster_{short_id('h', holder)}") as box:
                    box.attr(
                        label=_label(f"{_text(spec.name)} <i>({spec.kind})</i>"),
                        style="rounded,filled",
                        fillcolor="#F7F7F7",
                        color="#AAAAAA",
                        fontsize="11",
                    )
                    for copy in copies:
                        look = STATUS_LOOK[copy.status]
                        box.node(
                            short_id("c", copy.id),
                            _label(
                                f"<b>{_text(model.records[copy.record].name)}</b>",
                                _text(caption(copy)),
                            ),
                            shape="box",
                            style=look.dot_style,
                            fillcolor=look.fill,
                            fontcolor=look.font,
                            penwidth=look.pen,
                        )
    for step in trace_steps(model, result):
        graph.edge(
            short_id("c", step.source),
            short_id("c", step.target),
            label=_label(_text(step.label)),
            style=_edge_style(step.rule.confidence),
            arrowhead="onormal" if step.derived else "normal",
            color="#333333",
        )
    _legend(graph)
    return graph.source


def _legend(graph: graphviz.Digraph) -> None:
    rows = []
    for look in STATUS_LOOK.values():
        rows.append(
            f'<tr><td bgcolor="{look.fill}" border="1"><font color="{look.font}">'
            f"{_text(look.word)}</font></td></tr>"
            + (f"<tr><td>{_text(TRANSIENT_MEANING)}</td></tr>" if look.word == "transient" else "")
        )
    lines = "".join(
        f"<tr><td>{_text(words)}</td></tr>"
        for words in (
            "── stated",
            "- - reported, research",
            "━━ alleged (bold)",
            "··· assumed, unknown",
        )
    )
    table = (
        '<<table border="0" cellborder="0" cellspacing="2">'
        "<tr><td><b>status</b></td></tr>"
        + "".join(rows)
        + "<tr><td><b>edge: how sure</b></td></tr>"
        + lines
        + "</table>>"
    )
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="Legend", style="rounded", color="#999999", fontsize="11")
        legend.node("legend", table, shape="plain")


def ecosystem_dot(model: Model, *, focus: str | None = None, collapse: str = "auto") -> str:
    """The whole model (or the part around ``focus``) as DOT: holders in one cluster per party,
    shaped by kind; collapsed groups as double-bordered nodes; flows labelled with the records
    they carry, conditional flows in blue with their tags ("when ...")."""
    plan = plan_overview(model, focus=focus, collapse=collapse)
    graph = _graph("ecosystem", plan.title)
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
    for edge in plan.edges:
        color = "#0072B2" if edge.when else "#333333"
        body.append(
            f"\t{edge.source} -> {edge.target} [label={_label(_text(edge_text(edge)))} "
            f'color="{color}" style={_edge_style(edge.confidence)}]\n'
        )
    if plan.collapsed:
        graph.attr(
            label=_label(
                f"<b>{_text(plan.title)}</b>",
                *(f"<i>{_text(words)}</i>" for words in plan.collapsed),
            )
        )
    return graph.source


def _node_label(node: OverviewNode) -> str:
    return _label(f"<b>{_text(node.title)}</b>", *(f"<i>{_text(line)}</i>" for line in node.lines))
