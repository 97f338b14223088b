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


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert [v for v in bad if v[1] in ("serious", "critical")] == []


def status_of(page, copy_id):
    return page.locator(f"#copies tr[data-copy='{copy_id}'] .status")


def test_switching_on_delete_recording_deletes_the_recording_and_the_transcript_may_remain(
    server, browser
):
    with opened(browser, server + ORDER) as page:
        page.wait_for_selector("body[data-ready]")
        assert status_of(page, "voice_history/voice_recording").inner_text() == "held"
        page.check("input[data-request='delete-recording']")
        page.locator(
            "#copies tr[data-copy='voice_history/voice_recording'] .status-deleted"
        ).wait_for()
        assert status_of(page, "voice_history/voice_recording").inner_text() == "deleted"
        assert status_of(page, "voice_history/transcript").inner_text() == "deleted"
        for other in ("alexa_subsystems/transcript", "annotation_pool/transcript"):
            assert status_of(page, other).inner_text() == "may remain"
        assert page.locator("#summary").inner_text() == tracer.summary(
            tracer.trace(tracer.load_model(), "dominos-order", ["delete-recording"])
        )
        assert "delete=delete-recording" in page.url  # a reload keeps the state

        page.click("#copies tr[data-copy='alexa_subsystems/transcript'] button.copy-link")
        page.locator("#detail-copy").wait_for()
        detail = page.locator("#detail")
        assert "alexa_subsystems/transcript" in detail.inner_text()
        assert [a.inner_text() for a in detail.locator("ol.path > li > b").all()] == [
            "capture",
            "speech-recognition",
            "store-voice-history",
            "copy-to-subsystems",
        ]
        source = detail.locator("ul.sources li[data-source='amazon-coons-2019'] a")
        assert source.get_attribute("href").startswith("https://")
        assert source.get_attribute("rel") == "noopener noreferrer"
        page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
        # two animation frames: the scroll painted before the shot (a shot taken while a wheel
        # scroll was still settling came out blank now and then)
        page.evaluate(
            "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
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
        page.locator(
            "#copies tr[data-copy='voice_history/voice_recording'] .status-deleted"
        ).wait_for()
        assert page.locator("#at-value").inner_text() == "90d (≈ 3 months), the latest request"
        page.focus("#at")
        page.keyboard.press("Home")  # back to the day of the interaction
        page.locator(
            "#copies tr[data-copy='voice_history/voice_recording'] .status-held"
        ).wait_for()
        assert page.locator("#at-value").inner_text() == "0d (0 days)"
        assert "at=0d" in page.url
        page.click("#at-latest")
        page.locator(
            "#copies tr[data-copy='voice_history/voice_recording'] .status-deleted"
        ).wait_for()
        assert page.errors == []


def test_a_bad_request_time_is_shown_in_words_dims_the_last_answer_and_the_page_keeps_working(
    server, browser
):
    with opened(browser, server + ORDER) as page:
        page.wait_for_selector("body[data-ready]")
        page.check("input[data-request='delete-recording']")
        page.locator(
            "#copies tr[data-copy='voice_history/voice_recording'] .status-deleted"
        ).wait_for()
        page.fill("input[data-request-time='delete-recording']", "soon")
        page.locator("#error").wait_for()
        assert page.locator("#error").inner_text() == (
            "'soon' is not a duration: write a whole number and a unit, like 30d, 2w, 3mo or 7y. "
            "The answer below is for the last question that worked."
        )
        assert "stale" in page.get_attribute("#answer", "class")
        assert_accessible(page)
        page.fill("input[data-request-time='delete-recording']", "30d")
        page.locator("#error").wait_for(state="hidden")
        assert "stale" not in page.get_attribute("#answer", "class")
        assert page.locator("#at-value").inner_text() == "30d (30 days), the latest request"


@pytest.mark.usefixtures("dot")
def test_the_diagram_zooms_and_an_opened_partys_copies_are_clickable(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording&expand=amazon") as page:
        node = page.locator("#diagram g.node[data-copy='alexa_subsystems/transcript']")
        node.wait_for()
        page.click("#zoom-fit")
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
        # the path runs through four edges: inside Amazon's opened box, one by one
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
        # in the centre of the page, under the search, not in a side panel
        rows = page.locator("#ledger-view table.user-parties tbody tr")
        assert [r.get_attribute("data-user-party") for r in rows.all()] == list(expected["parties"])
        assert f"{len(expected['copies'])} copies from" in page.locator("#ledger-view").inner_text()
        # the letters the person can send, one per party that may still hold their copies
        page.locator("#ledger-view li[data-letter]").first.wait_for()
        letters = page.locator("#ledger-view li[data-letter] a")
        assert letters.first.get_attribute("href").startswith("/letters/u00002/")
        assert letters.first.get_attribute("download").endswith(".md")
        search, found = (
            page.locator("#user-search").bounding_box(),
            page.locator("#ledger-view").bounding_box(),
        )
        assert found["y"] >= search["y"] + search["height"] and found["x"] == pytest.approx(
            search["x"]
        )
        assert "user=u00002" in page.url
        assert_accessible(page)
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
        assert (
            page.locator("#no-diagram")
            .inner_text()
            .startswith("Graphviz's `dot` is not installed, so there is no diagram")
        )
        assert status_of(page, "voice_history/voice_recording").inner_text() == "deleted"
        assert page.errors == []


# ---- issue 22: the answer at a glance, on a laptop and a phone --------------------------------

SIZES = [pytest.param((1440, 900), id="laptop"), pytest.param((390, 844), id="phone")]
FEATURED = tracer.trace(tracer.load_model(), "dominos-order", ["delete-recording"])


def smallest_diagram_text(page):
    """The smallest text of the diagram as drawn now, in CSS px."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('#diagram svg text')]
             .map(t => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size'))))"""
    )


def inside_viewport(page, selector, height):
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("size", SIZES)
def test_the_explorer_opens_on_the_featured_question_with_the_answer_in_the_first_screen(
    server, browser, size
):
    from tracer.render.headline import headline

    width, height = size
    with opened(browser, server + "/", width=width, height=height) as page:
        page.wait_for_selector("body[data-ready]")
        assert "interaction=dominos-order" in page.url and "delete=delete-recording" in page.url
        text = headline(tracer.load_model(), FEATURED).text
        assert page.locator("#headline").inner_text() == text
        assert text.startswith('After "Delete one recording in Voice History (Alexa app or Privacy')
        assert "4 companies may still hold 21 copies: Amazon (10)" in text
        rows = page.locator("#holdings tbody tr")
        assert [r.get_attribute("data-party") for r in rows.all()] == [
            "amazon",
            "annotators",
            "dominos",
            "ad_partners",
        ]
        cell = page.locator("#holdings tr[data-party='amazon'] td[data-record='transcript']")
        assert cell.inner_text().split() == ["may", "remain", "stated"]
        # both inside the first screen, without scrolling; the page never scrolls sideways
        assert page.evaluate("window.scrollY") == 0
        assert inside_viewport(page, "#headline", height)
        assert inside_viewport(page, "#holdings", height)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # the diagram comes after them
        assert (
            page.locator("#diagram").bounding_box()["y"]
            > page.locator("#holdings").bounding_box()["y"]
        )
        assert_accessible(page)
        assert page.errors == []


@pytest.mark.usefixtures("dot")
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "expand",
    ["", "&expand=*", "&expand=amazon&copy=alexa_subsystems/transcript"],
    ids=["collapsed", "opened", "a-copy-selected"],
)
def test_the_diagram_text_is_never_under_10_css_px_at_the_default_zoom(
    server, browser, size, expand
):
    width, height = size
    url = server + ORDER + "&delete=delete-recording" + expand
    with opened(browser, url, width=width, height=height) as page:
        page.locator("#diagram svg").wait_for()
        page.wait_for_selector("body[data-ready]")
        if "copy=" in expand:  # its sheet open beside (or over) the drawing
            page.locator("#detail-copy").wait_for()
            page.evaluate(
                "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
            )
        assert smallest_diagram_text(page) >= 10
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)


@pytest.mark.usefixtures("dot")
def test_parties_are_boxes_of_counts_that_open_on_click_and_close_all_at_once(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        amazon = page.locator("#diagram g.node[data-party='amazon']")
        amazon.wait_for()
        assert amazon.locator("text").all_text_contents() == [
            "Amazon",
            "10 may remain",
            "3 deleted",
            "6 transient",
        ]
        assert page.locator("#diagram g.node[data-copy]").count() == 0
        amazon.click()
        page.locator("#diagram g.node[data-copy='alexa_subsystems/transcript']").wait_for()
        assert "expand=amazon" in page.url
        assert page.locator("#detail-party").inner_text() == "Amazon"
        assert_accessible(page)  # a box opened, the party's sheet open
        page.click("#expand-all")
        page.locator("#diagram g.node[data-copy='dominos_backend/skill_request']").wait_for()
        assert_accessible(page)
        # an opened party's name closes it again; the others stay open
        page.focus("#diagram g[data-cluster='dominos']")  # focus brings it into view
        page.keyboard.press("Enter")
        page.locator("#diagram g.node[data-party='dominos']").wait_for()
        assert page.locator("#diagram g.node[data-copy='alexa_cloud/transcript']").count() == 1
        page.click("#collapse-all")
        page.locator("#diagram g.node[data-party='amazon']").wait_for()
        assert page.locator("#diagram g.node[data-copy]").count() == 0
        # the key is beside the drawing, not in it
        assert "Legend" not in "".join(page.locator("#diagram text").all_text_contents())
        assert page.locator(".key .swatch-transient").count() == 1
        assert page.errors == []


@pytest.mark.usefixtures("dot")
def test_filters_hide_transient_copies_and_parties_and_the_url_keeps_them(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        page.locator("#diagram g.node[data-party='amazon']").wait_for()
        page.check("#hide-transient")
        # the user's device only passed things on
        page.locator("#diagram g.node[data-party='user']").wait_for(state="detached")
        amazon = page.locator("#diagram g.node[data-party='amazon']")
        assert amazon.locator("text").all_text_contents() == [
            "Amazon",
            "10 may remain",
            "3 deleted",
        ]
        assert "hide=status%3Atransient" in page.url
        page.locator("details.filters summary").click()
        page.uncheck("input[data-filter='party:annotators']")
        page.locator("#diagram g.node[data-party='annotators']").wait_for(state="detached")
        assert_accessible(page)  # the filters open
        page.reload()
        page.locator("#diagram g.node[data-party='amazon']").wait_for()
        assert page.locator("#hide-transient").is_checked()
        assert page.locator("#diagram g.node[data-party='annotators']").count() == 0
        assert page.errors == []


def test_the_search_finds_copies_by_holder_or_record_and_enter_shows_the_first(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        page.wait_for_selector("body[data-ready]")
        page.fill("#search", "transcript subsystems")
        found = page.locator("#search-results button")
        assert [b.get_attribute("data-copy") for b in found.all()] == [
            "alexa_subsystems/response_transcript",
            "alexa_subsystems/transcript",
        ]
        page.press("#search", "Enter")
        page.locator("#detail-copy[data-copy='alexa_subsystems/response_transcript']").wait_for()
        assert "q=transcript+subsystems" in page.url
        assert_accessible(page)
        assert page.errors == []


@pytest.mark.usefixtures("dot")
def test_the_diagram_is_reachable_by_keyboard_enter_opens_and_esc_clears(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        page.locator("#diagram g.node[data-party='user']").wait_for()
        page.focus("#diagram g.node[data-party='user']")  # Tab reaches it: it has a tabindex
        assert page.get_attribute("#diagram g.node[data-party='user']", "tabindex") == "0"
        page.keyboard.press("ArrowRight")  # the user's device sends everything to Amazon
        assert page.evaluate("document.activeElement.dataset.party") == "amazon"
        page.keyboard.press("Enter")
        page.locator("#diagram g.node[data-copy='alexa_cloud/transcript']").wait_for()
        page.locator("#detail-party").wait_for()
        page.keyboard.press("Escape")
        page.locator("#detail").wait_for(state="hidden")
        assert "party=" not in page.url
        assert page.errors == []


@pytest.mark.usefixtures("dot")
def test_on_a_phone_the_controls_are_in_a_drawer_and_a_tapped_copy_shows_in_the_viewport(
    server, browser
):
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page.goto(server + ORDER + "&delete=delete-recording&expand=amazon")
        # at the default zoom the drawing starts on the left, where the user's words arrive
        node = page.locator("#diagram g.node[data-copy='alexa_cloud/voice_recording']")
        node.wait_for()
        assert not page.locator("#controls").is_visible()
        page.tap("#controls-toggle")
        assert page.locator("#interaction").is_visible()
        page.tap("#controls-close")
        assert not page.locator("#controls").is_visible()
        node.scroll_into_view_if_needed()
        node.tap()
        page.locator("#detail-copy[data-copy='alexa_cloud/voice_recording']").wait_for()
        assert inside_viewport(page, "#detail", 844)
        assert inside_viewport(page, "#detail-copy", 844)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_accessible(page)
        page.tap("#detail-close")
        page.locator("#detail").wait_for(state="hidden")
        # a copy tapped in the company table opens the same sheet, in the viewport too
        page.evaluate("window.scrollTo(0, 0)")
        page.tap("#holdings tr[data-party='dominos'] td[data-record='action_record'] button")
        page.locator("#detail-copy[data-copy='dominos_backend/action_record']").wait_for()
        assert inside_viewport(page, "#detail-copy", 844)
    finally:
        page.close()


@pytest.mark.parametrize("size", SIZES)
def test_two_models_answer_side_by_side_on_a_laptop_and_one_under_the_other_on_a_phone(
    browser, size
):
    width, height = size
    app = create_app(
        Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml",
        compare_path=tracer.default_model_path(),
    )
    with (
        running(app) as url,
        opened(
            browser, url + ORDER + "&delete=auto-delete-3mo", width=width, height=height
        ) as page,
    ):
        page.locator("#headline-b").wait_for()
        assert page.locator("#compare-title").inner_text() == "Amazon Alexa (2019)"
        assert page.locator("#model-a").inner_text() == "Amazon Alexa (2025)"
        assert page.locator(
            "#compare li[data-copy='voice_history/voice_recording']"
        ).inner_text() == ("voice_history/voice_recording: deleted → held")
        first, second = (
            page.locator("#answer").bounding_box(),
            page.locator("#compare").bounding_box(),
        )
        if width > 760:
            assert second["x"] > first["x"] + first["width"] - 1 and second["y"] < first["y"] + 50
        else:
            assert second["y"] >= first["y"] + first["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        assert page.errors == []


@pytest.mark.usefixtures("dot")
def test_two_fingers_moving_apart_zoom_the_diagram_in(server, browser):
    with opened(browser, server + ORDER + "&delete=delete-recording") as page:
        page.locator("#diagram svg").wait_for()
        before = float(page.get_attribute("#diagram svg", "viewBox").split()[2])
        page.evaluate(
            """() => {
                const box = document.getElementById('diagram');
                const r = box.getBoundingClientRect();
                const cy = r.top + r.height / 2, cx = r.left + r.width / 2;
                const fire = (type, id, x) => box.dispatchEvent(new PointerEvent(type, {
                    pointerId: id, pointerType: 'touch', clientX: x, clientY: cy,
                    bubbles: true, isPrimary: id === 1}));
                fire('pointerdown', 1, cx - 20); fire('pointerdown', 2, cx + 20);
                fire('pointermove', 1, cx - 40); fire('pointermove', 2, cx + 40);
                fire('pointerup', 1, cx - 40); fire('pointerup', 2, cx + 40);
            }"""
        )
        after = float(page.get_attribute("#diagram svg", "viewBox").split()[2])
        assert after == pytest.approx(before / 2, rel=0.05)  # fingers twice as far apart
        assert page.errors == []


def test_a_long_list_of_companies_shows_its_first_eight_then_all_on_request(browser, tmp_path):
    parties = "\n".join(f"  c{i:02d}: {{name: Company {i:02d}}}" for i in range(12))
    holders = "\n".join(
        f"  h{i:02d}: {{name: Store {i:02d}, party: c{i:02d}, keeps: {{audio: {{for: unknown}}}}}}"
        for i in range(12)
    )
    flows = "\n".join(f"  - {{from: h00, to: h{i:02d}, carries: [audio]}}" for i in range(1, 12))
    path = tmp_path / "many.yaml"
    path.write_text(
        "format: tracer/1\nname: many\nrecords: {audio: {name: Audio}}\n"
        f"parties:\n{parties}\nholders:\n{holders}\nflows:\n{flows}\n"
        "interactions: {talk: {name: Talk, starts: {h00: [audio]}}}\n",
        encoding="utf-8",
    )
    with (
        running(create_app(path)) as url,
        opened(browser, url + "/", width=390, height=844) as page,
    ):
        page.wait_for_selector("body[data-ready]")
        assert page.locator("#holdings tbody tr[data-party]").count() == 8
        assert inside_viewport(page, "#holdings", 844)
        page.click("#holdings-more")
        assert page.locator("#holdings tbody tr[data-party]").count() == 12
        assert page.errors == []
