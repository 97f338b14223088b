"""The letters a person sends: one per party that may still hold copies of their records.

Each letter names the records (how many of the person's requests, from when to when, which
kinds of data and in which of the party's systems), the rule and the evidence that say they
may remain, and asks, on its legal basis: GDPR Art. 15 (access: a copy and what is held) and
Art. 17 (erasure); of the platform, Art. 19 (tell every recipient of the erasure, and the person
who they are); and, for a person in California, deletion under the CCPA (Cal. Civ. Code
§ 1798.105, which reaches the business's service providers and contractors too). The party's
contact is the model's ``contact:`` where it gives one. tracer writes the letters; it never
sends them.

:func:`erasure_letters` returns them (Markdown, and HTML for a PDF); :func:`write_letters`
writes them whole or not at all, never over an existing letter unless ``force``.

>>> import tempfile, pathlib
>>> from tracer.ledger import build, open_ledger, write_synthetic_log
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> log = write_synthetic_log(folder, users=2, events=40, seed=3)
>>> _ = build(log.events, log.requests, output=folder / "l.duckdb")
>>> with open_ledger(folder / "l.duckdb") as ledger:
...     letters = erasure_letters(ledger, "u00001")
>>> [letter.filename for letter in letters][:3]
['ad_partners.md', 'amazon.md', 'annotators.md']
>>> letters[1].markdown.splitlines()[0]
'# Request for access to and erasure of my personal data: Amazon'
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tracer.model import Model
from tracer.model.text import printable
from tracer.render.output import StagedFiles

from .logs import format_timestamp
from .problems import LedgerError
from .queries import _known_user, erasure, model_of
from .store import Ledger

__all__ = ["LAWS", "Letter", "chromium", "erasure_letters", "write_letters"]

LAWS = ("gdpr", "ccpa")
BLANK_SENDER = "[your name and the e-mail address of your Amazon account]"
COPY_COLUMNS = (
    "c.event, e.at_us, c.interaction, c.holder, c.record, c.status, c.reason, c.evidence, "
    "c.confidence, c.access"
)


@dataclass(frozen=True)
class Letter:
    """One letter: to whom (``party``, its name and contact), how many of the person's requests
    it concerns, and its text, as Markdown and as HTML (for a PDF)."""

    party: str
    name: str
    contact: str | None
    events: int
    copies: int
    markdown: str
    html: str

    @property
    def stem(self) -> str:
        """The party id as a file name: a catalogue developer's ``developer:doist`` is
        ``developer_doist`` (a colon is no part of a file name on Windows, and macOS shows it
        as a slash)."""
        return self.party.replace(":", "_")

    @property
    def filename(self) -> str:
        return f"{self.stem}.md"


@dataclass
class _Kept:
    """Copies of one record in one holder: of how many events, when, in what status, why."""

    holder: str
    record: str
    events: set
    first: int
    last: int
    statuses: set
    reasons: set
    evidence: set
    confidences: set


def _day(us: int) -> str:
    return format_timestamp(us)[:10]


def erasure_letters(
    ledger: Ledger, user: str, *, laws: Sequence[str] = LAWS, sender: str | None = None
) -> list[Letter]:
    """One letter per party (other than the person) that may still hold or still holds a copy
    of the user's records at the ledger's time, in party order."""
    unknown = sorted(set(laws) - set(LAWS))
    if unknown or not laws:
        raise LedgerError(f"unknown law {unknown[0] if unknown else ''!r}: use gdpr, ccpa or both")
    _known_user(ledger, user)
    model = model_of(ledger)
    rows = ledger.con.execute(
        f"""SELECT {COPY_COLUMNS} FROM copies c JOIN events e USING (event)
            WHERE c."user" = ? AND c.status IN ('held', 'may_remain')
            ORDER BY c.event, c.id""",
        [user],
    ).fetchall()
    by_party: dict[str, dict[tuple[str, str], _Kept]] = {}
    for event, at_us, _, holder, record, status, reason, evidence, confidence, access in rows:
        for who in access:
            party = model.parties.get(who)
            if party is not None and party.role == "data_subject":
                continue
            kept = by_party.setdefault(who, {}).get((holder, record))
            if kept is None:
                kept = _Kept(holder, record, set(), at_us, at_us, set(), set(), set(), set())
                by_party[who][(holder, record)] = kept
            kept.events.add((event, at_us))
            kept.first, kept.last = min(kept.first, at_us), max(kept.last, at_us)
            kept.statuses.add(status)
            kept.reasons.add(reason)
            kept.evidence.update(evidence)
            kept.confidences.add(confidence)
    recipients = erasure(ledger, user)["recipients"]
    at = ledger.meta["at"]
    skills = _catalogued(ledger, by_party)
    return [
        _letter(model, who, list(kept.values()), user, at, laws, recipients, sender, skills)
        for who, kept in sorted(by_party.items())
    ]


@dataclass(frozen=True)
class _Skill:
    """A catalogue skill of the person's events, as its developer's letter names it."""

    interaction: str
    name: str
    developer: str
    party: str
    privacy_policy: str | None
    source: str | None  # where the catalogue's row, and so what the skill receives, comes from


def _catalogued(ledger: Ledger, parties) -> dict[str, _Skill]:
    """The catalogue skills (by interaction, which names their backend) of the parties that get
    a letter: a developer the model does not name is known only from the catalogue's row."""
    rows = ledger.con.execute(
        """SELECT interaction, name, developer, party, privacy_policy, source FROM skill_parties
           WHERE party IN (SELECT unnest(?::VARCHAR[])) ORDER BY interaction""",
        [sorted(parties)],
    ).fetchall()
    return {row[0]: _Skill(*(_one_line(v) if v is not None else None for v in row)) for row in rows}


def _record(model: Model, key: str):
    """The record ``key`` of the model, or of its skill template (what only skills receive)."""
    found = model.records.get(key)
    if found is None and model.skill_template is not None:
        found = model.skill_template.records.get(key)
    return found


def _source(model: Model, key: str) -> str:
    source = model.sources.get(key)
    if source is None:
        return key
    parts = [source.title]
    if source.publisher:
        parts.append(source.publisher)
    if source.date:
        parts.append(str(source.date))
    text = ", ".join(parts)
    return f"{text}: {source.url}" if source.url else text


def _letter(model, who, kept, user, at, laws, recipients, sender, skills) -> Letter:
    party = model.parties.get(who)
    own = sorted((s for s in skills.values() if s.party == who), key=lambda s: s.name)
    name = party.name if party is not None else (own[0].developer if own else who)
    contact = party.contact if party is not None else None
    platform = party is not None and party.role == "platform"
    events = sorted({e for k in kept for e in k.events}, key=lambda e: (e[1], e[0]))
    copies = sum(len(k.events) for k in kept)
    first, last = _day(events[0][1]), _day(events[-1][1])
    held = any("held" in k.statuses for k in kept)
    blocks: list[tuple] = []
    blocks.append(("p", f"To: {name}" + (f", {contact}" if contact else "")))
    policies = [s for s in own if s.privacy_policy]
    if not contact and policies:
        blocks.append(
            (
                "p",
                "(The skill catalogue gives no contact for this developer: send this to the "
                "privacy contact its skill's privacy policy names: "
                + "; ".join(f"{s.name}, {s.privacy_policy}" for s in policies)
                + ".)",
            )
        )
    elif not contact and own:
        blocks.append(
            (
                "p",
                "(The skill catalogue gives no contact for this developer: send this to the "
                "privacy contact named in the privacy policy its skill's page in the Alexa app "
                "links to.)",
            )
        )
    elif not contact:
        blocks.append(
            (
                "p",
                "(The model gives no contact for this party: send this to the privacy contact "
                "its privacy notice names.)",
            )
        )
    blocks.append(("p", f"From: {_one_line(sender) if sender else BLANK_SENDER}"))
    blocks.append(("p", f"Date: {_day_of(at)}"))
    blocks.append(
        (
            "p",
            f"I use Amazon Alexa. Between {first} and {last} I made {_n(len(events), 'request')} "
            f"to Alexa (listed below by the record keys my Alexa Voice History shows) whose "
            f"records {'you still hold or ' if held else 'you '}may still hold, according to the "
            f"public evidence cited below, including after what I deleted.",
        )
    )
    blocks.append(("h2", "What I ask"))
    asks = []
    if "gdpr" in laws:
        asks.append(
            "Under Article 15 GDPR: confirm whether you process personal data concerning me, and "
            "give me a copy of it, the purposes, the recipients, and how long you keep it."
        )
        asks.append(
            "Under Article 17 GDPR: erase the personal data concerning me described below, "
            "without undue delay, and confirm that you have done so."
        )
        if platform:
            listed = ", ".join(
                f"{r['name']} ({r['copies']:,} {'copy' if r['copies'] == 1 else 'copies'})"
                for r in recipients
            )
            asks.append(
                "Under Article 19 GDPR: communicate this erasure to each recipient to whom the "
                "data were disclosed, and tell me who they are"
                + (f"; the evidence names these: {listed}." if listed else ".")
            )
    if "ccpa" in laws:
        asks.append(
            "If I am a California resident: under the CCPA (Cal. Civ. Code § 1798.105), delete "
            "the personal information you collected from me, and notify your service providers "
            "and contractors to delete it too."
        )
    blocks.append(("ul", asks))
    blocks.append(("h2", "The records this concerns"))

    def named(k: _Kept) -> tuple[str, str]:
        record = _record(model, k.record)
        return (record.name if record else k.record, k.holder)

    kept = sorted(kept, key=named)
    table = [["Record", "Where", "Status", "Requests", "First", "Last"]]
    for k in kept:
        record = _record(model, k.record)
        holder = model.holders.get(k.holder)
        skill = skills.get(k.holder)  # a catalogue skill's backend is named as its interaction
        where = holder.name if holder else f"{skill.name} skill backend" if skill else k.holder
        table.append(
            [
                record.name if record else k.record,
                f"{where} ({k.holder})",
                " or ".join(s.replace("_", " ") for s in sorted(k.statuses)),
                f"{len(k.events):,}",
                _day(k.first),
                _day(k.last),
            ]
        )
    blocks.append(("table", table))
    # what a catalogue skill receives is the platform's rules for the permissions its row
    # names: the row's own source is the evidence that it asks for them
    sourced = [s for s in own if s.source]
    if sourced:
        one = len(sourced) == 1
        what = f"the {sourced[0].name} skill receives" if one else "these skills receive"
        blocks.append(
            (
                "p",
                f"What {what} follows from the permissions {'it asks' if one else 'each asks'} "
                "for, as published in:",
            )
        )
        blocks.append(("ul", [f"{s.name}: {s.source}" for s in sourced]))
    blocks.append(("h2", "Why they may remain"))
    for k in kept:
        record = _record(model, k.record)
        reasons = "; ".join(sorted(k.reasons))
        blocks.append(
            (
                "p",
                f"**{record.name if record else k.record}, {k.holder}** "
                f"({', '.join(sorted(k.confidences))}): {reasons}",
            )
        )
        if k.evidence:
            blocks.append(("ul", [_source(model, e) for e in sorted(k.evidence)]))
    blocks.append(("h2", "My requests"))
    blocks.append(
        (
            "p",
            f"{_n(len(events), 'request')}, as my Voice History names them (record key, time UTC):",
        )
    )
    blocks.append(("ul", [f"{_one_line(event)} ({format_timestamp(us)})" for event, us in events]))
    blocks.append(
        (
            "p",
            f"Prepared with tracer from the public evidence in the model "
            f"\u201c{model.name}\u201d (user {user}, as of {at}). Please answer within one month "
            f"(GDPR Art. 12(3)) or 45 days (CCPA).",
        )
    )
    title = f"Request for access to and erasure of my personal data: {name}"
    return Letter(
        who, name, contact, len(events), copies, _markdown(title, blocks), _html(title, blocks)
    )


def _one_line(text: str) -> str:
    """An id from the person's export as one safe line: a record key cannot start a heading."""
    return printable(text).replace("\n", " ")


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _day_of(at: str) -> str:
    return at[:10]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(title: str, blocks) -> str:
    lines = [f"# {title}", ""]
    for kind, content in blocks:
        if kind == "h2":
            lines += [f"## {content}", ""]
        elif kind == "p":
            lines += [content, ""]
        elif kind == "ul":
            lines += [f"- {item}" for item in content] + [""]
        elif kind == "table":
            header, *rows = content
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def _inline(text: str) -> str:
    escaped = html.escape(text)
    parts = escaped.split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def _html(title: str, blocks) -> str:
    body = [f"<h1>{html.escape(title)}</h1>"]
    for kind, content in blocks:
        if kind == "h2":
            body.append(f"<h2>{html.escape(content)}</h2>")
        elif kind == "p":
            body.append(f"<p>{_inline(content)}</p>")
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in content) + "</ul>")
        elif kind == "table":
            header, *rows = content
            head = "".join(f"<th>{html.escape(c)}</th>" for c in header)
            cells = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
    style = (
        "body{font:11pt/1.45 sans-serif;margin:2cm;color:#000}table{border-collapse:collapse}"
        "th,td{border:1px solid #888;padding:2px 6px;text-align:left;font-size:9pt}"
        "td:nth-child(n+3){white-space:nowrap}li{font-size:10pt}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def chromium() -> str | None:
    """The Chromium to print PDFs with, when one is installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _pdf(letter: Letter, executable: str) -> bytes:
    """The letter printed by headless Chromium (no header or footer)."""
    with tempfile.TemporaryDirectory() as folder:
        page, pdf = Path(folder) / "letter.html", Path(folder) / "letter.pdf"
        page.write_text(letter.html, encoding="utf-8")
        try:
            done = subprocess.run(
                [
                    executable,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    f"--user-data-dir={folder}/profile",
                    f"--print-to-pdf={pdf}",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise LedgerError(f"Chromium could not print {letter.filename}: {error}") from None
        if not pdf.exists():
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise LedgerError(
                f"Chromium could not print {letter.filename}: "
                f"{said[-1] if said else done.returncode}"
            )
        return pdf.read_bytes()


def write_letters(
    letters: Sequence[Letter],
    folder: str | Path,
    *,
    force: bool = False,
    pdf: bool = False,
    mkdir: bool = False,
    protect: str | Path | None = None,
) -> list[Path]:
    """Write each letter as ``PARTY.md`` (and ``PARTY.pdf`` with ``pdf``, printed by Chromium)
    into ``folder``, a colon in the party's id written ``_``: all of them or none, and over an
    existing letter only with ``force``."""
    folder = Path(folder)
    stems = [letter.stem for letter in letters]
    clash = sorted({stem for stem in stems if stems.count(stem) > 1})
    if clash:  # two parties whose ids differ only by a colon and an underscore
        raise LedgerError(f"two letters would be written as {clash[0]}.md: rename a party")
    executable = chromium() if pdf else None
    if pdf and executable is None:
        raise LedgerError("cannot print the letters as PDF: Chromium is not installed")
    with StagedFiles(protect=protect, mkdir=mkdir, replace=force, mode=0o600) as staged:
        for letter in letters:
            staged.check(folder / letter.filename)
            if pdf:
                staged.check(folder / (letter.stem + ".pdf"))
        for letter in letters:
            staged.open(folder / letter.filename).write(letter.markdown.encode("utf-8"))
            if pdf:
                staged.open(folder / (letter.stem + ".pdf")).write(_pdf(letter, executable))
        return staged.commit()
