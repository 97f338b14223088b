"""Lint: findings that do not stop a model from loading, but that its author should look at.

Each finding is a ``(loc, message)`` pair; :func:`tracer.model.loading.check_model` places it at
``file:line``.

>>> from tracer.model.loading import parse_model
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
from collections.abc import Iterator
from functools import cache
from importlib import resources

from ..errors import did_you_mean
from ..tracing import trace
from .format import Model
from .quotes import found_in, quoted

__all__ = ["RULES", "fides_taxonomy", "find_cycle", "lint", "lint_by_rule"]

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


def _template_rules(model: Model) -> list:
    """The skill template's rules (its flows, derivations and what is kept): each cites its
    evidence as a model's rule does."""
    template = model.skill_template
    if template is None:
        return []
    features = template.features.values()
    return [
        *(rule for kept in template.platform_keeps.values() for rule in kept.values()),
        *(rule for feature in features for rule in (*feature.flows, *feature.derivations)),
        *(rule for feature in features for rule in feature.keeps.values()),
    ]


def _uncited_sources(model: Model) -> list[tuple[Loc, str]]:
    rules = [
        *(rule for holder in model.holders.values() for rule in holder.keeps.values()),
        *(
            cited
            for holder in model.holders.values()
            for rule in holder.keeps.values()
            for cited in rule.per_request.values()
        ),
        *(grant for holder in model.holders.values() for grant in holder.access or ()),
        *model.flows,
        *model.derivations,
        *model.deletions.values(),
        *model.claims.values(),
        *_template_rules(model),
    ]
    cited = {source for rule in rules for source in rule.evidence}
    cited |= {claim.by for claim in model.claims.values()}  # a claim made by a source cites it
    return [
        (("sources", key), f"no rule cites source {key!r}")
        for key in model.sources
        if key not in cited
    ]


def _undated_sources(model: Model) -> list[tuple[Loc, str]]:
    """A source a reader cannot find (no url) or place in time (no date)."""
    findings = []
    for key, source in model.sources.items():
        missing = [name for name in ("url", "date") if not getattr(source, name)]
        if missing:
            findings.append(
                (
                    ("sources", key),
                    f"source {key!r} has no {' and no '.join(missing)}: a reader cannot check it",
                )
            )
    return findings


def _unquoted_claims(model: Model) -> list[tuple[Loc, str]]:
    """A claim's quoted words (in ``says``) that no excerpt of a source it cites holds."""
    findings = []
    for key, claim in model.claims.items():
        cited = [s for s in (*claim.evidence, claim.by) if s in model.sources]
        excerpts = [model.sources[s].excerpt for s in dict.fromkeys(cited)]
        for quote in quoted(claim.says):
            if any(text and found_in(quote, text) for text in excerpts):
                continue
            names = ", ".join(dict.fromkeys(cited)) or "none"
            why = (
                "is in no excerpt of the sources it cites"
                if any(excerpts)
                else "cannot be checked: no source it cites has an excerpt"
            )
            findings.append((("claims", key, "says"), f'"{quote}" {why} ({names})'))
    return findings


# what `stated` cannot rest on alone: `stated` means the operator itself says so
_NOT_THE_OPERATOR = ("press", "research", "regulator")


def _stated_by_others(model: Model) -> list[tuple[Loc, str]]:
    """A ``stated`` rule whose only sources are press, research or regulator documents."""
    rules: list[tuple[Loc, object]] = []
    for key, holder in model.holders.items():
        for index, grant in enumerate(holder.access or ()):
            rules.append((("holders", key, "access", index), grant))
        for record, rule in holder.keeps.items():
            rules.append((("holders", key, "keeps", record), rule))
            for request, cited in rule.per_request.items():
                rules.append((("holders", key, "keeps", record, "per_request", request), cited))
    rules += [(("flows", index), flow) for index, flow in enumerate(model.flows)]
    rules += [(("derivations", index), d) for index, d in enumerate(model.derivations)]
    rules += [(("deletions", key), deletion) for key, deletion in model.deletions.items()]
    findings = []
    for loc, rule in rules:
        sources = [model.sources.get(key) for key in rule.evidence]  # type: ignore[attr-defined]
        if (
            rule.confidence == "stated"  # type: ignore[attr-defined]
            and sources
            and all(source is not None and source.kind in _NOT_THE_OPERATOR for source in sources)
        ):
            # here every source has a kind; elsewhere one may have none (None), never sorted
            kinds = sorted({source.kind for source in sources})  # type: ignore[union-attr]
            findings.append(
                (
                    (*loc, "confidence"),
                    f"stated, but its only sources are {' and '.join(kinds)} documents "
                    "(stated means the operator says so: cite it, or use reported, research "
                    "or alleged)",
                )
            )
    return findings


def _derivation_cycles(model: Model) -> list[tuple[Loc, str]]:
    # per holder, each record -> the records made from it, in the order networkx's DiGraph would
    # hold them (nodes and successors by first appearance)
    by_holder: dict[str, dict[str, dict[str, None]]] = {}
    first: dict[tuple[str, str, str], int] = {}
    for index, derivation in enumerate(model.derivations):
        graph = by_holder.setdefault(derivation.at, {})
        graph.setdefault(derivation.source, {})[derivation.target] = None
        graph.setdefault(derivation.target, {})
        first.setdefault((derivation.at, derivation.source, derivation.target), index)
    findings = []
    for holder, graph in by_holder.items():
        cycle = find_cycle(graph)
        if not cycle:
            continue
        records = " -> ".join([cycle[0][0], *(target for _, target in cycle)])
        index = min(first[(holder, source, target)] for source, target in cycle)
        findings.append(
            (("derivations", index), f"derivations at {holder!r} form a cycle: {records}")
        )
    return findings


def find_cycle(graph: dict[str, dict[str, None]]) -> list[tuple[str, str]]:
    """The edges of the cycle ``networkx.find_cycle`` finds first in this directed graph (each
    node -> its successors, in insertion order), or []: the same search, without importing
    networkx (most of what ``tracer validate`` would otherwise take to start).

    >>> find_cycle({"a": {"b": None}, "b": {"c": None, "a": None}, "c": {}})
    [('a', 'b'), ('b', 'a')]
    >>> find_cycle({"a": {"b": None}, "b": {}})
    []
    """
    explored: set[str] = set()
    for start in graph:
        if start in explored:
            continue
        path: list[tuple[str, str]] = []
        seen, active = {start}, {start}
        previous_head = None
        for tail, head in _edge_dfs(graph, start):
            if head in explored:
                continue
            if previous_head is not None and tail != previous_head:
                while True:  # backtracked: drop the path's edges past the edge's tail
                    if not path:
                        active = {tail}
                        break
                    active.remove(path.pop()[1])
                    if path and path[-1][1] == tail:
                        break
            path.append((tail, head))
            if head in active:
                return path[next(i for i, (t, _) in enumerate(path) if t == head) :]
            seen.add(head)
            active.add(head)
            previous_head = head
        explored |= seen
    return []


def _edge_dfs(graph: dict[str, dict[str, None]], start: str) -> Iterator[tuple[str, str]]:
    """Every edge reachable from ``start``, depth first, as ``networkx.edge_dfs`` yields them."""
    successors = {}
    stack = [start]
    while stack:
        node = stack[-1]
        if node not in successors:
            successors[node] = iter(graph[node])
        head = next(successors[node], None)
        if head is None:
            stack.pop()
        else:
            stack.append(head)
            yield node, head


# each rule's id, as `validate` groups warnings by it, and the check that finds it
RULES = {
    "unretained": _unretained,
    "undeletable": _undeletable,
    "taxonomy": _taxonomy,
    "unreached": _unreached,
    "unused-request": _unused_requests,
    "uncited-source": _uncited_sources,
    "undated-source": _undated_sources,
    "stated-by-others": _stated_by_others,
    "unquoted-claim": _unquoted_claims,
    "derivation-cycle": _derivation_cycles,
}
