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

from collections import defaultdict
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from .gcpause import paused_gc
from .model import Derivation, Flow, Model

if TYPE_CHECKING:
    import networkx as nx

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
    """The active edges leaving each copy, found without scanning the others.

    Construction is one cheap pass that files each flow's and derivation's number under the
    holder it leaves and its first ``when`` tag (``""`` when it has none): an interaction without
    that tag can never activate it, so a trace never looks at it. Everything else (the
    :class:`Edge`, the carried records, the full tag check) is done only for the few edges a
    trace actually meets, so the first trace of a 100,000-holder model costs little more than
    that pass.
    """

    def __init__(self, model: Model):
        self._flows = model.flows
        self._derivations = model.derivations
        self._edges: dict[int, Edge] = {}
        # the one pass over every edge, kept to C-level iteration (map, zip, enumerate) and one
        # append per edge: at 350,000 flows it is most of what a first trace costs
        buckets: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        sources = [
            *map(attrgetter("source"), model.flows),
            *map(attrgetter("at"), model.derivations),
        ]
        firsts = [
            when[0] if when else ""
            for when in (
                *map(attrgetter("when"), model.flows),
                *map(attrgetter("when"), model.derivations),
            )
        ]
        # numbers follow the file: flows 0..F-1, then derivations
        for number, key in enumerate(zip(sources, firsts, strict=True)):
            buckets[key].append(number)
        self._buckets = buckets

    def steps(self, copy: CopyKey, tags: frozenset[str]) -> list[Step]:
        """The edges active under ``tags`` leaving ``copy``, in file order, with their targets."""
        holder, record = copy
        buckets = self._buckets
        # .get, not [ ]: the defaultdict must not grow an entry per copy a trace reaches
        numbers = list(buckets.get((holder, ""), ()))
        for tag in tags:
            numbers.extend(buckets.get((holder, tag), ()))
        if len(numbers) > 1:
            numbers.sort()
        steps: list[Step] = []
        for number in numbers:
            edge = self._edge(number)
            if not edge.when <= tags:
                continue
            rule = edge.rule
            if edge.kind == "flow":
                if record in rule.carries:
                    steps.append((edge, (rule.target, record)))
            elif rule.source == record:
                steps.append((edge, (rule.at, rule.target)))
        return steps

    def _edge(self, number: int) -> Edge:
        edge = self._edges.get(number)
        if edge is None:
            flows = len(self._flows)
            if number < flows:
                flow = self._flows[number]
                edge = Edge(flow.key, "flow", number, frozenset(flow.when), flow)
            else:
                rule = self._derivations[number - flows]
                edge = Edge(rule.key, "derivation", number, frozenset(rule.when), rule)
            self._edges[number] = edge
        return edge


def edge_index(model: Model) -> EdgeIndex:
    """The model's edge index, built once per model and cached on it."""
    index = model._derived.get("edge_index")
    if index is None:
        with paused_gc():  # hundreds of thousands of small lists: see tracer.gcpause
            index = model._derived["edge_index"] = EdgeIndex(model)
    return index


def ecosystem_graph(model: Model) -> nx.MultiDiGraph:
    """Holders as nodes, flows as edges keyed by flow id, derivations as self-loops.

    Node attributes: ``name``, ``party``, ``kind``. Edge attributes: ``kind`` (flow/derivation),
    ``records`` (carried, or ``(from, to)`` for a derivation), ``when``, ``deletion``.
    """
    import networkx as nx  # here: a trace walks the EdgeIndex and never needs networkx

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
    import networkx as nx

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
