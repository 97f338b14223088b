"""Which characters a model's strings may hold: printable text, line breaks and tabs.

C0 and C1 control characters (an escape sequence in a name reaches the terminal; a bare carriage
return breaks a Markdown table), lone surrogates (a bad ``\\ud800`` escape in JSON),
noncharacters (``\\uFFFE``) and the invisible direction controls that can make text read
otherwise than it is are refused everywhere: they break Graphviz, Markdown and terminals. Values
(names, notes) may hold line breaks and tabs, which every writer draws; keys (ids, field names)
are one line.

>>> refused("Voice History", key=True), refused("two\\nlines", key=False)
(None, None)
>>> refused("a\\x1b[31mb", key=False)
'contains the control character U+001B, at character 2'
>>> refused("two\\nlines", key=True)
'contains a line break, at character 4: a key is one line'
"""

from __future__ import annotations

import re

__all__ = ["ONE_LINE", "TEXT", "refused"]

_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
TEXT = re.compile(f"[{_ALWAYS}{_NONCHARACTERS}]")
# what a key may not hold: the above, and line breaks and tabs
ONE_LINE = re.compile(f"[\t\n\u2028\u2029{_ALWAYS}{_NONCHARACTERS}]")


def refused(text: str, *, key: bool) -> str | None:
    """Why ``text`` cannot be a key (``key=True``) or value in a model ("contains ..."), or None
    when it can."""
    bad = (ONE_LINE if key else TEXT).search(text)
    if bad is None:
        return None
    char, column = bad.group(), bad.start() + 1
    code = f"U+{ord(char):04X}"
    if char in "\n\u2028\u2029":
        return f"contains a line break, at character {column}: a key is one line"
    if char == "\t":
        return f"contains a tab, at character {column}: a key is one line"
    if char == "\r":
        return f"contains a carriage return, at character {column}: write a line break as \\n"
    if "\ud800" <= char <= "\udfff":
        what = f"{code}, half of a surrogate pair and not a character (a bad \\u escape?)"
    elif "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        what = f"{code}, an invisible direction control that can disguise text"
    elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        what = f"the control character {code}"
    else:
        what = f"{code}, which is not a character"
    return f"contains {what}, at character {column}"
