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

__all__ = ["DAYS_PER_UNIT", "LIMIT", "MAX_DAYS", "format_days", "parse_duration"]

DAYS_PER_UNIT = {"d": 1, "w": 7, "mo": 30, "y": 365}

# No retention statement or question runs beyond a millennium; a bound keeps a typo such as
# 10000000y from drawing a 93 MB timeline, and a 320-digit number from overflowing a float.
MAX_YEARS = 1000
MAX_DAYS = MAX_YEARS * DAYS_PER_UNIT["y"]

LIMIT = f"durations and times go up to {MAX_YEARS} years ({MAX_DAYS}d)"

# ASCII digits only: \d would also read "٣d" (an Arabic-Indic three) as 3 days
_DURATION = re.compile(r"([0-9]+)(d|w|mo|y)")


def parse_duration(text: str) -> int:
    """The number of days in ``text`` (``30d``, ``2w``, ``3mo``, ``7y``); ValueError if unreadable
    or longer than 1000 years.

    >>> parse_duration("0d")
    0
    >>> parse_duration("3 months")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '3 months' is not a duration: write a whole number and a unit, like 30d, ...
    >>> parse_duration("2000y")
    Traceback (most recent call last):
    ...
    ValueError: '2000y' is too long: durations and times go up to 1000 years (365000d)
    """
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(
            f"{_shown(text)} is not a duration: write a whole number and a unit, "
            "like 30d, 2w, 3mo or 7y"
        )
    digits = match.group(1).lstrip("0") or "0"
    # compare the digits before int(): int() of 5,000 digits is refused by Python itself
    if len(digits) > len(str(MAX_DAYS)) or int(digits) * DAYS_PER_UNIT[match.group(2)] > MAX_DAYS:
        raise ValueError(f"{_shown(text)} is too long: {LIMIT}")
    return int(digits) * DAYS_PER_UNIT[match.group(2)]


def format_days(days: int) -> str:
    """A time or duration as printed everywhere: whole days with a ``d``."""
    return f"{days}d"


def _shown(value: object, limit: int = 40) -> str:
    """``value`` quoted for a message, cut short: a number may have thousands of digits."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
