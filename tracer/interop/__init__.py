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

import importlib

# `export` and `model_yaml` are each both a module and its function: imported here, the function
# is what the package's name means, whatever is imported later. They and the selection are
# light; every other format is imported when first asked for (PEP 562), since together they
# bring networkx, fideslang, prov and openpyxl, a fifth of a second before a ledger build or a
# CLI command that needs none of them
from .export import EXPORT_FORMATS, export
from .model_yaml import model_yaml, write_model
from .selection import Selection, select_model

_LAZY = {
    "dpv_document": "dpv",
    "write_dpv": "dpv",
    "FidesImport": "fides",
    "fides_manifest": "fides",
    "import_fides": "fides",
    "read_fides": "fides",
    "write_fides": "fides",
    "graph_of": "graphml",
    "read_graphml": "graphml",
    "write_graphml": "graphml",
    "read_node_link": "nodelink",
    "write_node_link": "nodelink",
    "OpenLineageImport": "openlineage",
    "import_openlineage": "openlineage",
    "prov_document": "prov",
    "write_prov": "prov",
    "read_retention": "retention_text",
    "ropa_rows": "ropa",
    "write_ropa": "ropa",
    "model_schema": "schema",
    "schema_text": "schema",
    "write_schema": "schema",
}


def __getattr__(name: str):
    """A format's public name, its module imported on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
