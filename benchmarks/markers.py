"""Write a benchmark's table into a page, between ``<!-- NAME:begin -->`` and
``<!-- NAME:end -->`` (the bench_* scripts' --write; docs/performance.md holds one pair each).

>>> import pathlib, tempfile
>>> page = pathlib.Path(tempfile.mkdtemp()) / "perf.md"
>>> write_between(page, "bench-x", "| a |\\n")
>>> write_between(page, "bench-x", "| b |")
>>> page.read_text()
'<!-- bench-x:begin -->\\n| b |\\n<!-- bench-x:end -->\\n'
"""

from __future__ import annotations

from pathlib import Path


def write_between(path: Path, name: str, text: str) -> None:
    """Put ``text`` between the page's two markers ``name``; a page that does not exist yet is
    made with them, one that exists without them is an error (never written over)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    page = path.read_text(encoding="utf-8") if path.exists() else f"{begin}\n{end}\n"
    if begin not in page or end not in page:
        raise SystemExit(f"{path}: no {begin} ... {end} markers to write between")
    head, rest = page.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text.rstrip(chr(10))}\n{end}{tail}", encoding="utf-8")
