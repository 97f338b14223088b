"""The model file format ``tracer/1`` as pydantic models: shape and values, no I/O.

Unknown keys are errors (a typo such as ``delted_by`` must not vanish), ids are slugs, and
durations are parsed into days. References between ids are checked by
:mod:`tracer.model.references`, which can report all of them at once; loading (YAML, file:line)
is :mod:`tracer.model.loading`.

>>> m = Model.model_validate({
...     "format": "tracer/1", "name": "tiny",
...     "parties": {"acme": {"name": "Acme"}},
...     "records": {"note": {"name": "A note"}},
...     "holders": {"inbox": {"name": "Inbox", "party": "acme",
...                           "keeps": {"note": {"for": "30d"}}}},
... })
>>> m.holders["inbox"].keeps["note"].period
Period(kind='duration', days=30)
>>> m.holders["inbox"].parties
('acme',)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic import StringConstraints as _Constraints
from pydantic.dataclasses import dataclass

from ..gcpause import paused_gc
from .durations import format_days, parse_duration

__all__ = [
    "CLAIM_KINDS",
    "CONFIDENCES",
    "FORMAT",
    "AccessGrant",
    "Claim",
    "Deletion",
    "Derivation",
    "Featured",
    "Flow",
    "Holder",
    "Interaction",
    "Model",
    "Party",
    "Period",
    "Record",
    "RequestEvidence",
    "Retention",
    "SOURCE_KINDS",
    "SkillFeature",
    "SkillTemplate",
    "Source",
    "Statement",
    "TemplateDerivation",
    "TemplateFlow",
]

FORMAT = "tracer/1"

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_.:-]*$"
Slug = Annotated[str, _Constraints(pattern=SLUG_PATTERN)]

# How sure a rule is, from the evidence tags of the sources: Amazon says so (stated), the press
# (reported), a regulator (alleged), research, a law's text (law), our assumption, or nobody knows.
Confidence = Literal["stated", "reported", "alleged", "research", "law", "assumed", "unknown"]
CONFIDENCES: tuple[str, ...] = Confidence.__args__  # type: ignore[attr-defined]

PERIOD_WORDS = ("none", "until_deleted", "forever", "unknown")

# Who wrote a source, so a rule's confidence can be checked against it: the operator itself (its
# letters, FAQ, developer docs: what `stated` rests on), the press, research, a regulator (what
# `alleged` rests on), a law's text, or anyone else (a legislator, a law firm's summary).
SourceKind = Literal["official", "press", "research", "regulator", "law", "other"]
SOURCE_KINDS: tuple[str, ...] = SourceKind.__args__  # type: ignore[attr-defined]


@dataclasses.dataclass(frozen=True)
class Period:
    """How long a holder keeps a record: a word of ``PERIOD_WORDS`` or a duration in days.

    >>> Period.parse("18mo"), str(Period.parse("until_deleted"))
    (Period(kind='duration', days=540), 'until_deleted')
    """

    kind: str
    days: int | None = None

    @classmethod
    def parse(cls, value: Any) -> Period:
        if isinstance(value, Period):
            return value
        if not isinstance(value, str):  # a list or mapping cannot be a key of the cache below
            raise ValueError(
                f"a retention period is one word or duration, not {_a(value)}: use one of "
                f"{', '.join(PERIOD_WORDS)} or a duration like 30d, 3mo, 7y"
            )
        return cls._parse_text(value)

    @classmethod
    @functools.lru_cache(
        maxsize=256
    )  # one shared Period per spelling: "7y" appears thousands of times
    def _parse_text(cls, value: str) -> Period:
        if value in PERIOD_WORDS:
            return cls(value)
        try:
            return cls("duration", parse_duration(value))
        except ValueError as error:
            if "too long" in str(error):
                raise
            raise ValueError(
                f"{value!r} is not a retention period: use one of {', '.join(PERIOD_WORDS)} "
                "or a duration like 30d, 3mo, 7y"
            ) from None

    def __str__(self) -> str:
        return format_days(self.days) if self.kind == "duration" else self.kind


def _days(value: Any) -> int:
    return parse_duration(value)


def _a(value: Any) -> str:
    """What a YAML value is, in words: "a list", "a mapping", "a number"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "a list", tuple: "a list", dict: "a mapping"}.get(type(value), "a value")


def _iso_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, _dt.date) else value


PeriodField = Annotated[Period, PlainValidator(Period.parse), PlainSerializer(str)]
Days = Annotated[int, PlainValidator(_days), PlainSerializer(format_days)]


# The many small parts of a model are slotted, frozen pydantic dataclasses: a BaseModel instance
# carries a __dict__ and a set of the fields given, over 1 kB each, which a 100,000-holder model
# cannot afford. Lists in the file become tuples: smaller, and safe to share.
_part = dataclass(
    frozen=True,
    slots=True,
    kw_only=True,
    # defer_build: the validators are built on first validation, not at import: a model read
    # from the cache (tracer.cache) never validates, and importing tracer stays cheap
    config=ConfigDict(
        extra="forbid", validate_by_name=True, validate_by_alias=True, defer_build=True
    ),
)


@_part
class _Evidenced:
    evidence: tuple[Slug, ...] = ()
    confidence: Confidence = "assumed"
    note: str | None = None


@_part
class Source:
    """A public source a rule rests on."""

    title: str
    publisher: str | None = None
    kind: SourceKind | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None
    # the words the model relies on, verbatim, as found at `found_at` (or else at `url`): the
    # quotes of claims citing the source are checked against them (lint rule unquoted-claim)
    excerpt: str | None = None
    # where a reader finds those words when the cited address has no findable copy (a reprint,
    # a repost, the page that quotes it)
    found_at: str | None = None
    # false when the source itself could not be read: its words are as a third party quotes them
    verified: bool = True

    _date = field_validator("date", mode="before")(_iso_date)


@_part
class Party:
    """An organisation or person who can access data."""

    name: str
    role: Literal[
        "platform", "skill_developer", "processor", "contractor", "third_party", "data_subject"
    ] = "third_party"
    # where a person sends a request about their data (a privacy address, a web form, a postal
    # address): the erasure letters name it
    contact: str | None = None
    note: str | None = None


@_part
class Record:
    """A kind of data an interaction creates."""

    name: str
    categories: tuple[str, ...] = ()
    note: str | None = None


@_part
class RequestEvidence(_Evidenced):
    """What one deletion request's effect on a copy rests on, when it differs from the rule's."""


@_part
class Retention(_Evidenced):
    """How long a holder keeps a record, and which deletion requests remove it.

    ``per_request`` gives a request in ``deleted_by`` or ``unclear_for`` its own evidence and
    confidence where the sources differ: Amazon states what deleting a recording does, the press
    reports what "Alexa, delete what I just said" does.

    >>> rule = Retention(period="until_deleted", deleted_by=("wipe", "voice"),
    ...     evidence=("letter",), confidence="stated",
    ...     per_request={"voice": {"evidence": ["press"], "confidence": "reported"}})
    >>> rule.cited("wipe"), rule.cited("voice")
    ((('letter',), 'stated', None), (('press',), 'reported', None))
    """

    period: Annotated[PeriodField, Field(alias="for")]
    deleted_by: tuple[Slug, ...] = ()
    unclear_for: tuple[Slug, ...] = ()
    per_request: dict[Slug, RequestEvidence] = Field(default_factory=dict)

    def cited(self, request: str) -> tuple[tuple[str, ...], str, str | None]:
        """(evidence, confidence, note) behind ``request``'s effect here: its own, or the rule's."""
        own = self.per_request.get(request)
        if own is None:
            return tuple(self.evidence), self.confidence, self.note
        return tuple(own.evidence), own.confidence, own.note if own.note else self.note


@_part
class AccessGrant(_Evidenced):
    """A party who can access what a holder keeps, and in what capacity (``as``)."""

    party: Slug
    as_: Annotated[str | None, Field(alias="as")] = None


def _grant(value: Any) -> Any:
    return {"party": value} if isinstance(value, str) else value


@_part
class Holder:
    """A system or store where records live or pass through, operated by one party."""

    name: str
    party: Slug
    kind: Literal["device", "service", "store", "people"] = "service"
    # each item is a party id, or a grant with its capacity and evidence
    access: tuple[Annotated[AccessGrant, BeforeValidator(_grant)], ...] | None = None
    keeps: dict[Slug, Retention] = Field(default_factory=dict)
    note: str | None = None

    @property
    def grants(self) -> tuple[AccessGrant, ...]:
        """Who can access this holder's copies: ``access``, or by default its own party."""
        return self.access if self.access is not None else (AccessGrant(party=self.party),)

    @property
    def parties(self) -> tuple[str, ...]:
        """The ids of the parties who can access this holder's copies, sorted."""
        if self.access is None:
            # not via `grants`: making the default grant validates it, and the first one builds
            # AccessGrant's validator (defer_build), a cost tracing would pay in every process
            return (self.party,)
        return tuple(sorted({grant.party for grant in self.access}))


Deletion_ = Literal["ignored", "propagated", "unclear"]


@_part
class Flow(_Evidenced):
    """An edge: ``from`` sends the records it ``carries`` to ``to`` when all ``when`` tags hold."""

    id: Slug | None = None
    source: Annotated[Slug, Field(alias="from")]
    target: Annotated[Slug, Field(alias="to")]
    carries: Annotated[tuple[Slug, ...], Field(min_length=1)]
    when: tuple[Slug, ...] = ()
    deletion: Deletion_ = "ignored"
    purpose: str | None = None
    # some flows take only a sample ("a small fraction of 1% of requests"): the trace still shows
    # where the record can go, and this says how often it does
    share: str | None = None

    @property
    def key(self) -> str:
        """The flow's id: given, or ``<from>-><to>``."""
        return self.id or f"{self.source}->{self.target}"


@_part
class Derivation(_Evidenced):
    """At one holder, a record made from another (speech recognition: recording -> transcript)."""

    id: Slug | None = None
    at: Slug
    source: Annotated[Slug, Field(alias="from")]
    target: Annotated[Slug, Field(alias="to")]
    when: tuple[Slug, ...] = ()
    deletion: Deletion_ = "ignored"
    purpose: str | None = None

    @property
    def key(self) -> str:
        """The derivation's id: given, or ``<at>:<from>-><to>``."""
        return self.id or f"{self.at}:{self.source}->{self.target}"


@_part
class Interaction:
    """A kind of user request: its tags select the flows, its starts are the first copies."""

    name: str
    tags: tuple[Slug, ...] = ()
    starts: Annotated[dict[Slug, tuple[Slug, ...]], Field(min_length=1)]
    note: str | None = None


@_part
class Deletion(_Evidenced):
    """A deletion request: made by a party (``by``), or scheduled ``after`` a duration."""

    name: str
    by: Slug | None = None
    after: Days | None = None


@_part
class Statement:
    """One statement of a claim: ``record`` (a record id, or a Fides data category covering
    several), and what the kind of statement needs: ``with`` (a party id or a role), ``in``
    (interactions; default all), ``for`` (a period), ``on`` (a deletion request), ``from``/``at``
    (holders or parties; default the claimant's holders). :mod:`tracer.claims` checks which
    fields each kind takes."""

    record: str
    with_: Annotated[Slug | None, Field(alias="with")] = None
    in_: Annotated[tuple[Slug, ...], Field(alias="in")] = ()
    for_: Annotated[PeriodField | None, Field(alias="for")] = None
    on: Slug | None = None
    from_: Annotated[tuple[Slug, ...], Field(alias="from")] = ()
    at: tuple[Slug, ...] = ()

    _one = field_validator("from_", "at", "in_", mode="before")(
        lambda value: (value,) if isinstance(value, str) else value
    )

    @model_validator(mode="before")
    @classmethod
    def _on_key(cls, data: Any) -> Any:
        # YAML 1.1 reads an unquoted `on:` key as the boolean true
        if isinstance(data, dict) and True in data:
            data = {("on" if k is True else k): v for k, v in data.items()}
        return data


@_part
class Claim(_Evidenced):
    """What a party (or a source, such as a regulator's complaint) says the flows do: one
    statement of one kind, checked against the traced outcomes by :func:`tracer.check`."""

    by: Slug
    says: str | None = None  # the words of the claim, quoted
    shares: Statement | None = None
    does_not_share: Statement | None = None
    keeps: Statement | None = None
    deletes: Statement | None = None
    not_stored: Statement | None = None
    remains_after: Statement | None = None

    @property
    def kind(self) -> str:
        """The kind of its statement (``shares``, ``keeps``...): the one field given."""
        return next((k for k in CLAIM_KINDS if getattr(self, k) is not None), "")

    @property
    def statement(self) -> Statement:
        return getattr(self, self.kind)


@_part
class Featured:
    """The question a reader sees first (the explorer opens on it): an interaction, the deletion
    requests applied (``REQ`` or ``REQ@TIME``, as ``--delete`` takes them) and the query time."""

    interaction: Slug
    delete: tuple[str, ...] = ()
    at: str | None = None

    _one = field_validator("delete", mode="before")(
        lambda value: (value,) if isinstance(value, str) else value
    )


CLAIM_KINDS = ("shares", "does_not_share", "keeps", "deletes", "not_stored", "remains_after")


# The words a skill template gives features that are not permission scopes; a scope is written
# as skill manifests write it (`alexa::profile:email:read`, and the odd
# `alexa:devices:all:address:country_and_postal_code:read` with one colon after `alexa`).
FEATURE_WORDS = ("always", "account_linking", "in_skill_purchases", "amazon_pay")
FEATURE_PATTERN = r"^[a-z][A-Za-z0-9_.:-]*$"
# in a template, the skill's own backend (a holder made for each skill of the catalogue)
BACKEND = "backend"


@_part
class TemplateFlow(_Evidenced):
    """A flow of the skill template: ``from`` a holder of the model (or ``backend``) ``to`` the
    skill's backend (default) or a holder of the model; active only for that skill."""

    id: Slug
    source: Annotated[Slug, Field(alias="from")]
    target: Annotated[Slug, Field(alias="to")] = BACKEND
    carries: Annotated[tuple[Slug, ...], Field(min_length=1)]
    when: tuple[Slug, ...] = ()
    deletion: Deletion_ = "ignored"
    purpose: str | None = None


@_part
class TemplateDerivation(_Evidenced):
    """A derivation at the skill's backend (``at`` is always the backend)."""

    id: Slug
    source: Annotated[Slug, Field(alias="from")]
    target: Annotated[Slug, Field(alias="to")]
    when: tuple[Slug, ...] = ()
    deletion: Deletion_ = "ignored"
    purpose: str | None = None


@_part
class SkillFeature:
    """One feature of a skill (``always``, a permission scope, account linking, in-skill
    purchases, Amazon Pay): the tags it adds to the skill's interaction, the copies it starts,
    the flows to the skill's backend, what the backend makes of them, and what it keeps."""

    name: str
    tags: tuple[Slug, ...] = ()
    starts: dict[Slug, tuple[Slug, ...]] = Field(default_factory=dict)
    flows: tuple[TemplateFlow, ...] = ()
    derivations: tuple[TemplateDerivation, ...] = ()
    keeps: dict[Slug, Retention] = Field(default_factory=dict)
    note: str | None = None


@_part
class SkillTemplate:
    """The platform's rules for any skill of a catalogue (see docs/skills.md): instantiated
    for a skill, it gives its developer a party, its backend a holder, and the flows of the
    features the skill has. ``records`` and ``platform_keeps`` are records only skills receive
    and what the platform's holders keep of them, added to the model with the first skill."""

    tags: tuple[Slug, ...] = ("skill",)
    # the copies every skill's interaction starts with (the request's recording...)
    starts: Annotated[dict[Slug, tuple[Slug, ...]], Field(min_length=1)]
    records: dict[Slug, Record] = Field(default_factory=dict)
    platform_keeps: dict[Slug, dict[Slug, Retention]] = Field(default_factory=dict)
    features: dict[Annotated[str, _Constraints(pattern=FEATURE_PATTERN)], SkillFeature]
    note: str | None = None

    @field_validator("features")
    @classmethod
    def _always(cls, value: dict) -> dict:
        if "always" not in value:
            raise ValueError("a skill template needs the feature `always` (what every skill gets)")
        return value


class Model(BaseModel):
    """A whole ecosystem model (format ``tracer/1``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    format: Literal["tracer/1"]
    name: str
    # the day the model describes the ecosystem as of (ISO 8601), so dated models can be told apart
    date: str | None = None
    description: str | None = None
    sources: dict[Slug, Source] = {}
    parties: dict[Slug, Party] = {}
    records: dict[Slug, Record] = {}
    holders: dict[Slug, Holder] = {}
    flows: tuple[Flow, ...] = ()
    derivations: tuple[Derivation, ...] = ()
    interactions: dict[Slug, Interaction] = {}
    deletions: dict[Slug, Deletion] = {}
    claims: dict[Slug, Claim] = {}
    # the flagship question: what the explorer opens on (tracer.web.question)
    featured: Featured | None = None
    # the platform's rules for any skill of a catalogue (tracer.skills): see docs/skills.md
    skill_template: SkillTemplate | None = None

    # indexes derived from the (frozen) model on first use, such as tracer.graph.edge_index
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)

    _date = field_validator("date", mode="before")(_iso_date)

    def model_dump(self, **options: Any) -> dict[str, Any]:
        # a model from the cache keeps its parts in containers that decode them as they are
        # used (tracer.cache.parts), which pydantic's serializer does not know: decode them all
        return super(Model, whole(self)).model_dump(**options)

    def model_dump_json(self, **options: Any) -> str:
        return super(Model, whole(self)).model_dump_json(**options)


def whole(model: Model) -> Model:
    """``model`` with every part decoded into plain dicts and tuples (itself if it has none to
    decode): what pydantic's serializer needs, since it knows only dicts and tuples. A model from
    the cache (:mod:`tracer.cache.parts`) holds read-only mappings and sequences that decode a
    part when it is used; they are told apart by type, so the format need not import the cache.

    >>> m = Model(format="tracer/1", name="tiny")
    >>> whole(m) is m
    True
    """
    lazy = {
        name: value
        for name, value in model.__dict__.items()
        if (isinstance(value, Mapping) and not isinstance(value, dict))
        or (isinstance(value, Sequence) and not isinstance(value, tuple | str))
    }
    if not lazy:
        return model
    fields = dict(model.__dict__)
    with paused_gc():  # up to a million parts decoded: see tracer.gcpause
        for name, value in lazy.items():
            fields[name] = dict(value) if isinstance(value, Mapping) else tuple(value)
    return Model.model_construct(_fields_set=set(model.model_fields_set), **fields)
