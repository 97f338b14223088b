"""Table cells for ids: at 80 columns (the width when piped) an id wraps at a space, else after
a separator (``/ _ - . :``), never mid-word, and gives up room before the prose beside it does.

Rich wraps text at spaces and folds a longer word wherever the column ends; ids have no spaces,
so ``partner_copy/note`` became ``partner_co`` / ``py/note``. An :class:`IdCell` tells the table
its narrowest sensible width (the longest piece between separators) and lays itself out.

>>> from rich.console import Console
>>> console = Console(width=12, emoji=False, markup=False, highlight=False)
>>> with console.capture() as captured:
...     console.print(IdCell("voice_history/voice_recording"))
>>> print(captured.get())
voice_
history/
voice_
recording
<BLANKLINE>
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from tracer.model.text import printable

__all__ = ["IdCell", "pieces"]

_AFTER_SEPARATOR = re.compile(r"(?<=[/_\-.:])")


def pieces(text: str) -> list[str]:
    """``text`` cut after each separator, so the pieces join back into it.

    >>> pieces("alexa_cloud/transcript")
    ['alexa_', 'cloud/', 'transcript']
    """
    return [piece for piece in _AFTER_SEPARATOR.split(text) if piece]


class IdCell:
    """An id (or several, one a line) that wraps only after separators."""

    def __init__(self, value: object, style: str = "") -> None:
        self.lines = printable(value).split("\n")
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest_piece = max(
            (cell_len(p) for line in self.lines for w in line.split() for p in pieces(w)), default=1
        )
        longest_line = max((cell_len(line) for line in self.lines), default=1)
        return Measurement(min(longest_piece, longest_line), longest_line).with_maximum(
            options.max_width
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 1)
        out: list[str] = []
        for line in self.lines:
            out += _wrap(line, width)
        # a piece still wider than the column is folded by rich, the last resort
        yield Text("\n".join(out), style=self.style, overflow="fold")


def _wrap(line: str, width: int) -> list[str]:
    """``line`` in lines of at most ``width`` cells: broken at spaces where that is enough, and
    a word too long for a line broken after its separators."""
    out: list[str] = []
    current = ""
    for word in re.findall(r"\S+ *", line) or [""]:
        parts = [word] if cell_len(word.rstrip(" ")) <= width else pieces(word)
        for part in parts:
            # the space after the last word counts: without it a line came out one cell too
            # long, and rich broke it again, leaving a word alone on a line
            if current and cell_len(current) + cell_len(part.rstrip(" ")) > width:
                out.append(current.rstrip(" "))
                current = ""
            current += part
    out.append(current.rstrip(" "))
    return out
