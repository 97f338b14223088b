"""Matching a record's ``skillName`` to the skills tracer knows: a list of candidates, each an
id, a name and the interaction it stands for, looked up case- and punctuation-insensitively.

The model's named skills are candidates today (:func:`model_candidates`, and the ``skills:`` of
a mapping file); a skill catalogue's rows plug in as more candidates (id ``B07K1NBJLJ``,
interaction ``skill:B07K1NBJLJ``). A name may match several: the caller lists them as ambiguous.

>>> index = NameIndex([Candidate("dominos-order", "Domino's", "dominos-order"),
...                    Candidate("B01", "Sleep Sounds", "skill:B01"),
...                    Candidate("B02", "Sleep sounds!", "skill:B02")])
>>> [c.id for c in index.match("DOMINOS")], [c.id for c in index.match("sleep sounds")]
(['dominos-order'], ['B01', 'B02'])
>>> normalise("Domino’s  Pizza"), normalise("Café-Radio")
('dominospizza', 'caferadio')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from tracer.model import Model

__all__ = ["Candidate", "NameIndex", "NameSource", "model_candidates", "normalise"]


@dataclass(frozen=True, order=True)
class Candidate:
    """A skill a record's ``skillName`` may name: its id, its name as shown, and the
    interaction a record of it is."""

    id: str
    name: str
    interaction: str
    source: str = ""  # where tracer knows it from, for the summary and the letters


def normalise(name: str) -> str:
    """The name with case, accents, punctuation and spaces gone: what two spellings of one
    skill's name share (``Domino's``, ``DOMINOS``, ``Domino’s``)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())


class NameSource(Protocol):
    """Anything that finds the candidates a skill name may name: a :class:`NameIndex` of a
    list, or a catalogue that looks names up in its own table."""

    def match(self, name: str) -> tuple[Candidate, ...]: ...


class NameIndex:
    """Candidates by their normalised name (a :class:`NameSource`)."""

    def __init__(self, candidates: Iterable[Candidate] = ()):
        self._by_name: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        found = self._by_name.setdefault(normalise(candidate.name), [])
        if candidate not in found:
            found.append(candidate)

    def match(self, name: str) -> tuple[Candidate, ...]:
        """Every candidate whose name is ``name`` but for case and punctuation, sorted."""
        return tuple(sorted(self._by_name.get(normalise(name), ())))


def model_candidates(model: Model) -> list[Candidate]:
    """The model's named skills: each interaction tagged ``skill:X`` where ``X`` is a skill
    developer of the model, under that party's name (``Uber`` for ``uber-ride``)."""
    found = []
    for key, interaction in sorted(model.interactions.items()):
        for tag in interaction.tags:
            party = model.parties.get(tag[len("skill:") :]) if tag.startswith("skill:") else None
            if party is not None and party.role == "skill_developer":
                found.append(Candidate(key, party.name, key, f"the model: {key} is tagged {tag}"))
    return found
