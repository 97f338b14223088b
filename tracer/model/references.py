"""Every reference between ids in a model resolves: the checks pydantic's shape cannot make.

Problems are ``(loc, message)`` pairs, ``loc`` being the path of the field in the file
(``("flows", 3, "to")``) so the loader can point at its line.

>>> from tracer.model import Model
>>> m = Model.model_validate({"format": "tracer/1", "name": "t",
...     "parties": {"acme": {"name": "Acme"}},
...     "holders": {"inbox": {"name": "Inbox", "party": "acmee"}}})
>>> reference_problems(m)
[(('holders', 'inbox', 'party'), "unknown party 'acmee'; did you mean 'acme'?")]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter, eq

from ..errors import Suggestions, field_path
from .format import Model

__all__ = ["Known", "reference_problems", "section_ids"]

Loc = tuple[str | int, ...]


@dataclass
class Known:
    """The ids a file defines, each section's keys: taken from the raw file when some entries
    failed validation, so a reference to a malformed entry is not reported as unknown as well."""

    ids: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, model: Model) -> Known:
        sections = ("sources", "parties", "records", "holders", "deletions", "interactions")
        return cls({name: set(getattr(model, name)) for name in sections})


# how many distinct unknown ids of one section get a did-you-mean
SUGGESTED = 100

_NOUN = {
    "sources": "source",
    "parties": "party",
    "records": "record",
    "holders": "holder",
    "deletions": "deletion request",
    "interactions": "interaction",
}


def reference_problems(model: Model, known: Known | None = None) -> list[tuple[Loc, str]]:
    """Every unresolved or conflicting reference in ``model``, as ``(loc, message)`` pairs."""
    known = known or Known.of(model)
    problems = [] if _all_resolve(model, known) else _located_problems(model, known)
    if model.claims:
        from ..claims import claim_problems  # the claims' checks need the tracer and Fides keys

        problems += claim_problems(model, known.ids)
    if model.skill_template is not None:
        from .template import template_problems  # the catalogue's rules (tracer.skills)

        problems += template_problems(model, known.ids)
    return problems


def _all_resolve(model: Model, known: Known) -> bool:
    """Whether every reference resolves and nothing conflicts, checked with set operations.

    The same checks as :func:`_located_problems`, without locating anything: on a valid model
    (nearly every load) this is all the work, and at 350,000 flows it is a fraction of a
    reference-by-reference walk. Any doubt, and the walk finds and locates the problems.
    """
    ids = known.ids
    holders, records = ids.get("holders", set()), ids.get("records", set())
    parties, sources = ids.get("parties", set()), ids.get("sources", set())
    deletions = ids.get("deletions", set())
    flows, derivations = model.flows, model.derivations
    rules = [rule for holder in model.holders.values() for rule in holder.keeps.values()]
    grants = [grant for holder in model.holders.values() for grant in holder.access or ()]
    evidenced = (*rules, *grants, *flows, *derivations, *model.deletions.values())
    keys = [*map(attrgetter("key"), flows), *map(attrgetter("key"), derivations)]
    return (
        holders.issuperset(map(attrgetter("source"), flows))
        and holders.issuperset(map(attrgetter("target"), flows))
        and holders.issuperset(map(attrgetter("at"), derivations))
        and not any(map(eq, map(attrgetter("source"), flows), map(attrgetter("target"), flows)))
        and records.issuperset(chain.from_iterable(map(attrgetter("carries"), flows)))
        and records.issuperset(map(attrgetter("source"), derivations))
        and records.issuperset(map(attrgetter("target"), derivations))
        and not any(
            map(eq, map(attrgetter("source"), derivations), map(attrgetter("target"), derivations))
        )
        and len(set(keys)) == len(keys)
        and parties.issuperset(holder.party for holder in model.holders.values())
        and parties.issuperset(map(attrgetter("party"), grants))
        and records.issuperset(chain.from_iterable(h.keeps for h in model.holders.values()))
        and deletions.issuperset(chain.from_iterable(map(attrgetter("deleted_by"), rules)))
        and deletions.issuperset(chain.from_iterable(map(attrgetter("unclear_for"), rules)))
        and not any(set(r.deleted_by) & set(r.unclear_for) for r in rules if r.unclear_for)
        and all(
            set(r.per_request) <= {*r.deleted_by, *r.unclear_for}
            and sources.issuperset(
                chain.from_iterable(cited.evidence for cited in r.per_request.values())
            )
            for r in rules
            if r.per_request
        )
        and sources.issuperset(chain.from_iterable(map(attrgetter("evidence"), evidenced)))
        and all(
            holders.issuperset(interaction.starts)
            and records.issuperset(chain.from_iterable(interaction.starts.values()))
            for interaction in model.interactions.values()
        )
        and parties.issuperset(d.by for d in model.deletions.values() if d.by is not None)
        and (
            model.featured is None
            or (
                model.featured.interaction in ids.get("interactions", set())
                and deletions.issuperset(d.split("@")[0] for d in model.featured.delete)
            )
        )
    )


def _located_problems(model: Model, known: Known) -> list[tuple[Loc, str]]:
    """Every problem, each at the path of its field: the walk, one reference at a time."""
    problems: list[tuple[Loc, str]] = []
    # one index per section, built on the first unknown id: see Suggestions for the limit
    suggest: dict[str, Suggestions] = {}

    def check(section: str, wanted: str, loc: Loc) -> None:
        ids = known.ids.get(section, set())
        if wanted not in ids:
            if section not in suggest:
                suggest[section] = Suggestions(ids, limit=SUGGESTED)
            problems.append(
                (loc, f"unknown {_NOUN[section]} {wanted!r}" + suggest[section](wanted))
            )

    def check_all(section: str, wanted: Iterable[str], loc: Loc) -> None:
        for index, item in enumerate(wanted):
            check(section, item, (*loc, index))

    def check_evidence(rule, loc: Loc) -> None:
        check_all("sources", rule.evidence, (*loc, "evidence"))

    for key, holder in model.holders.items():
        loc = ("holders", key)
        check("parties", holder.party, (*loc, "party"))
        for index, grant in enumerate(holder.access or ()):
            check("parties", grant.party, (*loc, "access", index, "party"))
            check_evidence(grant, (*loc, "access", index))
        for record, rule in holder.keeps.items():
            rule_loc = (*loc, "keeps", record)
            check("records", record, rule_loc)
            check_all("deletions", rule.deleted_by, (*rule_loc, "deleted_by"))
            check_all("deletions", rule.unclear_for, (*rule_loc, "unclear_for"))
            for both in sorted(set(rule.deleted_by) & set(rule.unclear_for)):
                problems.append(
                    ((*rule_loc, "unclear_for"), f"{both!r} is in both deleted_by and unclear_for")
                )
            check_evidence(rule, rule_loc)
            for request, cited in rule.per_request.items():
                request_loc = (*rule_loc, "per_request", request)
                if request not in (*rule.deleted_by, *rule.unclear_for):
                    problems.append(
                        (request_loc, f"{request!r} is in neither deleted_by nor unclear_for")
                    )
                check_evidence(cited, request_loc)

    edge_keys: dict[str, Loc] = {}

    def check_unique(key: str, loc: Loc) -> None:
        if key in edge_keys:
            first = field_path(edge_keys[key])
            problems.append((loc, f"duplicate id {key!r} (also {first}); give each an `id:`"))
        else:
            edge_keys[key] = loc

    for index, flow in enumerate(model.flows):
        loc = ("flows", index)
        check("holders", flow.source, (*loc, "from"))
        check("holders", flow.target, (*loc, "to"))
        if flow.source == flow.target:
            problems.append(((*loc, "to"), "a flow must go to another holder (use a derivation)"))
        check_all("records", flow.carries, (*loc, "carries"))
        check_evidence(flow, loc)
        check_unique(flow.key, loc)

    for index, derivation in enumerate(model.derivations):
        loc = ("derivations", index)
        check("holders", derivation.at, (*loc, "at"))
        check("records", derivation.source, (*loc, "from"))
        check("records", derivation.target, (*loc, "to"))
        if derivation.source == derivation.target:
            problems.append(((*loc, "to"), "a derivation must make another record"))
        check_evidence(derivation, loc)
        check_unique(derivation.key, loc)

    for key, interaction in model.interactions.items():
        for holder, records in interaction.starts.items():
            loc = ("interactions", key, "starts", holder)
            check("holders", holder, loc)
            check_all("records", records, loc)

    for key, deletion in model.deletions.items():
        if deletion.by is not None:
            check("parties", deletion.by, ("deletions", key, "by"))
        check_evidence(deletion, ("deletions", key))

    if model.featured is not None:
        check("interactions", model.featured.interaction, ("featured", "interaction"))
        for index, spec in enumerate(model.featured.delete):
            check("deletions", spec.split("@")[0], ("featured", "delete", index))

    return problems


def section_ids(data: Mapping) -> Known:
    """The ids each section of a raw (maybe partly invalid) file defines."""
    ids: dict[str, set[str]] = {}
    for name in ("sources", "parties", "records", "holders", "deletions", "interactions"):
        section = data.get(name)
        ids[name] = {str(k) for k in section} if isinstance(section, Mapping) else set()
    return Known(ids)
