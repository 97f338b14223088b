"""A record of processing activities (GDPR Art. 30) of a model, as CSV or XLSX.

One row per processing: a holder run by a controller or a processor handling one record
(see :mod:`.selection`). The columns carry the words of Art. 30(1) (a controller's record) and
Art. 30(2) (a processor's), so a privacy team can file the sheet as it is and fill in what a
``tracer/1`` model does not say (contact details, transfers to third countries, security
measures), which the sheet marks ``not stated in the model`` rather than leaving blank. Beside
Art. 30's items, each row says what deletion reaches, and the evidence and confidence behind it.

Who is who: a party with role ``processor`` or ``contractor`` is a processor; the one on whose
behalf it acts is the controller whose holders send it the record. Every other party is a
controller, except a data subject (``data_subject``): the user's own device is nobody's record
of processing, so its holders have no row.

>>> import tracer
>>> rows = ropa_rows(tracer.load_model())
>>> row = next(r for r in rows if r["Processing"] == "voice_history/voice_recording")
>>> row["Controller or processor"], row[CONTROLLER]
('controller', 'Amazon')
>>> row[ERASURE]
'until the user deletes it'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import OutputError
from ..model import Model, Retention
from ..model.durations import format_days
from ..render.output import write_atomically
from .selection import EVERYTHING, Selection, processings

__all__ = [
    "COLUMNS",
    "CONTROLLER",
    "ERASURE",
    "NOT_STATED",
    "ropa_csv",
    "ropa_rows",
    "ropa_xlsx",
    "write_ropa",
]

NOT_STATED = "not stated in the model"
PROCESSOR_ROLES = ("processor", "contractor")

CONTROLLER = "Art. 30(1)(a) Name and contact details of the controller"
PROCESSOR = "Art. 30(2)(a) Name and contact details of the processor"
PURPOSES = "Art. 30(1)(b) Purposes of the processing"
SUBJECTS = "Art. 30(1)(c) Categories of data subjects"
DATA = "Art. 30(1)(c) Categories of personal data"
RECIPIENTS = (
    "Art. 30(1)(d) Categories of recipients to whom the personal data have been or will be "
    "disclosed"
)
TRANSFERS = (
    "Art. 30(1)(e) and 30(2)(c) Transfers of personal data to a third country or an "
    "international organisation"
)
ERASURE = "Art. 30(1)(f) Envisaged time limits for erasure"
SECURITY = (
    "Art. 30(1)(g) and 30(2)(d) General description of the technical and organisational "
    "security measures"
)
ON_BEHALF = "Art. 30(2)(b) Categories of processing carried out on behalf of each controller"

COLUMNS = (
    "Processing",
    "System",
    "Controller or processor",
    CONTROLLER,
    PROCESSOR,
    PURPOSES,
    SUBJECTS,
    DATA,
    RECIPIENTS,
    TRANSFERS,
    ERASURE,
    "What deletion reaches",
    SECURITY,
    ON_BEHALF,
    "Evidence",
    "Confidence",
)


def _period_words(rule: Retention | None) -> str:
    if rule is None:
        return "unknown: no retention rule in the model"
    period = rule.period
    if period.kind == "duration":
        return format_days(period.days or 0)
    return {
        "none": "not stored: processed only",
        "until_deleted": "until the user deletes it",
        "forever": "kept indefinitely",
        "unknown": "unknown",
    }[period.kind]


def ropa_rows(model: Model, selection: Selection = EVERYTHING) -> list[dict[str, str]]:
    """The record of processing: one row (column -> text) per selected processing of a
    controller or processor, sorted by ``holder/record``."""
    parties = model.parties
    subjects = sorted(p.name for p in parties.values() if p.role == "data_subject")
    rows = []
    for holder_id, record_id in processings(model, selection):
        holder = model.holders[holder_id]
        party = parties[holder.party]
        if party.role == "data_subject":
            continue
        record = model.records[record_id]
        rule = holder.keeps.get(record_id)
        is_processor = party.role in PROCESSOR_ROLES
        into = [f for f in model.flows if f.target == holder_id and record_id in f.carries]
        out = [f for f in model.flows if f.source == holder_id and record_id in f.carries]
        senders = {model.holders[f.source].party for f in into}
        controllers = sorted(
            parties[p].name
            for p in senders
            if p != holder.party and parties[p].role not in (*PROCESSOR_ROLES, "data_subject")
        )
        purposes = {f.purpose for f in (*into, *out) if f.purpose}
        purposes |= {
            d.purpose
            for d in model.derivations
            if d.at == holder_id and d.purpose and record_id in (d.source, d.target)
        }
        recipients = sorted(
            {
                f"{parties[p].name} ({parties[p].role.replace('_', ' ')})"
                for p in (model.holders[f.target].party for f in out)
                if p != holder.party
            }
        )
        kept = _period_words(rule)
        categories = f" ({', '.join(record.categories)})" if record.categories else ""
        rows.append(
            {
                "Processing": f"{holder_id}/{record_id}",
                "System": holder.name,
                "Controller or processor": "processor" if is_processor else "controller",
                CONTROLLER: ("; ".join(controllers) or NOT_STATED if is_processor else party.name),
                PROCESSOR: party.name if is_processor else "",
                PURPOSES: "; ".join(sorted(purposes)) or NOT_STATED,
                SUBJECTS: "; ".join(subjects) or NOT_STATED,
                DATA: record.name + categories,
                RECIPIENTS: "; ".join(recipients) or "none in the model",
                TRANSFERS: NOT_STATED,
                ERASURE: kept,
                "What deletion reaches": _deletion_reach(model, rule),
                SECURITY: NOT_STATED,
                ON_BEHALF: (
                    f"{'keeps' if rule and rule.period.kind != 'none' else 'processes'} "
                    f"{record.name} ({kept})"
                    + (f" for {'; '.join(controllers)}" if controllers else "")
                    if is_processor
                    else ""
                ),
                "Evidence": "; ".join(rule.evidence) if rule else "",
                "Confidence": rule.confidence if rule else "unknown",
            }
        )
    return sorted(rows, key=lambda row: row["Processing"])


def _deletion_reach(model: Model, rule: Retention | None) -> str:
    if rule is None or rule.period.kind == "none":
        return "nothing to delete: not stored" if rule else "no rule: nothing known to delete it"
    parts = []
    if rule.deleted_by:
        names = "; ".join(sorted(model.deletions[r].name for r in rule.deleted_by))
        parts.append(f"deleted by: {names}")
    if rule.unclear_for:
        names = "; ".join(sorted(model.deletions[r].name for r in rule.unclear_for))
        parts.append(f"may remain after: {names}")
    return ". ".join(parts) if parts else "no deletion request reaches it"


def ropa_csv(rows: list[dict[str, str]]) -> str:
    """The rows as CSV text, a header of :data:`COLUMNS` first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def ropa_xlsx(rows: list[dict[str, str]], *, title: str = "Record of processing") -> bytes:
    """The rows as an XLSX workbook (openpyxl): one sheet, the header frozen and filterable."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
    except ImportError:  # pragma: no cover - the extra is installed by make setup
        raise OutputError("writing XLSX needs openpyxl: pip install 'tracer[standards]'") from None
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.title = "Art. 30 record"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, column in zip(_letters(len(COLUMNS)), COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = 18 if len(column) < 20 else 36
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    # a fixed date, so the same model gives the same workbook contents
    book.properties.title = title
    book.properties.creator = "tracer"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, count + 1)]


def write_ropa(
    model: Model,
    path: str | Path,
    *,
    selection: Selection = EVERYTHING,
    protect: Path | None = None,
) -> Path:
    """Write the record of processing to ``path``: XLSX for ``.xlsx``, CSV for ``.csv``.

    >>> import tempfile, pathlib, tracer
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "ropa.csv"
    >>> write_ropa(tracer.load_model(), out).read_text().splitlines()[0].split(",")[:3]
    ['Processing', 'System', 'Controller or processor']
    """
    path = Path(path)
    rows = ropa_rows(model, selection)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        data = ropa_xlsx(rows, title=f"Record of processing: {model.name}")
    elif suffix == ".csv":
        data = ropa_csv(rows).encode("utf-8")
    else:
        raise OutputError(f"a record of processing is written as .csv or .xlsx, not {path.name!r}")
    return write_atomically(path, data, protect=protect)
