"""The shipped Alexa models say what the public record says, and no more (graphs/alexa.yaml as of
Amazon's 2019 letter, graphs/alexa-2025.yaml as of March 2025).

Each test is one claim, checked through the public API; ids like A6 or D3 refer to the fact sheet.
"""

from __future__ import annotations

import dataclasses
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
# deletion options beside the one Amazon's letter describes (delete-recording)
OTHER_DELETIONS = ["delete-by-voice", "delete-today-by-voice", "delete-all-history"]


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
            assert any(s.kind == "official" and s.publisher == "Amazon" for s in sources), (
                f"{where} is stated but cites no source published by Amazon"
            )
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
    # skills received personId from the autumn of 2019, after the letter
    assert "person_id" not in alexa.records and "person_id" in alexa2025.records
    assert "game-person-id" not in {f.key for f in alexa.flows}


def test_voice_profiles_existed_in_2019_as_reported_and_reach_no_skill_then(alexa):
    launch = alexa.sources["techmex-2017"]
    assert launch.date <= alexa.date and launch.kind == "other"
    result = trace(alexa, "recognised-speaker", ["delete-recording"], at="10y")
    profile = result.copy("voice_id/voice_profile")
    assert (profile.status, profile.confidence, profile.evidence) == (
        "may_remain",
        "reported",
        ("techmex-2017",),
    )
    developers = {key for key, party in alexa.parties.items() if party.role == "skill_developer"}
    assert not {c.party for c in result.copies} & developers


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
    assert {"delete-recording", *OTHER_DELETIONS, "disable-skill"} <= set(alexa.deletions)


# --- recordings and transcripts (A4, A5, E1-E4) ---------------------------------------------------


@pytest.mark.parametrize("interaction", EVERY)
def test_a_voice_recording_is_kept_until_the_user_deletes_it(shipped, interaction):
    assert status(trace(shipped, interaction, at="10y"), "voice_history/voice_recording") == "held"
    reason = trace(shipped, interaction).copy("voice_history/voice_recording").reason
    assert reason.startswith("kept until deleted by delete-recording or delete-by-voice")


@pytest.mark.parametrize("interaction", EVERY)
def test_deleting_a_recording_removes_it_and_its_transcripts_from_voice_history_not_surely_training(
    alexa, interaction
):
    result = trace(alexa, interaction, ["delete-recording"])
    amazon_recordings = {
        c.id: c
        for c in result.copies
        if c.record == "voice_recording"
        and c.party == "amazon"
        and alexa.holders[c.holder].kind == "store"
    }
    assert set(amazon_recordings) == {
        "voice_history/voice_recording",
        "alexa_subsystems/voice_recording",
    }
    for copy_id in ("voice_recording", "transcript", "response_transcript"):
        copy = result.copy(f"voice_history/{copy_id}")
        assert (copy.status, copy.confidence) == ("deleted", "stated")
        assert "amazon-coons-2019" in copy.evidence
    # the FAQ: recordings, not only transcripts, train Alexa; nobody says deletion reaches them
    training = amazon_recordings["alexa_subsystems/voice_recording"]
    assert (training.status, training.confidence, training.evidence) == (
        "may_remain",
        "stated",
        ("alexa-faq",),
    )
    assert training.path[-1] == "copy-to-subsystems"


def test_deleting_a_date_range_removes_recordings_and_transcripts_as_amazons_letter_states(
    shipped,
):
    # E1: the letter of 28 June 2019 names "voice recordings from particular timeframes" among
    # the ways to delete recordings, and says deleting a recording deletes its transcripts
    request = shipped.deletions["delete-date-range"]
    assert (request.by, request.confidence) == ("user", "stated")
    quote = shipped.sources["digitaltrends-2019"]
    assert quote.date.startswith("2019") and "particular timeframes" in quote.note
    result = trace(shipped, "weather", ["delete-date-range"])
    for record in ("voice_recording", "transcript", "response_transcript"):
        copy = result.copy(f"voice_history/{record}")
        assert (copy.status, copy.confidence) == ("deleted", "stated")
        assert copy.evidence == ("amazon-coons-2019", "digitaltrends-2019")
    copy = result.copy("alexa_subsystems/transcript")
    assert copy.status == "may_remain"
    assert copy.reason.startswith("delete-date-range may not remove it here: ")
    # deleting recordings does not touch the app's geolocation: that has a request of its own
    assert "delete-date-range" not in result.copy("geolocation_store/location").reason


@pytest.mark.parametrize("request_id", ["delete-date-range", "delete-all-history"])
def test_deleting_a_date_range_or_all_reaches_exactly_what_deleting_one_recording_reaches(
    shipped, request_id
):
    for interaction in EVERY:
        one = trace(shipped, interaction, ["delete-recording"])
        some = trace(shipped, interaction, [request_id])
        assert [(c.id, c.status) for c in some.copies] == [(c.id, c.status) for c in one.copies]


def test_deleting_all_history_removes_transcripts_from_primary_storage_as_the_letter_states(
    shipped,
):
    # the letter: "individual voice recordings, voice recordings from particular timeframes, or
    # all of their voice recordings", and a deleted recording's transcripts leave primary storage
    request = shipped.deletions["delete-all-history"]
    assert (request.confidence, request.evidence[:2]) == (
        "stated",
        ("amazon-coons-2019", "digitaltrends-2019"),
    )
    result = trace(shipped, "weather", ["delete-all-history"])
    for record in ("voice_recording", "transcript", "response_transcript"):
        copy = result.copy(f"voice_history/{record}")
        assert (copy.status, copy.confidence) == ("deleted", "stated")
        assert copy.evidence == ("amazon-coons-2019", "digitaltrends-2019")


def test_delete_today_by_voice_is_stated_for_recordings_and_reported_for_transcripts(shipped):
    # Amazon's release of 29 May 2019: "the respective recordings will be deleted"; CNET
    # (3 July 2019): it "should take care of both the voice recordings and transcripts"
    release = shipped.sources["amazon-press-2019-05"]
    assert (release.publisher, release.date) == ("Amazon", "2019-05-29")
    result = trace(shipped, "weather", ["delete-today-by-voice"])
    recording = result.copy("voice_history/voice_recording")
    assert (recording.status, recording.confidence, recording.evidence) == (
        "deleted",
        "stated",
        ("amazon-press-2019-05",),
    )
    for record in ("transcript", "response_transcript"):
        copy = result.copy(f"voice_history/{record}")
        assert (copy.status, copy.confidence, copy.evidence) == (
            "deleted",
            "reported",
            ("cnet-transcripts-2019",),
        )


def test_delete_what_i_just_said_removes_the_recording_as_reported_and_transcripts_maybe(alexa):
    result = trace(alexa, "weather", ["delete-by-voice"])
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
    # announced by Amazon (The Verge, 25 September 2019; Amazon 2020: "three- or 18-month basis")
    assert (recording.status, recording.confidence) == ("deleted", "stated")
    assert recording.evidence == ("amazon-privacy-2020", "verge-2019")
    assert recording.reason == f"deleted by {setting} at {day}d"
    assert status(after, "voice_history/transcript") == "may_remain"


def test_dont_save_deletes_the_audio_at_once_and_the_transcripts_after_30_days(alexa2025):
    # Amazon, 2020: recordings "will be automatically deleted after Alexa processes your
    # request"; transcripts stay reviewable "for 30 days before we begin automatically deleting"
    result = trace(alexa2025, "weather", ["dont-save"])
    recording = result.copy("voice_history/voice_recording")
    assert (recording.status, recording.confidence) == ("deleted", "stated")
    assert recording.evidence == ("amazon-email-2025", "amazon-privacy-2020")
    assert status(result, "voice_history/transcript") == "held"
    later = trace(alexa2025, "weather", ["dont-save", "dont-save-transcripts-30d"])
    assert later.at == 30
    assert (
        status(
            trace(alexa2025, "weather", ["dont-save-transcripts-30d"], at="29d"),
            "voice_history/transcript",
        )
        == "held"
    )
    for record in ("transcript", "response_transcript"):
        copy = later.copy(f"voice_history/{record}")
        assert (copy.status, copy.confidence, copy.evidence) == (
            "deleted",
            "stated",
            ("amazon-privacy-2020",),
        )
    assert later.copy("alexa_subsystems/transcript").status == "may_remain"


def test_dont_save_rests_on_amazons_findable_words_and_names_do_not_send_voice_recordings(
    alexa2025,
):
    email, repost = alexa2025.sources["amazon-email-2025"], alexa2025.sources["amazon-privacy-2020"]
    assert (email.date, email.verified) == ("2025-03", False) and email.found_at
    assert "they will be automatically deleted after Alexa processes your request" in " ".join(
        repost.excerpt.split()
    )
    note = " ".join(alexa2025.deletions["dont-save"].note.split())
    assert "Echo Dot (4th Gen), Echo Show 10 and Echo Show 15, US and English only" in note
    assert "amazon-dnsvr-2025" in alexa2025.deletions["dont-save"].evidence


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


def test_training_on_recordings_and_transcripts_cites_amazon_and_notes_the_ftcs_allegation(
    shipped,
):
    flow = next(f for f in shipped.flows if f.key == "copy-to-subsystems")
    assert flow.purpose == "train_ai_system" and flow.confidence == "stated"
    assert flow.carries == ("voice_recording", "transcript", "response_transcript")
    assert "coons-2019" not in flow.evidence
    assert {"amazon-coons-2019", "alexa-faq", "willkie-2023"} <= set(flow.evidence)
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


def test_amazon_pay_gives_the_merchant_a_billing_agreement_and_only_the_shipping_address(alexa):
    result = trace(alexa, "amazon-pay-purchase", ["delete-recording"])
    details = result.copy("merchant_backend/billing_details")
    assert details.path[-1] == "amazon-pay-details" and details.remains
    flow = next(f for f in alexa.flows if f.key == "amazon-pay-details")
    assert "shipping address" in flow.note and "billing address" not in flow.note.replace(
        "no source found says it gets the billing address", ""
    )
    assert "needAmazonShippingAddress" in alexa.sources["amazon-pay-skills"].excerpt
    assert {c.party for c in result.copies if c.record == "transaction_record"} == {
        "amazon",
        "merchant",
    }


def test_amazon_pay_for_skills_is_noted_as_switched_off_before_the_2025_model(alexa, alexa2025):
    ended = alexa2025.sources["amazon-pay-ended"]
    assert (ended.publisher, ended.kind) == ("Amazon", "official")
    assert "March 12, 2023 in the US" in ended.note
    flows = {
        year: next(f for f in model.flows if f.key == "amazon-pay-details")
        for year, model in (("2019", alexa), ("2025", alexa2025))
    }
    assert "amazon-pay-ended" in flows["2025"].evidence
    assert "amazon-pay-ended" not in flows["2019"].evidence
    assert "made before then" in alexa2025.interactions["amazon-pay-purchase"].note


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


def test_disabling_a_skill_ends_its_user_id_as_the_docs_say_not_surely_its_copies(shipped):
    # "Every subsequent request ... contains the same user ID unless the customer disables the
    # skill": what disable-skill changes is the id, not (as far as anyone says) the data
    ids = shipped.sources["ask-customer-ids"]
    assert "contains the same user ID unless the customer disables the skill" in " ".join(
        ids.excerpt.split()
    )
    copy = trace(shipped, "lyft-ride", ["disable-skill"]).copy("lyft_backend/skill_request")
    assert copy.status == "may_remain"
    assert '"unless the customer disables the skill"' in copy.reason
    assert "ask-customer-ids" in copy.evidence


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


def test_geolocation_comes_from_the_alexa_app_as_amazon_states_not_from_the_echo(shipped):
    # "We collect your geolocation data from the Alexa app only if you grant the Alexa app
    # permission": no source says an Echo sends its location with each request
    assert "device-location" not in {f.key for f in shipped.flows}
    flow = next(f for f in shipped.flows if f.key == "app-geolocation")
    assert (flow.source, flow.target, flow.confidence) == (
        "alexa_app",
        "geolocation_store",
        "stated",
    )
    assert flow.evidence == ("amazon-geolocation-help", "ftc-press-2023")
    result = trace(shipped, "weather")
    assert not [c for c in result.copies if c.record == "location" and c.holder == "echo"]
    location = result.copy("geolocation_store/location")
    assert (location.path, location.footing) == (("app-geolocation",), "stated")


def test_deleting_a_recording_leaves_geolocation_its_own_request_may_not_in_2019(alexa):
    result = trace(alexa, "weather", ["delete-recording"])
    assert "delete-recording" not in result.copy("geolocation_store/location").reason
    geolocation = trace(alexa, "weather", ["delete-geolocation"]).copy("geolocation_store/location")
    assert (geolocation.status, geolocation.confidence) == ("may_remain", "alleged")
    assert geolocation.evidence == ("doj-2023", "ftc-blog-2023", "ftc-press-2023")


def test_a_geolocation_deletion_deletes_amazons_copy_but_not_what_skills_stored_in_2025(
    alexa2025,
):
    # Amazon's help page: such a request "will not delete ... data stored by ... Alexa skills"
    result = trace(alexa2025, "uber-ride", ["delete-geolocation"])
    amazon = result.copy("geolocation_store/location")
    assert (amazon.status, amazon.confidence) == ("deleted", "stated")
    skill = result.copy("uber_backend/location")
    assert skill.remains and skill.confidence == "stated"
    assert skill.path == ("app-geolocation", "uber-geolocation")
    assert '"will not delete"' in skill.reason or "will not delete" in skill.reason
    # that the ride skill asks for the geolocation at all is our assumption
    assert skill.footing == "assumed"


# --- human review (D5, D6) ------------------------------------------------------------------------


def test_a_small_sample_reaches_annotators_who_may_keep_it_after_deletion(alexa):
    review = next(f for f in alexa.flows if f.key == "human-review")
    assert review.share == "an extremely small sample of requests"
    assert (review.confidence, set(review.evidence)) == (
        "reported",
        {"bloomberg-2019", "alexa-faq"},
    )
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


def test_reviewers_saw_a_clips_identifiers_and_some_saw_contacts_as_reported(shipped):
    # Bloomberg (April 2019, via reprints): first name, device serial number, account number;
    # a second tool showed names, addresses and phone numbers (24 April 2019)
    result = trace(shipped, "uber-ride")
    identifiers = result.copy("annotation_pool/review_identifiers")
    assert identifiers.path[-1] == "show-clip-identifiers" and "annotators" in identifiers.access
    derivation = next(d for d in shipped.derivations if d.key == "show-clip-identifiers")
    assert (derivation.confidence, derivation.evidence) == ("reported", ("iheart-2019", "nyu-2019"))
    assert identifiers.footing == "unknown"  # how long reviewers keep anything: nobody says
    contacts = result.copy("annotation_pool/profile_data")
    assert contacts.path == ("review-contacts",)
    flow = next(f for f in shipped.flows if f.key == "review-contacts")
    assert (flow.confidence, flow.evidence) == ("reported", ("trustedreviews-2019",))
    bloomberg = shipped.sources["bloomberg-2019"]
    assert (bloomberg.date, bloomberg.found_at.startswith("https://gazette.com/")) == (
        "2019-04-10",
        True,
    )


def test_amazon_put_the_reviewed_share_at_a_small_fraction_of_1_percent_in_2025(alexa2025):
    review = next(f for f in alexa2025.flows if f.key == "human-review")
    assert review.share == "a small fraction of 1% of requests, unless the user opts out"
    assert "lancaster-2019" in review.evidence
    assert alexa2025.sources["lancaster-2019"].publisher == "Amazon"


def test_opting_out_of_human_review_keeps_the_request_from_annotators_in_2025(alexa2025):
    result = trace(alexa2025, "weather", ["opt-out-human-review"])
    pool = [c for c in result.copies if c.holder == "annotation_pool"]
    assert pool and all(c.status == "deleted" and c.confidence == "reported" for c in pool)


# --- children and the FTC (D2-D4) -----------------------------------------------------------------


def test_what_the_ftc_alleged_is_marked_alleged_beside_what_amazon_stated(alexa):
    result = trace(alexa, "kids-request", ["parent-deletion"])
    alleged = result.copy("alexa_subsystems/voice_recording")
    assert (alleged.status, alleged.confidence) == ("may_remain", "alleged")
    assert "ftc-blog-2023" in alleged.evidence
    assert "in some databases while maintaining them elsewhere" in alleged.reason
    # the user's own deletion of the same copy rests on Amazon's words, not the allegation
    stated = trace(alexa, "kids-request", ["delete-recording"]).copy(
        "alexa_subsystems/voice_recording"
    )
    assert (stated.status, stated.confidence) == ("may_remain", "stated")


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


def test_the_2023_order_reaches_child_profiles_and_certain_voice_and_geolocation_data_only(
    alexa2025,
):
    # D4: delete inactive child profiles and certain voice and geolocation data; which copies
    # that reached is not public, so the order never surely deletes a copy here
    reached = {
        (holder_id, record): rule
        for holder_id, holder in alexa2025.holders.items()
        for record, rule in holder.keeps.items()
        if "ftc-order-2023" in (*rule.deleted_by, *rule.unclear_for)
    }
    assert set(reached) == {
        ("kids_profiles", "child_profile"),
        ("voice_history", "voice_recording"),
        ("geolocation_store", "location"),
    }
    for rule in reached.values():
        assert "ftc-order-2023" in rule.unclear_for and "ftc-order-2023" not in rule.deleted_by
        evidence, confidence, _ = rule.cited("ftc-order-2023")
        assert (evidence, confidence) == (("doj-2023", "ftc-blog-2023"), "alleged")
    assert (
        "inactive child profiles"
        in reached["kids_profiles", "child_profile"].cited("ftc-order-2023")[2]
    )
    order = alexa2025.deletions["ftc-order-2023"]
    assert (order.by, order.confidence) == ("amazon", "alleged")
    note = " ".join(order.note.split())
    assert '"using such data to train its algorithms"' in note
    assert "six months" in note and "90 days" in note and "unless a parent asks to keep it" in note
    assert "denies violating the law" in note
    assert {"exportcompliance-2023", "amazon-denial-2023"} <= set(order.evidence)


def test_the_2023_order_leaves_transcripts_and_what_skills_hold_untouched(alexa2025):
    result = trace(alexa2025, "kids-request", ["ftc-order-2023"])
    assert status(result, "voice_history/transcript") == "held"
    touched = {c.id: c.confidence for c in result.copies if "ftc-order-2023" in c.reason}
    assert touched == {
        "voice_history/voice_recording": "alleged",
        # the training copy: what reaches Voice History's copy may not reach it
        "alexa_subsystems/voice_recording": "stated",
        "geolocation_store/location": "alleged",
        "kids_profiles/child_profile": "alleged",
        # the clips sampled for review may keep what the order may not have removed
        "annotation_pool/voice_recording": "reported",
        "annotation_pool/location": "reported",
    }
    # the order does not say training on the data stopped: the flow stays, with the order noted
    training = next(f for f in alexa2025.flows if f.key == "copy-to-subsystems")
    assert training.purpose == "train_ai_system" and "to train its algorithms" in " ".join(
        training.note.split()
    )


def test_after_the_2023_order_no_source_keeps_childrens_recordings_elsewhere(alexa2025):
    result = trace(alexa2025, "kids-request", ["parent-deletion"])
    # the training copy may remain, as for anyone's request: the allegation is not repeated
    training = result.copy("alexa_subsystems/voice_recording")
    assert (training.status, training.confidence) == ("may_remain", "stated")
    assert "ftc-blog-2023" not in training.evidence
    profile = result.copy("kids_profiles/child_profile").reason
    assert "inactive child profiles within six months" in profile and "90 days" in profile


# --- confidence in the command line's tables ------------------------------------------------------


def cli(*args: str) -> str:
    from typer.testing import CliRunner

    from tracer.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_access_table_marks_copies_that_rest_only_on_assumptions_or_allegations():
    out = cli("access", "kids-request", "--delete", "parent-deletion")
    assert "alexa_subsystems/voice_recording (alleged)" in out
    assert "kids_profiles/child_profile (alleged)" in out
    assert "annotation_pool/review_identifiers (unknown)" in out
    assert "alexa_actions/action_record (" not in out  # stated: not marked
    assert out.rstrip().endswith(
        "13 copies of 8 records may remain with 3 parties "
        "(4 stated, 2 reported, 4 alleged, 3 unknown); 1 was deleted; 8 were transient."
    )


def test_list_shows_each_models_name_and_date():
    assert cli("list").startswith("Amazon Alexa (2019), as of 2019-06-28\n")
    assert cli("list", "-m", str(PACKAGED / "alexa-2025.yaml")).startswith(
        "Amazon Alexa (2025), as of 2025-03-28\n"
    )


# --- the two dated models share what did not change ----------------------------------------------

# Every part in which graphs/alexa.yaml (2019) and graphs/alexa-2025.yaml differ, and why. A part
# is a source, party, record, interaction, deletion request or claim, a holder (without what it
# keeps), one retention rule (holders.H.keeps.R), a flow or a derivation, by id; a key ending in
# "." covers every part under it. Deletion requests that exist only in 2025 (options that came
# later, and the 2023 order) are left out of the 2025 rules before comparing: each is listed here
# as a 2025-only deletion. Anything else that differs, or a listed part that no longer differs,
# fails the test below, so an edit to one file cannot silently miss the other.
DATED_DIFFERENCES = {
    # only in 2019
    "claims.": "the 2019 letter's and the FTC's claims are checked against the 2019 flows",
    "holders.alexa_subsystems.keeps.voice_recording": "2019 adds the FTC's allegation about parents",
    # only in 2025: options and facts that came after the letter
    "deletions.auto-delete-3mo": "offered after the FTC's demand of September 2019 (D3)",
    "deletions.auto-delete-18mo": "offered after the FTC's demand of September 2019 (D3)",
    "deletions.dont-save": "a later option; Amazon's words of 2020 and its email of 2025",
    "deletions.dont-save-transcripts-30d": "the same option's 30 days for transcripts (2020)",
    "deletions.opt-out-human-review": "offered on 2 August 2019",
    "deletions.ftc-order-2023": "the 2023 order (D4)",
    "records.person_id": "skills receive personId from the autumn of 2019",
    "holders.alexa_cloud.keeps.person_id": "the same",
    "holders.game_backend.keeps.person_id": "the same",
    "derivations.recognise-speaker": "the same",
    "flows.game-person-id": "the same",
    "flows.uber-person-id": "the same: Uber used skill personalization from its launch",
    "holders.uber_backend.keeps.person_id": "the same",
    "interactions.uber-ride": "2025: a recognised speaker asks, so Uber gets personId",
    "records.person_contact": "the Person Profile API came on 22 July 2020",
    "holders.customer_profile.keeps.person_contact": "the same",
    "holders.game_backend.keeps.person_contact": "the same",
    "flows.game-person-contact": "the same",
    "sources.ask-person-profile": "the same",
    "sources.ask-personalization-api": "dates skill personalization and the Person Profile API",
    "sources.skill-personalization-2019": "cited only for Uber's personalization (October 2019)",
    "sources.amazon-privacy-2020": "Amazon's words of 2020 on Don't save and auto-delete",
    "sources.verge-2019": "auto-delete, announced on 25 September 2019",
    "sources.lancaster-2019": "Amazon's share of reviewed requests, December 2019",
    "sources.amazon-dnsvr-2025": "what Do Not Send Voice Recordings covered, 2025",
    "sources.exportcompliance-2023": "the 2023 order's terms",
    "sources.amazon-denial-2023": "Amazon's denial, 2023",
    "sources.ask-personalization": "cited only for personId",
    "sources.techcrunch-review-2019": "cited only for the review opt-out",
    "sources.lawcom-2023": "cited only for auto-delete",
    "sources.amazon-email-2025": "cited only for Don't save and Voice ID in 2025",
    "sources.newsbytes-2025": "cited only for Don't save",
    "sources.amazon-pay-ended": "Amazon Pay for skills was switched off in 2022-2023",
    # in both, changed since 2019
    "flows.amazon-pay-details": "notes and cites that Amazon Pay for skills was switched off",
    "flows.copy-to-subsystems": "notes the 2023 order's bar on building data products",
    "flows.human-review": "a fraction of requests unless the user opts out (August 2019)",
    "holders.geolocation_store.keeps.location": "the 2023 order's geolocation deletions",
    "holders.kids_profiles.keeps.child_profile": "the 2023 order's inactive-profile deletions",
    "holders.voice_id.keeps.voice_profile": "Don't save (2025) turns Voice ID off",
    "interactions.amazon-pay-purchase": "a purchase made before Amazon Pay for skills ended",
    "interactions.kids-request": "after the 2023 order, without the 2019 allegation",
    "interactions.recognised-speaker": "2019: no skill; 2025: a game skill receives personId",
}


def dated_parts(model: tracer.Model, *, leave_out: set[str]):
    """(path, part) for every comparable part of ``model``; ``leave_out`` deletion requests are
    dropped from its retention rules."""

    def without(rule):
        return dataclasses.replace(
            rule,
            deleted_by=tuple(r for r in rule.deleted_by if r not in leave_out),
            unclear_for=tuple(r for r in rule.unclear_for if r not in leave_out),
            per_request={r: e for r, e in rule.per_request.items() if r not in leave_out},
        )

    for section in ("sources", "parties", "records", "interactions", "deletions", "claims"):
        for key, part in getattr(model, section).items():
            yield f"{section}.{key}", part
    for key, holder in model.holders.items():
        yield f"holders.{key}", dataclasses.replace(holder, keeps={})
        for record, rule in holder.keeps.items():
            yield f"holders.{key}.keeps.{record}", without(rule)
    yield from ((f"flows.{f.key}", f) for f in model.flows)
    yield from ((f"derivations.{d.key}", d) for d in model.derivations)


def test_the_two_dated_models_differ_only_where_the_list_of_dated_differences_says(
    alexa, alexa2025
):
    later = set(alexa2025.deletions) - set(alexa.deletions)
    old = dict(dated_parts(alexa, leave_out=set()))
    new = dict(dated_parts(alexa2025, leave_out=later))
    differing = {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}

    def listed(path: str) -> str | None:
        return next(
            (
                key
                for key in DATED_DIFFERENCES
                if path == key or (key[-1] == "." and path.startswith(key))
            ),
            None,
        )

    unlisted = sorted(path for path in differing if listed(path) is None)
    assert unlisted == [], "these parts differ between the dated models but are not listed"
    stale = sorted(set(DATED_DIFFERENCES) - {listed(path) for path in differing})
    assert stale == [], "these listed parts no longer differ: drop them from the list"
    assert later <= {path.removeprefix("deletions.") for path in DATED_DIFFERENCES}


def test_sources_both_models_cite_are_word_for_word_the_same(alexa, alexa2025):
    for key in set(alexa.sources) & set(alexa2025.sources):
        assert alexa.sources[key] == alexa2025.sources[key], key


# --- what the sources are, and the issue-25 additions -------------------------------------------


def test_each_source_the_fact_check_questioned_has_a_findable_address_or_says_it_was_not_verified(
    shipped,
):
    doj = shipped.sources["doj-2023"]
    assert doj.url.startswith("https://www.justice.gov/opa/pr/amazon-agrees-injunctive-relief")
    # no stored copy at Bloomberg's or CNBC's address: each cites a reprint where its words are
    for key, copy in (
        ("bloomberg-2019", "https://gazette.com/"),
        ("cnbc-2019", "https://malaysiainternet.my/"),
    ):
        source = shipped.sources[key]
        assert source.found_at.startswith(copy) and source.excerpt and source.verified, key
    assert shipped.sources["bloomberg-2019"].date == "2019-04-10"
    # the Senator's page shows no date; his release went out on Tuesday 2 July 2019
    assert shipped.sources["coons-2019"].date == "2019-07-02"


def test_the_2025_sources_are_dated_as_found_and_law_com_is_findable_at_its_address(alexa2025):
    email = alexa2025.sources["amazon-email-2025"]
    assert (email.date, email.verified) == ("2025-03", False)
    assert "uniladtech" not in email.url and email.url.startswith("https://arstechnica.com/")
    assert "they will be deleted after Alexa processes your requests" in email.excerpt
    lawcom = alexa2025.sources["lawcom-2023"]
    assert lawcom.verified and lawcom.found_at is None
    assert "until the company received a Civil Investigative Demand" in lawcom.excerpt


def test_every_quote_of_a_claim_is_in_the_excerpt_of_a_source_it_cites(alexa):
    from tracer.model.quotes import found_in, quoted

    quotes = 0
    for key, claim in alexa.claims.items():
        excerpts = [alexa.sources[s].excerpt or "" for s in claim.evidence]
        for quote in quoted(claim.says):
            quotes += 1
            assert any(found_in(quote, text) for text in excerpts), (key, quote)
    assert quotes >= 15


def test_the_faqs_zip_code_reaches_a_weather_skill_through_the_device_address_permission(shipped):
    # the FAQ: skills may get "your ZIP code when you ask for the weather"; the permission's
    # lesser level is "Country and postal code only"
    result = trace(shipped, "weather-skill")
    postal = result.copy("weather_backend/postal_code")
    assert postal.path == ("weather-postal-code",) and postal.party == "weather_developer"
    flow = next(f for f in shipped.flows if f.key == "weather-postal-code")
    assert (flow.confidence, flow.evidence) == ("stated", ("alexa-faq", "ask-device-address"))
    assert "Country and postal code only" in shipped.sources["ask-device-address"].excerpt
    # Alexa's own weather, without a skill, sends no postal code to anyone
    assert "postal_code" not in {c.record for c in trace(shipped, "weather").copies}


def test_a_request_that_names_no_skill_may_go_to_several_skills_as_the_faq_says(shipped):
    result = trace(shipped, "nameless-request")
    offered = result.copy("candidate_skills_backends/skill_request")
    assert offered.path[-1] == "offer-to-skills"
    flow = next(f for f in shipped.flows if f.key == "offer-to-skills")
    assert (flow.confidence, flow.evidence) == ("stated", ("alexa-faq",))
    assert shipped.parties["candidate_skills"].role == "skill_developer"
    assert not {c.record for c in result.copies if c.party == "candidate_skills"} - {
        "skill_request"
    }


def test_skill_personalization_and_the_person_profile_api_are_in_the_2025_model_only(
    alexa, alexa2025
):
    # skill personalization: generally available 30 October 2019, Uber among its first users;
    # the Person Profile API (22 July 2020): a recognised speaker's name and mobile number
    dates = alexa2025.sources["ask-personalization-api"].excerpt
    assert (
        "7/22/2020 | Person Profile API" in dates and "10/30/2019 | Skill Personalization" in dates
    )
    uber = trace(alexa2025, "uber-ride", ["disable-skill"]).copy("uber_backend/person_id")
    assert uber.path[-1] == "uber-person-id" and uber.status == "may_remain"
    assert "Uber" in alexa2025.sources["skill-personalization-2019"].excerpt
    result = trace(alexa2025, "recognised-speaker", ["revoke-permission"])
    contact = result.copy("game_backend/person_contact")
    assert contact.path == ("game-person-contact",) and contact.status == "may_remain"
    assert "person_contact" not in alexa.records
    assert "uber_backend/person_id" not in {c.id for c in trace(alexa, "uber-ride").copies}


def test_the_evidence_page_names_every_source_read_elsewhere_or_not_verified(shipped):
    page = (Path(__file__).parent.parent / "docs" / "evidence.md").read_text(encoding="utf-8")
    for key, source in shipped.sources.items():
        if source.found_at or not source.verified:
            assert f"| `{key}`" in page, key
