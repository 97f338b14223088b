"""A trace as W3C PROV (PROV-DM), written as PROV-JSON (or PROV-N) with the ``prov`` package.

The mapping (docs/interop.md shows an example):

- each **copy** is an entity ``copy:HOLDER/RECORD`` (``tracer:status``, ``tracer:reason``,
  ``tracer:retention``, ``tracer:evidence``, ``tracer:confidence``), ``wasAttributedTo`` the
  party that runs its holder, an agent ``party:ID``;
- the **interaction** is an activity ``interaction:ID`` at the origin that generates the start
  copies; each **flow** and **derivation** the trace follows is an activity ``edge:ID`` that
  ``used`` the copies it reads; a copy ``wasGeneratedBy`` the last edge of its first path and
  ``wasDerivedFrom`` every copy that feeds it (with that edge as the activity);
- each **deletion request** is an activity ``request:ID``; a copy it deleted
  ``wasInvalidatedBy`` it, at its time; an expired copy is invalidated with no activity, at the
  day its retention ran out;
- times are ``prov:startTime``/``prov:time`` offsets from a stated **origin** (the interaction,
  day 0; the Unix epoch unless given), written as ``tracer:origin`` on the interaction;
  identifiers are percent-encoded so every id is a valid PROV-N local name.

>>> import tracer
>>> model = tracer.load_model()
>>> document = prov_document(tracer.trace(model, "dominos-order", ["delete-recording"]), model)
>>> "copy:voice_history/voice_recording" in {str(r.identifier) for r in document.get_records()}
True
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import quote

from ..errors import OutputError
from ..model import Model
from ..render.output import write_atomically
from ..tracing import Trace

__all__ = ["NAMESPACE", "ORIGIN", "prov_document", "write_prov"]

NAMESPACE = "urn:tracer:"
ORIGIN = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _local(identifier: str) -> str:
    return quote(identifier, safe="/._-")


def prov_document(trace: Trace, model: Model | None = None, *, origin: dt.datetime = ORIGIN):
    """The PROV document of ``trace``; ``model`` (the traced one) gives party and request names.

    Returns a :class:`prov.model.ProvDocument`.
    """
    try:
        from prov.constants import PROV
        from prov.model import ProvDocument
    except ImportError:  # pragma: no cover - the extra is installed by make setup
        raise OutputError(
            "writing PROV needs the prov package: pip install 'tracer[prov]'"
        ) from None

    def at(days: int) -> dt.datetime:
        return origin + dt.timedelta(days=days)

    document = ProvDocument()
    for prefix in ("copy", "party", "edge", "request", "interaction"):
        document.add_namespace(prefix, f"{NAMESPACE}{prefix}:")
    ns = document.add_namespace("tracer", NAMESPACE)

    parties = sorted({copy.party for copy in trace.copies})
    for party in parties:
        attributes: dict = {"prov:type": PROV["Organization"]}
        if model is not None and party in model.parties:
            attributes["prov:label"] = model.parties[party].name
            attributes["tracer:role"] = model.parties[party].role
        document.agent(f"party:{_local(party)}", attributes)

    interaction = document.activity(
        f"interaction:{_local(trace.interaction)}",
        startTime=at(0),
        other_attributes={
            "tracer:origin": origin.isoformat(),
            "tracer:model": trace.model,
            **(
                {"prov:label": model.interactions[trace.interaction].name}
                if model is not None and trace.interaction in model.interactions
                else {}
            ),
        },
    )

    edges = {}
    for _, _, key in trace.edges:
        if key not in edges:
            edges[key] = document.activity(
                f"edge:{_local(key)}",
                startTime=at(0),
                other_attributes=_edge_attributes(model, key, ns),
            )

    requests = {}
    for request in trace.requests:
        attributes: dict[str, str] = {"tracer:at": f"{request.at}d"}
        if model is not None and request.id in model.deletions:
            attributes["prov:label"] = model.deletions[request.id].name
        if request.at > trace.at:
            attributes["tracer:applied"] = "no: after the query time"
        requests[request.id] = document.activity(
            f"request:{_local(request.id)}", startTime=at(request.at), other_attributes=attributes
        )

    entities = {}
    for copy in trace.copies:
        entities[copy.id] = document.entity(
            f"copy:{_local(copy.id)}",
            {
                "prov:type": ns["Copy"],
                "tracer:holder": copy.holder,
                "tracer:record": copy.record,
                "tracer:status": copy.status,
                "tracer:reason": copy.reason,
                "tracer:retention": copy.retention,
                "tracer:evidence": " ".join(copy.evidence),
                "tracer:confidence": copy.confidence,
            },
        )
        document.wasAttributedTo(entities[copy.id], f"party:{_local(copy.party)}")

    last_edge = {copy.id: copy.path[-1] if copy.path else None for copy in trace.copies}
    for copy in trace.copies:
        if last_edge[copy.id] is None:
            document.wasGeneratedBy(entities[copy.id], interaction, at(0))
    for source, target, key in trace.edges:
        document.used(edges[key], entities[source], at(0))
        if last_edge[target] == key:
            document.wasGeneratedBy(entities[target], edges[key], at(0))
        document.wasDerivedFrom(entities[target], entities[source], edges[key])

    for copy in trace.copies:
        if copy.status == "deleted" and copy.ended is not None:
            request = _deleting_request(trace, copy.reason, copy.ended)
            document.wasInvalidatedBy(
                entities[copy.id], requests.get(request) if request else None, at(copy.ended)
            )
        elif copy.status == "expired" and copy.ended is not None:
            document.wasInvalidatedBy(entities[copy.id], None, at(copy.ended))
    return document


def _edge_attributes(model: Model | None, key: str, ns) -> dict:
    if model is None:
        return {}
    for kind, rules in (("Flow", model.flows), ("Derivation", model.derivations)):
        for rule in rules:
            if rule.key == key:
                attributes = {
                    "prov:type": ns[kind],
                    "tracer:deletion": rule.deletion,
                    "tracer:evidence": " ".join(rule.evidence),
                    "tracer:confidence": rule.confidence,
                }
                if rule.purpose:
                    attributes["tracer:purpose"] = rule.purpose
                return attributes
    return {}


def _deleting_request(trace: Trace, reason: str, day: int) -> str | None:
    """The request that deleted a copy: the one at that day its reason names."""
    for request in trace.requests:
        if request.at == day and re.search(rf"(?<![\w-]){re.escape(request.id)}(?![\w-])", reason):
            return request.id
    return None


def write_prov(
    trace: Trace,
    path: str | Path,
    *,
    model: Model | None = None,
    origin: dt.datetime = ORIGIN,
    protect: Path | None = None,
) -> Path:
    """Write the trace as PROV-JSON (PROV-N for a ``.provn`` path).

    >>> import tempfile, pathlib, tracer
    >>> from prov.model import ProvDocument
    >>> model = tracer.load_model()
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "order.json"
    >>> _ = write_prov(tracer.trace(model, "dominos-order"), out, model=model)
    >>> len(ProvDocument.deserialize(out, format="json").get_records()) > 50
    True
    """
    path = Path(path)
    document = prov_document(trace, model, origin=origin)
    if path.suffix.lower() == ".provn":
        text = document.get_provn() + "\n"
    else:
        # prov's serializer keeps insertion order; sorted keys make the bytes reproducible
        text = json.dumps(json.loads(document.serialize(format="json")), indent=2, sort_keys=True)
        text += "\n"
    return write_atomically(path, text.encode("utf-8"), protect=protect)
