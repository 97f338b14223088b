"""The question the explorer opens on: the model's own ``featured:`` choice, else the flagship
one (the Domino's order after "delete this recording"), else the first interaction as it is.

A first-time visitor should see an answer worth having, not the alphabetically first
interaction with nothing deleted.

>>> import tracer
>>> featured_question(tracer.load_model())
{'interaction': 'dominos-order', 'delete': ['delete-recording'], 'at': None}
"""

from __future__ import annotations

from ..model import Model

__all__ = ["FLAGSHIP", "featured_question"]

FLAGSHIP = ("dominos-order", "delete-recording")


def featured_question(model: Model) -> dict:
    """The interaction, the requests (as ``--delete`` takes them) and the query time to open on.

    >>> import tracer
    >>> base = tracer.default_model_path().read_text()
    >>> chosen = tracer.parse_model(base + "featured: {interaction: weather, at: 30d}\\n")
    >>> featured_question(chosen)
    {'interaction': 'weather', 'delete': [], 'at': '30d'}
    """
    if model.featured is not None:
        featured = model.featured
        return {
            "interaction": featured.interaction,
            "delete": list(featured.delete),
            "at": featured.at,
        }
    interaction, request = FLAGSHIP
    if interaction in model.interactions:
        wanted = [request] if request in model.deletions else []
        return {"interaction": interaction, "delete": wanted, "at": None}
    first = min(model.interactions, default=None)
    return {"interaction": first, "delete": [], "at": None}
