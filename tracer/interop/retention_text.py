"""Free-text retention statements ("30 days", "7 years", "Account termination") read as periods.

Fides keeps retention as free text; ``tracer/1`` computes with it, so an import reads what it
safely can and keeps the rest as ``unknown`` with the original words. The rule, in order:

- a duration alone (``30 days``, ``7 years``, ``18 months``, ``2 weeks``, ``one year``, ``90d``,
  ISO 8601 ``P30D``) is that duration;
- ``forever``, ``indefinitely``, ``permanently`` are ``forever``;
- ``not stored``, ``none``, ``no retention``, ``transient`` are ``none``;
- ``until deleted``, ``account termination``, ``until account deletion``, ``life of the account``
  and the like are ``until_deleted``: the user's deletion request removes it;
- a duration *after* such an event (``30 days after account deletion``) is ``until_deleted`` with
  a ``grace`` of that duration: the copy survives the request for that long, which ``tracer/1``
  cannot date, so the importer lists the request in ``unclear_for`` (the copy *may remain* after
  it) and keeps the words as a note;
- ``unknown`` is ``unknown``; anything else is not parsed: ``unknown``, the text kept.

>>> read_retention("7 years"), read_retention("Account termination").period
(Reading(period='7y', grace=None, parsed=True), 'until_deleted')
>>> read_retention("30 days after account deletion")
Reading(period='until_deleted', grace='30d', parsed=True)
>>> read_retention("As long as necessary for business purposes")
Reading(period='unknown', grace=None, parsed=False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.durations import DAYS_PER_UNIT, MAX_DAYS

__all__ = ["Reading", "read_retention", "retention_words"]

_DIGITS = len(str(MAX_DAYS))  # no more digits than the longest duration has days

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
_UNITS = {
    "d": "d", "day": "d", "days": "d", "w": "w", "week": "w", "weeks": "w", "mo": "mo",
    "month": "mo", "months": "mo", "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}  # fmt: skip
_AMOUNT = r"(\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_DURATION = re.compile(
    _AMOUNT + r"\s*(?:\(\d+\)\s*)?(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
_ISO = re.compile(r"p(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?")
_FOREVER = ("forever", "indefinitely", "indefinite", "permanently", "permanent", "no limit")
_NONE = ("not stored", "none", "no retention", "transient", "not retained", "never stored")
_EVENT = re.compile(
    r"(until|till|upon|on|at)?\s*(the\s+)?(user\s+)?(deletes?|deleted|deletion|deleting|"
    r"account\s+(termination|deletion|closure|closing|cancellation)|termination|closure|"
    r"life(time)?\s+of\s+the\s+account|erasure|request)"
    r"(\s+(it|them|their\s+data|the\s+data|the\s+account))?"
)


@dataclass(frozen=True)
class Reading:
    """What a retention text says: a ``tracer/1`` period (``30d``, ``until_deleted``...), the
    time it outlives a deletion (``grace``), and whether the text could be read at all."""

    period: str
    grace: str | None = None
    parsed: bool = True


def _duration(text: str) -> str | None:
    """``30d``/``7y``... when ``text`` is exactly one duration tracer can compute with (up to
    :data:`tracer.durations.MAX_DAYS`), else None.

    >>> _duration("2000 years"), _duration("9" * 5000 + " days"), _duration("1000 years")
    (None, None, '1000y')
    """
    text = text.strip().rstrip(".")
    match = _DURATION.fullmatch(text)
    if match:
        amount, unit = match.groups()
        if len(amount) > _DIGITS:  # int() of thousands of digits is refused, and far too long
            return None
        count = int(amount) if amount.isdigit() else _NUMBERS[amount]
        if count * DAYS_PER_UNIT[_UNITS[unit]] > MAX_DAYS:
            return None
        return f"{count}{_UNITS[unit]}"
    iso = _ISO.fullmatch(text)
    if iso and any(iso.groups()):
        if any(len(g or "") > _DIGITS for g in iso.groups()):
            return None
        years, months, weeks, days = (int(g or 0) for g in iso.groups())
        total = years * 365 + months * 30 + weeks * 7 + days
        return f"{total}d" if total <= MAX_DAYS else None
    return None


def read_retention(text: str) -> Reading:
    """Read one Fides retention text by the rule of this module's docstring."""
    words = " ".join(str(text).lower().replace("-", " ").split())
    if not words:
        return Reading("unknown", parsed=False)
    if words == "unknown":
        return Reading("unknown")
    duration = _duration(words)
    if duration is not None:
        return Reading(duration)
    if words in _FOREVER:
        return Reading("forever")
    if words.rstrip(".") in _NONE:
        return Reading("none")
    head, sep, tail = words.partition(" after ")
    if sep and _EVENT.fullmatch(tail.strip().rstrip(".")):
        grace = _duration(head)
        if grace is not None:
            return Reading("until_deleted", grace=grace)
    if _EVENT.fullmatch(words.rstrip(".")) and words not in ("request", "on", "at"):
        return Reading("until_deleted")
    return Reading("unknown", parsed=False)


def retention_words(period: str) -> str:
    """The text an export writes for a ``tracer/1`` period, read back exactly by
    :func:`read_retention`.

    >>> retention_words("540d"), read_retention(retention_words("540d")).period
    ('540 days', '540d')
    >>> [read_retention(retention_words(p)).period for p in ("none", "until_deleted", "forever")]
    ['none', 'until_deleted', 'forever']
    """
    if period == "none":
        return "not stored"
    if period == "until_deleted":
        return "until deleted"
    if period in ("forever", "unknown"):
        return period
    return f"{int(period.removesuffix('d'))} days"
