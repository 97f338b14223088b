"""Every `--help` reads as written: sentences break only where the line is full, names are
never cut or shortened, and usage lines name arguments in one style, at 80 and 100 columns."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from tracer.cli import app

WIDTHS = (80, 100)


def _commands(group=None, prefix=()) -> list[tuple[str, ...]]:
    """Every command line that has a help page: the app, each group and each command."""
    group = group or typer.main.get_command(app)
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands()


def helps(width: int, words: tuple[str, ...]) -> str:
    env = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*words, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def _panel_rows(text: str, title: str) -> tuple[int, list[tuple[str, str]]]:
    """A help panel's (`Commands`, `Options`...) text column's start, and each line's
    (first column, text column)."""
    lines = text[text.index(f"╭─ {title} ") :].splitlines()[1:]
    lines = lines[: next(i for i, line in enumerate(lines) if line.startswith("╰"))]
    first = lines[0]
    start = re.search(r"\S\s{2,}(?=\S)", first).end()
    return start, [(line[1:start].strip(), line[start:].strip("│ ")) for line in lines]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_command_list_breaks_a_description_only_where_its_line_is_full(width):
    for words in [(), ("ledger",), ("import",)]:
        start, rows = _panel_rows(helps(width, words), "Commands")
        room = width - 2 - start  # the text column: up to the border and its pad
        for (_, first), (next_head, second) in zip(rows, rows[1:], strict=False):
            if next_head:  # the next line starts another command
                continue
            fits = len(first) + 1 + len(second.split()[0]) <= room
            assert not fits, f"{words} at {width}: {first!r} broken before {second!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_help_text_is_cut_short_or_folded_inside_a_word(width):
    for words in COMMANDS:
        text = helps(width, words)
        assert "…" not in text, (words, width)
        assert max(len(line) for line in text.splitlines()) <= width
    export = helps(width, ("export",))
    for name in ("fides", "prov", "graphml", "node-link", "schema"):
        assert re.search(rf"(?<![\w-]){name}(?![\w-])", export), (name, width)


def test_usage_lines_name_every_argument_in_capitals():
    for words in COMMANDS:
        usage = next(line for line in helps(100, words).splitlines() if "Usage:" in line)
        arguments = usage.split("[OPTIONS]", 1)[1].split()
        for argument in arguments:
            assert (
                argument == "COMMAND"
                or argument == "[ARGS]..."
                or re.fullmatch(r"\{[A-Z_]+(\.\.\.)?\}|\[[A-Z_]+\](\.\.\.)?", argument)
            ), (words, usage)
