"""OpenLineage in: run events as the spec and openlineage-python write them become a model that
validates and traces; every field the import cannot use is reported at its event's line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openlineage.client.event_v2 import (
    DatasetEvent,
    InputDataset,
    Job,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
    StaticDataset,
)
from openlineage.client.facet_v2 import (
    DatasetFacet,
    column_lineage_dataset,
    nominal_time_run,
    output_statistics_output_dataset,
    ownership_dataset,
    schema_dataset,
    sql_job,
    tags_dataset,
)
from openlineage.client.serde import Serde
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.errors import ModelError
from tracer.interop.openlineage import import_openlineage

EVENTS = Path(__file__).parent.parent / "samples" / "openlineage" / "shop.jsonl"
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.20.0/integration/spark"


# -- the fixture is OpenLineage: each line rebuilt with openlineage-python's own classes --------


def _facet(cls, data: dict):
    return cls(
        **{k: v for k, v in data.items() if not k.startswith("_")}, producer=data["_producer"]
    )


def _dataset_facets(facets: dict) -> dict:
    built = {}
    for name, data in facets.items():
        if name == "schema":
            fields = [schema_dataset.SchemaDatasetFacetFields(**f) for f in data["fields"]]
            built[name] = schema_dataset.SchemaDatasetFacet(
                fields=fields, producer=data["_producer"]
            )
        elif name == "columnLineage":
            fields = {
                out: column_lineage_dataset.Fields(
                    inputFields=[
                        column_lineage_dataset.InputField(
                            namespace=i["namespace"],
                            name=i["name"],
                            field=i["field"],
                            transformations=[
                                column_lineage_dataset.Transformation(**t)
                                for t in i["transformations"]
                            ],
                        )
                        for i in spec["inputFields"]
                    ]
                )
                for out, spec in data["fields"].items()
            }
            built[name] = column_lineage_dataset.ColumnLineageDatasetFacet(
                fields=fields, producer=data["_producer"]
            )
        elif name == "tags":
            tags = [tags_dataset.TagsDatasetFacetFields(**t) for t in data["tags"]]
            built[name] = tags_dataset.TagsDatasetFacet(tags=tags, producer=data["_producer"])
        elif name == "ownership":
            owners = [ownership_dataset.Owner(**o) for o in data["owners"]]
            built[name] = ownership_dataset.OwnershipDatasetFacet(
                owners=owners, producer=data["_producer"]
            )
        elif name == "retention":  # a custom facet, as the spec lets a producer add one
            extra = {k: v for k, v in data.items() if not k.startswith("_")}
            built[name] = DatasetFacet(producer=data["_producer"]).with_additional_properties(
                **extra
            )
        else:
            raise AssertionError(f"no openlineage-python class for the dataset facet {name!r}")
    return built


def _as_event(data: dict):
    """The event rebuilt from openlineage-python's classes (attrs: an unknown key is an error)."""
    if "dataset" in data:
        return DatasetEvent(
            eventTime=data["eventTime"],
            producer=data["producer"],
            dataset=StaticDataset(
                namespace=data["dataset"]["namespace"], name=data["dataset"]["name"]
            ),
        )
    run_facets = {"nominalTime": nominal_time_run.NominalTimeRunFacet}
    job_facets = {"sql": sql_job.SQLJobFacet}
    output_facets = {
        "outputStatistics": output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet
    }
    run = data["run"]
    return RunEvent(
        eventType=RunState(data["eventType"]),
        eventTime=data["eventTime"],
        producer=data["producer"],
        run=Run(
            runId=run["runId"],
            facets={k: _facet(run_facets[k], v) for k, v in run.get("facets", {}).items()},
        ),
        job=Job(
            namespace=data["job"]["namespace"],
            name=data["job"]["name"],
            facets={k: _facet(job_facets[k], v) for k, v in data["job"].get("facets", {}).items()},
        ),
        inputs=[
            InputDataset(
                namespace=i["namespace"],
                name=i["name"],
                facets=_dataset_facets(i.get("facets", {})),
            )
            for i in data.get("inputs", [])
        ],
        outputs=[
            OutputDataset(
                namespace=o["namespace"],
                name=o["name"],
                facets=_dataset_facets(o.get("facets", {})),
                outputFacets={
                    k: _facet(output_facets[k], v) for k, v in o.get("outputFacets", {}).items()
                },
            )
            for o in data.get("outputs", [])
        ],
    )


def _comparable(value):
    """Without the schema URLs the classes set themselves, and without empty containers."""
    if isinstance(value, dict):
        kept = {k: _comparable(v) for k, v in value.items() if k not in ("_schemaURL", "schemaURL")}
        return {k: v for k, v in kept.items() if v not in ({}, [])}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


@pytest.mark.parametrize("number", range(1, 6))
def test_each_fixture_event_is_one_openlineage_python_builds_and_writes_the_same(number):
    data = json.loads(EVENTS.read_text(encoding="utf-8").splitlines()[number - 1])
    written = Serde.to_dict(_as_event(data))
    assert _comparable(written) == _comparable(data)
    assert data["schemaURL"].startswith(
        "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/"
    )


# -- the import --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shop():
    return import_openlineage(EVENTS)


def test_each_dataset_is_a_holder_run_by_its_owner_or_the_operator(shop):
    assert {k: (h.name, h.party, h.kind) for k, h in shop.model.holders.items()} == {
        "public.customers": ("public.customers", "operator", "store"),
        "analytics.customer_profile": ("analytics.customer_profile", "operator", "store"),
        "marketing.audience": ("marketing.audience", "team:marketing", "store"),  # ownership facet
        "crm.contacts": ("crm.contacts", "operator", "store"),
    }


def test_each_job_is_a_flow_from_input_to_output_carrying_the_columns_lineage_names(shop):
    flows = [(f.source, f.target, f.carries, f.confidence) for f in shop.model.flows]
    assert flows == [
        # identity copies carry the input's own records; birth_date passes to compute age_band
        (
            "public.customers",
            "analytics.customer_profile",
            ("customer_id", "email", "birth_date"),
            "stated",
        ),
        # no column lineage: the columns the output has by name, as an assumption
        ("public.customers", "crm.contacts", ("email", "name"), "assumed"),
        # customer_id is an INDIRECT (filter) input: it shapes the output and carries nothing
        ("analytics.customer_profile", "marketing.audience", ("email", "age_band"), "stated"),
    ]


def test_a_computed_column_is_a_derivation_and_its_input_passes_through_unkept(shop):
    m = shop.model
    assert [(d.at, d.source, d.target, d.note) for d in m.derivations] == [
        (
            "analytics.customer_profile",
            "birth_date",
            "age_band",
            "computed by job etl.customer_profile: bucketed by decade",
        ),
        (
            "marketing.audience",
            "email",
            "email_hash",
            "computed by job marketing.audience: sha256 (masked)",
        ),
    ]
    assert str(m.holders["marketing.audience"].keeps["email"].period) == "none"


def test_pii_tags_give_categories_and_columns_are_records(shop):
    assert {k: r.categories for k, r in shop.model.records.items()} == {
        "age_band": (),
        "email_hash": ("user.contact.email",),  # the tag's value is a Fides key
        "birth_date": (),
        "customer_id": (),
        "email": ("user",),  # value "true"
        "name": ("user.name",),
    }
    assert shop.personal == 3


def test_a_retention_facet_is_the_datasets_retention_and_until_deleted_gets_an_erase_request(shop):
    periods = {
        (h, r): str(rule.period)
        for h, x in shop.model.holders.items()
        for r, rule in x.keeps.items()
    }
    assert periods[("analytics.customer_profile", "email")] == "730d"  # "2 years"
    assert periods[("marketing.audience", "email_hash")] == "until_deleted"
    assert shop.model.holders["marketing.audience"].keeps["email_hash"].deleted_by == (
        "erase-marketing.audience",
    )
    assert periods[("public.customers", "email")] == "unknown"  # no retention facet
    assert list(shop.model.deletions) == ["erase-marketing.audience"]


def test_every_unused_field_is_a_warning_at_its_events_line(shop):
    assert [(w.line, w.field, w.message) for w in shop.warnings] == [
        (1, "inputs[0].facets.tags.tags[2]", "tag 'domain' is not 'pii': ignored"),
        (1, "job.facets.sql", "has no meaning in tracer/1: ignored"),
        (1, "run.facets.nominalTime", "has no meaning in tracer/1: ignored"),
        (2, "outputs[0].outputFacets.outputStatistics", "has no meaning in tracer/1: ignored"),
        (5, "dataset", "a DatasetEvent names no job, so no flow: ignored"),
    ]


def test_the_imported_model_validates_and_traces_deletion_through_the_lineage(tmp_path):
    out = tmp_path / "lineage.yaml"
    import_openlineage(EVENTS, output=out)
    checked = tracer.check_model(out)
    assert [w.message for w in checked.warnings] == [
        "source 'openlineage-shop' has no url: a reader cannot check it"
    ]
    result = tracer.trace(checked.model, "enter-public.customers", ["erase-marketing.audience"])
    status = {c.id: c.status for c in result.copies}
    assert status["marketing.audience/email_hash"] == "deleted"
    assert status["analytics.customer_profile/email"] == "held"
    assert status["crm.contacts/email"] == "may_remain"
    assert status["analytics.customer_profile/birth_date"] == "transient"


def test_events_written_by_openlineage_python_import(tmp_path):
    users = InputDataset(
        namespace="db",
        name="users",
        facets={
            "schema": schema_dataset.SchemaDatasetFacet(
                fields=[schema_dataset.SchemaDatasetFacetFields(name="email", type="TEXT")]
            )
        },
    )
    lineage = column_lineage_dataset.ColumnLineageDatasetFacet(
        fields={
            "email": column_lineage_dataset.Fields(
                inputFields=[
                    column_lineage_dataset.InputField(namespace="db", name="users", field="email")
                ]
            )
        }
    )
    event = RunEvent(
        eventType=RunState.COMPLETE,
        eventTime="2024-06-01T00:00:00Z",
        producer=PRODUCER,
        run=Run(runId="0191f4a9-0000-7000-8000-000000000001"),
        job=Job(namespace="etl", name="copy_users"),
        inputs=[users],
        outputs=[
            OutputDataset(namespace="db", name="users_copy", facets={"columnLineage": lineage})
        ],
    )
    path = tmp_path / "events.jsonl"
    path.write_text(Serde.to_json(event) + "\n", encoding="utf-8")
    imported = import_openlineage(path)
    assert [(f.source, f.target, f.carries, f.confidence) for f in imported.model.flows] == [
        ("users", "users_copy", ("email",), "stated")
    ]
    assert imported.warnings == ()


def test_a_line_that_is_not_json_or_lacks_what_the_spec_requires_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = EVENTS.read_text(encoding="utf-8").splitlines()[3]
    path.write_text(
        good + "\n{not json\n\n" + '{"run": {"runId": "x"}, "job": {"namespace": "n"}}\n',
        encoding="utf-8",
    )
    with pytest.raises(ModelError) as caught:
        import_openlineage(path)
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [
        (2, "", "not JSON: Expecting property name enclosed in double quotes at column 2"),
        (4, "eventTime", "required by the OpenLineage spec (a non-empty string)"),
        (4, "job.name", "required by the OpenLineage spec (a non-empty string)"),
        (4, "producer", "required by the OpenLineage spec (a non-empty string)"),
        (4, "schemaURL", "required by the OpenLineage spec (a non-empty string)"),
    ]


def test_cli_prints_the_model_on_stdout_and_the_warnings_on_stderr(tmp_path):
    result = CliRunner().invoke(app, ["import", "openlineage", str(EVENTS)], env=ENV)
    assert result.exit_code == 0
    assert result.stdout.startswith("# tracer/1 model imported from OpenLineage")
    assert tracer.parse_model(result.stdout) == import_openlineage(EVENTS).model
    assert "shop.jsonl:1: job.facets.sql: has no meaning in tracer/1: ignored" in result.stderr


def test_cli_writes_the_model_and_never_over_the_events(tmp_path):
    out = tmp_path / "m.yaml"
    result = CliRunner().invoke(
        app, ["import", "openlineage", str(EVENTS), "-o", str(out)], env=ENV
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"wrote {out}"
    assert tracer.load_model(out).holders.keys() == import_openlineage(EVENTS).model.holders.keys()
    copy = tmp_path / "events.jsonl"
    copy.write_bytes(EVENTS.read_bytes())
    result = CliRunner().invoke(app, ["import", "openlineage", str(copy), "-o", str(copy)], env=ENV)
    assert result.exit_code == 1
    assert copy.read_bytes() == EVENTS.read_bytes()


def test_a_start_and_a_complete_event_repeating_the_lineage_make_one_flow(tmp_path):
    lines = EVENTS.read_text(encoding="utf-8").splitlines()
    repeated = json.loads(lines[1])
    repeated["eventType"] = "RUNNING"
    path = tmp_path / "shop.jsonl"  # the same name: the same source id
    path.write_text("\n".join([*lines, json.dumps(repeated)]) + "\n", encoding="utf-8")
    assert (
        import_openlineage(path).model.model_dump() == import_openlineage(EVENTS).model.model_dump()
    )


COLUMN_NAMES = ["a", "b", "c"]
RETENTIONS = ["30 days", "until deleted", "forever", "not stored", "as long as needed"]


@st.composite
def event_logs(draw):
    datasets = [f"d{i}" for i in range(draw(st.integers(2, 5)))]
    columns = {d: draw(st.lists(st.sampled_from(COLUMN_NAMES), unique=True)) for d in datasets}

    def facets(name, inputs):
        found = {}
        if columns[name]:
            found["schema"] = {"fields": [{"name": c} for c in columns[name]]}
        if inputs and columns[name] and draw(st.booleans()):
            found["columnLineage"] = {"fields": {
                c: {"inputFields": [
                    {"namespace": "ns", "name": i, "field": f, "transformations": [{
                        "type": draw(st.sampled_from(["DIRECT", "INDIRECT"])),
                        "subtype": draw(st.sampled_from(["IDENTITY", "TRANSFORMATION", "FILTER"])),
                        "masking": draw(st.booleans()),
                    }]}
                    for i in inputs for f in draw(st.lists(st.sampled_from(columns[i] or ["a"]), max_size=2, unique=True))
                ]}
                for c in columns[name]
            }}  # fmt: skip
        if draw(st.booleans()):
            found["tags"] = {
                "tags": [
                    {"key": "pii", "value": "true", "field": draw(st.sampled_from(COLUMN_NAMES))}
                ]
            }
        if draw(st.booleans()):
            found["retention"] = {"period": draw(st.sampled_from(RETENTIONS))}
        return found

    lines = []
    for index in range(draw(st.integers(1, 4))):
        inputs = draw(st.lists(st.sampled_from(datasets), min_size=1, max_size=2, unique=True))
        outputs = draw(st.lists(st.sampled_from(datasets), min_size=1, max_size=2, unique=True))
        lines.append({
            "eventType": "COMPLETE", "eventTime": "2024-01-01T00:00:00Z", "producer": PRODUCER,
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": f"0191f4a9-0000-7000-8000-00000000000{index}"},
            "job": {"namespace": "etl", "name": f"job{draw(st.integers(0, 2))}"},
            "inputs": [{"namespace": "ns", "name": i, "facets": facets(i, [])} for i in inputs],
            "outputs": [{"namespace": "ns", "name": o, "facets": facets(o, inputs)} for o in outputs],
        })  # fmt: skip
    return lines


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event_logs())
def test_any_event_log_imports_into_a_model_that_validates_and_traces(tmp_path, lines):
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "model.yaml"
    imported = import_openlineage(path, output=out)
    model = tracer.check_model(out).model
    assert model.model_dump() == imported.model.model_dump()
    assert all(flow.carries for flow in model.flows)
    for interaction in model.interactions:
        tracer.trace(model, interaction, list(model.deletions))


def test_the_shapes_of_the_specs_own_facet_examples_import_as_documented(tmp_path):
    # as the spec's examples write them (spec/tests/ColumnLineageDatasetFacet and
    # TagsDatasetFacet): a DIRECT input with no subtype, INDIRECT filters, a pii tag on a field
    # and a tag that is not pii
    event = {
        "eventType": "COMPLETE", "eventTime": "2024-02-01T10:00:00Z", "producer": PRODUCER,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "0191f4a9-1111-7000-8000-000000000001"},
        "job": {"namespace": "snowflake", "name": "discounted_customers"},
        "inputs": [
            {"namespace": "sf", "name": "CUSTOMERS", "facets": {
                "schema": {"fields": [{"name": "ID"}, {"name": "NAME"}, {"name": "email_address"}]},
                "tags": {"tags": [
                    {"key": "pii", "value": "true", "source": "SNOWFLAKE", "field": "email_address"},
                    {"key": "slack_channel", "value": "#data-engineering-alerts"},
                ]},
            }},
            {"namespace": "sf", "name": "DISCOUNTS", "facets": {"schema": {"fields": [{"name": "CUSTOMERS_ID"}]}}},
        ],
        "outputs": [{"namespace": "sf", "name": "DISCOUNTED", "facets": {"columnLineage": {"fields": {
            "NAME": {
                "inputFields": [
                    {"namespace": "sf", "name": "CUSTOMERS", "field": "NAME",
                     "transformations": [{"type": "DIRECT", "masking": False}]},
                    {"namespace": "sf", "name": "CUSTOMERS", "field": "ID",
                     "transformations": [{"type": "INDIRECT", "subtype": "FILTER"}]},
                    {"namespace": "sf", "name": "DISCOUNTS", "field": "CUSTOMERS_ID",
                     "transformations": [{"type": "INDIRECT", "subtype": "FILTER"}]},
                ],
                "transformationDescription": "SELECT NAME",
                "transformationType": "IDENTITY",
            }
        }}}}],
    }  # fmt: skip
    path = tmp_path / "spec.jsonl"
    path.write_text(json.dumps(event) + "\n", encoding="utf-8")
    imported = import_openlineage(path)
    # NAME is a plain copy; the filters shape the output and carry nothing, so no flow from DISCOUNTS
    assert [(f.source, f.target, f.carries) for f in imported.model.flows] == [
        ("customers", "discounted", ("name",))
    ]
    assert imported.model.records["email_address"].categories == ("user",)
    assert list(imported.model.holders["discounted"].keeps) == ["name"]
    assert [(w.field, w.message) for w in imported.warnings] == [
        ("inputs[0].facets.tags.tags[1]", "tag 'slack_channel' is not 'pii': ignored")
    ]
