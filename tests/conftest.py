"""Shared helpers: small models written inline, as a reader would write them."""

from __future__ import annotations

import os
import shutil
import textwrap

import profiles  # noqa: F401  (loads the hypothesis profile before any test module's @settings)
import pytest

import tracer

HEADER = """\
format: tracer/1
name: test
parties: {acme: {name: Acme}, other: {name: Other}}
records: {audio: {name: Audio}, text: {name: Text}, note: {name: Note}}
"""


@pytest.fixture(autouse=True, scope="session")
def _private_model_cache(tmp_path_factory):
    """The parsed-model cache of this run lives in its own folder, never in the user's home."""
    os.environ["TRACER_CACHE_DIR"] = str(tmp_path_factory.mktemp("model-cache"))
    os.environ.pop("TRACER_NO_CACHE", None)


def model(body: str, *, header: str = HEADER) -> tracer.Model:
    """A model from the shared header plus ``body`` (YAML, dedented)."""
    return tracer.parse_model(header + textwrap.dedent(body))


def statuses(result: tracer.Trace) -> dict[str, str]:
    return {copy.id: copy.status for copy in result.copies}


@pytest.fixture(scope="session")
def alexa() -> tracer.Model:
    return tracer.load_model()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine's closed network refuses these, many at once
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (never a browser Playwright downloads)."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
