"""Other tools' formats, in and out: the bridges between a ``tracer/1`` model and the places
people already keep data maps, provenance and graphs.

This subpackage owns every translation to or from a format tracer does not define itself: Fides
data maps (:mod:`.fides`: fideslang systems and datasets, read and written, validated with the
``fideslang`` package's own models; free-text retention read by :mod:`.retention_text`), W3C
PROV of a trace (:mod:`.prov`), GraphML (:mod:`.graphml`) and node-link JSON (:mod:`.nodelink`) of
the ecosystem or of a trace graph, the JSON Schema of ``tracer/1`` (:mod:`.schema`), and a model
written back as ``tracer/1`` YAML (:mod:`.model_yaml`). One module per format, each plain
functions ``read_X(path)`` / ``write_X(model_or_trace, path)``; :func:`export` picks one by name.
The library never prints: an import returns what it could not carry over as warnings located at
``file:line``. Every file is written through :func:`tracer.render.output.write_atomically`, like
every other output, so it is whole or absent and never replaces the model.
"""

from __future__ import annotations

from .export import EXPORT_FORMATS, export
from .fides import FidesImport, fides_manifest, import_fides, read_fides, write_fides
from .graphml import graph_of, read_graphml, write_graphml
from .model_yaml import model_yaml, write_model
from .nodelink import read_node_link, write_node_link
from .prov import prov_document, write_prov
from .retention_text import read_retention
from .schema import model_schema, schema_text, write_schema

__all__ = [
    "EXPORT_FORMATS",
    "FidesImport",
    "export",
    "fides_manifest",
    "graph_of",
    "import_fides",
    "model_schema",
    "model_yaml",
    "prov_document",
    "read_fides",
    "read_graphml",
    "read_node_link",
    "read_retention",
    "schema_text",
    "write_fides",
    "write_graphml",
    "write_model",
    "write_node_link",
    "write_prov",
    "write_schema",
]
