"""Lint warnings: the model loads, and each finding is named at file:line."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

import tracer
from tracer.model.lint import fides_taxonomy, lint

BASE = """\
format: tracer/1
name: lint
sources:
  used: {title: Used, kind: official, date: 2024-01-01, url: "https://example.com/used"}
  paper: {title: A paper, kind: research, date: 2020-05, url: "https://example.com/paper"}
  unused: {title: Nobody cites me}
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
  - {from: mic, to: cloud, carries: [audio], purpose: essential.servic, evidence: [paper], confidence: stated}
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
        "6: sources.unused: no rule cites source 'unused'",
        "6: sources.unused: source 'unused' has no url and no date: a reader cannot check it",
        "10: records.text.categories[0]: 'user.biometric.voice' is deprecated in the Fides taxonomy; use 'user.biometrics.voice'",
        "10: records.text.categories[1]: 'zz.unheard.of' is not a Fides data category",
        "17: holders.cloud.keeps.audio: kept until_deleted, but deleted_by names no request: nothing can delete it (use `for: forever` if that is the claim)",
        "18: holders.orphan: no interaction reaches holder 'orphan'",
        "20: flows[0].confidence: stated, but its only sources are research documents (stated means the operator says so: cite it, or use reported, research or alleged)",
        "20: flows[0].purpose: 'essential.servic' is not a Fides data use; did you mean 'essential.service'?",
        "22: derivations[0]: derivations at 'cloud' form a cycle: audio -> text -> audio",
        "22: derivations[0].to: holder 'cloud' gets 'text' but keeps has no rule for it: kept for an unknown time",
        "25: deletions.forget: no retention rule mentions deletion request 'forget': it deletes nothing",
    ]


def test_a_clean_model_has_no_findings():
    assert lint(tracer.load_model()) == []


SOURCED = """\
format: tracer/1
name: sourced
sources:
  letter: {title: The operator's letter, kind: official, date: 2019-06-28, url: "https://example.com/l"}
  paper: {title: A study, kind: research, date: 2022-04, url: "https://example.com/p"}
  news: {title: A news report, kind: press, date: 2019-04-10, url: "https://example.com/n"}
  order: {title: A regulator's order, kind: regulator, date: 2023-07-19, url: "https://example.com/o"}
  blog: {title: Someone's blog, date: 2020-01-01}
  senator: {title: A senator's press release, kind: other, url: "https://example.com/s"}
parties: {acme: {name: Acme}}
records: {audio: {name: Audio}}
holders:
  mic: {name: Mic, party: acme, keeps: {audio: {for: none, evidence: [letter, news], confidence: stated}}}
  cloud:
    name: Cloud
    party: acme
    keeps:
      audio:
        for: until_deleted
        deleted_by: [forget, shout]
        evidence: [letter]
        confidence: stated
        per_request:
          shout: {evidence: [news, order], confidence: stated}
flows:
  - {from: mic, to: cloud, carries: [audio], evidence: [paper, news], confidence: stated}
  - {id: told, from: mic, to: cloud, carries: [audio], evidence: [senator], confidence: stated}
  - {id: heard, from: mic, to: cloud, carries: [audio], evidence: [news], confidence: reported}
interactions: {speak: {name: Speak, starts: {mic: [audio]}}}
deletions:
  forget: {name: Forget, evidence: [blog], confidence: reported}
  shout: {name: Shout, evidence: [order], confidence: stated}
"""


def test_a_source_without_url_or_date_and_stated_rules_resting_on_others_are_warned(tmp_path):
    path = tmp_path / "sourced.yaml"
    path.write_text(SOURCED)
    warnings = [str(w).removeprefix(f"{path}:") for w in tracer.check_model(path).warnings]
    assert warnings == [
        "8: sources.blog: source 'blog' has no url: a reader cannot check it",
        "9: sources.senator: source 'senator' has no date: a reader cannot check it",
        "24: holders.cloud.keeps.audio.per_request.shout.confidence: stated, but its only sources are press and regulator documents (stated means the operator says so: cite it, or use reported, research or alleged)",
        "26: flows[0].confidence: stated, but its only sources are press and research documents (stated means the operator says so: cite it, or use reported, research or alleged)",
        "32: deletions.shout.confidence: stated, but its only sources are regulator documents (stated means the operator says so: cite it, or use reported, research or alleged)",
    ]


QUOTED = """\
format: tracer/1
name: quoted
sources:
  letter:
    title: The operator's letter
    kind: official
    date: 2019-06-28
    url: "https://example.com/l"
    excerpt: >-
      We already delete those transcripts from all of Alexa’s primary
      storage systems, and we may still retain other records of customers’ Alexa interactions,
      including records of actions Alexa took.
  blog: {title: A blog, kind: other, date: 2020-01-01, url: "https://example.com/b"}
parties: {acme: {name: Acme}}
records: {audio: {name: Audio}}
holders: {mic: {name: Mic, party: acme, keeps: {audio: {for: none, evidence: [letter], confidence: stated}}}}
interactions: {speak: {name: Speak, starts: {mic: [audio]}}}
claims:
  straight: {by: acme, says: 'from "all of Alexa''s primary storage systems".', not_stored: {record: audio}, evidence: [letter]}
  elided: {by: acme, says: 'it "may still retain... records of actions Alexa took"', not_stored: {record: audio}, evidence: [letter]}
  paraphrase: {by: acme, says: Nothing is kept, not_stored: {record: audio}, evidence: [letter]}
  misquoted: {by: acme, says: 'it "deletes every record"', not_stored: {record: audio}, evidence: [letter]}
  out-of-order: {by: acme, says: '"records of actions... primary storage"', not_stored: {record: audio}, evidence: [letter]}
  unexcerpted: {by: blog, says: 'the blog says "it is all gone"', not_stored: {record: audio}}
"""


def test_a_claims_quoted_words_must_be_in_an_excerpt_of_a_source_it_cites(tmp_path):
    # curly and straight quotes, line breaks and ellipses are read alike; a paraphrase (no
    # quotation marks) is not checked
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED)
    warnings = [str(w).removeprefix(f"{path}:") for w in tracer.check_model(path).warnings]
    assert warnings == [
        '22: claims.misquoted.says: "deletes every record" is in no excerpt of the sources it '
        "cites (letter)",
        '23: claims.out-of-order.says: "records of actions... primary storage" is in no excerpt '
        "of the sources it cites (letter)",
        '24: claims.unexcerpted.says: "it is all gone" cannot be checked: no source it cites has '
        "an excerpt (blog)",
    ]


def test_both_shipped_models_are_clean():
    graphs = Path(tracer.__file__).parent / "graphs"
    for name in ("alexa.yaml", "alexa-2025.yaml"):
        assert tracer.check_model(graphs / name).warnings == (), name


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
        "voice_recording",
        "transcript",
    )
    result = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    graph = tracer.trace_graph(result)
    assert isinstance(graph, nx.DiGraph)
    assert set(graph.nodes) == {c.id for c in result.copies}
    assert graph.nodes["voice_history/voice_recording"]["status"] == "deleted"
    assert graph.edges["echo/voice_recording", "alexa_cloud/voice_recording"]["edges"] == (
        "capture",
    )
    # every copy is reachable from the start copies in the trace graph
    starts = {
        f"{holder}/{record}"
        for holder, records in alexa.interactions["dominos-order"].starts.items()
        for record in records
    }
    reached = set(starts).union(*(nx.descendants(graph, s) for s in starts))
    assert reached == set(graph.nodes)
