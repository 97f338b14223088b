"""The shipped Alexa models say what the public record says, and no more (graphs/alexa.yaml as of
Amazon's 2019 letter, graphs/alexa-2025.yaml as of March 2025).

Each test is one claim, checked through the public API; ids like A6 or D3 refer to the fact sheet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import tracer
from tracer import trace

PACKAGED = Path(tracer.__file__).parent / "graphs"

EVERY = [
    "dominos-order",
    "uber-ride",
    "lyft-ride",
    "music-unlimited",
    "fresh-order",
    "in-skill-purchase",
    "amazon-pay-purchase",
    "set-reminder",
    "weather",
]
SKILLS = {
    "dominos-order": "dominos",
    "uber-ride": "uber",
    "lyft-ride": "lyft",
    "in-skill-purchase": "game_developer",
    "amazon-pay-purchase": "merchant",
}
# deletion options the press reports, beside the one Amazon's letter describes (delete-recording)
REPORTED_DELETIONS = ["delete-by-voice", "delete-today-by-voice", "delete-all-history"]


@pytest.fixture(scope="module")
def alexa2025() -> tracer.Model:
    return tracer.load_model(PACKAGED / "alexa-2025.yaml")


@pytest.fixture(scope="module", params=["alexa.yaml", "alexa-2025.yaml"])
def shipped(request) -> tracer.Model:
    return tracer.load_model(PACKAGED / request.param)


def status(result: tracer.Trace, copy_id: str) -> str:
    return result.copy(copy_id).status


def rules(model: tracer.Model):
    """Every rule of the model with where it is: retention (and per-request), access, flows,
    derivations, deletion requests."""
    for h, holder in model.holders.items():
        for index, grant in enumerate(holder.access or ()):
            if grant.evidence:  # a bare party id is a grant nobody needs to cite
                yield f"holders.{h}.access[{index}]", grant
        for r, rule in holder.keeps.items():
            yield f"holders.{h}.keeps.{r}", rule
            for request, cited in rule.per_request.items():
                yield f"holders.{h}.keeps.{r}.per_request.{request}", cited
    yield from ((f"flows.{f.key}", f) for f in model.flows)
    yield from ((f"derivations.{d.key}", d) for d in model.derivations)
    yield from ((f"deletions.{k}", d) for k, d in model.deletions.items())


# --- what every rule rests on -------------------------------------------------------------------


def test_every_stated_rule_cites_amazon_and_every_alleged_rule_a_regulator(shipped):
    for where, rule in rules(shipped):
        sources = [shipped.sources[key] for key in rule.evidence]
        if rule.confidence == "stated":
            assert any(
                s.kind == "official" and s.publisher == "Amazon" for s in sources
            ), f"{where} is stated but cites no source published by Amazon"
        if rule.confidence == "alleged":
            assert any(s.kind == "regulator" for s in sources), (
                f"{where} is alleged but cites no regulator document"
            )


def test_every_source_has_a_title_publisher_kind_date_and_url(shipped):
    for key, source in shipped.sources.items():
        assert source.title and source.publisher and source.kind, key
        assert source.date and source.url and source.url.startswith(("https://", "http://")), key


def test_every_rule_cites_evidence_or_says_why_it_is_assumed(shipped):
    for where, rule in rules(shipped):
        if rule.confidence in ("assumed", "unknown"):
            assert rule.note, f"{where} is {rule.confidence} without a note saying why"
        else:
            assert rule.evidence, f"{where} is {rule.confidence} but cites nothing"


def test_both_shipped_models_validate_without_warnings(shipped):
    assert tracer.lint(shipped) == []


# --- dated models ---------------------------------------------------------------------------------


def test_each_model_is_dated_and_2025_keeps_the_2019_ids(alexa, alexa2025):
    assert (alexa.name, alexa.date) == ("Amazon Alexa (2019)", "2019-06-28")
    assert (alexa2025.name, alexa2025.date) == ("Amazon Alexa (2025)", "2025-03-28")
    for section in ("parties", "records", "holders", "interactions", "deletions", "sources"):
        assert set(getattr(alexa, section)) <= set(getattr(alexa2025, section)), section


def test_options_that_came_after_the_2019_letter_are_only_in_the_2025_model(alexa, alexa2025):
    later = {"auto-delete-3mo", "auto-delete-18mo", "dont-save", "opt-out-human-review"}
    assert not later & set(alexa.deletions)
    assert later <= set(alexa2025.deletions)
    assert "voice_id" not in alexa.holders and "voice_id" in alexa2025.holders


def test_the_ids_users_rely_on_exist(alexa):
    assert {"amazon", "dominos", "uber", "lyft", "annotators", "user"} <= set(alexa.parties)
    assert {
        "voice_recording",
        "transcript",
        "response_audio",
        "response_transcript",
        "skill_request",
        "action_record",
        "transaction_record",
    } <= set(alexa.records)
    assert set(EVERY) <= set(alexa.interactions)
    assert {"delete-recording", *REPORTED_DELETIONS, "disable-skill"} <= set(alexa.deletions)


# --- recordings and transcripts (A4, A5, E1-E4) ---------------------------------------------------


@pytest.mark.parametrize("interaction", EVERY)
def test_a_voice_recording_is_kept_until_the_user_deletes_it(shipped, interaction):
    assert status(trace(shipped, interaction, at="10y"), "voice_history/voice_recording") == "held"
    reason = trace(shipped, interaction).copy("voice_history/voice_recording").reason
    assert reason.startswith("kept until deleted by delete-recording or delete-by-voice")


@pytest.mark.parametrize("interaction", EVERY)
def test_deleting_a_recording_removes_it_from_every_amazon_store_and_its_transcripts(
    alexa, interaction
):
    result = trace(alexa, interaction, ["delete-recording"])
    amazon_recordings = [
        c
        for c in result.copies
        if c.record == "voice_recording"
        and c.party == "amazon"
        and alexa.holders[c.holder].kind == "store"
    ]
    assert [c.id for c in amazon_recordings] == ["voice_history/voice_recording"]
    for copy_id in ("voice_recording", "transcript", "response_transcript"):
        copy = result.copy(f"voice_history/{copy_id}")
        assert (copy.status, copy.confidence) == ("deleted", "stated")
        assert "amazon-coons-2019" in copy.evidence


@pytest.mark.parametrize("request_id", REPORTED_DELETIONS)
def test_other_deletion_options_remove_the_recording_as_reported_and_transcripts_maybe(
    alexa, request_id
):
    result = trace(alexa, "weather", [request_id])
    recording = result.copy("voice_history/voice_recording")
    assert (recording.status, recording.confidence) == ("deleted", "reported")
    assert "amazon-coons-2019" not in recording.evidence
    for record in ("transcript", "response_transcript"):
        copy = result.copy(f"voice_history/{record}")
        assert (copy.status, copy.confidence) == ("may_remain", "unknown")
        assert "no cited source says whether it removes" in copy.reason


@pytest.mark.parametrize(("setting", "day"), [("auto-delete-3mo", 90), ("auto-delete-18mo", 540)])
def test_auto_delete_removes_the_recording_at_that_time_and_not_before(alexa2025, setting, day):
    before = trace(alexa2025, "weather", [setting], at=f"{day - 1}d")
    after = trace(alexa2025, "weather", [setting])
    assert after.at == day
    assert status(before, "voice_history/voice_recording") == "held"
    recording = after.copy("voice_history/voice_recording")
    assert (recording.status, recording.confidence) == ("deleted", "reported")
    assert recording.reason == f"deleted by {setting} at {day}d"
    assert status(after, "voice_history/transcript") == "may_remain"


def test_dont_save_deletes_the_audio_as_amazon_states_but_not_surely_the_transcript(alexa2025):
    result = trace(alexa2025, "weather", ["dont-save"])
    recording = result.copy("voice_history/voice_recording")
    assert (recording.status, recording.confidence) == ("deleted", "stated")
    assert "amazon-email-2025" in recording.evidence
    transcript = result.copy("voice_history/transcript")
    assert (transcript.status, transcript.confidence) == ("may_remain", "unknown")
    assert 'whether "Don\'t save" also deletes transcripts' in transcript.reason


@pytest.mark.parametrize("interaction", EVERY)
def test_transcript_may_remain_in_other_subsystems_after_delete_recording_citing_the_letter(
    alexa, interaction
):
    copy = trace(alexa, interaction, ["delete-recording"]).copy("alexa_subsystems/transcript")
    assert copy.status == "may_remain"
    assert copy.reason.startswith("delete-recording may not remove it here: ")
    assert '"an ongoing effort"' in copy.reason
    assert "amazon-coons-2019" in copy.evidence and "coons-2019" not in copy.evidence
    assert copy.confidence == "stated"


def test_training_on_transcripts_cites_amazon_and_notes_the_ftcs_allegation(alexa):
    flow = next(f for f in alexa.flows if f.key == "copy-to-subsystems")
    assert flow.purpose == "train_ai_system" and flow.confidence == "stated"
    assert "coons-2019" not in flow.evidence
    assert {"amazon-coons-2019", "willkie-2023"} <= set(flow.evidence)
    assert "did not disclose" in flow.note


@pytest.mark.parametrize("interaction", EVERY)
def test_the_audio_of_alexas_response_is_never_stored(alexa, interaction):
    copies = [c for c in trace(alexa, interaction, at="10y").copies if c.record == "response_audio"]
    assert {c.holder for c in copies} == {"alexa_cloud", "echo"}
    for copy in copies:
        assert copy.status == "transient"
        assert (copy.evidence, copy.confidence) == (("amazon-coons-2019",), "stated")


def test_capture_and_speech_recognition_rest_on_amazons_own_words(alexa):
    edges = {e.key: e for e in (*alexa.flows, *alexa.derivations)}
    for key in ("capture", "speech-recognition"):
        assert edges[key].confidence == "stated"
        assert "ftc-blog-2023" not in edges[key].evidence
        assert "amazon-coons-2019" in edges[key].evidence


# --- actions, reminders, transactions (A6, B6) ----------------------------------------------------


@pytest.mark.parametrize("interaction", EVERY)
def test_records_of_actions_remain_after_delete_recording_with_amazon_and_the_skill_developer(
    alexa, interaction
):
    result = trace(alexa, interaction, ["delete-recording"])
    actions = result.copy("alexa_actions/action_record")
    assert actions.remains and "amazon" in actions.access
    assert "amazon-coons-2019" in actions.evidence
    if interaction in SKILLS:
        developer = SKILLS[interaction]
        developer_actions = [
            c for c in result.copies if c.record == "action_record" and c.party == developer
        ]
        assert len(developer_actions) == 1 and developer_actions[0].remains
        assert developer in result.parties


def test_a_reminder_is_kept_by_amazon_after_the_recording_is_deleted(alexa):
    reminder = trace(alexa, "set-reminder", ["delete-recording"]).copy("alexa_actions/reminder")
    assert (reminder.status, reminder.confidence) == ("may_remain", "stated")
    assert "recurring alarms and reminders" in reminder.reason
    assert "alexa_actions/reminder" not in {c.id for c in trace(alexa, "weather").copies}


@pytest.mark.parametrize(
    ("interaction", "keepers", "confidence"),
    [
        ("music-unlimited", {"amazon"}, "stated"),
        ("fresh-order", {"amazon"}, "stated"),
        ("in-skill-purchase", {"amazon"}, "stated"),
        ("uber-ride", {"amazon", "uber"}, "assumed"),
        ("lyft-ride", {"amazon", "lyft"}, "assumed"),
        ("dominos-order", {"amazon", "dominos"}, "assumed"),
    ],
)
def test_a_transaction_record_remains_with_amazon_and_or_the_skill_developer(
    alexa, interaction, keepers, confidence
):
    # A6: "Amazon and/or the applicable skill developer": who keeps a skill's order is not stated
    result = trace(alexa, interaction, ["delete-recording"])
    transactions = [c for c in result.copies if c.record == "transaction_record"]
    assert {c.party for c in transactions} == keepers
    for copy in transactions:
        assert copy.remains
        assert "amazon-coons-2019" in copy.evidence and copy.confidence == confidence


def test_an_in_skill_purchase_gives_the_skill_only_the_entitlement_it_is_assumed_to_store(alexa):
    result = trace(alexa, "in-skill-purchase", ["delete-recording"])
    game = {c.record: c for c in result.copies if c.party == "game_developer"}
    assert set(game) == {"skill_request", "action_record", "entitlement", "tracker_event"}
    assert game["tracker_event"].status == "transient"
    assert game["entitlement"].confidence == "assumed"


def test_amazon_pay_gives_the_merchant_the_billing_and_shipping_details(alexa):
    result = trace(alexa, "amazon-pay-purchase", ["delete-recording"])
    details = result.copy("merchant_backend/billing_details")
    assert details.path[-1] == "amazon-pay-details" and details.remains
    assert {c.party for c in result.copies if c.record == "transaction_record"} == {
        "amazon",
        "merchant",
    }


# --- skills: requests, account linking, permissions (B1-B5) ---------------------------------------


@pytest.mark.parametrize("interaction", [*EVERY, "kids-request"])
def test_skill_developers_get_the_request_content_but_never_the_recording(alexa, interaction):
    result = trace(alexa, interaction)
    developers = {key for key, party in alexa.parties.items() if party.role == "skill_developer"}
    received = {c.record for c in result.copies if c.party in developers}
    assert not received & {"voice_recording", "transcript", "response_transcript"}
    if interaction in SKILLS:
        copy = result.copy(
            f"{next(c.holder for c in result.copies if c.party == SKILLS[interaction])}/skill_request"
        )
        assert copy.path[-1].endswith("-request")


@pytest.mark.parametrize(
    ("interaction", "holder"), [("dominos-order", "dominos_backend"), ("uber-ride", "uber_backend")]
)
def test_disabling_a_linked_skill_leaves_the_developers_account_and_token_in_doubt(
    alexa, interaction, holder
):
    result = trace(alexa, interaction, ["disable-skill"])
    for record in ("developer_account", "link_token", "skill_request"):
        copy = result.copy(f"{holder}/{record}")
        assert copy.status == "may_remain"
        assert copy.reason.startswith("disable-skill may not remove it here")
    assert "new userId" in result.copy(f"{holder}/skill_request").reason


def test_revoking_a_permission_is_unclear_for_the_profile_data_the_skill_pulled(alexa):
    copy = trace(alexa, "uber-ride", ["revoke-permission"]).copy("uber_backend/profile_data")
    assert copy.status == "may_remain"
    assert "PermissionChanged" in copy.reason


def test_permissions_beyond_the_address_reach_the_merchant_and_revoking_them_is_unclear(alexa):
    result = trace(alexa, "amazon-pay-purchase", ["revoke-permission"])
    contact = result.copy("merchant_backend/profile_data")
    assert contact.path == ("merchant-contact",)
    assert (contact.status, contact.confidence) == ("may_remain", "assumed")


def test_a_recognised_speakers_person_id_reaches_the_skill_in_2025(alexa2025):
    result = trace(alexa2025, "recognised-speaker", ["dont-save"])
    person = result.copy("game_backend/person_id")
    assert person.path == ("capture", "recognise-speaker", "game-person-id") and person.remains
    profile = result.copy("voice_id/voice_profile")
    assert (profile.status, profile.confidence) == ("may_remain", "stated")


# --- third parties (C1-C3) ------------------------------------------------------------------------


def test_trackers_get_only_interaction_data_as_iqbal_observed(alexa):
    flow = next(f for f in alexa.flows if f.key == "skill-trackers")
    assert (flow.carries, flow.evidence, flow.confidence) == (
        ("tracker_event",),
        ("iqbal-2022",),
        "research",
    )


def test_ad_partners_get_a_synced_identifier_not_interest_segments(alexa):
    flow = next(f for f in alexa.flows if f.key == "ad-partners")
    assert flow.carries == ("ad_identifier",)
    result = trace(alexa, "in-skill-purchase")
    assert {c.record for c in result.copies if c.party == "ad_partners"} == {"ad_identifier"}


@pytest.mark.parametrize("interaction", ["kids-request", "weather", "set-reminder"])
def test_requests_nobody_studied_do_not_feed_advertising(shipped, interaction):
    parties = {c.party for c in trace(shipped, interaction).copies}
    assert "ad_partners" not in parties
    assert "amazon_ads" not in {c.holder for c in trace(shipped, interaction).copies}


def test_that_each_request_sends_device_location_is_an_assumption(alexa):
    flow = next(f for f in alexa.flows if f.key == "device-location")
    assert flow.confidence == "assumed" and "No source says" in flow.note
    location = trace(alexa, "weather").copy("geolocation_store/location")
    assert location.footing == "assumed"


# --- human review (D5, D6) ------------------------------------------------------------------------


def test_a_small_sample_reaches_annotators_who_may_keep_it_after_deletion(alexa):
    review = next(f for f in alexa.flows if f.key == "human-review")
    assert review.share == "an extremely small sample of requests"
    assert (review.confidence, set(review.evidence)) == ("reported", {"bloomberg-2019"})
    before = trace(alexa, "dominos-order").copy("annotation_pool/voice_recording")
    after = trace(alexa, "dominos-order", ["delete-recording"]).copy(
        "annotation_pool/voice_recording"
    )
    assert "annotators" in before.access
    assert after.status == "may_remain"
    assert after.reason == (
        "delete-recording deleted voice_history/voice_recording, but flow "
        "'human-review' passes deletion on unclearly"
    )


def test_opting_out_of_human_review_keeps_the_request_from_annotators_in_2025(alexa2025):
    result = trace(alexa2025, "weather", ["opt-out-human-review"])
    pool = [c for c in result.copies if c.holder == "annotation_pool"]
    assert pool and all(c.status == "deleted" and c.confidence == "reported" for c in pool)


# --- children and the FTC (D2-D4) -----------------------------------------------------------------


def test_what_the_ftc_alleged_is_marked_alleged_beside_what_amazon_stated(alexa):
    result = trace(alexa, "kids-request", ["delete-recording"])
    stated = result.copy("voice_history/voice_recording")
    alleged = result.copy("alexa_subsystems/voice_recording")
    assert (stated.status, stated.confidence) == ("deleted", "stated")
    assert (alleged.status, alleged.confidence) == ("may_remain", "alleged")
    assert "ftc-blog-2023" in alleged.evidence
    assert "in some databases while maintaining them elsewhere" in alleged.reason
    location = result.copy("geolocation_store/location")
    assert (location.status, location.confidence) == ("may_remain", "alleged")
    # the allegation is about children's recordings: an ordinary request has no such copy
    assert "alexa_subsystems/voice_recording" not in {c.id for c in trace(alexa, "weather").copies}


def test_a_parents_deletion_request_leaves_the_childs_recording_elsewhere_in_2019(alexa):
    result = trace(alexa, "kids-request", ["parent-deletion"])
    history = result.copy("voice_history/voice_recording")
    assert (history.status, history.confidence) == ("deleted", "alleged")
    assert status(result, "alexa_subsystems/voice_recording") == "may_remain"
    assert status(result, "kids_profiles/child_profile") == "may_remain"


def test_the_2023_orders_deletions_leave_child_profiles_and_geolocation_in_doubt(alexa2025):
    result = trace(alexa2025, "kids-request", ["ftc-order-2023"])
    for copy_id in ("kids_profiles/child_profile", "geolocation_store/location"):
        copy = result.copy(copy_id)
        assert (copy.status, copy.confidence) == ("may_remain", "alleged")
        assert copy.reason.startswith("ftc-order-2023 may not remove it here")


def test_after_the_2023_order_no_source_keeps_childrens_recordings_elsewhere(alexa2025):
    result = trace(alexa2025, "kids-request", ["parent-deletion"])
    assert "alexa_subsystems/voice_recording" not in {c.id for c in result.copies}
    assert "inactive child profiles" in result.copy("kids_profiles/child_profile").reason


# --- confidence in the command line's tables ------------------------------------------------------


def cli(*args: str) -> str:
    from typer.testing import CliRunner

    from tracer.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_access_table_marks_copies_that_rest_only_on_assumptions_or_allegations():
    out = cli("access", "kids-request", "--delete", "delete-recording")
    assert "alexa_subsystems/voice_recording (alleged)" in out
    assert "geolocation_store/location (assumed)" in out
    assert "alexa_actions/action_record (" not in out  # stated: not marked
    assert out.rstrip().endswith(
        "10 copies of 7 records may remain with 3 parties "
        "(3 stated, 2 reported, 2 alleged, 2 assumed, 1 unknown); 3 were deleted; "
        "9 were transient."
    )


def test_list_shows_each_models_name_and_date():
    assert cli("list").startswith("Amazon Alexa (2019), as of 2019-06-28\n")
    assert cli("list", "-m", str(PACKAGED / "alexa-2025.yaml")).startswith(
        "Amazon Alexa (2025), as of 2025-03-28\n"
    )
