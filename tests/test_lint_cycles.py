"""The derivation-cycle lint finds the very cycle networkx finds, without importing networkx."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.model.lint import find_cycle

RECORDS = st.sampled_from(["audio", "text", "intent", "reply", "log"])


def _graphs(edges: list[tuple[str, str]]) -> tuple[nx.DiGraph, dict[str, dict[str, None]]]:
    digraph = nx.DiGraph()
    plain: dict[str, dict[str, None]] = {}
    for source, target in edges:
        digraph.add_edge(source, target)
        plain.setdefault(source, {})[target] = None
        plain.setdefault(target, {})
    return digraph, plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(RECORDS, RECORDS), max_size=12))
def test_find_cycle_finds_the_cycle_networkx_finds_first(edges):
    digraph, plain = _graphs(edges)
    try:
        expected = nx.find_cycle(digraph)
    except nx.NetworkXNoCycle:
        expected = []
    assert find_cycle(plain) == expected


def test_a_record_derived_from_itself_is_a_cycle_of_one_edge():
    assert find_cycle({"audio": {"audio": None}}) == [("audio", "audio")]


def test_a_cycle_reached_after_backtracking_starts_where_it_closes():
    # a -> b -> c, then back at a: a -> d -> e -> d
    graph = {
        "a": {"b": None, "d": None},
        "b": {"c": None},
        "c": {},
        "d": {"e": None},
        "e": {"d": None},
    }
    assert find_cycle(graph) == [("d", "e"), ("e", "d")]
