"""The erasure letters: one per party that may still hold the person's copies, with the records,
counts, dates, the rule and evidence, the legal basis and the party's contact; written whole or
not at all, never over a letter without --force."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracer.cli import app
from tracer.ledger import build, open_ledger
from tracer.ledger.letters import chromium, erasure_letters, write_letters

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

MODEL = """\
format: tracer/1
name: Tiny assistant
sources:
  letter: {title: The platform's letter, publisher: Platform Inc., kind: official, date: 2024-05-01, url: "https://example.org/letter"}
parties:
  user: {name: The user, role: data_subject}
  platform: {name: Platform Inc., role: platform, contact: "privacy@platform.example"}
  shop: {name: Pizza Shop, role: skill_developer}
records:
  recording: {name: Voice recording}
  order: {name: Order}
holders:
  device: {name: Speaker, party: user, kind: device, keeps: {recording: {for: none}}}
  history: {name: History, party: platform, access: [platform, user], keeps: {recording: {for: until_deleted, deleted_by: [wipe], evidence: [letter], confidence: stated}}}
  shop_backend: {name: Shop backend, party: shop, keeps: {order: {for: unknown, note: The shop keeps orders under its own policy.}}}
flows:
  - {from: device, to: history, carries: [recording]}
interactions:
  ask: {name: Ask something, starts: {device: [recording]}}
  buy: {name: Buy a pizza, starts: {device: [recording], shop_backend: [order]}}
deletions:
  wipe: {name: Wipe history, by: user}
"""
EVENTS = """\
event,user,interaction,at
r1,ann,ask,2025-01-05T10:00:00Z
r2,ann,buy,2025-02-10T19:30:00Z
r3,ann,buy,2025-03-01T20:00:00Z
r4,bob,ask,2025-03-02T08:00:00Z
"r5
# Not a heading",cy,ask,2025-03-03T08:00:00Z
"""


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    (tmp_path / "model.yaml").write_text(MODEL)
    (tmp_path / "events.csv").write_text(EVENTS)
    output = tmp_path / "l.duckdb"
    build(tmp_path / "events.csv", model=tmp_path / "model.yaml", output=output)
    return output


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_one_letter_per_party_that_may_still_hold_copies(ledger_path):
    with open_ledger(ledger_path) as ledger:
        letters = erasure_letters(ledger, "ann")
    assert [(x.party, x.name, x.contact, x.events, x.copies) for x in letters] == [
        ("platform", "Platform Inc.", "privacy@platform.example", 3, 3),
        ("shop", "Pizza Shop", None, 2, 2),
    ]
    shop = letters[1].markdown
    assert (
        shop.splitlines()[0]
        == "# Request for access to and erasure of my personal data: Pizza Shop"
    )
    assert "Between 2025-02-10 and 2025-03-01 I made 2 requests" in shop
    assert (
        "| Order | Shop backend (shop_backend) | may remain | 2 | 2025-02-10 | 2025-03-01 |" in shop
    )
    assert (
        "**Order, shop_backend** (assumed): kept for an unknown time: The shop keeps orders under its own policy."
        in shop
    )
    assert "- r2 (2025-02-10T19:30:00Z)\n- r3 (2025-03-01T20:00:00Z)" in shop
    assert "(The model gives no contact for this party" in shop
    assert "Article 19" not in shop  # only the platform passes an erasure on


def test_the_platforms_letter_names_its_contact_evidence_and_the_recipients(ledger_path):
    with open_ledger(ledger_path) as ledger:
        platform = erasure_letters(ledger, "ann")[0].markdown
    assert "To: Platform Inc., privacy@platform.example" in platform
    assert (
        "| Voice recording | History (history) | held | 3 | 2025-01-05 | 2025-03-01 |" in platform
    )
    assert (
        "- The platform's letter, Platform Inc., 2024-05-01: https://example.org/letter" in platform
    )
    assert (
        "- Under Article 19 GDPR: communicate this erasure to each recipient to whom the data "
        "were disclosed, and tell me who they are; the evidence names these: Pizza Shop (2 copies)."
    ) in platform
    assert "Article 15 GDPR" in platform and "Article 17 GDPR" in platform
    assert "CCPA (Cal. Civ. Code § 1798.105)" in platform


def test_the_laws_invoked_can_be_chosen(ledger_path):
    with open_ledger(ledger_path) as ledger:
        ccpa = erasure_letters(ledger, "ann", laws=("ccpa",))[1].markdown
    assert "CCPA" in ccpa and "GDPR:" not in ccpa


def test_letters_are_written_whole_private_and_never_over_an_existing_one(ledger_path, tmp_path):
    folder = tmp_path / "letters"
    result = run(
        "ledger",
        "erasure",
        str(ledger_path),
        "--user",
        "ann",
        "--letters",
        str(folder),
        "--no-pdf",
    )
    assert (result.exit_code, result.stdout) == (
        0,
        f"platform: 3 requests, 3 copies\nshop: 2 requests, 2 copies\nwrote 2 files into {folder}\n",
    )
    assert sorted(p.name for p in folder.iterdir()) == ["platform.md", "shop.md"]
    assert stat.S_IMODE((folder / "shop.md").stat().st_mode) == 0o600
    (folder / "platform.md").unlink()
    (folder / "shop.md").write_text("my own notes")
    again = run(
        "ledger", "erasure", str(ledger_path), "--user", "ann", "--letters", str(folder), "--no-pdf"
    )
    assert (again.exit_code, again.stderr) == (
        1,
        f"error: refusing to write {folder}/shop.md: it exists (--force replaces it)\n",
    )
    # not even the letter that did not exist was written
    assert sorted(p.name for p in folder.iterdir()) == ["shop.md"]
    forced = run(
        "ledger",
        "erasure",
        str(ledger_path),
        "--user",
        "ann",
        "--letters",
        str(folder),
        "--no-pdf",
        "--force",
    )
    assert forced.exit_code == 0
    assert (folder / "shop.md").read_text().startswith("# Request for access")


def test_an_unknown_user_gets_no_letters(ledger_path, tmp_path):
    result = run(
        "ledger",
        "erasure",
        str(ledger_path),
        "--user",
        "zoe",
        "--letters",
        str(tmp_path),
        "--no-pdf",
    )
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: no events of user 'zoe' in the ledger {ledger_path}\n",
    )


@pytest.mark.skipif(chromium() is None, reason="Chromium is not installed")
def test_chromium_prints_each_letter_as_a_pdf(ledger_path, tmp_path):
    with open_ledger(ledger_path) as ledger:
        letters = erasure_letters(ledger, "bob")
    written = write_letters(letters, tmp_path, pdf=True)
    assert [p.name for p in written] == ["platform.md", "platform.pdf"]
    assert (tmp_path / "platform.pdf").read_bytes().startswith(b"%PDF-")


def test_a_record_key_from_the_export_stays_on_its_line(ledger_path):
    with open_ledger(ledger_path) as ledger:
        letter = erasure_letters(ledger, "cy", sender="Cy\x1b[2J Doe")[0].markdown
    assert "- r5 # Not a heading (2025-03-03T08:00:00Z)" in letter
    assert "From: Cy\ufffd[2J Doe" in letter


def test_a_catalogue_developers_letter_names_it_its_skill_and_the_policy_to_write_to(tmp_path):
    from tracer.skills import shipped_catalogue_path

    (tmp_path / "events.csv").write_text(
        "event,user,interaction,at\n"
        "k1,sam,skill:refugee-restrooms,2025-04-01T10:00:00Z\n"
        "k2,sam,skill:shabbat-times,2025-04-02T10:00:00Z\n"
    )
    output = tmp_path / "l.duckdb"
    build(tmp_path / "events.csv", output=output, catalogue=shipped_catalogue_path())
    with open_ledger(output) as ledger:
        letters = {letter.party: letter for letter in erasure_letters(ledger, "sam")}
    restrooms = letters["developer:s-maheshbabu"]
    assert restrooms.filename == "developer_s-maheshbabu.md"  # no colon in a file name
    assert restrooms.name == "s-maheshbabu"  # the developer as the catalogue's row names it
    assert (
        "send this to the privacy contact its skill's privacy policy names: Refugee Restrooms, "
        "https://github.com/s-maheshbabu/restrooms-alexa-skill/wiki/Privacy-Policy."
    ) in restrooms.markdown
    assert "| Refugee Restrooms skill backend (skill:refugee-restrooms) |" in restrooms.markdown
    # what the skill receives rests on the permissions its row names: the row's source says so
    assert (
        "What the Refugee Restrooms skill receives follows from the permissions it asks for, "
        "as published in:\n\n- Refugee Restrooms: https://github.com/s-maheshbabu/"
        "restrooms-alexa-skill/blob/0b3c670f9adc2f310f4fa2c67a0ac1f39be7ea19/skill-package/"
        "skill.json\n"
    ) in restrooms.markdown
    # a row with no privacy policy: the letter says where to find one
    shabbat = letters["developer:tomerfi"]
    assert "the privacy policy its skill's page in the Alexa app links to" in shabbat.markdown
