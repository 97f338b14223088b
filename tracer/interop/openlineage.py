"""OpenLineage run events (JSON Lines) read into a ``tracer/1`` model: the lineage engineering
teams already emit becomes the start of a privacy model.

The rules (docs/interop.md has the table):

- each **dataset** an event names is a holder (``kind: store``), id its name as a slug (its
  namespace too when two datasets share a name), run by the first owner of its ``ownership``
  facet, or else by one party ``operator``;
- each **column** (``schema`` facet; nested fields as ``parent.child``) holds a record: a column
  the ``columnLineage`` facet says is a plain copy of one input column (a ``DIRECT`` input with no
  masking, and an ``IDENTITY`` subtype or no transformation given) holds *that* record, so one
  record follows its copies; any other column is a record of its own, named by the column
  (``dataset.column`` when two origins share a column name). A dataset with no column known has
  one record, its rows;
- each **job** makes a flow from each input to each output (id: the job's name, with the two
  datasets when it has several inputs or outputs), carrying the records that column
  lineage says reach the output (``confidence: stated``); a computed column (a transformation,
  masking, or several inputs) is a derivation at the output from each input record, which passes
  through the output without being kept (``for: none``). With no column lineage, a flow carries
  the input's columns the output has by name, or all of them, ``confidence: assumed``;
  ``INDIRECT`` inputs (filters, joins, grouping) carry nothing;
- a ``tags`` facet entry with key ``pii`` (not ``false``) marks its ``field`` (or, without one,
  every column) personal data: its value as the record's category when it is a Fides key
  (``user.contact.email``), else ``user``;
- a ``retention`` dataset facet (``period``, ``retention`` or ``duration``: text such as
  ``30 days``, ``P90D``, ``until deleted``) is the retention of what the dataset keeps, read as
  Fides retention texts are; without one, ``for: unknown``, ``confidence: unknown``;
- each dataset that records enter is an interaction ``enter-HOLDER``; each holder that keeps
  something until deleted gets a deletion request ``erase-HOLDER``.

Every field the import does not use (run and job facets, input and output facets, a tag that is
not ``pii``...) is a warning at its event's line, with its path in the event.

>>> from pathlib import Path
>>> events = Path(__file__).parents[2] / "samples" / "openlineage" / "shop.jsonl"
>>> imported = import_openlineage(events)
>>> [(f.source, f.target, f.carries) for f in imported.model.flows][:1]
[('public.customers', 'analytics.customer_profile', ('customer_id', 'email', 'birth_date'))]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ModelError, Problem, field_path
from ..model import Model
from ..model.loading import DEFAULT_MAX_BYTES
from ..model.references import reference_problems
from .model_yaml import model_yaml, write_model
from .openlineage_events import Event, read_events, unused_fields
from .retention_text import read_retention

__all__ = ["OpenLineageImport", "import_openlineage", "openlineage_yaml"]

DEFAULT_PARTY = "operator"
_SLUG_BAD = re.compile(r"[^a-z0-9_.:-]+")
_FALSE = ("false", "no", "0", "")

Key = tuple[str, str]  # (namespace, name) of a dataset or job


def _slug(text: str) -> str:
    slug = _SLUG_BAD.sub("_", str(text).lower()).strip("_.:-") or "x"
    return slug if slug[0].isalnum() else f"x{slug}"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class OpenLineageImport:
    """A model imported from OpenLineage events, the warnings, and counts."""

    model: Model
    warnings: tuple[Problem, ...]
    events: int
    jobs: int
    retention_rules: int
    unstated: int
    personal: int

    def summary(self) -> str:
        """One line with every count, as ``tracer import openlineage`` prints it."""
        m = self.model
        return (
            f"imported {_n(self.events, 'event')} and {_n(self.jobs, 'job')}: "
            f"{_n(len(m.holders), 'holder')}, {_n(len(m.flows), 'flow')}, "
            f"{_n(len(m.derivations), 'derivation')}, {_n(len(m.records), 'record')} "
            f"({self.personal} tagged pii), {_n(self.retention_rules, 'retention rule')} from "
            f"retention facets, {self.unstated} with no retention stated (unknown), "
            f"{_n(len(m.interactions), 'interaction')}, "
            f"{_n(len(m.deletions), 'deletion request')}; {_n(len(self.warnings), 'warning')}"
        )


@dataclass
class _Dataset:
    key: Key
    columns: dict[str, str] = field(default_factory=dict)  # column -> its type ("" if none)
    pii: dict[str, str] = field(default_factory=dict)  # column ("*": all) -> category
    retention: tuple[str, int] | None = None  # (text, line)
    owner: str | None = None
    description: str | None = None
    # output column -> [(input dataset, input column, plain copy?, direct?, how)] per job
    lineage: dict[str, list[tuple[Key, str, bool, bool, str]]] = field(default_factory=dict)


@dataclass
class _Job:
    key: Key
    inputs: list[Key] = field(default_factory=list)
    outputs: list[Key] = field(default_factory=list)
    lineage_of: set[Key] = field(default_factory=set)  # outputs with a columnLineage facet


def _columns(fields: Any, prefix: str = "") -> Iterable[tuple[str, str]]:
    for item in fields or ():
        if isinstance(item, dict) and item.get("name"):
            name = f"{prefix}{item['name']}"
            yield name, str(item.get("type") or "")
            yield from _columns(item.get("fields"), f"{name}.")


def _dict(value: Any) -> dict:
    """A facet or part of one, or {} when an event gives something else there."""
    return value if isinstance(value, dict) else {}


def _category(value: str) -> str:
    value = str(value).strip()
    return value if re.fullmatch(r"user(\.[a-z_]+)*", value) else "user"


class _Importer:
    def __init__(self, path: Path, events: list[Event]):
        self.path, self.events = path, events
        self.source = f"openlineage-{_slug(path.stem)}"
        self.warnings: list[Problem] = []
        self.datasets: dict[Key, _Dataset] = {}
        self.jobs: dict[Key, _Job] = {}

    def warn(self, line: int, where: str, message: str) -> None:
        self.warnings.append(Problem(str(self.path), line, where, message, "warning"))

    # -- reading ---------------------------------------------------------------------------
    def read(self) -> None:
        for event in self.events:
            data = event.data
            if event.kind == "DatasetEvent":
                self.warn(event.line, "dataset", "a DatasetEvent names no job, so no flow: ignored")
                continue
            for where in unused_fields(data):
                self.warn(event.line, where, "has no meaning in tracer/1: ignored")
            job_data = data["job"]
            job = self.jobs.setdefault(
                (job_data["namespace"], job_data["name"]),
                _Job((job_data["namespace"], job_data["name"])),
            )
            for side in ("inputs", "outputs"):
                for index, item in enumerate(data.get(side) or ()):
                    key = (item["namespace"], item["name"])
                    keys = job.inputs if side == "inputs" else job.outputs
                    if key not in keys:
                        keys.append(key)
                    self.dataset(key, item, event.line, f"{side}[{index}]", job)

    def dataset(self, key: Key, item: dict, line: int, where: str, job: _Job) -> None:
        ds = self.datasets.setdefault(key, _Dataset(key))
        facets = _dict(item.get("facets"))
        for column, kind in _columns(_dict(facets.get("schema")).get("fields")):
            if not ds.columns.get(column):
                ds.columns[column] = kind
        owners = _dict(facets.get("ownership")).get("owners") or [None]
        if ds.owner is None and isinstance(owners[0], dict) and owners[0].get("name"):
            ds.owner = str(owners[0]["name"])
        description = _dict(facets.get("documentation")).get("description")
        if description and ds.description is None:
            ds.description = " ".join(str(description).split())
        for index, tag in enumerate(_dict(facets.get("tags")).get("tags") or ()):
            if not isinstance(tag, dict):
                continue
            if str(tag.get("key", "")).lower() != "pii":
                self.warn(
                    line,
                    f"{where}.facets.tags.tags[{index}]",
                    f"tag {tag.get('key')!r} is not 'pii': ignored",
                )
            elif str(tag.get("value", "true")).strip().lower() not in _FALSE:
                column = str(tag.get("field") or "*")
                ds.pii[column] = _category(str(tag.get("value", "")))
                if column != "*":
                    ds.columns.setdefault(column, "")
        retention = _dict(facets.get("retention"))
        text = next(
            (retention[k] for k in ("period", "retention", "duration") if k in retention), None
        )
        if text is not None:
            if ds.retention is not None and ds.retention[0] != str(text):
                self.warn(
                    line,
                    f"{where}.facets.retention",
                    f"dataset {key[1]!r} already has retention {ds.retention[0]!r} (line "
                    f"{ds.retention[1]}): {str(text)!r} ignored",
                )
            elif ds.retention is None:
                ds.retention = (str(text), line)
        lineage = _dict(facets.get("columnLineage")).get("fields")
        if where.startswith("outputs") and isinstance(lineage, dict):
            job.lineage_of.add(key)
            for column, spec in lineage.items():
                ds.columns.setdefault(str(column), "")
                found = ds.lineage.setdefault(str(column), [])
                for source in _dict(spec).get("inputFields") or ():
                    if not isinstance(source, dict):
                        continue
                    read = self.input_field(source, _dict(spec))
                    if read not in found:  # a START and a COMPLETE event repeat the lineage
                        found.append(read)

    @staticmethod
    def input_field(source: dict, spec: dict) -> tuple[Key, str, bool, bool, str]:
        transformations = source.get("transformations") or []
        kinds = {str(t.get("type", "")).upper() for t in transformations if isinstance(t, dict)}
        direct = not transformations or "DIRECT" in kinds
        plain = direct and (
            all(
                str(t.get("subtype") or "IDENTITY").upper() == "IDENTITY" and not t.get("masking")
                for t in transformations
                if isinstance(t, dict) and str(t.get("type", "")).upper() == "DIRECT"
            )
            if transformations
            else str(spec.get("transformationType") or "IDENTITY").upper() == "IDENTITY"
        )
        how = "; ".join(
            str(
                t.get("description") or "/".join(str(t[k]) for k in ("type", "subtype") if t.get(k))
            )
            + (" (masked)" if t.get("masking") else "")
            for t in transformations
            if isinstance(t, dict)
        ) or str(spec.get("transformationDescription") or "")
        key = (str(source.get("namespace", "")), str(source.get("name", "")))
        return key, str(source.get("field", "")), plain, direct, how

    # -- mapping ---------------------------------------------------------------------------
    def holders_ids(self) -> dict[Key, str]:
        by_name: dict[str, list[Key]] = {}
        for key in self.datasets:
            by_name.setdefault(_slug(key[1]), []).append(key)
        ids = {}
        for slug, keys in by_name.items():
            for key in keys:
                ids[key] = slug if len(keys) == 1 else _slug(f"{key[0]}.{key[1]}")
        return ids

    def origin(self, ds: Key, column: str, seen: frozenset = frozenset()) -> tuple[Key, str]:
        """The (dataset, column) whose record ``column`` of ``ds`` holds: itself, or what it
        is a plain copy of."""
        if (ds, column) in seen:
            return ds, column
        sources = self.datasets[ds].lineage.get(column)
        if sources is not None:
            direct = [s for s in sources if s[3]]
            if len(direct) == 1 and direct[0][2] and direct[0][0] in self.datasets:
                src, src_column = direct[0][0], direct[0][1]
                return self.origin(src, src_column, seen | {(ds, column)})
            return ds, column
        # no column lineage: a column of the same name in one dataset a job writes this from
        feeding = {
            i
            for job in self.jobs.values()
            if ds in job.outputs and ds not in job.lineage_of
            for i in job.inputs
            if i != ds and column in self.datasets[i].columns
        }
        if len(feeding) == 1:
            return self.origin(next(iter(feeding)), column, seen | {(ds, column)})
        return ds, column

    def run(self) -> OpenLineageImport:
        self.read()
        ids = self.holders_ids()
        for ds in self.datasets.values():  # a column lineage names is a column, schema or not
            for sources in ds.lineage.values():
                for key, column, *_ in sources:
                    if key in self.datasets:
                        self.datasets[key].columns.setdefault(column, "")
        for ds in self.datasets.values():
            if not ds.columns:
                ds.columns["*"] = ""  # no column known: the dataset's rows are one record
        # each dataset's own columns first, so a copied column's origin exists before naming
        held = {
            (key, column): self.origin(key, column)
            for key, ds in sorted(self.datasets.items(), key=lambda kv: ids[kv[0]])
            for column in list(ds.columns)
        }
        origins = sorted(set(held.values()), key=lambda o: (ids[o[0]], o[1]))
        by_column: dict[str, int] = {}
        for _, column in origins:
            by_column[column] = by_column.get(column, 0) + 1
        record_ids: dict[tuple[Key, str], str] = {}
        records: dict[str, dict] = {}
        for key, column in origins:
            holder = ids[key]
            if column == "*":
                rid, name = _slug(f"{holder}.rows"), f"Rows of {key[1]}"
            else:
                rid = _slug(column) if by_column[column] == 1 else _slug(f"{holder}.{column}")
                name = column
            record_ids[(key, column)] = rid
            kind = self.datasets[key].columns.get(column, "")
            records[rid] = {
                "name": name,
                "note": f"column {column} of {key[1]}" + (f" ({kind})" if kind else "")
                if column != "*"
                else f"the rows of {key[1]} (the events name no column)",
            }
        record_of = {place: record_ids[origin] for place, origin in held.items()}
        personal = set()
        for (key, column), rid in record_of.items():
            pii = self.datasets[key].pii
            category = pii.get(column) or pii.get("*")
            if category:
                categories = records[rid].setdefault("categories", [])
                if category not in categories:
                    categories.append(category)
                personal.add(rid)
        flows, derivations, passing = self.flows(ids, record_of)
        return self.finish(ids, records, record_of, flows, derivations, passing, len(personal))

    def flows(self, ids, record_of):
        flows: list[dict] = []
        derivations: dict[tuple[str, str, str], dict] = {}
        passing: dict[str, dict[str, str]] = {}  # holder -> record passing through -> job
        for job in sorted(self.jobs.values(), key=lambda j: j.key):
            job_id = _slug(job.key[1])
            for output in job.outputs:
                out = self.datasets[output]
                for source in job.inputs:
                    if source == output:
                        continue
                    carries: list[str] = []
                    stated = output in job.lineage_of
                    if stated:
                        for column, sources in out.lineage.items():
                            for key, src_column, _plain, direct, how in sources:
                                if key != source or not direct:
                                    continue  # INDIRECT: it shapes the output, carries no data
                                rid = record_of.get((key, src_column))
                                if rid is None:
                                    continue
                                if rid not in carries:
                                    carries.append(rid)
                                target = record_of[(output, column)]
                                if target != rid:
                                    passing.setdefault(ids[output], {})[rid] = job.key[1]
                                    note = f"computed by job {job.key[1]}" + (
                                        f": {how}" if how else ""
                                    )
                                    edge = (ids[output], rid, target)
                                    if edge not in derivations:
                                        derivations[edge] = {
                                            "at": ids[output], "from": rid, "to": target,
                                            "evidence": [self.source], "confidence": "stated",
                                            "note": note,
                                        }  # fmt: skip
                                    elif note not in derivations[edge]["note"]:
                                        # two jobs compute it alike: one derivation, both named
                                        derivations[edge]["note"] += f"; {note}"
                    else:
                        mine = list(self.datasets[source].columns)
                        same = [c for c in mine if c in out.columns] or mine
                        for column in same:
                            rid = record_of[(source, column)]
                            if rid not in carries:
                                carries.append(rid)
                    if not carries:
                        continue
                    pairs = len(job.inputs) * len(job.outputs)
                    flow: dict[str, Any] = {
                        # the job's name, with its two ends when it has several
                        "id": job_id
                        if pairs == 1
                        else _slug(f"{job_id}:{ids[source]}:{ids[output]}"),
                        "from": ids[source],
                        "to": ids[output],
                        "carries": carries,
                        "evidence": [self.source],
                        "confidence": "stated" if stated else "assumed",
                    }
                    flow["note"] = f"job {job.key[0]}/{job.key[1]}" + (
                        ""
                        if stated
                        else ": the events give no column lineage; assumed to carry the input's "
                        "columns the output has by name, or all of them"
                    )
                    flows.append(flow)
        return flows, list(derivations.values()), passing

    def finish(self, ids, records, record_of, flows, derivations, passing, personal):
        parties = {DEFAULT_PARTY: {"name": "The operator of these pipelines", "role": "platform"}}
        holders: dict[str, dict] = {}
        for key, ds in sorted(self.datasets.items(), key=lambda kv: ids[kv[0]]):
            party = DEFAULT_PARTY
            if ds.owner:
                party = _slug(ds.owner)
                parties.setdefault(party, {"name": ds.owner, "role": "platform"})
            note = f"OpenLineage dataset {key[0]}/{key[1]}"
            holders[ids[key]] = {
                "name": key[1],
                "party": party,
                "kind": "store",
                "note": note + (f": {ds.description}" if ds.description else ""),
            }
        kept: dict[str, list[str]] = {h: [] for h in holders}
        for (key, _), rid in record_of.items():
            if rid not in kept[ids[key]]:
                kept[ids[key]].append(rid)
        for flow in flows:
            for rid in flow["carries"]:
                if rid not in kept[flow["to"]]:
                    kept[flow["to"]].append(rid)
        for d in derivations:
            if d["to"] not in kept[d["at"]]:
                kept[d["at"]].append(d["to"])
        erase: dict[str, str] = {}
        rules = unstated = 0
        for key, ds in self.datasets.items():
            holder = ids[key]
            own = {record_of[(key, c)] for c in ds.columns}
            keeps = {}
            for rid in kept[holder]:
                if rid in passing.get(holder, {}) and rid not in own:
                    keeps[rid] = {
                        "for": "none",
                        "evidence": [self.source],
                        "confidence": "stated",
                        "note": f"read by job {passing[holder][rid]} to compute other columns; "
                        "not a column here",
                    }
                elif ds.retention is not None:
                    keeps[rid] = self.rule(holder, ds.retention, erase)
                    rules += 1
                else:
                    keeps[rid] = {
                        "for": "unknown",
                        "confidence": "unknown",
                        "note": "the events carry no retention facet for this dataset",
                    }
                    unstated += 1
            holders[holder]["keeps"] = keeps
        written = {ids[o] for job in self.jobs.values() for o in job.outputs}
        derived = {(d["at"], d["to"]) for d in derivations}
        carried_in = {(f["to"], r) for f in flows for r in f["carries"]}
        interactions = {}
        for holder in sorted(holders):
            starts = [
                rid
                for rid in kept[holder]
                if (holder, rid) not in derived
                and (holder, rid) not in carried_in
                and holders[holder]["keeps"][rid]["for"] != "none"
            ]
            if starts:
                where = "enters" if holder not in written else "is first written"
                interactions[f"enter-{holder}"] = {
                    "name": f"Data that {where} at {holders[holder]['name']}",
                    "starts": {holder: starts},
                }
        deletions = {
            request: {
                "name": f"Erase the data in {holders[holder]['name']}",
                "confidence": "assumed",
                "note": "made by the import: OpenLineage has no deletion requests",
            }
            for holder, request in sorted(erase.items())
        }
        producers = sorted({e.data.get("producer", "") for e in self.events} - {""})
        data = {
            "format": "tracer/1",
            "name": f"OpenLineage lineage ({self.path.name})",
            "description": "Imported from OpenLineage events: " + self.path.name,
            "sources": {
                self.source: {
                    "title": f"OpenLineage events {self.path.name}",
                    "kind": "official",
                    "date": max(str(e.data.get("eventTime", ""))[:10] for e in self.events),
                    "note": "emitted by " + ", ".join(producers) if producers else None,
                }
            },
            "parties": parties,
            "records": records,
            "holders": holders,
            "flows": flows,
            "derivations": derivations,
            "interactions": interactions,
            "deletions": deletions,
        }
        if not data["sources"][self.source]["note"]:
            del data["sources"][self.source]["note"]
        try:
            model = Model.model_validate(data)
        except ValidationError as error:  # pragma: no cover - the import builds valid models
            raise ModelError(
                Problem(str(self.path), 0, field_path(e["loc"]), str(e["msg"]))
                for e in error.errors()
            ) from None
        problems = reference_problems(model)
        if problems:  # pragma: no cover - the import resolves every id it writes
            raise ModelError(
                Problem(str(self.path), 0, field_path(loc), message) for loc, message in problems
            )
        return OpenLineageImport(
            model=model,
            warnings=tuple(sorted(set(self.warnings), key=lambda p: (p.line, p.field, p.message))),
            events=len(self.events),
            jobs=len(self.jobs),
            retention_rules=rules,
            unstated=unstated,
            personal=personal,
        )

    def rule(self, holder: str, retention: tuple[str, int], erase: dict[str, str]) -> dict:
        text, line = retention
        reading = read_retention(text)
        if not reading.parsed:
            self.warn(
                line,
                "facets.retention",
                f"retention {text!r} is not a period tracer can read: kept for an unknown "
                "time, the text kept as the note",
            )
        rule: dict[str, Any] = {
            "for": reading.period,
            "evidence": [self.source],
            "confidence": "stated" if reading.parsed else "unknown",
            "note": f"OpenLineage retention facet: {text!r}",
        }
        if reading.period == "until_deleted":
            request = erase.setdefault(holder, f"erase-{holder}")
            rule["unclear_for" if reading.grace else "deleted_by"] = [request]
        return rule


def import_openlineage(
    path: str | Path,
    *,
    output: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> OpenLineageImport:
    """Read OpenLineage events (JSON Lines) into a model by the rules of this module's
    docstring; with ``output``, also write it there as ``tracer/1`` YAML (never over the
    events file).

    Raises :class:`~tracer.errors.ModelError` with every line that is not JSON or lacks a
    field the spec requires.
    """
    path = Path(path)
    imported = _Importer(path, read_events(path, max_bytes)).run()
    if output is not None:
        write_model(imported.model, output, header=_header(path, imported), protect=path)
    return imported


def _header(path: Path, imported: OpenLineageImport) -> str:
    return (
        f"tracer/1 model imported from OpenLineage by `tracer import openlineage` ({path.name})"
        f"\n{imported.summary()}"
    )


def openlineage_yaml(path: str | Path, imported: OpenLineageImport) -> str:
    """The imported model as the YAML text ``-o`` would write (for printing)."""
    return model_yaml(imported.model, header=_header(Path(path), imported))
