"""Other tools' formats, in and out: the bridges between a ``tracer/1`` model and the places
people already keep data maps, provenance and graphs.

This subpackage owns every translation to or from a format tracer does not define itself: Fides
data maps (:mod:`.fides`: fideslang systems and datasets, read and written, validated with the
``fideslang`` package's own models), W3C PROV-JSON of a trace (:mod:`.prov`), GraphML
(:mod:`.graphml`) and node-link JSON (:mod:`.nodelink`) of the ecosystem or of a trace graph, and
the JSON Schema of ``tracer/1`` (:mod:`.schema`). One module per format, each plain functions
``read_X(path)`` / ``write_X(model_or_trace, path)``; the library never prints: an import returns
what it could not carry over as warnings located at ``file:line``. Every file is written through
:func:`tracer.render.output.write_atomically`, like every other output, so it is whole or absent
and never replaces the model.
"""

from __future__ import annotations

from .graphml import graph_of, read_graphml, write_graphml
from .nodelink import read_node_link, write_node_link
from .schema import model_schema, schema_text, write_schema

__all__ = [
    "graph_of",
    "model_schema",
    "read_graphml",
    "read_node_link",
    "schema_text",
    "write_graphml",
    "write_node_link",
    "write_schema",
]
