"""What-if: a model under assumptions, without editing its file.

``FLOW.deletion=propagated`` (or ``ignored``, ``unclear``) changes what deleting a flow's (or a
derivation's) sender copy does to its receiver; ``HOLDER.keeps.RECORD.for=30d`` changes (or adds)
a retention period; ``without=[FLOW]`` removes a flow or derivation. :func:`assume` returns a new
model and never changes the one given. Each rule it changes gets confidence ``assumed`` and a note
saying what it was, so every copy whose status rests on the change says ``assumed``; the model's
name says which assumptions were applied, and :func:`assumptions_of` lists them.

>>> import tracer
>>> model = tracer.load_model()
>>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
>>> result = tracer.trace(what_if, "weather", ["delete-recording"])
>>> copy = result.copy("alexa_subsystems/transcript")
>>> copy.status, copy.confidence
('deleted', 'assumed')
>>> tracer.trace(model, "weather", ["delete-recording"]).copy("alexa_subsystems/transcript").status
'may_remain'
>>> assumptions_of(what_if)
('copy-to-subsystems.deletion=propagated',)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from .errors import TracerError, UnknownIdError
from .model import Model, Period, Retention

__all__ = ["AssumptionError", "assume", "assumptions_of"]

_DELETION = ("ignored", "propagated", "unclear")
_KEEPS = re.compile(r"^(?P<holder>.+?)\.keeps\.(?P<record>.+)\.for$")


class AssumptionError(TracerError):
    """An assumption tracer cannot read: not ``FLOW.deletion=...`` or
    ``HOLDER.keeps.RECORD.for=...``, or a value these do not take."""


def assume(model: Model, assumptions: Iterable[str] = (), *, without: Iterable[str] = ()) -> Model:
    """A new model: ``model`` with each of ``assumptions`` applied and the flows or derivations
    named in ``without`` removed. A value the model already has changes nothing.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> shorter = assume(model, ["voice_history.keeps.voice_recording.for=30d"])
    >>> tracer.trace(shorter, "weather", at="30d").copy("voice_history/voice_recording").status
    'expired'
    >>> assume(model, ["capture.deletion=propagated"]).flows == model.flows  # the same value
    False
    >>> assume(model, ["capture.deletion=ignored"]).flows == model.flows  # already ignored
    True
    """
    assumptions, without = list(assumptions), list(without)
    if not assumptions and not without:
        return model  # as below, without copying: a model from the cache stays undecoded
    flows, derivations = list(model.flows), list(model.derivations)
    holders = dict(model.holders)
    for text in assumptions:
        target, sep, value = text.partition("=")
        if not sep or not value:
            raise AssumptionError(f"{text!r}: write an assumption as NAME=VALUE")
        if target.endswith(".deletion"):
            _set_deletion(flows, derivations, target.removesuffix(".deletion"), value, text)
        elif match := _KEEPS.match(target):
            holder, record = match["holder"], match["record"]
            holders[holder] = _set_keeps(model, holders, holder, record, value, text)
        else:
            raise AssumptionError(
                f"{text!r}: assume FLOW.deletion=propagated|ignored|unclear "
                "or HOLDER.keeps.RECORD.for=PERIOD"
            )
    for key in without:
        kept = [e for e in flows if e.key != key], [e for e in derivations if e.key != key]
        if len(kept[0]) + len(kept[1]) == len(flows) + len(derivations):
            raise UnknownIdError("flow or derivation", key, _keys(flows, derivations))
        flows, derivations = kept
    applied = tuple(assumptions) + tuple(f"without {key}" for key in without)
    if not applied:
        return model
    fields = {name: getattr(model, name) for name in type(model).model_fields}
    fields.update(
        name=f"{model.name}, assuming {'; '.join(applied)}",
        flows=tuple(flows),
        derivations=tuple(derivations),
        holders=holders,
    )
    new = type(model).model_construct(**fields)
    new._derived["assumptions"] = assumptions_of(model) + applied
    return new


def assumptions_of(model: Model) -> tuple[str, ...]:
    """The assumptions :func:`assume` applied to ``model`` (none for a model read from a file).

    >>> import tracer
    >>> assumptions_of(assume(tracer.load_model(), without=["human-review"]))
    ('without human-review',)
    """
    return model._derived.get("assumptions", ())


def _keys(flows, derivations) -> list[str]:
    return [e.key for e in (*flows, *derivations)]


def _set_deletion(flows: list, derivations: list, key: str, value: str, text: str) -> None:
    if value not in _DELETION:
        raise AssumptionError(f"{text!r}: deletion is one of {', '.join(_DELETION)}")
    for edges in (flows, derivations):
        for index, edge in enumerate(edges):
            if edge.key == key:
                if edge.deletion != value:
                    edges[index] = dataclasses.replace(
                        edge,
                        deletion=value,
                        confidence="assumed",
                        note=f"assumed (what-if): deletion {value}, was {edge.deletion}",
                    )
                return
    raise UnknownIdError("flow or derivation", key, _keys(flows, derivations))


def _set_keeps(model: Model, holders: dict, holder: str, record: str, value: str, text: str):
    if holder not in holders:
        raise UnknownIdError("holder", holder, holders)
    if record not in model.records:
        raise UnknownIdError("record", record, model.records)
    try:
        period = Period.parse(value)
    except ValueError as error:
        raise AssumptionError(f"{text!r}: {error}") from None
    spec = holders[holder]
    rule = spec.keeps.get(record)
    if rule is not None and rule.period == period:
        return spec
    if rule is None:
        changed = Retention(period=period, note=f"assumed (what-if): for {period}, was no rule")
    else:
        changed = dataclasses.replace(
            rule,
            period=period,
            confidence="assumed",
            note=f"assumed (what-if): for {period}, was {rule.period}",
        )
    return dataclasses.replace(spec, keeps={**spec.keeps, record: changed})
