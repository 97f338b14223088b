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
from .style import short_id

__all__ = [
    "COLLAPSE_MODES",
    "Overview",
    "OverviewEdge",
    "OverviewNode",
    "edge_text",
    "node_name",
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
    key: str  # a holder id; for a group, the party id or the role
    title: str
    lines: tuple[str, ...]  # plain text, escaped by the writer
    kind: str  # a holder kind, or "group"
    cluster: str | None  # party id whose cluster holds it (None: drawn at top level)
    holders: int = 1
    group: str = ""  # "party" or "role" for a collapsed group, "" for a holder

    @property
    def name(self) -> str:
        """The node's name in a drawing. Holders and groups have names of their own kinds, so
        a holder whose id is ``party:us`` is never taken for the group of party ``us``."""
        return node_name(self.group, self.key)


def node_name(group: str, key: str) -> str:
    """The drawing name of a holder (``group`` "") or of a party or role group.

    >>> node_name("", "voice_history"), node_name("party", "amazon")[:2]
    ('h_voice__history', 'g_')
    """
    return short_id("h", key) if not group else short_id("g", f"{group}:{key}")


@dataclass(frozen=True)
class OverviewEdge:
    source: str  # node names (OverviewNode.name)
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

    def by_cluster(self) -> list[tuple[str, list[OverviewNode]]]:
        """The nodes drawn inside party clusters, by party id, sorted: one pass over the nodes,
        so a model of 100,000 holders in 60,000 parties is not 6 billion comparisons."""
        clustered: dict[str, list[OverviewNode]] = defaultdict(list)
        for node in self.nodes:
            if node.cluster:
                clustered[node.cluster].append(node)
        return sorted(clustered.items(), key=lambda item: item[0])


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

    # a group is (kind, id): ("", holder), ("party", party) or ("role", role); never one string,
    # so no model id can be mistaken for a group
    def group_of(key: str) -> tuple[str, str]:
        party = model.holders[key].party
        role = model.parties[party].role
        if collapse == "role" or (collapse == "auto" and len(parties_by_role[role]) >= ROLE_LIMIT):
            return ("role", role)
        if collapse == "party" or (
            collapse == "auto" and len(holders_by_party[party]) >= PARTY_LIMIT
        ):
            return ("party", party)
        return ("", key)

    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in shown:
        groups[group_of(key)].append(key)
    derived: dict[str, set[str]] = defaultdict(set)
    for derivation in model.derivations:
        derived[derivation.at].add(
            f"makes {model.records[derivation.target].name} from "
            f"{model.records[derivation.source].name}"
        )

    nodes, clusters, collapsed = [], {}, []
    for kind, key in sorted(groups, key=_order):
        members = sorted(groups[(kind, key)])
        if kind == "role":
            parties = sorted({model.holders[m].party for m in members})
            singular, plural = ROLE_WORDS.get(key, (key, key))
            title = f"{len(parties):,} {singular if len(parties) == 1 else plural}"
            lines = (_holders(len(members)), *_sample(model.parties[p].name for p in parties))
            nodes.append(OverviewNode(key, title, lines, "group", None, len(members), "role"))
            collapsed.append(f"{title} drawn as one node")
        elif kind == "party":
            title = model.parties[key].name
            lines = (_holders(len(members)), *_sample(model.holders[m].name for m in members))
            nodes.append(OverviewNode(key, title, lines, "group", None, len(members), "party"))
            collapsed.append(f"{title}: {_holders(len(members))} drawn as one node")
        else:
            holder = model.holders[key]
            kinds = len(holder.keeps)
            lines = [f"keeps {kinds} record kind{'s' if kinds != 1 else ''}"] if kinds else []
            lines += sorted(derived[key])
            nodes.append(OverviewNode(key, holder.name, tuple(lines), holder.kind, holder.party))
            clusters[holder.party] = model.parties[holder.party].name

    member_of = {key: group for group, keys in groups.items() for key in keys}
    merged: dict[tuple[tuple[str, str], tuple[str, str]], list] = defaultdict(list)
    for flow in model.flows:
        if flow.source in member_of and flow.target in member_of:
            ends = (member_of[flow.source], member_of[flow.target])
            # flows inside one collapsed group are not drawn; a holder's flow to itself is
            if ends[0] != ends[1] or not ends[0][0]:
                merged[ends].append(flow)
    edges = []
    for (source_group, target_group), flows in sorted(
        merged.items(), key=lambda item: (_order(item[0][0]), _order(item[0][1]))
    ):
        source, target = node_name(*source_group), node_name(*target_group)
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


def _holders(count: int) -> str:
    return f"{count:,} holder{'' if count == 1 else 's'}"


def _order(group: tuple[str, str]) -> tuple[str, str]:
    """Groups in a stable order: by holder id, or by "party:ID" / "role:ROLE"."""
    kind, key = group
    return (f"{kind}:{key}" if kind else key, kind)


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
