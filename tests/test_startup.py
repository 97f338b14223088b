"""Start-up: a command on the shipped model imports only what it runs, and prints exactly what the
whole application prints.

Start-up is most of what a command on the shipped model takes (docs/performance.md), so these
check what is imported, not how long it takes: the time is measured by benchmarks/bench.py.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tracer.cli import COMMANDS, GROUPS, app, groups_for

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

# what a command that traces one interaction never needs
NOT_FOR_TRACING = (
    "tracer.claims",
    "tracer.model.lint",
    "tracer.diff",
    "tracer.interop",
    "tracer.ledger",
    "tracer.web",
    "tracer.render",
    "jinja2",
    "graphviz",
    "duckdb",
    "networkx",
    "uvicorn",
    "starlette",
)


@pytest.fixture(scope="module", autouse=True)
def cache_env(tmp_path_factory) -> dict[str, str]:
    """The environment of every process below: its own parsed-model cache, holding the shipped
    model as after a first command (a model parsed afresh also checks its claims, whatever the
    command); no other test can make it unsafe to read."""
    env = {**os.environ, **ENV, "TRACER_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    env.pop("TRACER_NO_CACHE", None)
    warm = "import tracer; tracer.load_model()"
    subprocess.run([sys.executable, "-c", warm], env=env, check=True)
    CACHE_ENV.update(env)
    return env


CACHE_ENV: dict[str, str] = {}


def _run_main(
    *args: str, modules: tuple[str, ...] = (), report: str | None = None
) -> subprocess.CompletedProcess:
    """``tracer ARGS`` as the console script runs it, in a fresh process; then prints on stderr
    the value of the expression ``report`` (if given) and, on its last line, which of ``modules``
    (and which tracer.cli command modules) were imported."""
    probe = (
        "import gc, sys\n"
        f"sys.argv = ['tracer', *{list(args)!r}]\n"
        "from tracer.cli import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        + (f"    print({report}, file=sys.stderr)\n" if report else "")
        + f"    wanted = {list(modules)!r} + ['tracer.cli.' + g for g in {list(GROUPS)!r}]\n"
        "    print(' '.join(m for m in wanted if m in sys.modules), file=sys.stderr)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=CACHE_ENV
    )


def _imported(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.splitlines()[-1].split()


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "dominos-order", "-d", "delete-recording"),
        ("access", "dominos-order", "-d", "delete-recording"),
        ("holders", "dominos-order", "transcript"),
        ("trace", "dominos-order", "--format", "json"),
    ],
)
def test_tracing_the_shipped_model_imports_nothing_for_claims_drawing_reports_or_ledgers(args):
    result = _run_main(*args, modules=NOT_FOR_TRACING)
    assert (result.returncode, _imported(result)) == (0, ["tracer.cli.trace"])


def test_a_model_from_the_cache_needs_no_yaml_reader():
    result = _run_main("trace", "dominos-order", modules=("yaml", "tracer.model.yamldata"))
    assert (result.returncode, _imported(result)) == (0, ["tracer.cli.trace"])


def test_tracing_a_model_parsed_afresh_imports_the_claims_checks_but_nothing_for_drawing():
    result = _run_main("--no-cache", "trace", "dominos-order", modules=NOT_FOR_TRACING)
    assert (result.returncode, _imported(result)) == (
        0,
        ["tracer.claims", "tracer.model.lint", "tracer.cli.trace"],
    )


def test_listing_imports_only_the_model_commands():
    result = _run_main("list", modules=NOT_FOR_TRACING)
    assert (result.returncode, _imported(result)) == (0, ["tracer.cli.model"])


def test_validating_imports_the_claims_checks_and_lint_but_nothing_for_drawing_or_ledgers():
    result = _run_main("validate", modules=NOT_FOR_TRACING)
    # validate parses afresh (its warnings need the file's lines), which checks the claims, and
    # lints; its derivation-cycle rule no longer imports networkx (tests/test_lint_cycles.py)
    assert (result.returncode, _imported(result)) == (
        0,
        ["tracer.claims", "tracer.model.lint", "tracer.cli.model"],
    )


def test_the_version_imports_no_command_no_model_no_rich_and_not_even_typer():
    result = _run_main("--version", modules=("tracer.model", "yaml", "rich", "typer"))
    assert (result.returncode, result.stdout, _imported(result)) == (0, "tracer 0.1.0\n", [])


def test_the_version_with_other_arguments_is_still_typers_to_parse():
    result = _run_main("--version", "--no-such-option", modules=("typer",))
    assert (result.returncode, _imported(result)) == (2, ["typer"])
    assert "No such option: --no-such-option" in result.stderr


# what typer 0.29 built for every parameter of a command, given or not (pyproject.toml pins
# typer below it): a pydantic TypeAdapter each, the first importing pydantic's plugin loader and
# importlib.metadata
TYPE_ADAPTERS = ("typer._adapters", "pydantic.type_adapter", "pydantic.plugin._loader")


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "dominos-order", "-d", "delete-recording"),
        ("access", "dominos-order", "-d", "delete-recording"),
        ("holders", "dominos-order", "transcript"),
        ("list",),
    ],
)
def test_a_command_on_the_cached_model_builds_no_type_adapter_and_reads_no_package_metadata(args):
    result = _run_main(*args, modules=(*TYPE_ADAPTERS, "importlib.metadata"))
    assert (result.returncode, _imported(result)) == (0, [f"tracer.cli.{COMMANDS[args[0]]}"])


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "dominos-order", "-d", "delete-recording", "--format", "json"),
        ("trace", "dominos-order", "--format", "mermaid"),
        ("access", "dominos-order", "-f", "json"),
        ("holders", "dominos-order", "transcript", "-f", "json"),
        ("list", "-f", "json"),
        ("validate",),  # "ok: ...", plain text
    ],
)
def test_a_command_that_prints_plain_text_imports_no_rich(args):
    result = _run_main(*args, modules=("rich",))
    assert (result.returncode, _imported(result)) == (0, [f"tracer.cli.{COMMANDS[args[0]]}"])


def test_a_command_that_draws_a_table_still_draws_it_with_rich():
    result = _run_main("trace", "dominos-order", modules=("rich.table",))
    assert (result.returncode, _imported(result)) == (0, ["rich.table", "tracer.cli.trace"])
    assert "│ copy" in result.stdout or "┃ copy" in result.stdout


def test_checking_claims_imports_claims_but_not_diff_or_drawing():
    result = _run_main("check", modules=NOT_FOR_TRACING)
    assert (result.returncode, _imported(result)) == (
        0,
        ["tracer.claims", "tracer.model.lint", "tracer.cli.analyses"],
    )


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "dominos-order", "-d", "delete-recording"),
        ("holders", "dominos-order", "transcript", "-f", "json"),
        ("list",),
        ("validate",),
        ("--version",),
        ("--help",),
        ("trace", "--help"),
        ("ledger", "--help"),
        ("import", "--help"),
        ("tarce", "dominos-order"),  # a misspelt command: the usage error lists every command
        ("trace",),  # a missing argument: exit 2
        ("--no-cache", "access", "dominos-order", "--at", "3mo"),
    ],
)
def test_the_console_script_prints_exactly_what_the_whole_application_prints(args):
    whole = CliRunner().invoke(app, list(args), env=ENV, prog_name="tracer")
    alone = _run_main(*args)
    assert (alone.returncode, alone.stdout) == (whole.exit_code, whole.stdout)
    assert alone.stderr.splitlines()[:-1] == whole.stderr.splitlines()


MESSAGES = [
    "",
    "ok: tracer/graphs/alexa.yaml: 16 holders",
    "wrote demo/traces/dominos-order.json",
    "trailing spaces   ",
    "  indented",
    "wide 漢字 and é\u0301 " * 12,  # longer than any terminal: printed on one line, unwrapped
    "[bold]not markup[/bold] :smile: http://example.com 42 True None",
    "two\nlines\r\nand a bare\rreturn",
    "control \x1b[31m characters \x07 and \x9b",
    "a\ttab",  # rich expands tabs: such a message still goes through rich
]


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("message", MESSAGES)
def test_a_plain_message_prints_exactly_what_rich_prints_for_it(message, terminal, monkeypatch):
    import io

    from rich.console import Console
    from rich.text import Text

    from tracer.cli.common import _say
    from tracer.model.text import printable

    expected = io.StringIO()
    Console(
        file=expected,
        force_terminal=terminal,
        width=80,
        highlight=False,
        emoji=False,
        markup=False,
    ).print(Text(printable(message)), soft_wrap=True)
    for stderr in (False, True):
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setenv("COLUMNS", "80")
        if terminal:
            monkeypatch.setenv("FORCE_COLOR", "1")
        _say("", message, stderr=stderr)  # parts are joined
        monkeypatch.undo()
        assert ((err if stderr else out).getvalue(), (out if stderr else err).getvalue()) == (
            expected.getvalue(),
            "",
        )


def test_every_command_is_found_in_the_module_that_registers_it():
    registered = {
        info.name or info.callback.__name__.replace("_", "-"): info.callback.__module__
        for info in app.registered_commands
    }
    for group in app.registered_groups:
        (module,) = {info.callback.__module__ for info in group.typer_instance.registered_commands}
        registered[group.name] = module
    assert registered == {name: f"tracer.cli.{module}" for name, module in COMMANDS.items()}
    assert sorted(set(COMMANDS.values())) == sorted(GROUPS)


def test_a_command_line_needs_only_its_commands_module():
    assert groups_for(["trace", "dominos-order"]) == ("trace",)
    assert groups_for(["--no-cache", "ledger", "build"]) == ("ledger",)
    assert groups_for(["--version"]) == ()
    # nothing named, a global option first, or an unknown command: every module, so typer can
    # list them all
    for args in ([], ["--help"], ["-h"], ["--install-completion"], ["tarce"]):
        assert groups_for(args) == GROUPS


def test_the_package_attribute_app_stays_the_application_after_its_submodule_is_imported():
    import tracer.cli.app  # noqa: F401  (importing a submodule sets the package's attribute)

    assert tracer.cli.app is app
    assert type(app).__name__ == "Typer"


def test_tracing_builds_no_validator_of_the_model():
    # a model from the cache is never validated: tracing must not build a pydantic validator
    # (the parts defer them), which would also import importlib.metadata for pydantic's plugins
    probe = (
        "import sys, tracer\n"
        "model = tracer.load_model()\n"
        "tracer.summary(tracer.trace(model, 'dominos-order', ['delete-recording']))\n"
        "tracer.holders_of(model, 'dominos-order', 'transcript', ())\n"
        "tracer.describe(model)\n"
        "print(' '.join(m for m in ('pydantic.plugin._loader', 'importlib.metadata')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=CACHE_ENV
    )
    assert (result.returncode, result.stdout) == (0, "\n")


def test_the_console_script_puts_the_loaded_model_out_of_the_collectors_reach():
    # a one-shot command freezes what it loaded (tracer.cache.freeze_loaded); the application
    # run inside another process (CliRunner, an embedding program) leaves the collector alone
    result = _run_main("holders", "dominos-order", "transcript", report="gc.get_freeze_count() > 0")
    assert (result.returncode, result.stderr.splitlines()[-2]) == (0, "True")


def test_the_application_run_in_process_freezes_nothing():
    import gc

    before = gc.get_freeze_count()
    assert CliRunner().invoke(app, ["list"]).exit_code == 0
    assert gc.get_freeze_count() == before
