"""Interaction ``skill:ID`` traces the same with a catalogue as in the explicit model that
``tracer skills expand`` writes: for random templates, catalogues and deletion requests, copy
for copy (status, reason, path, evidence, access), and so does the DuckDB ledger's events on
``skill:ID``; both are also what the independent oracle (tests/oracle.py) gives."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import assert_agrees, assert_ledger_agrees, ledger_oracle, oracle
from strategies import LEDGER, logs, models, subset
from strategies import retention as rule
from test_ledger_equivalence import build_ledger, ledger_rows, oracle_rows, reference

import tracer
from tracer.interop.model_yaml import model_yaml
from tracer.skills import read_catalogue, with_skills
from tracer.skills.expand import expand

FEATURES = [
    "always",
    "alexa::profile:email:read",
    "alexa:devices:all:address:country_and_postal_code:read",
    "account_linking",
    "in_skill_purchases",
]
RECORDS = LEDGER.records
REQUESTS = LEDGER.requests
DEVELOPERS = ["Acme", "Acme Inc", "Zeta “Games”", "Ünïcode Ltd"]
RETENTION = ["", "", "30 days", "until account deletion", "forever", "as long as needed"]

common = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def templates(draw, holders: list[str]):
    """A random skill template over the model's holders: each feature's flows to the backend
    (or from it), derivations at the backend, what the backend keeps, and start copies."""
    features = {}
    for name in [f for f in FEATURES if f == "always" or draw(st.booleans())]:
        flows = []
        for index in range(draw(st.integers(0 if name != "always" else 1, 2))):
            outward = draw(st.booleans()) and name != "always"
            other = draw(st.sampled_from(holders))
            flows.append(
                {
                    "id": f"{name.replace(':', '-').replace('_', '-')}-{index}",
                    "from": "backend" if outward else other,
                    "to": other if outward else "backend",
                    "carries": draw(subset(RECORDS).filter(bool)),
                    "deletion": draw(st.sampled_from(["ignored", "propagated", "unclear"])),
                }
            )
        derivations = []
        if draw(st.booleans()):
            source, target = draw(st.sampled_from(RECORDS)), draw(st.sampled_from(RECORDS))
            if source != target:
                derivations.append({"id": f"make-{len(features)}", "from": source, "to": target})
        starts = draw(
            st.dictionaries(
                st.sampled_from([*holders, "backend"]), subset(RECORDS).filter(bool), max_size=2
            )
        )
        features[name] = {
            "name": name,
            "tags": draw(subset(["t0", "t1"])),
            "starts": starts,
            "flows": flows,
            "derivations": derivations,
            "keeps": draw(st.dictionaries(st.sampled_from(RECORDS), rule(LEDGER), max_size=2)),
        }
    starts = draw(
        st.dictionaries(st.sampled_from(holders), subset(RECORDS).filter(bool), min_size=1)
    )
    return {"tags": draw(subset(["t0"])), "starts": starts, "features": features}


@st.composite
def catalogues(draw, features: list[str]):
    """Rows of a catalogue: ids in either case, shared developers, sources, retention words."""
    rows = []
    for index in range(draw(st.integers(1, 5))):
        chosen = [f for f in features if f != "always" and draw(st.booleans())]
        scopes = [f for f in chosen if f.startswith("alexa")]
        rows.append(
            {
                "skill": f"B0SKILL{index:03d}"
                if draw(st.booleans())
                else f"amzn1.ask.skill.{index}",
                "name": f"Skill “{index}”, o'clock",
                "developer": draw(st.sampled_from(DEVELOPERS)),
                "permissions": draw(st.sampled_from([" ", ";"])).join(scopes),
                "account_linking": "account_linking" in chosen,
                "in_skill_purchases": "in_skill_purchases" in chosen,
                "amazon_pay": False,
                "retention": draw(st.sampled_from(RETENTION)),
                "source": draw(st.sampled_from(["", "https://example.org/skill", "a store page"])),
            }
        )
    return rows


def write_catalogue(folder: Path, rows: list[dict]) -> Path:
    path = folder / "skills.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@st.composite
def worlds(draw):
    """(model with a template, catalogue rows) at random."""
    base = draw(models(LEDGER))
    data = base.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["skill_template"] = draw(templates(sorted(base.holders)))
    model = tracer.parse_model(yaml.safe_dump({"format": "tracer/1", **data}, sort_keys=False))
    return model, draw(catalogues(sorted(model.skill_template.features)))


@common
@given(st.data())
def test_a_skill_traces_the_same_with_the_catalogue_as_in_the_expanded_model(data):
    model, rows = data.draw(worlds())
    with tempfile.TemporaryDirectory() as folder:
        catalogue = read_catalogue(write_catalogue(Path(folder), rows), strict=True)
        # through the YAML file `tracer skills expand` writes, read back
        expanded = tracer.parse_model(model_yaml(expand(model, catalogue)))
        for skill in catalogue.skills():
            requests = data.draw(
                st.lists(
                    st.tuples(st.sampled_from(sorted(REQUESTS)), st.integers(0, 40)), max_size=3
                )
            )
            specs = [
                f"{r}@{max(day, int(REQUESTS[r][:-1]) if REQUESTS[r] else 0)}d"
                for r, day in requests
            ]
            lazy = tracer.trace(
                with_skills(model, catalogue, [skill.interaction]), skill.interaction, specs
            )
            explicit = tracer.trace(expanded, skill.interaction, specs)
            assert lazy.copies == explicit.copies
            assert lazy.edges == explicit.edges
            assert lazy.parties == explicit.parties
            # and what an independent reading of the semantics gives (tests/oracle.py)
            assert_agrees(lazy, oracle(expanded, skill.interaction, specs))


@common
@given(st.data())
def test_the_ledger_of_events_on_skills_holds_the_copies_trace_gives(data):
    model, rows = data.draw(worlds())
    with tempfile.TemporaryDirectory() as folder:
        catalogue = read_catalogue(write_catalogue(Path(folder), rows), strict=True)
        expanded = tracer.parse_model(model_yaml(expand(model, catalogue)))
        # the log names the catalogue's skills (in the store's own case) and the model's own
        # interactions; the expanded model has every one of them
        events, requests, at = data.draw(logs(expanded))
        spelled = {s.interaction: f"skill:{s.id}" for s in catalogue.skills()}
        written = [(e, u, spelled.get(i, i), m) for e, u, i, m in events]
        output = build_ledger(model, written, requests, at, Path(folder), catalogue=catalogue)
        assert ledger_rows(output) == reference(expanded, events, requests, at)
        assert_ledger_agrees(oracle_rows(output), ledger_oracle(expanded, events, requests, at))
