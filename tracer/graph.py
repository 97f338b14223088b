"""A model as graphs: the edge index a trace walks, and networkx views for analysis and drawing.

Flows and derivations are both *edges*: a flow moves a record from one holder to another, a
derivation makes a new record at the same holder. The :class:`EdgeIndex` answers "which active
edges leave this copy?" by looking only at the edges that leave that holder with that record and
whose tags the interaction has, so a trace touches only what it reaches, however large the model.

>>> from tracer.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {audio: {name: Audio}, text: {name: Text}}
... holders:
...   mic: {name: Mic, party: acme, kind: device}
...   cloud: {name: Cloud, party: acme}
... flows: [{from: mic, to: cloud, carries: [audio]}]
... derivations: [{at: cloud, from: audio, to: text}]
... ''')
>>> sorted(ecosystem_graph(model).edges(keys=True))
[('cloud', 'cloud', 'cloud:audio->text'), ('mic', 'cloud', 'mic->cloud')]
>>> [(e.key, target) for e, target in edge_index(model).steps(("mic", "audio"), frozenset())]
[('mic->cloud', ('cloud', 'audio'))]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import networkx as nx

from .model import Derivation, Flow, Model

if TYPE_CHECKING:
    from .tracing import Trace

__all__ = ["Edge", "EdgeIndex", "ecosystem_graph", "edge_index", "trace_graph"]

CopyKey = tuple[str, str]  # (holder, record)


class Edge(NamedTuple):
    """A flow or a derivation, numbered in file order (flows first, then derivations).

    A named tuple: a large model has hundreds of thousands, built on its first trace.
    """

    key: str
    kind: str  # "flow" | "derivation"
    order: int
    when: frozenset[str]
    rule: Flow | Derivation

    @property
    def deletion(self) -> str:
        return self.rule.deletion


Step = tuple[Edge, CopyKey]


class EdgeIndex:
    """The active edges leaving each copy, found without scanning the others."""

    def __init__(self, model: Model):
        always: dict[CopyKey, list[Step]] = {}
        # conditional edges are filed under (holder, record, one of their tags): an interaction
        # without that tag can never activate them, so it never looks at them
        tagged: dict[tuple[str, str, str], list[Step]] = {}
        order = 0
        for flow in model.flows:
            edge = Edge(flow.key, "flow", order, frozenset(flow.when), flow)
            for record in flow.carries:
                step = (edge, (flow.target, record))
                if flow.when:
                    tagged.setdefault((flow.source, record, flow.when[0]), []).append(step)
                else:
                    always.setdefault((flow.source, record), []).append(step)
            order += 1
        for derivation in model.derivations:
            edge = Edge(derivation.key, "derivation", order, frozenset(derivation.when), derivation)
            step = (edge, (derivation.at, derivation.target))
            if derivation.when:
                tagged.setdefault(
                    (derivation.at, derivation.source, derivation.when[0]), []
                ).append(step)
            else:
                always.setdefault((derivation.at, derivation.source), []).append(step)
            order += 1
        self._always = always
        self._tagged = tagged

    def steps(self, copy: CopyKey, tags: frozenset[str]) -> list[Step]:
        """The edges active under ``tags`` leaving ``copy``, in file order, with their targets."""
        steps = self._always.get(copy, [])
        holder, record = copy
        conditional = [
            step
            for tag in tags
            for step in self._tagged.get((holder, record, tag), ())
            if step[0].when <= tags
        ]
        if not conditional:
            return steps
        return sorted([*steps, *conditional], key=lambda step: step[0].order)


def edge_index(model: Model) -> EdgeIndex:
    """The model's edge index, built once per model and cached on it."""
    index = model._derived.get("edge_index")
    if index is None:
        index = model._derived["edge_index"] = EdgeIndex(model)
    return index


def ecosystem_graph(model: Model) -> nx.MultiDiGraph:
    """Holders as nodes, flows as edges keyed by flow id, derivations as self-loops.

    Node attributes: ``name``, ``party``, ``kind``. Edge attributes: ``kind`` (flow/derivation),
    ``records`` (carried, or ``(from, to)`` for a derivation), ``when``, ``deletion``.
    """
    graph = nx.MultiDiGraph(name=model.name)
    for key, holder in model.holders.items():
        graph.add_node(key, name=holder.name, party=holder.party, kind=holder.kind)
    for flow in model.flows:
        graph.add_edge(
            flow.source,
            flow.target,
            key=flow.key,
            kind="flow",
            records=tuple(flow.carries),
            when=tuple(flow.when),
            deletion=flow.deletion,
        )
    for derivation in model.derivations:
        graph.add_edge(
            derivation.at,
            derivation.at,
            key=derivation.key,
            kind="derivation",
            records=(derivation.source, derivation.target),
            when=tuple(derivation.when),
            deletion=derivation.deletion,
        )
    return graph


def trace_graph(trace: Trace) -> nx.DiGraph:
    """A trace's copies as nodes (id ``holder/record``; attributes from the copy) and, as edges,
    every active flow or derivation between two of them (attribute ``edges``: their ids)."""
    graph = nx.DiGraph(interaction=trace.interaction)
    for copy in trace.copies:
        graph.add_node(
            copy.id, holder=copy.holder, record=copy.record, party=copy.party, status=copy.status
        )
    for source, target, key in trace.edges:
        if graph.has_edge(source, target):
            graph.edges[source, target]["edges"] += (key,)
        else:
            graph.add_edge(source, target, edges=(key,))
    return graph
