"""The SQL that trims a text cell drops exactly what DuckDB's trim() drops, and only then
calls it."""

from __future__ import annotations

import duckdb

from tracer.sqltext import TRIMMED_CODES, trimmed_sql


def test_the_characters_trimmed_are_those_duckdbs_trim_removes():
    con = duckdb.connect()
    removed = [
        code
        for code in range(0x3100)  # every space DuckDB knows lies below U+3100
        if con.execute("SELECT trim(?)", [chr(code) + "x" + chr(code)]).fetchone()[0] == "x"
    ]
    assert tuple(removed) == TRIMMED_CODES


def test_a_cell_is_trimmed_as_trim_would_trim_it():
    con = duckdb.connect()
    cells = [" a ", "\u3000b\u00a0", "c", "", " ", "\u2009", "d\u202f", None, "tab\t"]
    rows = con.execute(
        f"SELECT {trimmed_sql('x')}, trim(x) FROM (SELECT unnest(?::VARCHAR[]) AS x)", [cells]
    ).fetchall()
    assert [ours for ours, _ in rows] == [theirs for _, theirs in rows]
