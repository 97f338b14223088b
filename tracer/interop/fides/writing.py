"""Writing a ``tracer/1`` model as a Fides data map (a fideslang manifest), validated with
fideslang's own models; what Fides cannot hold is listed in docs/interop.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ...errors import OutputError
from ...model import Model
from ...render.output import write_atomically
from ..retention_text import retention_words
from .schema import FIDES_KEY, fideslang

__all__ = ["fides_manifest", "write_fides"]


_SYSTEM_TYPE = {"device": "Device", "service": "Service", "store": "Database", "people": "People"}
# the user's own devices are nobody's controller or processor
_RESPONSIBILITY = {
    "platform": ["Controller"],
    "skill_developer": ["Controller"],
    "third_party": ["Controller"],
    "processor": ["Processor"],
    "contractor": ["Processor"],
}


def fides_manifest(model: Model) -> dict[str, list[dict]]:
    """The model as a fideslang manifest: ``organization`` (one per party), ``data_category``
    (one custom category per record, below the record's first category, its other categories as
    ``tags``), ``system`` (one per holder, with ``egress``/``ingress`` and a privacy declaration
    per purpose) and ``dataset`` (one per holder that keeps records, a collection per record with
    its ``retention``). Every resource is validated with fideslang's models.

    What Fides cannot hold is left out, and docs/interop.md lists it: derivations, ``when`` tags,
    ``deletion`` on flows, deletion requests and which of them remove a copy, interactions,
    access lists, sources and confidence.

    >>> import tracer
    >>> manifest = fides_manifest(tracer.load_model())
    >>> [s["system_type"] for s in manifest["system"] if s["fides_key"] == "voice_history"]
    ['Database']
    """
    for section in ("parties", "holders", "records"):
        for key in getattr(model, section):
            if not FIDES_KEY.fullmatch(key):
                raise OutputError(
                    f"cannot export {section[:-1]} {key!r} to Fides: a Fides key holds only "
                    "letters, digits and _ . < > -; rename it"
                )
    categories = {record: _record_key(model, record) for record in model.records}
    organizations = [
        {
            "fides_key": key,
            "name": party.name,
            **({"description": party.note} if party.note else {}),
        }
        for key, party in model.parties.items()
    ]
    data_categories = []
    for record, key in categories.items():
        spec = model.records[record]
        entry: dict[str, Any] = {"fides_key": key, "name": spec.name}
        if spec.categories:
            entry["parent_key"] = spec.categories[0]
        if len(spec.categories) > 1:
            entry["tags"] = list(spec.categories[1:])
        if spec.note:
            entry["description"] = spec.note
        data_categories.append(entry)
    egress: dict[str, dict[str, list[str]]] = {h: {} for h in model.holders}
    ingress: dict[str, dict[str, list[str]]] = {h: {} for h in model.holders}
    purposes: dict[str, dict[str, list[str]]] = {h: {} for h in model.holders}
    for flow in model.flows:
        out = egress[flow.source].setdefault(flow.target, [])
        into = ingress[flow.target].setdefault(flow.source, [])
        for record in flow.carries:
            for seen in (out, into):
                if categories[record] not in seen:
                    seen.append(categories[record])
        if flow.purpose:
            targets = purposes[flow.source].setdefault(flow.purpose, [])
            if flow.target not in targets:
                targets.append(flow.target)
    systems, datasets = [], []
    for key, holder in model.holders.items():
        handled = _handled(model, key)
        role = model.parties[holder.party].role
        system: dict[str, Any] = {
            "fides_key": key,
            "name": holder.name,
            "organization_fides_key": holder.party,
            "system_type": _SYSTEM_TYPE[holder.kind],
            "responsibility": _RESPONSIBILITY.get(role, []),
        }
        if holder.note:
            system["description"] = holder.note
        if egress[key]:
            system["egress"] = [
                {"fides_key": t, "type": "system", "data_categories": c}
                for t, c in egress[key].items()
            ]
        if ingress[key]:
            system["ingress"] = [
                {"fides_key": s, "type": "system", "data_categories": c}
                for s, c in ingress[key].items()
            ]
        declarations = []
        if handled:
            declarations.append(
                {
                    "name": "Records this system handles",
                    "data_categories": [categories[r] for r in handled],
                    "data_use": "collect",
                }
            )
        for use, targets in purposes[key].items():
            sent = [
                categories[r]
                for flow in model.flows
                if flow.source == key and flow.purpose == use
                for r in flow.carries
            ]
            declarations.append(
                {
                    "name": f"Shared for {use}",
                    "data_categories": list(dict.fromkeys(sent)),
                    "data_use": use,
                    "egress": targets,
                }
            )
        system["privacy_declarations"] = declarations
        if holder.keeps:
            dataset_key = f"{key}_records"
            system["dataset_references"] = [dataset_key]
            datasets.append(
                {
                    "fides_key": dataset_key,
                    "name": f"Records kept by {holder.name}",
                    "organization_fides_key": holder.party,
                    "collections": [
                        {
                            "name": record,
                            "retention": retention_words(str(rule.period)),
                            "data_categories": [categories[record]],
                            "fields": [],
                        }
                        for record, rule in holder.keeps.items()
                    ],
                }
            )
        systems.append(system)
    manifest = {
        "organization": organizations,
        "data_category": data_categories,
        "system": systems,
        "dataset": datasets,
    }
    _check_manifest(manifest)
    return manifest


def _record_key(model: Model, record: str) -> str:
    categories = model.records[record].categories
    return f"{categories[0]}.{record}" if categories else record


def _handled(model: Model, holder: str) -> list[str]:
    """Every record a holder keeps, sends, receives, derives or starts with, in model order."""
    seen = dict.fromkeys(model.holders[holder].keeps)
    for flow in model.flows:
        if holder in (flow.source, flow.target):
            seen.update(dict.fromkeys(flow.carries))
    for derivation in model.derivations:
        if derivation.at == holder:
            seen.update(dict.fromkeys((derivation.source, derivation.target)))
    for interaction in model.interactions.values():
        seen.update(dict.fromkeys(interaction.starts.get(holder, ())))
    return [record for record in model.records if record in seen]


def _check_manifest(manifest: dict[str, list[dict]]) -> None:
    models = fideslang()
    classes = {
        "organization": models.Organization,
        "data_category": models.DataCategory,
        "system": models.System,
        "dataset": models.Dataset,
    }
    for kind, items in manifest.items():
        for item in items:
            try:
                classes[kind].model_validate(item)
            except ValidationError as error:  # pragma: no cover - the export writes valid Fides
                raise OutputError(
                    f"the Fides export of {kind} {item.get('fides_key')!r} is "
                    f"not valid fideslang: {error}"
                ) from None


def write_fides(model: Model, path: str | Path, *, protect: Path | None = None) -> Path:
    """Write the model as a fideslang manifest (YAML, or JSON for a ``.json`` path).

    >>> import tempfile, pathlib, tracer
    >>> from tracer.interop.fides import read_fides
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "alexa.yml"
    >>> read_fides(write_fides(tracer.load_model(), out)).holders["voice_history"].party
    'amazon'
    """
    path = Path(path)
    manifest = fides_manifest(model)
    if path.suffix.lower() == ".json":
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    else:
        text = "# fideslang data map written by tracer (tracer export fides)\n" + yaml.safe_dump(
            manifest, sort_keys=False, allow_unicode=True, width=100
        )
    return write_atomically(path, text.encode("utf-8"), protect=protect)
