"""A model, and optionally one trace, in the W3C Data Privacy Vocabulary (DPV), as JSON-LD.

The mapping (docs/interop.md has the table and what DPV cannot say):

- a **party** is a ``dpv:DataController`` (platform, skill developer), ``dpv:DataProcessor``
  (processor, contractor), ``dpv:ThirdParty`` (third party) or ``dpv:DataSubject`` and
  ``dpv:User`` (the data subject); a controller that receives a record from another party is
  also a ``dpv:Recipient`` (processors and third parties are kinds of recipient in DPV); its
  name is ``dpv:hasName``;
- a **record** is ``dpv:PersonalData``; its Fides categories stay ``tracer:category``;
- each **processing** (a holder handling a record) is a ``dpv:Process`` with
  ``dpv:hasPersonalData``, ``dpv:hasProcessing`` ``dpv:Store`` (or ``dpv:Use`` when the holder
  keeps it for ``none``), its party as ``dpv:hasDataController`` or ``dpv:hasDataProcessor``,
  ``dpv:hasDataSubject``, ``dpv:hasPurpose`` and ``dpv:hasRecipient`` from the flows that carry
  the record in and out, and ``dpv:hasStorageCondition``: a ``dpv:StorageDuration`` that is also
  a ``dpv:TemporalDuration`` (``rdf:value`` an ``xsd:duration``), ``dpv:UntilEventDuration``
  (until deleted), ``dpv:EndlessDuration`` (forever) or ``dpv:IndeterminateDuration``
  (unknown, or no rule);
- each **flow** is a ``dpv:Process`` with ``dpv:Transfer``, each **derivation** one with
  ``dpv:Derive``, each **deletion request** one with ``dpv:Erase``;
- with a **trace**, each copy is a ``dpv:Process`` with its status as ``tracer:status`` and,
  where DPV has a word for it, ``dpv:hasActivityStatus``: ``dpv:ActivityOngoing`` (held),
  ``dpv:ActivityCompleted`` (deleted, expired, transient); *may remain* has no DPV word.

Everything DPV has no term for (evidence, confidence, which request deletes a copy, a flow's
``deletion``) is written in the ``tracer:`` namespace (``urn:tracer:``), as PROV's export does.
The document is plain JSON built here (sorted, so the same input gives the same bytes); tests
read it back with rdflib and check each ``dpv:`` term against :data:`DPV_TERMS`.

>>> import tracer
>>> document = dpv_document(tracer.load_model())
>>> node = next(n for n in document["@graph"] if n["@id"] == "tracer:party:amazon")
>>> node["@type"], node["dpv:hasName"]
(['dpv:DataController', 'dpv:Recipient'], 'Amazon')
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from ..errors import OutputError
from ..model import Model, Retention
from ..render.output import write_atomically
from ..tracing import Trace
from .selection import handled

__all__ = ["CONTEXT", "DPV", "DPV_TERMS", "dpv_document", "dpv_terms", "write_dpv"]

DPV = "https://w3id.org/dpv#"
CONTEXT = {
    "dpv": DPV,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "tracer": "urn:tracer:",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

ROLE_TYPES = {
    "platform": ["dpv:DataController"],
    "skill_developer": ["dpv:DataController"],
    "processor": ["dpv:DataProcessor"],
    "contractor": ["dpv:DataProcessor"],
    "third_party": ["dpv:ThirdParty"],
    "data_subject": ["dpv:DataSubject", "dpv:User"],
}
STATUS_ACTIVITY = {
    "held": "dpv:ActivityOngoing",
    "deleted": "dpv:ActivityCompleted",
    "expired": "dpv:ActivityCompleted",
    "transient": "dpv:ActivityCompleted",
}


@cache
def dpv_terms() -> frozenset[str]:
    """The DPV terms an export may use (``tracer/interop/vocab/dpv-terms.txt``), checked
    against the DPV's own term list."""
    text = resources.files(__package__).joinpath("vocab/dpv-terms.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


DPV_TERMS = dpv_terms()


def _id(kind: str, key: str) -> str:
    return f"tracer:{kind}:{quote(key, safe='/._-:')}"


def _ref(kind: str, key: str) -> dict[str, str]:
    return {"@id": _id(kind, key)}


def _duration(period_days: int) -> str:
    return f"P{period_days}D"


def _storage(holder: str, record: str, rule: Retention | None, model: Model) -> dict:
    node: dict = {"@id": _id("retention", f"{holder}/{record}")}
    kind = rule.period.kind if rule is not None else "unknown"
    if kind == "duration":
        node["@type"] = ["dpv:StorageDuration", "dpv:TemporalDuration"]
        node["rdf:value"] = {"@value": _duration(rule.period.days or 0), "@type": "xsd:duration"}
    elif kind == "until_deleted":
        node["@type"] = ["dpv:StorageDuration", "dpv:UntilEventDuration"]
        requests = sorted(rule.deleted_by) if rule else []
        names = "; ".join(model.deletions[r].name for r in requests)
        node["rdf:value"] = f"until deleted by: {names}" if names else "until deleted"
    elif kind == "forever":
        node["@type"] = ["dpv:StorageDuration", "dpv:EndlessDuration"]
    else:
        node["@type"] = ["dpv:StorageDuration", "dpv:IndeterminateDuration"]
        node["rdf:value"] = "unknown" if rule is not None else "unknown: no retention rule"
    if rule is not None:
        if rule.deleted_by:
            node["tracer:deletedBy"] = [_ref("request", r) for r in sorted(rule.deleted_by)]
        if rule.unclear_for:
            node["tracer:mayRemainAfter"] = [_ref("request", r) for r in sorted(rule.unclear_for)]
    return node


def _evidence(node: dict, evidence, confidence: str) -> dict:
    if evidence:
        node["tracer:evidence"] = sorted(evidence)
    node["tracer:confidence"] = confidence
    return node


def _role_property(model: Model, party: str) -> str:
    role = model.parties[party].role
    if role in ("processor", "contractor"):
        return "dpv:hasDataProcessor"
    if role == "data_subject":
        return "dpv:hasDataSubject"
    return "dpv:hasDataController"


def dpv_document(model: Model, trace: Trace | None = None) -> dict:
    """The JSON-LD document (a dict: ``@context`` and ``@graph`` sorted by ``@id``)."""
    subjects = sorted(k for k, p in model.parties.items() if p.role == "data_subject")
    recipients = {
        model.holders[f.target].party
        for f in model.flows
        if model.holders[f.source].party != model.holders[f.target].party
    }
    nodes: list[dict] = []
    for key, party in model.parties.items():
        types = list(ROLE_TYPES[party.role])
        # dpv:DataProcessor and dpv:ThirdParty are already kinds of dpv:Recipient
        if key in recipients and types == ["dpv:DataController"]:
            types.append("dpv:Recipient")
        nodes.append(
            {"@id": _id("party", key), "@type": types, "dpv:hasName": party.name,
             "tracer:role": party.role}
        )  # fmt: skip
    for key, record in model.records.items():
        node = {"@id": _id("record", key), "@type": "dpv:PersonalData", "rdfs:label": record.name}
        if record.categories:
            node["tracer:category"] = list(record.categories)
        nodes.append(node)
    purposes = {f.purpose for f in model.flows if f.purpose}
    purposes |= {d.purpose for d in model.derivations if d.purpose}
    for purpose in sorted(purposes):
        nodes.append({"@id": _id("purpose", purpose), "@type": "dpv:Purpose",
                      "rdfs:label": purpose})  # fmt: skip
    for holder_id, records in handled(model).items():
        for record in records:
            nodes.extend(_processing(model, holder_id, record, subjects))
    for flow in model.flows:
        sender, receiver = (model.holders[flow.source].party, model.holders[flow.target].party)
        node = {
            "@id": _id("flow", flow.key),
            "@type": "dpv:Process",
            "rdfs:label": f"{flow.source} sends to {flow.target}",
            "dpv:hasProcessing": {"@id": "dpv:Transfer"},
            "dpv:hasPersonalData": [_ref("record", r) for r in flow.carries],
            _role_property(model, sender): _ref("party", sender),
            "tracer:from": flow.source,
            "tracer:to": flow.target,
            "tracer:deletion": flow.deletion,
        }
        if receiver != sender:
            node["dpv:hasRecipient"] = _ref("party", receiver)
        if flow.purpose:
            node["dpv:hasPurpose"] = _ref("purpose", flow.purpose)
        if flow.when:
            node["tracer:when"] = list(flow.when)
        nodes.append(_evidence(node, flow.evidence, flow.confidence))
    for derivation in model.derivations:
        party = model.holders[derivation.at].party
        node = {
            "@id": _id("derivation", derivation.key),
            "@type": "dpv:Process",
            "rdfs:label": f"{derivation.at} derives {derivation.target} from {derivation.source}",
            "dpv:hasProcessing": {"@id": "dpv:Derive"},
            "dpv:hasPersonalData": [_ref("record", derivation.source),
                                    _ref("record", derivation.target)],
            _role_property(model, party): _ref("party", party),
            "tracer:at": derivation.at,
        }  # fmt: skip
        if derivation.purpose:
            node["dpv:hasPurpose"] = _ref("purpose", derivation.purpose)
        nodes.append(_evidence(node, derivation.evidence, derivation.confidence))
    for key, deletion in model.deletions.items():
        node = {
            "@id": _id("request", key),
            "@type": "dpv:Process",
            "rdfs:label": deletion.name,
            "dpv:hasProcessing": {"@id": "dpv:Erase"},
        }
        if deletion.after is not None:
            node["tracer:after"] = f"{deletion.after}d"
        if deletion.by:
            node["tracer:by"] = _ref("party", deletion.by)
        nodes.append(_evidence(node, deletion.evidence, deletion.confidence))
    if trace is not None:
        nodes.extend(_trace_nodes(model, trace))
    graph = sorted(nodes, key=lambda n: n["@id"])
    _check_terms(graph)
    return {"@context": CONTEXT, "@graph": graph}


def _processing(model: Model, holder_id: str, record: str, subjects: list[str]) -> list[dict]:
    holder = model.holders[holder_id]
    rule = holder.keeps.get(record)
    into = [f for f in model.flows if f.target == holder_id and record in f.carries]
    out = [f for f in model.flows if f.source == holder_id and record in f.carries]
    purposes = sorted({f.purpose for f in (*into, *out) if f.purpose})
    receivers = sorted(
        {model.holders[f.target].party for f in out} - {holder.party}
    )  # fmt: skip
    storage = _storage(holder_id, record, rule, model)
    stored = rule is None or rule.period.kind != "none"
    node: dict = {
        "@id": _id("processing", f"{holder_id}/{record}"),
        "@type": "dpv:Process",
        "rdfs:label": f"{holder.name}: {model.records[record].name}",
        "dpv:hasPersonalData": _ref("record", record),
        "dpv:hasProcessing": {"@id": "dpv:Store" if stored else "dpv:Use"},
        _role_property(model, holder.party): _ref("party", holder.party),
        "tracer:holder": holder_id,
    }
    if subjects and model.parties[holder.party].role != "data_subject":
        node["dpv:hasDataSubject"] = [_ref("party", s) for s in subjects]
    if purposes:
        node["dpv:hasPurpose"] = [_ref("purpose", p) for p in purposes]
    if receivers:
        node["dpv:hasRecipient"] = [_ref("party", p) for p in receivers]
    if stored:
        node["dpv:hasStorageCondition"] = {"@id": storage["@id"]}
    if rule is not None:
        _evidence(node, rule.evidence, rule.confidence)
    else:
        node["tracer:confidence"] = "unknown"
    return [node, storage] if stored else [node]


def _trace_nodes(model: Model, trace: Trace) -> list[dict]:
    nodes = []
    for copy in trace.copies:
        node: dict = {
            "@id": _id("copy", f"{trace.interaction}/{copy.id}"),
            "@type": "dpv:Process",
            "rdfs:label": f"{copy.id} after {trace.interaction}",
            "dpv:hasPersonalData": _ref("record", copy.record),
            "dpv:hasProcessing": {"@id": "dpv:Use" if copy.status == "transient" else "dpv:Store"},
            "tracer:processing": _ref("processing", f"{copy.holder}/{copy.record}"),
            "tracer:interaction": trace.interaction,
            "tracer:status": copy.status,
            "tracer:reason": copy.reason,
            "tracer:at": f"{trace.at}d",
        }
        if copy.status in STATUS_ACTIVITY:
            node["dpv:hasActivityStatus"] = {"@id": STATUS_ACTIVITY[copy.status]}
        if copy.access:
            node["tracer:access"] = [_ref("party", p) for p in copy.access]
        nodes.append(_evidence(node, copy.evidence, copy.confidence))
    return nodes


def _used_terms(value: object) -> set[str]:
    """Every ``dpv:`` term in a JSON-LD value: keys, types and ids."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith("dpv:"):
                found.add(key[4:])
            found |= _used_terms(item)
    elif isinstance(value, list):
        for item in value:
            found |= _used_terms(item)
    elif isinstance(value, str) and value.startswith("dpv:"):
        found.add(value[4:])
    return found


def _check_terms(graph: list[dict]) -> None:
    unknown = _used_terms(graph) - DPV_TERMS
    if unknown:  # pragma: no cover - the mapping above uses listed terms only
        raise OutputError(f"not DPV terms: {', '.join(sorted(unknown))}")


def write_dpv(
    model: Model,
    path: str | Path,
    *,
    trace: Trace | None = None,
    protect: Path | None = None,
) -> Path:
    """Write the model (and ``trace``) in DPV terms as JSON-LD to ``path``.

    >>> import tempfile, pathlib, tracer, rdflib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "alexa.jsonld"
    >>> graph = rdflib.Graph().parse(write_dpv(tracer.load_model(), out), format="json-ld")
    >>> (None, rdflib.RDF.type, rdflib.URIRef(DPV + "PersonalData")) in graph
    True
    """
    text = json.dumps(dpv_document(model, trace), indent=2, ensure_ascii=False) + "\n"
    return write_atomically(Path(path), text.encode("utf-8"), protect=protect)
