"""Quotations: the passages a claim quotes, and whether a source's excerpt holds them.

A claim's ``says`` marks the words it quotes with double quotation marks ("..." or curly ones);
the rest is the model author's paraphrase. A quote is found in a text when, after both are
normalized (curly quotes made straight, runs of whitespace made one space), each of its parts
between ellipses ("..." or "…", words left out) occurs in the text, in order. Trailing
punctuation of a part (``.,;:``) is not required, so a quote may end a sentence the source goes
on with.

>>> quoted('Amazon "may still retain... records of actions Alexa took" after deletion.')
('may still retain... records of actions Alexa took',)
>>> found_in("may still retain… records of actions",
...          "we may still retain other records of customers’ Alexa interactions, including "
...          "records of actions Alexa took")
True
>>> found_in("records of actions... may still retain", "may still retain records of actions")
False
"""

from __future__ import annotations

import re

__all__ = ["found_in", "normalize", "quoted"]

_STRAIGHTEN = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "..."})
_QUOTED = re.compile(r'"([^"]+)"')
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Straight quotes, ``...`` for an ellipsis, one space for any run of whitespace.

    >>> normalize("Alexa’s  primary\\n storage")
    "Alexa's primary storage"
    """
    return _SPACE.sub(" ", text.translate(_STRAIGHTEN)).strip()


def quoted(says: str | None) -> tuple[str, ...]:
    """The passages ``says`` puts between double quotation marks, normalized.

    >>> quoted("Deleting a recording deletes its transcript (paraphrase, nothing quoted)")
    ()
    >>> quoted('“Don’t save” deletes the audio')
    ("Don't save",)
    """
    return tuple(p.strip() for p in _QUOTED.findall(normalize(says or "")) if p.strip())


def found_in(quote: str, text: str) -> bool:
    """Whether each part of ``quote`` between ellipses occurs in ``text``, in order."""
    haystack, start = normalize(text), 0
    for part in normalize(quote).split("..."):
        part = part.strip().rstrip(".,;:").strip()
        if not part:
            continue
        at = haystack.find(part, start)
        if at < 0:
            return False
        start = at + len(part)
    return True
