"""The SQL that trims a text cell drops exactly what DuckDB's trim() drops, and only then
calls it."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples

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


CELLS = st.lists(
    st.one_of(
        st.none(),
        st.text(alphabet="skil:SKIL AbZé\u00a0\u3000\u2009\t\u0301", max_size=12),
        st.builds(
            "skill:{}{}".format,
            st.text(alphabet="aZ9-é ", max_size=4),
            st.sampled_from(["", " ", "\u00a0"]),
        ),
    ),
    max_size=40,
)


@settings(max_examples=examples(dev=50, ci=200, thorough=2000))
@given(CELLS)
def test_an_interaction_cell_is_read_as_the_general_rule_reads_it(cells):
    # the ledger's fast path for `skill:ID` cells (tracer.ledger.logs._interaction_sql) gives
    # what the rule gives every cell: trimmed, NULL when empty, lowered when it names a skill
    from tracer.ledger.logs import _interaction_sql, _text

    text = _text("x")
    rule = f"CASE WHEN lower(left({text}, 6)) = 'skill:' THEN lower({text}) ELSE {text} END"
    rows = duckdb.execute(
        f"SELECT {_interaction_sql('x')}, {rule} FROM (SELECT unnest(?::VARCHAR[]) AS x)", [cells]
    ).fetchall()
    assert [ours for ours, _ in rows] == [theirs for _, theirs in rows]
