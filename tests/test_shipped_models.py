"""The shipped models have names that work anywhere (`-m alexa-2025`, also after a wheel install,
outside the clone); an id or a file that is not there says where it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer
from tracer import shipped
from tracer.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
ROOT = Path(__file__).parent.parent


def run(*args: str):
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A working folder outside the clone, as after `pip install tracer`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_shipped_models_are_named_after_their_files_inside_the_package():
    assert shipped.names() == ("alexa", "alexa-2025")
    for name in shipped.names():
        path = shipped.path_of(name)
        assert path.parent == Path(tracer.__file__).parent / "graphs"
        assert path.read_bytes() == (ROOT / "graphs" / f"{name}.yaml").read_bytes()


def test_a_name_loads_the_shipped_model_from_any_folder(elsewhere):
    assert tracer.load_model("alexa-2025").name == "Amazon Alexa (2025)"
    result = run(
        "trace", "weather", "-m", "alexa-2025", "--delete", "auto-delete-3mo", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"] == "Amazon Alexa (2025)"
    assert run("validate", "alexa").stdout.startswith(f"ok: {shipped.path_of('alexa')}: ")
    assert run("diff", "alexa", "alexa-2025", "weather", "-f", "json").exit_code == 0


def test_a_file_of_that_name_wins_over_the_shipped_model(elsewhere):
    from tests.test_cli import TINY

    (elsewhere / "alexa-2025").write_text(TINY, encoding="utf-8")
    assert tracer.load_model("alexa-2025").name == "Tiny"


def test_list_models_names_each_shipped_model_with_its_title_date_and_file():
    result = run("list", "--models")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Shipped models (use one with -m NAME)"
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line[:1] == "│"]
    files = "".join(row[3] for row in rows)  # a path wraps after a separator, never mid-word
    assert files == str(shipped.path_of("alexa")) + str(shipped.path_of("alexa-2025"))
    # each piece of a wrapped path but its last ends at a separator, wherever the clone lies
    pieces = [row[3] for row in rows if row[3]]
    ends = {len(files[: len(str(shipped.path_of("alexa")))]), len(files)}
    at = 0
    for piece in pieces:
        at += len(piece)
        assert at in ends or piece.endswith(("/", "-", ".", "_")), rows
    assert [row[:3] for row in rows if row[0]] == [
        ["alexa", "Amazon Alexa (2019) (the default)", "2019-06-28"],
        ["alexa-2025", "Amazon Alexa (2025)", "2025-03-28"],
    ]
    as_json = json.loads(run("list", "--models", "-f", "json").stdout)
    assert as_json == [
        {
            "name": "alexa",
            "model": "Amazon Alexa (2019)",
            "date": "2019-06-28",
            "default": True,
            "path": str(shipped.path_of("alexa")),
        },
        {
            "name": "alexa-2025",
            "model": "Amazon Alexa (2025)",
            "date": "2025-03-28",
            "default": False,
            "path": str(shipped.path_of("alexa-2025")),
        },
    ]


def test_installed_as_a_wheel_installs_it_the_names_work_outside_the_clone(tmp_path):
    """What a wheel holds is what setuptools' build_py lays out: built from the tracked files
    and run from another folder, the names resolve to the package's own copies."""
    source, built, elsewhere = tmp_path / "src", tmp_path / "lib", tmp_path / "work"
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    ).stdout.split(b"\0")
    if not tracked[0]:
        pytest.skip("not a git checkout")
    for name in filter(None, tracked):
        target = source / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        origin = ROOT / name.decode()
        if origin.is_symlink():
            target.symlink_to(origin.readlink())
        elif origin.is_file():
            target.write_bytes(origin.read_bytes())
    setup = "from setuptools import setup; setup()"
    subprocess.run(
        [sys.executable, "-c", setup, "-q", "build_py", "-d", str(built)],
        cwd=source, capture_output=True, check=True,
    )  # fmt: skip
    for name in shipped.names():
        packed = built / "tracer" / "graphs" / f"{name}.yaml"
        assert not packed.is_symlink()
        assert packed.read_bytes() == (ROOT / "graphs" / f"{name}.yaml").read_bytes()
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(built), "COLUMNS": "100", "TRACER_NO_CACHE": "1", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "tracer", "list", "--models", "-f", "json"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [entry["path"] for entry in json.loads(done.stdout)] == [
        str(built / "tracer" / "graphs" / "alexa.yaml"),
        str(built / "tracer" / "graphs" / "alexa-2025.yaml"),
    ]


def test_a_request_of_another_shipped_model_says_which_one_and_how_to_use_it():
    result = run("trace", "dominos-order", "--delete", "auto-delete-3mo")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown deletion request 'auto-delete-3mo' in Amazon Alexa (2019); the shipped "
        "model alexa-2025 (Amazon Alexa (2025)) has it: add -m alexa-2025\n"
    )


def test_an_unknown_id_in_no_shipped_model_keeps_its_did_you_mean():
    result = run("trace", "dominos-order", "--delete", "delete-recordin")
    assert result.stderr.startswith(
        "error: unknown deletion request 'delete-recordin'; did you mean 'delete-recording'?"
    )


def test_a_missing_model_file_is_one_line_in_the_same_words_everywhere(elsewhere):
    for args in (["trace", "weather", "-m", "nosuch.yaml"], ["list", "-m", "nosuch.yaml"]):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (1, "error: no model file at nosuch.yaml\n")
    served = run("serve", "-m", "nosuch.yaml")
    assert (served.exit_code, served.stderr) == (1, "error: no model file at nosuch.yaml\n")


def test_a_missing_model_file_names_a_close_file_or_shipped_model(elsewhere):
    (elsewhere / "graphs").mkdir()
    (elsewhere / "graphs" / "mine.yaml").write_text("x", encoding="utf-8")
    close = run("trace", "weather", "-m", "graphs/mine.yml")
    assert close.stderr == (
        "error: no model file at graphs/mine.yml; did you mean graphs/mine.yaml?\n"
    )
    named = run("trace", "weather", "-m", "alexa.yml")
    assert named.stderr == (
        "error: no model file at alexa.yml; did you mean the shipped model alexa (-m alexa)?\n"
    )
    outside = run("trace", "weather", "-m", "graphs/alexa-2025.yaml")
    assert outside.stderr == (
        "error: no model file at graphs/alexa-2025.yaml; did you mean the shipped model "
        "alexa-2025 (-m alexa-2025)?\n"
    )
    misspelt = run("trace", "weather", "-m", "alexa-2024")
    assert misspelt.stderr == (
        "error: no model file at alexa-2024; did you mean the shipped model alexa-2025 "
        "(-m alexa-2025)?\n"
    )


def test_the_subpackages_the_readme_presents_are_attributes_of_tracer():
    code = (
        "import tracer; print(tracer.interop.import_fides.__name__, tracer.ledger.build.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert (done.returncode, done.stdout) == (0, "import_fides build\n"), done.stderr
