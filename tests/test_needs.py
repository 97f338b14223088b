"""What the suite does when a program it needs is missing: locally a skip that names it (and a
summary line), under CI=true a failure with one clear message; and tools/ensure-packages, which
`make test` runs first, fails under CI when it cannot install what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import conftest
import pytest

ROOT = Path(__file__).parent.parent
BROWSER_TEST = "tests/test_report.py::test_the_html_report_in_a_real_headless_chromium"


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setitem(
        conftest.TOOLS, "chromium", ("Chromium", lambda: None, "apt-get install chromium")
    )


def test_a_missing_program_skips_the_test_locally_naming_it(monkeypatch, no_chromium):
    monkeypatch.setattr(conftest, "CI", False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        conftest.need("chromium")
    assert str(skipped.value) == (
        "Chromium is not installed (apt-get install chromium; `make test` installs it)"
    )


def test_under_ci_a_missing_program_fails_the_test(monkeypatch, no_chromium):
    monkeypatch.setattr(conftest, "CI", True)
    with pytest.raises(pytest.fail.Exception) as failed:
        conftest.need("chromium")
    assert str(failed.value) == (
        "CI=true and Chromium is not installed (apt-get install chromium; `make test` installs it)"
    )


def run_without_programs(tmp_path: Path, ci: str) -> subprocess.CompletedProcess:
    """The report's browser test in a fresh pytest whose PATH finds no program at all."""
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT), "CI": ci}
    env.pop("HYPOTHESIS_PROFILE", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", BROWSER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_run_without_chromium_skips_and_names_it_in_the_summary(tmp_path):
    result = run_without_programs(tmp_path, ci="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("s ")  # the one test, skipped
    assert (
        "skipped for want of: Chromium (1 test); `make test` installs them, and CI=true fails "
        "instead of skipping"
    ) in result.stdout


def test_under_ci_a_run_without_chromium_fails_with_one_clear_line(tmp_path):
    result = run_without_programs(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("E ")  # the one test, an error in its fixture
    assert (
        "CI=true and Chromium is not installed (apt-get install chromium; `make test` installs it)"
    ) in result.stdout


def ensure_packages(tmp_path: Path, ci: str) -> subprocess.CompletedProcess:
    """tools/ensure-packages on a PATH without apt-get, asked for a command nobody has."""
    return subprocess.run(
        ["/bin/bash", str(ROOT / "tools" / "ensure-packages"), "no-such-command:no-such-package"],
        env={"PATH": str(tmp_path), "CI": ci},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ensure_packages_fails_under_ci_when_it_cannot_install(tmp_path):
    result = ensure_packages(tmp_path, ci="true")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "CI=true and missing: no-such-package; the tests that need them cannot run. Install "
        "them (apt-get install no-such-package) before make test."
    ]


def test_ensure_packages_only_says_what_is_missing_elsewhere(tmp_path):
    result = ensure_packages(tmp_path, ci="")
    assert result.returncode == 0
    assert result.stderr.startswith("Missing: no-such-package. Install them (apt-get install ")
