"""What the person deleted, as a ledger requests log: ``--deleted-before TIME`` (everything up
to then, by one request, ``delete-all-history`` unless told) and ``--auto-delete 3mo --since
TIME`` (the model's scheduled request with that period, switched on at ``TIME``).

>>> from tracer.model.loading import load_model
>>> import tracer
>>> model = tracer.load_model(tracer.default_model_path().with_name("alexa-2025.yaml"))
>>> for row in deletion_requests(model, "me", deleted_before="2025-03-01", auto_delete="3mo",
...                              since="2025-04-01T00:00:00Z"):
...     print(row)
('me', 'delete-all-history', '2025-03-01T00:00:00Z')
('me', 'auto-delete-3mo', '2025-04-01T00:00:00Z')
"""

from __future__ import annotations

from tracer.errors import did_you_mean
from tracer.ledger.logs import format_timestamp, parse_timestamp
from tracer.ledger.problems import LedgerError
from tracer.model import Model
from tracer.model.durations import parse_duration

from .exports import HistoryError

__all__ = ["REQUEST_HEADER", "deletion_requests"]

REQUEST_HEADER = ("user", "request", "at")


def _time(text: str, option: str) -> str:
    try:
        return format_timestamp(parse_timestamp(text))
    except LedgerError as error:
        raise HistoryError(f"{option}: {error}") from None


def deletion_requests(
    model: Model,
    user: str,
    *,
    deleted_before: str | None = None,
    deleted_by: str = "delete-all-history",
    auto_delete: str | None = None,
    since: str | None = None,
) -> list[tuple[str, str, str]]:
    """The rows ``(user, request, at)`` of the requests log these options say."""
    rows = []
    if deleted_before is not None:
        if deleted_by not in model.deletions:
            raise HistoryError(
                f"--deleted-by: the model has no deletion request {deleted_by!r}"
                + did_you_mean(deleted_by, model.deletions)
            )
        if model.deletions[deleted_by].after is not None:
            raise HistoryError(f"--deleted-by: {deleted_by!r} is scheduled: use --auto-delete")
        rows.append((user, deleted_by, _time(deleted_before, "--deleted-before")))
    if (auto_delete is None) != (since is None):
        raise HistoryError("--auto-delete and --since go together: the period, and when it was set")
    if auto_delete is not None:
        try:
            days = parse_duration(auto_delete)
        except ValueError as error:
            raise HistoryError(f"--auto-delete: {error}") from None
        scheduled = {k: d.after for k, d in model.deletions.items() if d.after is not None}
        found = sorted(k for k, after in scheduled.items() if after == days)
        if not found:
            offered = ", ".join(f"{after}d ({k})" for k, after in sorted(scheduled.items()))
            raise HistoryError(
                f"--auto-delete {auto_delete}: the model has no scheduled request after {days}d "
                f"({'it has ' + offered if offered else 'it has none; try graphs/alexa-2025.yaml'})"
            )
        rows.append((user, found[0], _time(since, "--since")))
    return rows
