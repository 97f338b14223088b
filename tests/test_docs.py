"""The documentation stands alone: every link between its pages points into the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_points_to_a_file_in_the_repository(page):
    targets = [t.split("#")[0] for t in LINK.findall(page.read_text(encoding="utf-8"))]
    local = [t for t in targets if t and not re.match(r"[a-z]+:", t)]
    assert [t for t in local if not (page.parent / t).exists()] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_page_points_to_a_design_file_outside_the_repository(page):
    assert "DESIGN.md" not in page.read_text(encoding="utf-8")


def test_the_readme_is_a_guide_of_at_most_250_lines():
    # the manual (docs/, built by `make docs`) holds the rest
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250
