"""Two models side by side (``tracer serve -m A -m B``): the same question asked of the second
model, its answer (headline and company table) and the copies whose status differs.

The second model is traced as :func:`tracer.diff` does: with the requests it knows (2019's model
has no auto-delete) at the same query time, so the two answers can be read against each other.

>>> import tracer
>>> a = tracer.load_model()
>>> b = tracer.load_model(tracer.default_model_path().with_name("alexa-2025.yaml"))
>>> view = compare_view(a, b, "dominos-order", ["delete-recording"], None)
>>> view["model"], view["headline"]["text"][:45]
('Amazon Alexa (2025)', 'After "Delete one recording in Voice History ')
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diff import diff
from ..model import Model
from ..render.headline import headline, holdings
from ..render.style import STATUS_LOOK
from ..tracing import trace

__all__ = ["compare_view"]


def compare_view(
    a: Model, b: Model, interaction: str, deletions: Sequence[str], at: str | None
) -> dict:
    """The answer of model ``b`` to the question asked of ``a``, and what differs; a question
    ``b`` cannot answer (no such interaction) says so in ``missing``."""
    if interaction not in b.interactions:
        return {
            "model": b.name,
            "missing": f"{b.name} has no interaction {interaction!r}",
        }
    changes = diff(a, b, [interaction], deletions, at=at)
    known = [d for d in deletions if d.partition("@")[0] in b.deletions]
    result = trace(b, interaction, known, changes.at)
    item = changes.interactions[0] if changes.interactions else None

    def word(copy) -> str | None:
        return STATUS_LOOK[copy.status].word if copy is not None else None

    return {
        "model": b.name,
        "headline": headline(b, result).to_dict(),
        "holdings": holdings(b, result).to_dict(),
        "skipped": list(changes.requests_only_in_a),
        "changes": [
            {
                "copy": change.copy,
                "change": change.change,
                "before": word(change.before),
                "after": word(change.after),
            }
            for change in (item.changes if item else ())
        ],
    }
