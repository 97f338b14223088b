"""A trace as W3C PROV: read back by the prov package, in PROV-JSON and in its PROV-N."""

from __future__ import annotations

import datetime as dt

import pytest
from prov.model import ProvDocument
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.interop import prov_document, write_prov


@pytest.fixture(scope="module")
def model():
    return tracer.load_model()


@pytest.fixture(scope="module")
def order(model):
    return tracer.trace(model, "dominos-order", ["delete-recording@30d"], at="400d")


def _read(path):
    return ProvDocument.deserialize(path, format="json")


def test_prov_json_reads_back_as_the_same_document(model, order, tmp_path):
    path = write_prov(order, tmp_path / "order.json", model=model)
    assert _read(path) == prov_document(order, model)


def test_every_copy_is_an_entity_attributed_to_its_holders_party(model, order, tmp_path):
    document = _read(write_prov(order, tmp_path / "order.json", model=model))
    entities = {
        str(r.identifier): r for r in document.get_records() if r.get_type().localpart == "Entity"
    }
    assert sorted(entities) == sorted(f"copy:{c.id}" for c in order.copies)
    status = {k: list(r.get_attribute("tracer:status"))[0] for k, r in entities.items()}
    assert status == {f"copy:{c.id}": c.status for c in order.copies}
    attributed = {
        (str(r.args[0]), str(r.args[1]))
        for r in document.get_records()
        if r.get_type().localpart == "Attribution"
    }
    assert attributed == {(f"copy:{c.id}", f"party:{c.party}") for c in order.copies}
    agents = {
        str(r.identifier) for r in document.get_records() if r.get_type().localpart == "Agent"
    }
    assert agents == {f"party:{c.party}" for c in order.copies}


def test_provn_of_the_read_back_document_states_the_deletion_at_its_offset(model, order, tmp_path):
    provn = _read(write_prov(order, tmp_path / "order.json", model=model)).get_provn()
    # delete-recording@30d: 30 days after the stated origin
    assert "activity(request:delete-recording, 1970-01-31T00:00:00+00:00, -," in provn
    assert (
        "wasInvalidatedBy(copy:voice_history/voice_recording, request:delete-recording, 1970-01-31T00:00:00+00:00)"
        in provn
    )
    assert 'tracer:origin="1970-01-01T00:00:00+00:00"' in provn


def test_flows_and_derivations_are_activities_that_use_and_generate_copies(model, order, tmp_path):
    provn = _read(write_prov(order, tmp_path / "order.json", model=model)).get_provn()
    assert "activity(edge:capture, 1970-01-01T00:00:00+00:00, -, [prov:type='tracer:Flow'" in provn
    assert "used(edge:capture, copy:echo/voice_recording, 1970-01-01T00:00:00+00:00)" in provn
    assert (
        "wasGeneratedBy(copy:alexa_cloud/voice_recording, edge:capture, 1970-01-01T00:00:00+00:00)"
        in provn
    )
    assert (
        "wasDerivedFrom(copy:alexa_cloud/transcript, copy:alexa_cloud/voice_recording, edge:speech-recognition, -, -)"
        in provn
    )
    assert (
        "wasGeneratedBy(copy:echo/voice_recording, interaction:dominos-order, 1970-01-01T00:00:00+00:00)"
        in provn
    )


def test_each_copy_is_generated_once_by_the_last_edge_of_its_first_path(model, order):
    document = prov_document(order, model)
    generated = [
        str(r.args[0]) for r in document.get_records() if r.get_type().localpart == "Generation"
    ]
    assert sorted(generated) == sorted(f"copy:{c.id}" for c in order.copies)


def test_an_expired_copy_is_invalidated_at_the_day_its_retention_ran_out(tmp_path):
    model = tracer.parse_model(
        "format: tracer/1\nname: m\nparties: {us: {name: Us}}\nrecords: {note: {name: Note}}\n"
        "holders: {inbox: {name: Inbox, party: us, keeps: {note: {for: 30d}}}}\n"
        "interactions: {write: {name: Write, starts: {inbox: [note]}}}\n"
    )
    document = prov_document(
        tracer.trace(model, "write", at="90d"),
        model,
        origin=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    )
    assert "wasInvalidatedBy(copy:inbox/note, -, 2024-01-31T00:00:00+00:00)" in document.get_provn()


def test_ids_that_are_not_prov_n_names_are_percent_encoded_and_read_back(tmp_path):
    model = tracer.parse_model(
        "format: tracer/1\nname: m\nparties: {us: {name: Us}}\nrecords: {note: {name: Note}}\n"
        "holders: {'a:b': {name: A, party: us}, c: {name: C, party: us}}\n"
        "flows: [{from: 'a:b', to: c, carries: [note]}]\n"
        "interactions: {write: {name: Write, starts: {'a:b': [note]}}}\n"
    )
    result = tracer.trace(model, "write")
    path = write_prov(result, tmp_path / "m.json", model=model)
    assert "edge:a%3Ab-%3Ec" in _read(path).get_provn()
    assert _read(path) == prov_document(result, model)


def test_prov_output_is_byte_identical_each_time_and_provn_by_suffix(model, order, tmp_path):
    first = write_prov(order, tmp_path / "a.json", model=model).read_bytes()
    assert write_prov(order, tmp_path / "b.json", model=model).read_bytes() == first
    provn = write_prov(order, tmp_path / "a.provn", model=model).read_text(encoding="utf-8")
    assert provn.startswith("document\n")


def test_cli_export_prov_writes_the_trace(tmp_path):
    out = tmp_path / "order.prov.json"
    result = CliRunner().invoke(
        app, ["export", "prov", "dominos-order", "--delete", "delete-recording", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert len(_read(out).get_records()) > 100
