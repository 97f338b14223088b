"""The answer at a glance: one sentence in plain words, and a company x record table.

What a first-time reader wants from a trace is "after I delete it, who may still have what?".
:func:`headline` says it in one sentence naming the companies (every party but the data subject)
and how many copies each may still hold; :func:`holdings` lays the same answer out as a table,
one row per company, one column per record, each cell the status of that company's copies of
that record and how sure the rule behind it is. The explorer opens on both (its JavaScript only
lays them out).

>>> import tracer
>>> model = tracer.load_model()
>>> result = tracer.trace(model, "dominos-order", ["delete-recording"])
>>> print(headline(model, result).text)  # doctest: +NORMALIZE_WHITESPACE
After "Delete one recording in Voice History (Alexa app or Privacy Hub)", 4 companies may
still hold 21 copies: Amazon (10), Annotators (Amazon employees and contractors who review
clips) (5), Domino's Pizza (5), Advertising partners that sync cookies with Amazon (1).
>>> table = holdings(model, result)
>>> table.rows[0].name, table.cell("amazon", "transcript").status
('Amazon', 'may_remain')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Model
from ..tracing import STATUSES, SURENESS, Copy, Trace

__all__ = ["Cell", "Headline", "Holdings", "Row", "headline", "holdings", "question_words"]

_RANK = {status: index for index, status in enumerate(STATUSES)}  # held first, transient last


@dataclass(frozen=True)
class Headline:
    """The sentence, and the numbers in it (for a page to lay out as it likes)."""

    text: str
    question: str  # what was asked, in words: the requests applied and the time
    companies: tuple[tuple[str, str, int], ...]  # (party id, name, copies it may still hold)
    copies: int  # copies the companies may still hold, in all
    certain: bool  # every one of them is held (no "may remain" among them)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "question": self.question,
            "companies": [
                {"party": party, "name": name, "copies": count}
                for party, name, count in self.companies
            ],
            "copies": self.copies,
            "certain": self.certain,
        }


def _companies(model: Model, result: Trace) -> list[str]:
    """Parties other than the data subject that got any copy, by id."""
    return sorted({c.party for c in result.copies if model.parties[c.party].role != "data_subject"})


def question_words(model: Model, result: Trace) -> str:
    """The requests applied, by their names, and when; and the query time when it is later.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> question_words(model, tracer.trace(model, "weather", ["delete-recording@30d"], "60d"))
    'After "Delete one recording in Voice History (Alexa app or Privacy Hub)" on day 30, on day 60'
    """
    applied = [r for r in result.requests if r.at <= result.at]
    if not applied:
        words = "With no deletion request"
    else:
        names = []
        for request in applied:
            spec = model.deletions[request.id]
            when = f" on day {request.at}" if request.at else ""
            names.append(f'"{spec.name}"{when}')
        words = "After " + " and ".join(names)
    latest = max((r.at for r in applied), default=0)
    if result.at > latest:
        words += f", on day {result.at}"
    return words


def headline(model: Model, result: Trace) -> Headline:
    """After the trace's requests, how many companies may still hold how many copies, each named
    with its count, most first."""
    counts: Counter[str] = Counter()
    held = True
    for copy in result.copies:
        if copy.remains and model.parties[copy.party].role != "data_subject":
            counts[copy.party] += 1
            held = held and copy.status == "held"
    question = question_words(model, result)
    companies = tuple(
        (party, model.parties[party].name, count)
        for party, count in sorted(
            counts.items(), key=lambda item: (-item[1], model.parties[item[0]].name.lower())
        )
    )
    total = sum(counts.values())
    if not companies:
        text = f"{question}, no company holds any copy of this interaction's records any more."
    else:
        verb = (
            "may still hold" if not held else "still holds" if len(companies) == 1 else "still hold"
        )
        noun = "company" if len(companies) == 1 else "companies"
        listed = ", ".join(f"{name} ({count})" for _, name, count in companies)
        text = (
            f"{question}, {len(companies)} {noun} {verb} {total} "
            f"{'copy' if total == 1 else 'copies'}: {listed}."
        )
    return Headline(text, question, companies, total, held)


@dataclass(frozen=True)
class Cell:
    """One company's copies of one record: the status that matters most (held before may
    remain before deleted...), how sure the least sure rule behind it is, and the copies."""

    status: str
    confidence: str
    copies: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"status": self.status, "confidence": self.confidence, "copies": list(self.copies)}


@dataclass(frozen=True)
class Row:
    party: str
    name: str
    remaining: int  # copies it may still hold
    cells: dict[str, Cell]  # record id -> cell (a record it never got has none)


@dataclass(frozen=True)
class Holdings:
    """Companies (rows, most remaining first) by records (columns, most widely kept first)."""

    records: tuple[tuple[str, str], ...]  # (record id, name)
    rows: tuple[Row, ...]

    def cell(self, party: str, record: str) -> Cell | None:
        row = next((r for r in self.rows if r.party == party), None)
        return row.cells.get(record) if row else None

    def to_dict(self) -> dict:
        return {
            "records": [{"id": key, "name": name} for key, name in self.records],
            "rows": [
                {
                    "party": row.party,
                    "name": row.name,
                    "remaining": row.remaining,
                    "cells": {key: cell.to_dict() for key, cell in sorted(row.cells.items())},
                }
                for row in self.rows
            ],
        }


def _cell(copies: list[Copy]) -> Cell:
    status = min((c.status for c in copies), key=_RANK.__getitem__)
    same = [c for c in copies if c.status == status]
    confidence = max((c.confidence for c in same), key=SURENESS.index)
    return Cell(status, confidence, tuple(sorted(c.id for c in copies)))


def holdings(model: Model, result: Trace) -> Holdings:
    """The company x record table of the trace (the data subject's own devices left out)."""
    companies = set(_companies(model, result))
    grouped: dict[str, dict[str, list[Copy]]] = {}
    for copy in result.copies:
        if copy.party in companies:
            grouped.setdefault(copy.party, {}).setdefault(copy.record, []).append(copy)
    rows = []
    for party, by_record in grouped.items():
        cells = {record: _cell(copies) for record, copies in by_record.items()}
        remaining = sum(1 for copies in by_record.values() for c in copies if c.remains)
        rows.append(Row(party, model.parties[party].name, remaining, cells))
    rows.sort(key=lambda r: (-r.remaining, r.name.lower(), r.party))
    kept: Counter[str] = Counter()
    seen: set[str] = set()
    for row in rows:
        for record, cell in row.cells.items():
            seen.add(record)
            kept[record] += cell.status in ("held", "may_remain")
    records = sorted(seen, key=lambda r: (-kept[r], model.records[r].name.lower(), r))
    return Holdings(tuple((r, model.records[r].name) for r in records), tuple(rows))
