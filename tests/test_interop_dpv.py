"""DPV out: the model and a trace as JSON-LD, read back with rdflib, every dpv: term one the
Data Privacy Vocabulary defines (the vendored list), and the mapping docs/interop.md states."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.interop.dpv import DPV_TERMS, write_dpv

DPV = Namespace("https://w3id.org/dpv#")
T = Namespace("urn:tracer:")
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="module")
def alexa():
    return tracer.load_model()


@pytest.fixture(scope="module")
def graph(alexa, tmp_path_factory):
    traced = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    out = write_dpv(alexa, tmp_path_factory.mktemp("dpv") / "alexa.jsonld", trace=traced)
    return Graph().parse(out, format="json-ld")


def _dpv_terms(graph: Graph) -> set[str]:
    return {
        str(term)[len(str(DPV)) :]
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(DPV))
    }


def test_every_dpv_term_written_is_one_the_vocabulary_defines(graph):
    used = _dpv_terms(graph)
    assert used <= DPV_TERMS, sorted(used - DPV_TERMS)
    assert {"PersonalData", "Process", "DataController", "DataProcessor", "Recipient", "StorageDuration",
            "Erase", "hasStorageCondition", "hasActivityStatus"} <= used  # fmt: skip


def test_the_vendored_list_holds_the_31_terms_checked_against_the_dpv_term_list():
    assert len(DPV_TERMS) == 31
    classes = {t for t in DPV_TERMS if t[0].isupper()}
    properties = {t for t in DPV_TERMS if t.startswith(("has", "is"))}
    assert classes | properties == DPV_TERMS


def test_parties_are_controllers_processors_third_parties_or_the_data_subject(graph):
    def types(party):
        return {str(t)[len(str(DPV)) :] for t in graph.objects(T[f"party:{party}"], RDF.type)}

    assert types("amazon") == {"DataController", "Recipient"}  # Echo sends to Amazon
    assert types("annotators") == {"DataProcessor"}
    assert types("ad_partners") == {"ThirdParty"}
    assert types("user") == {"DataSubject", "User"}
    assert (T["party:amazon"], DPV.hasName, Literal("Amazon")) in graph


def test_a_processing_has_its_data_controller_purposes_recipients_and_storage_duration(graph):
    processing = T["processing:voice_history/voice_recording"]
    assert (processing, RDF.type, DPV.Process) in graph
    assert (processing, DPV.hasPersonalData, T["record:voice_recording"]) in graph
    assert (processing, DPV.hasProcessing, DPV.Store) in graph
    assert (processing, DPV.hasDataController, T["party:amazon"]) in graph
    assert (processing, DPV.hasRecipient, T["party:annotators"]) in graph
    assert set(graph.objects(processing, DPV.hasPurpose)) == {
        T["purpose:essential.service"],
        T["purpose:functional.service.improve"],
        T["purpose:train_ai_system"],
    }
    storage = graph.value(processing, DPV.hasStorageCondition)
    assert set(graph.objects(storage, RDF.type)) == {DPV.StorageDuration, DPV.UntilEventDuration}
    assert T["request:delete-recording"] in set(graph.objects(storage, T.deletedBy))
    assert (T["request:delete-recording"], DPV.hasProcessing, DPV.Erase) in graph


def test_a_fixed_period_is_a_temporal_duration_with_an_xsd_duration(tmp_path):
    model = tracer.parse_model(
        "format: tracer/1\nname: t\nparties: {acme: {name: Acme}}\nrecords: {log: {name: Log}}\n"
        "holders: {store: {name: Store, party: acme, keeps: {log: {for: 30d}}}}\n"
    )
    graph = Graph().parse(write_dpv(model, tmp_path / "t.jsonld"), format="json-ld")
    storage = graph.value(T["processing:store/log"], DPV.hasStorageCondition)
    assert set(graph.objects(storage, RDF.type)) == {DPV.StorageDuration, DPV.TemporalDuration}
    assert graph.value(storage, RDF.value) == Literal(
        "P30D", datatype=URIRef("http://www.w3.org/2001/XMLSchema#duration")
    )


def test_a_trace_gives_each_copy_its_status_and_dpv_activity_status_where_dpv_has_one(graph):
    def copy(copy_id):
        return T[f"copy:dominos-order/{copy_id}"]

    assert graph.value(copy("voice_history/voice_recording"), T.status) == Literal("deleted")
    assert (
        graph.value(copy("voice_history/voice_recording"), DPV.hasActivityStatus)
        == DPV.ActivityCompleted
    )
    assert graph.value(copy("alexa_cloud/voice_recording"), T.status) == Literal("transient")
    maybe = copy("dominos_backend/skill_request")
    assert graph.value(maybe, T.status) == Literal("may_remain")
    assert graph.value(maybe, DPV.hasActivityStatus) is None  # DPV has no word for "may remain"


def test_the_export_is_byte_identical_each_time(alexa, tmp_path):
    first = write_dpv(alexa, tmp_path / "a.jsonld").read_bytes()
    assert write_dpv(alexa, tmp_path / "b.jsonld").read_bytes() == first


def test_cli_exports_a_trace_and_keeps_only_the_selected_party(alexa, tmp_path):
    out = tmp_path / "order.jsonld"
    words = [
        "export",
        "dpv",
        "dominos-order",
        "-d",
        "delete-recording",
        "--party",
        "dominos",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(app, words, env=ENV)
    assert (result.exit_code, result.stdout) == (0, f"wrote {out}\n")
    graph = Graph().parse(out, format="json-ld")
    processings = {str(s) for s in graph.subjects(RDF.type, DPV.Process) if "processing:" in str(s)}
    assert {p.split(":")[-1].split("/")[0] for p in processings} == {"dominos_backend"}
    # the copies keep the statuses the whole model gives them
    full = {
        c.id: c.status for c in tracer.trace(alexa, "dominos-order", ["delete-recording"]).copies
    }
    copies = {str(s).split("dominos-order/")[1]: str(o) for s, o in graph.subject_objects(T.status)}
    assert copies == {k: v for k, v in full.items() if k.startswith("dominos_backend/")}
