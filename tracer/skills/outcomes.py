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

import re
import uuid
from pathlib import Path

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
    (``skill-shape:N``, numbered in the order of the skills' ids), party and developer, and
    each shape's first skill, the one traced for all of them.

    Shapes are found in SQL over the catalogue (:meth:`of_json`): two skills share one when
    their permissions are written alike (same scopes, same order), with the same yes/no
    features, both with or both without a source (and a URL one), and the same retention words:
    a finer grouping than :func:`shape_of`, so each shape is traced exactly as its skills are.
    """

    def __init__(self, catalogue: Catalogue, table: str, first: dict[str, Skill]):
        self.catalogue = catalogue
        self.table = table  # in the catalogue's connection, made by of_json
        self.first = first  # skill-shape:N -> its first skill

    @classmethod
    def of_json(cls, catalogue: Catalogue, ids: str) -> Shapes:
        """The shapes of the catalogue's skills whose ids (in lower case, no ``skill:``) are
        the JSON array ``ids``, as a table in the catalogue's connection (a shape is numbered by
        its first skill's id among the shapes' first skills): a ledger's DuckDB writes the
        array, and neither the ids nor the skills become Python rows (a log may name
        100,000)."""
        table = f"shapes_{uuid.uuid4().hex}"
        # each signature's first skill by a grouping, then the few firsts numbered: windows
        # over every named skill sorted 100,000 rows twice; the rows are sorted only when
        # written (write_parquet)
        catalogue.query(
            f"""CREATE TEMP TABLE {table} AS
                WITH named AS (
                    SELECT s.key, concat_ws('|', array_to_string(s.permissions, ' '),
                               s.account_linking, s.in_skill_purchases, s.amazon_pay,
                               s.source IS NULL, coalesce(contains(s.source, '://'), false),
                               coalesce(s.retention, '')) AS signature,
                           p.party, s.developer, s.name, s.privacy_policy, s.source
                    FROM skills s JOIN parties p USING (developer)
                    WHERE s.key IN (SELECT unnest(from_json(?, '["VARCHAR"]')))),
                firsts AS (
                    SELECT signature, first,
                           'skill-shape:' || (row_number() OVER (ORDER BY first) - 1) AS shape
                    FROM (SELECT signature, min(key) AS first FROM named GROUP BY signature))
                SELECT 'skill:' || key AS interaction, shape, party, developer, name,
                       privacy_policy, source, first
                FROM named JOIN firsts USING (signature)""",
            [ids],
        )
        firsts = dict(catalogue.query(f"SELECT DISTINCT shape, first FROM {table} ORDER BY 1"))
        skills = catalogue.many(firsts.values())
        return cls(catalogue, table, {shape: skills[key] for shape, key in firsts.items()})

    COLUMNS = "interaction, shape, party, developer, name, privacy_policy, source"

    def drop(self) -> None:
        """Remove the table from the catalogue's connection (a catalogue may serve many
        builds)."""
        self.catalogue.query(f"DROP TABLE IF EXISTS {self.table}")

    def write_parquet(self, path: str | Path) -> None:
        """Each skill's (interaction, shape, party, developer, name, privacy_policy, source) as
        a Parquet file, written by the catalogue's DuckDB: the ledger reads it into its table
        ``skill_parties`` with no Python object per skill."""
        quoted = "'" + str(path).replace("'", "''") + "'"
        self.catalogue.query(
            f"COPY (SELECT {self.COLUMNS} FROM {self.table} ORDER BY 1) TO {quoted} "
            "(FORMAT PARQUET)"
        )


def placeheld(copies: list, skill: Skill, key: str) -> list:
    """``copies`` (OutcomeCopy) traced for ``skill``, stored for its whole shape under ``key``:
    the skill's id as ``{skill}``, its developer as ``{developer}`` (the ledger's ``copies``
    view puts each event's own back)."""
    return renamed(copies, skill, Skill("", "", "", DEVELOPER), key, interaction=SKILL)


def renamed(
    copies: list, source: Skill, target: Skill, key: str, *, interaction: str | None = None
) -> list:
    """``copies`` (OutcomeCopy) traced for ``source``, as they are for ``target`` under ``key``."""
    old = source.interaction  # a property: read once, not for each of many texts
    pattern = re.compile(re.escape(old) + r"(?=[/:'\s,)]|$)")
    new = interaction or target.interaction
    old_party, new_party = source.party, target.party

    def swap(text: str) -> str:
        return pattern.sub(new, text) if old in text else text

    def party(value: str) -> str:
        return new_party if value == old_party else value

    # made field by field, not by dataclasses.replace: a log of many skills has tens of
    # thousands of copies, and replace() costs as much again as the renaming
    return [
        type(copy)(
            outcome=key,
            id=swap(copy.id),
            holder=swap(copy.holder),
            record=copy.record,
            party=party(copy.party),
            status=copy.status,
            reason_head=swap(copy.reason_head),
            reason_tail=swap(copy.reason_tail),
            slot=copy.slot,
            evidence=tuple(swap(e) for e in copy.evidence),
            confidence=copy.confidence,
            access=tuple(sorted(party(p) for p in copy.access)),
        )
        for copy in copies
    ]
