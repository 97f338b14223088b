"""Lint: findings that do not stop a model from loading, but that its author should look at.

Each finding is a ``(loc, message)`` pair; :func:`tracer.loading.check_model` places it at
``file:line``.

>>> from tracer.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... parties: {acme: {name: Acme}}
... records: {note: {name: Note, categories: [user.content.privat]}}
... holders: {inbox: {name: Inbox, party: acme}}
... interactions: {write: {name: Write, starts: {inbox: [note]}}}
... ''')
>>> for loc, message in lint(model):
...     print(*loc, sep=".")
...     print("  ", message)
interactions.write.starts.inbox
   holder 'inbox' gets 'note' but keeps has no rule for it: kept for an unknown time
records.note.categories.0
   'user.content.privat' is not a Fides data category; did you mean 'user.content.private'?
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import networkx as nx

from .errors import did_you_mean
from .model import Model
from .tracing import trace

__all__ = ["RULES", "fides_taxonomy", "lint", "lint_by_rule"]

Loc = tuple[str | int, ...]


@cache
def fides_taxonomy() -> dict[str, dict[str, str | None]]:
    """The Fides default taxonomy keys shipped with tracer: ``data_categories`` and ``data_uses``,
    each key mapped to the key that replaces it when deprecated, else None."""
    text = (resources.files("tracer") / "data" / "fides_taxonomy.json").read_text("utf-8")
    data = json.loads(text)
    return {"data_categories": data["data_categories"], "data_uses": data["data_uses"]}


def lint(model: Model) -> list[tuple[Loc, str]]:
    """Every lint finding in ``model``, in a stable order."""
    return [(loc, message) for _, loc, message in lint_by_rule(model)]


def lint_by_rule(model: Model) -> list[tuple[str, Loc, str]]:
    """Every lint finding with the id of its rule (a key of ``RULES``), so that many findings of
    one rule can be counted and shown a few at a time."""
    return [(rule, loc, message) for rule, check in RULES.items() for loc, message in check(model)]


def _unretained(model: Model) -> list[tuple[Loc, str]]:
    """A holder that receives a record with no retention rule for it."""
    seen: set[tuple[str, str]] = set()
    findings = []

    def check(holder: str, record: str, loc: Loc) -> None:
        if record not in model.holders[holder].keeps and (holder, record) not in seen:
            seen.add((holder, record))
            findings.append(
                (
                    loc,
                    f"holder {holder!r} gets {record!r} but keeps has no rule for it: "
                    "kept for an unknown time",
                )
            )

    for key, interaction in model.interactions.items():
        for holder, records in interaction.starts.items():
            for record in records:
                check(holder, record, ("interactions", key, "starts", holder))
    for index, flow in enumerate(model.flows):
        for position, record in enumerate(flow.carries):
            check(flow.target, record, ("flows", index, "carries", position))
    for index, derivation in enumerate(model.derivations):
        check(derivation.at, derivation.target, ("derivations", index, "to"))
    return findings


def _undeletable(model: Model) -> list[tuple[Loc, str]]:
    return [
        (
            ("holders", key, "keeps", record),
            "kept until_deleted, but deleted_by names no request: nothing can delete it "
            "(use `for: forever` if that is the claim)",
        )
        for key, holder in model.holders.items()
        for record, rule in holder.keeps.items()
        if rule.period.kind == "until_deleted" and not rule.deleted_by
    ]


def _taxonomy(model: Model) -> list[tuple[Loc, str]]:
    taxonomy = fides_taxonomy()
    findings = []

    def check(key: str, kind: str, noun: str, loc: Loc) -> None:
        known = taxonomy[kind]
        if key not in known:
            findings.append((loc, f"{key!r} is not a Fides {noun}" + did_you_mean(key, known)))
        elif known[key]:
            findings.append(
                (loc, f"{key!r} is deprecated in the Fides taxonomy; use {known[key]!r}")
            )

    for key, record in model.records.items():
        for index, category in enumerate(record.categories):
            check(
                category, "data_categories", "data category", ("records", key, "categories", index)
            )
    for section, rules in (("flows", model.flows), ("derivations", model.derivations)):
        for index, rule in enumerate(rules):
            if rule.purpose is not None:
                check(rule.purpose, "data_uses", "data use", (section, index, "purpose"))
    return findings


def _unreached(model: Model) -> list[tuple[Loc, str]]:
    reached = {copy.holder for key in model.interactions for copy in trace(model, key).copies}
    return [
        (("holders", key), f"no interaction reaches holder {key!r}")
        for key in model.holders
        if key not in reached
    ]


def _unused_requests(model: Model) -> list[tuple[Loc, str]]:
    mentioned = {
        request
        for holder in model.holders.values()
        for rule in holder.keeps.values()
        for request in (*rule.deleted_by, *rule.unclear_for)
    }
    return [
        (
            ("deletions", key),
            f"no retention rule mentions deletion request {key!r}: it deletes nothing",
        )
        for key in model.deletions
        if key not in mentioned
    ]


def _uncited_sources(model: Model) -> list[tuple[Loc, str]]:
    rules = [
        *(rule for holder in model.holders.values() for rule in holder.keeps.values()),
        *(grant for holder in model.holders.values() for grant in holder.access or ()),
        *model.flows,
        *model.derivations,
        *model.deletions.values(),
    ]
    cited = {source for rule in rules for source in rule.evidence}
    return [
        (("sources", key), f"no rule cites source {key!r}")
        for key in model.sources
        if key not in cited
    ]


def _derivation_cycles(model: Model) -> list[tuple[Loc, str]]:
    by_holder: dict[str, nx.DiGraph] = {}
    first: dict[tuple[str, str, str], int] = {}
    for index, derivation in enumerate(model.derivations):
        by_holder.setdefault(derivation.at, nx.DiGraph()).add_edge(
            derivation.source, derivation.target
        )
        first.setdefault((derivation.at, derivation.source, derivation.target), index)
    findings = []
    for holder, graph in by_holder.items():
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            continue
        records = " -> ".join([cycle[0][0], *(target for _, target in cycle)])
        index = min(first[(holder, source, target)] for source, target in cycle)
        findings.append(
            (("derivations", index), f"derivations at {holder!r} form a cycle: {records}")
        )
    return findings


# each rule's id, as `validate` groups warnings by it, and the check that finds it
RULES = {
    "unretained": _unretained,
    "undeletable": _undeletable,
    "taxonomy": _taxonomy,
    "unreached": _unreached,
    "unused-request": _unused_requests,
    "uncited-source": _uncited_sources,
    "derivation-cycle": _derivation_cycles,
}
