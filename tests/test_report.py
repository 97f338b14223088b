"""Reports: the content a reader needs, escaped model strings, and a real browser's view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pixels import assert_painted

import tracer
from tracer.render.report import build_report, render_report

PURCHASES = ["dominos-order", "music-unlimited"]
WHEN = "2026-01-02T03:04:05Z"  # the time a report says it was made, fixed where one is compared


@pytest.fixture(scope="module")
def html(tmp_path_factory, alexa) -> str:
    path = tmp_path_factory.mktemp("report") / "report.html"
    tracer.write_report(alexa, path, PURCHASES, ["delete-recording"])
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def markdown(tmp_path_factory, alexa) -> str:
    path = tmp_path_factory.mktemp("report") / "report.md"
    tracer.write_report(alexa, path, PURCHASES, ["delete-recording"])
    return path.read_text(encoding="utf-8")


def test_the_report_answers_first_in_words_naming_the_parties(html, markdown):
    answer = (
        "After delete-recording at 0d, 4 parties can still reach 21 copies (21 may remain): "
        "Advertising partners that sync cookies with Amazon (1: Synced advertising identifier); "
        "Amazon (15: "
    )
    assert answer in html.replace("&#39;", "'")
    assert answer in markdown
    sentence = (
        "After delete-recording at 0d: 21 copies of 13 records may remain with 4 parties "
        "(7 stated, 2 reported, 4 research, 5 assumed, 3 unknown); 3 were deleted; "
        "9 were transient. Transient at every holder: Response audio."
    )
    assert sentence in html
    assert sentence in markdown


def test_each_interaction_shows_the_answer_then_who_can_access_then_the_diagram_then_details(
    html, dot
):
    section = html.split('<section id="interaction-dominos-order">')[1].split("</section>")[0]
    marks = [
        'class="answer"',
        'table class="access"',
        'class="diagram-page"',
        'table class="copies"',
        'table class="recipients"',
        'aria-label="Retention timeline"',
    ]
    positions = [section.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_several_interactions_get_an_overview_table_and_a_contents_list(html, markdown):
    overview = html.split('<table class="overview">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", overview, flags=re.S)
    assert len(rows) == 1 + len(PURCHASES)
    music = next(row for row in rows if "music-unlimited" in row)
    # Domino's gets nothing from a music subscription
    assert music.endswith('<td><span class="meta">nothing</span></td>')
    assert (
        '<span title="Account-linking token (accessToken), Action record, Skill request, '
        'The developer&#39;s own account for the user, Transaction record">5 may remain' in overview
    )
    assert (
        "After delete-recording at 0d, 4 parties can still reach copies of these 2 interactions, "
        "from all 2: Amazon; Annotators (Amazon employees and contractors who review clips); and "
        "from some: Advertising partners that sync cookies with Amazon (dominos-order); "
        "Domino&#39;s Pizza (dominos-order)." in html
    )
    contents = html.split('<nav class="contents"')[1].split("</nav>")[0]
    for target in ("#overview", "#access-dominos-order", "#copies-music-unlimited", "#sources"):
        assert f'href="{target}"' in contents
        assert f'id="{target[1:]}"' in html
    assert "## Who can still access what, across the interactions" in markdown
    assert "## Contents" in markdown


def test_the_report_names_the_model_requests_query_time_and_version(html, markdown):
    for text in (html, markdown):
        assert "Amazon Alexa (2019)" in text
        assert "delete-recording</strong> at 0d" in text or "**delete-recording** at 0d" in text
        assert "Status at 0d" in text
        assert f"tracer {tracer.__version__}" in text


def test_every_copy_is_a_row_those_that_remain_first(alexa, html):
    table = html.split('<table class="copies">')[1].split("</table>")[0]
    statuses = re.findall(r'<span class="status (\w+)">', table)
    expected = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    assert len(statuses) == len(expected.copies)
    rank = {"held": 0, "may_remain": 1, "deleted": 2, "expired": 3, "transient": 4}
    assert [rank[s] for s in statuses] == sorted(rank[s] for s in statuses)


def test_each_row_links_to_its_sources_and_every_linked_source_is_listed(html):
    linked = set(re.findall(r'href="#src-([a-z0-9_.:-]+)"', html))
    listed = set(re.findall(r'<li id="src-([a-z0-9_.:-]+)">', html))
    assert "amazon-coons-2019" in linked
    assert linked == listed
    assert (
        '<a href="https://wccftech.com/alexa-keeps-your-recordings-indefinitely-unless-manually-deleted/">'
        in html
    )


def test_recipients_to_notify_are_every_party_but_the_platform_that_received_records(alexa):
    report = build_report(alexa, ["dominos-order"], ["delete-recording"], diagrams=False)
    recipients = {r.party: r.records for r in report.sections[0].recipients}
    assert recipients == {
        "ad_partners": ("Synced advertising identifier",),
        "annotators": (
            "Annotation",
            "Geolocation (from the Alexa app)",
            "Identifiers shown with a reviewed clip",
            "Transcript",
            "Voice recording",
        ),
        "dominos": (
            "Account-linking token (accessToken)",
            "Action record",
            "Skill request",
            "The developer's own account for the user",
            "Transaction record",
        ),
    }


def test_who_can_still_access_what_lists_each_party_with_its_copies(alexa):
    report = build_report(alexa, ["dominos-order"], ["delete-recording"], diagrams=False)
    reach = {r.party: r for r in report.sections[0].reach}
    assert [c.id for c in reach["dominos"].may_remain] == [
        "dominos_backend/action_record",
        "dominos_backend/developer_account",
        "dominos_backend/link_token",
        "dominos_backend/skill_request",
        "dominos_backend/transaction_record",
    ]
    assert reach["dominos"].words == "5 may remain"
    assert "user" not in reach  # the user keeps nothing after the order


def test_the_html_is_self_contained_with_inline_svg_and_no_script(html):
    assert "<script" not in html.lower()
    assert not re.search(r"<(img|link|iframe|object|embed)\b", html, flags=re.I)
    assert not re.search(r"\s(src|srcset)=", html)
    assert "@import" not in html and "url(http" not in html
    assert html.count('aria-label="Retention timeline"') == len(PURCHASES)


def test_the_html_draws_each_interaction_as_an_inline_svg(html, dot):
    assert html.count('<svg class="diagram"') == len(PURCHASES)


def test_the_markdown_has_mermaid_diagrams_and_the_same_tables(markdown):
    assert markdown.count("```mermaid\nflowchart LR\n") == len(PURCHASES)
    assert "| holder | party | record | status | reason | evidence | confidence |" in markdown
    assert "### Recipients to notify of an erasure (GDPR Art. 19)" in markdown
    assert "### Retention timeline" in markdown
    assert "[amazon-coons-2019](#src-amazon-coons-2019)" in markdown


HOSTILE = '<script>alert("x")</script> | *bold* `code` [link](javascript:alert(1)) & "quotes"'


@pytest.fixture(scope="module")
def hostile_model() -> tracer.Model:
    data = {
        "format": "tracer/1",
        "name": HOSTILE,
        "sources": {"s": {"title": HOSTILE, "publisher": HOSTILE, "url": "javascript:alert(1)"}},
        "parties": {"a": {"name": HOSTILE}, "b": {"name": HOSTILE, "role": "processor"}},
        "records": {"r": {"name": HOSTILE}},
        "holders": {
            "h": {
                "name": HOSTILE,
                "party": "a",
                "keeps": {
                    "r": {
                        "for": "forever",
                        "deleted_by": ["d"],
                        "evidence": ["s"],
                        "confidence": "stated",
                        "note": HOSTILE,
                    }
                },
            },
            "k": {
                "name": HOSTILE,
                "party": "b",
                "keeps": {
                    "r": {
                        "for": "unknown",
                        "evidence": ["s"],
                        "confidence": "stated",
                        "note": HOSTILE,
                    }
                },
            },
        },
        "flows": [
            {"from": "h", "to": "k", "carries": ["r"], "evidence": ["s"], "confidence": "stated"}
        ],
        "interactions": {"i": {"name": HOSTILE, "starts": {"h": ["r"]}}},
        "deletions": {"d": {"name": HOSTILE}},
    }
    return tracer.parse_model(yaml.safe_dump(data))


def test_hostile_names_are_text_in_the_html(hostile_model, tmp_path):
    path = tracer.write_report(hostile_model, tmp_path / "r.html", ["i"], ["d"])
    text = path.read_text()
    assert "<script" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
    assert 'href="javascript' not in text


def test_hostile_names_are_text_in_the_markdown(hostile_model, tmp_path):
    text = tracer.write_report(hostile_model, tmp_path / "r.md", ["i"], ["d"]).read_text()
    assert "<script" not in text
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # only as escaped text, never a link
    escaped = r'&lt;script&gt;alert("x")&lt;/script&gt; \| \*bold\* \`code\` \[link\](javascript:alert(1)) & "quotes"'
    assert escaped in text
    # every table row still has exactly its columns: no pipe escaped its cell
    for line in text.splitlines():
        if line.startswith("| `h` |") or line.startswith("| `k` |"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 8


def test_a_report_needs_a_known_suffix_and_an_interaction(alexa, tmp_path):
    with pytest.raises(tracer.OutputError, match="use .html or .md"):
        tracer.write_report(alexa, tmp_path / "r.pdf", ["weather"])
    with pytest.raises(tracer.RequestError, match="at least one interaction"):
        tracer.write_report(alexa, tmp_path / "r.md", [])


def test_the_same_input_gives_the_same_markdown(alexa):
    first = render_report(
        build_report(alexa, PURCHASES, ["delete-recording"], diagrams=False, generated=WHEN), ".md"
    )
    second = render_report(
        build_report(alexa, PURCHASES, ["delete-recording"], diagrams=False, generated=WHEN), ".md"
    )
    assert first == second


@pytest.mark.browser
def test_the_html_report_in_a_real_headless_chromium(alexa, tmp_path, browser, dot):
    path = tracer.write_report(alexa, tmp_path / "report.html", PURCHASES, ["delete-recording"])
    errors, requests = [], []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        assert page.title() == "Amazon Alexa (2019): dominos-order, music-unlimited"
        assert page.locator("svg.diagram").first.is_visible()
        assert page.locator("svg.diagram").first.bounding_box()["width"] > 600
        assert page.locator("table.copies").first.is_visible()
        assert page.locator("table.recipients").first.is_visible()
        assert page.locator("figure.timeline svg").first.is_visible()
        shot = page.screenshot(full_page=True)
        from axe_playwright_python.sync_playwright import Axe

        violations = Axe().run(page).response["violations"]
        assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    finally:
        page.close()
    assert errors == []
    assert requests == [path.as_uri()]
    assert_painted(browser, shot)


def test_the_timeline_axis_is_scaled_to_the_data_and_open_ended_copies_fade(tmp_path):
    from conftest import model

    from tracer.render.timeline import timeline_end, timeline_svg

    m = model("""
    holders:
      tax: {name: Tax archive, party: acme, keeps: {audio: {for: 7y}}}
      app: {name: App, party: acme, keeps: {audio: {for: until_deleted, deleted_by: [wipe]}}}
      crm: {name: CRM, party: other, keeps: {audio: {for: unknown}}}
      log: {name: Log, party: acme, keeps: {audio: {for: 30d}}}
    flows:
      - {from: app, to: tax, carries: [audio]}
      - {from: app, to: crm, carries: [audio]}
      - {from: app, to: log, carries: [audio]}
    interactions: {i: {name: I, starts: {app: [audio]}}}
    deletions: {wipe: {name: Wipe}}
    """)
    result = tracer.trace(m, "i", ["wipe@60d"])
    ends = {c.id: timeline_end(c) for c in result.copies}
    assert ends == {
        "tax/audio": (2555, "held until 7y"),
        "app/audio": (60, "deleted at 2mo"),
        "crm/audio": (None, "may remain: kept for an unknown time"),
        "log/audio": (30, "expired at 1mo"),
    }
    svg = timeline_svg(result)
    ticks = re.findall(r'fill="#555">([^<]+)</text>', svg)
    assert ticks == ["0", "2y", "4y", "6y", "8y"]
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 4 and len(set(widths)) == 4  # never identical full bars
    assert svg.count('fill="url(#fade-may_remain-unknown)"') == 1  # the unknown one fades...
    assert svg.count('marker-end="url(#open-end)"') == 1  # ...into an arrow


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points: with pypdf when it is installed, else from the
    PDF's own ``/Type /Page`` objects and their ``/MediaBox`` (Chromium writes both plainly)."""
    try:
        import io

        import pypdf
    except ImportError:
        pages = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[([^\]]*)\]", data, flags=re.S)
        if not pages:  # the box written before the type
            pages = re.findall(
                rb"/MediaBox\s*\[([^\]]*)\][^>]*?/Type\s*/Page\b(?!s)", data, flags=re.S
            )
        return [tuple(map(float, box.split()))[2:] for box in pages]
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def printed(browser, path, pdf):
    """``path`` opened in Chromium, as it prints: the PDF written to ``pdf``; its pages' sizes."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    finally:
        page.close()
    return pdf_pages(pdf.read_bytes())


@pytest.mark.browser
def test_the_report_fits_a_700px_window_with_each_diagram_whole_and_full_size_when_asked(
    alexa, tmp_path, browser, dot
):
    path = tracer.write_report(alexa, tmp_path / "report.html", PURCHASES, ["delete-recording"])
    page = browser.new_page(viewport={"width": 700, "height": 900})
    try:
        page.goto(path.as_uri())
        # nothing is cut off: the page never scrolls sideways, wide tables scroll in their box
        assert page.evaluate("document.documentElement.scrollWidth") <= 700
        for selector in ("table.copies", "table.access", "table.overview"):
            box = page.locator(selector).first.evaluate(
                "t => [t.parentElement.className, t.parentElement.clientWidth]"
            )
            assert box[0] == "scroll" and box[1] <= 700
        # the whole diagram in the column first, not the corner of a 3,000-point drawing
        fitted = page.locator(".diagram-fitted svg.diagram").first.bounding_box()
        assert 500 < fitted["width"] <= 700
        # and at its natural size, in a frame that scrolls, when asked
        page.locator("details.full-size summary").first.click()
        frame = page.locator(".diagram-frame").first
        natural = frame.evaluate("f => f.querySelector('svg').getBoundingClientRect().width")
        assert natural > 2000
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
        page.emulate_media(media="print")
        # on paper every source shows its address
        after = page.locator("ol.sources a[href]").first.evaluate(
            "a => getComputedStyle(a, '::after').content"
        )
        assert after.startswith('" <') or "attr(href)" in after or "https://" in after
        figure = page.locator("figure.diagram-page").first
        assert figure.evaluate("f => getComputedStyle(f).page") == "diagram"
        assert page.locator("svg.tile").count() == 0  # no pieces unless asked
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.usefixtures("dot")
def test_two_interactions_print_in_under_15_pages_each_diagram_whole_on_one_landscape_page(
    alexa, tmp_path, browser
):
    path = tracer.write_report(alexa, tmp_path / "report.html", PURCHASES, ["delete-recording"])
    pages = printed(browser, path, tmp_path / "report.pdf")
    assert len(pages) < 15
    landscape = [(w, h) for w, h in pages if w > h]
    assert len(landscape) == len(PURCHASES)  # one page per diagram, showing all of it
    for width, height in landscape:
        assert (round(width), round(height)) == (842, 595)  # A4
    # the fitted drawing is within its page: nothing of it is cut off
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        for figure in page.locator(".diagram-fitted svg.diagram").all():
            box = figure.bounding_box()
            assert box["width"] <= 281 * 96 / 25.4 + 1 and box["height"] <= 180 * 96 / 25.4 + 1
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.usefixtures("dot")
def test_with_print_pieces_each_diagram_is_followed_by_its_full_size_pieces(
    alexa, tmp_path, browser
):
    path = tracer.write_report(
        alexa, tmp_path / "report.html", ["dominos-order"], ["delete-recording"], print_pieces=True
    )
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        tiles = page.locator("svg.tile")
        assert tiles.count() >= 2
        for index in range(tiles.count()):
            tile = tiles.nth(index)
            assert tile.evaluate("t => getComputedStyle(t.parentElement).page") == "diagram"
            scale = tile.evaluate(
                "t => t.getBoundingClientRect().width / (t.viewBox.baseVal.width * 96 / 72)"
            )
            assert scale * 9 >= 6.99  # the diagram's 9 pt text prints at 7 pt or more
    finally:
        page.close()
    pages = printed(browser, path, tmp_path / "pieces.pdf")
    assert sum(1 for w, h in pages if w > h) == 1 + tiles_of(path)


def tiles_of(path) -> int:
    return path.read_text(encoding="utf-8").count('<svg class="tile"')


def test_the_report_says_how_it_was_made(alexa, tmp_path):
    model_file = tracer.default_model_path()
    path = tracer.write_report(
        alexa,
        tmp_path / "report.md",
        PURCHASES,
        ["delete-recording"],
        protect=model_file,
        generated="2026-01-02T03:04:05Z",
    )
    import hashlib

    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    assert (
        f"**How this report was made.** Generated at 2026-01-02T03:04:05Z by tracer "
        f"{tracer.__version__} from the model Amazon Alexa (2019) (`{model_file}`, SHA-256 "
        f"`{digest}`). Requests: delete-recording at 0d; query time 0d. Scope: 2 of the model's "
        f"{len(alexa.interactions)} interactions (`dominos-order`, `music-unlimited`); "
        "not covered: `amazon-pay-purchase`, "
    ) in text
    html = tracer.write_report(
        alexa, tmp_path / "report.html", PURCHASES, ["delete-recording"], protect=model_file
    ).read_text(encoding="utf-8")
    provenance = html.split('<dl id="provenance">')[1].split("</dl>")[0]
    assert f'<span class="id">{digest}</span>' in provenance
    assert re.search(r"<dt>generated at</dt><dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</dd>", provenance)


def test_the_claims_section_holds_only_claims_about_the_reports_interactions(alexa):
    from tracer.claims import check

    every = check(alexa)
    report = build_report(alexa, ["weather"], ["delete-recording"], diagrams=False)
    shown = {c.claim for c in report.claims}
    about = {c.claim for c in every if any(f.interaction == "weather" for f in c.findings)}
    assert shown == about
    assert shown < {c.claim for c in every}  # some are about other interactions only


def test_the_timeline_rows_are_labelled_by_names(alexa):
    report = build_report(alexa, ["dominos-order"], ["delete-recording"], diagrams=False)
    svg = report.sections[0].timeline_svg
    assert (
        '<text x="392" y="67" text-anchor="end">Synced advertising identifier at Ad partners'
        "<title>Synced advertising identifier at Ad partners (ad_partners/ad_identifier)</title>"
    ) in svg
    assert ">voice_history/voice_recording<" not in svg


def test_a_source_read_elsewhere_says_where_and_one_known_only_as_quoted_says_so():
    model = tracer.load_model(Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml")
    text = render_report(build_report(model, ["weather"], ["dont-save"], diagrams=False), ".md")
    email = next(line for line in text.splitlines() if "**amazon-email-2025**" in line)
    assert email.endswith(
        "; read at <https://worldofsoftware.org/amazon-alexa-users-issued-urgent-warning-ahead-of-"
        "unforgivable-privacy-change>; not verified: known only as quoted."
    )
    repost = next(line for line in text.splitlines() if "**amazon-privacy-2020**" in line)
    assert repost.endswith(", Amazon, 2020-10.")
