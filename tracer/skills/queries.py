"""Questions over a whole catalogue: which skills ask for what, which can reach a record, and
what one skill receives, keeps and passes on. Each returns plain values (rows of dicts) that the
CLI prints as a table, JSON or CSV.

``reach`` traces each feature of the template once (the skill's ``always`` and that feature),
not each skill: a skill's backend receives a record when one of its features brings it there.
This holds while the template's features do not feed each other (no feature derives a record
that only another brings), which is so for the shipped templates; ``show`` traces the skill
itself.

>>> import tracer
>>> from tracer.skills import read_catalogue, shipped_catalogue_path
>>> catalogue = read_catalogue(shipped_catalogue_path())
>>> answer = reach(tracer.load_model(), catalogue, "link_token")
>>> answer["skills"], [row["feature"] for row in answer["features"]]
(10, ['account_linking'])
"""

from __future__ import annotations

from collections.abc import Iterable

from tracer.errors import TracerError, UnknownIdError
from tracer.model import Model
from tracer.tracing import trace

from ..model.scopes import FLAG_FEATURES
from .catalogue import Catalogue, Skill
from .template import instantiate

__all__ = ["list_skills", "reach", "show"]

_REMAINS = ("held", "may_remain")


def list_skills(
    catalogue: Catalogue,
    *,
    permission: str | None = None,
    developer: str | None = None,
    category: str | None = None,
) -> list[dict]:
    """The skills (by id) with that permission (a scope or a yes/no feature), developer (its
    name, any case, or its party id with or without ``developer:``) and category (any case)."""
    where, parameters = [], []
    if permission in FLAG_FEATURES:
        where.append(f"s.{permission}")
    elif permission:  # as written, or as the scope an older spelling stands for
        where.append("(list_contains(s.permissions, ?) OR list_contains(s.scopes, ?))")
        parameters += [permission, permission]
    if developer:
        where.append("(lower(s.developer) = lower(?) OR p.party IN (?, 'developer:' || ?))")
        parameters += [developer, developer, developer]
    if category:
        where.append("lower(s.category) = lower(?)")
        parameters.append(category)
    sql = (
        "SELECT s.id, s.name, s.developer, p.party, s.permissions, s.account_linking, "
        "s.in_skill_purchases, s.amazon_pay, s.category FROM skills s "
        "JOIN parties p USING (developer)"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY s.id"
    )
    names = ("skill", "name", "developer", "party", "permissions", *FLAG_FEATURES, "category")
    return [dict(zip(names, row, strict=True)) for row in catalogue.query(sql, parameters)]


def _feature_reach(
    model: Model, record: str, requests: tuple[str, ...], at: str | None
) -> dict[str, str]:
    """Per feature of the template, the status of ``record`` at a skill's backend when the
    skill has that feature (and ``always``); features that do not bring it are left out."""
    cache = model._derived.setdefault("skill-reach", {})
    key = (record, requests, at)
    if key in cache:
        return cache[key]
    found: dict[str, str] = {}
    template = model.skill_template
    features = template.features if template else {}
    for name in features:
        if name != "always" and record not in _mentions(features[name]):
            continue  # it cannot bring the record: no trace needed
        probe = Skill(
            "reach-probe",
            "probe",
            "probe",
            "developer:reach-probe",
            permissions=(name,) if name.startswith("alexa") or ":" in name else (),
            **{flag: flag == name for flag in FLAG_FEATURES},
        )
        result = trace(instantiate(model, [probe]), probe.interaction, requests, at=at)
        for copy in result.copies:
            if copy.holder == probe.interaction and copy.record == record:
                found[name] = copy.status
    cache[key] = found
    return found


def _mentions(feature) -> set[str]:
    """The records a feature can bring to the backend itself: carried, derived, started."""
    found = {record for flow in feature.flows for record in flow.carries}
    found |= {made.target for made in feature.derivations}
    return found | {record for records in feature.starts.values() for record in records}


def reach(
    model: Model,
    catalogue: Catalogue,
    record: str,
    requests: Iterable[str] = (),
    *,
    at: str | None = None,
) -> dict:
    """How many skills' developers can receive ``record``, by feature (permission) and by
    developer; with deletion ``requests``, how many may still hold it."""
    known = set(model.records) | set(model.skill_template.records if model.skill_template else ())
    if record not in known:
        raise UnknownIdError("record", record, known)
    requests = tuple(requests)
    statuses = _feature_reach(model, record, requests, at)
    remains = sorted(f for f, status in statuses.items() if status in _REMAINS)

    def condition(features: list[str]) -> tuple[str, list]:
        if "always" in features:
            return "true", []
        parts, parameters = [], []
        scopes = [f for f in features if f not in FLAG_FEATURES]
        if scopes:
            parts.append("list_has_any(s.scopes, ?::VARCHAR[])")
            parameters.append(scopes)
        parts += [f"s.{f}" for f in features if f in FLAG_FEATURES]
        return (" OR ".join(parts) or "false"), parameters

    # every count in one scan: each feature's skills, all of them, those that may still hold it
    counted = [[f] for f in sorted(statuses)] + [sorted(statuses), remains]
    filters, parameters = [], []
    for features in counted:
        where, more = condition(features) if features else ("false", [])
        filters.append(f"count(*) FILTER (WHERE {where})")
        parameters += more
    *each, total, holding = catalogue.query(
        f"SELECT {', '.join(filters)} FROM skills s", parameters
    )[0]
    per_feature = [
        {"feature": feature, "skills": n, "status": statuses[feature]}
        for feature, n in zip(sorted(statuses), each, strict=True)
    ]
    where, parameters = condition(sorted(statuses))
    still, still_parameters = condition(remains) if remains else ("false", [])
    developers = (
        [
            {"party": party, "developer": name, "skills": skills, "may_still_hold": holding}
            for party, name, skills, holding in catalogue.query(
                f"""SELECT p.party, d.developer, d.skills, d.holding FROM (
                    SELECT s.developer, count(*) AS skills,
                           count(*) FILTER (WHERE {still}) AS holding
                    FROM skills s WHERE {where} GROUP BY s.developer) d
                JOIN parties p USING (developer)
                ORDER BY d.skills DESC, p.party""",
                [*still_parameters, *parameters],
            )
        ]
        if statuses
        else []
    )
    return {
        "record": record,
        "requests": list(requests),
        "skills": total if statuses else 0,
        "may_still_hold": holding if statuses else 0,
        "of": len(catalogue),
        "features": per_feature,
        "developers": developers,
    }


def show(
    model: Model,
    catalogue: Catalogue,
    wanted: str,
    requests: Iterable[str] = (),
    *,
    at: str | None = None,
) -> dict:
    """What skill ``wanted`` receives (its backend's copies), keeps (their rules and status),
    and passes on (copies that left the backend), with the evidence of each."""
    skill = catalogue.skill(wanted)
    instantiated = instantiate(model, [skill])
    if skill.interaction not in instantiated.interactions:  # the model names it itself
        raise TracerError(f"{skill.interaction} is an interaction of the model itself")
    result = trace(instantiated, skill.interaction, tuple(requests), at=at)
    backend = skill.interaction
    outward = {f.key for f in instantiated.flows if f.source == backend}
    received, passed = [], []
    for copy in result.copies:
        row = {
            "copy": copy.id,
            "party": copy.party,
            "status": copy.status,
            "retention": copy.retention,
            "reason": copy.reason,
            "path": list(copy.path),
            "evidence": list(copy.evidence),
            "confidence": copy.confidence,
        }
        if copy.holder == backend:
            received.append(row)
        elif outward.intersection(copy.path):
            passed.append(row)
    sources = sorted(
        {e for row in received + passed for e in row["evidence"]}
        | {e for f in instantiated.flows if f.key.startswith(backend + ":") for e in f.evidence}
    )
    return {
        "skill": skill.id,
        "name": skill.name,
        "developer": skill.developer,
        "party": skill.party,
        "permissions": list(skill.permissions),
        "unknown_permissions": list(skill.unknown_permissions),
        "features": list(skill.features),
        "interaction": skill.interaction,
        "requests": [r.to_dict() for r in result.requests],
        "receives": received,
        "passes_on": passed,
        "sources": {
            key: {"title": instantiated.sources[key].title, "url": instantiated.sources[key].url}
            for key in sources
            if key in instantiated.sources
        },
    }
