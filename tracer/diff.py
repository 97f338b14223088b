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
('alexa_subsystems/transcript', 'may_remain -> deleted')]
>>> diff(model, model).empty
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .assume import assumptions_of
from .durations import format_days
from .errors import UnknownIdError
from .model import Model
from .tracing import Copy, Request, Trace, parse_request, parse_time, trace

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CopyChange", "Diff", "InteractionDiff", "diff", "diff_dot", "diff_mermaid", "draw_diff"]


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


def diff_dot(
    a: Model,
    b: Model,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
) -> str:
    """Model B's trace of ``interaction`` as DOT, each changed copy marked by a double border, a
    thick outline and a ``CHANGED``/``NEW`` line naming the change, and each copy gone from A
    drawn as a dashed ``GONE`` node: the change reads without colour.

    >>> import tracer
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> text = diff_dot(model, what_if, "weather", ["delete-recording"])
    >>> text.count("CHANGED: may_remain -&gt; deleted")
    2
    """
    from .render.dot import _label, _text, trace_dot
    from .render.style import short_id

    in_a, in_b, _, _ = _requests(a, b, deletions)
    at = _query(a, b, in_a, in_b, at)
    result = trace(b, interaction, in_b, at)
    item = _compare(interaction, trace(a, interaction, in_a, at), result)
    lines = []
    for change in item.changes:
        copy = change.why
        record = (b if change.after else a).records[copy.record].name
        if change.after is None:
            word, extra = "GONE", 'style="dashed,rounded" color="#555555"'
            node = f"gone_{short_id('c', copy.id)}"
        else:
            word = "NEW" if change.before is None else "CHANGED"
            extra = 'peripheries=2 penwidth=3 color="#000000"'
            node = short_id("c", copy.id)
        label = _label(
            f"<b>{word}: {_text(change.change)}</b>",
            f"<b>{_text(record)}</b>",
            _text(f"{copy.holder} ({copy.party})"),
        )
        lines.append(f"\t{node} [label={label} shape=box {extra}]")
    title = _label(
        f"<b>{_text(f'{interaction}: {a.name} -> {b.name}')}</b>",
        _text(f"{len(item.changes)} changed copies, marked CHANGED, NEW or GONE"),
    )
    lines.append(f"\tlabel={title}")
    source = trace_dot(b, result).rstrip()
    return source.removesuffix("}").rstrip("\n") + "\n" + "\n".join(lines) + "\n}\n"


def diff_mermaid(
    a: Model,
    b: Model,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
) -> str:
    """Model B's trace as Mermaid, changed copies with a thick border and a ``CHANGED``/``NEW``
    line, copies gone from A as ``GONE`` nodes.

    >>> import tracer
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> diff_mermaid(model, what_if, "weather", ["delete-recording"]).count(":::changed")
    2
    """
    from .render.mermaid import mermaid_text, trace_mermaid
    from .render.style import short_id

    in_a, in_b, _, _ = _requests(a, b, deletions)
    at = _query(a, b, in_a, in_b, at)
    result = trace(b, interaction, in_b, at)
    item = _compare(interaction, trace(a, interaction, in_a, at), result)
    lines = [trace_mermaid(b, result).rstrip("\n")]
    for change in item.changes:
        copy = change.why
        record = (b if change.after else a).records[copy.record].name
        word = "GONE" if change.after is None else "NEW" if change.before is None else "CHANGED"
        node = ("gone_" if change.after is None else "") + short_id("c", copy.id)
        label = mermaid_text(f"{word}: {change.change}\n{record}\n{copy.holder} ({copy.party})")
        lines.append(f'  {node}["{label}"]:::changed')
    lines.append("  classDef changed stroke:#000,stroke-width:5px,stroke-dasharray:8 3")
    return "\n".join(lines) + "\n"


def draw_diff(
    a: Model,
    b: Model,
    path: str | Path,
    interaction: str,
    deletions: Iterable[str | Request] = (),
    *,
    at: str | int | None = None,
    protect: Path | Iterable[Path] | None = None,
    mkdir: bool = False,
) -> Path:
    """Draw ``interaction`` in model B with the copies that differ from model A marked, into
    ``path`` (.svg .png .pdf .dot .mmd, by suffix); never over ``protect`` (B's file, then A's:
    :func:`tracer.safeio.check_target`).

    >>> import tracer, tempfile, pathlib
    >>> from tracer.assume import assume
    >>> model = tracer.load_model()
    >>> what_if = assume(model, ["copy-to-subsystems.deletion=propagated"])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "diff.dot"
    >>> draw_diff(model, what_if, out, "weather", ["delete-recording"]).name
    'diff.dot'
    """
    from .render.output import write_diagram

    deletions = list(deletions)
    return write_diagram(
        path,
        dot=diff_dot(a, b, interaction, deletions, at=at),
        mermaid=diff_mermaid(a, b, interaction, deletions, at=at),
        protect=protect,
        mkdir=mkdir,
    )
