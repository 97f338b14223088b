"""A picture of the explorer in a headless Chromium, for the README (``make samples``).

Playwright (a test dependency) drives the Chromium installed on the machine (Debian's
``/usr/bin/chromium``): never a browser Playwright downloads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import OutputError
from ..render.output import graphviz_available, write_atomically
from .app import create_app
from .server import running

__all__ = ["EXAMPLE_QUERY", "LAPTOP", "PHONE", "screenshot"]

# the first screen a visitor sees: the featured question (the Domino's order after "delete this
# recording"), its headline and company table, the diagram below
EXAMPLE_QUERY = ""
LAPTOP, PHONE = (1440, 900), (390, 844)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot(
    path: str | Path,
    *,
    model_path: str | Path | None = None,
    query: str = EXAMPLE_QUERY,
    size: tuple[int, int] = LAPTOP,
    chromium: str | None = None,
) -> Path:
    """Serve the explorer, open it at ``?query`` in headless Chromium and save the first screen
    as a PNG at ``path``; ``make samples`` calls it as ``screenshot("samples/explorer.png")``
    (not a doctest: it starts a server and a browser, which tests/test_web_browser.py does).
    """
    executable = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise OutputError("cannot take a screenshot: Chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise OutputError(
            "cannot take a screenshot: install playwright (pip install playwright)"
        ) from None
    with running(create_app(model_path)) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": size[0], "height": size[1]}, is_mobile=size[0] < 760
            )
            page.goto(f"{url}/?{query}")
            page.wait_for_selector("body[data-ready]")
            if graphviz_available():
                page.wait_for_selector("#diagram svg")
            if "copy=" in query:
                page.wait_for_selector("#detail-copy")
            page.mouse.move(0, 0)
            data = page.screenshot()
        finally:
            browser.close()
    return write_atomically(Path(path), data)
