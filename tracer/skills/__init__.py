"""The skill catalogue (docs/skills.md): every skill of a store, not the few a model names.

This package owns reading a catalogue (CSV, JSON Lines, Parquet; with DuckDB) and checking its
rows (:mod:`.catalogue`), the scopes skill manifests write (:mod:`.scopes`), instantiating a
model's ``skill_template`` for a skill so that interaction ``skill:ID`` can be traced
(:mod:`.template`), writing the explicit model (:mod:`.expand`), the queries over a whole
catalogue (:mod:`.queries`) and synthetic catalogues (:mod:`.synth`). It imports the core
(model, tracing) and nothing above it; the CLI, ledger and explorer import it.

>>> import tracer
>>> from tracer.skills import read_catalogue, with_skills, shipped_catalogue_path
>>> catalogue = read_catalogue(shipped_catalogue_path())
>>> model = with_skills(tracer.load_model(), catalogue, ["skill:dominos-uk"])
>>> "skill:dominos-uk" in model.interactions
True
"""

from ..model.scopes import SCOPES, split_scopes
from .catalogue import (
    COLUMNS,
    Catalogue,
    CatalogueError,
    RowProblem,
    Skill,
    UnknownSkillError,
    normalize_name,
    read_catalogue,
)
from .template import (
    TemplateError,
    instantiate,
    shipped_catalogue_path,
    skill_ids,
    with_skills,
)

__all__ = [
    "COLUMNS",
    "SCOPES",
    "Catalogue",
    "CatalogueError",
    "RowProblem",
    "Skill",
    "TemplateError",
    "UnknownSkillError",
    "instantiate",
    "normalize_name",
    "read_catalogue",
    "shipped_catalogue_path",
    "skill_ids",
    "split_scopes",
    "with_skills",
]
