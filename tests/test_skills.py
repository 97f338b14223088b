"""The skill catalogue: read as skill manifests spell scopes, every problem named by row; the
template of both shipped models; ``skill:ID`` on the command line; the queries."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.model.scopes import ALIASES
from tracer.skills import (
    SCOPES,
    CatalogueError,
    TemplateError,
    UnknownSkillError,
    normalize_name,
    read_catalogue,
    shipped_catalogue_path,
    with_skills,
)
from tracer.skills.catalogue import COLUMNS
from tracer.skills.synth import synth_rows, write_synthetic_catalogue

ROOT = Path(__file__).parent.parent
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

HEADER = (
    "skill,name,developer,permissions,account_linking,in_skill_purchases,amazon_pay,category,source"
)
# as skill manifests spell scopes: the one-colon postal code, a two-colon slip, an unknown one
MANIFESTS = f'''{HEADER}
B07K1NBJLJ,"Domino’s ""Easy Order""",Domino's Pizza LLC,alexa::devices:all:address:full:read alexa:devices:all:address:country_and_postal_code:read,true,false,false,Food & Drink,https://example.org/dominos
B0ZIPCODE2,Zip Weather,Wetter GmbH,alexa::devices:all:address:country_and_postal_code:read,false,false,false,Weather,https://example.org/zip
B0UNKNOWN3,Café Ünïcode,Wetter GmbH,alexa::foo:bar:read;alexa::profile:email:read,false,false,false,Weather,a store page
b07k1nbjlj,Duplicate,Someone,,false,false,false,,
,No id,Someone,,false,false,false,,
B0BADFLAG5,Bad flag,Someone,,maybe,false,false,,
B0NODEV006,No developer,,,false,false,false,,
B0MANY0007,Wetter Heute,Wetter GmbH,,false,false,false,Weather,
B0MANY0008,天気予報,Wetter GmbH,,false,true,false,Weather,
amzn1.ask.skill.3f2a,Lists & Co,Lists Inc,read::alexa:household:list,false,false,false,,
'''


@pytest.fixture
def manifests(tmp_path) -> Path:
    path = tmp_path / "skills.csv"
    path.write_text(MANIFESTS, encoding="utf-8")
    return path


def messages(catalogue) -> list[str]:
    return [f"row {p.row}: {p.field}: {p.message} ({p.severity})" for p in catalogue.problems]


def test_a_catalogue_as_manifests_spell_scopes_is_read_with_every_problem_named_by_row(manifests):
    catalogue = read_catalogue(manifests)
    assert messages(catalogue) == [
        "row 2: permissions: unknown scope 'alexa::devices:all:address:country_and_postal_code:read',"
        " kept as an unknown permission; did you mean "
        "'alexa:devices:all:address:country_and_postal_code:read'? (warning)",
        "row 3: permissions: unknown scope 'alexa::foo:bar:read', kept as an unknown permission "
        "(warning)",
        "row 4: skill: duplicate of row 1 (B07K1NBJLJ); the row is left out (error)",
        "row 5: skill: missing: every row needs the store id (error)",
        "row 6: account_linking: 'maybe' is neither true nor false (error)",
        "row 7: developer: missing (error)",
    ]
    assert [s.id for s in catalogue.skills()] == [
        "B07K1NBJLJ", "B0ZIPCODE2", "B0UNKNOWN3", "B0MANY0007", "B0MANY0008",
        "amzn1.ask.skill.3f2a",
    ]  # fmt: skip
    first = catalogue.skill("B07K1NBJLJ")
    assert (first.name, first.row) == ('Domino’s "Easy Order"', 1)
    assert first.features == (
        "always",
        "alexa::devices:all:address:full:read",
        "alexa:devices:all:address:country_and_postal_code:read",
        "account_linking",
    )
    unknown = catalogue.skill("skill:b0unknown3")
    assert unknown.unknown_permissions == ("alexa::foo:bar:read",)
    # an older consent-card spelling is the scope it stands for
    assert catalogue.skill("amzn1.ask.skill.3f2a").features == (
        "always",
        "alexa::household:lists:read",
    )


def test_one_party_per_distinct_developer_however_many_skills_it_has(manifests):
    catalogue = read_catalogue(manifests)
    parties = {s.id: s.party for s in catalogue.skills()}
    assert parties["B0ZIPCODE2"] == parties["B0UNKNOWN3"] == parties["B0MANY0008"]
    assert parties["B0ZIPCODE2"] == "developer:wetter-gmbh"
    assert parties["B07K1NBJLJ"] == "developer:dominos-pizza-llc"
    model = with_skills(tracer.load_model(), catalogue, ["skill:b0zipcode2", "skill:b0many0008"])
    assert model.parties["developer:wetter-gmbh"].name == "Wetter GmbH"
    assert model.holders["skill:b0zipcode2"].party == model.holders["skill:b0many0008"].party


def test_developers_whose_names_make_the_same_slug_stay_apart(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(f"{HEADER}\nA1,A,Acme Inc,,,,,,\nA2,B,Acme Inc.,,,,,,\nA3,C,東京,,,,,,\n")
    parties = [s.party for s in read_catalogue(path).skills()]
    assert parties[0] != parties[1]
    assert all(p.startswith("developer:acme-inc-") for p in parties[:2])
    assert parties[2].startswith("developer:") and len(parties[2]) == len("developer:") + 8


def test_json_lines_and_parquet_give_the_same_skills_as_csv(manifests, tmp_path):
    rows = list(csv.DictReader(manifests.open(encoding="utf-8")))
    jsonl = tmp_path / "skills.jsonl"
    with jsonl.open("w", encoding="utf-8") as file:
        for row in rows:
            data = dict(row)
            data["permissions"] = row["permissions"].replace(";", " ").split()  # a list
            for flag in ("account_linking", "in_skill_purchases", "amazon_pay"):
                data[flag] = {"true": True, "false": False}.get(row[flag], row[flag])
            file.write(json.dumps(data, ensure_ascii=False) + "\n")
    parquet = tmp_path / "skills.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{manifests}', all_varchar=true)) TO '{parquet}'")
    expected = list(read_catalogue(manifests).skills())
    assert list(read_catalogue(parquet).skills()) == expected
    from_json = read_catalogue(jsonl)
    assert list(from_json.skills()) == expected
    assert [p.row for p in from_json.problems] == [2, 3, 4, 5, 6, 7]


def test_strict_fails_on_bad_rows_and_lists_them(manifests):
    with pytest.raises(CatalogueError) as error:
        read_catalogue(manifests, strict=True)
    assert str(error.value).splitlines() == [
        f"{manifests}: 4 bad rows (--strict)",
        f"{manifests}: row 4: skill: duplicate of row 1 (B07K1NBJLJ); the row is left out",
        f"{manifests}: row 5: skill: missing: every row needs the store id",
        f"{manifests}: row 6: account_linking: 'maybe' is neither true nor false",
        f"{manifests}: row 7: developer: missing",
    ]
    result = CliRunner().invoke(app, ["skills", "check", str(manifests), "--strict"], env=ENV)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {manifests}: 4 bad rows (--strict)\n")


def test_a_file_that_is_no_catalogue_says_so(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,title\n1,x\n")
    with pytest.raises(CatalogueError, match="no column skill, name, developer"):
        read_catalogue(path)
    sheet = tmp_path / "s.xlsx"
    sheet.write_bytes(b"")
    with pytest.raises(CatalogueError, match=r"a catalogue is \.csv, \.jsonl"):
        read_catalogue(sheet)


def test_an_unknown_skill_gets_a_did_you_mean_by_id_and_by_name(manifests):
    catalogue = read_catalogue(manifests)
    with pytest.raises(UnknownSkillError) as by_id:
        catalogue.skill("skill:B07K1NBJLK")
    assert str(by_id.value) == (
        f"unknown skill 'B07K1NBJLK' in the catalogue {manifests}; did you mean skill:B07K1NBJLJ?"
    )
    with pytest.raises(UnknownSkillError) as by_name:
        catalogue.skill("wetter")
    assert str(by_name.value).endswith("did you mean skill:B0MANY0007 (Wetter Heute)?")


def test_names_are_found_whatever_their_case_accents_and_apostrophes(manifests):
    catalogue = read_catalogue(manifests)
    assert normalize_name("Domino’s “Easy Order”") == "dominos easy order"
    assert [s.id for s in catalogue.find("dominos easy order")] == ["B07K1NBJLJ"]
    assert [s.id for s in catalogue.find("CAFE unicode")] == ["B0UNKNOWN3"]
    assert [s.id for s in catalogue.find("天気予報")] == ["B0MANY0008"]
    assert [s.id for s in catalogue.find("wetter")] == ["B0MANY0007"]  # contains, no exact
    assert catalogue.find("no such skill") == []


def one_skill(tmp_path, permissions="", **flags) -> Path:
    path = tmp_path / "one.csv"
    cells = [flags.get(f, "false") for f in ("account_linking", "in_skill_purchases", "amazon_pay")]
    path.write_text(f"{HEADER}\nB0ONE00001,One,Dev,{permissions},{','.join(cells)},,\n")
    return path


def test_a_permission_the_models_template_lacks_names_the_model_to_use(tmp_path):
    old = tracer.load_model(ROOT / "graphs/alexa.yaml")
    new = tracer.load_model(ROOT / "graphs/alexa-2025.yaml")
    speaker = read_catalogue(one_skill(tmp_path, "alexa::person_id:read"))
    with pytest.raises(TemplateError) as error:
        with_skills(old, speaker, ["skill:b0one00001"])
    assert str(error.value) == (
        "the skill template of 'Amazon Alexa (2019)' has no rules for 'alexa::person_id:read'; "
        "use -m alexa-2025 (Amazon Alexa (2025))"
    )
    pay = read_catalogue(one_skill(tmp_path, amazon_pay="true"))
    with pytest.raises(TemplateError, match=r"use -m alexa \(Amazon Alexa \(2019\)\)"):
        with_skills(new, pay, ["skill:b0one00001"])
    bare = tracer.parse_model(
        "format: tracer/1\nname: bare\nparties: {a: {name: A}}\nrecords: {r: {name: R}}\n"
        "holders: {h: {name: H, party: a}}\n"
    )
    with pytest.raises(TemplateError, match="the model 'bare' has no skill_template; use -m"):
        with_skills(bare, pay, ["skill:b0one00001"])


def test_every_ask_scope_has_rules_in_both_shipped_templates_but_the_ones_of_another_time():
    for path, missing in (
        ("graphs/alexa.yaml", {"alexa::person_id:read"}),  # personId reached skills in Oct 2019
        ("graphs/alexa-2025.yaml", {"amazon_pay"}),  # Amazon Pay for skills ended in 2023
    ):
        template = tracer.load_model(ROOT / path).skill_template
        wanted = {"always", "account_linking", "in_skill_purchases", "amazon_pay"}
        wanted |= {s for s in SCOPES if s not in ALIASES}
        assert wanted - set(template.features) == missing, path
        for name, feature in template.features.items():
            for flow in feature.flows:
                assert flow.evidence and flow.confidence != "unknown", (path, name, flow.id)
            for record, rule in feature.keeps.items():
                assert rule.evidence, (path, name, record)
                assert str(rule.period) == "unknown", (path, name, record)


def test_the_shipped_catalogue_has_a_public_source_for_every_row_and_the_models_skills():
    catalogue = read_catalogue(shipped_catalogue_path())
    assert catalogue.problems == []
    rows = list(csv.DictReader(shipped_catalogue_path().open(encoding="utf-8")))
    assert all(row["source"].startswith("https://") for row in rows)
    assert len(rows) == 40
    # the skills the models name by hand: Domino's (US and UK), Uber and Lyft
    assert [(s.id, s.developer) for s in catalogue.find("Domino's")] == [
        ("B01B5G99CC", "Domino's Pizza, LLC")
    ]
    assert [s.name for s in catalogue.find("Domino's Pizza")] == ["Domino's Pizza"]
    assert [s.id for s in catalogue.find("Uber")] == ["uber-rides"]
    assert [(s.id, s.permissions) for s in catalogue.find("Lyft")] == [("B01FV34BGE", ())]
    # store ids where a public page links the store page, descriptive ids elsewhere
    asins = sorted(s.id for s in catalogue.skills() if re.fullmatch(r"B0[0-9A-Z]{8}", s.id))
    assert asins == [
        "B019G0M2WS", "B01B5G99CC", "B01FV34BGE", "B01N41FCIH", "B073PCR8QX", "B074YC8DBK",
        "B079T9FSDP", "B07S7PT8BF",
    ]  # fmt: skip
    # names two developers' skills share: the name alone does not tell the skill
    for name, developers in (
        ("Yellow Pages", ["Thryv Inc", "Yellow Pages Digital & Media Solutions Limited"]),
        ("Find Me A Job", ["ATMT Labs", "CareerOneStop"]),
    ):
        assert sorted(s.developer for s in catalogue.find(name)) == developers
    model = tracer.load_model()
    for skill in catalogue.skills():  # every row traces in the default model
        tracer.trace(with_skills(model, catalogue, [skill.interaction]), skill.interaction)


def test_an_address_skills_developer_keeps_the_address_after_the_permission_is_revoked(tmp_path):
    catalogue = read_catalogue(
        one_skill(tmp_path, "alexa::devices:all:address:full:read", account_linking="true")
    )
    model = with_skills(tracer.load_model(), catalogue, ["skill:b0one00001"])
    result = tracer.trace(model, "skill:b0one00001", ["revoke-permission"])
    # kept for an unknown time under the developer's own policy: every copy may remain
    mine = {c.id: c.status for c in result.copies if c.party == "developer:dev"}
    assert mine == {
        "skill:b0one00001/action_record": "may_remain",
        "skill:b0one00001/developer_account": "may_remain",
        "skill:b0one00001/device_address": "may_remain",
        "skill:b0one00001/link_token": "may_remain",
        "skill:b0one00001/skill_request": "may_remain",
    }
    address = result.copy("skill:b0one00001/device_address")
    assert address.reason.startswith("revoke-permission may not remove it here: Data pulled")
    assert address.evidence == ("ask-permissions", "ask-skill-events")
    assert address.path == ("skill:b0one00001:device-address",)
    assert result.copy("customer_profile/device_address").status == "may_remain"


def run(*args):
    return CliRunner().invoke(app, list(args), env=ENV)


MODEL_COMMANDS = [
    ["trace"], ["holders"], ["access"], ["render"], ["report"], ["check"], ["diff"],
    ["serve"], ["ledger", "build"],
]  # fmt: skip


@pytest.mark.parametrize("command", MODEL_COMMANDS, ids=" ".join)
def test_every_command_that_takes_a_model_takes_a_catalogue(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "-c, --catalogue" in text or "--catalogue -c" in text
    assert "the shipped catalogue (graphs/alexa-skills.csv)" in text.replace("│ ", "")


def test_trace_resolves_skill_id_in_the_shipped_catalogue_and_suggests_on_a_typo():
    result = run("trace", "skill:dominos-uk", "-f", "json")
    assert result.exit_code == 0
    copies = json.loads(result.stdout)["copies"]
    assert [c["id"] for c in copies if c["party"] == "developer:dominos-pizza-group"] == [
        "skill:dominos-uk/action_record",
        "skill:dominos-uk/developer_account",
        "skill:dominos-uk/link_token",
        "skill:dominos-uk/skill_request",
    ]
    typo = run("trace", "skill:dominoes")
    assert (typo.exit_code, typo.stdout) == (1, "")
    assert typo.stderr == (
        f"error: unknown skill 'dominoes' in the catalogue {shipped_catalogue_path()}; "
        "did you mean skill:B01B5G99CC (Domino's), skill:dominos-uk (Domino's Pizza)?\n"
    )


def test_a_skill_in_a_model_of_ones_own_needs_a_catalogue(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text((ROOT / "graphs/alexa.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("trace", "skill:dominos-uk", "-m", str(own))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: skill:dominos-uk names a catalogue skill, and no catalogue is given: use -c FILE\n",
    )
    given = run("trace", "skill:dominos-uk", "-m", str(own), "-c", str(shipped_catalogue_path()))
    assert given.exit_code == 0


def test_skills_reach_counts_skills_and_developers_by_permission(manifests):
    result = run("skills", "reach", "postal_code", "-c", str(manifests), "-f", "csv")
    assert (result.exit_code, result.stdout) == (
        0,
        "feature,skills,status at the backend\n"
        "alexa:devices:all:address:country_and_postal_code:read,1,may_remain\n",
    )
    answer = json.loads(
        run(
            "skills",
            "reach",
            "skill_request",
            "-c",
            str(manifests),
            "-f",
            "json",
            "-d",
            "disable-skill",
        ).stdout  # fmt: skip
    )
    assert (answer["skills"], answer["may_still_hold"], answer["of"]) == (6, 6, 6)
    assert answer["developers"][0] == {
        "party": "developer:wetter-gmbh",
        "developer": "Wetter GmbH",
        "skills": 4,
        "may_still_hold": 4,
    }


def test_skills_list_filters_by_permission_developer_and_category(manifests):
    def ids(*options):
        result = run("skills", "list", "-c", str(manifests), "-f", "json", *options)
        assert result.exit_code == 0, result.output
        return [row["skill"] for row in json.loads(result.stdout)]

    assert ids("--permission", "alexa:devices:all:address:country_and_postal_code:read") == [
        "B07K1NBJLJ"
    ]
    assert ids("--permission", "alexa::household:lists:read") == ["amzn1.ask.skill.3f2a"]
    assert ids("--permission", "in_skill_purchases") == ["B0MANY0008"]
    assert ids("--developer", "wetter gmbh", "--category", "weather") == [
        "B0MANY0007", "B0MANY0008", "B0UNKNOWN3", "B0ZIPCODE2"
    ]  # fmt: skip


def test_skills_show_says_what_a_skill_receives_keeps_and_passes_on(tmp_path):
    path = one_skill(tmp_path, "alexa::household:lists:write alexa::foo:read")
    answer = json.loads(run("skills", "show", "B0ONE00001", "-c", str(path), "-f", "json").stdout)
    assert [row["copy"] for row in answer["receives"]] == [
        "skill:b0one00001/action_record",
        "skill:b0one00001/household_lists",
        "skill:b0one00001/skill_request",
    ]
    assert [row["copy"] for row in answer["passes_on"]] == ["customer_profile/household_lists"]
    assert answer["unknown_permissions"] == ["alexa::foo:read"]
    assert answer["sources"]["ask-permissions"]["title"].startswith("Alexa Skills Kit")


def test_expand_writes_the_explicit_model_that_traces_as_the_catalogue_does(tmp_path, manifests):
    out = tmp_path / "expanded.yaml"
    written = run("skills", "expand", str(manifests), "B0ZIPCODE2", "b0many0008", "-o", str(out))
    assert (written.exit_code, written.stdout) == (0, f"wrote {out}\n")
    expanded = tracer.check_model(out)
    assert sorted(k for k in expanded.model.interactions if k.startswith("skill:")) == [
        "skill:b0many0008", "skill:b0zipcode2"
    ]  # fmt: skip
    with_catalogue = run("trace", "skill:b0many0008", "-c", str(manifests), "-f", "json")
    explicit = run("trace", "skill:b0many0008", "-m", str(out), "-f", "json")
    assert json.loads(with_catalogue.stdout)["copies"] == json.loads(explicit.stdout)["copies"]


def test_synth_is_seeded_and_most_skills_ask_for_no_permission(tmp_path):
    rows = synth_rows(5000, seed=3)
    assert rows == synth_rows(5000, seed=3) and rows != synth_rows(5000, seed=4)
    assert len({row["skill"] for row in rows}) == 5000
    none = sum(1 for row in rows if not row["permissions"])
    assert 0.9 < none / 5000 < 0.97
    path = write_synthetic_catalogue(tmp_path / "s.parquet", 300, seed=1)
    catalogue = read_catalogue(path, strict=True)
    assert len(catalogue) == 300 and catalogue.problems == []


def test_the_ledger_reads_events_on_skills_with_the_catalogue(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,ann,skill:DOMINOS-UK,2025-01-01T10:00:00Z\n"
        "e2,ann,skill:uber-rides,2025-01-02T10:00:00Z\n"
        "e3,ann,skill:nope,2025-01-02T11:00:00Z\n"
    )
    result = run("ledger", "build", str(events), "-o", str(tmp_path / "l.duckdb"))
    assert result.exit_code == 0, result.output
    assert "skipped: events row 3: unknown interaction 'skill:nope'" in result.stderr
    erasure = json.loads(
        run("ledger", "erasure", str(tmp_path / "l.duckdb"), "-u", "ann", "-f", "json").stdout
    )
    names = {r["party"]: r["name"] for r in erasure["recipients"]}
    assert names["developer:dominos-pizza-group"] == "Domino's Pizza Group"
    assert names["developer:uber-technologies-inc"] == "Uber Technologies, Inc."


def test_a_catalogue_of_no_skills_leaves_a_ledger_of_the_models_own_interactions(tmp_path):
    from tracer.ledger import build

    catalogue = tmp_path / "none.csv"
    catalogue.write_text(",".join(COLUMNS) + "\n")
    events = tmp_path / "events.csv"
    events.write_text(
        "event,user,interaction,at\n"
        "e1,ann,weather,2025-01-01T10:00:00Z\n"
        "e2,ann,skill:uber-rides,2025-01-02T10:00:00Z\n"
    )
    result = build(events, catalogue=catalogue)
    assert (result.events, result.outcomes) == (1, 1)
    assert [str(row) for row in result.bad_rows] == [
        "events row 2: unknown interaction 'skill:uber-rides'"
    ]


def test_the_explorer_finds_a_skill_by_name_and_traces_it():
    from starlette.testclient import TestClient

    from tracer.web import create_app

    client = TestClient(create_app(catalogue_path=shipped_catalogue_path()))
    found = client.get("/api/skills", params={"q": "domino"}).json()
    # the US skill (Domino's Pizza, LLC) and the UK one (Domino's Pizza Group), by id
    assert [row["interaction"] for row in found] == ["skill:b01b5g99cc", "skill:dominos-uk"]
    assert client.get("/api/trace/skill:dominos-uk").json()["interaction"] == "skill:dominos-uk"
    page = client.get("/skills", params={"record": "device_address", "q": "device"})
    assert page.status_code == 200
    assert "10 of 40 skills can receive device_address." in page.text
    assert 'href="/?interaction=skill%3Adevice-address-sample"' in page.text
    assert client.get("/api/trace/skill:nope").status_code == 404


def test_a_files_own_columns_never_stand_in_for_what_the_catalogue_computes(tmp_path):
    # a column named rowid, or named as a computed one, or `unknown`: each only a warning
    header = ",".join(COLUMNS)
    path = tmp_path / "odd.csv"
    path.write_text(
        f"{header},rowid,tracer$key,unknown\n"
        "A1,One,Dev,bogus:scope,false,false,false,,,,,7,zzz,hello\n"
        "A2,,Dev,,false,false,false,,,,,3,yyy,x\n"
    )
    catalogue = read_catalogue(path)
    assert [(s.id, s.key, s.row) for s in catalogue.skills()] == [("A1", "a1", 1)]
    assert [(p.row, p.field, p.message.split(",")[0]) for p in catalogue.problems] == [
        (0, "rowid", "unknown column"),
        (0, "tracer$key", "unknown column"),
        (0, "unknown", "unknown column"),
        (1, "permissions", "unknown scope 'bogus:scope'"),
        (2, "name", "missing"),
    ]
    assert catalogue.skill("skill:a1").name == "One"


def test_a_header_in_capitals_is_read_as_the_same_columns(tmp_path):
    (tmp_path / "all.csv").write_text(
        ",".join(c.title() for c in COLUMNS) + "\n" + "A1,One,Dev" + "," * 8 + "\n"
    )
    (tmp_path / "some.csv").write_text("Skill,NAME,Developer\nA1,One,Dev\n")
    for name in ("all.csv", "some.csv"):
        catalogue = read_catalogue(tmp_path / name)
        assert [(s.id, s.name, s.developer) for s in catalogue.skills()] == [("A1", "One", "Dev")]
        assert catalogue.problems == []
