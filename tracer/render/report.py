"""Reports: where the records of one or more interactions went and what survives deletion.

One self-contained HTML file (inline SVG and CSS, nothing fetched, no script) or GitHub-flavoured
Markdown (Mermaid diagrams, tables), from the same content, rendered with jinja2 templates with
autoescaping on: every string from the model is escaped. Each interaction answers first (who can
still reach what, in words and a table), then shows its diagram, then the details. On paper each
diagram prints whole on one A4 landscape page (its text small); asked for (``print_pieces``), its
full-size pieces follow, as few (:class:`Tile`) as keep its text at 7 pt. A provenance block says
what the report was made from: the model file and its SHA-256, the tracer version, the requests,
the query time, and which interactions it covers and which not.

>>> import tracer, tempfile, pathlib
>>> model = tracer.load_model()
>>> path = pathlib.Path(tempfile.mkdtemp()) / "report.md"
>>> write_report(model, path, ["dominos-order"], ["delete-recording"]).name
'report.md'
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import markupsafe

from ..errors import OutputError, RequestError
from ..model import Model, Source
from ..model.durations import format_days
from ..model.text import printable
from ..summary import summary
from ..tracing import Copy, Request, Trace, trace
from .dot import trace_dot
from .mermaid import trace_mermaid
from .output import check_target, diagram_bytes, graphviz_available, write_atomically
from .style import STATUS_LOOK, TRANSIENT_MEANING
from .timeline import timeline_end, timeline_rows, timeline_svg

__all__ = [
    "REPORT_SUFFIXES",
    "Provenance",
    "Reach",
    "Report",
    "answer",
    "build_report",
    "render_report",
    "report_text",
    "write_report",
]

REPORT_SUFFIXES = (".html", ".md")
_REMAIN_FIRST = {"held": 0, "may_remain": 1, "deleted": 2, "expired": 3, "transient": 4}


@dataclass(frozen=True)
class Recipient:
    """A party other than the platform and the user that received records (GDPR Art. 19)."""

    party: str
    name: str
    role: str
    records: tuple[str, ...]
    remaining: tuple[str, ...]


@dataclass(frozen=True)
class Tile:
    """One printed page of a diagram: the part in ``view`` (x y width height, in the diagram's
    points), drawn at ``width_mm`` so that its smallest text prints at 7 pt."""

    view: str
    width_mm: float
    row: int
    column: int
    rows: int
    columns: int


# A4 landscape less 8 mm margins, less room for the caption; the smallest diagram text is 9 pt
_PAGE_MM = (281.0, 180.0)
_PRINT_SCALE = 7 / 9
_MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Provenance:
    """What a report was made from, so a reader can make it again and check it."""

    generated: str  # UTC, to the second (SOURCE_DATE_EPOCH when set, for reproducible builds)
    version: str  # tracer's
    model: str  # the model's name
    model_file: str | None  # its path, when it came from a file
    model_sha256: str | None
    requests: str  # in words, with their times
    at: str  # the query time
    covered: tuple[tuple[str, str], ...]  # (id, name) of the interactions reported on
    not_covered: tuple[tuple[str, str], ...]  # and of the model's others
    assumptions: tuple[str, ...] = ()  # what-if assumptions applied to the model (--assume)


def provenance(
    model: Model,
    keys: Sequence[str],
    first: Trace,
    source: str | Path | None = None,
    generated: str | None = None,
) -> Provenance:
    """The provenance of a report on ``keys``, traced as ``first`` says, from ``source``.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> made = provenance(model, ["weather"], tracer.trace(model, "weather"),
    ...                   tracer.default_model_path(), generated="2026-01-01T00:00:00Z")
    >>> made.model_file.endswith("alexa.yaml"), len(made.model_sha256), made.covered
    (True, 64, (('weather', "Alexa, what's the weather?"),))
    """
    from .._version import __version__
    from ..assume import assumptions_of

    if generated is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = (
            datetime.fromtimestamp(int(epoch), timezone.utc)
            if epoch and epoch.isdigit()
            else datetime.now(timezone.utc)
        )
        generated = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = None
    if source is not None:
        try:
            digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        except OSError:
            digest = None
    requests = (
        ", ".join(f"{r.id} at {format_days(r.at)}" for r in first.requests) or "no deletion request"
    )
    return Provenance(
        generated=generated,
        version=__version__,
        model=model.name,
        model_file=str(source) if source is not None else None,
        model_sha256=digest,
        requests=requests,
        at=format_days(first.at),
        covered=tuple((k, model.interactions[k].name) for k in keys),
        not_covered=tuple(
            (k, spec.name) for k, spec in sorted(model.interactions.items()) if k not in keys
        ),
        assumptions=tuple(assumptions_of(model)),
    )


@dataclass(frozen=True)
class Reach:
    """What one party can still access after the requests: its copies, held or that may remain."""

    party: str
    name: str
    held: tuple[Copy, ...]
    may_remain: tuple[Copy, ...]
    records: tuple[str, ...]  # the names of the records of those copies, sorted

    @property
    def copies(self) -> tuple[Copy, ...]:
        return self.held + self.may_remain

    @property
    def words(self) -> str:
        """How much, in words: "2 held, 3 may remain"."""
        parts = [f"{len(self.held)} held"] if self.held else []
        parts += [f"{len(self.may_remain)} may remain"] if self.may_remain else []
        return ", ".join(parts)


@dataclass(frozen=True)
class Section:
    """One interaction in the report."""

    interaction: str
    name: str
    trace: Trace
    answer: str  # who can still access what, naming the parties
    summary: str
    reach: tuple[Reach, ...]  # by party id
    never_stored: tuple[str, ...]
    copies: tuple[Copy, ...]  # those that remain first
    access: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]  # party, name, held, may
    recipients: tuple[Recipient, ...]
    diagram_svg: str | None
    diagram_tiles: tuple[Tile, ...]  # the diagram in pieces, one landscape page each in print
    diagram_view: str  # its viewBox (x y width height, in points), and its width in points
    diagram_width: str
    mermaid: str
    timeline_svg: str
    timeline: tuple[Copy, ...]

    @property
    def timeline_ends(self) -> tuple[tuple[Copy, str], ...]:
        """Each timeline row with its end in words ("deleted at 0d", "may remain: kept until
        deleted")."""
        return tuple((copy, timeline_end(copy)[1]) for copy in self.timeline)


@dataclass(frozen=True)
class Report:
    model: Model
    title: str
    requests: tuple[Request, ...]
    at: int
    sections: tuple[Section, ...]
    sources: tuple[tuple[str, Source], ...]
    version: str
    notes: tuple[str, ...]
    claims: tuple = ()  # the claims about these interactions, checked (tracer.claims)
    provenance: Provenance | None = None
    print_pieces: bool = False  # on paper, each diagram's full-size pieces after its whole

    @property
    def overview_parties(self) -> tuple[tuple[str, str], ...]:
        """The parties that can still access something in any section: (id, name), by id."""
        found = {r.party: r.name for s in self.sections for r in s.reach}
        return tuple(sorted(found.items()))

    @property
    def answer(self) -> str:
        """Across the sections, in words: which parties can still reach copies of which
        interactions."""
        requests = [r for r in self.requests if r.at <= self.at]
        opening = (
            "After " + ", ".join(f"{r.id} at {format_days(r.at)}" for r in requests)
            if requests
            else "With no deletion request"
        )
        if not self.overview_parties:
            return f"{opening}, no party can access any copy of these interactions any more."
        everywhere, some = [], []
        for party, name in sorted(self.overview_parties, key=lambda p: p[1].lower()):
            keys = [s.interaction for s in self.sections if self.reach_of(s, party)]
            if len(keys) == len(self.sections):
                everywhere.append(name)
            else:
                some.append(f"{name} ({', '.join(keys)})")
        parts = []
        if everywhere:
            parts.append(f"from all {len(self.sections)}: " + "; ".join(everywhere))
        if some:
            parts.append("from some: " + "; ".join(some))
        count = len(self.overview_parties)
        return (
            f"{opening}, {count} {'party' if count == 1 else 'parties'} can still reach copies "
            f"of these {len(self.sections)} interactions, " + "; and ".join(parts) + "."
        )

    def reach_of(self, section: Section, party: str) -> Reach | None:
        """``party``'s reach in ``section``, if it has any."""
        return next((r for r in section.reach if r.party == party), None)


def build_report(
    model: Model,
    interactions: Sequence[str],
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    *,
    diagrams: bool = True,
    source: str | Path | None = None,
    print_pieces: bool = False,
    generated: str | None = None,
) -> Report:
    """The content of a report on ``interactions`` after ``deletions``, made from the model file
    ``source`` (named, with its SHA-256, in the provenance); ``print_pieces`` adds each diagram's
    full-size pieces to the printed pages; ``generated`` fixes the time it says it was made."""
    from .._version import __version__
    from ..claims import check

    if not interactions:
        raise RequestError("a report needs at least one interaction")
    deletions = tuple(deletions)
    draw = diagrams and graphviz_available()
    sections = tuple(
        _section(model, key, deletions, at, draw) for key in dict.fromkeys(interactions)
    )
    first = sections[0].trace
    cited = sorted({e for s in sections for c in s.trace.copies for e in c.evidence})
    notes = (
        ()
        if draw or not diagrams
        else (
            "Graphviz's dot is not installed, so this report has no diagrams "
            "(apt-get install graphviz).",
        )
    )
    names = ", ".join(s.interaction for s in sections)
    keys = [s.interaction for s in sections]
    # only the claims about these interactions: a checked claim names each one it looked at
    claims = tuple(
        claim for claim in check(model) if any(f.interaction in keys for f in claim.findings)
    )
    return Report(
        model=model,
        title=f"{model.name}: {names}",
        requests=first.requests,
        at=first.at,
        sections=sections,
        sources=tuple((key, model.sources[key]) for key in cited),
        version=__version__,
        notes=notes,
        claims=claims,
        provenance=provenance(model, keys, first, source, generated),
        print_pieces=print_pieces,
    )


def _section(model: Model, key: str, deletions, at, draw: bool) -> Section:
    result = trace(model, key, deletions, at)
    copies = tuple(sorted(result.copies, key=lambda c: (_REMAIN_FIRST[c.status], c.id)))
    never = tuple(
        sorted(
            {model.records[c.record].name for c in result.copies if c.status == "transient"}
            - {model.records[c.record].name for c in result.copies if c.status != "transient"}
        )
    )
    access = tuple(
        (party, model.parties[party].name, reach.held, reach.may_remain)
        for party, reach in result.parties.items()
    )
    reach = _reach(model, result)
    svg = _svg(trace_dot(model, result), key) if draw else None
    received: dict[str, set[str]] = {}
    remaining: dict[str, set[str]] = {}
    for copy in result.copies:
        role = model.parties[copy.party].role
        if role in ("platform", "data_subject"):
            continue
        received.setdefault(copy.party, set()).add(model.records[copy.record].name)
        if copy.remains:
            remaining.setdefault(copy.party, set()).add(model.records[copy.record].name)
    recipients = tuple(
        Recipient(
            party,
            model.parties[party].name,
            model.parties[party].role,
            tuple(sorted(records)),
            tuple(sorted(remaining.get(party, ()))),
        )
        for party, records in sorted(received.items())
    )
    return Section(
        interaction=key,
        name=model.interactions[key].name,
        trace=result,
        answer=answer(model, result, reach),
        summary=summary(result),
        reach=reach,
        never_stored=never,
        copies=copies,
        access=access,
        recipients=recipients,
        diagram_svg=svg,
        diagram_tiles=_tiles(svg) if svg else (),
        diagram_view=_view(svg)[0] if svg else "",
        diagram_width=_view(svg)[1] if svg else "",
        mermaid=trace_mermaid(model, result),
        timeline_svg=timeline_svg(result, names=lambda c: _copy_name(model, c, short=True)),
        timeline=tuple(timeline_rows(result)),
    )


def _copy_name(model: Model, copy: Copy, *, short: bool = False) -> str:
    """A copy in words: "Transcript at Voice History"; ``short`` leaves out the remarks in
    brackets ("Ad partners (cookie syncing with Amazon)" is "Ad partners")."""
    words = f"{model.records[copy.record].name} at {model.holders[copy.holder].name}"
    return re.sub(r"\s*\([^()]*\)", "", words).strip() or words if short else words


def _reach(model: Model, result: Trace) -> tuple[Reach, ...]:
    """Each party that can still access a copy, by party id."""
    by_id = {c.id: c for c in result.copies}
    found = []
    for party, access in sorted(result.parties.items()):
        held = tuple(by_id[i] for i in access.held)
        may = tuple(by_id[i] for i in access.may_remain)
        if held or may:
            records = tuple(sorted({model.records[c.record].name for c in held + may}))
            found.append(Reach(party, model.parties[party].name, held, may, records))
    return tuple(found)


def answer(model: Model, result: Trace, reach: Sequence[Reach] | None = None) -> str:
    """The report's first sentence: after the requests, which parties can still reach how many
    copies, and of which records.

    >>> import tracer
    >>> model = tracer.load_model()
    >>> print(answer(model, tracer.trace(model, "weather", ["delete-recording"])))
    ... # doctest: +NORMALIZE_WHITESPACE, +ELLIPSIS
    After delete-recording at 0d, 2 parties can still reach 10 copies (10 may remain):
    Amazon (10: Action record, ...); Annotators ... (5: Annotation, ...).
    """
    if reach is None:
        reach = _reach(model, result)
    applied = [r for r in result.requests if r.at <= result.at]
    opening = (
        "After " + ", ".join(f"{r.id} at {format_days(r.at)}" for r in applied)
        if applied
        else "With no deletion request"
    )
    if not reach:
        return f"{opening}, no party can access any copy of this interaction any more."
    copies = {c.id: c for r in reach for c in r.copies}
    held = sum(1 for c in copies.values() if c.status == "held")
    counts = ", ".join(
        part
        for part in (
            f"{held} held" if held else "",
            f"{len(copies) - held} may remain" if len(copies) > held else "",
        )
        if part
    )
    parties = "; ".join(
        f"{r.name} ({len(r.copies)}: {', '.join(r.records)})"
        for r in sorted(reach, key=lambda r: r.name.lower())
    )
    plural = "party" if len(reach) == 1 else "parties"
    noun = "copy" if len(copies) == 1 else "copies"
    return (
        f"{opening}, {len(reach)} {plural} can still reach {len(copies)} {noun} ({counts}): "
        f"{parties}."
    )


def _svg(dot: str, key: str) -> str:
    """Graphviz's SVG, ready to inline: no XML prolog or doctype, at its natural size (the page
    puts it in a scrolling frame; shrunk to the page width its text would be unreadable), its
    ids made unique in the page (the printed pieces refer to its drawing by id)."""
    svg = diagram_bytes(".svg", dot=dot, mermaid="", name="a report diagram").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r' id="([^"]*)"', lambda m: f' id="diagram-{key}-{m.group(1)}"', svg)
    return svg.replace("<svg ", '<svg class="diagram" ', 1)


def _view(svg: str) -> tuple[str, str]:
    """The drawing's viewBox and its natural width, in points (for the full-size view)."""
    match = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', svg)
    if match is None:  # pragma: no cover - Graphviz always writes a viewBox
        return "", ""
    return " ".join(match.groups()), f"{float(match.group(3)) * 4 / 3:.0f}"


def _tiles(svg: str) -> tuple[Tile, ...]:
    """The pieces a diagram prints in: as few landscape pages as hold it with its text at 7 pt
    (the whole of a wide diagram on one page would print its text at 3 or 4 pt)."""
    match = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', svg)
    if match is None:  # pragma: no cover - Graphviz always writes a viewBox
        return ()
    left, top, width, height = map(float, match.groups())
    tile_w = _PAGE_MM[0] / _MM_PER_PT / _PRINT_SCALE
    tile_h = _PAGE_MM[1] / _MM_PER_PT / _PRINT_SCALE
    columns, rows = math.ceil(width / tile_w), math.ceil(height / tile_h)
    tiles = []
    for row in range(rows):
        for column in range(columns):
            x, y = left + column * tile_w, top + row * tile_h
            w, h = min(tile_w, left + width - x), min(tile_h, top + height - y)
            tiles.append(
                Tile(
                    f"{x:.2f} {y:.2f} {w:.2f} {h:.2f}",
                    round(w * _PRINT_SCALE * _MM_PER_PT, 2),
                    row + 1,
                    column + 1,
                    rows,
                    columns,
                )
            )
    return tuple(tiles)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tracer.render", "templates"),
        # HTML autoescapes every model string; Markdown escapes each table cell with `cell`
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_printable,
    )
    env.filters["days"] = format_days
    env.filters["cell"] = _markdown_cell
    env.filters["url"] = lambda url: urllib.parse.quote(str(url), safe=":/?#@!$&'*+,;=%-._~")
    # only http(s) addresses become links: a model could hold a "javascript:" one
    env.tests["web_link"] = lambda url: str(url).lower().startswith(("https://", "http://"))
    env.globals["LOOK"] = STATUS_LOOK
    env.globals["TRANSIENT_MEANING"] = TRANSIENT_MEANING
    return env


def _printable(value: object) -> object:
    """Every model string a template prints, its line breaks and control characters made safe;
    markup the report made itself (inline SVG) is left as it is."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return printable(value)
    return value


def _markdown_cell(value: object) -> str:
    """Text for a Markdown table cell: pipes, backslashes, markup characters and newlines made
    harmless (the Markdown template is rendered without HTML autoescaping)."""
    text = printable(value)  # a bare \r would end the table row
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    text = text.replace("<", "&lt;").replace(">", "&gt;").replace("*", "\\*").replace("_", "\\_")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return text.replace("\n", "<br>")


def render_report(report: Report, suffix: str) -> str:
    """The report as HTML (``.html``) or Markdown (``.md``) text."""
    template = "report.html" if suffix == ".html" else "report.md"
    return _environment().get_template(template).render(report=report)


def report_text(
    model: Model,
    fmt: str,
    interactions: Sequence[str],
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    *,
    source: str | Path | None = None,
    print_pieces: bool = False,
    generated: str | None = None,
) -> str:
    """The report on ``interactions`` as ``html`` or ``md`` text: for writing to stdout (see
    :func:`build_report` for ``source``, ``print_pieces`` and ``generated``).

    >>> import tracer
    >>> report_text(tracer.load_model(), "md", ["weather"]).startswith("# ")
    True
    """
    suffix = "." + fmt.lstrip(".").lower()
    if suffix not in REPORT_SUFFIXES:
        raise OutputError(f"cannot write a report as {fmt}: use html or md")
    report = build_report(
        model,
        interactions,
        deletions,
        at,
        diagrams=suffix == ".html",
        source=source,
        print_pieces=print_pieces,
        generated=generated,
    )
    return render_report(report, suffix)


def write_report(
    model: Model,
    path: str | Path,
    interactions: Sequence[str],
    deletions: Iterable[str | Request] = (),
    at: str | int | None = None,
    *,
    protect: Path | None = None,
    mkdir: bool = False,
    source: str | Path | None = None,
    print_pieces: bool = False,
    generated: str | None = None,
) -> Path:
    """Write the report on ``interactions`` to ``path``: ``.html`` or ``.md`` by suffix; never
    over the model ``protect``, the folder created only when ``mkdir``; made from the model file
    ``source`` (the shipped model's when None and ``model`` is it; see :func:`build_report`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise OutputError(f"cannot write a report to {path}: use .html or .md")
    check_target(path, protect=protect, mkdir=mkdir)  # before the work of building it
    text = report_text(
        model,
        suffix,
        interactions,
        deletions,
        at,
        source=source if source is not None else protect,
        print_pieces=print_pieces,
        generated=generated,
    )
    return write_atomically(path, text.encode("utf-8"), protect=protect, mkdir=mkdir)
