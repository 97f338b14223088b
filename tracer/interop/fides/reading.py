"""Reading Fides data maps (fideslang YAML or JSON) into a ``tracer/1`` model: the rules are
listed in :mod:`tracer.interop.fides` and docs/interop.md."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ...errors import ModelError, Problem, did_you_mean, field_path
from ...model import Model
from ...model.characters import refused
from ...model.lint import fides_taxonomy
from ...model.loading import DEFAULT_MAX_BYTES
from ...model.references import reference_problems
from ...model.yamldata import DuplicateKeys, YamlProblem, lines_of, read_yaml_flagged
from ...safeio import InputError, read_input
from ..model_yaml import write_model
from ..retention_text import read_retention
from .schema import fideslang

__all__ = ["FidesImport", "import_fides", "read_fides"]

Loc = tuple[str | int, ...]

DEFAULT_ORGANIZATION = "default_organization"

# fideslang 1.x keys and the ones that replace them (Fides's own migrations to fideslang 1.4 and
# 2.0); an old key is read as its replacement, with a warning
OLD_DATA_USES = {
    "improve.system": "functional.service.improve",
    "improve": "functional",
    "essential.service.operations.support.optimization": "essential.service.operations.improve",
    "third_party_sharing.payment_processing": "essential.service.payment_processing",
    "third_party_sharing.fraud_detection": "essential.service.fraud_detection",
    "advertising": "marketing.advertising",
    "advertising.first_party": "marketing.advertising.first_party",
    "advertising.first_party.contextual": "marketing.advertising.first_party.contextual",
    "advertising.first_party.personalized": "marketing.advertising.first_party.targeted",
    "advertising.third_party": "marketing.advertising.third_party.targeted",
    "advertising.third_party.personalized": "marketing.advertising.third_party.targeted",
    "third_party_sharing.personalized_advertising": "marketing.advertising.third_party.targeted",
    "provide": "essential",
    "provide.service": "essential.service",
}
OLD_DATA_CATEGORIES = {
    "user.provided.identifiable.contact.email": "user.contact.email",
    "user.provided.identifiable.contact.phone_number": "user.contact.phone_number",
    "user.provided.identifiable.contact.street": "user.contact.address.street",
    "user.provided.identifiable.contact.city": "user.contact.address.city",
    "user.provided.identifiable.contact.postal_code": "user.contact.address.postal_code",
    "user.provided.identifiable.contact": "user.contact",
    "user.provided.identifiable.name": "user.name",
    "user.provided.identifiable.financial": "user.financial",
    "user.provided.identifiable.biometric": "user.biometric",
    "user.derived.identifiable.device.ip_address": "user.device.ip_address",
    "user.derived.identifiable.device.cookie_id": "user.device.cookie_id",
    "user.derived.identifiable.location": "user.location",
    "user.derived.identifiable.browsing_history": "user.behavior.browsing_history",
    "user.derived.identifiable.purchase_history": "user.behavior.purchase_history",
    "user.financial.account_number": "user.financial.bank_account",
    "user.credentials": "user.authorization.credentials",
    "user.browsing_history": "user.behavior.browsing_history",
    "user.observed": "user.behavior",
}

# keys that fideslang dropped in 2.0: named as such, so a reader knows why they are ignored
OLD_KEYS = {
    "data_qualifier",
    "data_qualifiers",
    "system_dependencies",
    "third_country_transfers",
    "joint_controller",
    "data_protection_impact_assessment",
    "data_responsibility_title",
    "retention",
}

# the keys tracer reads, per kind of Fides object; any other key is reported
MEANINGFUL = {
    "system": {
        "fides_key", "name", "description", "system_type", "organization_fides_key", "egress",
        "ingress", "privacy_declarations", "dataset_references", "responsibility",
        "data_responsibility_title", "vendor_id", "legal_name",
    },
    "privacy_declaration": {
        "name", "data_categories", "data_use", "egress", "ingress", "dataset_references",
        "retention_period",
    },
    "data_flow": {"fides_key", "type", "data_categories"},
    "dataset": {
        "fides_key", "name", "description", "organization_fides_key", "collections",
        "data_categories", "retention",
    },
    "collection": {"name", "description", "data_categories", "fields", "retention"},
    "field": {"name", "description", "data_categories", "fields", "retention"},
    "organization": {"fides_key", "name", "description"},
    "data_category": {"fides_key", "name", "description", "parent_key", "tags"},
}  # fmt: skip
RESOURCES = ("organization", "data_category", "system", "dataset")
IGNORED_RESOURCES = ("data_use", "data_subject", "policy", "evaluation")

_SLUG_BAD = re.compile(r"[^a-z0-9_.:-]+")


def _slug(key: str) -> str:
    """A Fides key as a tracer id: lowercase, other characters as ``_``."""
    slug = _SLUG_BAD.sub("_", str(key).lower()).strip("_") or "x"
    return slug if slug[0].isalnum() else f"x{slug}"


@cache
def _category_names() -> dict[str, str]:
    from fideslang import DEFAULT_TAXONOMY

    return {c.fides_key: c.name or c.fides_key for c in DEFAULT_TAXONOMY.data_category}


@dataclass(frozen=True)
class FidesImport:
    """A model imported from Fides, the warnings about what it could not carry over, and counts."""

    model: Model
    warnings: tuple[Problem, ...]
    systems: int
    datasets: int
    flows: int
    records: int
    retention_rules: int
    unparsed: int
    unstated: int

    def summary(self) -> str:
        """One line with every count, as ``tracer import fides`` prints it."""
        m = self.model
        return (
            f"imported {_n(self.systems, 'system')} and {_n(self.datasets, 'dataset')}: "
            f"{_n(len(m.holders), 'holder')}, {_n(self.flows, 'flow')}, "
            f"{_n(self.records, 'record')}, {_n(self.retention_rules, 'retention rule')} "
            f"from retention texts ({self.unparsed} could not be parsed: kept as unknown), "
            f"{self.unstated} with no retention stated (unknown), "
            f"{_n(len(m.interactions), 'interaction')}, "
            f"{_n(len(m.deletions), 'deletion request')}; {_n(len(self.warnings), 'warning')}"
        )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass
class _File:
    path: str
    text: str
    source: str  # the tracer source id citing this file
    data: dict
    locs: list[tuple[Loc, str]] = field(default_factory=list)  # warnings, located later
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        if loc not in self.lines:
            self.locate([loc])
        return self.lines[loc]

    def locate(self, locs: Iterable[Loc]) -> None:
        """Find the lines of many field paths in one reading of the text: found one at a time,
        a thousand problems meant reading the file a thousand times."""
        wanted = [loc for loc in locs if loc not in self.lines]
        if wanted:
            self.lines.update(lines_of(self.text, wanted))


@dataclass
class _Resource:
    kind: str
    file: _File
    loc: Loc
    raw: dict


def read_fides(paths: str | Path | Iterable[str | Path]) -> Model:
    """The ``tracer/1`` model of one or more fideslang files (see :func:`import_fides`)."""
    return import_fides(paths).model


def import_fides(
    paths: str | Path | Iterable[str | Path],
    *,
    output: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FidesImport:
    """Read fideslang files (systems, datasets, organizations, custom data categories; YAML or
    JSON) into a model, by the rules of this module's docstring; with ``output``, also write the
    model there as ``tracer/1`` YAML (never over one of the files read).

    Raises :class:`~tracer.errors.ModelError` with every problem at ``file:line`` when a file
    cannot be read or a resource is not valid fideslang.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [found for p in paths for found in _expand(Path(p))]
    files: list[_File] = []
    for path in paths:
        files.append(_read_file(path, {f.source for f in files}, max_bytes))
    if not files:
        raise ModelError([Problem("<none>", 0, "", "no Fides file given")])
    resources = _resources(files)
    _validate(resources)
    imported = _Importer(files, resources).run()
    if output is not None:
        output = Path(output)
        header = (
            f"tracer/1 model imported from Fides by `tracer import fides` "
            f"({', '.join(p.name for p in paths)})\n{imported.summary()}"
        )
        write_model(imported.model, output, header=header, protect=[None, *paths])
    return imported


def _expand(path: Path) -> list[Path]:
    """A file, or every .yml, .yaml and .json file below a folder (sorted), as fideslang's own
    ``ingest_manifests`` reads a folder."""
    if not path.is_dir():
        return [path]
    found = sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".yml", ".yaml", ".json")
    )
    if not found:
        raise ModelError([Problem(str(path), 0, "", "no .yml, .yaml or .json file in the folder")])
    return found


def _read_file(path: Path, taken: set[str], max_bytes: int) -> _File:
    name = str(path)
    try:
        text = read_input(path, max_bytes=max_bytes).decode("utf-8")
    except InputError as error:
        raise ModelError([Problem(name, 0, "", error.reason)]) from None
    except UnicodeDecodeError:
        raise ModelError([Problem(name, 0, "", "not valid UTF-8")]) from None
    try:
        data, flagged = read_yaml_flagged(text)
    except DuplicateKeys as error:
        raise ModelError(
            Problem(name, line, key, "duplicate key") for line, key in error.duplicates
        ) from None
    except YamlProblem as error:
        raise ModelError([Problem(name, error.line, "", error.message)]) from None
    if not isinstance(data, dict):
        raise ModelError(
            [Problem(name, 1, "", "a Fides file is a mapping of resources (system:, dataset:...)")]
        )
    refused_here = _refused_texts(data) if flagged else []
    if refused_here:  # the model would carry them, and tracer/1 refuses them: say where now
        lines = lines_of(text, [loc for loc, _ in refused_here])
        raise ModelError(
            Problem(name, lines[loc], field_path(map(_escaped, loc)), message)
            for loc, message in refused_here
        )
    source = base = f"fides-{_slug(path.stem)}"
    count = 2
    while source in taken:  # two files with one name, from different folders
        source, count = f"{base}-{count}", count + 1
    return _File(name, text, source, data)


def _refused_texts(data: Any) -> list[tuple[Loc, str]]:
    """Every key and text holding a character a tracer/1 model refuses (a control character, a
    direction override: :mod:`tracer.characters`), with why."""
    found: list[tuple[Loc, str]] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, container = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in items:
            if isinstance(key, str) and (why := refused(key, key=True)):
                found.append(((*loc, key), f"the key {why}; remove it"))
            if isinstance(value, str) and (why := refused(value, key=False)):
                found.append(((*loc, key), f"{why}; remove it"))
            elif isinstance(value, (dict, list)):
                stack.append(((*loc, key), value))
    return found


def _escaped(part: str | int) -> str | int:
    """A field path's part with what cannot be printed written as escapes."""
    if isinstance(part, str) and not part.isprintable():
        return part.encode("unicode_escape", "backslashreplace").decode("ascii")
    return part


def _resources(files: list[_File]) -> list[_Resource]:
    found = []
    for file in files:
        for kind, items in file.data.items():
            if kind in RESOURCES:
                if not isinstance(items, list):
                    items = [items]
                for index, raw in enumerate(items):
                    loc = (kind, index)
                    if not isinstance(raw, dict):
                        raise ModelError(
                            [Problem(file.path, file.line(loc), field_path(loc), "not a mapping")]
                        )
                    found.append(_Resource(kind, file, loc, raw))
            elif kind in IGNORED_RESOURCES:
                file.locs.append(
                    ((kind,), f"{kind!r} resources have no meaning in tracer/1: ignored")
                )
            else:
                file.locs.append(
                    (
                        (kind,),
                        f"{kind!r} is not a fideslang resource"
                        + did_you_mean(str(kind), [*RESOURCES, *IGNORED_RESOURCES])
                        + ": ignored",
                    )
                )
    return found


def _validate(resources: list[_Resource]) -> None:
    """Each resource through fideslang's own model; every error at file:line."""
    models = fideslang()
    classes = {
        "system": models.System,
        "dataset": models.Dataset,
        "organization": models.Organization,
        "data_category": models.DataCategory,
    }
    found: list[tuple[_Resource, Loc, str, tuple[_Resource, Loc] | None]] = []
    seen: dict[tuple[str, str], _Resource] = {}
    for resource in resources:
        key = (resource.kind, str(resource.raw.get("fides_key")))
        if resource.raw.get("fides_key") is not None and key in seen:
            first = seen[key]
            loc = (*resource.loc, "fides_key")
            message = f"{resource.kind} {key[1]!r} is already defined at "
            found.append((resource, loc, message, (first, (*first.loc, "fides_key"))))
        seen.setdefault(key, resource)
        try:
            classes[resource.kind].model_validate(resource.raw)
        except ValidationError as error:
            for item in error.errors():
                loc = (*resource.loc, *item["loc"])
                message = (
                    str(item["msg"])
                    .removeprefix("Value error, ")
                    .removeprefix("Assertion failed, ")
                )
                found.append((resource, loc, message, None))
    if not found:
        return
    wanted: dict[int, tuple[_File, list[Loc]]] = {}
    for resource, loc, _, earlier in found:
        for file, at in [
            (resource.file, loc),
            *([(earlier[0].file, earlier[1])] if earlier else []),
        ]:
            wanted.setdefault(id(file), (file, []))[1].append(at)
    for file, locs in wanted.values():
        file.locate(locs)
    problems = []
    for resource, loc, message, earlier in found:
        if earlier is not None:
            first, first_loc = earlier
            message += f"{first.file.path}:{first.file.line(first_loc)}"
        problems.append(
            Problem(resource.file.path, resource.file.line(loc), field_path(loc), message)
        )
    raise ModelError(problems)


def _period_rank(period: str) -> tuple[int, int]:
    """Order of retention periods by how long they keep a copy (for two texts on one copy)."""
    if period == "forever":
        return (4, 0)
    if period == "until_deleted":
        return (3, 0)
    if period == "unknown":
        return (2, 0)
    if period == "none":
        return (0, 0)
    from ...model.durations import parse_duration

    return (1, parse_duration(period))


@dataclass
class _Statement:
    """One retention text about one record at one holder."""

    text: str
    file: _File
    loc: Loc


class _Importer:
    """The import's working state: one pass over the resources, then the model."""

    def __init__(self, files: list[_File], resources: list[_Resource]):
        self.files = files
        self.resources = resources
        self.organizations: dict[str, str] = {}  # fides key -> name
        self.custom: dict[str, dict] = {}  # custom data category key -> raw
        self.records: dict[str, dict] = {}  # record id -> record data
        self.record_of: dict[str, str] = {}  # category key -> record id
        self.key_of: dict[str, str] = {}  # record id -> category key
        self.holders: dict[str, dict] = {}
        self.system_of: dict[str, str] = {}  # system fides key -> holder id
        self.declared: dict[str, list[str]] = {}  # holder -> its records, in order
        self.dataset_owner: dict[str, list[str]] = {}  # dataset key -> holders storing it
        self.statements: dict[tuple[str, str], list[_Statement]] = {}
        self.parties: dict[str, dict] = {}
        self.unparsed_at: set[tuple[str, Loc]] = set()

    # -- warnings
    def warn(self, file: _File, loc: Loc, message: str) -> None:
        file.locs.append((loc, message))

    def check_keys(self, kind: str, raw: dict, file: _File, loc: Loc, known: set[str]) -> None:
        for key in raw:
            if key in MEANINGFUL[kind]:
                continue
            where = (*loc, key)
            if key in OLD_KEYS:
                self.warn(
                    file,
                    where,
                    f"{key!r} is from an older fideslang and has no meaning in tracer/1: ignored",
                )
            elif key in known:
                self.warn(
                    file, where, f"{key!r} is a fideslang key with no meaning in tracer/1: ignored"
                )
            else:
                self.warn(
                    file,
                    where,
                    f"{key!r} is not a fideslang key"
                    + did_you_mean(str(key), sorted(known | MEANINGFUL[kind]))
                    + ": ignored",
                )

    # -- taxonomy
    def category(self, key: str, file: _File, loc: Loc) -> str:
        """The record id for a data category key, upgrading an old key."""
        key = str(key)
        if key in OLD_DATA_CATEGORIES and key not in self.custom:
            new = OLD_DATA_CATEGORIES[key]
            self.warn(
                file, loc, f"old taxonomy key {key!r} (fideslang before 2.0): read as {new!r}"
            )
            key = new
        if key not in self.record_of:
            self.record_of[key] = self.new_record(key)
        return self.record_of[key]

    def new_record(self, key: str) -> str:
        raw = self.custom.get(key)
        if raw is not None:  # a custom category: a record of its own, below its parent
            record = _slug(key.rsplit(".", 1)[-1])
            parent = [str(raw["parent_key"])] if raw.get("parent_key") else []
            categories = [*parent, *(str(t) for t in raw.get("tags") or ())]
            name = str(raw.get("name") or record)
        else:
            record, categories = _slug(key), [key]
            name = _category_names().get(key) or key
        if record in self.records:
            record = _slug(key)
        base, n = record, 2
        while record in self.records:
            record, n = f"{base}-{n}", n + 1
        self.records[record] = {"name": name, "categories": categories}
        self.key_of[record] = key
        return record

    def data_use(self, key: str, file: _File | None, loc: Loc) -> str:
        """A data use key, an old one upgraded (with a warning when ``file`` is given)."""
        key = str(key)
        if key in OLD_DATA_USES and key not in fides_taxonomy()["data_uses"]:
            new = OLD_DATA_USES[key]
            if file is not None:
                self.warn(
                    file, loc, f"old taxonomy key {key!r} (fideslang before 2.0): read as {new!r}"
                )
            return new
        return key

    # -- the passes
    def run(self) -> FidesImport:
        models = fideslang()
        known = {
            "system": set(models.System.model_fields),
            "privacy_declaration": set(models.PrivacyDeclaration.model_fields),
            "data_flow": set(models.DataFlow.model_fields),
            "dataset": set(models.Dataset.model_fields) | {"fidesops_meta"},
            "collection": set(models.DatasetCollection.model_fields) | {"fidesops_meta"},
            "field": set(models.DatasetField.model_fields) | {"fidesops_meta"},
            "organization": set(models.Organization.model_fields),
            "data_category": set(models.DataCategory.model_fields),
        }
        self.known = known
        for r in self.resources:
            if r.kind == "organization":
                self.check_keys("organization", r.raw, r.file, r.loc, known["organization"])
                self.organizations[str(r.raw["fides_key"])] = str(
                    r.raw.get("name") or r.raw["fides_key"]
                )
            elif r.kind == "data_category":
                self.check_keys("data_category", r.raw, r.file, r.loc, known["data_category"])
                self.custom[str(r.raw["fides_key"])] = r.raw
        for key in self.custom:  # a category the files define is a record, used or not
            self.record_of[key] = self.new_record(key)
        systems = [r for r in self.resources if r.kind == "system"]
        datasets = [r for r in self.resources if r.kind == "dataset"]
        self.dataset_keys = {str(r.raw["fides_key"]) for r in datasets}
        for r in systems:
            self.system(r)
        for r in systems:
            self.references(r)
        for r in datasets:
            self.dataset(r)
        flows = self.flows(systems)
        keeps_counts = self.keeps(flows)
        return self.finish(systems, datasets, flows, keeps_counts)

    def party_of(self, raw: dict, own: str, own_name: str) -> str:
        organization = str(raw.get("organization_fides_key") or DEFAULT_ORGANIZATION)
        if organization == DEFAULT_ORGANIZATION and len(self.organizations) == 1:
            organization = next(iter(self.organizations))  # a map of one organization
            stated = False
        else:
            stated = organization != DEFAULT_ORGANIZATION
        titles = [*(raw.get("responsibility") or ()), raw.get("data_responsibility_title")]
        processor = any(t in ("Processor", "Sub-Processor") for t in titles) or bool(
            raw.get("vendor_id")
        )
        if processor and not stated:
            party = _slug(own)
            name = str(raw.get("legal_name") or own_name)
            role = (
                "processor"
                if any(t in ("Processor", "Sub-Processor") for t in titles)
                else ("third_party")
            )
            self.parties.setdefault(party, {"name": name, "role": role})
            return party
        party = _slug(organization)
        self.parties.setdefault(
            party, {"name": self.organizations.get(organization, organization), "role": "platform"}
        )
        return party

    def system(self, r: _Resource) -> None:
        raw, file = r.raw, r.file
        self.check_keys("system", raw, file, r.loc, self.known["system"])
        key = str(raw["fides_key"])
        holder = _slug(key)
        name = str(raw.get("name") or key)
        self.system_of[key] = holder
        entry: dict[str, Any] = {
            "name": name,
            "party": self.party_of(raw, key, name),
            "kind": _kind(str(raw.get("system_type") or "")),
        }
        if raw.get("description"):
            entry["note"] = " ".join(str(raw["description"]).split())
        self.holders[holder] = entry
        records = self.declared.setdefault(holder, [])
        for index, declaration in enumerate(raw.get("privacy_declarations") or ()):
            loc = (*r.loc, "privacy_declarations", index)
            self.check_keys(
                "privacy_declaration", declaration, file, loc, self.known["privacy_declaration"]
            )
            self.data_use(declaration["data_use"], file, (*loc, "data_use"))
            for position, category in enumerate(declaration.get("data_categories") or ()):
                record = self.category(category, file, (*loc, "data_categories", position))
                if record not in records:
                    records.append(record)
                if declaration.get("retention_period"):
                    self.statements.setdefault((holder, record), []).append(
                        _Statement(
                            str(declaration["retention_period"]), file, (*loc, "retention_period")
                        )
                    )
        for direction in ("egress", "ingress"):
            for index, flow in enumerate(raw.get(direction) or ()):
                loc = (*r.loc, direction, index)
                self.check_keys("data_flow", flow, file, loc, self.known["data_flow"])

    def references(self, r: _Resource) -> None:
        holder = self.system_of[str(r.raw["fides_key"])]
        keys = [
            (key, (*r.loc, "dataset_references", i))
            for i, key in enumerate(r.raw.get("dataset_references") or ())
        ]
        for d, declaration in enumerate(r.raw.get("privacy_declarations") or ()):
            keys += [
                (key, (*r.loc, "privacy_declarations", d, "dataset_references", i))
                for i, key in enumerate(declaration.get("dataset_references") or ())
            ]
        for key, loc in keys:
            if str(key) not in self.dataset_keys:
                self.warn(r.file, loc, f"no dataset {str(key)!r} in the imported files: ignored")
                continue
            owners = self.dataset_owner.setdefault(str(key), [])
            if holder not in owners:
                owners.append(holder)

    def dataset(self, r: _Resource) -> None:
        raw, file = r.raw, r.file
        self.check_keys("dataset", raw, file, r.loc, self.known["dataset"])
        key = str(raw["fides_key"])
        owners = self.dataset_owner.get(key)
        if not owners:
            holder = _slug(key)
            if holder in self.holders:
                holder = f"{holder}.dataset"
            name = str(raw.get("name") or key)
            self.holders[holder] = {
                "name": name,
                "party": self.party_of(raw, key, name),
                "kind": "store",
            }
            if raw.get("description"):
                self.holders[holder]["note"] = " ".join(str(raw["description"]).split())
            self.declared[holder] = []
            owners = self.dataset_owner[key] = [holder]
        top = (
            _Statement(str(raw["retention"]), file, (*r.loc, "retention"))
            if raw.get("retention")
            else None
        )
        for category_index, category in enumerate(raw.get("data_categories") or ()):
            loc = (*r.loc, "data_categories", category_index)
            self.store(owners, self.category(category, file, loc), top)
        for index, collection in enumerate(raw.get("collections") or ()):
            self.level("collection", collection, file, (*r.loc, "collections", index), owners, top)

    def level(
        self,
        kind: str,
        raw: dict,
        file: _File,
        loc: Loc,
        owners: list[str],
        inherited: _Statement | None,
    ) -> None:
        """A collection or field: its categories kept with its own retention, or the nearest
        enclosing one's."""
        self.check_keys(kind, raw, file, loc, self.known[kind])
        statement = (
            _Statement(str(raw["retention"]), file, (*loc, "retention"))
            if raw.get("retention")
            else inherited
        )
        for position, category in enumerate(raw.get("data_categories") or ()):
            record = self.category(category, file, (*loc, "data_categories", position))
            self.store(owners, record, statement)
        for index, child in enumerate(raw.get("fields") or ()):
            self.level("field", child, file, (*loc, "fields", index), owners, statement)

    def store(self, owners: list[str], record: str, statement: _Statement | None) -> None:
        for holder in owners:
            records = self.declared.setdefault(holder, [])
            if record not in records:
                records.append(record)
            if statement is not None:
                self.statements.setdefault((holder, record), []).append(statement)

    def endpoint(self, flow: dict, file: _File, loc: Loc) -> list[str] | None:
        """The holders a DataFlow names; None for the user; [] (with a warning) when unknown."""
        key, kind = str(flow["fides_key"]), str(flow["type"])
        if kind == "user":
            return None
        if kind == "system" and key in self.system_of:
            return [self.system_of[key]]
        if kind == "dataset" and key in self.dataset_owner:
            return list(self.dataset_owner[key])
        self.warn(file, (*loc, "fides_key"), f"no {kind} {key!r} in the imported files: no flow")
        return []

    def flows(self, systems: list[_Resource]) -> dict[tuple[str, str], dict]:
        pairs: dict[tuple[str, str], dict] = {}
        self.from_user: set[str] = set()
        for r in systems:
            holder = self.system_of[str(r.raw["fides_key"])]
            for direction in ("egress", "ingress"):
                for index, flow in enumerate(r.raw.get(direction) or ()):
                    loc = (*r.loc, direction, index)
                    others = self.endpoint(flow, r.file, loc)
                    if others is None:
                        if direction == "ingress":
                            self.from_user.add(holder)
                        continue
                    explicit = [
                        self.category(c, r.file, (*loc, "data_categories", i))
                        for i, c in enumerate(flow.get("data_categories") or ())
                    ]
                    for other in others:
                        pair = (holder, other) if direction == "egress" else (other, holder)
                        if pair[0] == pair[1]:
                            continue  # a system and its own dataset: one holder
                        entry = pairs.setdefault(
                            pair, {"explicit": [], "sources": [], "file": r.file, "loc": loc}
                        )
                        entry["explicit"] += [c for c in explicit if c not in entry["explicit"]]
                        if r.file.source not in entry["sources"]:
                            entry["sources"].append(r.file.source)
        self.purposes = self.flow_purposes(systems)
        return pairs

    def flow_purposes(self, systems: list[_Resource]) -> dict[tuple[str, str], set[str]]:
        purposes: dict[tuple[str, str], set[str]] = {}
        for r in systems:
            holder = self.system_of[str(r.raw["fides_key"])]
            for declaration in r.raw.get("privacy_declarations") or ():
                use = self.data_use(declaration["data_use"], None, ())
                for key in declaration.get("egress") or ():
                    for target in self.named(str(key)):
                        purposes.setdefault((holder, target), set()).add(use)
        return purposes

    def named(self, key: str) -> list[str]:
        if key in self.system_of:
            return [self.system_of[key]]
        return list(self.dataset_owner.get(key, ()))

    def carried(self, pair: tuple[str, str], entry: dict) -> list[str]:
        if entry["explicit"]:
            return list(entry["explicit"])
        sent, got = self.declared.get(pair[0], []), self.declared.get(pair[1], [])
        sent_keys = {self.key_of[r]: r for r in sent}
        got_keys = {self.key_of[r]: r for r in got}
        carried = [r for k, r in sent_keys.items() if _covered(k, got_keys)]
        carried += [r for k, r in got_keys.items() if _covered(k, sent_keys) and r not in carried]
        return carried

    def keeps(self, pairs: dict[tuple[str, str], dict]) -> dict[str, int]:
        self.flow_list: list[dict] = []
        received: dict[str, list[str]] = {h: list(self.declared.get(h, [])) for h in self.holders}
        for pair, entry in pairs.items():
            carries, confidence = self.carried(pair, entry), "stated"
            if not carries:
                # Fides's own data map draws this edge: keep it, with what the sender declares,
                # as an assumption, rather than lose a recipient
                carries, confidence = list(self.declared.get(pair[0], [])), "assumed"
                self.warn(
                    entry["file"],
                    entry["loc"],
                    f"flow {pair[0]} -> {pair[1]}: no data category both sides declare, and the "
                    + (
                        "flow lists none: assumed to carry everything the sender declares "
                        f"({', '.join(carries)}; confidence assumed)"
                        if carries
                        else "flow lists none, and the sender declares none: no flow"
                    ),
                )
                if not carries:
                    continue
            flow: dict[str, Any] = {
                "from": pair[0],
                "to": pair[1],
                "carries": carries,
                "evidence": entry["sources"],
                "confidence": confidence,
            }
            if confidence == "assumed":
                flow["note"] = (
                    "Fides states this flow but no data category both sides declare: assumed "
                    "to carry every category the sender declares"
                )
            uses = self.purposes.get(pair, set())
            if len(uses) == 1:
                flow["purpose"] = next(iter(uses))
            self.flow_list.append(flow)
            for record in carries:
                if record not in received[pair[1]]:
                    received[pair[1]].append(record)
        rules = unstated = 0
        self.erase: dict[str, str] = {}
        for holder, records in received.items():
            keeps = {}
            for record in records:
                statements = self.statements.get((holder, record))
                if statements:
                    keeps[record] = self.rule(holder, record, statements)
                    rules += 1
                else:
                    keeps[record] = {
                        "for": "unknown",
                        "confidence": "unknown",
                        "note": "the Fides map states no retention for it here",
                    }
                    unstated += 1
            if keeps:
                self.holders[holder]["keeps"] = keeps
        return {"rules": rules, "unstated": unstated}

    def rule(self, holder: str, record: str, statements: list[_Statement]) -> dict:
        readings = []
        for s in statements:
            reading = read_retention(s.text)
            if not reading.parsed and (s.file.path, s.loc) not in self.unparsed_at:
                # one text may cover several copies: it is counted and reported once
                self.unparsed_at.add((s.file.path, s.loc))
                self.warn(
                    s.file,
                    s.loc,
                    f"retention {s.text!r} is not a period tracer can read: what it covers is "
                    "kept for an unknown time, the text kept as the note",
                )
            readings.append((reading, s))
        parsed = [(rd, s) for rd, s in readings if rd.parsed] or readings
        reading, chosen = max(parsed, key=lambda item: _period_rank(item[0].period))
        texts = sorted({s.text for _, s in readings})
        if len(texts) > 1:
            self.warn(
                chosen.file,
                chosen.loc,
                f"{holder}/{record} has {len(texts)} retention texts "
                f"({', '.join(map(repr, texts))}): the longest, {chosen.text!r}, is used",
            )
        rule: dict[str, Any] = {
            "for": reading.period,
            "evidence": sorted({s.file.source for _, s in readings}),
            "confidence": "stated",
            "note": f"Fides retention: {chosen.text!r}",
        }
        if reading.period == "until_deleted":
            request = self.erase.setdefault(holder, f"erase-{holder}")
            rule["unclear_for" if reading.grace else "deleted_by"] = [request]
            if reading.grace:
                rule["note"] += (
                    f"; it outlives the deletion request by {reading.grace}, which tracer/1 "
                    "cannot date: it may remain after the request"
                )
        return rule

    def finish(
        self,
        systems: list[_Resource],
        datasets: list[_Resource],
        pairs: dict,
        counts: dict[str, int],
    ) -> FidesImport:
        sources = {
            f.source: {"title": f"Fides data map {Path(f.path).name}", "note": "imported by tracer"}
            for f in self.files
        }
        deletions = {
            request: {
                "name": f"Erase the user's data in {self.holders[holder]['name']}",
                "evidence": [],
                "confidence": "assumed",
                "note": "made by the import: Fides keeps no deletion requests",
            }
            for holder, request in sorted(self.erase.items())
        }
        interactions = {}
        for holder in (self.system_of[str(r.raw["fides_key"])] for r in systems):
            # a system collects what it declares and no flow brings it; with ingress from the
            # user, everything it declares
            brought = {r for f in self.flow_list if f["to"] == holder for r in f["carries"]}
            declared = self.declared.get(holder, [])
            starts = (
                declared if holder in self.from_user else [r for r in declared if r not in brought]
            )
            if starts:
                interactions[f"collect-{holder}"] = {
                    "name": f"Data collected by {self.holders[holder]['name']}",
                    "starts": {holder: starts},
                }
        organizations = list(self.organizations.values())
        data = {
            "format": "tracer/1",
            "name": " / ".join(organizations) if organizations else "Fides data map",
            "description": "Imported from Fides: "
            + ", ".join(Path(f.path).name for f in self.files),
            "sources": sources,
            "parties": self.parties,
            "records": self.records,
            "holders": self.holders,
            "flows": self.flow_list,
            "interactions": interactions,
            "deletions": deletions,
        }
        try:
            model = Model.model_validate(data)
        except ValidationError as error:  # pragma: no cover - the import builds valid models
            raise ModelError(
                Problem(self.files[0].path, 0, field_path(e["loc"]), str(e["msg"]))
                for e in error.errors()
            ) from None
        problems = reference_problems(model)
        if problems:  # pragma: no cover - the import resolves every id it writes
            raise ModelError(
                Problem(self.files[0].path, 0, field_path(loc), message)
                for loc, message in problems
            )
        for f in self.files:
            f.locate(loc for loc, _ in f.locs if loc)
        warnings = sorted(
            {
                Problem(f.path, f.line(loc) if loc else 1, field_path(loc), message, "warning")
                for f in self.files
                for loc, message in f.locs
            },
            key=lambda p: (p.file, p.line, p.field, p.message),
        )
        return FidesImport(
            model=model,
            warnings=tuple(warnings),
            systems=len(systems),
            datasets=len(datasets),
            flows=len(self.flow_list),
            records=len(self.records),
            retention_rules=counts["rules"],
            unparsed=len(self.unparsed_at),
            unstated=counts["unstated"],
        )


def _covered(key: str, others: Iterable[str]) -> bool:
    """Whether ``key`` is one of ``others`` or below one of them (``user.contact.email`` is
    below ``user.contact``)."""
    return any(key == other or key.startswith(other + ".") for other in others)


_KINDS = (
    (("database", "storage", "store", "warehouse", "dataset", "lake", "bucket"), "store"),
    (("device", "mobile", "iot", "hardware", "speaker"), "device"),
    (("people", "team", "human", "reviewer", "staff"), "people"),
)


def _kind(system_type: str) -> str:
    """A holder kind from Fides's free-text ``system_type``: service unless a word says more."""
    words = system_type.lower()
    for needles, kind in _KINDS:
        if any(n in words for n in needles):
            return kind
    return "service"


# -- export ---------------------------------------------------------------------------------
