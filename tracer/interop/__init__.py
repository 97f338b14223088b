"""Other tools' formats, in and out: the bridges between a ``tracer/1`` model and the places
people already keep data maps, provenance and graphs.

This subpackage owns every translation to or from a format tracer does not define itself: Fides
data maps (:mod:`.fides`: fideslang systems and datasets, read and written, validated with the
``fideslang`` package's own models; free-text retention read by :mod:`.retention_text`), a
record of processing activities, GDPR Art. 30 (:mod:`.ropa`, CSV or XLSX), the W3C Data Privacy
Vocabulary (:mod:`.dpv`, JSON-LD), OpenLineage run events read in (:mod:`.openlineage`, the
events checked by :mod:`.openlineage_events`), W3C PROV of a trace (:mod:`.prov`), GraphML
(:mod:`.graphml`) and node-link JSON (:mod:`.nodelink`) of the ecosystem or of a trace graph,
the JSON Schema of ``tracer/1`` (:mod:`.schema`), and a model written back as ``tracer/1`` YAML
(:mod:`.model_yaml`). One module per format, each plain functions ``read_X(path)`` /
``write_X(model_or_trace, path)``; :func:`export` picks one by name, and :mod:`.selection` is
the one filter (party, retention, confidence) every export and ``tracer list`` share.
The library never prints: an import returns what it could not carry over as warnings located at
``file:line``. Every file is written through :func:`tracer.render.output.write_atomically`, like
every other output, so it is whole or absent and never replaces the model.
"""

from __future__ import annotations

from .dpv import dpv_document, write_dpv
from .export import EXPORT_FORMATS, export
from .fides import FidesImport, fides_manifest, import_fides, read_fides, write_fides
from .graphml import graph_of, read_graphml, write_graphml
from .model_yaml import model_yaml, write_model
from .nodelink import read_node_link, write_node_link
from .openlineage import OpenLineageImport, import_openlineage
from .prov import prov_document, write_prov
from .retention_text import read_retention
from .ropa import ropa_rows, write_ropa
from .schema import model_schema, schema_text, write_schema
from .selection import Selection, select_model

__all__ = [
    "EXPORT_FORMATS",
    "FidesImport",
    "OpenLineageImport",
    "Selection",
    "dpv_document",
    "export",
    "fides_manifest",
    "graph_of",
    "import_fides",
    "import_openlineage",
    "model_schema",
    "model_yaml",
    "prov_document",
    "read_fides",
    "read_graphml",
    "read_node_link",
    "read_retention",
    "ropa_rows",
    "schema_text",
    "select_model",
    "write_dpv",
    "write_fides",
    "write_graphml",
    "write_model",
    "write_node_link",
    "write_prov",
    "write_ropa",
    "write_schema",
]
