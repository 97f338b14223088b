"""samples/alexa-history/ is what its generator and the walk-through of docs/history.md make:
Sam's export (200 records over 2025, the last page empty), its ledger logs, and the letters."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tracer.cli import app

SAMPLE = Path(__file__).parent.parent / "samples" / "alexa-history"


def generator():
    spec = importlib.util.spec_from_file_location("alexa_history_sample", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_is_what_its_generator_writes(tmp_path):
    module = generator()
    pages = module.write_export(tmp_path)
    module.write_outputs(tmp_path, pages)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for name in made:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    assert [str(p) for p in made if p.parts[0] == "letters"] == [
        "letters/ad_partners.md",
        "letters/amazon.md",
        "letters/annotators.md",
        "letters/developer_doist.md",
        "letters/developer_sony-pictures-television.md",
        "letters/developer_thryv-inc.md",
        "letters/dominos.md",
        "letters/uber.md",
    ]


def test_the_export_is_a_year_of_200_records_with_an_unknown_skill():
    records = [
        r
        for page in sorted(SAMPLE.glob("page-*.json"))
        for r in json.loads(page.read_text(encoding="utf-8"))["customerHistoryRecords"]
    ]
    assert len(records) == 200
    assert json.loads((SAMPLE / "page-5.json").read_text())["customerHistoryRecords"] == []
    skills = {r.get("skillName") for r in records}
    assert skills == {
        None,
        "Domino's",
        "Uber",
        "Jeopardy!",
        "Todoist",
        "Yellow Pages",
        "Sleep Sounds: Ocean Waves",
    }
    assert sum(1 for r in records if "skillName" not in r) > 100  # absent, not null


def test_the_exports_skills_are_the_shipped_catalogues_but_one_unknown_and_one_ambiguous():
    from tracer.skills import read_catalogue, shipped_catalogue_path

    catalogue = read_catalogue(shipped_catalogue_path())
    found = {
        name: sorted(skill.id for skill in catalogue.find(name))
        for name in ("Domino's", "Uber", "Jeopardy!", "Todoist", "Yellow Pages")
    }
    assert found == {
        "Domino's": ["B01B5G99CC"],
        "Uber": ["uber-rides"],
        "Jeopardy!": ["B019G0M2WS"],
        "Todoist": ["todoist"],
        "Yellow Pages": ["yellow-pages-thryv", "yellow-pages-ydms"],
    }
    assert catalogue.find("Sleep Sounds: Ocean Waves") == []


# ```console history blocks: run in order in a folder holding samples/ and graphs/
BLOCK = re.compile(r"```console history\n\$ (.+?)\n(.*?)```", flags=re.S)
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def test_each_example_of_the_walk_through_prints_what_it_shows(tmp_path, monkeypatch):
    root = SAMPLE.parent.parent
    shutil.copytree(SAMPLE, tmp_path / "samples" / "alexa-history")
    shutil.copytree(root / "graphs", tmp_path / "graphs")
    monkeypatch.chdir(tmp_path)
    blocks = BLOCK.findall((root / "docs" / "history.md").read_text(encoding="utf-8"))
    assert len(blocks) == 5  # a first look, the import, the build, holds, the letters
    for command, expected in blocks:
        words = shlex.split(command)
        result = CliRunner().invoke(app, words[1:], env=ENV)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout == expected, command
    for letter in sorted((tmp_path / "letters").iterdir()):
        assert letter.read_bytes() == (SAMPLE / "letters" / letter.name).read_bytes()
