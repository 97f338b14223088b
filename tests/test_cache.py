"""The parsed-model cache: used only for exactly the same bytes, safe to delete, easy to turn off;
and `import tracer` stays light (nothing for drawing or reports until it is used)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import tracer
from tracer import cache
from tracer.model import loading

MODEL = """\
format: tracer/1
name: cached
parties: {acme: {name: Acme}}
records: {note: {name: Note}}
holders:
  inbox: {name: Inbox, party: acme, keeps: {note: {for: until_deleted, deleted_by: [wipe]}}}
interactions: {write: {name: Write a note, starts: {inbox: [note]}}}
deletions: {wipe: {name: Wipe the inbox}}
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRACER_CACHE_DIR", str(folder))
    monkeypatch.delenv("TRACER_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def parses(monkeypatch):
    """How many times a model file was really parsed (not taken from the cache)."""
    calls = []
    real = loading.parse_model

    def counting(text, *, name="<string>"):
        calls.append(name)
        return real(text, name=name)

    monkeypatch.setattr(loading, "parse_model", counting)
    return calls


def test_a_second_load_of_the_same_bytes_comes_from_the_cache(tmp_path, folder, parses):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    first = tracer.load_model(path)
    second = tracer.load_model(path)
    assert (second, len(parses)) == (first, 1)
    assert [entry.suffix for entry in folder.iterdir()] == [".pickle"]
    assert (
        tracer.trace(second, "write", ["wipe"]).to_dict()
        == tracer.trace(first, "write", ["wipe"]).to_dict()
    )


def test_a_model_from_the_cache_decodes_its_parts_only_as_they_are_used(tmp_path, folder, parses):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    first = tracer.load_model(path)
    second = tracer.load_model(path)
    assert type(first.holders) is dict and type(second.holders).__name__ == "PartMapping"
    assert second == first and second.holders["inbox"] == first.holders["inbox"]


def test_the_key_is_the_files_bytes_so_the_text_they_decode_to_finds_the_same_entry(
    tmp_path, folder
):
    path = tmp_path / "m.yaml"
    text = MODEL + "# café\n"
    path.write_text(text, encoding="utf-8")
    model = tracer.load_model(path)
    assert cache.cached(text, lambda: 1 / 0, folder=folder) == model  # not parsed again


def test_any_change_to_the_file_is_parsed_again(tmp_path, folder, parses):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    tracer.load_model(path)
    path.write_text(MODEL.replace("name: cached", "name: cachee"))  # same size, one byte changed
    assert tracer.load_model(path).name == "cachee"
    path.write_text(MODEL + "# a comment\n")
    assert tracer.load_model(path).name == "cached"
    assert len(parses) == 3


def test_a_hit_hashes_the_file_as_it_reads_it_and_never_reads_it_whole(
    tmp_path, folder, parses, monkeypatch
):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    first = tracer.load_model(path)
    wholes = []
    real = loading._read_bytes
    monkeypatch.setattr(loading, "_read_bytes", lambda *a: wholes.append(a) or real(*a))
    assert tracer.load_model(path) == first
    assert (wholes, len(parses)) == ([], 1)


def test_a_file_changed_between_hashing_and_reading_is_parsed_and_never_stored_under_the_old_key(
    tmp_path, folder, parses, monkeypatch
):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    changed = MODEL.replace("name: cached", "name: cachee")
    real = loading._read_bytes

    def read_after_a_change(*args):
        path.write_text(changed)  # as if another program saved it just after it was hashed
        return real(*args)

    monkeypatch.setattr(loading, "_read_bytes", read_after_a_change)
    assert tracer.load_model(path).name == "cachee"
    monkeypatch.setattr(loading, "_read_bytes", real)
    path.write_text(MODEL)  # the bytes that were hashed: parsed again, not the other model
    assert tracer.load_model(path).name == "cached"
    assert len(parses) == 2


def test_a_broken_model_is_never_cached(tmp_path, folder):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.replace("party: acme", "party: acne"))
    for _ in range(2):
        with pytest.raises(tracer.ModelError, match="unknown party 'acne'"):
            tracer.load_model(path)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_no_cache_turns_it_off(tmp_path, folder, parses, monkeypatch):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    tracer.load_model(path, cache=False)
    monkeypatch.setenv("TRACER_NO_CACHE", "1")
    tracer.load_model(path)
    tracer.load_model(path)
    assert (len(parses), folder.exists()) == (3, False)


def test_the_cli_no_cache_option_turns_it_off(tmp_path, folder, monkeypatch):
    from tracer.cli import app

    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    result = CliRunner().invoke(app, ["--no-cache", "trace", "write", "-m", str(path)])
    assert (result.exit_code, folder.exists()) == (0, False)
    assert os.environ.pop("TRACER_NO_CACHE") == "1"  # set by the option, for this process
    result = CliRunner().invoke(app, ["trace", "write", "-m", str(path)])
    assert (result.exit_code, len(list(folder.iterdir()))) == (0, 1)


def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path, folder, parses):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    tracer.load_model(path)
    (entry,) = folder.iterdir()
    entry.write_bytes(b"not a pickle")
    assert tracer.load_model(path).name == "cached"
    assert len(parses) == 2
    assert entry.read_bytes() != b"not a pickle"


def test_a_folder_others_can_write_to_is_neither_read_nor_written(tmp_path, folder, parses):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    folder.mkdir()
    folder.chmod(0o777)  # anyone could plant a pickle here: never unpickle from it
    tracer.load_model(path)
    tracer.load_model(path)
    assert (len(parses), list(folder.iterdir())) == (2, [])


def test_cache_entries_are_private_to_the_user(tmp_path, folder):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    tracer.load_model(path)
    (entry,) = folder.iterdir()
    assert (oct(folder.stat().st_mode & 0o777), oct(entry.stat().st_mode & 0o777)) == (
        "0o700",
        "0o600",
    )


def test_the_cache_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_folder() == tmp_path / "tracer"


HEAVY = ("networkx", "jinja2", "graphviz")


def _modules_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TRACER_NO_CACHE": "1"},
    )
    return result.stdout.split()


def test_import_tracer_imports_nothing_for_graphs_drawing_or_reports():
    assert _modules_after("import tracer; tracer.__version__") == []


def test_tracing_from_the_command_line_imports_nothing_for_drawing_or_reports():
    code = (
        "from typer.testing import CliRunner\nfrom tracer.cli import app\n"
        "result = CliRunner().invoke(app, ['trace', 'dominos-order', '-d', 'delete-recording'])\n"
        "assert result.exit_code == 0, result.output"
    )
    assert _modules_after(code) == []


def test_drawing_imports_graphviz_when_it_is_used():
    assert "graphviz" in _modules_after("import tracer; tracer.trace_dot")


def test_the_version_needs_no_package_metadata():
    probe = "import sys, tracer; tracer.__version__; print('importlib.metadata' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout == "False\n"


def test_the_command_line_imports_no_engine_server_or_interop_library_until_used():
    probe = (
        "import sys, tracer.cli\n"
        "print(' '.join(m for m in ('duckdb', 'uvicorn', 'starlette', 'pyspark', 'fideslang',"
        " 'prov') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "\n")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(0, len(MODEL) - 1), byte=st.integers(0, 255))
def test_a_change_to_any_byte_is_never_answered_from_the_cache(
    tmp_path, folder, parses, position, byte
):
    path = tmp_path / "m.yaml"
    path.write_bytes(MODEL.encode())
    tracer.load_model(path)  # stored (or already)
    changed = bytearray(MODEL.encode())
    assume(changed[position] != byte)
    changed[position] = byte
    path.write_bytes(bytes(changed))
    stored = _stored(folder, changed)  # an earlier example may have stored these very bytes
    before = len(parses)
    try:
        model = tracer.load_model(path)
    except tracer.TracerError:
        return  # not a model: refused (the cache holds only models that loaded)
    assert len(parses) == before + (0 if stored else 1)
    assert model == tracer.parse_model(bytes(changed).decode(), name="m.yaml")


def _stored(folder, data):
    """Whether an earlier example already stored exactly these bytes (their own entry)."""
    import hashlib

    key = hashlib.sha256(data).hexdigest()
    return any(entry.name.startswith(key) for entry in folder.iterdir())
