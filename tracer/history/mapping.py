"""Which interaction of the model a Voice History record is: the mapping rules.

A mapping file (YAML, ``format: tracer-history-map/1``) has two lists. ``skills``: a skill's
name as Voice History shows it in ``skillName`` and the interaction its records are, matched
case- and punctuation-insensitively (:mod:`tracer.history.matching`), optionally only for some
``intent`` or ``domain``. ``rules``: for a record with no ``skillName``, the first rule whose
fields all match: ``domain``, ``intent``, ``utterance_type`` (a value or a list, any case) and
``says`` (a regular expression searched in the transcript, any case). The shipped file
(``tracer/data/alexa-history-map.yaml``) maps to the shipped Alexa models; ``--map`` adds a
person's own, which come first.

A record whose skill name matches nothing is *unmapped*, never guessed from its domain (an unknown
skill's developer is not Amazon); one whose name matches several interactions is *ambiguous*.

>>> from tracer.model.loading import load_model
>>> mapper = Mapper.of(load_model())
>>> mapper.rule_for(skill="DOMINOS").interaction, mapper.rule_for(domain="weather").interaction
('dominos-order', 'weather')
>>> mapper.rule_for(skill="Unknown Quiz") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tracer.errors import did_you_mean
from tracer.model import Model
from tracer.model.yamldata import YamlProblem, lines_of, read_yaml

from .exports import HistoryError
from .matching import Candidate, NameIndex, NameSource, model_candidates, normalise

__all__ = ["MAP_FORMAT", "Mapper", "Match", "Rule", "default_map_path", "read_map"]

MAP_FORMAT = "tracer-history-map/1"
FIELDS = ("domain", "intent", "utterance_type", "says")
REMEMBERED = 100_000  # field combinations remembered (a history has a few hundred)


def default_map_path() -> Path:
    """The shipped mapping file, for the shipped Alexa models."""
    return Path(str(resources.files("tracer") / "data" / "alexa-history-map.yaml"))


@dataclass(frozen=True)
class Rule:
    """One mapping: the interaction, what a record must show for it (empty: anything), and
    where the rule is written (``file:line``), which the summary and the letters cite."""

    interaction: str
    where: str
    skill: str | None = None
    domain: tuple[str, ...] = ()
    intent: tuple[str, ...] = ()
    utterance_type: tuple[str, ...] = ()
    says: re.Pattern | None = None
    note: str | None = None

    def fits_fields(self, domain, intent, utterance_type) -> bool:
        """Whether a record with these fields satisfies the rule's conditions but ``says``."""
        for wanted, value in (
            (self.domain, domain),
            (self.intent, intent),
            (self.utterance_type, utterance_type),
        ):
            if wanted and (value is None or value.casefold() not in wanted):
                return False
        return True

    def fits(self, domain, intent, utterance_type, said) -> bool:
        """Whether a record with these fields satisfies every condition of the rule."""
        if not self.fits_fields(domain, intent, utterance_type):
            return False
        return self.says is None or (said is not None and self.says.search(said) is not None)

    def describe(self) -> str:
        """The rule in words: ``skill 'Uber' (tracer/data/alexa-history-map.yaml:12)``."""
        parts = [f"skill {self.skill!r}"] if self.skill else []
        for name in ("domain", "intent", "utterance_type"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name} {'/'.join(values)}")
        if self.says is not None:
            parts.append(f"says /{self.says.pattern}/")
        return f"{' '.join(parts) or 'any record'} ({self.where})"


@dataclass(frozen=True)
class Match:
    """What the rules make of one record: its interaction and the rule, or the candidates of
    an ambiguous skill name (``interaction`` None, ``candidates`` two or more), or nothing."""

    interaction: str | None
    rule: Rule | None = None
    candidates: tuple[Candidate, ...] = ()


def _values(value, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, (str, int)) and str(v).strip() for v in items):
        raise HistoryError(f"{where}: {name} must be a text or a list of texts")
    return tuple(str(v).strip().casefold() for v in items)


def read_map(
    path: str | Path, model: Model, *, shipped: bool = False, catalogue=None
) -> tuple[list, list]:
    """The ``(skills, rules)`` of a mapping file, checked against the model: an unknown
    interaction is an error naming ``file:line``, unless the file is the shipped one, whose rules
    for interactions this model lacks are left out (it serves the shipped models). An
    interaction ``skill:ID`` names a skill of ``catalogue`` (a :class:`tracer.skills.Catalogue`),
    as a person's rule does to settle a name two catalogue skills share."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such mapping file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise HistoryError(f"{path}: cannot read the mapping file: {error}") from None
    try:
        data = read_yaml(text)
    except (YamlProblem, Exception) as error:  # the parser's errors are many classes
        raise HistoryError(f"{path}: not a YAML mapping file: {error}") from None
    if not isinstance(data, dict) or data.get("format") != MAP_FORMAT:
        raise HistoryError(f"{path}: a mapping file starts with `format: {MAP_FORMAT}`")
    unknown = sorted(set(data) - {"format", "skills", "rules", "note"})
    if unknown:
        raise HistoryError(f"{path}: unknown key {unknown[0]!r} (skills, rules, note)")
    locs = [
        (section, index)
        for section in ("skills", "rules")
        for index in range(len(data.get(section) or []))
    ]
    lines = lines_of(text, locs)
    made: dict[str, list[Rule]] = {"skills": [], "rules": []}
    for section, index in locs:
        entry = data[section][index]
        where = f"{path}:{lines.get((section, index), 1)}"
        rule = _rule(entry, where, section, model, shipped, catalogue)
        if rule is not None:
            made[section].append(rule)
    return made["skills"], made["rules"]


def _catalogue_skill(interaction: str, where: str, catalogue) -> str:
    """A rule's ``skill:ID``, checked in the catalogue, as the ledger names it (lower case)."""
    if catalogue is None:
        raise HistoryError(
            f"{where}: {interaction} names a catalogue skill, and no catalogue is given: "
            "use -c FILE"
        )
    from tracer.skills import UnknownSkillError

    try:
        return catalogue.skill(interaction).interaction
    except UnknownSkillError as error:
        raise HistoryError(f"{where}: {error}") from None


def _rule(
    entry, where: str, section: str, model: Model, shipped: bool, catalogue=None
) -> Rule | None:
    if not isinstance(entry, dict):
        raise HistoryError(f"{where}: {section} entry must be a mapping")
    allowed = {"interaction", "note", *FIELDS[:3]} | ({"name"} if section == "skills" else {"says"})
    extra = sorted(set(entry) - allowed)
    if extra:
        raise HistoryError(f"{where}: unknown key {extra[0]!r} ({', '.join(sorted(allowed))})")
    interaction = entry.get("interaction")
    if not isinstance(interaction, str) or not interaction:
        raise HistoryError(f"{where}: no interaction")
    if interaction.startswith("skill:") and interaction not in model.interactions:
        if shipped and catalogue is None:  # the shipped file serves models without one too
            return None
        interaction = _catalogue_skill(interaction, where, catalogue)
    elif interaction not in model.interactions:
        if shipped:
            return None
        raise HistoryError(
            f"{where}: unknown interaction {interaction!r}"
            + did_you_mean(interaction, model.interactions)
        )
    name = entry.get("name")
    if section == "skills" and (not isinstance(name, str) or not name.strip()):
        raise HistoryError(f"{where}: a skill needs its name")
    says = entry.get("says")
    if says is not None:
        try:
            says = re.compile(str(says), re.IGNORECASE)
        except re.error as error:
            raise HistoryError(f"{where}: says: not a regular expression: {error}") from None
    return Rule(
        interaction=interaction,
        where=where,
        skill=name.strip() if isinstance(name, str) else None,
        domain=_values(entry.get("domain"), where, "domain"),
        intent=_values(entry.get("intent"), where, "intent"),
        utterance_type=_values(entry.get("utterance_type"), where, "utterance_type"),
        says=says,
        note=entry.get("note"),
    )


class Mapper:
    """The rules in force: the person's (first), then the shipped file's, then the model's named
    skills and any further skill candidates (a catalogue's rows)."""

    def __init__(
        self,
        own_skills: Sequence[Rule] = (),
        skills: Sequence[Rule] = (),
        rules: Sequence[Rule] = (),
        candidates: Iterable[Candidate] = (),
        sources: Sequence[NameSource] = (),
        fallback: Sequence[NameSource] = (),
    ):
        self.rules = list(rules)
        self._fallback = tuple(fallback)
        self._own = _by_name(own_skills)
        self._skills = _by_name(skills)
        self._sources = (NameIndex(candidates), *sources)
        # a year of history repeats a few dozen field combinations: each is worked out once
        # (a skill's match, or the rules whose fields fit, of which only `says` is left to try)
        self._by_skill: dict[tuple, Match] = {}
        self._fitting: dict[tuple, tuple[Rule, ...]] = {}

    @classmethod
    def of(
        cls,
        model: Model,
        maps: Sequence[str | Path] = (),
        *,
        shipped: str | Path | None = None,
        candidates: Iterable[Candidate] = (),
        sources: Sequence[NameSource] = (),
        fallback: Sequence[NameSource] = (),
        catalogue=None,
    ) -> Mapper:
        """The mapper for ``model``: the person's ``maps``, the shipped file (or ``shipped``),
        the model's named skills, the extra ``candidates`` and any other ``sources`` of names
        (a catalogue); the ``fallback`` sources (a catalogue, :mod:`tracer.history.catalogue`)
        are asked only for a name none of these knows. The person's rules may name the skills
        of ``catalogue`` (``skill:ID``)."""
        own_skills: list[Rule] = []
        rules: list[Rule] = []
        for path in maps:
            skills, more = read_map(path, model, catalogue=catalogue)
            own_skills += skills
            rules += more
        skills, shipped_rules = read_map(shipped or default_map_path(), model, shipped=True)
        every = [*model_candidates(model), *candidates]
        return cls(own_skills, skills, rules + shipped_rules, every, sources, fallback)

    def rule_for(self, **fields) -> Rule | None:
        """The rule that maps a record with these fields (see :meth:`match`), or None."""
        return self.match(**fields).rule

    def match(self, *, skill=None, domain=None, intent=None, utterance_type=None, said=None):
        """A record's :class:`Match`: by its skill name (the person's names first, then the
        shipped file's and the candidates'; a skill rule never looks at what was said), else by
        the first rule its fields fit."""
        if skill:
            fields = (skill, domain, intent, utterance_type)
            found = self._by_skill.get(fields)
            if found is None:
                found = self._skill_match(*fields)
                if len(self._by_skill) < REMEMBERED:
                    self._by_skill[fields] = found
            return found
        fields = (domain, intent, utterance_type)
        fitting = self._fitting.get(fields)
        if fitting is None:
            fitting = tuple(r for r in self.rules if r.fits_fields(*fields))
            if len(self._fitting) < REMEMBERED:
                self._fitting[fields] = fitting
        for rule in fitting:
            if rule.says is None or (said is not None and rule.says.search(said)):
                return Match(rule.interaction, rule)
        return Match(None)

    def _skill_match(self, skill, domain, intent, utterance_type) -> Match:
        key = normalise(skill)
        own = [r for r in self._own.get(key, ()) if r.fits_fields(domain, intent, utterance_type)]
        if own:
            return _decide(own, ())
        shipped = [
            r for r in self._skills.get(key, ()) if r.fits_fields(domain, intent, utterance_type)
        ]
        found = tuple(c for source in self._sources for c in source.match(skill))
        if not shipped and not found:
            found = tuple(c for source in self._fallback for c in source.match(skill))
        return _decide(shipped, found)


def _by_name(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    found: dict[str, list[Rule]] = {}
    for rule in rules:
        found.setdefault(normalise(rule.skill or ""), []).append(rule)
    return found


def _decide(rules: Sequence[Rule], candidates: Sequence[Candidate]) -> Match:
    """One interaction among the matches: mapped by the first rule (or candidate) naming it;
    several: ambiguous, every candidate listed; none: unmapped."""
    named = [Candidate(r.interaction, r.skill or "", r.interaction, r.where) for r in rules]
    every = sorted({*named, *candidates}, key=lambda c: (c.interaction, c.id, c.name, c.source))
    interactions = {c.interaction for c in every}
    if len(interactions) > 1:
        return Match(None, None, tuple(every))
    if rules:
        return Match(rules[0].interaction, rules[0])
    if candidates:
        first = candidates[0]
        return Match(first.interaction, Rule(first.interaction, first.source, skill=first.name))
    return Match(None)
