"""Where outputs may be written: never over the model, never through a symlink, never into a
folder a typo made, with the permissions the user chose, and no debris from a killed run."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer
from tracer.cli import app
from tracer.render.output import write_atomically

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def run(*args: str):
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def model_as_html(tmp_path, monkeypatch) -> Path:
    """The shipped model copied to m.html in the working folder, as a careless user might."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(tracer.default_model_path(), tmp_path / "m.html")
    return tmp_path / "m.html"


def test_report_through_a_missing_folder_and_dotdot_never_replaces_the_model(model_as_html):
    before = model_as_html.read_bytes()
    for extra in ([], ["--mkdir"]):
        result = run("report", "dominos-order", "-m", "m.html", "-o", "new/../m.html", *extra)
        assert result.exit_code == 1
        assert (
            result.stderr
            == "error: refusing to overwrite the model file m.html with new/../m.html\n"
        )
    assert model_as_html.read_bytes() == before
    assert not Path("new").exists()  # the check comes before anything is created


def test_render_never_replaces_the_model_through_dotdot_or_a_hard_link(model_as_html, tmp_path):
    os.mkdir("sub")
    model = model_as_html.with_suffix(".dot")
    model_as_html.rename(model)
    before = model.read_bytes()
    result = run("render", "-m", "m.dot", "-o", "sub/../m.dot")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: refusing to overwrite the model file m.dot with sub/../m.dot\n",
    )
    os.link(model, "linked.dot")
    result = run("render", "-m", "m.dot", "-o", "linked.dot")
    assert result.stderr == "error: refusing to overwrite the model file m.dot with linked.dot\n"
    assert model.read_bytes() == before


def test_the_shipped_model_is_protected_when_no_model_is_named(tmp_path):
    shipped = tracer.default_model_path()
    before = shipped.read_bytes()
    folder = Path(os.path.realpath(shipped)).parent  # the shipped file may be a link
    result = run("demo", "-o", str(folder / "missing" / ".."))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to write the demo into ")
    assert shipped.read_bytes() == before


def test_demo_refuses_the_folder_that_holds_the_model(model_as_html):
    result = run("demo", "-m", "m.html", "-o", ".")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: refusing to write the demo into .: it holds the model m.html; "
        "choose another folder\n",
    )
    assert sorted(os.listdir(".")) == ["m.html"]


def test_demo_says_which_existing_files_it_replaces(tmp_path):
    first = run("demo", "-o", str(tmp_path / "d"))
    assert first.exit_code == 0
    assert "replaced" not in first.stdout
    second = run("demo", "-o", str(tmp_path / "d"))
    assert f"replaced {tmp_path / 'd' / 'report.html'}\n" in second.stdout
    assert "wrote " not in second.stdout


def test_an_output_into_a_missing_folder_is_refused_unless_mkdir(tmp_path):
    target = tmp_path / "typo" / "eco.mmd"
    result = run("render", "-o", str(target))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: cannot write {target}: the folder {target.parent} does not exist "
        "(--mkdir creates it)\n",
    )
    assert not target.parent.exists()
    created = run("render", "-o", str(target), "--mkdir")
    assert (created.exit_code, created.stdout) == (0, f"wrote {target}\n")
    assert target.read_text().startswith("flowchart LR")


def test_demo_creates_its_folder_but_not_missing_parents_without_mkdir(tmp_path):
    result = run("demo", "-o", str(tmp_path / "a" / "b"))
    assert result.exit_code == 1
    assert "does not exist (--mkdir creates it)" in result.stderr
    assert run("demo", "-q", "--mkdir", "-o", str(tmp_path / "a" / "b")).exit_code == 0
    assert (tmp_path / "a" / "b" / "report.html").exists()


def test_a_symlink_at_the_output_is_refused_and_left_alone(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("precious")
    link = tmp_path / "out.mmd"
    link.symlink_to(elsewhere)
    result = run("render", "-o", str(link))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: refusing to write {link}: it is a symbolic link; remove it or name the file "
        "it points to\n",
    )
    assert link.is_symlink() and elsewhere.read_text() == "precious"


def test_an_existing_file_keeps_its_mode(tmp_path):
    report = tmp_path / "r.md"
    report.write_text("old")
    report.chmod(0o600)
    assert run("report", "weather", "-o", str(report)).exit_code == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert report.read_text().startswith("# ")


def test_a_new_file_honours_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        write_atomically(tmp_path / "private.txt", b"x")
        os.umask(0o022)
        write_atomically(tmp_path / "shared.txt", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "private.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "shared.txt").stat().st_mode) == 0o644


def test_temporaries_left_by_a_killed_write_are_removed_by_the_next_write(tmp_path):
    leftover = tmp_path / ".eco.mmd.k2j4_x9a.tmp"
    leftover.write_text("half a diagram")
    unrelated = tmp_path / ".other.mmd.k2j4_x9a.tmp"
    unrelated.write_text("not ours")
    assert run("render", "-q", "-o", str(tmp_path / "eco.mmd")).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.mmd.k2j4_x9a.tmp", "eco.mmd"]


def test_quiet_prints_nothing_on_success(tmp_path):
    result = run("render", "-q", "-o", str(tmp_path / "e.dot"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    result = run("report", "weather", "--quiet", "-o", str(tmp_path / "r.md"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
