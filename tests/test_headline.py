"""The answer at a glance (tracer.render.headline) and the question the explorer opens on
(tracer.web.question, the model's `featured:` choice)."""

from __future__ import annotations

import pytest
from conftest import model

import tracer
from tracer.render.headline import headline, holdings
from tracer.web.question import featured_question

BODY = """
parties:
  acme: {name: Acme}
  other: {name: Other}
  me: {name: Me, role: data_subject}
holders:
  phone: {name: Phone, party: me}
  app: {name: App, party: acme, keeps: {audio: {for: until_deleted, deleted_by: [wipe], confidence: stated}}}
  crm: {name: CRM, party: other, keeps: {audio: {for: unknown, confidence: assumed}, text: {for: 7y, confidence: reported}}}
flows:
  - {from: phone, to: app, carries: [audio]}
  - {from: app, to: crm, carries: [audio]}
derivations:
  - {at: crm, from: audio, to: text}
interactions: {talk: {name: Talk, starts: {phone: [audio]}}}
deletions: {wipe: {name: Wipe my audio, by: me}}
"""
HEADER = "format: tracer/1\nname: test\nrecords: {audio: {name: Audio}, text: {name: Text}}\n"


@pytest.fixture
def small():
    return model(BODY, header=HEADER)


def test_the_headline_names_each_company_and_what_it_may_still_hold_after_the_request(small):
    after = tracer.trace(small, "talk", ["wipe"])
    assert headline(small, after).text == (
        'After "Wipe my audio", 1 company may still hold 2 copies: Other (2).'
    )
    before = tracer.trace(small, "talk", [], at="10d")
    assert headline(small, before).text == (
        "With no deletion request, on day 10, 2 companies may still hold 3 copies: "
        "Other (2), Acme (1)."
    )


def test_the_headline_says_still_hold_when_every_copy_is_held_and_none_when_nothing_is(alexa):
    m = model(
        BODY.replace("for: unknown, confidence: assumed", "for: 30d, confidence: stated"),
        header=HEADER,
    )
    held = headline(m, tracer.trace(m, "talk", ["wipe@5d"]))
    assert held.text == 'After "Wipe my audio" on day 5, 1 company still holds 2 copies: Other (2).'
    assert held.certain
    gone = headline(m, tracer.trace(m, "talk", ["wipe"], at="8y"))
    assert gone.text == (
        'After "Wipe my audio", on day 2920, no company holds any copy of this interaction\'s '
        "records any more."
    )


def test_the_table_has_a_row_per_company_a_column_per_record_and_status_and_confidence_in_cells(
    small,
):
    table = holdings(small, tracer.trace(small, "talk", ["wipe"]))
    assert [row.party for row in table.rows] == ["other", "acme"]  # most remaining first
    assert table.records == (("audio", "Audio"), ("text", "Text"))
    assert table.cell("acme", "audio").status == "deleted"
    assert table.cell("other", "audio").status == "may_remain"
    assert table.cell("other", "audio").confidence == "assumed"
    assert table.cell("other", "text").status == "held"
    assert table.cell("acme", "text") is None  # never received
    assert table.cell("me", "audio") is None  # the person's own device is not a company


def test_the_explorer_opens_on_the_models_featured_question_else_the_flagship(small, alexa):
    assert featured_question(alexa) == {
        "interaction": "dominos-order",
        "delete": ["delete-recording"],
        "at": None,
    }
    assert featured_question(small) == {"interaction": "talk", "delete": [], "at": None}
    chosen = model(
        BODY + "featured: {interaction: talk, delete: wipe@3d, at: 30d}\n", header=HEADER
    )
    assert featured_question(chosen) == {"interaction": "talk", "delete": ["wipe@3d"], "at": "30d"}


def test_a_featured_question_naming_unknown_ids_is_an_error_at_its_line():
    with pytest.raises(tracer.ModelError) as error:
        model(BODY + "featured: {interaction: tlak, delete: [wip]}\n", header=HEADER)
    assert [str(p).split(": ", 1)[1] for p in error.value.problems] == [
        "featured.delete[0]: unknown deletion request 'wip'; did you mean 'wipe'?",
        "featured.interaction: unknown interaction 'tlak'; did you mean 'talk'?",
    ]
