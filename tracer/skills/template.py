"""The skill template instantiated for skills of a catalogue: interaction ``skill:ID`` made real.

For a skill, :func:`instantiate` adds to the model what the template's rules give it: its
developer a party (``developer:<slug>``, one per distinct developer), its backend a holder
(``skill:<id>``), and, per feature it has (``always``, each permission scope, account linking,
in-skill purchases, Amazon Pay), the flows to that backend (``skill:<id>:<flow>``, active only
for tag ``skill:<id>``), what the backend makes of them and keeps, and the interaction
``skill:<id>`` (the template's tags and starts, and each feature's). A model instantiated for
one skill traces ``skill:ID`` exactly as one instantiated for the whole catalogue
(``tracer skills expand``) does: the other skills' flows are never active for it.

>>> import tracer
>>> from tracer.skills import Skill
>>> skill = Skill("B0TEST0001", "Pizza Now", "Pizza Co", "developer:pizza-co",
...               permissions=("alexa::profile:email:read",))
>>> model = instantiate(tracer.load_model(), [skill])
>>> [c.id for c in tracer.trace(model, "skill:b0test0001").copies if c.party == skill.party]
['skill:b0test0001/action_record', 'skill:b0test0001/email', 'skill:b0test0001/skill_request']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from tracer.errors import TracerError
from tracer.model import (
    BACKEND,
    Derivation,
    Flow,
    Holder,
    Interaction,
    Model,
    Party,
    Period,
    Retention,
    Source,
)

from ..model.scopes import ALIASES, FLAG_FEATURES, SCOPES
from .catalogue import Catalogue, Skill

__all__ = [
    "TemplateError",
    "instantiate",
    "shipped_catalogue_path",
    "skill_ids",
    "with_skills",
]

SHIPPED_MODELS = ("alexa.yaml", "alexa-2025.yaml")


class TemplateError(TracerError):
    """A skill the model's template cannot instantiate (no template, or a feature it lacks)."""


def shipped_catalogue_path() -> Path:
    """The shipped catalogue of real skills (``graphs/alexa-skills.csv``)."""
    return Path(str(resources.files("tracer") / "graphs" / "alexa-skills.csv"))


def shipped_model_paths() -> tuple[Path, ...]:
    return tuple(Path(str(resources.files("tracer") / "graphs" / name)) for name in SHIPPED_MODELS)


def skill_ids(interactions: Iterable[str], model: Model) -> list[str]:
    """The interactions of ``interactions`` that name a catalogue skill: ``skill:ID`` and not
    an interaction the model defines itself (the model's own wins)."""
    return list(
        dict.fromkeys(
            i for i in interactions if i.startswith("skill:") and i not in model.interactions
        )
    )


def with_skills(model: Model, catalogue: Catalogue | None, interactions: Iterable[str]) -> Model:
    """``model`` with the skills that ``interactions`` name (``skill:ID``) instantiated; the
    model itself when they name none."""
    wanted = skill_ids(interactions, model)
    if not wanted:
        return model
    if catalogue is None:
        raise TemplateError(
            f"{wanted[0]} names a catalogue skill, and no catalogue is given: use -c FILE"
        )
    return instantiate(model, [catalogue.skill(key) for key in wanted])


def _used_tags(model: Model) -> frozenset[str]:
    tags = model._derived.get("skill-tags")
    if tags is None:
        tags = model._derived["skill-tags"] = frozenset(
            tag for edge in (*model.flows, *model.derivations) for tag in edge.when
        )
    return tags


def _missing(feature: str, model: Model) -> TemplateError:
    """The error for a feature this model's template lacks, naming the shipped models with it."""
    from tracer.model.loading import load_model

    having = []
    for path in shipped_model_paths():
        try:
            other = load_model(path)
        except TracerError:  # pragma: no cover - the shipped models load (tested)
            continue
        if other.skill_template is not None and feature in other.skill_template.features:
            having.append(f"-m {path.stem} ({other.name})")
    if model.skill_template is None:
        head = f"the model {model.name!r} has no skill_template"
    else:
        head = f"the skill template of {model.name!r} has no rules for {feature!r}"
    hint = (
        "; use " + " or ".join(having)
        if having
        else "; add it to the model's skill_template (docs/skills.md)"
    )
    return TemplateError(head + hint)


def instantiate(model: Model, skills: Iterable[Skill]) -> Model:
    """``model`` with each of ``skills`` made explicit by the template (see the module)."""
    template = model.skill_template
    skills = [s for s in skills if s.interaction not in model.interactions]
    if not skills:
        return model
    if template is None:
        wanted = next(iter(skills[0].features[1:]), "always")
        raise _missing(wanted, model)
    parties, records = dict(model.parties), dict(model.records)
    holders, sources = dict(model.holders), dict(model.sources)
    flows, derivations = list(model.flows), list(model.derivations)
    interactions = dict(model.interactions)
    for key, record in template.records.items():
        records.setdefault(key, record)
    for key, keeps in template.platform_keeps.items():
        holder = holders[key]
        extra = {record: rule for record, rule in keeps.items() if record not in holder.keeps}
        if extra:
            holders[key] = dataclasses.replace(holder, keeps={**holder.keeps, **extra})
    used = _used_tags(model)
    for skill in skills:
        sid = skill.interaction
        if sid in used:
            raise TemplateError(
                f"skill {skill.id} (row {skill.row}): the model already uses the tag {sid!r} "
                "for its own flows; give the model's skill another tag"
            )
        features = []
        for name in skill.features:
            if name in template.features:
                features.append(template.features[name])
            elif name in SCOPES or name in FLAG_FEATURES:
                raise _missing(name, model)
            # a scope no ASK page names: the catalogue warned; no rule says what it gives
        cite: tuple[str, ...] = ()
        if skill.source:
            sources[sid] = Source(
                title=f"{skill.name}: the skill's permissions as published",
                url=skill.source if "://" in skill.source else None,
                note=None if "://" in skill.source else skill.source,
            )
            cite = (sid,)
        parties.setdefault(skill.party, Party(name=skill.developer, role="skill_developer"))
        keeps: dict[str, Retention] = {}
        for feature in features:
            for record, rule in feature.keeps.items():
                keeps.setdefault(record, rule)
        if skill.retention:
            keeps = _own_retention(keeps, skill.retention, cite)
        holders[sid] = Holder(
            name=f"{skill.name} (skill backend)",
            party=skill.party,
            kind="store",
            keeps=keeps,
            note=f"Row {skill.row} of the catalogue; developer: {skill.developer}.",
        )
        tags = [*template.tags, sid]
        starts: dict[str, list[str]] = {h: list(r) for h, r in template.starts.items()}
        for name, feature in zip(skill.features, features, strict=False):
            tags += feature.tags
            for holder, started in feature.starts.items():
                starts.setdefault(sid if holder == BACKEND else holder, []).extend(started)
            extra = cite if name != "always" else ()
            for flow in feature.flows:
                flows.append(
                    Flow(
                        id=f"{sid}:{flow.id}",
                        source=sid if flow.source == BACKEND else flow.source,
                        target=sid if flow.target == BACKEND else flow.target,
                        carries=flow.carries,
                        when=(sid, *flow.when),
                        deletion=flow.deletion,
                        purpose=flow.purpose,
                        evidence=(*flow.evidence, *extra),
                        confidence=flow.confidence,
                        note=flow.note,
                    )
                )
            for made in feature.derivations:
                derivations.append(
                    Derivation(
                        id=f"{sid}:{made.id}",
                        at=sid,
                        source=made.source,
                        target=made.target,
                        when=(sid, *made.when),
                        deletion=made.deletion,
                        purpose=made.purpose,
                        evidence=made.evidence,
                        confidence=made.confidence,
                        note=made.note,
                    )
                )
        interactions[sid] = Interaction(
            name=f"Use the skill {skill.name}",
            tags=tuple(dict.fromkeys(tags)),
            starts={h: tuple(dict.fromkeys(r)) for h, r in starts.items()},
        )
    fields = {name: getattr(model, name) for name in Model.model_fields}
    fields.update(
        parties=parties,
        records=records,
        holders=holders,
        sources=sources,
        flows=tuple(flows),
        derivations=tuple(derivations),
        interactions=interactions,
    )
    changed = {"parties", "records", "holders", "sources", "flows", "derivations", "interactions"}
    return Model.model_construct(_fields_set=set(model.model_fields_set) | changed, **fields)


def _own_retention(
    keeps: dict[str, Retention], words: str, cite: tuple[str, ...]
) -> dict[str, Retention]:
    """The developer's own words on retention (the catalogue's ``retention``), read as Fides
    retention texts are: when they give a period, it replaces the template's unknown one."""
    from tracer.interop.retention_text import read_retention

    reading = read_retention(words)
    if not reading.parsed or reading.period == "unknown":
        return keeps
    period = Period.parse(reading.period)
    return {
        record: dataclasses.replace(
            rule,
            period=period,
            evidence=(*rule.evidence, *cite),
            confidence="stated" if cite else "assumed",
            note=f"The developer's policy says: {words!r}.",
        )
        for record, rule in keeps.items()
    }


def unsupported(model: Model, catalogue: Catalogue) -> list:
    """The catalogue's rows with a feature the model's template has no rules for (each an
    error naming the model to use instead), found in SQL over the whole catalogue."""
    from .catalogue import RowProblem

    features = set(model.skill_template.features) if model.skill_template else set()
    problems = []
    lacking = [scope for scope in SCOPES if scope not in features and scope not in ALIASES]
    rows = catalogue.query(
        "SELECT row, id, scope FROM (SELECT row, id, unnest(scopes) AS scope FROM skills) "
        "WHERE scope IN (SELECT unnest(?::VARCHAR[])) ORDER BY row, scope",
        [lacking],
    )
    for flag in FLAG_FEATURES:
        if flag not in features:
            rows += catalogue.query(f"SELECT row, id, '{flag}' FROM skills WHERE {flag}")
    if "always" not in features:
        rows += catalogue.query("SELECT row, id, 'always' FROM skills")
    messages: dict[str, str] = {}
    for row, id_, feature in sorted(rows):
        if feature not in messages:
            messages[feature] = str(_missing(feature, model))
        field = "permissions" if feature in SCOPES else feature
        problems.append(RowProblem(str(catalogue.path), row, field, f"{id_}: {messages[feature]}"))
    return problems
