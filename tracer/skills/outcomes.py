"""What the ledger needs of a catalogue: its skills' retention days, and each distinct outcome
traced once per *shape* of skill, not once per skill.

Two skills with the same features (in the same order), both with or both without a source, and
the same retention words' period, are instantiated alike but for their ids: the backend
``skill:<id>``, its flows ``skill:<id>:...``, the source ``skill:<id>`` and the developer's
party. So the ledger gives every skill of a shape the outcome of its shape (:class:`Shapes`),
traces it for the shape's first skill, and stores its copies with ``{skill}`` and
``{developer}`` in place of those ids (:func:`placeheld`); the ledger's ``copies`` view puts each
event's own back.

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

__all__ = [
    "DEVELOPER",
    "SKILL",
    "Shapes",
    "placeheld",
    "renamed",
    "shape_of",
    "skill_thresholds",
    "thresholds_of",
]

# what stands for the skill's id and its developer's party in a shape's stored copies: no id
# can hold braces, so nothing else is ever replaced
SKILL = "{skill}"
DEVELOPER = "{developer}"


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
    words = catalogue.query("SELECT DISTINCT retention FROM skills WHERE retention <> ''")
    return thresholds_of(model, [text for (text,) in words])


def thresholds_of(model: Model, retentions: list[str]) -> set[int]:
    """:func:`skill_thresholds` from the retention words themselves."""
    from tracer.interop.retention_text import read_retention
    from tracer.model import Period

    template = model.skill_template
    days: set[int] = set()
    if template is None:
        return days
    rules = [rule for f in template.features.values() for rule in f.keeps.values()]
    rules += [rule for keeps in template.platform_keeps.values() for rule in keeps.values()]
    days |= {r.period.days for r in rules if r.period.kind == "duration"}
    for words in retentions:
        reading = read_retention(words)
        if reading.parsed and reading.period != "unknown":
            period = Period.parse(reading.period)
            if period.kind == "duration":
                days.add(period.days)
    return days


class Shapes:
    """The catalogue skills a log names, grouped by shape: each skill's shape id
    (``skill-shape:N``, numbered in the order of the skills' ids) and each shape's first skill,
    the one traced for all of them."""

    def __init__(self, skills: dict[str, Skill]):
        self.of: dict[str, str] = {}  # skill:ID -> skill-shape:N
        self.first: dict[str, Skill] = {}  # skill-shape:N -> its first skill
        numbers: dict[tuple, str] = {}
        for key in sorted(skills):
            skill = skills[key]
            shape = numbers.setdefault(shape_of(skill), f"skill-shape:{len(numbers)}")
            self.of[skill.interaction] = shape
            self.first.setdefault(shape, skill)
        self.skills = skills

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(interaction, shape, party, developer) of every skill, by interaction."""
        by_interaction = {s.interaction: s for s in self.skills.values()}
        return [
            (i, shape, by_interaction[i].party, by_interaction[i].developer)
            for i, shape in sorted(self.of.items())
        ]


def placeheld(copies: list, skill: Skill, key: str) -> list:
    """``copies`` (OutcomeCopy) traced for ``skill``, stored for its whole shape under ``key``:
    the skill's id as ``{skill}``, its developer as ``{developer}`` (the ledger's ``copies``
    view puts each event's own back)."""
    return renamed(copies, skill, Skill("", "", "", DEVELOPER), key, interaction=SKILL)


def renamed(
    copies: list, source: Skill, target: Skill, key: str, *, interaction: str | None = None
) -> list:
    """``copies`` (OutcomeCopy) traced for ``source``, as they are for ``target`` under ``key``."""
    pattern = re.compile(re.escape(source.interaction) + r"(?=[/:'\s,)]|$)")
    new = interaction or target.interaction

    def swap(text: str) -> str:
        return pattern.sub(new, text) if source.interaction in text else text

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
