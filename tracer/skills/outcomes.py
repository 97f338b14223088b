"""What the ledger needs of a catalogue: its skills' interactions, their retention days, and
each distinct outcome traced once per *shape* of skill, not once per skill.

Two skills with the same features (in the same order), both with or both without a source, and
the same retention words' period, are instantiated alike but for their ids: the backend
``skill:<id>``, its flows ``skill:<id>:...``, the source ``skill:<id>`` and the developer's
party. So one is traced and its copies are renamed for the other (:func:`renamed`).

>>> from tracer.skills import Skill
>>> a = Skill("A1", "A", "Dev A", "developer:dev-a", permissions=("alexa::profile:email:read",))
>>> b = Skill("B2", "B", "Dev B", "developer:dev-b", permissions=("alexa::profile:email:read",))
>>> shape_of(a) == shape_of(b)
True
"""

from __future__ import annotations

import dataclasses
import re

from tracer.model import Model

from .catalogue import Catalogue, Skill

__all__ = ["renamed", "shape_of", "skill_thresholds"]


def shape_of(skill: Skill) -> tuple:
    """What a skill's trace depends on besides its ids (see the module)."""
    period = None
    if skill.retention:
        from tracer.interop.retention_text import read_retention

        reading = read_retention(skill.retention)
        period = reading.period if reading.parsed else None
    return (skill.features, bool(skill.source), "://" in (skill.source or ""), period)


def skill_thresholds(model: Model, catalogue: Catalogue) -> set[int]:
    """The retention durations (days) a skill of the catalogue may add to the model's: the
    template's rules and the periods of the catalogue's retention words."""
    from tracer.interop.retention_text import read_retention
    from tracer.model import Period

    template = model.skill_template
    days: set[int] = set()
    if template is None:
        return days
    rules = [rule for f in template.features.values() for rule in f.keeps.values()]
    rules += [rule for keeps in template.platform_keeps.values() for rule in keeps.values()]
    days |= {r.period.days for r in rules if r.period.kind == "duration"}
    for (words,) in catalogue.query("SELECT DISTINCT retention FROM skills WHERE retention <> ''"):
        reading = read_retention(words)
        if reading.parsed and reading.period != "unknown":
            period = Period.parse(reading.period)
            if period.kind == "duration":
                days.add(period.days)
    return days


def renamed(copies: list, source: Skill, target: Skill, key: str) -> list:
    """``copies`` (OutcomeCopy) traced for ``source``, as they are for ``target`` under ``key``."""
    pattern = re.compile(re.escape(source.interaction) + r"(?=[/:'\s,)]|$)")

    def swap(text: str) -> str:
        return pattern.sub(target.interaction, text)

    def party(value: str) -> str:
        return target.party if value == source.party else value

    return [
        dataclasses.replace(
            copy,
            outcome=key,
            id=swap(copy.id),
            holder=swap(copy.holder),
            party=party(copy.party),
            reason_head=swap(copy.reason_head),
            reason_tail=swap(copy.reason_tail),
            evidence=tuple(swap(e) for e in copy.evidence),
            access=tuple(sorted(party(p) for p in copy.access)),
        )
        for copy in copies
    ]
