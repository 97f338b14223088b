"""Write a made-up person's Alexa Voice History export: Sam's year of 2025, 200 records, as the
Alexa privacy page serves it (pages of ``customerHistoryRecords``, newest first, the last page
empty), seeded, so the same files come out every time.

Sam asks for the weather and music, sets reminders, orders from Domino's and rides with Uber
(skills the model traces by hand), plays Jeopardy! and keeps lists with Todoist (skills of the
shipped catalogue, ``graphs/alexa-skills.csv``), asks Yellow Pages for a plumber (two skills of
the catalogue share that name, so the name alone is ambiguous), listens to a sleep-sounds skill
no catalogue row knows, and speaks a few names and words that are not ASCII.

Then it does what docs/history.md walks through, with the library: imports the export with
Sam's own rule (``my-map.yaml``: which Yellow Pages it is) and what Sam deleted (everything, on
2 January 2026, right after downloading it), builds the ledger with the 2025 model and the
shipped catalogue, and writes Sam's letters.

    python samples/alexa-history/generate.py   # page-*.json, events.csv, requests.csv, letters/
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import uuid
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).parent
SEED = 2026
RECORDS = 200
PAGE = 50
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
END = datetime(2026, 1, 1, tzinfo=timezone.utc)
DEVICES = ["Kitchen Echo", "Sam's Echo Dot", "Wohnzimmer Echo Show"]

# (weight, fields of the record, what Sam says, what Alexa answers)
KINDS = [
    (
        30,
        {"domain": "Weather", "intent": "GetWeatherForecastIntent"},
        ["what's the weather", "will it rain in Köln today", "how cold is it outside"],
        "Right now in Köln it's 4 degrees with light rain.",
    ),
    (
        25,
        {"domain": "Music", "intent": "PlayMusicIntent"},
        ["play some jazz", "play Björk", "play my Discover Weekly", "play Sigur Rós"],
        "Playing.",
    ),
    (
        10,
        {"domain": "Knowledge", "intent": "QAIntent"},
        ["how tall is the Eiffel tower", "what does façade mean", "who wrote Faust"],
        "Here's what I found.",
    ),
    (
        8,
        {"domain": "Notifications", "intent": "CreateReminderIntent"},
        [
            "remind me to call Zoë at six",
            "remind me to take the bins out",
            "remind me to water the plants",
        ],
        "OK, I'll remind you.",
    ),
    (
        6,
        {"skillName": "Domino's", "domain": "Skills", "intent": "OrderIntent"},
        ["ask Domino's to order my easy order", "ask Domino's where my pizza is"],
        "Your Easy Order is on its way.",
    ),
    (
        5,
        {"skillName": "Uber", "domain": "Skills", "intent": "RequestRideIntent"},
        ["ask Uber for a ride to the Hauptbahnhof", "ask Uber for a ride home"],
        "A driver is on the way.",
    ),
    (
        7,
        {"skillName": "Jeopardy!", "domain": "Skills", "intent": "PlayGameIntent"},
        ["play Jeopardy", "open Jeopardy!", "ask Jeopardy! for today's category"],
        "This is Jeopardy!",
    ),
    (
        4,
        {"skillName": "Todoist", "domain": "Skills", "intent": "AddTaskIntent"},
        ["ask Todoist to add buy Brötchen", "ask Todoist what's due today"],
        "OK, added to your Inbox.",
    ),
    (
        2,
        {"skillName": "Yellow Pages", "domain": "Skills", "intent": "FindBusinessIntent"},
        ["ask Yellow Pages for a plumber near me", "ask Yellow Pages for a locksmith"],
        "Here are three near you.",
    ),
    (
        7,
        {"skillName": "Sleep Sounds: Ocean Waves", "domain": "Skills", "intent": "PlaySoundIntent"},
        ["open ocean waves", "play ocean sounds"],
        "Playing ocean waves.",
    ),
]


def record(rng: random.Random, moment: datetime) -> dict:
    weights = [kind[0] for kind in KINDS]
    _, fields, sayings, answer = rng.choices(KINDS, weights=weights)[0]
    ms = int(moment.timestamp() * 1000) + rng.randrange(1000)
    key = f"{uuid.UUID(int=rng.getrandbits(128), version=4)}"
    device = rng.choice(DEVICES)
    data = {
        "recordKey": f"{device.replace(' ', '')}#{ms}#{key[:8]}",
        "recordType": "VOICE_HISTORY",
        "timestamp": ms,
        "customerId": "A1SAMPLECUSTOMER0",
        "device": {"deviceName": device, "deviceSerialNumber": f"G0{rng.getrandbits(40):012X}"},
        "utteranceType": "GENERAL",
        **fields,
        "voiceHistoryRecordItems": [
            {
                "recordItemKey": f"{key}#CUSTOMER_TRANSCRIPT",
                "recordItemType": "CUSTOMER_TRANSCRIPT",
                "utteranceId": key,
                "timestamp": ms,
                "transcriptText": rng.choice(sayings),
            },
            {
                "recordItemKey": f"{key}#ALEXA_RESPONSE",
                "recordItemType": "ALEXA_RESPONSE",
                "utteranceId": key,
                "timestamp": ms + 1200,
                "transcriptText": answer,
            },
        ],
    }
    if rng.random() < 0.3:  # newer captures name the recognised speaker
        data["personsInfo"] = [
            {
                "personId": "amzn1.actor.person.oid.SAM",
                "personFirstName": "Sam",
                "personType": "ADULT",
            }
        ]
    return data


def write_export(folder: Path) -> list[Path]:
    """The export's pages, in ``folder``."""
    rng = random.Random(SEED)
    span = (END - START).total_seconds()
    moments = sorted(
        (START.timestamp() + rng.random() * span for _ in range(RECORDS)), reverse=True
    )  # the page lists the newest first
    records = [record(rng, datetime.fromtimestamp(m, tz=timezone.utc)) for m in moments]
    pages = [records[i : i + PAGE] for i in range(0, RECORDS, PAGE)] + [[]]
    for number, items in enumerate(pages, start=1):
        token = f"page-{number + 1}-token" if number < len(pages) else None
        data = {"customerHistoryRecords": items, "encodedRequestToken": token}
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        (folder / f"page-{number}.json").write_text(text, encoding="utf-8")
    return [folder / f"page-{number}.json" for number in range(1, len(pages) + 1)]


def write_outputs(folder: Path, pages: list[Path]) -> None:
    """Sam's events and requests logs and letters, in ``folder``, from the export's ``pages``."""
    from tracer.history import deletion_requests, import_alexa
    from tracer.ledger import build, open_ledger
    from tracer.ledger.letters import erasure_letters, write_letters
    from tracer.model.loading import load_model
    from tracer.skills import read_catalogue

    model_path = HERE.parent.parent / "graphs" / "alexa-2025.yaml"
    catalogue_path = HERE.parent.parent / "graphs" / "alexa-skills.csv"
    model = load_model(model_path)
    requests = deletion_requests(model, "sam", deleted_before="2026-01-02T09:00:00Z")
    import_alexa(
        pages,
        folder / "events.csv",
        model=model,
        user="sam",
        maps=[HERE / "my-map.yaml"],
        requests=requests,
        catalogue=read_catalogue(catalogue_path),
    )
    with tempfile.TemporaryDirectory() as scratch:
        ledger_path = Path(scratch) / "sam.duckdb"
        build(
            folder / "events.csv",
            folder / "requests.csv",
            model=model_path,
            output=ledger_path,
            catalogue=catalogue_path,
        )
        with open_ledger(ledger_path) as ledger:
            letters = erasure_letters(ledger, "sam")
    write_letters(letters, folder / "letters", force=True, mkdir=True)


def main() -> None:
    sys.path.insert(0, str(HERE.parent.parent))  # the tracer of this checkout
    write_outputs(HERE, write_export(HERE))


if __name__ == "__main__":
    main()
