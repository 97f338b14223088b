"""The command reference of the manual, generated from the typer application itself, so the
page cannot say what the program does not do (the documentation site's ``commands.md``).

Each command becomes a section: its usage line, its help text (an ``Example:`` line as a console
block), and a table of its arguments and options with their values, defaults and help, in the
order ``--help`` shows them. Sections follow the order of ``tracer --help``, groups in place.

>>> from tracer.cli import app
>>> text = cli_reference(app)
>>> "## tracer trace" in text and "| `--delete`, `-d` |" in text
True
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["cli_reference"]


def cli_reference(app: Any) -> str:
    """The Markdown reference of every command of ``app`` (a typer application)."""
    import typer.main

    root = typer.main.get_command(app)
    lines = [
        "# Commands",
        "",
        "Generated from the program itself (`tracer/cli/reference.py`) each time the site is",
        "built, so it always matches `tracer COMMAND --help`.",
        "",
    ]
    for path, command in _commands(root, ("tracer",)):
        lines += _section(path, command)
    return "\n".join(lines).rstrip() + "\n"


def _commands(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)] if len(path) > 1 else []
    if hasattr(command, "commands"):
        context = command.context_class(command, info_name=" ".join(path))
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                found += _commands(sub, (*path, name))
    return found


def _section(path: tuple[str, ...], command: Any) -> list[str]:
    name = " ".join(path)
    context = command.context_class(command, info_name=name)
    usage = " ".join([name, *command.collect_usage_pieces(context)])
    lines = [f"{'#' * min(len(path), 3)} {name}", "", f"```text\n{usage}\n```", ""]
    text, examples = _help(command.help or "")
    if text:
        lines += [text, ""]
    for example in examples:
        lines += ["```console", f"$ {example}", "```", ""]
    rows = [_row(param, context) for param in command.get_params(context)]
    rows = [row for row in rows if row is not None]
    if rows:
        lines += ["| argument or option | value | default | what it does |", "|---|---|---|---|"]
        lines += rows
        lines.append("")
    return lines


def _help(text: str) -> tuple[str, list[str]]:
    """A command's help paragraphs, each joined into one line, and apart from them its
    ``Example:`` paragraphs (an example may wrap onto the next lines)."""
    text = text.split("\f")[0]  # click's marker: what follows is for code readers only
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    examples = [p.removeprefix("Example:").strip() for p in paragraphs if p.startswith("Example:")]
    body = [p for p in paragraphs if not p.startswith("Example:")]
    return "\n\n".join(body), examples


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(param: Any, context: Any) -> str | None:
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        names = f"`{param.human_readable_name}`"
        value = param.make_metavar(context) if _takes_context(param) else param.make_metavar()
        default = ""
        what = getattr(param, "help", "") or ""
        if param.required:
            what = f"{what} (required)".strip()
    else:
        names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
        choices = getattr(param.type, "choices", None)
        if param.is_flag:
            value = ""
        elif choices:
            value = "|".join(str(getattr(c, "value", c)) for c in choices)
        else:
            value = param.metavar or param.type.name.upper()
        shown = param.default not in (None, False, (), []) and param.show_default is not False
        default = f"`{getattr(param.default, 'value', param.default)}`" if shown else ""
        what = param.help or ""
        if param.multiple:
            what = what if "Repeatable" in what else f"{what} Repeatable.".strip()
    return f"| {names} | {_cell(value)} | {default} | {_cell(what)} |"


def _takes_context(param: Any) -> bool:
    import inspect

    return "ctx" in inspect.signature(param.make_metavar).parameters
