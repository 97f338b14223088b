"""What a trace diagram shows, for both writers (DOT and Mermaid): copies grouped by party and
holder, each with its caption, and the steps between them.

>>> import tracer
>>> model = tracer.load_model()
>>> result = tracer.trace(model, "weather", ["delete-recording"])
>>> steps = trace_steps(model, result)
>>> [(s.label, s.derived) for s in steps if s.target == "alexa_cloud/transcript"]
[('2. derived', True)]
>>> caption(result.copy("geolocation_store/location"))
'may remain · stated'
>>> caption(result.copy("voice_history/voice_recording"))
'deleted · stated'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import Derivation, Flow, Model
from ..tracing import Copy, Trace
from .style import STATUS_LOOK

__all__ = ["Step", "caption", "grouped_copies", "trace_steps"]


def caption(copy: Copy) -> str:
    """The status word and, always, how sure the rule behind it is ("stated" included: a
    missing word would leave the reader to guess)."""
    return f"{STATUS_LOOK[copy.status].word} · {copy.confidence}"


def grouped_copies(result: Trace) -> list[tuple[str, list[tuple[str, list[Copy]]]]]:
    """The copies by party, then by holder, everything sorted."""
    by_party: dict[str, dict[str, list[Copy]]] = defaultdict(lambda: defaultdict(list))
    for copy in result.copies:
        by_party[copy.party][copy.holder].append(copy)
    return [
        (
            party,
            [
                (holder, sorted(copies, key=lambda c: c.id))
                for holder, copies in sorted(by_party[party].items())
            ],
        )
        for party in sorted(by_party)
    ]


@dataclass(frozen=True)
class Step:
    """One edge of the trace between two copies, labelled with its step number."""

    source: str
    target: str
    label: str  # "3. store-voice-history", "2. derived", "3. human-review (a sample)"
    rule: Flow | Derivation
    derived: bool


def trace_steps(model: Model, result: Trace) -> list[Step]:
    """Every edge of the trace, sorted, numbered by the step that first reaches its target."""
    rules = {f.key: f for f in model.flows} | {d.key: d for d in model.derivations}
    depth = {copy.id: len(copy.path) for copy in result.copies}
    steps = []
    for source, target, key in sorted(result.edges):
        rule = rules[key]
        derived = isinstance(rule, Derivation)
        share = " (a sample)" if getattr(rule, "share", None) else ""
        word = "derived" if derived else key
        steps.append(Step(source, target, f"{depth[target]}. {word}{share}", rule, derived))
    return steps
