"""The record of processing (GDPR Art. 30): one row per holder and record, Art. 30's own column
names, read back from CSV and from XLSX with openpyxl."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.interop.ropa import COLUMNS, ropa_csv, ropa_rows, write_ropa
from tracer.interop.selection import Selection

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="module")
def alexa():
    return tracer.load_model()


@pytest.fixture(scope="module")
def rows(alexa):
    return ropa_rows(alexa)


def test_the_columns_carry_every_item_of_art_30_1_and_30_2_by_its_own_words():
    named = {m for column in COLUMNS for m in re.findall(r"30\(\d\)\([a-g]\)", column)}
    assert named == {f"30(1)({x})" for x in "abcdefg"} | {f"30(2)({x})" for x in "abcd"}
    assert "Art. 30(1)(f) Envisaged time limits for erasure" in COLUMNS
    assert "Art. 30(1)(b) Purposes of the processing" in COLUMNS
    assert (
        "Art. 30(1)(d) Categories of recipients to whom the personal data have been or will be disclosed"
        in COLUMNS
    )


def test_one_row_per_holder_and_record_of_a_controller_or_processor(alexa, rows):
    ids = [row["Processing"] for row in rows]
    assert len(ids) == 68 and ids == sorted(set(ids))
    # the user's own device is nobody's record of processing
    assert not [i for i in ids if i.startswith("echo/")]
    assert [i for i in ids if i.startswith("dominos_backend/")] == [
        "dominos_backend/action_record", "dominos_backend/developer_account",
        "dominos_backend/link_token", "dominos_backend/skill_request",
        "dominos_backend/transaction_record",
    ]  # fmt: skip


def test_a_controllers_row_says_purpose_recipients_erasure_and_what_deletion_reaches(rows):
    row = next(r for r in rows if r["Processing"] == "voice_history/voice_recording")
    assert row == {
        "Processing": "voice_history/voice_recording",
        "System": "Voice History (Alexa's primary storage)",
        "Controller or processor": "controller",
        "Art. 30(1)(a) Name and contact details of the controller": "Amazon",
        "Art. 30(2)(a) Name and contact details of the processor": "",
        "Art. 30(1)(b) Purposes of the processing": "essential.service; functional.service.improve; train_ai_system",
        "Art. 30(1)(c) Categories of data subjects": "The user",
        "Art. 30(1)(c) Categories of personal data": "Voice recording (user.biometrics.voice)",
        "Art. 30(1)(d) Categories of recipients to whom the personal data have been or will be disclosed": "Annotators (Amazon employees and contractors who review clips) (contractor)",
        "Art. 30(1)(e) and 30(2)(c) Transfers of personal data to a third country or an international organisation": "not stated in the model",
        "Art. 30(1)(f) Envisaged time limits for erasure": "until the user deletes it",
        "What deletion reaches": 'deleted by: "Alexa, delete everything I said today" (needs the '
        'deletion-by-voice opt-in); "Alexa, delete what I just said" (needs the deletion-by-voice '
        "opt-in); A parent asks Amazon to delete a child's recordings; Delete all Voice History "
        "(device settings); Delete one recording in Voice History (Alexa app or Privacy Hub); "
        "Delete the recordings of a date range in Voice History (Alexa app or Privacy Hub)",
        "Art. 30(1)(g) and 30(2)(d) General description of the technical and organisational security measures": "not stated in the model",
        "Art. 30(2)(b) Categories of processing carried out on behalf of each controller": "",
        "Evidence": "amazon-coons-2019; techcrunch-2019",
        "Confidence": "stated",
    }


def test_a_processors_row_names_the_controller_it_acts_for(rows):
    row = next(r for r in rows if r["Processing"] == "annotation_pool/location")
    assert row["Controller or processor"] == "processor"
    assert row["Art. 30(1)(a) Name and contact details of the controller"] == "Amazon"
    assert row["Art. 30(2)(a) Name and contact details of the processor"].startswith("Annotators")
    assert row[
        "Art. 30(2)(b) Categories of processing carried out on behalf of each controller"
    ] == ("keeps Geolocation (from the Alexa app) (unknown) for Amazon")
    assert (row["Art. 30(1)(f) Envisaged time limits for erasure"], row["Confidence"]) == (
        "unknown",
        "unknown",
    )


def test_csv_reads_back_as_the_rows(rows):
    assert list(csv.DictReader(io.StringIO(ropa_csv(rows)))) == rows


def test_xlsx_reads_back_with_openpyxl_as_the_rows(alexa, rows, tmp_path):
    out = write_ropa(alexa, tmp_path / "ropa.xlsx")
    sheet = load_workbook(out, read_only=True).active
    values = [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0] == list(COLUMNS)
    assert [dict(zip(COLUMNS, v, strict=True)) for v in values[1:]] == rows
    assert load_workbook(out).active.freeze_panes == "B2"


def test_the_filters_keep_only_the_selected_rows(alexa):
    by = {
        "party": ropa_rows(alexa, Selection(parties=("dominos",))),
        "retention": ropa_rows(alexa, Selection(retention=("until_deleted",))),
        "confidence": ropa_rows(alexa, Selection(confidence=("alleged",))),
    }
    assert {r["Processing"].split("/")[0] for r in by["party"]} == {"dominos_backend"}
    assert [r["Processing"] for r in by["retention"]] == [
        "voice_history/response_transcript", "voice_history/transcript", "voice_history/voice_recording"
    ]  # fmt: skip
    assert [r["Processing"] for r in by["confidence"]] == ["kids_profiles/child_profile"]


def test_cli_prints_csv_without_o_and_writes_xlsx_with_it(alexa, tmp_path):
    result = CliRunner().invoke(app, ["export", "ropa", "--party", "dominos"], env=ENV)
    assert result.exit_code == 0
    assert result.stdout == ropa_csv(ropa_rows(alexa, Selection(parties=("dominos",))))
    out = tmp_path / "ropa.xlsx"
    result = CliRunner().invoke(
        app, ["export", "ropa", "-o", str(out), "--confidence", "stated"], env=ENV
    )
    assert (result.exit_code, result.stdout) == (0, f"wrote {out}\n")
    assert load_workbook(out).active.max_row == 1 + len(
        ropa_rows(alexa, Selection(confidence=("stated",)))
    )


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            ["export", "ropa", "-o", "ropa.txt"],
            "a record of processing is written as .csv or .xlsx, not 'ropa.txt'",
        ),
        (["export", "ropa", "--party", "amazn"], "unknown party 'amazn'; did you mean 'amazon'?"),
        (
            ["export", "ropa", "--retention", "soon"],
            "--retention 'soon': use one of none, until_deleted, forever, unknown, duration or a duration like 30d",
        ),
    ],
)
def test_cli_refuses_a_bad_file_or_filter_with_one_message(tmp_path, words, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, words, env=ENV)
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize("name", ["alexa.yaml", "alexa-2025.yaml"])
def test_each_shipped_model_exports_as_csv_xlsx_and_dpv_and_reads_back(name, tmp_path):
    from rdflib import RDF, Graph, URIRef

    model = tracer.load_model(tracer.default_model_path().parent / name)
    rows = ropa_rows(model)
    csv_path = tracer.interop.export("ropa", tmp_path / "r.csv", model=model)
    assert list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8")))) == rows
    sheet = load_workbook(tracer.interop.export("ropa", tmp_path / "r.xlsx", model=model)).active
    assert sheet.max_row == 1 + len(rows)
    graph = Graph().parse(
        tracer.interop.export("dpv", tmp_path / "m.jsonld", model=model), format="json-ld"
    )
    processes = set(graph.subjects(RDF.type, URIRef("https://w3id.org/dpv#Process")))
    assert {f"urn:tracer:processing:{r['Processing']}" for r in rows} <= {str(p) for p in processes}


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            ["export", "ropa", "dominos-order"],
            "ropa exports the whole model: leave out 'dominos-order'",
        ),
        (["export", "dpv"], "dpv needs a file to write: -o FILE"),
    ],
)
def test_cli_bad_usage_of_the_new_formats_exits_2(words, message):
    result = CliRunner().invoke(app, words, env=ENV)
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", "").split())
