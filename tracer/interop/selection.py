"""Which processings a privacy team asks about: one filter shared by every export and ``tracer
list`` (``--party``, ``--retention``, ``--confidence``).

A *processing* is one holder handling one record: a record it keeps (its ``keeps`` rule), or one
that a flow, a derivation or an interaction brings it with no rule (kept for an *unknown* time,
as tracing reads it). A :class:`Selection` matches a processing when

- its holder is run by one of ``parties`` (when given),
- its retention is one of ``retention``: a period word (``none``, ``until_deleted``,
  ``forever``, ``unknown``), ``duration`` for any fixed period, or one duration (``30d``),
- its confidence is one of ``confidence`` (a record with no rule: ``unknown``).

:func:`select_model` keeps the holders with a matching processing (with ``confidence`` and no
``retention``, also both ends of a flow of a selected confidence), *whole* (their rules are not
cut), the flows between them (of a selected confidence, when one is given), their derivations,
and the interactions that still start somewhere; every id the kept parts name stays defined.
A trace is taken of the whole model and then cut (:func:`select_trace`): a copy reached
through a holder the selection leaves out keeps its path and status.

>>> import tracer
>>> model = tracer.load_model()
>>> only = Selection(parties=("amazon",), retention=("until_deleted",))
>>> sorted({holder for holder, _ in processings(model, only)})
['voice_history']
>>> {model.holders[h].party for h in select_model(model, only).holders}
{'amazon'}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import OutputError, UnknownIdError
from ..model import CONFIDENCES, PERIOD_WORDS, Model, Period, Retention
from ..tracing import PartyAccess, Trace

__all__ = [
    "EVERYTHING",
    "RETENTION_CHOICES",
    "Selection",
    "processings",
    "select_model",
    "select_trace",
    "selection_of",
]

RETENTION_CHOICES = (*PERIOD_WORDS, "duration")


@dataclass(frozen=True)
class Selection:
    """What to keep; an empty tuple keeps everything on that axis."""

    parties: tuple[str, ...] = ()
    retention: tuple[str, ...] = ()
    confidence: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.parties or self.retention or self.confidence)

    def check(self, model: Model) -> Selection:
        """This selection, its values checked against the model (an unknown party or word is
        an error with a did-you-mean, never an empty result)."""
        for party in self.parties:
            if party not in model.parties:
                raise UnknownIdError("party", party, model.parties)
        for word in self.retention:
            if word not in RETENTION_CHOICES:
                try:
                    Period.parse(word)
                except ValueError:
                    raise OutputError(
                        f"--retention {word!r}: use one of {', '.join(RETENTION_CHOICES)} "
                        "or a duration like 30d"
                    ) from None
        for word in self.confidence:
            if word not in CONFIDENCES:
                raise OutputError(f"--confidence {word!r}: use one of {', '.join(CONFIDENCES)}")
        return self

    def matches(self, model: Model, holder: str, rule: Retention | None) -> bool:
        """Whether ``holder`` handling a record under ``rule`` (None: no rule) is selected."""
        if self.parties and model.holders[holder].party not in self.parties:
            return False
        period = rule.period if rule is not None else Period("unknown")
        if self.retention and not any(_period_is(period, word) for word in self.retention):
            return False
        confidence = rule.confidence if rule is not None else "unknown"
        return not self.confidence or confidence in self.confidence


EVERYTHING = Selection()  # no filter


def _period_is(period: Period, word: str) -> bool:
    if word == "duration" or word not in PERIOD_WORDS:
        if period.kind != "duration":
            return False
        return word == "duration" or period.days == Period.parse(word).days
    return period.kind == word


def handled(model: Model) -> dict[str, list[str]]:
    """Every record each holder handles (keeps, receives, derives or starts with), in the
    model's order of records; holders in the model's order."""
    seen: dict[str, set[str]] = {key: set(holder.keeps) for key, holder in model.holders.items()}
    for flow in model.flows:
        seen[flow.target].update(flow.carries)
        seen[flow.source].update(flow.carries)
    for derivation in model.derivations:
        seen[derivation.at].update((derivation.source, derivation.target))
    for interaction in model.interactions.values():
        for holder, records in interaction.starts.items():
            seen[holder].update(records)
    return {
        holder: [record for record in model.records if record in records]
        for holder, records in seen.items()
    }


def processings(model: Model, selection: Selection = EVERYTHING) -> Iterator[tuple[str, str]]:
    """The selected ``(holder, record)`` processings, holders and records in model order."""
    selection.check(model)
    for holder, records in handled(model).items():
        keeps = model.holders[holder].keeps
        for record in records:
            if selection.matches(model, holder, keeps.get(record)):
                yield holder, record


def select_model(model: Model, selection: Selection) -> Model:
    """The part of ``model`` that ``selection`` keeps (see the module's docstring); the model
    itself when nothing is selected."""
    if not selection:
        return model
    kept = {holder for holder, _ in processings(model, selection)}
    if selection.confidence and not selection.retention:
        # a flow of a selected confidence keeps its ends: "what is alleged" shows the sharing
        for flow in model.flows:
            if flow.confidence in selection.confidence:
                kept.update(
                    h
                    for h in (flow.source, flow.target)
                    if not selection.parties or model.holders[h].party in selection.parties
                )
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["format"] = model.format
    data["holders"] = {k: v for k, v in data.get("holders", {}).items() if k in kept}
    data["flows"] = [
        flow
        for flow, spec in zip(data.get("flows", []), model.flows, strict=True)
        if spec.source in kept
        and spec.target in kept
        and (not selection.confidence or spec.confidence in selection.confidence)
    ]
    data["derivations"] = [
        derivation
        for derivation, spec in zip(data.get("derivations", []), model.derivations, strict=True)
        if spec.at in kept and (not selection.confidence or spec.confidence in selection.confidence)
    ]
    interactions = {}
    for key, interaction in data.get("interactions", {}).items():
        starts = {h: r for h, r in interaction["starts"].items() if h in kept}
        if starts:
            interactions[key] = {**interaction, "starts": starts}
    data["interactions"] = interactions
    return _without_dangling_claims(data)


def select_trace(trace: Trace, model: Model, selection: Selection) -> Trace:
    """The copies of ``trace`` (of the whole ``model``) at the holders ``selection`` keeps,
    each with the status the whole model gives it: a trace is not cut where the selection
    cuts the model, so a copy reached through a holder left out is still there."""
    if not selection:
        return trace
    kept = {holder for holder, _ in processings(model, selection)}
    copies = tuple(c for c in trace.copies if c.holder in kept)
    ids = {c.id for c in copies}
    parties = {}
    for party, access in trace.parties.items():
        held = tuple(c for c in access.held if c in ids)
        maybe = tuple(c for c in access.may_remain if c in ids)
        if held or maybe:
            parties[party] = PartyAccess(held, maybe)
    edges = tuple(e for e in trace.edges if e[0] in ids and e[1] in ids)
    return dataclasses.replace(trace, copies=copies, parties=parties, edges=edges)


def _without_dangling_claims(data: dict) -> Model:
    """The model of ``data``, less the claims that name a holder the selection left out."""
    from ..model.references import reference_problems

    model = Model.model_validate(data)
    dangling = {loc[1] for loc, _ in reference_problems(model) if loc[:1] == ("claims",)}
    if dangling:
        data["claims"] = {k: v for k, v in data["claims"].items() if k not in dangling}
        model = Model.model_validate(data)
    return model


def selection_of(
    parties: Iterable[str] | None = None,
    retention: Iterable[str] | None = None,
    confidence: Iterable[str] | None = None,
) -> Selection:
    """A :class:`Selection` from the CLI's repeatable options (None: not given)."""
    return Selection(
        tuple(sorted(set(parties or ()))),
        tuple(sorted(set(retention or ()))),
        tuple(sorted(set(confidence or ()))),
    )
