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

from .errors import Suggestions, field_path
from .model import Model

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
}


def reference_problems(model: Model, known: Known | None = None) -> list[tuple[Loc, str]]:
    """Every unresolved or conflicting reference in ``model``, as ``(loc, message)`` pairs."""
    known = known or Known.of(model)
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

    return problems


def section_ids(data: Mapping) -> Known:
    """The ids each section of a raw (maybe partly invalid) file defines."""
    ids: dict[str, set[str]] = {}
    for name in ("sources", "parties", "records", "holders", "deletions", "interactions"):
        section = data.get(name)
        ids[name] = {str(k) for k in section} if isinstance(section, Mapping) else set()
    return Known(ids)
