"""Plain-word views of a model and a trace, for listings and for the first lines of a report.

>>> import tracer
>>> model = tracer.load_model()
>>> result = tracer.trace(model, "weather", ["delete-recording"])
>>> print(summary(result))  # doctest: +NORMALIZE_WHITESPACE
After delete-recording at 0d: 10 copies of 7 records may remain with 2 parties
(5 stated, 2 reported, 3 unknown); 3 were deleted; 8 were transient.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .model import Model
from .model.durations import format_days
from .tracing import SURENESS, Copy, Trace

__all__ = ["describe", "footing_counts", "summary"]


def describe(model: Model) -> dict:
    """The model's interactions, deletion requests, records, parties and holders, each sorted by
    id.

    >>> import tracer
    >>> describe(tracer.load_model())["records"]["transcript"]
    {'name': 'Transcript', 'categories': ['user.content.private']}
    """

    def when(deletion) -> str:
        if deletion.after is not None:
            return f"after {format_days(deletion.after)}"
        return f"by {deletion.by}" if deletion.by else "on request"

    return {
        "model": model.name,
        "date": model.date,
        "interactions": {
            key: {"name": i.name, "tags": list(i.tags)}
            for key, i in sorted(model.interactions.items())
        },
        "deletions": {
            key: {"name": d.name, "when": when(d)} for key, d in sorted(model.deletions.items())
        },
        "records": {
            key: {"name": r.name, "categories": list(r.categories)}
            for key, r in sorted(model.records.items())
        },
        "parties": {
            key: {"name": p.name, "role": p.role} for key, p in sorted(model.parties.items())
        },
        "holders": {
            key: {"name": h.name, "party": h.party, "kind": h.kind}
            for key, h in sorted(model.holders.items())
        },
    }


def _count(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def footing_counts(copies: Iterable[Copy]) -> dict[str, int]:
    """How many ``copies`` rest on each confidence (the least sure rule each rests on), surest
    first, leaving out those with none.

    >>> import tracer
    >>> result = tracer.trace(tracer.load_model(), "weather", ["delete-recording"])
    >>> footing_counts(c for c in result.copies if c.remains)
    {'stated': 5, 'reported': 2, 'unknown': 3}
    """
    counts = Counter(copy.footing for copy in copies)
    return {word: counts[word] for word in SURENESS if counts[word]}


def summary(result: Trace) -> str:
    """One sentence: what remains, with whom, and what went, after the trace's requests."""
    counts = Counter(copy.status for copy in result.copies)
    applied = [r for r in result.requests if r.at <= result.at]
    opening = (
        "After " + ", ".join(f"{r.id} at {format_days(r.at)}" for r in applied)
        if applied
        else "With no deletion request"
    )
    if result.at and not applied:
        opening += f", at {format_days(result.at)}"
    held = [c for c in result.copies if c.status == "held"]
    maybe = [c for c in result.copies if c.status == "may_remain"]
    parts = []

    def remaining(copies, verb: str) -> str:
        records = {c.record for c in copies}
        parties = {p for c in copies for p in c.access}
        return (
            f"{_count(len(copies), 'copy', 'copies')} of {_count(len(records), 'record')} "
            f"{verb} with {_count(len(parties), 'party', 'parties')}"
        )

    # how sure what remains is: each copy by the least sure rule it rests on
    footing = ", ".join(f"{count} {word}" for word, count in footing_counts(held + maybe).items())
    if held:
        parts.append(remaining(held, "remain" if len(held) != 1 else "remains"))
        if maybe:
            parts.append(f"{len(maybe)} more may remain")
        parts[-1] += f" ({footing})" if not maybe else f" (of all {len(held + maybe)}: {footing})"
    elif maybe:
        parts.append(remaining(maybe, "may remain") + f" ({footing})")
    else:
        parts.append("no copy remains with anyone")
    if counts["deleted"]:
        parts.append(f"{counts['deleted']} {'was' if counts['deleted'] == 1 else 'were'} deleted")
    if counts["expired"]:
        parts.append(f"{counts['expired']} expired")
    if counts["transient"]:
        parts.append(
            f"{counts['transient']} {'was' if counts['transient'] == 1 else 'were'} transient"
        )
    return f"{opening}: " + "; ".join(parts) + "."
