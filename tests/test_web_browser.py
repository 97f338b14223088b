"""The explorer in a real headless Chromium (the shared `browser` fixture): the page answers as
the library does, follows the controls at once, and fetches nothing but its own server."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from pixels import assert_painted, pixels

import tracer
from tracer.web import create_app, running

pytestmark = pytest.mark.browser

ORDER = "/?interaction=dominos-order"


@pytest.fixture(scope="module")
def server():
    with running(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def server_2025():
    with running(create_app(Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml")) as url:
        yield url


@contextmanager
def opened(browser, url, *, width=1440, height=900):
    """A page on ``url`` that records console errors and every URL it asks for."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.errors, page.requested = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    try:
        page.goto(url)
        yield page
    finally:
        page.close()


def status_of(page, copy_id):
    return page.locator(f"#copies tr[data-copy='{copy_id}'] .status")


def test_switching_on_delete_recording_deletes_the_recording_and_the_transcript_may_remain(
    server, browser
):
    with opened(browser, server + ORDER) as page:
        page.wait_for_selector("body[data-ready]")
        assert status_of(page, "voice_history/voice_recording").inner_text() == "held"
        page.check("input[data-request='delete-recording']")
        page.locator("#copies tr[data-copy='voice_history/voice_recording'] .status-deleted").wait_for()
        assert status_of(page, "voice_history/voice_recording").inner_text() == "deleted"
        assert status_of(page, "voice_history/transcript").inner_text() == "deleted"
        for other in ("alexa_subsystems/transcript", "annotation_pool/transcript"):
            assert status_of(page, other).inner_text() == "may remain"
        assert page.locator("#summary").inner_text().startswith(
            "After delete-recording at 0d: 19 copies of 12 records may remain with 4 parties"
        )
        assert "delete=delete-recording" in page.url  # a reload keeps the state

        page.click("#copies tr[data-copy='alexa_subsystems/transcript'] button.copy-link")
        page.locator("#detail-copy").wait_for()
        detail = page.locator("#detail")
        assert "alexa_subsystems/transcript" in detail.inner_text()
        assert [a.inner_text() for a in detail.locator("ol.path > li > b").all()] == [
            "capture", "speech-recognition", "store-voice-history", "copy-to-subsystems"
        ]
        source = detail.locator("ul.sources li[data-source='amazon-coons-2019'] a")
        assert source.get_attribute("href").startswith("https://")
        assert source.get_attribute("rel") == "noopener noreferrer"
        page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
        # two animation frames: the scroll painted before the shot (a shot taken while a wheel
        # scroll was still settling came out blank now and then)
        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        shot = page.screenshot()
        assert page.errors == []
        assert all(url.startswith(server) for url in page.requested), page.requested
    assert_painted(browser, shot)


def test_a_blank_screenshot_is_told_by_its_pixels(browser):
    page = browser.new_page(viewport={"width": 400, "height": 300})
    try:
        page.set_content("<body style='background:#fff'></body>")
        blank = page.screenshot()
        page.set_content("<body style='background:#fff'><p>one line of text</p></body>")
        sparse = page.screenshot()
    finally:
        page.close()
    assert pixels(browser, blank)[1:] == (400 * 300, 1)  # every pixel the background's
    with pytest.raises(AssertionError, match="a blank screenshot"):
        assert_painted(browser, blank)
    total, background, colours = pixels(browser, sparse)
    assert total == 400 * 300 and background < total and colours > 1


def test_clicking_a_party_shows_everything_it_can_still_reach(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        page.locator("#parties tr[data-party='dominos'] button.party-link").click()
        page.locator("#detail-party").wait_for()
        detail = page.locator("#detail")
        assert page.locator("#detail-party").inner_text() == "Domino's Pizza"
        assert "can still reach 5 copies: 0 held, 5 that may remain." in detail.inner_text()
        assert [b.get_attribute("data-copy") for b in detail.locator("ul.reach button").all()] == [
            "dominos_backend/action_record",
            "dominos_backend/developer_account",
            "dominos_backend/link_token",
            "dominos_backend/skill_request",
            "dominos_backend/transaction_record",
        ]
        assert page.errors == []


def test_moving_the_query_time_shows_the_state_before_and_after_a_scheduled_request(
    server_2025, browser
):
    # the shipped model of 2019 schedules no request; today's (2025) has auto-delete
    with opened(browser, server_2025 + ORDER + "&delete=auto-delete-3mo") as page:
        page.locator("#copies tr[data-copy='voice_history/voice_recording'] .status-deleted").wait_for()
        assert page.locator("#at-value").inner_text() == "90d (≈ 3 months), the latest request"
        page.focus("#at")
        page.keyboard.press("Home")  # back to the day of the interaction
        page.locator("#copies tr[data-copy='voice_history/voice_recording'] .status-held").wait_for()
        assert page.locator("#at-value").inner_text() == "0d (0 days)"
        assert "at=0d" in page.url
        page.click("#at-latest")
        page.locator("#copies tr[data-copy='voice_history/voice_recording'] .status-deleted").wait_for()
        assert page.errors == []


def test_a_bad_request_time_is_shown_in_words_and_the_page_keeps_working(server, browser):
    with opened(browser, server + ORDER) as page:
        page.wait_for_selector("body[data-ready]")
        page.check("input[data-request='delete-recording']")
        page.fill("input[data-request-time='delete-recording']", "soon")
        page.locator("#error").wait_for()
        assert page.locator("#error").inner_text() == (
            "'soon' is not a duration: write a whole number and a unit, like 30d, 2w, 3mo or 7y"
        )
        page.fill("input[data-request-time='delete-recording']", "30d")
        page.locator("#error").wait_for(state="hidden")
        assert page.locator("#at-value").inner_text() == "30d (30 days), the latest request"


@pytest.mark.usefixtures("dot")
def test_the_diagram_zooms_and_its_copies_are_clickable(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        node = page.locator("#diagram g.node[data-copy='alexa_subsystems/transcript']")
        node.wait_for()
        before = page.get_attribute("#diagram svg", "viewBox")
        page.click("#zoom-in")
        zoomed = page.get_attribute("#diagram svg", "viewBox")
        width = lambda box: float(box.split()[2])  # noqa: E731
        assert width(zoomed) == pytest.approx(width(before) / 1.25)
        page.click("#zoom-fit")
        assert page.get_attribute("#diagram svg", "viewBox") == before
        node.click()
        page.locator("#detail-copy[data-copy='alexa_subsystems/transcript']").wait_for()
        assert "selected" in node.get_attribute("class")
        assert page.locator("#diagram g.edge.on-path").count() == 4
        assert page.errors == []


def test_hostile_names_show_as_text_and_run_nothing(browser, tmp_path):
    from test_web import HOSTILE

    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    with running(create_app(path)) as url, opened(browser, url + "/?delete=wipe") as page:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.locator("#copies tr[data-copy='out.box/note:1'] .status-may_remain").wait_for()
        assert page.locator("h1").inner_text() == "<script>alert('model')</script> & \"quotes\""
        assert page.locator("#interaction option").inner_text() == (
            "<script>alert('interaction')</script> (talk:100:)"
        )
        page.click("#copies tr[data-copy='out.box/note:1'] button.copy-link")
        page.locator("#detail-copy").wait_for()
        assert page.locator("#detail h2").inner_text() == "</script><b>Note</b>"
        assert page.locator("#detail a[href^='javascript']").count() == 0
        assert dialogs == [] and page.errors == []


def _rewrite(path, text):
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_editing_the_model_reloads_the_page_and_a_broken_one_shows_its_errors(browser, tmp_path):
    from test_web import HOSTILE

    path = tmp_path / "model.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    with running(create_app(path)) as url, opened(browser, url + "/?delete=wipe") as page:
        page.locator("#copies tr[data-copy='out.box/note:1']").wait_for()
        _rewrite(path, HOSTILE.replace("party: acme, kind: store", "party: acmee, kind: store"))
        problem = page.locator("#problems li")
        problem.wait_for(timeout=10_000)
        assert problem.inner_text() == (
            f"{path}:12: holders.inbox:100:.party: unknown party 'acmee'; did you mean 'acme'?"
        )
        _rewrite(path, HOSTILE.replace("Out {box}", "Outbox"))
        page.locator("#copies tr[data-copy='out.box/note:1']").wait_for(timeout=10_000)
        assert re.search(r"[?&]delete=wipe", page.url)  # the state survived the reloads
        assert "</script><b>Note</b> at Outbox | " in page.locator("#copies").inner_text()


def test_with_a_ledger_a_user_search_shows_one_persons_records_by_party(browser, tmp_path):
    from test_web import small_ledger

    from tracer.ledger import holds, open_ledger

    ledger_path = small_ledger(tmp_path)
    with open_ledger(ledger_path) as ledger:
        expected = holds(ledger, "u00002")
    app = create_app(ledger_path=ledger_path)
    with running(app) as url, opened(browser, url + ORDER) as page:
        page.locator("#user-search").wait_for()
        page.fill("#user", "u00002")
        page.press("#user", "Enter")
        page.locator("#detail-user").wait_for()
        rows = page.locator("#detail table.user-parties tbody tr")
        assert [r.get_attribute("data-user-party") for r in rows.all()] == list(expected["parties"])
        assert f"{len(expected['copies'])} copies from" in page.locator("#detail").inner_text()
        assert "user=u00002" in page.url
        page.fill("#user", "nobody")
        page.press("#user", "Enter")
        page.locator("#detail-error").wait_for()
        assert page.locator("#detail-error").inner_text() == "unknown user 'nobody'"
        # the browser itself logs the 404 it got for the unknown user; nothing else went wrong
        assert [e for e in page.errors if "status of 404" not in e] == []


def test_without_graphviz_the_page_says_so_where_the_diagram_would_be(server, browser, monkeypatch):
    monkeypatch.setattr("tracer.web.diagram.graphviz_available", lambda: False)
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        page.locator("#no-diagram").wait_for()
        assert page.locator("#no-diagram").inner_text().startswith(
            "Graphviz's `dot` is not installed, so there is no diagram"
        )
        assert status_of(page, "voice_history/voice_recording").inner_text() == "deleted"
        assert page.errors == []
