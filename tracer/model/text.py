"""Text from a model made safe for any writer: line breaks in one form, nothing a terminal or a
drawing program would act on.

Loading rejects control characters in names; this is the writers' own guard, so a model built in
Python, or a message quoting a bad file, still cannot move a terminal's cursor, start a Markdown
heading with a bare carriage return, or stop Graphviz.

>>> printable("a\\r\\nb\\rc\\x1b[31m\\ud800")
'a\\nb\\nc\\ufffd[31m\\ufffd'
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a terminal's CSI), lone surrogates,
# and the two non-characters U+FFFE/U+FFFF
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(value: object) -> str:
    """``value`` as text with every line break (``\\r\\n``, a bare ``\\r``) a ``\\n`` and every
    other control character, lone surrogate or non-character replaced by U+FFFD."""
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("\ufffd", text)
