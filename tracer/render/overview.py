"""What an ecosystem overview shows: which holders, grouped how, joined by which flows.

A model of a few dozen holders is drawn whole. A large one cannot be read that way, so parties
can be collapsed: a party with many holders becomes one node, and a role shared by many parties
("6,648 skill developers") becomes one node. ``focus`` keeps one party or holder and its
neighbours only. The DOT and Mermaid writers draw the same plan.

>>> import tracer
>>> plan = plan_overview(tracer.load_model())
>>> len(plan.nodes) == len(tracer.load_model().holders), plan.collapsed
(True, ())
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import UnknownIdError
from ..model import Model

__all__ = [
    "COLLAPSE_MODES",
    "Overview",
    "OverviewEdge",
    "OverviewNode",
    "edge_text",
    "plan_overview",
]

COLLAPSE_MODES = ("auto", "none", "party", "role")
# auto: collapse a role once this many parties share it, and a party once it has this many holders
ROLE_LIMIT = 12
PARTY_LIMIT = 15
ROLE_WORDS = {
    "platform": ("platform", "platforms"),
    "skill_developer": ("skill developer", "skill developers"),
    "processor": ("processor", "processors"),
    "contractor": ("contractor", "contractors"),
    "third_party": ("third party", "third parties"),
    "data_subject": ("data subject", "data subjects"),
}


@dataclass(frozen=True)
class OverviewNode:
    key: str  # a holder id, "party/<id>" or "role/<role>" ("/" is in no id: no collision)
    title: str
    lines: tuple[str, ...]  # plain text, escaped by the writer
    kind: str  # a holder kind, or "group"
    cluster: str | None  # party id whose cluster holds it (None: drawn at top level)
    holders: int = 1


@dataclass(frozen=True)
class OverviewEdge:
    source: str
    target: str
    records: tuple[str, ...]  # record names
    flows: int
    when: str  # the condition in words ("when skill + purchase"); "" when unconditional
    confidence: str
    share: str | None


@dataclass(frozen=True)
class Overview:
    title: str
    nodes: tuple[OverviewNode, ...]
    edges: tuple[OverviewEdge, ...]
    clusters: dict[str, str] = field(default_factory=dict)  # party id -> cluster title
    collapsed: tuple[str, ...] = ()  # what was grouped, in words, for a caption


def plan_overview(model: Model, *, focus: str | None = None, collapse: str = "auto") -> Overview:
    """The nodes and edges of the ecosystem overview."""
    if collapse not in COLLAPSE_MODES:
        raise ValueError(f"collapse must be one of {COLLAPSE_MODES}")
    shown = _focus(model, focus)
    parties_by_role: dict[str, set[str]] = defaultdict(set)
    holders_by_party: dict[str, list[str]] = defaultdict(list)
    for key in shown:
        holder = model.holders[key]
        parties_by_role[model.parties[holder.party].role].add(holder.party)
        holders_by_party[holder.party].append(key)

    def group_of(key: str) -> str:
        party = model.holders[key].party
        role = model.parties[party].role
        if collapse == "role" or (collapse == "auto" and len(parties_by_role[role]) >= ROLE_LIMIT):
            return f"role/{role}"
        if collapse == "party" or (
            collapse == "auto" and len(holders_by_party[party]) >= PARTY_LIMIT
        ):
            return f"party/{party}"
        return key

    groups: dict[str, list[str]] = defaultdict(list)
    for key in shown:
        groups[group_of(key)].append(key)
    derived: dict[str, set[str]] = defaultdict(set)
    for derivation in model.derivations:
        derived[derivation.at].add(
            f"makes {model.records[derivation.target].name} from "
            f"{model.records[derivation.source].name}"
        )

    nodes, clusters, collapsed = [], {}, []
    for group in sorted(groups):
        members = sorted(groups[group])
        if group.startswith("role/"):
            role = group.removeprefix("role/")
            parties = sorted({model.holders[m].party for m in members})
            singular, plural = ROLE_WORDS[role]
            title = f"{len(parties):,} {singular if len(parties) == 1 else plural}"
            lines = (f"{len(members):,} holders", *_sample(model.parties[p].name for p in parties))
            nodes.append(OverviewNode(group, title, lines, "group", None, len(members)))
            collapsed.append(f"{title} drawn as one node")
        elif group.startswith("party/"):
            party = group.removeprefix("party/")
            title = model.parties[party].name
            lines = (f"{len(members):,} holders", *_sample(model.holders[m].name for m in members))
            nodes.append(OverviewNode(group, title, lines, "group", None, len(members)))
            collapsed.append(f"{title}: {len(members):,} holders drawn as one node")
        else:
            holder = model.holders[group]
            kinds = len(holder.keeps)
            lines = [f"keeps {kinds} record kind{'s' if kinds != 1 else ''}"] if kinds else []
            lines += sorted(derived[group])
            nodes.append(OverviewNode(group, holder.name, tuple(lines), holder.kind, holder.party))
            clusters[holder.party] = model.parties[holder.party].name

    member_of = {key: group for group, keys in groups.items() for key in keys}
    merged: dict[tuple[str, str], list] = defaultdict(list)
    for flow in model.flows:
        if flow.source in member_of and flow.target in member_of:
            ends = (member_of[flow.source], member_of[flow.target])
            if ends[0] != ends[1] or ends[0] in model.holders:
                merged[ends].append(flow)
    edges = []
    for (source, target), flows in sorted(merged.items()):
        records = sorted({model.records[r].name for f in flows for r in f.carries})
        conditional = all(f.when for f in flows)
        tag_sets = {tuple(f.when) for f in flows} if conditional else set()
        confidences = {f.confidence for f in flows}
        shares = {f.share for f in flows if f.share}
        edges.append(
            OverviewEdge(
                source,
                target,
                tuple(records),
                len(flows),
                _when(tag_sets),
                confidences.pop() if len(confidences) == 1 else "stated",
                shares.pop() if len(shares) == 1 and len(flows) == 1 else None,
            )
        )
    title = model.name + (f", around {focus}" if focus else "")
    return Overview(title, tuple(nodes), tuple(edges), clusters, tuple(collapsed))


def _focus(model: Model, focus: str | None) -> list[str]:
    """The holders to show: all, or those of the focused party or holder and their neighbours."""
    if focus is None:
        return list(model.holders)
    if focus in model.holders:
        core = {focus}
    elif focus in model.parties:
        core = {key for key, holder in model.holders.items() if holder.party == focus}
    else:
        raise UnknownIdError("party or holder", focus, [*model.parties, *model.holders])
    shown = set(core)
    for flow in model.flows:
        if flow.source in core:
            shown.add(flow.target)
        if flow.target in core:
            shown.add(flow.source)
    return sorted(shown)


def _when(tag_sets: set[tuple[str, ...]]) -> str:
    """The condition of merged flows: one tag set written out, several summarised."""
    if not tag_sets:
        return ""
    if len(tag_sets) == 1:
        return "when " + " + ".join(next(iter(tag_sets)))
    examples = ", ".join(" + ".join(tags) for tags in sorted(tag_sets)[:2])
    return f"each when its own tags ({examples}, ...)"


def _sample(names, limit: int = 3) -> tuple[str, ...]:
    names = sorted(names)
    return tuple(names[:limit]) + (
        (f"and {len(names) - limit:,} more",) if len(names) > limit else ()
    )


def edge_text(edge: OverviewEdge) -> str:
    """What an overview edge says: its records (a few), how many flows, and when."""
    records = ", ".join(edge.records[:3]) + (
        f" +{len(edge.records) - 3}" if len(edge.records) > 3 else ""
    )
    lines = [records]
    if edge.flows > 1:
        lines.append(f"{edge.flows:,} flows")
    if edge.when:
        lines.append(edge.when)
    if edge.share:
        lines.append(f"({edge.share})")
    return "\n".join(lines)
