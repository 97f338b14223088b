"""The references of a model's ``skill_template`` (the platform's rules for every skill of a
catalogue, :mod:`tracer.skills`): each holder, record, source and deletion request it names must
exist, as :mod:`tracer.model.references` checks for the rest of the model. Here, in the model
package, because loading checks them and the catalogue's code uses loading.

>>> from tracer.model.loading import load_model
>>> template_problems(load_model(), {})[:1]  # as if the model had no holders at all
[(('skill_template', 'starts', 'echo'), "unknown holder 'echo'")]
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import did_you_mean
from .format import BACKEND, Model, Retention
from .scopes import FLAG_FEATURES, SCOPES

__all__ = ["template_problems"]


def template_problems(model: Model, known: Mapping[str, set[str]]) -> list[tuple[tuple, str]]:
    """Every unresolved reference of the model's ``skill_template``, as ``(loc, message)``."""
    template = model.skill_template
    if template is None:
        return []
    problems: list[tuple[tuple, str]] = []
    holders, sources = known.get("holders", set()), known.get("sources", set())
    records = known.get("records", set()) | set(template.records)
    deletions = known.get("deletions", set())

    def check(ids: set[str], noun: str, wanted: str, loc: tuple, backend: bool = False) -> None:
        if wanted in ids or (backend and wanted == BACKEND):
            return
        problems.append((loc, f"unknown {noun} {wanted!r}" + did_you_mean(wanted, ids)))

    def check_rule(rule: Retention, loc: tuple) -> None:
        for field in ("deleted_by", "unclear_for"):
            for index, request in enumerate(getattr(rule, field)):
                check(deletions, "deletion request", request, (*loc, field, index))
        for index, source in enumerate(rule.evidence):
            check(sources, "source", source, (*loc, "evidence", index))

    def check_starts(starts: Mapping, loc: tuple) -> None:
        for holder, started in starts.items():
            check(holders, "holder", holder, (*loc, "starts", holder), backend=True)
            for index, record in enumerate(started):
                check(records, "record", record, (*loc, "starts", holder, index))

    base = ("skill_template",)
    check_starts(template.starts, base)
    for holder, keeps in template.platform_keeps.items():
        loc = (*base, "platform_keeps", holder)
        check(holders, "holder", holder, loc)
        for record, rule in keeps.items():
            check(records, "record", record, (*loc, record))
            check_rule(rule, (*loc, record))
    seen: dict[str, tuple] = {}
    features = ("always", *FLAG_FEATURES, *SCOPES)
    for name, feature in template.features.items():
        loc = (*base, "features", name)
        if name not in features:
            problems.append(
                (loc, f"unknown feature {name!r}{did_you_mean(name, features)} (a feature is "
                 "always, account_linking, in_skill_purchases, amazon_pay or an ASK scope)")
            )  # fmt: skip
        check_starts(feature.starts, loc)
        for index, flow in enumerate(feature.flows):
            here = (*loc, "flows", index)
            check(holders, "holder", flow.source, (*here, "from"), backend=True)
            check(holders, "holder", flow.target, (*here, "to"), backend=True)
            if flow.source == flow.target:
                problems.append(((*here, "to"), "a flow must go to another holder"))
            if BACKEND not in (flow.source, flow.target):
                problems.append(((*here, "to"), "a template flow goes to or from the backend"))
            for number, record in enumerate(flow.carries):
                check(records, "record", record, (*here, "carries", number))
            for number, source in enumerate(flow.evidence):
                check(sources, "source", source, (*here, "evidence", number))
        for index, made in enumerate(feature.derivations):
            here = (*loc, "derivations", index)
            check(records, "record", made.source, (*here, "from"))
            check(records, "record", made.target, (*here, "to"))
            for number, source in enumerate(made.evidence):
                check(sources, "source", source, (*here, "evidence", number))
        for index, edge in enumerate((*feature.flows, *feature.derivations)):
            kind = "flows" if index < len(feature.flows) else "derivations"
            number = index if kind == "flows" else index - len(feature.flows)
            here = (*loc, kind, number, "id")
            if edge.id in seen:
                problems.append((here, f"duplicate id {edge.id!r} in the skill template"))
            seen[edge.id] = here
        for record, rule in feature.keeps.items():
            check(records, "record", record, (*loc, "keeps", record))
            check_rule(rule, (*loc, "keeps", record))
    return problems
