"""Whether a log was written for the model it is built with.

A row naming an interaction or request the model lacks is skipped and listed; but when the log
is read against a shipped model and another shipped model has every id the log names, or when
most of a table's rows are unknown, skipping would give a quietly different answer from the one
asked for: the build fails instead, saying which model fits. (A model of one's own may lack a
few ids on purpose: its rows are skipped and listed, as before.)

>>> from tracer.model.loading import load_model
>>> unknown = {"requests": {"auto-delete-3mo": ((3,), 1)}}
>>> used = {"events": {"weather"}, "requests": {"delete-recording"}}
>>> check_fit(load_model(), unknown, used, {"events": 9, "requests": 4})
Traceback (most recent call last):
...
tracer.ledger.problems.LedgerError: the log names an id Amazon Alexa (2019) does not have: \
request 'auto-delete-3mo' (requests row 3); the shipped model alexa-2025 (Amazon Alexa (2025)) \
has every id the log names: add -m alexa-2025
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tracer.model import Model

from .problems import LedgerError

__all__ = ["check_fit"]

# the model section each log table's ids name, and what one such id is called
SECTIONS = {"events": ("interactions", "interaction"), "requests": ("deletions", "request")}
ROWS_SHOWN = 5


def check_fit(
    model: Model,
    unknown: Mapping[str, Mapping[str, tuple[Sequence[int], int]]],
    used: Mapping[str, set[str]],
    rows: Mapping[str, int],
) -> None:
    """Raise :class:`LedgerError` when the log does not fit ``model``.

    ``unknown`` gives, per table (``events``, ``requests``), each id the model lacks, the first
    rows (1-based) that name it and how many do; ``used``, per table, the ids of the rows the
    model knows; ``rows``, each table's number of rows.
    """
    if not any(unknown.values()):
        return
    fits = _shipped_fitting(model, unknown, used)
    if fits:
        name, title = fits
        count = sum(len(ids) for ids in unknown.values())
        raise LedgerError(
            f"the log names {'an id' if count == 1 else f'{count} ids'} {model.name} does not "
            f"have: {_listed(unknown)}; the shipped model {name} ({title}) has every id the log "
            f"names: add -m {name}"
        )
    for table, ids in sorted(unknown.items()):
        bad = sum(count for _, count in ids.values())
        if bad * 2 > rows.get(table, 0):
            raise LedgerError(
                f"{bad:,} of the {rows[table]:,} rows of the {table} log name ids {model.name} "
                f"does not have: {_listed({table: ids})}; is it the model the log was written "
                "for? (-m MODEL; tracer list --models)"
            )


def _listed(unknown: Mapping[str, Mapping[str, tuple[Sequence[int], int]]]) -> str:
    parts = []
    for table, ids in sorted(unknown.items()):
        kind = SECTIONS[table][1]
        for wanted, (first, count) in sorted(ids.items()):
            shown = ", ".join(str(row) for row in first[:ROWS_SHOWN])
            more = f" and {count - ROWS_SHOWN:,} more" if count > ROWS_SHOWN else ""
            noun = "row" if count == 1 else "rows"
            parts.append(f"{kind} {wanted!r} ({table} {noun} {shown}{more})")
    return "; ".join(parts[:10]) + (f"; and {len(parts) - 10} more" if len(parts) > 10 else "")


def _shipped_fitting(
    model: Model,
    unknown: Mapping[str, Mapping[str, tuple[Sequence[int], int]]],
    used: Mapping[str, set[str]],
) -> tuple[str, str] | None:
    """The first shipped model, as (name, title), that has every id the log names, when
    ``model`` is itself a shipped one."""
    from tracer.model.loading import load_model
    from tracer.model.shipped import names, path_of

    shipped = {name: load_model(path_of(name)) for name in names()}
    if model.name not in {other.name for other in shipped.values()}:
        return None
    for name, other in shipped.items():
        if all(
            set(unknown.get(table, ())) | used.get(table, set()) <= set(getattr(other, section))
            for table, (section, _) in SECTIONS.items()
        ):
            return name, other.name
    return None
