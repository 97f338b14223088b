"""A skill catalogue (:mod:`tracer.skills`) as a source of names for the import: a record's
``skillName`` matched to the catalogue's rows whose normalized name is the same (never a row
that merely contains it), each a candidate of interaction ``skill:ID``.

The catalogue is asked only for a name the person's rules, the shipped file and the model's
named skills do not know: those name the skill as the model traces it by hand (the model's
``uber-ride`` rather than the catalogue's ``skill:uber-rides``).

>>> from tracer.skills import read_catalogue, shipped_catalogue_path
>>> names = CatalogueNames(read_catalogue(shipped_catalogue_path()))
>>> [(c.id, c.interaction) for c in names.match("TASK BUDDY")], names.match("Task")
([('task-buddy', 'skill:task-buddy')], ())
"""

from __future__ import annotations

from .matching import Candidate

__all__ = ["CatalogueNames"]


class CatalogueNames:
    """A :class:`~tracer.history.matching.NameSource` over a read catalogue."""

    def __init__(self, catalogue):
        self.catalogue = catalogue

    def match(self, name: str) -> tuple[Candidate, ...]:
        from tracer.skills import normalize_name

        wanted = normalize_name(name)
        if not wanted:
            return ()
        return tuple(
            Candidate(s.id, s.name, s.interaction, f"{self.catalogue.path} row {s.row}")
            for s in self.catalogue.find(name)
            if normalize_name(s.name) == wanted
        )
