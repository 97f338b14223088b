"""The manual says how to install tracer with pip, and what each extra of pyproject.toml adds."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).parent.parent


def test_the_install_page_names_pip_and_every_extra_but_the_tests_own():
    page = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert "## Install with pip" in page
    assert "pip install ." in page
    for extra, packages in extras.items():
        if extra == "test":
            continue
        row = next(line for line in page.splitlines() if line.startswith(f"| `[{extra}]` |"))
        for package in packages:  # each package the extra installs is named in its row
            name = package.split(">")[0].split("=")[0].split("<")[0]
            assert name in row, (extra, name)


def test_the_install_page_is_in_the_sites_navigation():
    assert "install.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
