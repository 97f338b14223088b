"""Lint warnings: the model loads, and each finding is named at file:line."""

from __future__ import annotations

import networkx as nx

import tracer
from tracer import lint
from tracer.lint import fides_taxonomy

BASE = """\
format: tracer/1
name: lint
sources: {used: {title: Used}, unused: {title: Nobody cites me}}
parties: {acme: {name: Acme}}
records:
  audio: {name: Audio, categories: [user.biometrics.voice]}
  text: {name: Text, categories: [user.biometric.voice, zz.unheard.of]}
holders:
  mic: {name: Mic, party: acme, keeps: {audio: {for: none, evidence: [used], confidence: stated}}}
  cloud:
    name: Cloud
    party: acme
    keeps:
      audio: {for: until_deleted, evidence: [used], confidence: stated}
  orphan: {name: Orphan, party: acme}
flows:
  - {from: mic, to: cloud, carries: [audio], purpose: essential.servic}
derivations:
  - {at: cloud, from: audio, to: text}
  - {at: cloud, from: text, to: audio}
interactions: {speak: {name: Speak, starts: {mic: [audio]}}}
deletions: {forget: {name: Forget}}
"""


def findings(tmp_path) -> list[str]:
    path = tmp_path / "lint.yaml"
    path.write_text(BASE)
    checked = tracer.check_model(path)
    return [str(w).removeprefix(f"{path}:") for w in checked.warnings]


def test_every_lint_rule_is_reported_at_its_line(tmp_path):
    assert findings(tmp_path) == [
        "3: sources.unused: no rule cites source 'unused'",
        "7: records.text.categories[0]: 'user.biometric.voice' is deprecated in the Fides taxonomy; use 'user.biometrics.voice'",
        "7: records.text.categories[1]: 'zz.unheard.of' is not a Fides data category",
        "14: holders.cloud.keeps.audio: kept until_deleted, but deleted_by names no request: nothing can delete it (use `for: forever` if that is the claim)",
        "15: holders.orphan: no interaction reaches holder 'orphan'",
        "17: flows[0].purpose: 'essential.servic' is not a Fides data use; did you mean 'essential.service'?",
        "19: derivations[0]: derivations at 'cloud' form a cycle: audio -> text -> audio",
        "19: derivations[0].to: holder 'cloud' gets 'text' but keeps has no rule for it: kept for an unknown time",
        "22: deletions.forget: no retention rule mentions deletion request 'forget': it deletes nothing",
    ]


def test_a_clean_model_has_no_findings():
    assert lint(tracer.load_model()) == []


def test_the_fides_taxonomy_ships_with_the_package():
    taxonomy = fides_taxonomy()
    assert taxonomy["data_categories"]["user.biometrics.voice"] is None
    assert taxonomy["data_uses"]["essential.service.payment_processing"] is None


def test_the_ecosystem_and_a_trace_as_networkx_graphs(alexa):
    ecosystem = tracer.ecosystem_graph(alexa)
    assert isinstance(ecosystem, nx.MultiDiGraph)
    assert ecosystem.number_of_nodes() == len(alexa.holders)
    assert ecosystem.number_of_edges() == len(alexa.flows) + len(alexa.derivations)
    assert ecosystem.edges["voice_history", "annotation_pool", "human-review"]["records"] == (
        "voice_recording", "transcript")
    result = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    graph = tracer.trace_graph(result)
    assert isinstance(graph, nx.DiGraph)
    assert set(graph.nodes) == {c.id for c in result.copies}
    assert graph.nodes["voice_history/voice_recording"]["status"] == "deleted"
    assert graph.edges["echo/voice_recording", "alexa_cloud/voice_recording"]["edges"] == ("capture",)
    # every copy is reachable from the start copies in the trace graph
    starts = {"echo/voice_recording", "echo/location"}
    reached = set(starts).union(*(nx.descendants(graph, s) for s in starts))
    assert reached == set(graph.nodes)
