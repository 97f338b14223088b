"""What changed between two models (2019 and today), or a model and itself under assumptions.

:func:`diff` traces each interaction the two models share, with the same deletion requests and
query time, and compares copy by copy: a copy whose status changed (``held -> deleted``), a new
copy, a copy gone; per party, the copies it gains or loses access to; and for each change the
rule's reason, evidence and confidence on both sides. :func:`diff_dot` draws one interaction
with its changed copies marked.

>>> import tracer
>>> from tracer.assume import assume
>>> model = tracer.load_model()
>>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
>>> changes = diff(model, what_if, ["weather"], ["delete-recording"])
>>> [(c.copy, c.change) for c in changes.interactions[0].changes]
[('alexa_subsystems/response_transcript', 'may_remain -> deleted'), \
('alexa_subsystems/transcript', 'may_remain -> deleted'), \
('alexa_subsystems/voice_recording', 'may_remain -> deleted')]
>>> diff(model, model).empty
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .assume import assumptions_of
from .errors import UnknownIdError
from .model import Model
from .model.durations import format_days
from .tracing import Copy, Request, Trace, parse_request, parse_time, trace

__all__ = ["CopyChange", "Diff", "InteractionDiff", "compare_trace", "diff"]


@dataclass(frozen=True)
class CopyChange:
    """One copy that differs: ``before`` in model A, ``after`` in model B (None: no such copy)."""

    copy: str
    before: Copy | None
    after: Copy | None

    @property
    def change(self) -> str:
        """``held -> deleted``, ``new (held)`` or ``gone (was held)``."""
        if self.before is None:
            return f"new ({self.after.status})"
        if self.after is None:
            return f"gone (was {self.before.status})"
        return f"{self.before.status} -> {self.after.status}"

    @property
    def why(self) -> Copy:
        """The side whose rule explains the change: B's, unless the copy is gone."""
        return self.after or self.before

    def to_dict(self) -> dict:
        return {
            "copy": self.copy,
            "change": self.change,
            "before": self.before.to_dict() if self.before else None,
            "after": self.after.to_dict() if self.after else None,
        }


@dataclass(frozen=True)
class InteractionDiff:
    """The changes in one interaction, and per party the copies it gains or loses access to."""

    interaction: str
    changes: tuple[CopyChange, ...]
    gained: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lost: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.changes or self.gained or self.lost)

    def to_dict(self) -> dict:
        return {
            "interaction": self.interaction,
            "changes": [change.to_dict() for change in self.changes],
            "gained": {party: list(copies) for party, copies in sorted(self.gained.items())},
            "lost": {party: list(copies) for party, copies in sorted(self.lost.items())},
        }


@dataclass(frozen=True)
class Diff:
    """Model A against model B: the interactions compared (only those that changed are kept),
    the deletion requests and query time, the assumptions applied to either side."""

    a: str
    b: str
    requests: tuple[str, ...]
    at: str
    assumptions: tuple[str, ...]
    compared: tuple[str, ...]
    interactions: tuple[InteractionDiff, ...]
    only_in_a: tuple[str, ...] = ()
    only_in_b: tuple[str, ...] = ()
    requests_only_in_a: tuple[str, ...] = ()  # applied to A only: B has no such request
    requests_only_in_b: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether nothing differs: no copy, no access, no interaction."""
        return not (self.interactions or self.only_in_a or self.only_in_b)

    def to_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "requests": list(self.requests),
            "at": self.at,
            "assumptions": list(self.assumptions),
            "compared": list(self.compared),
            "only_in_a": list(self.only_in_a),
            "only_in_b": list(self.only_in_b),
            "requests_only_in_a": list(self.requests_only_in_a),
            "requests_only_in_b": list(self.requests_only_in_b),
            "interactions": [item.to_dict() for item in self.interactions],
        }

    def to_markdown(self) -> str:
        """The diff as GitHub Markdown: a heading and a table of changes per interaction."""
        lines = [f"# {_md(self.a)} -> {_md(self.b)}", ""]
        lines += _preamble(self)
        for item in self.interactions:
            lines += ["", f"## {item.interaction}", ""]
            if item.changes:
                lines += [
                    "| copy | change | why (in B, or A when gone) | evidence | confidence |",
                    "|---|---|---|---|---|",
                ]
                for change in item.changes:
                    why = change.why
                    lines.append(
                        f"| {_md(change.copy)} | {_md(change.change)} | {_md(why.reason)} "
                        f"| {_md(', '.join(why.evidence) or '-')} | {_md(why.confidence)} |"
                    )
            lines += [""] + access_lines(item)
        return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    # `<` and `&` could start HTML in GitHub Markdown; `>` cannot, and `->` should read as typed
    text = str(text).replace("&", "&amp;").replace("<", "&lt;")
    return text.replace("|", "\\|").replace("\n", " ")


def _preamble(result: Diff) -> list[str]:
    requests = ", ".join(result.requests) or "no deletion request"
    lines = [f"Deletion requests: {requests}; status at {result.at}."]
    if result.assumptions:
        lines.append(f"Assumptions applied: {'; '.join(result.assumptions)}.")
    for side, names in (("A", result.only_in_a), ("B", result.only_in_b)):
        if names:
            lines.append(f"Interactions only in {side}: {', '.join(names)}.")
    for side, names in (("A", result.requests_only_in_a), ("B", result.requests_only_in_b)):
        if names:
            lines.append(f"Requests only in {side} (applied there only): {', '.join(names)}.")
    if not result.interactions:
        count = len(result.compared)
        lines.append(f"No change in {count} interaction{'s' if count != 1 else ''} compared.")
    return lines


def preamble(result: Diff) -> list[str]:
    """The lines that open a diff's output: requests, assumptions, interactions on one side.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> preamble(diff(model, model, ["weather"]))
    ['Deletion requests: no deletion request; status at 0d.', \
'No change in 1 interaction compared.']
    """
    return _preamble(result)


def access_lines(item: InteractionDiff) -> list[str]:
    """Per party, the copies it can now access (gains) or no longer can (loses), in words.

    >>> access_lines(InteractionDiff("weather", (), {"acme": ("inbox/note",)}, {}))
    ['acme can now access inbox/note']
    """
    lines = [f"{party} can now access {', '.join(c)}" for party, c in sorted(item.gained.items())]
    lines += [
        f"{party} can no longer access {', '.join(c)}" for party, c in sorted(item.lost.items())
    ]
    return lines


def diff(
    a: Model,
    b: Model,
    interactions: Iterable[str] | None = None,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
) -> Diff:
    """Compare the traces of ``interactions`` (default: every interaction both models have) in
    model ``a`` and model ``b`` after the same ``deletions``, at the same time ``at``."""
    deletions = list(deletions)
    in_a, in_b, skipped_a, skipped_b = _requests(a, b, deletions)
    at = _query(a, b, in_a, in_b, at)
    if interactions is None:
        names = sorted(a.interactions.keys() & b.interactions.keys())
        only_a = tuple(sorted(a.interactions.keys() - b.interactions.keys()))
        only_b = tuple(sorted(b.interactions.keys() - a.interactions.keys()))
    else:
        names, only_a, only_b = sorted(set(interactions)), (), ()
        for name in names:
            for model in (a, b):
                if name not in model.interactions:
                    raise UnknownIdError(f"interaction (in {model.name})", name, model.interactions)
    items = []
    for name in names:
        item = _compare(name, trace(a, name, in_a, at), trace(b, name, in_b, at))
        if not item.empty:
            items.append(item)
    return Diff(
        a=a.name,
        b=b.name,
        requests=tuple(_spec(r) for r in deletions),
        at=format_days(parse_time(at)),
        assumptions=assumptions_of(a) + assumptions_of(b),
        compared=tuple(names),
        interactions=tuple(items),
        only_in_a=only_a,
        only_in_b=only_b,
        requests_only_in_a=tuple(_spec(r) for r in skipped_b),
        requests_only_in_b=tuple(_spec(r) for r in skipped_a),
    )


def _spec(request: str | Request) -> str:
    return request.id if isinstance(request, Request) else request


def _query(a: Model, b: Model, in_a: list, in_b: list, at: str | int | None) -> str | int:
    """One query time for both sides: the one given, else the latest request in either."""
    if at is not None:
        return at
    times = [parse_request(a, r).at for r in in_a] + [parse_request(b, r).at for r in in_b]
    return max(times, default=0)


def _requests(a: Model, b: Model, deletions: Iterable[str | Request]):
    """The requests each model knows (a model that has no such request, such as 2019's
    auto-delete, is traced without it), and those left out of each; unknown to both: an error."""
    in_a, in_b, skipped_a, skipped_b = [], [], [], []
    for request in deletions:
        name = _spec(request).partition("@")[0]
        if name not in a.deletions and name not in b.deletions:
            raise UnknownIdError("deletion request", name, a.deletions.keys() | b.deletions.keys())
        (in_a if name in a.deletions else skipped_a).append(request)
        (in_b if name in b.deletions else skipped_b).append(request)
    return in_a, in_b, skipped_a, skipped_b


def _compare(name: str, before: Trace, after: Trace) -> InteractionDiff:
    old = {c.id: c for c in before.copies}
    new = {c.id: c for c in after.copies}
    changes = tuple(
        CopyChange(key, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if key not in old or key not in new or old[key].status != new[key].status
    )
    reach_a, reach_b = _reach(before), _reach(after)
    gained, lost = {}, {}
    for party in sorted(reach_a.keys() | reach_b.keys()):
        more = sorted(reach_b.get(party, set()) - reach_a.get(party, set()))
        fewer = sorted(reach_a.get(party, set()) - reach_b.get(party, set()))
        if more:
            gained[party] = tuple(more)
        if fewer:
            lost[party] = tuple(fewer)
    return InteractionDiff(name, changes, gained, lost)


def _reach(result: Trace) -> dict[str, set[str]]:
    return {
        party: set(access.held) | set(access.may_remain) for party, access in result.parties.items()
    }


def compare_trace(
    a: Model,
    b: Model,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
) -> tuple[Trace, InteractionDiff]:
    """Model B's trace of ``interaction`` and how it differs from model A's, with the deletion
    requests and the query time resolved as :func:`diff` resolves them (what a drawing of the
    difference, :mod:`tracer.render.diff`, needs).

    >>> import tracer
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> after, item = compare_trace(model, what_if, "weather", ["delete-recording"])
    >>> sorted({change.change for change in item.changes})
    ['may_remain -> deleted']
    """
    in_a, in_b, _, _ = _requests(a, b, deletions)
    at = _query(a, b, in_a, in_b, at)
    result = trace(b, interaction, in_b, at)
    return result, _compare(interaction, trace(a, interaction, in_a, at), result)
