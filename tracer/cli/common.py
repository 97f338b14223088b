"""What every command shares: consoles, options, the error handling, status styles.

A user error (bad model, unknown id, unwritable output) prints one clear message and exits 1;
bad usage exits 2; nothing ever prints a traceback.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

import tracer
from tracer.errors import MissingModelError, ModelError, TracerError, UnknownIdError
from tracer.model.text import printable

if TYPE_CHECKING:  # rich is imported where a table or a styled message is drawn (start-up)
    from rich.console import Console
    from rich.text import Text


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # made per use, so COLUMNS and NO_COLOR are read when the command runs; emoji off, or
    # "file.yaml:100:" prints as a picture; markup off: model text is never read as markup
    return Console(stderr=stderr, highlight=False, emoji=False, markup=False)


def _text(value: object, style: str = "") -> Text:
    """Model text for the terminal: no control character or escape sequence gets through."""
    from rich.text import Text

    return Text(printable(value), style=style)


def _say(*parts: object, stderr: bool = False, style: str = "") -> None:
    """One message, its parts joined: a ``(text, style)`` pair is styled, anything else plain."""
    if not style and not any(isinstance(part, tuple) for part in parts):
        plain = "".join(printable(part) for part in parts)
        # what rich prints for unstyled text, without importing rich (start-up): the text and a
        # line break; rich expands tabs by display width, so a tab still goes through rich
        if "\t" not in plain:
            stream = sys.stderr if stderr else sys.stdout
            stream.write(plain + "\n")
            stream.flush()  # as rich does: stdout and stderr keep their order in one file
            return
    from rich.text import Text

    line = Text(style=style)
    for part in parts:
        text, part_style = part if isinstance(part, tuple) else (part, "")
        line.append(_text(text, part_style))
    _console(stderr=stderr).print(line, soft_wrap=True)


def _say_wrapped(text: str, *, indent: int = 0, stderr: bool = False, style: str = "") -> None:
    """Prose, wrapped at spaces to the terminal's width, each line after the first indented by
    ``indent`` spaces (under the text after a label such as ``  says: ``); a word longer than a
    line (a path, a URL) stays whole.

    The width is rich's: COLUMNS, else the terminal's, else 80 when not a terminal.
    """
    import shutil
    import textwrap

    width = shutil.get_terminal_size((80, 24)).columns
    lines = textwrap.wrap(
        printable(text),
        width=max(width, indent + 20),
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in lines or [""]:
        _say(line, stderr=stderr, style=style)


# Set by the console script (tracer.cli.main), whose process answers one command and exits; not
# when the application is run in another process (tests' CliRunner, an embedding program).
ONE_SHOT = False

# the one palette of every diagram, the explorer and the report (tracer.render.style, not
# imported here: a command starts without the drawing code), as chips: colour-blind-safe, at WCAG
# AA contrast, and always with the word itself (tests/test_render_legend.py keeps them equal)
STATUS_STYLE = {
    "held": "bold #FFFFFF on #9A3A00",
    "may_remain": "bold #000000 on #E69F00",
    "deleted": "#000000 on #93D0F2",
    "expired": "#000000 on #E0E0E0",
    "transient": "#000000 on #FFFFFF",
}


class TraceFormat(str, Enum):
    table = "table"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


class Collapse(str, Enum):
    auto = "auto"
    none = "none"
    party = "party"
    role = "role"


class DataFormat(str, Enum):
    table = "table"
    json = "json"


class QueryFormat(str, Enum):
    """The formats of a query's rows (the ledger's and the skills')."""

    table = "table"
    json = "json"
    csv = "csv"


QueryFormatOption = Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")]


def _print_csv(header: list[str], rows: list[list[object]]) -> None:
    """``rows`` under ``header`` as CSV on stdout."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.write(buffer.getvalue())


QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print no `wrote` lines, only errors.")
]
MkdirOption = Annotated[
    bool, typer.Option("--mkdir", help="Create the output's folder if it is missing.")
]


def _model_for_completion(ctx: typer.Context) -> tracer.Model | None:
    """The model named on the command line so far (or the shipped one); None if it cannot load."""
    path = ctx.params.get("model")
    if path is not None and str(path) == "-":
        return None  # completing must not read stdin
    try:
        return tracer.load_model(path)
    except Exception:  # completion offers nothing rather than an error in the middle of typing
        return None


def complete_interaction(ctx: typer.Context, incomplete: str) -> list[str]:
    """Interaction ids starting with what is typed, for shell completion."""
    model = _model_for_completion(ctx)
    return sorted(k for k in (model.interactions if model else ()) if k.startswith(incomplete))


def complete_request(ctx: typer.Context, incomplete: str) -> list[str]:
    """Deletion request ids starting with what is typed (before any ``@TIME``)."""
    model = _model_for_completion(ctx)
    return sorted(k for k in (model.deletions if model else ()) if k.startswith(incomplete))


InteractionArgument = Annotated[
    str,
    typer.Argument(
        help="Interaction id (see `tracer list`).",
        metavar="INTERACTION",
        autocompletion=complete_interaction,
    ),
]
DataFormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")]


def shipped_or_file(path: Path | None) -> Path | None:
    """A model option's value: the file, or the shipped model it names (``-m alexa-2025``)."""
    from tracer.model.shipped import resolve

    return resolve(path)


ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        "-m",
        help="Model file (YAML or JSON), - for stdin, or a shipped model's name (see `tracer "
        "list --models`); default: the shipped Alexa model.",
        show_default=False,
        dir_okay=False,
        callback=shipped_or_file,
    ),
]
DeleteOption = Annotated[
    list[str] | None,
    typer.Option(
        "--delete",
        "-d",
        metavar="REQ[@TIME]",
        help="Apply a deletion request, at a time after the interaction (30d, 3mo, 1y; "
        "default 0d, or its schedule). Repeatable.",
        show_default=False,
        autocompletion=complete_request,
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="TIME",
        help="Query time, counted from the interaction: 30d, 3mo, 1y (default: the latest "
        "request's time).",
        show_default=False,
    ),
]

# the filters every export and `tracer list` take (tracer.interop.selection)
PartyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--party",
        metavar="PARTY",
        help="Only the holders this party runs. Repeatable.",
        show_default=False,
    ),
]
RetentionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--retention",
        metavar="PERIOD",
        help="Only what is kept for this period: none, until_deleted, forever, unknown "
        "(a record with no rule counts as unknown), duration (any fixed period) or one "
        "duration (30d). Repeatable.",
        show_default=False,
    ),
]
ConfidenceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--confidence",
        metavar="CONFIDENCE",
        help="Only rules of this confidence: stated, reported, alleged, research, law, "
        "assumed, unknown. Repeatable.",
        show_default=False,
    ),
]


def _fail(error: TracerError) -> NoReturn:
    if isinstance(error, MissingModelError):  # one line: the file is not there, nothing in it
        _say(("error:", "bold red"), f" {error}", stderr=True)
    elif isinstance(error, UnknownIdError) and (elsewhere := _in_another_model(error)):
        _say(("error:", "bold red"), f" {elsewhere}", stderr=True)
    elif isinstance(error, ModelError):
        _say(
            ("error:", "bold red"),
            f" {plural(len(error.problems), 'problem')} in the model",
            stderr=True,
        )
        for problem in error.problems:
            _say(problem, stderr=True)
    else:
        _say(("error:", "bold red"), f" {error}", stderr=True)
    raise typer.Exit(1)


def _in_another_model(error: UnknownIdError) -> str | None:
    """An unknown id that a shipped model defines: which model, and how to use it (a
    did-you-mean within this model would point at an unrelated id)."""
    from tracer.shipped import defining

    if not error.model:  # not an id of a model's own sections (a ledger's user, a claim...)
        return None
    found = defining(error.kind, error.wanted)
    if not found:
        return None
    name, title = found[0]
    return (
        f"unknown {error.kind} {error.wanted!r} in {error.model}; the shipped model {name} "
        f"({title}) has it: add -m {name}"
    )


@contextmanager
def _user_errors() -> Iterator[None]:
    """Wraps a whole command, its printing too: whatever goes wrong is one message, exit 1."""
    try:
        yield
    except TracerError as error:
        _fail(error)
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except BrokenPipeError:  # `tracer list | head`: the reader has what it wanted
        _quiet_stdout()
        raise typer.Exit(0) from None
    except Exception as error:  # a bug in tracer: still one message, the traceback on request
        if os.environ.get("TRACER_DEBUG"):
            raise
        _say(
            ("internal error:", "bold red"),
            f" {type(error).__name__}: {error} "
            "(a bug in tracer; set TRACER_DEBUG=1 to see where, and please report it)",
            stderr=True,
        )
        raise typer.Exit(1) from None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _print_json(data: object) -> None:
    # json escapes C0 controls itself; DEL, C1 controls (a terminal's CSI), bidi overrides and
    # lone surrogates it would pass through raw: written as \u escapes, the same JSON value
    text = json.dumps(data, indent=2, ensure_ascii=False)
    text = _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def _write_stdout(data: bytes) -> None:
    """A whole output (``-o -``) to stdout, bytes as they are."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # pragma: no cover - stdout replaced by a text-only stream
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    stream.write(data)
    stream.flush()


def _status(status: str) -> Text:
    from rich.text import Text

    return Text(status.replace("_", " "), style=STATUS_STYLE[status])


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` and the noun, singular or plural as the count needs, thousands grouped.

    >>> plural(1, "warning"), plural(19539, "warning"), plural(2, "party", "parties")
    ('1 warning', '19,539 warnings', '2 parties')
    """
    return f"{count:,} {singular if count == 1 else plural_form or singular + 's'}"


def _protected(model: Path | None) -> Path | None:
    """The model file no output may overwrite: the one given, or the shipped one."""
    if _is_stdio(model):
        return None
    return model if model is not None else tracer.default_model_path()


def _is_stdio(path: object) -> bool:
    """Whether a path option is ``-``: stdin for a model, stdout for an output."""
    return path is not None and str(path) == "-"


AssumeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--assume",
        metavar="NAME=VALUE",
        help="What-if, without editing the model: FLOW.deletion=propagated (or ignored, "
        "unclear), HOLDER.keeps.RECORD.for=30d (any period). Repeatable; the rules changed are "
        "marked assumed.",
        show_default=False,
    ),
]
WithoutOption = Annotated[
    list[str] | None,
    typer.Option(
        "--without",
        metavar="FLOW",
        help="What-if: leave out this flow or derivation. Repeatable.",
        show_default=False,
    ),
]


def _load_model(
    path: Path | None,
    assume: list[str] | None = None,
    without=None,
    *,
    catalogue: Path | None = None,
    interactions: list[str] | tuple[str, ...] = (),
):
    """The model at ``path`` (default: the shipped one) under the what-if options, which are
    named on stderr so every output says which assumptions it rests on; with the catalogue
    skills that ``interactions`` name (``skill:ID``) instantiated."""
    from tracer.assume import assumptions_of
    from tracer.cache import freeze_loaded

    model = tracer.assume(tracer.load_model(path), assume or (), without=without or ())
    if ONE_SHOT:  # the collector need never walk the loaded model: tracer.cache.freeze_loaded
        freeze_loaded()
    applied = assumptions_of(model)
    if applied:
        _say(f"assuming: {'; '.join(applied)}", stderr=True)
    if any(i.startswith("skill:") for i in interactions):
        from tracer.skills import skill_ids, with_skills

        if skill_ids(interactions, model):
            model = with_skills(model, _catalogue(path, catalogue), interactions)
    return model


def _catalogue_path(model: Path | None, catalogue: Path | None) -> Path | None:
    """The catalogue given, or with a shipped model its shipped catalogue; None otherwise."""
    if catalogue is not None:
        return catalogue
    from tracer.skills import shipped_catalogue_path
    from tracer.skills.template import shipped_model_paths

    shipped = {p.resolve() for p in shipped_model_paths()}
    if model is None or (not _is_stdio(model) and Path(model).resolve() in shipped):
        return shipped_catalogue_path()
    return None


def _catalogue(
    model: Path | None, catalogue: Path | None, *, strict: bool = False, note: bool = True
):
    """The catalogue to read (see :func:`_catalogue_path`), read; bad rows noted on stderr
    (unless ``note`` is false: a command that lists them itself)."""
    from tracer.skills import read_catalogue

    path = _catalogue_path(model, catalogue)
    if path is None:
        return None
    found = read_catalogue(path, strict=strict)
    bad = len({p.row for p in found.problems if p.severity == "error"})
    if bad and note:
        _say(
            f"note: {plural(bad, 'bad row')} of {path} left out "
            f"(`tracer skills check {path}` lists them)",
            stderr=True,
        )
    return found


CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        "-c",
        help="Skill catalogue (CSV, JSON Lines or Parquet) for interactions skill:ID; "
        "default with a shipped model: the shipped catalogue (graphs/alexa-skills.csv).",
        show_default=False,
        dir_okay=False,
    ),
]


DiffOption = Annotated[
    tuple[Path, Path] | None,
    typer.Option(
        "--diff",
        metavar="MODEL_A MODEL_B",
        help="Draw INTERACTION in MODEL_B with the copies that differ from MODEL_A marked "
        "(CHANGED, NEW, GONE; a double thick border): `--diff A B INTERACTION -o x.svg`.",
        show_default=False,
    ),
]
