"""The documentation site builds with ``mkdocs build --strict`` (a broken link or a missing page
fails it), every link between its pages reaches a page and an anchor that exist, and its command
reference lists every command the program has."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_public_api import COMMANDS

ROOT = Path(__file__).parent.parent


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    return out


def _parsed(page: Path) -> _Links:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def test_every_internal_link_reaches_a_page_and_its_anchor(site):
    pages = {page: _parsed(page) for page in site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            path = unquote(parts.path)
            if path.startswith("/"):  # the 404 page links from the site's root
                target = site / path.lstrip("/")
            else:
                target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parsed(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert broken == []


def test_the_command_reference_has_every_command(site):
    text = (site / "commands" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h[23] id=\"[^\"]*\">tracer ([a-z ]+?)<", text)
    assert sorted(headings) == sorted({*COMMANDS, "history", "import", "ledger", "skills"})
