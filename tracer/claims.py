"""Claims against flows: does what a party says match what the modelled flows do?

A model's ``claims:`` section holds statements such as "deleting a recording removes its
transcript from Voice History" (``deletes``) or "skills never get the recording"
(``does_not_share``). :func:`check` traces every interaction the claim is about (with the deletion
requests and times it names) and classes each claim, after PoliCheck (USENIX Security 2020), which
classes app flows against privacy-policy statements, here over copies, deletion and time:

- ``consistent``: every trace agrees;
- ``contradicted``: some copy disagrees, on a rule backed by evidence (the findings name the
  interaction, the copy, its path and the evidence of the rule behind its status);
- ``unverifiable``: the copies involved rest only on ``assumed``/``unknown`` rules (named), or the
  model has nothing to check the claim against;
- ``vague``: the claim names a Fides category broader than any record's own categories (or, for
  ``keeps``, no period at all).

>>> from tracer.model.loading import parse_model
>>> model = parse_model('''
... format: tracer/1
... name: tiny
... sources: {policy: {title: Our policy}}
... parties: {acme: {name: Acme, role: platform}, ads: {name: Ads Inc, role: third_party}}
... records: {note: {name: Note, categories: [user.content.private]}}
... holders:
...   inbox: {name: Inbox, party: acme, keeps: {note: {for: until_deleted, deleted_by: [wipe],
...           evidence: [policy], confidence: stated}}}
...   backup: {name: Backup, party: acme, keeps: {note: {for: 1y, evidence: [policy],
...            confidence: stated}}}
... flows: [{from: inbox, to: backup, carries: [note], confidence: stated}]
... interactions: {write: {name: Write a note, starts: {inbox: [note]}}}
... deletions: {wipe: {name: Wipe the inbox}}
... claims:
...   wipe-deletes: {by: acme, deletes: {record: note, on: wipe}, evidence: [policy]}
...   no-ads: {by: acme, does_not_share: {record: user.content.private, with: third_party}}
...   vague: {by: acme, does_not_share: {record: user.content, with: ads}}
... ''')
>>> [(r.claim, r.verdict) for r in check(model)]
[('no-ads', 'consistent'), ('vague', 'vague'), ('wipe-deletes', 'contradicted')]
>>> print(check(model)[2].explanation)
backup/note is held after wipe in write (stated)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .errors import UnknownIdError, did_you_mean
from .model import CLAIM_KINDS, CONFIDENCES, Claim, Model, Statement
from .model.lint import fides_taxonomy
from .tracing import Copy, Trace, trace

__all__ = ["VERDICTS", "ClaimResult", "Finding", "check", "claim_problems", "records_covered"]

VERDICTS = ("consistent", "contradicted", "unverifiable", "vague")

Loc = tuple[str | int, ...]

# which fields of a statement each kind requires and allows (besides ``record``)
_NEEDS = {
    "shares": ("with_",),
    "does_not_share": ("with_",),
    "keeps": ("for_",),
    "deletes": ("on",),
    "not_stored": (),
    "remains_after": ("on",),
}
_ALLOWS = {
    "shares": ("with_", "in_"),
    "does_not_share": ("with_", "in_"),
    "keeps": ("for_", "at", "in_"),
    "deletes": ("on", "from_", "in_"),
    "not_stored": ("at", "in_"),
    "remains_after": ("on", "at", "in_"),
}
_KEY = {"with_": "with", "in_": "in", "for_": "for", "from_": "from", "on": "on", "at": "at"}
_ROLES = (
    "platform",
    "skill_developer",
    "processor",
    "contractor",
    "third_party",
    "data_subject",
)
_WEAK = ("assumed", "unknown")  # a finding resting on these cannot decide a claim


@dataclass(frozen=True)
class Finding:
    """One copy (or one interaction) a claim was checked against, and whether it agrees.

    ``confidence`` is what the finding rests on: the rule behind the copy's status, or the
    weakest rule on its path for a share; empty when it rests on the absence of any flow."""

    interaction: str
    request: str | None
    copy: str
    status: str
    agrees: bool
    reason: str
    path: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    confidence: str = ""
    share: bool = False  # about where a record reaches, not about a copy's status

    @property
    def weak(self) -> bool:
        """Whether it rests only on an assumed or unknown rule."""
        return self.confidence in _WEAK

    def to_dict(self) -> dict:
        return {
            "interaction": self.interaction,
            "request": self.request,
            "copy": self.copy,
            "status": self.status,
            "agrees": self.agrees,
            "reason": self.reason,
            "path": list(self.path),
            "evidence": list(self.evidence),
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class ClaimResult:
    """A claim's verdict, the one-line why, and the findings behind it (for ``contradicted``
    the disagreeing copies, for ``unverifiable`` the ones resting on assumptions)."""

    claim: str
    by: str
    kind: str
    says: str | None
    verdict: str
    explanation: str
    checked: int
    findings: tuple[Finding, ...]
    evidence: tuple[str, ...]
    confidence: str

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "by": self.by,
            "kind": self.kind,
            "says": self.says,
            "verdict": self.verdict,
            "explanation": self.explanation,
            "checked": self.checked,
            "findings": [finding.to_dict() for finding in self.findings],
            "evidence": list(self.evidence),
            "confidence": self.confidence,
        }


def check(model: Model, claims: Iterable[str] | None = None) -> list[ClaimResult]:
    """Class each claim of ``model`` (or only those named) against its traced outcomes.

    >>> import tracer
    >>> results = {r.claim: r for r in check(tracer.load_model())}
    >>> results["a5-response-audio-not-stored"].verdict
    'consistent'
    """
    keys = sorted(model.claims) if claims is None else list(claims)
    for key in keys:
        if key not in model.claims:
            raise UnknownIdError("claim", key, model.claims)
    traces = _Traces(model)
    return [_check_one(model, key, model.claims[key], traces) for key in keys]


def records_covered(model: Model, ref: str) -> tuple[tuple[str, ...], bool]:
    """The records ``ref`` names (a record id, or a Fides category: the records in it or in a
    narrower one), and whether the category is broader than every such record's own categories.

    >>> import tracer
    >>> records_covered(tracer.load_model(), "user.biometric.voice")
    (('voice_profile', 'voice_recording'), False)
    >>> records_covered(tracer.load_model(), "user.biometrics")
    (('voice_profile', 'voice_recording'), True)
    """
    if ref in model.records:
        return (ref,), False
    wanted = _canonical(ref)
    covered, exact = [], False
    for key, record in sorted(model.records.items()):
        own = [_canonical(c) for c in record.categories]
        if wanted in own:
            exact = True
        if any(c == wanted or c.startswith(wanted + ".") for c in own):
            covered.append(key)
    return tuple(covered), bool(covered) and not exact


def claim_problems(model: Model, ids: Mapping[str, set[str]]) -> list[tuple[Loc, str]]:
    """Every problem in the ``claims:`` section: one statement each, the fields its kind takes,
    and every id resolved (``ids``: each section's ids, as :class:`tracer.model.references.Known`).

    >>> from tracer.model import Model
    >>> from tracer.model.references import Known
    >>> m = Model.model_validate({"format": "tracer/1", "name": "m",
    ...     "parties": {"acme": {"name": "Acme"}}, "records": {"note": {"name": "Note"}},
    ...     "claims": {"c": {"by": "acme", "deletes": {"record": "note"}}}})
    >>> claim_problems(m, Known.of(m).ids)
    [(('claims', 'c', 'deletes', 'on'), 'required for deletes, but missing')]
    """
    problems: list[tuple[Loc, str]] = []
    taxonomy = fides_taxonomy()["data_categories"]
    categories = {c for r in model.records.values() for c in r.categories}

    def resolve(wanted: str, choices: Iterable[str], noun: str, loc: Loc) -> None:
        choices = set(choices)
        if wanted not in choices:
            problems.append((loc, f"unknown {noun} {wanted!r}" + did_you_mean(wanted, choices)))

    for key, claim in model.claims.items():
        loc: Loc = ("claims", key)
        given = [kind for kind in CLAIM_KINDS if getattr(claim, kind) is not None]
        if len(given) != 1:
            problems.append(
                (loc, f"a claim makes exactly one statement, one of {', '.join(CLAIM_KINDS)}")
            )
        resolve(claim.by, ids["parties"] | ids["sources"], "party or source", (*loc, "by"))
        for index, source in enumerate(claim.evidence):
            resolve(source, ids["sources"], "source", (*loc, "evidence", index))
        for kind in given:
            problems += _statement_problems(
                getattr(claim, kind),
                kind,
                (*loc, kind),
                ids,
                resolve,
                taxonomy | dict.fromkeys(categories),
            )
    return problems


def _statement_problems(
    statement: Statement,
    kind: str,
    loc: Loc,
    ids: Mapping[str, set[str]],
    resolve: Callable[[str, Iterable[str], str, Loc], None],
    categories: Iterable[str],
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for name in _NEEDS[kind]:
        if not getattr(statement, name):
            problems.append(((*loc, _KEY[name]), f"required for {kind}, but missing"))
    for name, key in _KEY.items():
        if getattr(statement, name) and name not in _ALLOWS[kind]:
            allowed = ", ".join(["record", *(_KEY[n] for n in _ALLOWS[kind])])
            problems.append(((*loc, key), f"{kind} takes no {key!r} (it takes: {allowed})"))
    resolve(
        statement.record,
        ids["records"] | set(categories),
        "record or Fides category",
        (*loc, "record"),
    )
    if statement.with_:
        resolve(statement.with_, ids["parties"] | set(_ROLES), "party or role", (*loc, "with"))
    for name, section, noun in (
        ("in_", "interactions", "interaction"),
        ("from_", None, "holder or party"),
        ("at", None, "holder or party"),
    ):
        choices = ids[section] if section else ids["holders"] | ids["parties"]
        for index, wanted in enumerate(getattr(statement, name)):
            resolve(wanted, choices, noun, (*loc, _KEY[name], index))
    if statement.on:
        resolve(statement.on, ids["deletions"], "deletion request", (*loc, "on"))
    return problems


def _canonical(category: str) -> str:
    return fides_taxonomy()["data_categories"].get(category) or category


class _Traces:
    """Each (interaction, request) traced once per check."""

    def __init__(self, model: Model):
        self.model, self.cache = model, {}  # (interaction, request, at) -> Trace

    def __call__(
        self, interaction: str, request: str | None = None, at: int | None = None
    ) -> Trace:
        key = (interaction, request, at)
        if key not in self.cache:
            self.cache[key] = trace(self.model, interaction, [request] if request else [], at=at)
        return self.cache[key]


def _check_one(model: Model, key: str, claim: Claim, traces: _Traces) -> ClaimResult:
    statement = claim.statement

    def result(verdict: str, explanation: str, checked=0, findings=()) -> ClaimResult:
        return ClaimResult(
            claim=key,
            by=claim.by,
            kind=claim.kind,
            says=claim.says,
            verdict=verdict,
            explanation=explanation,
            checked=checked,
            findings=tuple(findings),
            evidence=tuple(claim.evidence),
            confidence=claim.confidence,
        )

    records, vague = records_covered(model, statement.record)
    if vague:
        return result(
            "vague",
            f"{statement.record} is broader than the categories of the records it covers "
            f"({', '.join(records)}): name a record or a narrower category",
        )
    if not records:
        return result("unverifiable", f"no record of the model is in {statement.record}")
    if claim.kind == "keeps" and statement.for_.kind == "unknown":
        return result("vague", "keeps for: unknown states no period")
    interactions = list(statement.in_) or sorted(model.interactions)
    checks, nothing = _CHECKS[claim.kind](model, claim, set(records), interactions, traces)
    if not checks:
        return result("unverifiable", nothing)
    bad = [f for f in checks if not f.agrees]
    strong = [f for f in bad if not f.weak]
    if strong:
        return result("contradicted", _explain(strong), len(checks), strong)
    if bad:
        explanation = "disagrees only where the model rests on assumptions: " + _explain(bad)
        return result("unverifiable", explanation, len(checks), bad)
    if all(f.weak for f in checks):
        explanation = "agrees, but only on assumed or unknown rules: " + _explain(checks)
        return result("unverifiable", explanation, len(checks), checks)
    if len(checks) == 1:
        return result("consistent", _explain(checks), 1)
    return result("consistent", f"all {len(checks)} checks agree", len(checks))


def _explain(findings: list[Finding]) -> str:
    """The first finding in words, with the interactions it shares, and how many more."""
    groups: dict[tuple, list[str]] = {}
    for f in findings:
        groups.setdefault((f.copy, f.request, f.status, f.reason), []).append(f.interaction)
    (copy, request, status, reason), where = next(iter(groups.items()))
    first = next(f for f in findings if (f.copy, f.request, f.status) == (copy, request, status))
    after = f" after {request}" if request else ""
    where = sorted(set(where))
    places = ", ".join(where) if len(where) <= 3 else f"{len(where)} interactions"
    if first.share:
        text = f"{reason} ({copy}) in {places}"
    elif copy:
        text = f"{copy} {_IS[status]}{after} in {places}"
    else:
        text = f"{reason}{after} in {places}"
    if first.confidence:
        text += f" ({first.confidence})"
    more = len(groups) - 1
    return text + (f"; {more} more finding{'s' if more != 1 else ''}" if more else "")


_IS = {
    "held": "is held",
    "may_remain": "may remain",
    "deleted": "is deleted",
    "expired": "has expired",
    "transient": "is never stored",
}


# --- the kinds of statement -------------------------------------------------------------------


def _scope(model: Model, claim: Claim, statement: Statement) -> set[str]:
    """The holders a statement is about: those named (or operated by a party named), else the
    claimant's own holders, else (a claim by a source, such as a regulator) every holder."""
    named = set(statement.from_ or statement.at)
    if named:
        return {k for k, h in model.holders.items() if k in named or h.party in named}
    own = {k for k, h in model.holders.items() if h.party == claim.by}
    return own or set(model.holders)


def _reaches(model: Model, party_or_role: str, copy: Copy) -> bool:
    if party_or_role in model.parties:
        return party_or_role in copy.access
    return any(model.parties[p].role == party_or_role for p in copy.access)


def _edges(model: Model) -> dict:
    index = model._derived.get("claims.edges")
    if index is None:
        index = {e.key: e for e in (*model.flows, *model.derivations)}
        model._derived["claims.edges"] = index
    return index


def _via(model: Model, interaction: str, copy: Copy, request=None, agrees=True) -> Finding:
    """A finding resting on the path that put ``copy`` where it is (the weakest rule on it)."""
    edges = [_edges(model)[key] for key in copy.path]
    confidences = [e.confidence for e in edges] or ["stated"]
    evidence = sorted({source for e in edges for source in e.evidence})
    reached = "reaches" if agrees else "still reaches"
    return Finding(
        interaction,
        request,
        copy.id,
        copy.status,
        agrees,
        f"{copy.record} {reached} {', '.join(copy.access)}",
        copy.path,
        tuple(evidence),
        max(confidences, key=CONFIDENCES.index),
        share=True,
    )


def _at(interaction: str, copy: Copy, agrees: bool, request: str | None = None) -> Finding:
    """A finding resting on the rule behind the copy's status."""
    return Finding(
        interaction,
        request,
        copy.id,
        copy.status,
        agrees,
        copy.reason,
        copy.path,
        copy.evidence,
        copy.confidence,
    )


def _stored(copies: Iterable[Copy], records: set[str], scope: set[str] | None) -> list[Copy]:
    return [
        c
        for c in copies
        if c.record in records and (scope is None or c.holder in scope) and c.status != "transient"
    ]


def _creates(traces: _Traces, interaction: str, records: set[str]) -> bool:
    return any(c.record in records for c in traces(interaction).copies)


def _any_or_each(claim, statement, found: dict[str, list[Finding]], missing: str):
    """For statements that some copy exists: with ``in``, each interaction needs an agreeing
    finding; without, one interaction is enough."""

    def best(findings):
        return sorted(findings, key=lambda f: (f.weak, f.interaction, f.copy))[0]

    if statement.in_:
        return [
            best(found[i]) if found[i] else Finding(i, statement.on, "", "", False, missing)
            for i in statement.in_
        ]
    agreeing = [f for fs in found.values() for f in fs]
    if agreeing:
        return [best(agreeing)]
    return [Finding(i, statement.on, "", "", False, missing) for i in sorted(found)]


def _shares(model, claim, records, interactions, traces):
    statement = claim.statement
    found = {
        i: [
            _via(model, i, c)
            for c in traces(i).copies
            if c.record in records and _reaches(model, statement.with_, c)
        ]
        for i in interactions
        if _creates(traces, i, records)
    }
    if statement.in_:
        found = {i: found.get(i, []) for i in statement.in_}
    missing = f"no copy of {statement.record} reaches {statement.with_}"
    return _any_or_each(
        claim, statement, found, missing
    ), f"no interaction creates {statement.record}"


def _does_not_share(model, claim, records, interactions, traces):
    statement, checks = claim.statement, []
    for i in interactions:
        if not _creates(traces, i, records):
            continue
        shared = [
            c
            for c in traces(i).copies
            if c.record in records and _reaches(model, statement.with_, c)
        ]
        checks += [_via(model, i, c, agrees=False) for c in shared] or [
            Finding(
                i, None, "", "", True, f"no copy of {statement.record} reaches {statement.with_}"
            )
        ]
    return checks, f"no interaction creates {statement.record}"


def _remains_after(model, claim, records, interactions, traces):
    statement, scope = claim.statement, _scope(model, claim, claim.statement)
    found = {}
    for i in interactions:
        stored = _stored(traces(i, statement.on).copies, records, scope)
        if stored or statement.in_:
            found[i] = [_at(i, c, True, statement.on) for c in stored if c.remains]
    missing = f"no copy of {statement.record} remains at the holders named"
    return _any_or_each(claim, statement, found, missing), (
        f"no interaction stores {statement.record} at the holders named"
    )


def _deletes(model, claim, records, interactions, traces):
    statement, scope = claim.statement, _scope(model, claim, claim.statement)
    checks = [
        _at(i, c, c.status in ("deleted", "expired"), statement.on)
        for i in interactions
        for c in _stored(traces(i, statement.on).copies, records, scope)
    ]
    return checks, f"no interaction stores {statement.record} at the holders named"


def _not_stored(model, claim, records, interactions, traces):
    scope = _scope(model, claim, claim.statement)
    checks = [
        _at(i, c, c.status == "transient")
        for i in interactions
        for c in traces(i).copies
        if c.record in records and c.holder in scope
    ]
    return checks, f"no interaction creates {claim.statement.record} at the holders named"


def _keeps(model, claim, records, interactions, traces):
    statement, scope = claim.statement, _scope(model, claim, claim.statement)
    period = statement.for_
    nothing = f"no interaction stores {statement.record} at the holders named"
    if period.kind == "none":
        return _not_stored(model, claim, records, interactions, traces)
    if period.kind == "forever":
        checks = [
            _at(i, c, True) for i in interactions for c in _stored(traces(i).copies, records, scope)
        ]
        return checks, nothing
    if period.kind == "duration":
        checks = [
            _at(i, c, not c.remains)
            for i in interactions
            for c in _stored(traces(i, at=period.days).copies, records, scope)
        ]
        return checks, nothing
    # until_deleted: after each request that deletes one of these records at these holders
    order = list(model.deletions)  # file order: a model lists its main request first
    requests = sorted(
        {
            request
            for holder in scope
            for record, rule in model.holders[holder].keeps.items()
            if record in records
            for request in rule.deleted_by
        },
        key=order.index,
    )
    if not requests:
        return [], f"no deletion request deletes {statement.record} at the holders named"
    checks = [
        _at(i, c, not c.remains, request)
        for request in requests
        for i in interactions
        for c in _stored(traces(i, request).copies, records, scope)
    ]
    return checks, nothing


_CHECKS = {
    "shares": _shares,
    "does_not_share": _does_not_share,
    "keeps": _keeps,
    "deletes": _deletes,
    "not_stored": _not_stored,
    "remains_after": _remains_after,
}
