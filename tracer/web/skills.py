"""The explorer's skill catalogue: find a skill by name or id, trace ``skill:ID``, and which
skills can reach a record. The catalogue is read on first use and kept; each skill's model
is instantiated once per model version (:func:`tracer.skills.with_skills`).

>>> from tracer.skills import shipped_catalogue_path
>>> search = SkillSearch(shipped_catalogue_path())
>>> [row["interaction"] for row in search.find("domino")]
['skill:b01b5g99cc', 'skill:dominos-uk']
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from ..model import Model

__all__ = ["SkillSearch"]


class SkillSearch:
    """A catalogue the explorer answers from (read lazily, thread-safe)."""

    KEPT = 64  # instantiated models kept (a few dozen skills looked at in one session)

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._catalogue = None
        self._lock = threading.Lock()
        self._models: OrderedDict[tuple[int, str], Model] = OrderedDict()

    @property
    def catalogue(self):
        with self._lock:
            if self._catalogue is None:
                from ..skills import read_catalogue

                self._catalogue = read_catalogue(self.path)
            return self._catalogue

    def about(self) -> dict:
        return {"path": str(self.path), "skills": len(self.catalogue)}

    def find(self, wanted: str) -> list[dict]:
        """Skills whose id is ``wanted`` or whose name matches it (at most 50), by id."""
        catalogue = self.catalogue
        found = list(catalogue.find(wanted)) if wanted.strip() else []
        if wanted.strip() and wanted in catalogue:
            exact = catalogue.skill(wanted)
            found = [exact, *(s for s in found if s.id != exact.id)]
        return [
            {
                "skill": s.id,
                "interaction": s.interaction,
                "name": s.name,
                "developer": s.developer,
                "features": list(s.features),
            }
            for s in found[:50]
        ]

    def model_for(self, model: Model, interaction: str) -> Model:
        """``model`` with the skill of ``interaction`` instantiated (kept for reuse)."""
        from ..skills import with_skills

        key = (id(model), interaction)
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        made = with_skills(model, self.catalogue, [interaction])
        with self._lock:
            self._models[key] = made
            while len(self._models) > self.KEPT:
                self._models.popitem(last=False)
        return made

    def records(self, model: Model) -> list[str]:
        template = model.skill_template
        return sorted({*model.records, *(template.records if template else ())})

    def reach(self, model: Model, record: str, requests: list[str]) -> dict:
        from ..skills.queries import reach

        return reach(model, self.catalogue, record, requests)
