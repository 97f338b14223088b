"""Fides data maps (fideslang YAML or JSON) read into a ``tracer/1`` model (:mod:`.reading`),
and a model written as one (:mod:`.writing`).

Every resource is validated with the ``fideslang`` package's own models (extra ``tracer[fides]``).
Fides keeps a data map, not a trace, so the import states each rule it applies (docs/interop.md
has the full table):

- each **system** is a holder (``kind`` from ``system_type``); its **party** is the organization
  named by ``organization_fides_key`` when that is set to something other than the default, else
  the system itself when it is a processor or vendor (``responsibility``, the older
  ``data_responsibility_title``, or a ``vendor_id``), else the default organization;
- each **data category** declared is a record named by its Fides key (a custom category defined
  in the files by its last segment, its parent and ``tags`` as categories);
- a **dataset** referenced by a system (``dataset_references``) is that system's storage: its
  records are kept at the system's holder; a dataset no system references is a holder (a store)
  of its own;
- ``egress``/``ingress`` between two holders is a **flow** (either side may state it, once is
  enough) carrying the categories the flow lists, or else those both sides declare (a category
  also matches a more specific one below it); ``confidence: stated``, the file as evidence; the
  sender's ``data_use`` for that target is the flow's ``purpose``; with no category in common,
  everything the sender declares, ``confidence: assumed``, and a warning;
- **retention** texts (a dataset's, a collection's, a field's, the most specific one winning, and
  a privacy declaration's ``retention_period``) are read by
  :func:`tracer.interop.retention_text.read_retention`; what cannot be read is ``unknown`` with
  the text kept as the note, and counted; a record with no retention text at all is ``unknown``
  too (Fides did not say);
- each holder that keeps something ``until_deleted`` gets a deletion request ``erase-HOLDER``, and
  each system that collects data an interaction ``collect-SYSTEM``: with ingress from the
  ``user``, starting from every record it declares; otherwise from those it declares and no flow
  brings it. So ``tracer trace`` and ``tracer render`` work on the import at once.

Nothing is dropped silently: every key with no meaning in ``tracer/1``, every old taxonomy key
and every retention text that could not be read is a warning at ``file:line``.

>>> from pathlib import Path
>>> fixture = Path(__file__).parents[3] / "tests" / "fixtures" / "fides" / "shop.yml"
>>> imported = import_fides([fixture])
>>> sorted(imported.model.holders)[:3]
['analytics', 'checkout', 'mailer']
"""

from .reading import FidesImport, import_fides, read_fides
from .writing import fides_manifest, write_fides

__all__ = ["FidesImport", "fides_manifest", "import_fides", "read_fides", "write_fides"]
