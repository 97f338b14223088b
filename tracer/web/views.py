"""What the explorer's page shows, as JSON-ready dicts built from a model and a trace.

The trace itself is :meth:`tracer.Trace.to_dict` (the CLI's ``--format json``); these add what
a reader clicks through to: the model's names, one copy's path, rule and sources, one party's
reach. Plain functions: a model (and a trace) in, a dict out.

>>> import tracer
>>> model = tracer.load_model()
>>> result = tracer.trace(model, "dominos-order", ["delete-recording"])
>>> view = copy_view(model, result, "alexa_subsystems/transcript")
>>> view["copy"]["status"], [step["id"] for step in view["path"]][:2]
('may_remain', ['capture', 'speech-recognition'])
>>> [line["id"] for line in party_view(model, result, "dominos")["may_remain"]][0]
'dominos_backend/action_record'
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import UnknownIdError
from ..model import Derivation, Flow, Model
from ..model.durations import format_days
from ..render.headline import headline, holdings
from ..render.style import CONFIDENCE_LINE, LEGEND_LINES, STATUS_LOOK
from ..summary import summary
from ..tracing import STATUSES, Copy, Trace
from .question import featured_question

__all__ = [
    "answer_view",
    "copy_view",
    "horizon",
    "key_view",
    "model_view",
    "party_view",
    "source_links",
    "status_css",
    "trace_view",
]

_SAFE_SCHEMES = ("https://", "http://")


def model_view(model: Model) -> dict:
    """The names the page shows: interactions, deletion requests, parties, holders, records,
    sources, and the time span worth sliding over (``horizon``, in days).

    >>> import tracer
    >>> view = model_view(tracer.load_model())
    >>> view["interactions"][0]["id"], view["horizon"]
    ('amazon-pay-purchase', 60)
    """
    return {
        "model": model.name,
        "description": model.description,
        "interactions": [
            {"id": key, "name": spec.name, "tags": list(spec.tags)}
            for key, spec in sorted(model.interactions.items())
        ],
        "deletions": [
            {
                "id": key,
                "name": spec.name,
                "by": spec.by,
                "after": format_days(spec.after) if spec.after is not None else None,
                "after_days": spec.after,
            }
            for key, spec in sorted(model.deletions.items())
        ],
        "parties": {
            key: {"name": party.name, "role": party.role}
            for key, party in sorted(model.parties.items())
        },
        "holders": {
            key: {"name": holder.name, "party": holder.party, "kind": holder.kind}
            for key, holder in sorted(model.holders.items())
        },
        "records": {key: {"name": record.name} for key, record in sorted(model.records.items())},
        "sources": source_links(model, model.sources),
        "statuses": list(STATUSES),
        "status_words": {key: STATUS_LOOK[key].word for key in STATUSES},
        "status_meanings": {key: STATUS_LOOK[key].meaning for key in STATUSES},
        "confidences": list(CONFIDENCE_LINE),
        "horizon": horizon(model),
        "featured": featured_question(model),
    }


def horizon(model: Model) -> int:
    """The days a query time may usefully range over: past the longest retention period and
    the latest scheduled request, at least 30 days.

    >>> import tracer
    >>> horizon(tracer.load_model())  # 2019: no period is known, no request is scheduled
    60
    >>> today = tracer.default_model_path().with_name("alexa-2025.yaml")
    >>> horizon(tracer.load_model(today))  # 2025: auto-delete after 18 months (540d)
    617
    """
    days = [30]
    days += [d.after for d in model.deletions.values() if d.after is not None]
    days += [
        rule.period.days
        for holder in model.holders.values()
        for rule in holder.keeps.values()
        if rule.period.days is not None
    ]
    longest = max(days)
    return longest + max(30, longest // 7)


def source_links(model: Model, ids: Iterable[str]) -> dict[str, dict]:
    """The sources named by ``ids``, each with a ``url`` only when it is a web address (a
    ``javascript:`` link in a model must never become a link on the page).

    >>> import tracer
    >>> source_links(tracer.load_model(), ["amazon-coons-2019"])["amazon-coons-2019"]["url"][:8]
    'https://'
    """
    links = {}
    for key in sorted(set(ids)):
        source = model.sources.get(key)
        if source is None:
            continue
        url = source.url if source.url and source.url.lower().startswith(_SAFE_SCHEMES) else None
        links[key] = {
            "title": source.title,
            "publisher": source.publisher,
            "date": source.date,
            "url": url,
        }
    return links


def trace_view(result: Trace) -> dict:
    """The trace as the CLI prints it (``trace``), and a one-sentence ``summary``.

    >>> import tracer
    >>> print(trace_view(tracer.trace(tracer.load_model(), "weather"))["summary"])
    ... # doctest: +ELLIPSIS
    With no deletion request: ...
    """
    return {"trace": result.to_dict(), "summary": summary(result)}


def answer_view(model: Model, result: Trace) -> dict:
    """The trace with its answer first: the headline sentence and the company x record table
    (:mod:`tracer.render.headline`), then the trace and its one-line summary.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> view = answer_view(model, tracer.trace(model, "dominos-order", ["delete-recording"]))
    >>> view["headline"]["copies"], view["holdings"]["rows"][0]["name"]
    (21, 'Amazon')
    """
    return {
        "headline": headline(model, result).to_dict(),
        "holdings": holdings(model, result).to_dict(),
    } | trace_view(result)


def key_view() -> dict:
    """The diagram's key, shown beside it: each status's look and words, each line style.

    >>> key_view()["lines"][0]
    ('stated, law', '', '1.3')
    """
    return {
        "statuses": list(STATUS_LOOK.items()),
        "lines": [(line.words, line.dash, f"{line.width * 4 / 3:.2g}") for line in LEGEND_LINES],
    }


def status_css() -> str:
    """The status palette as CSS classes (``.status-held``...), from the one table every
    diagram and the report draws with (:data:`tracer.render.style.STATUS_LOOK`).

    >>> print(status_css().splitlines()[0])
    .status-held, .swatch-held { background: #9A3A00; color: #FFFFFF; border: 3px solid #000; }
    """
    return "".join(
        f".status-{key}, .swatch-{key} {{ background: {look.fill}; color: {look.font}; "
        f"border: {look.css_border}; }}\n"
        for key, look in STATUS_LOOK.items()
    )


def copy_view(model: Model, result: Trace, copy_id: str) -> dict:
    """One copy: its status and why, its holder and record, the rule that applies, each step of
    the path that put it there, the other edges that also feed it, and every source cited."""
    copy = result.copy(copy_id)
    holder = model.holders[copy.holder]
    rule = holder.keeps.get(copy.record)
    rules = {f.key: f for f in model.flows} | {d.key: d for d in model.derivations}
    path = _path_steps(result, copy, rules)
    cited = set(copy.evidence)
    cited.update(rule.evidence if rule is not None else ())
    for step in path:
        cited.update(step["evidence"])
    return {
        "copy": copy.to_dict() | {"retention": copy.retention, "feeds": list(copy.feeds)},
        "holder": {"id": copy.holder, "name": holder.name, "kind": holder.kind},
        "record": {"id": copy.record, "name": model.records[copy.record].name},
        "party": {"id": copy.party, "name": model.parties[copy.party].name},
        "rule": None
        if rule is None
        else {
            "for": str(rule.period),
            "deleted_by": list(rule.deleted_by),
            "unclear_for": list(rule.unclear_for),
            "evidence": list(rule.evidence),
            "confidence": rule.confidence,
            "note": rule.note,
        },
        "path": path,
        "also_fed_by": [_edge(rules[key]) for key in copy.feeds if key not in copy.path],
        "sources": source_links(model, cited),
    }


def party_view(model: Model, result: Trace, party: str) -> dict:
    """Everything ``party`` can still reach in the trace: the copies it can access that are held
    or may remain, each with its holder, record and reason."""
    spec = model.parties.get(party)
    if spec is None:
        raise UnknownIdError("party", party, model.parties)
    reach = result.parties.get(party)

    def listed(ids: Iterable[str]) -> list[dict]:
        return [_copy_line(model, result.copy(copy_id)) for copy_id in ids]

    return {
        "party": {"id": party, "name": spec.name, "role": spec.role},
        "held": listed(reach.held if reach else ()),
        "may_remain": listed(reach.may_remain if reach else ()),
    }


def _copy_line(model: Model, copy: Copy) -> dict:
    return {
        "id": copy.id,
        "holder": copy.holder,
        "holder_name": model.holders[copy.holder].name,
        "record": copy.record,
        "record_name": model.records[copy.record].name,
        "status": copy.status,
        "reason": copy.reason,
        "confidence": copy.confidence,
    }


def _edge(rule: Flow | Derivation) -> dict:
    derived = isinstance(rule, Derivation)
    return {
        "id": rule.key,
        "kind": "derivation" if derived else "flow",
        "deletion": rule.deletion,
        "purpose": rule.purpose,
        "evidence": list(rule.evidence),
        "confidence": rule.confidence,
        "note": rule.note,
    }


def _path_steps(result: Trace, copy: Copy, rules: dict[str, Flow | Derivation]) -> list[dict]:
    """The copy's first path as steps from copy to copy, walked back from the copy itself."""
    into: dict[tuple[str, str], str] = {}
    for source, target, key in result.edges:  # sorted: the first source wins on a tie
        into.setdefault((target, key), source)
    steps = []
    target = copy.id
    for key in reversed(copy.path):
        source = into[(target, key)]
        steps.append({"from": source, "to": target, **_edge(rules[key])})
        target = source
    return steps[::-1]
