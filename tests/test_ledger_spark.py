"""The Spark engine builds the same ledger as DuckDB: the same rows, the same bad rows.

One Spark session (``local[2]``) serves the whole run; the logs are small, since every Spark job
has a fixed cost of seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest
from conftest import need, need_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import assert_ledger_agrees, ledger_oracle
from profiles import examples
from strategies import LEDGER, logs, models
from test_ledger_equivalence import ledger_rows, oracle_rows, reference, stamp, write_log

from tracer.ledger import build, open_ledger, write_synthetic_log

pyspark = need_module("pyspark", "spark")


@pytest.fixture(scope="session")
def spark():
    need("java")
    from tracer.ledger.engines.spark import LOCAL_CONFIG

    builder = pyspark.sql.SparkSession.builder.master("local[2]").appName("tracer-tests")
    for key, value in {**LOCAL_CONFIG, "spark.sql.shuffle.partitions": "2"}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def to_parquet(path: Path) -> Path:
    target = path.with_suffix(".parquet")
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{target}'")
    return target


# each example is a few Spark jobs of seconds each, in the one session of the run
@settings(max_examples=examples(dev=2, ci=10, thorough=30), suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_spark_ledger_equals_duckdbs_and_the_per_event_trace(spark, data):
    model = data.draw(models(LEDGER))
    events, requests, at = data.draw(logs(model))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths = [to_parquet(p) for p in write_log(folder, events, requests)]
        options = {"model": model, "at": None if at is None else stamp(at), "strict": True}
        build(*paths, engine="spark", output=folder / "spark", **options)
        build(*paths, output=folder / "l.duckdb", **options)
        expected = reference(model, events, requests, at)
        assert ledger_rows(folder / "spark") == expected
        assert ledger_rows(folder / "l.duckdb") == expected
        assert_ledger_agrees(
            oracle_rows(folder / "spark"), ledger_oracle(model, events, requests, at)
        )


def test_spark_reports_the_same_bad_rows_and_summary_as_duckdb(spark, tmp_path):
    log = write_synthetic_log(tmp_path / "log", users=30, events=3000, seed=9)
    broken = tmp_path / "events"
    broken.mkdir()
    duckdb.execute(  # two files: rows number on across them, in name order
        f"""COPY (SELECT * FROM '{log.events}' LIMIT 1500) TO '{broken / "a.parquet"}';
            COPY (SELECT event, "user", CASE WHEN event LIKE '%7' THEN 'pizza' ELSE interaction
                  END AS interaction, "at" FROM '{log.events}' OFFSET 1500)
              TO '{broken / "b.parquet"}'"""
    )
    spark_result = build(broken, log.requests, engine="spark", output=tmp_path / "spark")
    duck_result = build(broken, log.requests, output=tmp_path / "l.duckdb")
    assert spark_result.bad_rows == duck_result.bad_rows
    assert str(spark_result.bad_rows[0]) == "events row 1508: unknown interaction 'pizza'"
    assert (spark_result.events, spark_result.skipped) == (duck_result.events, 150)
    with open_ledger(tmp_path / "spark") as a, open_ledger(tmp_path / "l.duckdb") as b:
        for query in (
            "SELECT * FROM copies ORDER BY event, id",
            "SELECT * FROM events ORDER BY event",  # the same outcome ids, in both
            "SELECT * FROM outcomes ORDER BY outcome",
        ):
            assert a.con.execute(query).fetchall() == b.con.execute(query).fetchall()


def test_spark_too_fails_on_a_log_written_for_another_shipped_model(spark, tmp_path):
    from tracer.ledger import LedgerError

    log = Path(__file__).parent.parent / "samples" / "ledger"
    paths = [to_parquet(_copy(log / name, tmp_path)) for name in ("events.csv", "requests.csv")]
    with pytest.raises(LedgerError) as caught:
        build(*paths, engine="spark", output=tmp_path / "spark")
    assert str(caught.value) == (
        "the log names an id Amazon Alexa (2019) does not have: request 'auto-delete-3mo' "
        "(requests row 3); the shipped model alexa-2025 (Amazon Alexa (2025)) has every id the "
        "log names: add -m alexa-2025"
    )
    assert not (tmp_path / "spark").exists()


def _copy(path: Path, folder: Path) -> Path:
    target = folder / path.name
    target.write_bytes(path.read_bytes())
    return target
