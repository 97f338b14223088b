"""A model as graphs: the edge index a trace walks, and networkx views for analysis and drawing.

Flows and derivations are both *edges*: a flow moves a record from one holder to another, a
derivation makes a new record at the same holder. The :class:`EdgeIndex` answers "which active
edges leave this copy?" by looking only at the edges that leave that holder with that record and
whose tags the interaction has, so a trace touches only what it reaches, however large the model.

>>> from tracer.model.loading import parse_model
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

import sys
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import attrgetter, eq, sub
from typing import TYPE_CHECKING, NamedTuple

from .gcpause import paused_gc
from .model import Derivation, Flow, Model

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["Edge", "EdgeIndex", "ecosystem_graph", "edge_columns", "edge_index"]

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

    Each flow's and derivation's number is filed under the holder it leaves and its first
    ``when`` tag (``""`` when it has none): an interaction without that tag can never activate
    it, so a trace never looks at it. Everything else (the :class:`Edge`, the carried records,
    the full tag check) is done only for the few edges a trace actually meets.

    On a large model (``lazy_from`` edges or more) the numbers are filed one holder at a time,
    when a trace first leaves it: filing every edge is a Python step per edge (about a second at
    100,000 holders), while a trace reaches a few dozen holders. A holder's edges are found by
    searching one text of every edge's holder, one per line (a C-level search over a few MB),
    and only their tags are read; a hub (more than ``HUB`` edges, such as a cloud sending to
    every skill) is found by comparing the column in C and keeps its edges unfiled, selected by
    each set of tags in one C-level pass. This lazy work is charged against a budget of about
    what filing every edge costs; when it is spent, every edge is filed in one pass, so a
    process that traces everything pays at most about twice the full pass.
    """

    # below this many edges, filing all of them costs less than one search
    LAZY_FROM = 10_000
    # a holder with more edges than this is a hub (see above)
    HUB = 512
    # what lazy work costs against filing one edge (one unit): a search reads the whole text,
    # about 1/128 of filing it; reading a hub's tags costs about 1/4 unit per edge, selecting
    # from them 1/32 (measured at 100,000 holders)
    SEARCH, HUB_READ, HUB_SELECT = 1 / 128, 1 / 4, 1 / 32

    def __init__(self, model: Model, *, lazy_from: int = LAZY_FROM):
        self._flows = model.flows
        self._derivations = model.derivations
        self._edges: dict[int, Edge] = {}
        self._lock = threading.Lock()
        # (holder, first tag) -> edge numbers in file order: flows 0..F-1, then derivations
        self._buckets: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        count = len(self._flows) + len(self._derivations)
        self._budget = float(count)  # lazy work left before everything is filed, in units
        self._filed: set[str] | None = set()  # the holders filed so far; None: all of them
        self._sources: list[str] | None = None
        self._text: str | None = None
        self._first_tags: list[str] | None = None
        # a model read from the cache stores both columns (tracer.cache.parts): its parts are
        # decoded only as they are used, and reading every edge's holder would decode them all
        columns = getattr(model.flows, "edge_columns", None)
        if columns is not None and len(columns[0]) == count:
            self._sources, self._first_tags, self._text = columns
        # the hubs filed so far: (numbers, first tags), and the numbers each tag set selects
        self._hubs: dict[str, tuple[list[int], list[str]]] = {}
        self._selected: dict[tuple[str, frozenset[str]], list[int]] = {}
        if count < lazy_from:
            self._file_all()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()  # a traced model is still copied and pickled: not the lock
        del state["_lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def steps(self, copy: CopyKey, tags: frozenset[str]) -> list[Step]:
        """The edges active under ``tags`` leaving ``copy``, in file order, with their targets."""
        holder, record = copy
        # one thread at a time: `tracer serve` traces one shared model from a pool of threads,
        # and filing a holder (or every edge) while another thread files or reads it would file
        # edges twice or read half-cleared buckets
        with self._lock:
            filed = self._filed
            if filed is not None and holder not in filed:
                self._file(holder)
            if holder in self._hubs:
                numbers = self._hub_numbers(holder, tags)
            else:
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

    def _column(self) -> list[str]:
        """The holder each edge leaves, by number: one C-level pass over the parts."""
        if self._sources is None:
            self._sources = _sources(self._flows, self._derivations)
        return self._sources

    def _file_all(self) -> None:
        """File every edge (and drop what the one-by-one search needed)."""
        with paused_gc():  # hundreds of thousands of small lists: see tracer.gcpause
            sources = self._column()
            firsts = self._firsts(range(len(sources)))
            buckets = self._buckets
            buckets.clear()  # the holders filed one by one are filed again, the same
            for number, key in enumerate(zip(sources, firsts, strict=True)):
                buckets[key].append(number)
        self._filed = None
        self._sources = self._text = self._first_tags = None
        self._hubs.clear()
        self._selected.clear()

    def _file(self, holder: str) -> None:
        """File the edges leaving ``holder`` (or all of them, once the budget is spent)."""
        if self._budget <= 0:
            self._file_all()
            return
        numbers = self._find(holder)
        self._budget -= len(self._column()) * self.SEARCH
        firsts = self._firsts(numbers)
        if len(numbers) > self.HUB:
            self._budget -= len(numbers) * self.HUB_READ
            self._hubs[holder] = (numbers, firsts)
        else:
            buckets = self._buckets
            for number, first in zip(numbers, firsts, strict=True):
                buckets[(holder, first)].append(number)
        assert self._filed is not None
        self._filed.add(holder)

    def _hub_numbers(self, holder: str, tags: frozenset[str]) -> list[int]:
        """A hub's edges whose first tag is in ``tags`` (or that have none): one C-level pass."""
        selected = self._selected.get((holder, tags))
        if selected is None:
            numbers, firsts = self._hubs[holder]
            self._budget -= len(numbers) * self.HUB_SELECT
            wanted = tags | {""}
            selected = list(compress(numbers, map(wanted.__contains__, firsts)))
            self._selected[(holder, tags)] = selected
        return selected

    def _find(self, holder: str) -> list[int]:
        """The numbers of the edges leaving ``holder``, ascending."""
        sources = self._column()
        text = self._text
        if text is None:
            text = self._text = _search_text(sources)
        needle = f"\n{holder}\n"
        numbers: list[int] = []
        find, count = text.find, text.count
        line = last = 0
        position = find(needle)
        while position != -1:
            if len(numbers) == self.HUB:  # a hub: line by line would cost a Python step each
                return list(compress(range(len(sources)), map(eq, sources, repeat(holder))))
            line += count("\n", last, position)  # an edge's number is the lines before it
            last = position
            numbers.append(line)
            position = find(needle, position + 1)  # + 1: the next line may be the same holder
        return numbers

    def _firsts(self, numbers: Sequence[int]) -> list[str]:
        """The first ``when`` tag (or ``""``) of the edges ``numbers`` (ascending)."""
        if self._first_tags is not None:
            return list(map(self._first_tags.__getitem__, numbers))
        flows = self._flows
        split = bisect_left(numbers, len(flows))
        whens = [
            *map(attrgetter("when"), map(flows.__getitem__, numbers[:split])),
            *map(
                attrgetter("when"),
                map(
                    self._derivations.__getitem__,
                    map(sub, numbers[split:], repeat(len(flows))),
                ),
            ),
        ]
        return _first_tags(whens)

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


def edge_columns(model: Model) -> tuple[list[str], list[str], str]:
    """What an :class:`EdgeIndex` reads of every edge, for a store of the model to keep (the
    parsed-model cache: tracer.cache.parts): the holder each leaves, its first ``when`` tag (or
    ``""``) and the text the index searches. The ids are interned, so a pickle of them stores
    each holder's id once, however many edges leave it."""
    edges = (*model.flows, *model.derivations)
    sources = list(map(sys.intern, _sources(model.flows, model.derivations)))
    firsts = list(map(sys.intern, _first_tags(map(attrgetter("when"), edges))))
    return sources, firsts, _search_text(sources)


def _sources(flows: Sequence[Flow], derivations: Sequence[Derivation]) -> list[str]:
    """The holder each edge leaves: flows in file order, then derivations."""
    return [*map(attrgetter("source"), flows), *map(attrgetter("at"), derivations)]


def _first_tags(whens: Iterable[Sequence[str]]) -> list[str]:
    """Each edge's first ``when`` tag, ``""`` for an edge without one."""
    return [when[0] if when else "" for when in whens]


def _search_text(sources: list[str]) -> str:
    """Every edge's holder, one a line, between line breaks: ``\\n{holder}\\n`` finds the edges
    leaving a holder, and the line breaks before one give its number. Ids are slugs, never empty
    and never holding a line break, so each line is exactly one id."""
    return "\n" + "\n".join(sources) + "\n"


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
