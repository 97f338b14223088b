"""Claims against flows: each kind of statement, each verdict, the load-time checks, the CLI,
and the shipped model's claims (the 2019 letter, the FAQ, the FTC's allegations)."""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import common, models
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.model import Claim

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

SHOP = """\
format: tracer/1
name: Shop
sources: {policy: {title: Our policy}, blog: {title: A blog post}}
parties:
  shop: {name: Shop, role: platform}
  courier: {name: Courier, role: processor}
  ads: {name: Ads Inc, role: third_party}
records:
  order: {name: Order, categories: [user.behavior.purchase_history]}
  address: {name: Address, categories: [user.contact.address]}
  audio: {name: Audio, categories: [user.biometrics.voice]}
holders:
  till:
    name: Till
    party: shop
    keeps:
      audio: {for: none, evidence: [policy], confidence: stated}
      order: {for: none, evidence: [policy], confidence: stated}
      address: {for: none, evidence: [policy], confidence: stated}
  orders:
    name: Orders
    party: shop
    keeps:
      order: {for: until_deleted, deleted_by: [erase], evidence: [policy], confidence: stated}
      address: {for: 30d, deleted_by: [erase], evidence: [policy], confidence: stated}
  archive:
    name: Archive
    party: shop
    keeps: {order: {for: 1y, evidence: [blog], confidence: reported}}
  courier_app:
    name: Courier app
    party: courier
    keeps: {address: {for: unknown, confidence: assumed, note: nobody says}}
flows:
  - {id: keep, from: till, to: orders, carries: [order, address], confidence: stated}
  - {id: archive, from: orders, to: archive, carries: [order], confidence: reported}
  - {id: deliver, from: orders, to: courier_app, carries: [address], when: [delivery],
     confidence: assumed}
interactions:
  buy: {name: Buy, starts: {till: [order, address, audio]}}
  deliver: {name: Buy with delivery, tags: [delivery], starts: {till: [order, address, audio]}}
deletions:
  erase: {name: Erase my data, by: shop}
"""


def shop(claims: str) -> tracer.Model:
    return tracer.parse_model(SHOP + "claims:\n" + textwrap.indent(textwrap.dedent(claims), "  "))


def verdict(claims: str) -> tracer.ClaimResult:
    (result,) = tracer.check(shop(claims))
    return result


def test_a_deletion_claim_is_contradicted_by_a_copy_the_request_leaves_with_its_evidence():
    result = verdict("c: {by: shop, deletes: {record: order, on: erase}}")
    assert result.verdict == "contradicted"
    assert result.explanation == "archive/order is held after erase in buy, deliver (reported)"
    assert [(f.interaction, f.copy, f.status, f.path, f.evidence) for f in result.findings] == [
        ("buy", "archive/order", "held", ("keep", "archive"), ("blog",)),
        ("deliver", "archive/order", "held", ("keep", "archive"), ("blog",)),
    ]


def test_a_deletion_claim_about_named_holders_is_consistent_when_they_delete():
    result = verdict("c: {by: shop, deletes: {record: order, on: erase, from: [orders]}}")
    assert (result.verdict, result.checked, result.findings) == ("consistent", 2, ())


def test_a_claim_never_to_store_is_consistent_when_every_copy_is_transient():
    assert verdict("c: {by: shop, not_stored: {record: audio}}").verdict == "consistent"
    result = verdict("c: {by: shop, not_stored: {record: order}}")
    assert result.verdict == "contradicted"
    assert {f.copy for f in result.findings} == {"orders/order", "archive/order"}


def test_keeps_at_most_a_duration_is_checked_at_that_time():
    assert verdict("c: {by: shop, keeps: {record: address, for: 30d}}").verdict == "consistent"
    result = verdict("c: {by: shop, keeps: {record: order, for: 2y, at: [archive]}}")
    assert result.verdict == "consistent"
    result = verdict("c: {by: shop, keeps: {record: order, for: 30d}}")
    assert result.verdict == "contradicted"
    assert result.explanation == "archive/order is held in buy, deliver (reported); 1 more finding"


def test_keeps_until_deleted_is_checked_after_each_request_that_deletes_the_record():
    result = verdict("c: {by: shop, keeps: {record: order, for: until_deleted}}")
    assert result.verdict == "contradicted"
    assert {(f.copy, f.request) for f in result.findings} == {("archive/order", "erase")}
    ok = verdict("c: {by: shop, keeps: {record: order, for: until_deleted, at: [orders]}}")
    assert ok.verdict == "consistent"


def test_keeps_for_an_unknown_time_is_vague():
    assert verdict("c: {by: shop, keeps: {record: order, for: unknown}}").verdict == "vague"


def test_a_share_that_rests_only_on_an_assumed_flow_is_unverifiable():
    result = verdict("c: {by: shop, shares: {record: address, with: courier, in: [deliver]}}")
    assert result.verdict == "unverifiable"
    assert result.explanation == (
        "agrees, but only on assumed or unknown rules: address reaches courier "
        "(courier_app/address) in deliver (assumed)"
    )


def test_a_share_in_an_interaction_without_the_flow_is_contradicted():
    result = verdict("c: {by: shop, shares: {record: address, with: courier, in: [buy]}}")
    assert result.verdict == "contradicted"
    assert result.explanation == "no copy of address reaches courier in buy"


def test_does_not_share_with_a_role_is_checked_in_every_interaction():
    result = verdict("c: {by: shop, does_not_share: {record: address, with: third_party}}")
    assert (result.verdict, result.checked) == ("consistent", 2)
    # the courier does get it, but only through an assumed flow
    result = verdict("c: {by: shop, does_not_share: {record: address, with: processor}}")
    assert result.verdict == "unverifiable"
    assert [f.copy for f in result.findings] == ["courier_app/address"]


def test_remains_after_needs_a_copy_left_after_the_request():
    kept = verdict("c: {by: blog, remains_after: {record: order, on: erase}}")
    assert (kept.verdict, kept.findings) == ("consistent", ())
    assert kept.explanation == "archive/order is held after erase in buy (reported)"
    gone = verdict("c: {by: blog, remains_after: {record: order, on: erase, at: [orders]}}")
    assert gone.verdict == "contradicted"


def test_a_fides_category_covers_its_records_and_a_broader_one_is_vague():
    assert (
        verdict(
            "c: {by: shop, not_stored: {record: user.biometric.voice}}"  # the deprecated spelling
        ).verdict
        == "consistent"
    )
    result = verdict("c: {by: shop, does_not_share: {record: user.contact, with: ads}}")
    assert result.verdict == "vague"
    assert "user.contact is broader than the categories of the records it covers (address)" in (
        result.explanation
    )


def test_a_category_no_record_falls_under_is_unverifiable():
    result = verdict("c: {by: shop, not_stored: {record: user.health}}")
    assert (result.verdict, result.explanation) == (
        "unverifiable",
        "no record of the model is in user.health",
    )


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (
            "c: {by: shop, deletes: {record: ordr, on: erase}}",
            "claims.c.deletes.record: unknown record or Fides category 'ordr'; did you mean "
            "'order'?",
        ),
        ("c: {by: shop, deletes: {record: order}}", "claims.c.deletes.on: required for deletes"),
        (
            "c: {by: shop, deletes: {record: order, on: erase, with: ads}}",
            "claims.c.deletes.with: deletes takes no 'with' (it takes: record, on, from, in)",
        ),
        (
            "c: {by: shopp, not_stored: {record: order}}",
            "claims.c.by: unknown party or source 'shopp'; did you mean 'shop'?",
        ),
        (
            "c: {by: shop, shares: {record: order, with: couriers}}",
            "claims.c.shares.with: unknown party or role 'couriers'; did you mean 'courier'?",
        ),
        (
            "c: {by: shop, not_stored: {record: order}, keeps: {record: order, for: 1y}}",
            "claims.c: a claim makes exactly one statement, one of shares, does_not_share, keeps, "
            "deletes, not_stored, remains_after",
        ),
        (
            "c: {by: shop, not_stored: {record: order, in: [bye]}}",
            "claims.c.not_stored.in[0]: unknown interaction 'bye'; did you mean 'buy'?",
        ),
        (
            "c: {by: shop, not_stored: {record: order, colour: red}}",
            "claims.c.not_stored.colour: unknown key 'colour'",
        ),
    ],
)
def test_a_bad_claim_is_refused_at_load_time_with_its_line_and_field(claim, message):
    with pytest.raises(tracer.ModelError) as error:
        shop(claim)
    line = SHOP.count("\n") + 2
    assert any(str(p).startswith(f"<string>:{line}: {message}") for p in error.value.problems), (
        error.value.problems
    )


def test_check_names_unknown_claims():
    with pytest.raises(tracer.UnknownIdError, match="unknown claim 'x'"):
        tracer.check(shop("c: {by: shop, not_stored: {record: audio}}"), ["x"])


# --- the shipped model ------------------------------------------------------------------------


def test_the_shipped_claims_and_what_the_flows_say_of_them(alexa):
    assert {r.claim: r.verdict for r in tracer.check(alexa)} == {
        "a4-kept-until-deleted": "contradicted",
        "a4-transcripts-kept-until-deleted": "contradicted",
        "a5-delete-removes-response-transcript": "consistent",
        "a5-delete-removes-transcript": "consistent",
        "a5-response-audio-not-stored": "consistent",
        "a6-action-records-may-remain": "consistent",
        "a6-developers-may-retain": "consistent",
        "a6-transaction-records-kept": "consistent",
        "a9-nameless-request-may-reach-several-skills": "consistent",
        "a9-skills-get-request-content": "consistent",
        "a9-skills-get-zip-code": "consistent",
        "a9-skills-never-get-recordings": "consistent",
        "amazon-pay-shipping-address": "consistent",
        "cnet-delete-today-takes-transcripts": "consistent",
        "ftc-children-recordings-kept-elsewhere": "consistent",
        "ftc-geolocation-not-deleted": "consistent",
        "ftc-transcripts-not-deleted": "consistent",
        "letter-delete-all-removes-transcripts": "consistent",
        "press-release-delete-today": "consistent",
        "reviewers-see-clip-identifiers": "consistent",
    }


def shipped_claim(alexa, key: str) -> tracer.ClaimResult:
    (result,) = tracer.check(alexa, [key])
    return result


def test_the_faqs_zip_code_claim_holds_through_a_weather_skills_device_address_permission(alexa):
    result = shipped_claim(alexa, "a9-skills-get-zip-code")
    assert result.evidence == ("alexa-faq", "ask-device-address")
    assert result.explanation == (
        "postal_code reaches weather_developer (weather_backend/postal_code) in weather-skill "
        "(stated)"
    )


def test_the_faqs_skill_claims_cite_the_faq_not_the_request_reference_alone(alexa):
    for key in ("a9-skills-get-request-content", "a9-skills-never-get-recordings"):
        assert "alexa-faq" in shipped_claim(alexa, key).evidence, key


def test_a_request_naming_no_skill_reaches_several_skills_as_the_faq_says(alexa):
    result = shipped_claim(alexa, "a9-nameless-request-may-reach-several-skills")
    assert (result.verdict, result.checked) == ("consistent", 1)
    assert "candidate_skills_backends/skill_request" in result.explanation


def test_deleting_all_history_takes_transcripts_from_voice_history_as_the_letter_states(alexa):
    result = shipped_claim(alexa, "letter-delete-all-removes-transcripts")
    assert (result.verdict, result.checked, result.confidence) == ("consistent", 13, "stated")


def test_delete_everything_i_said_today_as_amazon_announced_and_cnet_reported(alexa):
    recordings = shipped_claim(alexa, "press-release-delete-today")
    assert (recordings.verdict, recordings.confidence) == ("consistent", "stated")
    transcripts = shipped_claim(alexa, "cnet-delete-today-takes-transcripts")
    assert (transcripts.verdict, transcripts.by, transcripts.confidence) == (
        "consistent",
        "cnet-transcripts-2019",
        "reported",
    )


def test_amazon_pay_gives_the_merchant_the_shipping_address_only_as_amazon_says(alexa):
    result = shipped_claim(alexa, "amazon-pay-shipping-address")
    assert result.verdict == "consistent"
    assert "needAmazonShippingAddress" in result.says


def test_reviewers_saw_each_clips_identifiers_as_bloomberg_reported(alexa):
    result = shipped_claim(alexa, "reviewers-see-clip-identifiers")
    assert (result.verdict, result.by, result.confidence) == (
        "consistent",
        "bloomberg-2019",
        "reported",
    )


def test_the_ftcs_geolocation_claim_is_about_a_geolocation_deletion_request(alexa):
    claim = alexa.claims["ftc-geolocation-not-deleted"]
    assert claim.statement.on == "delete-geolocation"
    result = shipped_claim(alexa, "ftc-geolocation-not-deleted")
    assert result.explanation.startswith(
        "geolocation_store/location may remain after delete-geolocation in "
    )
    assert result.explanation.endswith("(alleged)")


def test_the_ftcs_childrens_claim_is_about_a_parents_deletion_request(alexa):
    result = shipped_claim(alexa, "ftc-children-recordings-kept-elsewhere")
    assert result.explanation == (
        "alexa_subsystems/voice_recording may remain after parent-deletion in kids-request "
        "(alleged)"
    )


def test_transcripts_may_remain_in_subsystems_after_delete_recording_against_the_letter(alexa):
    (result,) = tracer.check(alexa, ["a4-transcripts-kept-until-deleted"])
    found = {
        (f.interaction, f.copy, f.status)
        for f in result.findings
        if f.request == "delete-recording"
    }
    assert ("weather", "alexa_subsystems/transcript", "may_remain") in found
    first = result.findings[0]
    assert first.path[-1] == "copy-to-subsystems"
    assert "amazon-may-2019" in first.evidence


# --- the command line -------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_check_strict_exits_1_only_when_a_claim_is_contradicted(tmp_path):
    assert run("check").exit_code == 0
    assert run("check", "--strict").exit_code == 1
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP + "claims:\n  c: {by: shop, not_stored: {record: audio}}\n")
    result = run("check", "-m", str(path), "--strict")
    assert result.exit_code == 0
    assert "1 consistent" in result.stdout


def test_check_json_lists_each_claim_with_its_findings():
    data = json.loads(run("check", "--format", "json").stdout)
    assert [item["claim"] for item in data] == sorted(item["claim"] for item in data)
    contradicted = next(i for i in data if i["claim"] == "a4-transcripts-kept-until-deleted")
    assert contradicted["verdict"] == "contradicted"
    assert set(contradicted["findings"][0]) == {
        "interaction",
        "request",
        "copy",
        "status",
        "agrees",
        "reason",
        "path",
        "evidence",
        "confidence",
    }


def test_check_under_an_assumption_says_so_and_changes_the_verdict():
    result = run("check", "--format", "json", "--assume", "copy-to-subsystems.deletion=propagated")
    assert result.stderr == "assuming: copy-to-subsystems.deletion=propagated\n"
    verdicts = {item["claim"]: item["verdict"] for item in json.loads(result.stdout)}
    assert verdicts["ftc-transcripts-not-deleted"] == "contradicted"


# --- invariants -------------------------------------------------------------------------------


@settings(common, max_examples=30)  # each example traces every interaction: keep it quick
@given(models(), st.data())
def test_a_claim_built_from_a_traces_own_outcome_is_consistent(model, data):
    interaction = data.draw(st.sampled_from(sorted(model.interactions)))
    request = data.draw(st.sampled_from(["d0", "d1", "d2"]))
    result = tracer.trace(model, interaction, [request])
    copy = data.draw(st.sampled_from(result.copies))
    if copy.status == "transient":
        kind = "not_stored"
        statement = {"record": copy.record, "at": [copy.holder], "in": [interaction]}
    elif copy.status in ("deleted", "expired"):
        kind = "deletes"
        statement = {
            "record": copy.record,
            "on": request,
            "from": [copy.holder],
            "in": [interaction],
        }
    else:
        kind = "remains_after"
        statement = {"record": copy.record, "on": request, "at": [copy.holder], "in": [interaction]}
    claim = Claim(by=copy.party, **{kind: statement})
    (outcome,) = tracer.check(model.model_copy(update={"claims": {"own": claim}}))
    expected = "unverifiable" if copy.confidence in ("assumed", "unknown") else "consistent"
    assert outcome.verdict == expected, (outcome, copy)


def test_the_report_has_a_claims_section_with_each_verdict(tmp_path):
    out = tmp_path / "r.md"
    assert run("report", "weather", "-o", str(out)).exit_code == 0
    text = out.read_text()
    claims = text[text.index("## Claims") : text.index("## Sources")]
    assert "| `a4-transcripts-kept-until-deleted` | amazon |" in claims
    assert claims.count("**contradicted**") == 2 and claims.count("**unverifiable**") == 0
    html = tmp_path / "r.html"
    assert run("report", "weather", "-o", str(html)).exit_code == 0
    assert '<section id="claims">' in html.read_text()
