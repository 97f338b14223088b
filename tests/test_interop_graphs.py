"""GraphML and node-link JSON of the ecosystem and of a trace, read back by networkx and compared."""

from __future__ import annotations

import networkx as nx
import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.interop import read_graphml, read_node_link, write_graphml, write_node_link
from tracer.interop.graphml import flat_graph


@pytest.fixture(scope="module")
def model():
    return tracer.load_model()


@pytest.fixture(scope="module")
def order(model):
    return tracer.trace(model, "dominos-order", ["delete-recording"])


def _edges(graph):
    if graph.is_multigraph():
        return sorted(
            (s, t, k, tuple(sorted(d.items()))) for s, t, k, d in graph.edges(keys=True, data=True)
        )
    return sorted((s, t, tuple(sorted(d.items()))) for s, t, d in graph.edges(data=True))


def _nodes(graph):
    return sorted((n, tuple(sorted(d.items()))) for n, d in graph.nodes(data=True))


def test_ecosystem_graphml_reads_back_with_the_same_nodes_edges_and_attributes(model, tmp_path):
    back = read_graphml(write_graphml(model, tmp_path / "alexa.graphml"))
    expected = flat_graph(tracer.ecosystem_graph(model))
    assert isinstance(back, nx.MultiDiGraph)
    assert _nodes(back) == _nodes(expected)
    assert _edges(back) == _edges(expected)
    assert (
        back.edges["alexa_cloud", "dominos_backend", "dominos-request"]["when"] == "skill:dominos"
    )
    assert back.graph["name"] == "Amazon Alexa (2019)"


def test_trace_graphml_reads_back_with_each_copys_status(order, tmp_path):
    back = read_graphml(write_graphml(order, tmp_path / "order.graphml"))
    assert _nodes(back) == _nodes(flat_graph(tracer.trace_graph(order)))
    assert _edges(back) == _edges(flat_graph(tracer.trace_graph(order)))
    assert back.nodes["voice_history/voice_recording"]["status"] == "deleted"


def test_node_link_keeps_tuples_as_lists_and_reads_back_equal(model, order, tmp_path):
    back = read_node_link(write_node_link(model, tmp_path / "alexa.json"))
    original = tracer.ecosystem_graph(model)

    def listed(graph):
        return sorted(
            (s, t, k, sorted((a, list(v) if isinstance(v, tuple) else v) for a, v in d.items()))
            for s, t, k, d in graph.edges(keys=True, data=True)
        )

    assert _nodes(back) == _nodes(original)
    assert listed(back) == listed(original)
    trace_back = read_node_link(write_node_link(order, tmp_path / "order.json"))
    assert sorted(trace_back.edges) == sorted(tracer.trace_graph(order).edges)
    assert trace_back.nodes["voice_history/voice_recording"]["status"] == "deleted"


def test_graph_outputs_are_byte_identical_each_time(model, tmp_path):
    for write, suffix in ((write_graphml, "graphml"), (write_node_link, "json")):
        first = write(model, tmp_path / f"a.{suffix}").read_bytes()
        assert write(model, tmp_path / f"b.{suffix}").read_bytes() == first


def test_cli_export_graphml_of_a_trace_and_of_the_ecosystem(model, tmp_path):
    copies = len(tracer.trace(model, "dominos-order").copies)
    for words, nodes in ((["dominos-order"], copies), ([], len(model.holders))):
        out = tmp_path / f"g{len(words)}.graphml"
        result = CliRunner().invoke(app, ["export", "graphml", *words, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert read_graphml(out).number_of_nodes() == nodes
