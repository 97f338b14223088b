"""The command line: exit codes and exact output of each command, and each error path."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import typer
from conftest import need
from typer.testing import CliRunner

import tracer
from tracer.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
SHIPPED_2025 = str(Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml")

TINY = """\
format: tracer/1
name: Tiny
sources: {s1: {title: A source, date: 2024-01-01, url: "https://example.com/s1"}}
parties: {acme: {name: Acme}, partner: {name: Partner}}
records: {note: {name: Note}}
holders:
  inbox:
    name: Inbox
    party: acme
    keeps: {note: {for: until_deleted, deleted_by: [wipe], evidence: [s1], confidence: stated}}
  partner_copy:
    name: Partner copy
    party: partner
    keeps: {note: {for: unknown, evidence: [s1], confidence: stated, note: policy unknown}}
flows: [{id: share, from: inbox, to: partner_copy, carries: [note], evidence: [s1], confidence: stated}]
interactions: {write: {name: Write a note, starts: {inbox: [note]}}}
deletions: {wipe: {name: Wipe the inbox, by: acme}}
"""


@pytest.fixture
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def run(*args: str):
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.output
    return result


def test_trace_prints_every_copy_with_its_status_word_and_a_summary(tiny):
    result = run("trace", "write", "--delete", "wipe", "-m", str(tiny))
    assert result.exit_code == 0
    assert result.stdout == textwrap.dedent("""\
        write: Write a note — wipe at 0d; status at 0d
        ┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
        ┃ copy              ┃ party   ┃ status     ┃ reason                                   ┃
        ┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
        │ inbox/note        │ acme    │ deleted    │ deleted by wipe at 0d                    │
        │                   │         │ (stated)   │                                          │
        │ partner_copy/note │ partner │ may remain │ kept for an unknown time: policy unknown │
        │                   │         │ (stated)   │                                          │
        └───────────────────┴─────────┴────────────┴──────────────────────────────────────────┘
        After wipe at 0d: 1 copy of 1 record may remain with 1 party (1 stated); 1 was deleted.
        """)


def test_trace_json_is_the_documented_shape_and_byte_identical_run_to_run(tiny):
    first = run("trace", "write", "-d", "wipe@3d", "-m", str(tiny), "--format", "json")
    second = run("trace", "write", "-d", "wipe@3d", "-m", str(tiny), "--format", "json")
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    model = tracer.load_model(tiny)
    assert json.loads(first.stdout) == tracer.trace(model, "write", ["wipe@3d"]).to_dict()
    assert list(json.loads(first.stdout)) == [
        "model",
        "interaction",
        "requests",
        "at",
        "copies",
        "parties",
    ]


def test_trace_draws_dot_and_mermaid_to_stdout(tiny):
    dot = run("trace", "write", "-m", str(tiny), "-f", "dot")
    mermaid = run("trace", "write", "-m", str(tiny), "-f", "mermaid")
    assert dot.stdout.startswith("digraph trace {")
    assert mermaid.stdout.startswith("flowchart LR\n")


def test_holders_shows_status_path_and_access(tiny):
    result = run("holders", "write", "note", "-m", str(tiny))
    assert result.exit_code == 0
    assert result.stdout == textwrap.dedent("""\
        note in write
        ┏━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━┓
        ┃ holder       ┃ party   ┃ status     ┃ path    ┃ access  ┃
        ┡━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━┩
        │ inbox        │ acme    │ held       │ (start) │ acme    │
        │              │         │ (stated)   │         │         │
        │ partner_copy │ partner │ may remain │ share   │ partner │
        │              │         │ (stated)   │         │         │
        └──────────────┴─────────┴────────────┴─────────┴─────────┘
        """)


def test_holders_of_an_unknown_record_names_a_close_one(tiny):
    result = run("holders", "write", "note2", "-m", str(tiny))
    assert result.exit_code == 1
    assert result.stderr == "error: unknown record 'note2'; did you mean 'note'? (known: note)\n"


def test_access_lists_per_party_what_it_can_still_reach(tiny):
    result = run("access", "write", "-d", "wipe", "-m", str(tiny))
    assert result.exit_code == 0
    assert result.stdout == textwrap.dedent("""\
        write: Write a note — wipe at 0d; status at 0d
        ┏━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
        ┃ party     ┃ held ┃ may remain        ┃
        ┡━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
        │ partner   │ -    │ partner_copy/note │
        │ (Partner) │      │                   │
        └───────────┴──────┴───────────────────┘
        After wipe at 0d: 1 copy of 1 record may remain with 1 party (1 stated); 1 was deleted.
        """)
    as_json = run("access", "write", "-d", "wipe", "-m", str(tiny), "-f", "json")
    assert json.loads(as_json.stdout) == {
        "partner": {"held": [], "may_remain": ["partner_copy/note"]}
    }


def test_list_shows_the_models_parts_and_json_matches_describe(tiny):
    table = run("list", "-m", str(tiny))
    assert table.exit_code == 0
    for title in ("Interactions", "Deletion requests", "Parties", "Holders"):
        assert title in table.stdout
    assert "Wipe the inbox" in table.stdout and "by acme" in table.stdout
    as_json = run("list", "-m", str(tiny), "-f", "json")
    assert json.loads(as_json.stdout) == tracer.describe(tracer.load_model(tiny))


def test_validate_reports_ok_with_counts(tiny):
    result = run("validate", str(tiny))
    assert result.exit_code == 0
    assert result.stdout == (
        f"ok: {tiny}: 2 holders, 1 flow, 0 derivations, 1 interaction, "
        "1 deletion request, 0 warnings\n"
    )


def test_validate_prints_each_problem_at_file_line_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("party: partner", "party: partnr").replace("[wipe]", "[wip]"))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: 2 problems in the model\n"
        f"{bad}:10: holders.inbox.keeps.note.deleted_by[0]: unknown deletion request 'wip'; did you mean 'wipe'?\n"
        f"{bad}:13: holders.partner_copy.party: unknown party 'partnr'; did you mean 'partner'?\n"
    )


def test_validate_prints_warnings_and_strict_turns_them_into_failure(tmp_path):
    warned = tmp_path / "warned.yaml"
    warned.write_text(TINY.replace("deletions: {", "deletions: {never: {name: Never used}, "))
    result = run("validate", str(warned))
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {warned}:17: deletions.never: no retention rule mentions "
        "deletion request 'never': it deletes nothing\n"
    )
    assert run("validate", "--strict", str(warned)).exit_code == 1


def test_the_shipped_model_validates_without_warnings():
    result = run("validate")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("ok: ") and result.stdout.endswith(" 0 warnings\n")


def test_render_writes_the_format_its_suffix_names(tiny, tmp_path):
    result = run("render", "write", "-d", "wipe", "-m", str(tiny), "-o", str(tmp_path / "w.mmd"))
    assert result.exit_code == 0
    assert result.stdout == f"wrote {tmp_path / 'w.mmd'}\n"
    assert (tmp_path / "w.mmd").read_text().startswith("flowchart LR\n")
    assert run("render", "-m", str(tiny), "-o", str(tmp_path / "eco.dot")).exit_code == 0
    assert (tmp_path / "eco.dot").read_text().startswith("digraph ecosystem {")


def test_render_refuses_an_unknown_suffix_and_an_unwritable_place(tiny, tmp_path):
    result = run("render", "-m", str(tiny), "-o", str(tmp_path / "w.gif"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: cannot draw {tmp_path / 'w.gif'}: use one of .svg, .png, .pdf, .dot, .mmd\n"
    )
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("render", "-m", str(tiny), "-o", str(blocker / "w.mmd"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {blocker / 'w.mmd'}: ")


def test_render_never_overwrites_the_model_it_draws(tmp_path):
    model = tmp_path / "model.dot"
    model.write_text(TINY)
    result = run("render", "-m", str(model), "-o", str(model))
    assert result.exit_code == 1
    assert result.stderr == f"error: refusing to overwrite the model file {model} with {model}\n"
    assert model.read_text() == TINY


def test_demo_writes_traces_and_diagrams_for_every_shipped_interaction(tmp_path):
    result = run("demo", "-o", str(tmp_path / "demo"))
    assert result.exit_code == 0
    model = tracer.load_model()
    for interaction in model.interactions:
        data = json.loads((tmp_path / "demo" / "traces" / f"{interaction}.json").read_text())
        assert data["requests"] == [{"id": "delete-recording", "at": "0d"}]
        assert (tmp_path / "demo" / "diagrams" / f"{interaction}.mmd").exists()
    report = (tmp_path / "demo" / "report.html").read_text()
    for purchase in (
        "dominos-order",
        "uber-ride",
        "lyft-ride",
        "music-unlimited",
        "fresh-order",
        "in-skill-purchase",
    ):
        assert f'<section id="interaction-{purchase}">' in report
    assert '<section id="interaction-weather">' not in report
    assert result.stdout.splitlines()[-1].startswith(
        "Amazon Alexa (2019), dominos-order: After delete-recording"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["trace", "dominos-ordr"],
            "error: unknown interaction 'dominos-ordr'; did you mean 'dominos-order'?",
        ),
        (["trace", "weather", "-d", "delete-recording@soon"], "error: 'soon' is not a duration"),
        (
            ["trace", "weather", "-m", SHIPPED_2025, "-d", "auto-delete-3mo@1d"],
            "error: 'auto-delete-3mo' is scheduled",
        ),
        (
            ["trace", "weather", "-m", "/nonexistent.yaml"],
            "error: no model file at /nonexistent.yaml\n",
        ),
    ],
)
def test_user_errors_print_one_clear_message_and_exit_1(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args", [["trace"], ["trace", "weather", "--format", "gif"], ["nope"], ["trace", "--bogus"]]
)
def test_bad_usage_exits_2(args):
    assert run(*args).exit_code == 2


def test_version():
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"tracer {tracer.__version__}\n")


COMMANDS = [
    "validate",
    "list",
    "trace",
    "holders",
    "access",
    "render",
    "report",
    "demo",
    "ledger",
    "serve",
    "check",
    "diff",
    "import",
    "export",
    "history",
    "skills",
]


def test_every_command_has_help_with_an_example_and_is_in_the_guide():
    readme = (Path(__file__).parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    registered = sorted(typer.main.get_command(app).commands)
    assert registered == sorted(COMMANDS)
    for command in COMMANDS:
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example: tracer " + command in result.stdout.replace("\n", " ")
        assert f"`tracer {command}" in readme, command


def test_render_focus_draws_one_partys_neighbourhood(tmp_path):
    result = run("render", "--focus", "dominos", "-o", str(tmp_path / "d.mmd"))
    assert result.exit_code == 0
    text = (tmp_path / "d.mmd").read_text()
    assert "Domino's order backend" in text
    assert "Voice History" not in text
    wrong = run("render", "dominos-order", "--focus", "dominos", "-o", str(tmp_path / "x.mmd"))
    assert (wrong.exit_code, wrong.stderr) == (
        1,
        "error: --focus draws part of the ecosystem: give no interaction with it\n",
    )
    assert run("render", "--collapse", "bogus", "-o", str(tmp_path / "y.mmd")).exit_code == 2


def test_report_writes_html_or_markdown_and_refuses_other_suffixes(tmp_path):
    result = run(
        "report",
        "dominos-order",
        "uber-ride",
        "-d",
        "delete-recording",
        "-o",
        str(tmp_path / "r.md"),
    )
    assert (result.exit_code, result.stdout) == (0, f"wrote {tmp_path / 'r.md'}\n")
    assert "## Alexa, ask Uber for a ride (uber-ride)" in (tmp_path / "r.md").read_text()
    bad = run("report", "weather", "-o", str(tmp_path / "r.txt"))
    assert (bad.exit_code, bad.stderr) == (
        1,
        f"error: cannot write a report to {tmp_path / 'r.txt'}: use .html or .md\n",
    )
    assert run("report", "-o", str(tmp_path / "r.md")).exit_code == 2


def test_holders_of_a_record_the_interaction_never_creates(tiny, tmp_path):
    model = tmp_path / "two.yaml"
    model.write_text(
        TINY.replace(
            "records: {note: {name: Note}}", "records: {note: {name: Note}, other: {name: Other}}"
        )
    )
    result = run("holders", "write", "other", "-m", str(model))
    assert (result.exit_code, result.stdout) == (0, "write creates no copy of other.\n")


def test_demo_without_graphviz_still_writes_mermaid_dot_json_and_the_report(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = run("demo", "-o", str(tmp_path / "demo"))
    assert result.exit_code == 0
    assert result.stderr == (
        "Graphviz's dot is not installed: diagrams written as .mmd and .dot only "
        "(apt-get install graphviz for .svg)\n"
    )
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == [
        "diagrams",
        "ecosystem.dot",
        "ecosystem.mmd",
        "ledger",
        "ledger-summary.md",
        "report.html",
        "traces",
    ]
    assert "so this report has no diagrams" in (tmp_path / "demo" / "report.html").read_text()


def _odd(tmp_path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_emoji_codes_and_markup_in_ids_names_and_paths_print_as_written(tmp_path):
    folder = tmp_path / "x:100:"
    folder.mkdir()
    text = (
        TINY.replace("partner_copy", "p:100:x")
        .replace("name: Partner}", 'name: "Partner :1234: [bold]co[/bold]"}')
        .replace("deletions: {", "deletions: {never: {name: Never}, ")
    )
    path = _odd(folder, text)
    checked = run("validate", str(path))
    assert checked.stdout.startswith(f"ok: {path}: ")
    assert f"warning: {path}:17: deletions.never: " in checked.stderr
    trace = run("trace", "write", "-m", str(path))
    assert "p:100:x/note" in trace.stdout
    listed = run("list", "-m", str(path))
    assert "Partner :1234: [bold]co[/bold]" in listed.stdout
    wrote = run("render", "-m", str(path), "-o", str(folder / "e.mmd"))
    assert wrote.stdout == f"wrote {folder / 'e.mmd'}\n"
    missing = run("trace", "write", "-m", str(folder / "none:100:.yaml"))
    assert missing.stderr == f"error: no model file at {folder / 'none:100:.yaml'}\n"


@pytest.mark.parametrize(
    "command", [["list"], ["trace", "write"], ["holders", "write", "note"], ["access", "write"]]
)
def test_control_characters_and_lone_surrogates_never_reach_the_terminal(tmp_path, command):
    model = {
        "format": "tracer/1",
        "name": "Odd\x1b[31m",
        "sources": {"s1": {"title": "A source"}},
        "parties": {"acme": {"name": "Ac\ud800me\x9b2J"}, "partner": {"name": "Part\x07ner"}},
        "records": {"note": {"name": "No\rte"}},
        "holders": {
            "inbox": {
                "name": "In\x1b]0;title\x07box",
                "party": "acme",
                "keeps": {"note": {"for": "unknown", "evidence": ["s1"], "note": "why\x1b[2J"}},
            },
        },
        "flows": [],
        "interactions": {"write": {"name": "Write\ud800", "starts": {"inbox": ["note"]}}},
        "deletions": {},
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(model), encoding="utf-8")  # \ud800 written as its JSON escape
    for extra in ([], ["-f", "json"]):
        result = run(*command, "-m", str(path), *extra)
        assert result.exit_code in (0, 1)  # 1 once loading rejects such names
        assert result.exception is None or isinstance(result.exception, SystemExit)
        shown = result.stdout + result.stderr
        assert "internal error" not in shown
        for raw in ("\x1b", "\x9b", "\x07", "\ud800", "\r"):
            assert raw not in shown


def test_validate_strict_with_a_warning_fails_and_says_so(tmp_path):
    warned = _odd(tmp_path, TINY.replace("deletions: {", "deletions: {never: {name: Never}, "))
    result = run("validate", "--strict", str(warned))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith(f"failed: {warned}: 1 warning (--strict)\n")


def test_validate_groups_many_warnings_by_rule_and_verbose_shows_them_all(tmp_path):
    sources = ", ".join(
        f'u{i}: {{title: Unused {i}, date: 2024-01-01, url: "https://example.com/u{i}"}}'
        for i in range(5)
    )
    many = _odd(tmp_path, TINY.replace("sources: {", f"sources: {{{sources}, "))
    result = run("validate", str(many))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 4
    assert lines[:3] == [
        f"warning: {many}:3: sources.u0: no rule cites source 'u0'",
        f"warning: {many}:3: sources.u1: no rule cites source 'u1'",
        f"warning: {many}:3: sources.u2: no rule cites source 'u2'",
    ]
    assert lines[3] == (
        "warning: ... and 2 more like this (rule uncited-source: 5 warnings; "
        "--verbose prints them all)"
    )
    assert result.stdout.endswith(", 5 warnings\n")
    assert len(run("validate", "--verbose", str(many)).stderr.splitlines()) == 5


def test_validate_json_is_one_object_for_ci(tmp_path, tiny):
    warned = _odd(tmp_path, TINY.replace("deletions: {", "deletions: {never: {name: Never}, "))
    result = run("validate", "--format", "json", str(warned))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "file": str(warned),
        "ok": True,
        "errors": [],
        "warnings": [
            {
                "file": str(warned),
                "line": 17,
                "field": "deletions.never",
                "message": "no retention rule mentions deletion request 'never': it deletes "
                "nothing",
                "rule": "unused-request",
            }
        ],
        "counts": {"holders": 2, "flows": 1, "derivations": 0, "interactions": 1, "deletions": 2},
    }
    strict = run("validate", "--format", "json", "--strict", str(warned))
    assert (strict.exit_code, json.loads(strict.stdout)["ok"]) == (1, False)
    bad = _odd(tmp_path, TINY.replace("party: partner", "party: partnr"), "bad.yaml")
    failed = run("validate", "-f", "json", str(bad))
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["errors"] == [
        {
            "file": str(bad),
            "line": 13,
            "field": "holders.partner_copy.party",
            "message": "unknown party 'partnr'; did you mean 'partner'?",
        }
    ]


def test_a_dash_reads_the_model_from_stdin():
    result = CliRunner().invoke(app, ["validate", "-"], input=TINY, env=ENV)
    assert (result.exit_code, result.stdout) == (
        0,
        "ok: <stdin>: 2 holders, 1 flow, 0 derivations, 1 interaction, 1 deletion request, "
        "0 warnings\n",
    )
    traced = CliRunner().invoke(
        app, ["trace", "write", "-m", "-", "-f", "json"], input=TINY, env=ENV
    )
    assert json.loads(traced.stdout)["model"] == "Tiny"
    bad = CliRunner().invoke(app, ["list", "-m", "-"], input="format: tracer/1\nname: [", env=ENV)
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: 1 problem in the model\n<stdin>:")


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["render", "-o", "-", "--format", "dot"], b"digraph ecosystem {"),
        (["render", "weather", "-o", "-", "-f", "mmd"], b"flowchart LR\n"),
        (["render", "weather", "-o", "-", "-f", "svg"], b"<?xml"),
        (["report", "weather", "-o", "-", "--format", "md"], b"# Where the records went"),
        (["report", "weather", "-o", "-", "--format", "html"], b"<!DOCTYPE html>"),
    ],
)
def test_a_dash_writes_the_output_to_stdout(args, start):
    if "svg" in args:
        need("dot")
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(start)
    assert b"wrote" not in result.stdout_bytes


def test_stdout_needs_a_format_and_a_files_suffix_must_agree_with_one(tmp_path):
    assert run("render", "-o", "-").exit_code == 2
    assert run("report", "weather", "-o", "-").exit_code == 2
    clash = run("render", "-o", str(tmp_path / "x.svg"), "-f", "dot")
    assert clash.exit_code == 2 and not (tmp_path / "x.svg").exists()


def test_python_dash_m_tracer_runs_the_command_line():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tracer", "--version"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, f"tracer {tracer.__version__}\n")


def test_the_shell_completes_interaction_and_request_ids(tiny):
    from tracer.cli.common import complete_interaction, complete_request

    command = typer.main.get_command(app)
    shipped = typer.Context(command)
    assert complete_interaction(shipped, "dominos") == ["dominos-order"]
    assert complete_request(shipped, "delete-rec") == ["delete-recording"]
    own = typer.Context(command)
    own.params["model"] = tiny
    assert (complete_interaction(own, ""), complete_request(own, "w")) == (["write"], ["wipe"])
    broken = typer.Context(command)
    broken.params["model"] = tiny.with_name("missing.yaml")
    assert complete_interaction(broken, "") == []


def test_a_pdf_is_the_same_bytes_run_to_run(tmp_path, monkeypatch):
    need("dot")
    first = run("render", "weather", "-o", str(tmp_path / "a.pdf"))
    import time

    time.sleep(1.1)  # a creation date in seconds would now differ
    second = run("render", "weather", "-o", str(tmp_path / "b.pdf"))
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert b"/CreationDate (D:19700101000000" in (tmp_path / "a.pdf").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = tracer.render.diagram(tracer.load_model(), "pdf", "weather")
    assert b"/CreationDate (D:20231114221320" in dated


def test_at_80_columns_ids_wrap_at_separators_and_the_reason_stays_readable(tmp_path):
    long_id = TINY.replace("partner_copy", "partner_copy_of_the_inbox_kept_by_the_analytics_team")
    path = _odd(tmp_path, long_id)
    result = CliRunner().invoke(
        app, ["trace", "write", "-m", str(path)], env={**ENV, "COLUMNS": "80"}
    )
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    copy_cells = [row.split("│")[1].strip() for row in rows if row.split("│")[1].strip()]
    assert copy_cells == [
        "inbox/note",
        "partner_copy_of_the_",
        "inbox_kept_by_the_",
        "analytics_team/note",
    ]
    for cell in copy_cells[1:-1]:
        assert cell.endswith(("_", "/")), cell  # broken after a separator, never mid-word
    reasons = " ".join(row.split("│")[4].strip() for row in rows)
    assert "kept for an unknown time: policy unknown" in reasons
    assert max(len(row) for row in rows) <= 80


def test_list_shows_every_record_with_its_categories_in_the_table_and_in_json(tiny):
    table = run("list", "-m", str(tiny))
    assert "Records\n" in table.stdout
    records = table.stdout[table.stdout.index("Records\n") :].split("Parties\n")[0]
    assert "│ note │ Note │" in records
    shipped = json.loads(run("list", "-f", "json").stdout)
    assert shipped["records"]["voice_recording"] == {
        "name": "Voice recording",
        "categories": ["user.biometrics.voice"],
    }
    assert list(shipped) == [
        "model",
        "date",
        "interactions",
        "deletions",
        "records",
        "parties",
        "holders",
    ]


@pytest.mark.parametrize("width", ["80", "100"])
def test_a_partys_name_wraps_at_spaces_and_never_leaves_a_word_alone(width):
    result = CliRunner().invoke(
        app,
        ["access", "dominos-order", "--delete", "delete-recording"],
        env={**ENV, "COLUMNS": width},
    )
    rows = [line for line in result.stdout.splitlines() if line[:1] == "│"]
    column = len(rows[0].split("│")[1]) - 2  # the party column, less its padding
    cells = [row.split("│")[1].strip() for row in rows]
    start = cells.index("ad_partners") + 1
    end = cells.index("amazon")
    name = cells[start:end]
    assert " ".join(name) == "(Advertising partners that sync cookies with Amazon)"
    for line, following in zip(name, name[1:], strict=False):
        # a line is broken only where the next word would not fit on it
        assert len(line) + 1 + len(following.split()[0]) > column, (name, column)
