"""docs/format.md, Semantics: one small model per rule."""

from __future__ import annotations

import pytest
from conftest import model, statuses

import tracer
from tracer import trace

# --- 4.1 Trace -------------------------------------------------------------------------------

TAGGED = """
holders:
  a: {name: A, party: acme, keeps: {audio: {for: forever}}}
  b: {name: B, party: acme, keeps: {audio: {for: forever}}}
  c: {name: C, party: other, keeps: {audio: {for: forever}}}
flows:
  - {from: a, to: b, carries: [audio], when: [skill]}
  - {from: a, to: c, carries: [audio], when: [skill, purchase]}
interactions:
  plain: {name: Plain, starts: {a: [audio]}}
  skill: {name: Skill, tags: [skill], starts: {a: [audio]}}
  purchase: {name: Purchase, tags: [skill, purchase], starts: {a: [audio]}}
"""


def test_a_flow_is_active_only_when_the_interaction_has_all_its_tags():
    m = model(TAGGED)
    assert set(statuses(trace(m, "plain"))) == {"a/audio"}
    assert set(statuses(trace(m, "skill"))) == {"a/audio", "b/audio"}
    assert set(statuses(trace(m, "purchase"))) == {"a/audio", "b/audio", "c/audio"}


def test_a_flow_copies_only_the_records_the_sender_holds():
    m = model("""
    holders:
      a: {name: A, party: acme}
      b: {name: B, party: acme}
    flows: [{from: a, to: b, carries: [audio, text]}]
    interactions: {i: {name: I, starts: {a: [audio]}}}
    """)
    assert set(statuses(trace(m, "i"))) == {"a/audio", "b/audio"}


def test_a_derivation_makes_a_new_record_at_the_same_holder():
    m = model("""
    holders: {cloud: {name: Cloud, party: acme}}
    derivations: [{at: cloud, from: audio, to: text}]
    interactions: {i: {name: I, starts: {cloud: [audio]}}}
    """)
    result = trace(m, "i")
    assert result.copy("cloud/text").path == ("cloud:audio->text",)


CHAIN = """
holders:
  a: {name: A, party: acme}
  b: {name: B, party: acme}
  c: {name: C, party: acme}
  d: {name: D, party: acme}
flows:
  - {id: long-1, from: a, to: b, carries: [audio]}
  - {id: long-2, from: b, to: c, carries: [audio]}
  - {id: long-3, from: c, to: d, carries: [audio]}
  - {id: short-2, from: a, to: d, carries: [audio]}
  - {id: tie-later, from: a, to: c, carries: [audio]}
  - {id: back, from: d, to: a, carries: [audio]}
interactions: {i: {name: I, starts: {a: [audio]}}}
"""


def test_first_path_has_the_fewest_edges():
    result = trace(model(CHAIN), "i")
    assert result.copy("d/audio").path == ("short-2",)
    assert result.copy("a/audio").path == ()


def test_first_path_ties_are_broken_by_file_order():
    tie = model("""
    holders:
      a: {name: A, party: acme}
      b: {name: B, party: acme}
      c: {name: C, party: acme}
      d: {name: D, party: acme}
    flows:
      - {id: via-c-1, from: a, to: c, carries: [audio]}
      - {id: via-b-1, from: a, to: b, carries: [audio]}
      - {id: via-b-2, from: b, to: d, carries: [audio]}
      - {id: via-c-2, from: c, to: d, carries: [audio]}
    interactions: {i: {name: I, starts: {a: [audio]}}}
    """)
    # both paths have two edges; a->c comes first in the file, so the path through c wins
    assert trace(tie, "i").copy("d/audio").path == ("via-c-1", "via-c-2")


def test_feeds_lists_every_active_edge_into_a_copy_and_cycles_are_allowed():
    result = trace(model(CHAIN), "i")
    assert result.copy("d/audio").feeds == ("long-3", "short-2")
    assert result.copy("a/audio").feeds == ("back",)
    assert len(result.copies) == 4


# --- 4.2 Retention ---------------------------------------------------------------------------


def test_for_none_makes_a_transient_copy():
    m = model("""
    holders: {cloud: {name: Cloud, party: acme, keeps: {audio: {for: none}}}}
    interactions: {i: {name: I, starts: {cloud: [audio]}}}
    """)
    copy = trace(m, "i").copy("cloud/audio")
    assert (copy.status, copy.reason) == ("transient", "processed here, never stored (for: none)")


def test_a_holder_without_a_rule_keeps_the_record_for_an_unknown_time():
    m = model("""
    holders: {cloud: {name: Cloud, party: acme}}
    interactions: {i: {name: I, starts: {cloud: [audio]}}}
    """)
    copy = trace(m, "i").copy("cloud/audio")
    assert copy.status == "may_remain"
    assert copy.confidence == "unknown"
    assert copy.reason == "no retention rule for audio at cloud: kept for an unknown time"


def test_for_unknown_or_confidence_unknown_is_may_remain():
    m = model("""
    holders:
      a: {name: A, party: acme, keeps: {audio: {for: unknown}}}
      b: {name: B, party: acme, keeps: {audio: {for: forever, confidence: unknown}}}
    flows: [{from: a, to: b, carries: [audio]}]
    interactions: {i: {name: I, starts: {a: [audio]}}}
    """)
    assert statuses(trace(m, "i")) == {"a/audio": "may_remain", "b/audio": "may_remain"}


# --- 4.3 Time --------------------------------------------------------------------------------

TIMED = """
holders:
  inbox:
    name: Inbox
    party: acme
    keeps: {note: {for: 30d, deleted_by: [wipe, auto-3mo]}}
  archive:
    name: Archive
    party: acme
    keeps: {note: {for: until_deleted, deleted_by: [wipe, auto-3mo]}}
flows: [{from: inbox, to: archive, carries: [note]}]
interactions: {write: {name: Write, starts: {inbox: [note]}}}
deletions:
  wipe: {name: Wipe, by: acme}
  auto-3mo: {name: Auto-delete after 3 months, after: 3mo}
"""


def test_a_duration_expires_at_that_many_days_after_the_interaction():
    m = model(TIMED)
    assert trace(m, "write", at="29d").copy("inbox/note").status == "held"
    expired = trace(m, "write", at="30d").copy("inbox/note")
    assert (expired.status, expired.reason) == ("expired", "kept for 30d: retention ran out at 30d")
    assert expired.ended == 30


def test_a_request_happens_at_the_time_named_and_the_query_time_defaults_to_the_latest():
    result = trace(model(TIMED), "write", ["wipe@10d"])
    assert result.at == 10
    assert result.copy("archive/note").reason == "deleted by wipe at 10d"
    assert result.copy("inbox/note").status == "deleted"


def test_a_scheduled_request_happens_at_its_after():
    result = trace(model(TIMED), "write", ["auto-3mo"])
    assert [r.to_dict() for r in result.requests] == [{"id": "auto-3mo", "at": "90d"}]
    assert result.at == 90
    assert statuses(result) == {"archive/note": "deleted", "inbox/note": "expired"}


def test_a_request_after_the_query_time_is_not_applied():
    result = trace(model(TIMED), "write", ["wipe@60d"], at="40d")
    assert statuses(result) == {"archive/note": "held", "inbox/note": "expired"}


def test_requests_are_applied_and_listed_in_time_order():
    result = trace(model(TIMED), "write", ["auto-3mo", "wipe@5d"])
    assert [(r.id, r.at) for r in result.requests] == [("wipe", 5), ("auto-3mo", 90)]
    assert result.copy("archive/note").reason == "deleted by wipe at 5d"


def test_a_scheduled_request_takes_no_other_time():
    with pytest.raises(tracer.RequestError, match="'auto-3mo' is scheduled: it happens at 90d"):
        trace(model(TIMED), "write", ["auto-3mo@5d"])


def test_an_unreadable_time_is_a_request_error():
    with pytest.raises(tracer.RequestError, match="'soon' is not a duration"):
        trace(model(TIMED), "write", ["wipe@soon"])


# --- 4.4 Deletion ----------------------------------------------------------------------------

SPREAD = """
holders:
  a: {name: A, party: acme, keeps: {audio: {for: until_deleted, deleted_by: [del], evidence: [s1], confidence: stated}}}
  b: {name: B, party: acme, keeps: {audio: {for: forever}}}
  c: {name: C, party: other, keeps: {audio: {for: forever}}}
  d: {name: D, party: other, keeps: {audio: {for: forever}}}
  e: {name: E, party: other, keeps: {audio: {for: forever}}}
  f: {name: F, party: other, keeps: {audio: {for: forever}}}
flows:
  - {id: a-b, from: a, to: b, carries: [audio], deletion: propagated, evidence: [s2], confidence: reported}
  - {id: b-c, from: b, to: c, carries: [audio], deletion: propagated}
  - {id: a-d, from: a, to: d, carries: [audio], deletion: unclear}
  - {id: d-e, from: d, to: e, carries: [audio], deletion: propagated}
  - {id: a-f, from: a, to: f, carries: [audio]}
sources: {s1: {title: One}, s2: {title: Two}}
interactions: {i: {name: I, starts: {a: [audio]}}}
deletions: {del: {name: Delete}}
"""


def test_deleted_by_deletes_the_copy_and_propagated_edges_spread_it_transitively():
    result = trace(model(SPREAD), "i", ["del"])
    assert result.copy("a/audio").status == "deleted"
    assert result.copy("b/audio").status == "deleted"
    assert result.copy("c/audio").status == "deleted"
    assert result.copy("b/audio").reason == (
        "deleted at 0d: del deleted a/audio and flow 'a-b' propagates deletion"
    )
    assert (result.copy("b/audio").evidence, result.copy("b/audio").confidence) == (
        ("s2",),
        "reported",
    )


def test_an_unclear_edge_leaves_the_receiver_may_remain_and_may_remain_spreads_on():
    result = trace(model(SPREAD), "i", ["del"])
    assert result.copy("d/audio").status == "may_remain"
    assert result.copy("d/audio").reason == (
        "del deleted a/audio, but flow 'a-d' passes deletion on unclearly"
    )
    # from a may-remain copy, only may-remain spreads, even along a propagated edge
    assert result.copy("e/audio").status == "may_remain"


def test_an_ignored_edge_does_not_spread_deletion():
    assert trace(model(SPREAD), "i", ["del"]).copy("f/audio").status == "held"


def test_unclear_for_marks_may_remain_with_the_rule_note():
    m = model("""
    holders:
      sub: {name: Sub, party: acme, keeps: {text: {for: forever, unclear_for: [del], note: an ongoing effort}}}
    interactions: {i: {name: I, starts: {sub: [text]}}}
    deletions: {del: {name: Delete}}
    """)
    copy = trace(m, "i", ["del"]).copy("sub/text")
    assert (copy.status, copy.reason) == (
        "may_remain",
        "del may not remove it here: an ongoing effort",
    )


def test_deleted_beats_may_remain():
    m = model("""
    holders:
      a: {name: A, party: acme, keeps: {audio: {for: forever, deleted_by: [del]}}}
      b: {name: B, party: acme, keeps: {audio: {for: forever, unclear_for: [del]}}}
    flows: [{from: a, to: b, carries: [audio], deletion: propagated}]
    interactions: {i: {name: I, starts: {a: [audio]}}}
    deletions: {del: {name: Delete}}
    """)
    assert statuses(trace(m, "i", ["del"])) == {"a/audio": "deleted", "b/audio": "deleted"}
    # and a later deletion overrides an earlier may-remain
    m2 = model("""
    holders:
      b: {name: B, party: acme, keeps: {audio: {for: forever, unclear_for: [first], deleted_by: [second]}}}
    interactions: {i: {name: I, starts: {b: [audio]}}}
    deletions: {first: {name: First}, second: {name: Second}}
    """)
    assert statuses(trace(m2, "i", ["first@1d", "second@2d"])) == {"b/audio": "deleted"}


def test_transient_copies_are_neither_deleted_nor_spread_from():
    m = model("""
    holders:
      a: {name: A, party: acme, keeps: {audio: {for: none, deleted_by: [del]}}}
      b: {name: B, party: acme, keeps: {audio: {for: forever}}}
    flows: [{from: a, to: b, carries: [audio], deletion: propagated}]
    interactions: {i: {name: I, starts: {a: [audio]}}}
    deletions: {del: {name: Delete}}
    """)
    assert statuses(trace(m, "i", ["del"])) == {"a/audio": "transient", "b/audio": "held"}


def test_expiry_before_a_later_deletion_stays_expired():
    result = trace(model(TIMED), "write", ["wipe@45d"])
    assert result.copy("inbox/note").status == "expired"
    assert result.copy("inbox/note").ended == 30
    assert result.copy("archive/note").status == "deleted"


def test_deletion_before_expiry_is_deleted_even_after_the_expiry_date():
    copy = trace(model(TIMED), "write", ["wipe@10d"], at="1y").copy("inbox/note")
    assert (copy.status, copy.ended) == ("deleted", 10)


# The same-day rule: a period of D days ends at the start of day D, before any request of that
# day. `inbox` keeps the note for 30d and passes a wipe on to `mirror` (propagated) and to
# `shadow` (unclear); both keep it until deleted.
SAME_DAY = """
sources: {s1: {title: One}}
holders:
  inbox: {name: Inbox, party: acme, keeps: {note: {for: 30d, deleted_by: [wipe], evidence: [s1], confidence: stated}}}
  mirror: {name: Mirror, party: acme, keeps: {note: {for: until_deleted, deleted_by: [purge], confidence: stated}}}
  shadow: {name: Shadow, party: other, keeps: {note: {for: until_deleted, deleted_by: [purge], confidence: stated}}}
  pending: {name: Pending, party: other, keeps: {note: {for: 30d, unclear_for: [wipe], confidence: stated}}}
flows:
  - {id: to-mirror, from: inbox, to: mirror, carries: [note], deletion: propagated, confidence: stated}
  - {id: to-shadow, from: inbox, to: shadow, carries: [note], deletion: unclear, confidence: stated}
  - {id: to-pending, from: inbox, to: pending, carries: [note], confidence: stated}
interactions: {write: {name: Write, starts: {inbox: [note]}}}
deletions: {wipe: {name: Wipe}, purge: {name: Purge}}
"""


def test_a_request_on_the_last_day_of_a_period_deletes_and_spreads():
    result = trace(model(SAME_DAY), "write", ["wipe@29d"])
    assert statuses(result) == {
        "inbox/note": "deleted",
        "mirror/note": "deleted",
        "shadow/note": "may_remain",
        "pending/note": "may_remain",
    }
    assert result.copy("inbox/note").reason == "deleted by wipe at 29d"
    assert result.copy("mirror/note").reason == (
        "deleted at 29d: wipe deleted inbox/note and flow 'to-mirror' propagates deletion"
    )
    # the deletion stands after the day the period would have ended
    assert trace(model(SAME_DAY), "write", ["wipe@29d"], at="31d").copy("inbox/note").status == (
        "deleted"
    )


def test_a_request_on_the_day_a_period_ends_finds_the_copy_expired_and_spreads_nothing():
    result = trace(model(SAME_DAY), "write", ["wipe@30d"])
    assert statuses(result) == {
        "inbox/note": "expired",
        "mirror/note": "held",  # the expired copy was not deleted, so nothing propagates
        "shadow/note": "held",  # nor passes on unclearly
        "pending/note": "expired",  # and its own doubt comes too late
    }
    inbox = result.copy("inbox/note")
    assert (inbox.reason, inbox.ended) == ("kept for 30d: retention ran out at 30d", 30)
    assert [party for party, access in result.parties.items() if access.held] == [
        "acme",
        "other",
    ]


def test_a_zero_day_period_has_ended_before_a_request_at_day_zero():
    m = model("""
    holders:
      cache: {name: Cache, party: acme, keeps: {note: {for: 0d, deleted_by: [wipe]}}}
      copy: {name: Copy, party: acme, keeps: {note: {for: forever}}}
    flows: [{from: cache, to: copy, carries: [note], deletion: propagated}]
    interactions: {write: {name: Write, starts: {cache: [note]}}}
    deletions: {wipe: {name: Wipe}}
    """)
    assert statuses(trace(m, "write", ["wipe"])) == {"cache/note": "expired", "copy/note": "held"}


# --- 4.5 / 4.6 Status and access -------------------------------------------------------------


def test_held_reasons_say_how_long_and_until_what():
    m = model(TIMED)
    result = trace(m, "write", at="1d")
    assert result.copy("archive/note").reason == "kept until deleted by wipe or auto-3mo"
    assert result.copy("inbox/note").reason == "kept for 30d (until 30d)"


def test_access_defaults_to_the_holders_party_and_grants_add_parties():
    m = model("""
    holders:
      a: {name: A, party: acme, keeps: {audio: {for: forever}}}
      b: {name: B, party: acme, access: [acme, {party: other, as: reviewer}], keeps: {audio: {for: unknown}}}
    flows: [{from: a, to: b, carries: [audio]}]
    interactions: {i: {name: I, starts: {a: [audio]}}}
    """)
    result = trace(m, "i")
    assert result.copy("a/audio").access == ("acme",)
    assert result.copy("b/audio").access == ("acme", "other")
    assert result.parties == {
        "acme": tracer.PartyAccess(held=("a/audio",), may_remain=("b/audio",)),
        "other": tracer.PartyAccess(held=(), may_remain=("b/audio",)),
    }


def test_parties_list_only_copies_that_are_held_or_may_remain():
    result = trace(model(TIMED), "write", ["wipe"])
    assert result.parties == {}


def test_to_dict_has_the_documented_json_shape():
    result = trace(model(TIMED), "write", ["wipe@10d"], at="20d")
    assert result.to_dict() == {
        "model": "test",
        "interaction": "write",
        "requests": [{"id": "wipe", "at": "10d"}],
        "at": "20d",
        "copies": [
            {
                "id": "archive/note",
                "holder": "archive",
                "record": "note",
                "party": "acme",
                "status": "deleted",
                "reason": "deleted by wipe at 10d",
                "path": ["inbox->archive"],
                "access": ["acme"],
                "evidence": [],
                "confidence": "assumed",
                "footing": "assumed",
            },
            {
                "id": "inbox/note",
                "holder": "inbox",
                "record": "note",
                "party": "acme",
                "status": "deleted",
                "reason": "deleted by wipe at 10d",
                "path": [],
                "access": ["acme"],
                "evidence": [],
                "confidence": "assumed",
                "footing": "assumed",
            },
        ],
        "parties": {},
    }


# --- ids the caller names --------------------------------------------------------------------


def test_an_unknown_interaction_names_the_known_ones_and_a_close_match():
    with pytest.raises(tracer.UnknownIdError) as caught:
        trace(model(TIMED), "wrte")
    assert str(caught.value) == "unknown interaction 'wrte'; did you mean 'write'? (known: write)"


def test_an_unknown_deletion_request_names_the_known_ones():
    with pytest.raises(tracer.UnknownIdError) as caught:
        trace(model(TIMED), "write", ["wipe-all"])
    assert str(caught.value) == (
        "unknown deletion request 'wipe-all'; did you mean 'wipe'? (known: auto-3mo, wipe)"
    )
