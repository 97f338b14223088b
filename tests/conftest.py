"""Shared helpers: small models written inline, as a reader would write them."""

from __future__ import annotations

import importlib
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

# CI sets CI=true: there a test that cannot run for want of a program fails, never skips, so a
# green CI run means every test ran
CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


# what a test may need: its name in messages, how to find it, how to install it (Debian)
TOOLS = {
    "chromium": ("Chromium", lambda: CHROMIUM, "apt-get install chromium"),
    "dot": ("Graphviz's dot", lambda: shutil.which("dot"), "apt-get install graphviz"),
    "java": ("Java (for Spark)", _java, "apt-get install default-jre-headless"),
}
MISSING = " is not installed"


def need(tool: str) -> None:
    """Skip the calling test when ``tool`` (a key of TOOLS) is missing, naming it; under
    ``CI=true``, fail it instead (tests/test_needs.py)."""
    name, find, install = TOOLS[tool]
    if find():
        return
    message = f"{name}{MISSING} ({install}; `make test` installs it)"
    if CI:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def need_module(module: str, tool: str):
    """``pytest.importorskip(module)``, failing under ``CI=true`` like :func:`need`."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module}{MISSING} (pip install -e '.[{tool}]'; `make test` installs it)"
        if CI:
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message, allow_module_level=True)


@pytest.fixture
def dot() -> None:
    """The test draws with Graphviz's dot (skipped without it; failed under CI=true)."""
    need("dot")


def pytest_terminal_summary(terminalreporter) -> None:
    """After a local run, one line naming what was missing and how many tests it skipped."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        if MISSING in reason:
            what = reason.removeprefix("Skipped: ").split(MISSING)[0]
            counts[what] = counts.get(what, 0) + 1
    if counts:
        missing = ", ".join(
            f"{what} ({n} test{'s' * (n != 1)})" for what, n in sorted(counts.items())
        )
        terminalreporter.write_line(
            f"skipped for want of: {missing}; `make test` installs them, and CI=true fails "
            "instead of skipping",
            yellow=True,
        )


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
    need("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
