"""SQL for a text cell of a file tracer reads with DuckDB (a catalogue, a ledger log): spaces
around it dropped, as DuckDB's ``trim()`` drops them, without copying every string.

``trim()`` copies each string it is given, and ten million cells of a log are mostly clean, so
the cell is trimmed only when its first or last character is one that ``trim()`` removes: the
space and the Unicode spaces it knows (no-break, ogham, the typographic spaces, narrow
no-break, medium mathematical, ideographic), which are looked for only in a cell that is not
all ASCII.

>>> import duckdb
>>> cells = "(VALUES (' a '), ('\\u3000b\\u00a0'), ('c')) t(x)"
>>> duckdb.sql(f"SELECT {trimmed_sql('x')} FROM {cells}").fetchall()
[('a',), ('b',), ('c',)]
"""

from __future__ import annotations

__all__ = ["TRIMMED_CODES", "trimmed_sql"]

# the characters DuckDB 2's trim() removes (checked against it by tests/test_sqltext.py)
TRIMMED_CODES = (32, 160, 5760, *range(8192, 8203), 8239, 8287, 12288)


def trimmed_sql(expression: str) -> str:
    """``expression`` (a VARCHAR) with the spaces around it dropped, as ``trim()`` would."""
    codes = ", ".join(map(str, TRIMMED_CODES))
    # the ASCII space by its byte; the others only in a cell that is not all ASCII (its length
    # in bytes is not its length in characters), since unicode() and right() decode
    return (
        f"CASE WHEN starts_with({expression}, ' ') OR ends_with({expression}, ' ') "
        f"OR (strlen({expression}) <> length({expression}) "
        f"AND (unicode({expression}) IN ({codes}) "
        f"OR unicode(right({expression}, 1)) IN ({codes}))) "
        f"THEN trim({expression}) ELSE {expression} END"
    )
