"""Durations and times, counted in whole days from the interaction (day 0).

A month is 30 days and a year 365 days: retention statements ("3 months", "7 years") are
approximate, and a fixed day count keeps every computation exact and reproducible.

>>> parse_duration("3mo"), parse_duration("18mo"), parse_duration("7y"), parse_duration("2w")
(90, 540, 2555, 14)
>>> format_days(90)
'90d'
"""

from __future__ import annotations

import re

__all__ = ["DAYS_PER_UNIT", "format_days", "parse_duration"]

DAYS_PER_UNIT = {"d": 1, "w": 7, "mo": 30, "y": 365}

_DURATION = re.compile(r"(\d+)(d|w|mo|y)")


def parse_duration(text: str) -> int:
    """The number of days in ``text`` (``30d``, ``2w``, ``3mo``, ``7y``); ValueError if unreadable.

    >>> parse_duration("0d")
    0
    >>> parse_duration("3 months")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '3 months' is not a duration: write a whole number and a unit, like 30d, ...
    """
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(
            f"{text!r} is not a duration: write a whole number and a unit, like 30d, 2w, 3mo or 7y"
        )
    return int(match.group(1)) * DAYS_PER_UNIT[match.group(2)]


def format_days(days: int) -> str:
    """A time or duration as printed everywhere: whole days with a ``d``."""
    return f"{days}d"
