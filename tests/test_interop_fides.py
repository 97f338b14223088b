"""Fides in and out: fideslang data maps as people write them become models that trace, every key
tracer cannot use is reported at file:line, and the shipped model survives a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fideslang.models import Taxonomy
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.interop import fides_manifest, import_fides, read_fides, write_fides
from tracer.interop.retention_text import read_retention, retention_words

FIXTURES = Path(__file__).parent / "fixtures" / "fides"
SHOP = [FIXTURES / "shop.yml", FIXTURES / "datasets.yml", FIXTURES / "legacy.json"]
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="module")
def shop():
    return import_fides(SHOP)


def _periods(model):
    return {
        (h, r): str(rule.period) for h, x in model.holders.items() for r, rule in x.keeps.items()
    }


def test_each_system_is_a_holder_of_its_organization_or_its_own_party_when_a_vendor(shop):
    m = shop.model
    assert {k: (h.name, h.party, h.kind) for k, h in m.holders.items()} == {
        "storefront": ("Storefront", "acme", "service"),
        "checkout": ("Checkout", "acme", "service"),
        "payments": ("Payments (Stripe)", "payments", "service"),
        "mailer": ("Mailer", "mailer", "service"),
        "analytics": ("Analytics", "acme", "service"),
        "ad_network": ("Ad network", "ad_network", "service"),
        "orders_db": ("Orders database", "acme", "store"),
    }
    assert {k: (p.name, p.role) for k, p in m.parties.items()} == {
        "acme": ("Acme Shop", "platform"),
        "payments": ("Stripe, Inc.", "processor"),  # responsibility: [Processor], legal_name
        "mailer": ("Mailer", "processor"),  # the fideslang 1.x data_responsibility_title
        "ad_network": ("Ad network", "third_party"),  # a vendor_id
    }


def test_each_data_category_declared_is_a_record_named_by_its_fides_key(shop):
    assert {k: (r.name, r.categories) for k, r in shop.model.records.items()} == {
        "user.contact.email": ("User Contact Email", ("user.contact.email",)),
        "user.device.cookie_id": ("Cookie ID", ("user.device.cookie_id",)),
        "user.financial": ("Financial Data", ("user.financial",)),
        "user.behavior.purchase_history": ("Purchase History", ("user.behavior.purchase_history",)),
    }


def test_egress_and_ingress_become_stated_flows_of_the_categories_both_sides_declare(shop):
    flows = [
        (f.source, f.target, f.carries, f.purpose, f.evidence, f.confidence)
        for f in shop.model.flows
    ]
    assert flows == [
        # storefront declares email and cookie id, checkout email: only email goes
        ("storefront", "checkout", ("user.contact.email",), None, ("fides-shop",), "stated"),
        # the DataFlow lists its categories: those, whatever the sides declare
        ("checkout", "payments", ("user.financial",), None, ("fides-shop",), "stated"),
        # to a dataset no system references: a store of its own, with the dataset's categories
        (
            "checkout",
            "orders_db",
            ("user.contact.email", "user.financial", "user.behavior.purchase_history"),
            None,
            ("fides-shop",),
            "stated",
        ),
        # a declaration whose egress names the mailer gives the flow its data use
        (
            "checkout",
            "mailer",
            ("user.contact.email",),
            "essential.service.notifications",
            ("fides-shop",),
            "stated",
        ),
        # the cycle: both directions, stated by egress on each side
        ("mailer", "analytics", ("user.contact.email",), None, ("fides-shop",), "stated"),
        ("analytics", "mailer", ("user.contact.email",), None, ("fides-shop",), "stated"),
        # stated only by the ingress of a system in another file
        ("analytics", "ad_network", ("user.device.cookie_id",), None, ("fides-legacy",), "stated"),
    ]


def test_retention_at_dataset_collection_and_field_level_most_specific_wins(shop):
    periods = _periods(shop.model)
    assert {k: v for k, v in periods.items() if k[0] == "orders_db"} == {
        ("orders_db", "user.behavior.purchase_history"): "2555d",  # the dataset's 7 years
        ("orders_db", "user.financial"): "until_deleted",  # the collection's "Account termination"
        ("orders_db", "user.contact.email"): "until_deleted",  # the field's "30 days after ..."
        ("orders_db", "user.device.cookie_id"): "unknown",  # "As long as needed for analytics"
    }
    assert (
        periods[("mailer", "user.contact.email")] == "730d"
    )  # mail_lists, referenced by the mailer
    assert periods[("payments", "user.financial")] == "2555d"  # a declaration's retention_period


def test_a_copy_with_no_retention_text_is_kept_for_an_unknown_time_and_says_why(shop):
    rule = shop.model.holders["checkout"].keeps["user.financial"]
    assert (str(rule.period), rule.confidence, rule.note) == (
        "unknown",
        "unknown",
        "the Fides map states no retention for it here",
    )


def test_an_unparsed_retention_text_is_kept_as_the_note_and_counted(shop):
    rule = shop.model.holders["orders_db"].keeps["user.device.cookie_id"]
    assert (str(rule.period), rule.note, rule.evidence) == (
        "unknown",
        "Fides retention: 'As long as needed for analytics'",
        ("fides-datasets",),
    )
    assert shop.unparsed == 1


def test_days_after_account_deletion_may_remain_after_the_erase_request(shop):
    rule = shop.model.holders["orders_db"].keeps["user.contact.email"]
    assert (rule.deleted_by, rule.unclear_for) == ((), ("erase-orders_db",))
    result = tracer.trace(shop.model, "collect-checkout", ["erase-orders_db"])
    statuses = {c.id: c.status for c in result.copies if c.holder == "orders_db"}
    assert statuses == {
        "orders_db/user.behavior.purchase_history": "held",
        "orders_db/user.financial": "deleted",  # "Account termination": the request deletes it
    }
    result = tracer.trace(shop.model, "collect-storefront", ["erase-orders_db"])
    email = result.copy("orders_db/user.contact.email")
    assert email.status == "may_remain"
    assert "30 days after account deletion" in email.reason


def test_the_import_makes_an_interaction_per_collecting_system_and_an_erase_request(shop):
    m = shop.model
    assert {k: (i.name, i.starts) for k, i in m.interactions.items()} == {
        # ingress from the user: everything it declares
        "collect-storefront": (
            "Data collected by Storefront",
            {"storefront": ("user.contact.email", "user.device.cookie_id")},
        ),
        # what it declares and no flow brings it
        "collect-checkout": (
            "Data collected by Checkout",
            {"checkout": ("user.financial", "user.behavior.purchase_history")},
        ),
        "collect-analytics": (
            "Data collected by Analytics",
            {"analytics": ("user.device.cookie_id",)},
        ),
    }
    assert {k: d.name for k, d in m.deletions.items()} == {
        "erase-orders_db": "Erase the user's data in Orders database"
    }


def test_the_cycle_between_mailer_and_analytics_traces(shop):
    result = tracer.trace(shop.model, "collect-storefront")
    assert [c.id for c in result.copies if c.holder in ("mailer", "analytics")] == [
        "analytics/user.contact.email",
        "mailer/user.contact.email",
    ]
    assert [e for e in result.edges if e[2] in ("mailer->analytics", "analytics->mailer")] == [
        ("analytics/user.contact.email", "mailer/user.contact.email", "analytics->mailer"),
        ("mailer/user.contact.email", "analytics/user.contact.email", "mailer->analytics"),
    ]


def test_every_key_without_meaning_and_every_old_taxonomy_key_is_a_warning_at_file_line(shop):
    located = [(Path(w.file).name, w.line, w.field, w.message) for w in shop.warnings]
    assert located == [
        (
            "datasets.yml",
            22,
            "dataset[0].collections[1].fields[1].retention",
            "retention 'As long as needed for analytics' is not a period tracer can read: what it covers is kept for an unknown time, the text kept as the note",
        ),
        (
            "datasets.yml",
            23,
            "dataset[0].collections[1].fields[1].fides_meta",
            "'fides_meta' is a fideslang key with no meaning in tracer/1: ignored",
        ),
        (
            "legacy.json",
            8,
            "system[0].third_country_transfers",
            "'third_country_transfers' is from an older fideslang and has no meaning in tracer/1: ignored",
        ),
        (
            "legacy.json",
            9,
            "system[0].ingress[0].data_categories[0]",
            "old taxonomy key 'user.derived.identifiable.device.cookie_id' (fideslang before 2.0): read as 'user.device.cookie_id'",
        ),
        (
            "legacy.json",
            13,
            "system[0].privacy_declarations[0].data_categories[0]",
            "old taxonomy key 'user.derived.identifiable.device.cookie_id' (fideslang before 2.0): read as 'user.device.cookie_id'",
        ),
        (
            "legacy.json",
            14,
            "system[0].privacy_declarations[0].data_use",
            "old taxonomy key 'advertising' (fideslang before 2.0): read as 'marketing.advertising'",
        ),
        (
            "legacy.json",
            15,
            "system[0].privacy_declarations[0].data_subjects",
            "'data_subjects' is a fideslang key with no meaning in tracer/1: ignored",
        ),
        (
            "legacy.json",
            16,
            "system[0].privacy_declarations[0].data_qualifier",
            "'data_qualifier' is from an older fideslang and has no meaning in tracer/1: ignored",
        ),
        (
            "shop.yml",
            13,
            "system[0].administrating_department",
            "'administrating_department' is a fideslang key with no meaning in tracer/1: ignored",
        ),
        (
            "shop.yml",
            26,
            "system[0].privacy_declarations[0].data_subjects",
            "'data_subjects' is a fideslang key with no meaning in tracer/1: ignored",
        ),
        (
            "shop.yml",
            45,
            "system[1].privacy_declarations[0].data_use",
            "old taxonomy key 'provide.service' (fideslang before 2.0): read as 'essential.service'",
        ),
        (
            "shop.yml",
            46,
            "system[1].privacy_declarations[0].data_subjects",
            "'data_subjects' is a fideslang key with no meaning in tracer/1: ignored",
        ),
        (
            "shop.yml",
            47,
            "system[1].privacy_declarations[0].data_qualifier",
            "'data_qualifier' is from an older fideslang and has no meaning in tracer/1: ignored",
        ),
        (
            "shop.yml",
            71,
            "system[3].system_dependencies",
            "'system_dependencies' is from an older fideslang and has no meaning in tracer/1: ignored",
        ),
        (
            "shop.yml",
            73,
            "system[3].egres",
            "'egres' is not a fideslang key; did you mean 'egress'?: ignored",
        ),
        (
            "shop.yml",
            90,
            "system[4].privacy_declarations[0].data_use",
            "old taxonomy key 'improve.system' (fideslang before 2.0): read as 'functional.service.improve'",
        ),
    ]
    assert all(w.severity == "warning" for w in shop.warnings)


def test_the_import_says_how_many_systems_flows_records_and_retention_rules_it_made(shop):
    assert shop.summary() == (
        "imported 6 systems and 2 datasets: 7 holders, 7 flows, 4 records, 6 retention rules "
        "from retention texts (1 could not be parsed: kept as unknown), 8 with no retention "
        "stated (unknown), 3 interactions, 1 deletion request; 16 warnings"
    )


def test_the_imported_model_loads_validates_and_draws(tmp_path):
    out = tmp_path / "acme.yaml"
    import_fides(SHOP, output=out)
    checked = tracer.check_model(out)
    assert checked.model.model_dump() == import_fides(SHOP).model.model_dump()
    written = tracer.draw(
        checked.model, tmp_path / "order.dot", "collect-checkout", ["erase-orders_db"]
    )
    assert written.read_text(encoding="utf-8").startswith("digraph")


def test_a_file_with_only_the_required_parts_imports(tmp_path):
    path = tmp_path / "minimal.yml"
    path.write_text(
        "system:\n"
        "  - fides_key: app\n"
        "    system_type: Service\n"
        "    privacy_declarations:\n"
        "      - data_categories: [user.contact.email]\n"
        "        data_use: essential\n",
        encoding="utf-8",
    )
    imported = import_fides(path)
    assert imported.warnings == ()
    assert (list(imported.model.holders), imported.model.holders["app"].party) == (
        ["app"],
        "default_organization",
    )
    assert tracer.trace(imported.model, "collect-app").copies[0].status == "may_remain"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "system:\n  - fides_key: app\n    privacy_declarations: []\n",
            "f.yml:2: system[0].system_type: Field required",
        ),
        (
            "system:\n  - fides_key: app\n    system_type: Service\n    egress:\n      - {fides_key: user, type: system}\n    privacy_declarations: []\n",
            "f.yml:5: system[0].egress[0]: The 'user' fides_key is required for, and requires, the type 'user'",
        ),
        (
            "system:\n  - fides_key: app\n    system_type: Service\n    privacy_declarations:\n      - data_categories: [user]\n        data_use: essential\n        egress: [nowhere]\n",
            "f.yml:2: system[0]: PrivacyDeclaration 'None' defines egress with one or more resources and is applied to the System 'app', which does not itself define any egress.",
        ),
        ("system:\n  - fides_key: a\n    fides_key: b\n", "f.yml:3: fides_key: duplicate key"),
        (
            "- just a list\n",
            "f.yml:1: a Fides file is a mapping of resources (system:, dataset:...)",
        ),
    ],
    ids=["missing-system-type", "user-flow", "undeclared-egress", "duplicate", "list"],
)
def test_invalid_fideslang_is_refused_with_the_problem_at_file_line(tmp_path, text, expected):
    path = tmp_path / "f.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tracer.ModelError) as caught:
        import_fides(path)
    assert [str(p).replace(f"{tmp_path}/", "") for p in caught.value.problems] == [expected]


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.sampled_from(["none", "until_deleted", "forever", "unknown"]),
        st.integers(1, 40000).map(lambda d: f"{d}d"),
    )
)
def test_every_period_written_as_fides_retention_reads_back_as_itself(period):
    assert read_retention(retention_words(period)).period == period


@pytest.mark.parametrize(
    ("text", "period", "grace", "parsed"),
    [
        ("30 days", "30d", None, True),
        ("7 years", "7y", None, True),
        ("18 months", "18mo", None, True),
        ("one year", "1y", None, True),
        ("P90D", "90d", None, True),
        ("Indefinitely", "forever", None, True),
        ("Account termination", "until_deleted", None, True),
        ("Until the user deletes it", "until_deleted", None, True),
        ("30 days after account deletion", "until_deleted", "30d", True),
        ("not stored", "none", None, True),
        ("As long as needed for analytics", "unknown", None, False),
        ("3 years after the last order", "unknown", None, False),
    ],
)
def test_retention_texts_are_read_by_the_documented_rule(text, period, grace, parsed):
    reading = read_retention(text)
    assert (reading.period, reading.grace, reading.parsed) == (period, grace, parsed)


# -- export and the round trip


@pytest.fixture(scope="module")
def alexa():
    return tracer.load_model()


def test_the_export_is_valid_fideslang(alexa, tmp_path):
    out = write_fides(alexa, tmp_path / "alexa.yml")
    manifest = yaml.safe_load(out.read_text(encoding="utf-8"))
    taxonomy = Taxonomy.model_validate(manifest)  # fideslang's own models, every resource
    assert (len(taxonomy.system), len(taxonomy.dataset), len(taxonomy.organization)) == (
        len(alexa.holders),
        sum(1 for h in alexa.holders.values() if h.keeps),
        len(alexa.parties),
    )
    assert manifest == fides_manifest(alexa)


def test_round_trip_of_the_shipped_model_keeps_holders_flows_records_and_periods(alexa, tmp_path):
    """Compared: each holder's id, name, party and kind; each record's id, name and categories;
    for each (from, to) pair of holders, the records flows carry between them (Fides has one
    DataFlow per pair, so two flows between the same holders come back as one); each retention
    period per holder and record; each party's id and name. Not compared, because Fides cannot
    hold them: derivations, `when` tags, a flow's `deletion`, deletion requests and which ones
    remove a copy, interactions, access lists, sources and confidence."""
    back = read_fides(write_fides(alexa, tmp_path / "alexa.yml"))
    holders = lambda m: {k: (h.name, h.party, h.kind) for k, h in m.holders.items()}  # noqa: E731
    records = lambda m: {k: (r.name, r.categories) for k, r in m.records.items()}  # noqa: E731

    def pairs(m):
        carried = {}
        for f in m.flows:
            carried.setdefault((f.source, f.target), set()).update(f.carries)
        return carried

    assert holders(back) == holders(alexa)
    assert records(back) == records(alexa)
    assert pairs(back) == pairs(alexa)
    assert _periods(back) == _periods(alexa)
    assert {k: p.name for k, p in back.parties.items()} == {
        k: p.name for k, p in alexa.parties.items()
    }


def test_export_is_byte_identical_each_time(alexa, tmp_path):
    first = write_fides(alexa, tmp_path / "a.yml").read_bytes()
    assert write_fides(alexa, tmp_path / "b.yml").read_bytes() == first


# -- the command line


def test_cli_import_prints_each_warning_and_the_counts_then_writes_the_model(tmp_path):
    out = tmp_path / "acme.yaml"
    result = CliRunner().invoke(app, ["import", "fides", *map(str, SHOP), "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # each warning and the summary wrapped to the terminal (issue 24): a line starts each warning
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert len(warnings) == 16
    said = " ".join(result.stdout.split())
    assert said.startswith(
        f"warning: {FIXTURES}/datasets.yml:22: dataset[0].collections[1].fields[1].retention: "
    )
    assert "imported 6 systems and 2 datasets: 7 holders, 7 flows" in said
    assert lines[-1] == f"wrote {out}"
    assert tracer.load_model(out).name == "Acme Shop"


def test_cli_import_of_invalid_fides_exits_1_with_file_and_line(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("system:\n  - fides_key: app\n    privacy_declarations: []\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["import", "fides", str(path), "-o", str(tmp_path / "m.yaml")], env=ENV
    )
    assert result.exit_code == 1
    assert f"{path}:2: system[0].system_type: Field required" in result.stderr
    assert not (tmp_path / "m.yaml").exists()


def test_cli_import_never_overwrites_a_file_it_reads(tmp_path):
    copies = []
    for source in SHOP[:2]:
        copies.append(tmp_path / source.name)
        copies[-1].write_bytes(source.read_bytes())
    for target in copies:
        before = target.read_bytes()
        result = CliRunner().invoke(
            app, ["import", "fides", *map(str, copies), "-o", str(target)], env=ENV
        )
        assert result.exit_code == 1
        assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["export", "prov", "-o", "x.json"], "prov exports a trace: name the interaction"),
        (["export", "fides", "dominos-order", "-o", "x.yml"], "fides exports the whole model"),
        (["export", "dot", "-o", "x"], "'dot' is not one of"),
    ],
)
def test_cli_export_refuses_bad_usage_with_exit_2(tmp_path, words, message):
    result = CliRunner().invoke(app, words, env=ENV)
    assert result.exit_code == 2
    assert message in result.output.replace("\n", " ").replace("│", "")


ROLES = ["platform", "skill_developer", "processor", "contractor", "third_party", "data_subject"]
CATEGORIES = ["user.contact.email", "user.financial", "user.content.private", "user.behavior"]
PERIODS = ["none", "until_deleted", "forever", "unknown", "0d", "5d", "30d", "1y", "18mo"]


@st.composite
def models(draw):
    holders = [f"h{i}" for i in range(draw(st.integers(1, 6)))]
    records = [f"r{i}" for i in range(draw(st.integers(1, 4)))]
    parties = {
        f"p{i}": {"name": f"Party {i}", "role": draw(st.sampled_from(ROLES))} for i in range(3)
    }
    data = {
        "format": "tracer/1",
        "name": "random",
        "parties": parties,
        "records": {
            r: {
                "name": r.upper(),
                "categories": draw(st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True)),
            }
            for r in records
        },
        "holders": {
            h: {
                "name": h.upper(),
                "party": draw(st.sampled_from(sorted(parties))),
                "kind": draw(st.sampled_from(["device", "service", "store", "people"])),
                "keeps": {
                    r: {"for": draw(st.sampled_from(PERIODS))}
                    for r in draw(st.lists(st.sampled_from(records), unique=True))
                },
            }
            for h in holders
        },
        "flows": [],
    }
    for index in range(draw(st.integers(0, 8))):
        source, target = draw(st.sampled_from(holders)), draw(st.sampled_from(holders))
        if source != target:
            carries = draw(st.lists(st.sampled_from(records), min_size=1, max_size=3, unique=True))
            data["flows"].append(
                {"id": f"f{index}", "from": source, "to": target, "carries": carries}
            )
    return tracer.parse_model(yaml.safe_dump(data, sort_keys=False))


@settings(max_examples=25, deadline=None)
@given(models())
def test_any_model_exported_to_fides_and_imported_keeps_holders_records_flows_and_periods(model):
    back = fides_roundtrip(model)
    assert {k: (h.name, h.party, h.kind) for k, h in back.holders.items()} == {
        k: (h.name, h.party, h.kind) for k, h in model.holders.items()
    }
    assert {k: (r.name, r.categories) for k, r in back.records.items()} == {
        k: (r.name, r.categories) for k, r in model.records.items()
    }

    def pairs(m):
        carried = {}
        for f in m.flows:
            carried.setdefault((f.source, f.target), set()).update(f.carries)
        return carried

    assert pairs(back) == pairs(model)
    # every rule comes back; a copy the model has no rule for (a record a holder receives or
    # declares) comes back as an explicit `unknown`, which is what tracer/1 means by no rule
    original, returned = _periods(model), _periods(back)
    assert {k: returned[k] for k in original} == original
    assert {v for k, v in returned.items() if k not in original} <= {"unknown"}


def fides_roundtrip(model):
    manifest = fides_manifest(model)
    Taxonomy.model_validate(manifest)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.yml"
        path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
        return read_fides(path)


def test_a_resource_defined_twice_is_an_error_naming_both_places(tmp_path):
    one, two = tmp_path / "one.yml", tmp_path / "two.yml"
    text = "system:\n  - fides_key: app\n    system_type: Service\n    privacy_declarations: []\n"
    one.write_text(text, encoding="utf-8")
    two.write_text(text, encoding="utf-8")
    with pytest.raises(tracer.ModelError) as caught:
        import_fides([one, two])
    assert [str(p) for p in caught.value.problems] == [
        f"{two}:2: system[0].fides_key: system 'app' is already defined at {one}:2"
    ]


def test_a_reference_to_a_dataset_not_in_the_files_is_a_warning(tmp_path):
    path = tmp_path / "f.yml"
    path.write_text(
        "system:\n  - fides_key: app\n    system_type: Service\n    dataset_references: [elsewhere]\n"
        "    privacy_declarations: []\n",
        encoding="utf-8",
    )
    assert [str(w) for w in import_fides(path).warnings] == [
        f"{path}:4: system[0].dataset_references[0]: no dataset 'elsewhere' in the imported files: ignored"
    ]


def test_an_id_fides_cannot_hold_is_refused_by_name():
    model = tracer.parse_model(
        "format: tracer/1\nname: m\nparties: {us: {name: Us}}\nholders: {'a:b': {name: A, party: us}}\n"
    )
    with pytest.raises(tracer.OutputError, match="cannot export holder 'a:b' to Fides"):
        fides_manifest(model)


def test_a_folder_imports_every_fides_file_below_it_in_sorted_order():
    assert (
        import_fides(FIXTURES).model.model_dump()
        == import_fides(
            [FIXTURES / "datasets.yml", FIXTURES / "legacy.json", FIXTURES / "shop.yml"]
        ).model.model_dump()
    )


def test_a_custom_category_without_parent_is_a_record_both_sides_can_share(tmp_path):
    path = tmp_path / "custom.yml"
    path.write_text(
        "data_category:\n  - {fides_key: loyalty_points, name: Loyalty points}\n"
        "system:\n"
        "  - fides_key: app\n    system_type: Service\n    egress: [{fides_key: crm, type: system}]\n"
        "    privacy_declarations: [{data_categories: [loyalty_points, user.contact.email], data_use: essential}]\n"
        "  - fides_key: crm\n    system_type: Service\n"
        "    privacy_declarations: [{data_categories: [loyalty_points], data_use: marketing}]\n",
        encoding="utf-8",
    )
    model = import_fides(path).model
    assert (model.records["loyalty_points"].name, model.records["loyalty_points"].categories) == (
        "Loyalty points",
        (),
    )
    assert [(f.source, f.target, f.carries) for f in model.flows] == [
        ("app", "crm", ("loyalty_points",))
    ]


def test_the_imported_model_file_is_byte_identical_each_time(tmp_path):
    first = import_fides(SHOP, output=tmp_path / "a.yaml")
    import_fides(SHOP, output=tmp_path / "b.yaml")
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()
    assert (
        (tmp_path / "a.yaml")
        .read_text(encoding="utf-8")
        .startswith(
            "# tracer/1 model imported from Fides by `tracer import fides` (shop.yml, datasets.yml, legacy.json)\n"
            f"# {first.summary()}\nformat: tracer/1\n"
        )
    )


def test_a_json_export_imports_like_the_yaml_one(alexa, tmp_path):
    from_json = read_fides(write_fides(alexa, tmp_path / "alexa.json"))
    from_yaml = read_fides(write_fides(alexa, tmp_path / "alexa.yml"))
    assert from_json.model_dump(exclude={"sources", "description"}) == from_yaml.model_dump(
        exclude={"sources", "description"}
    )


SYSTEM_KEYS = ["web", "api", "crm", "db", "ads"]
FIDES_CATEGORIES = [
    "user.contact.email",
    "user.contact",
    "user.financial",
    "user.device.cookie_id",
    "user.provided.identifiable.contact.email",
]


@st.composite
def fides_maps(draw):
    """Random but valid fideslang: systems with declarations and flows to each other, to
    datasets and to the user, datasets with retention at any level, extra keys anywhere."""
    systems = draw(st.lists(st.sampled_from(SYSTEM_KEYS), min_size=1, max_size=5, unique=True))
    datasets = draw(st.lists(st.sampled_from(["orders", "logs"]), unique=True))
    retention = st.one_of(
        st.none(),
        st.sampled_from(
            [
                "30 days",
                "7 years",
                "Account termination",
                "30 days after account deletion",
                "forever",
                "whenever",
            ]
        ),
    )
    categories = st.lists(st.sampled_from(FIDES_CATEGORIES), min_size=1, max_size=3, unique=True)

    def flow(key):
        kind = "user" if key == "user" else ("dataset" if key in datasets else "system")
        entry = {"fides_key": key, "type": kind}
        if kind != "user" and draw(st.booleans()):
            entry["data_categories"] = draw(categories)
        return entry

    targets = st.sampled_from([*systems, *datasets, "user"])
    doc = {"system": [], "dataset": []}
    for key in systems:
        system = {
            "fides_key": key,
            "system_type": draw(st.sampled_from(["Service", "Database", "Application"])),
            "privacy_declarations": [
                {
                    "data_categories": draw(categories),
                    "data_use": draw(
                        st.sampled_from(["essential", "improve.system", "advertising"])
                    ),
                    "retention_period": draw(retention),
                }
            ],
        }
        for direction in ("egress", "ingress"):
            names = draw(st.lists(targets.filter(lambda t, k=key: t != k), max_size=3, unique=True))
            if names:
                system[direction] = [flow(n) for n in names]
        if datasets and draw(st.booleans()):
            system["dataset_references"] = [draw(st.sampled_from(datasets))]
        if draw(st.booleans()):
            system["data_qualifier"] = "aggregated"
        doc["system"].append(system)
    for key in datasets:
        doc["dataset"].append(
            {
                "fides_key": key,
                "retention": draw(retention),
                "collections": [
                    {
                        "name": "c",
                        "retention": draw(retention),
                        "fields": [
                            {
                                "name": "f",
                                "data_categories": draw(categories),
                                "retention": draw(retention),
                            }
                        ],
                    }
                ],
            }
        )
    return doc


@settings(max_examples=40, deadline=None)
@given(fides_maps())
def test_any_valid_fides_map_imports_into_a_model_that_validates_and_traces(doc):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.yml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        imported = import_fides(path, output=Path(folder) / "model.yaml")
        model = tracer.load_model(Path(folder) / "model.yaml")
    assert imported.systems == len(doc["system"])
    # each unreadable text used is counted once and reported once (a shadowed one is not used)
    reported = [w for w in imported.warnings if "is not a period tracer can read" in w.message]
    assert imported.unparsed == len(reported) <= yaml.safe_dump(doc).count("whenever")
    for interaction in model.interactions:
        result = tracer.trace(model, interaction, list(model.deletions))
        assert all(c.status in tracer.STATUSES for c in result.copies)


def test_a_flow_with_no_category_in_common_carries_the_senders_categories_as_an_assumption(
    tmp_path,
):
    # as in Fides's own sample systems: a marketing system sends to a customer database that
    # declares other categories; Fides's data map draws that edge, so the import keeps it
    path = tmp_path / "systems.yml"
    path.write_text(
        "system:\n"
        "  - fides_key: customers\n"
        "    system_type: Database\n"
        "    privacy_declarations:\n"
        "      - data_categories: [user.contact]\n"
        "        data_use: essential.service\n"
        "  - fides_key: marketing\n"
        "    system_type: Application\n"
        "    egress:\n"
        "      - fides_key: customers\n"
        "        type: system\n"
        "    privacy_declarations:\n"
        "      - data_categories: [user.device.cookie_id, user.behavior]\n"
        "        data_use: marketing.advertising\n",
        encoding="utf-8",
    )
    imported = import_fides(path)
    [flow] = imported.model.flows
    assert (flow.source, flow.target, flow.carries, flow.confidence) == (
        "marketing",
        "customers",
        ("user.device.cookie_id", "user.behavior"),
        "assumed",
    )
    assert flow.note.startswith("Fides states this flow but no data category both sides declare")
    assert [(w.line, w.field, w.message) for w in imported.warnings] == [
        (
            10,
            "system[1].egress[0]",
            "flow marketing -> customers: no data category both sides "
            "declare, and the flow lists none: assumed to carry everything the sender declares "
            "(user.device.cookie_id, user.behavior; confidence assumed)",
        ),
    ]
    copies = tracer.trace(imported.model, "collect-marketing").copies
    assert {(c.id, c.status) for c in copies if c.holder == "customers"} == {
        ("customers/user.device.cookie_id", "may_remain"),
        ("customers/user.behavior", "may_remain"),
    }
