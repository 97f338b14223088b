"""Reports: the content a reader needs, escaped model strings, and a real browser's view."""

from __future__ import annotations

import re

import pytest
import yaml
from pixels import assert_painted

import tracer
from tracer.render.report import build_report, render_report

PURCHASES = ["dominos-order", "music-unlimited"]


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
        "After delete-recording at 0d, 4 parties can still reach 19 copies (19 may remain): "
        "Advertising partners that sync cookies with Amazon (1: Synced advertising identifier); "
        "Amazon (13: "
    )
    assert answer in html.replace("&#39;", "'")
    assert answer in markdown
    sentence = (
        "After delete-recording at 0d: 19 copies of 12 records may remain with 4 parties "
        "(5 stated, 2 reported, 4 research, 7 assumed, 1 unknown); 3 were deleted; "
        "10 were transient. Transient at every holder: Response audio."
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
        "annotators": ("Annotation", "Device location", "Transcript", "Voice recording"),
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
        build_report(alexa, PURCHASES, ["delete-recording"], diagrams=False), ".md"
    )
    second = render_report(
        build_report(alexa, PURCHASES, ["delete-recording"], diagrams=False), ".md"
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


@pytest.mark.browser
def test_the_report_fits_a_700px_window_and_prints_diagrams_on_landscape_pages(
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
        frame = page.locator(".diagram-frame").first
        # the diagram at its natural size, in a frame that scrolls
        natural = frame.evaluate("f => f.querySelector('svg').getBoundingClientRect().width")
        assert natural > 2000
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
        assert frame.evaluate("f => getComputedStyle(f).overflow") == "auto"
        page.emulate_media(media="print")
        # on paper every source shows its address
        after = page.locator("ol.sources a[href]").first.evaluate(
            "a => getComputedStyle(a, '::after').content"
        )
        assert after.startswith('" <') or "attr(href)" in after or "https://" in after
        # each diagram prints on landscape pages, in pieces that keep its 9 pt text >= 7 pt
        tiles = page.locator("svg.tile")
        assert tiles.count() >= 2 * len(PURCHASES)
        for index in range(tiles.count()):
            tile = tiles.nth(index)
            assert tile.evaluate("t => getComputedStyle(t.parentElement).page") == "diagram"
            scale = tile.evaluate(
                "t => t.getBoundingClientRect().width / (t.viewBox.baseVal.width * 96 / 72)"
            )
            assert scale * 9 >= 6.99
            assert tile.evaluate("t => t.getBoundingClientRect().width") <= 281 * 96 / 25.4 + 1
        page.pdf(path=str(tmp_path / "report.pdf"), prefer_css_page_size=True)
    finally:
        page.close()
    pdf = (tmp_path / "report.pdf").read_bytes()
    boxes = [tuple(map(float, box.split())) for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)]
    assert sum(1 for _, _, w, h in boxes if w > h) >= 2 * len(PURCHASES)  # landscape pages
