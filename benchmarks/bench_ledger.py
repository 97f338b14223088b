"""Benchmark: building a ledger of a synthetic Alexa log, and asking it one user's holdings.

Each figure stands beside a baseline measured in the same run, on the same log:
- the DuckDB build (``tracer.ledger.build``, end to end: read and check the log, map events to
  outcomes, trace each outcome, write the .duckdb file) against DuckDB itself joining every event
  with its user's requests and writing the result
  (``CREATE TABLE x AS SELECT * FROM events LEFT JOIN requests USING (user)``): the floor;
- the same build against calling ``tracer.trace()`` per event (the naive loop, timed on a sample
  and scaled to the whole log);
- ``holds --user`` on the built ledger (median over users) against DuckDB reading that user's
  rows straight from the Parquet log;
- with ``--spark``, the Spark engine in ``local[2]`` on the same log, beside DuckDB's build.

Builds and the baseline run in fresh processes, so each peak memory (VmHWM) is its own.

    python benchmarks/bench_ledger.py                          # 1,000,000 events, 10,000 users
    python benchmarks/bench_ledger.py --events 10000000 --users 100000 --spark-events 1000000
    python benchmarks/bench_ledger.py --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from markers import write_between  # noqa: E402

from tracer.ledger import write_synthetic_log  # noqa: E402

PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
PROBE_BUILD = """
import json, sys, time
from tracer.ledger import build
start = time.perf_counter()
result = build(sys.argv[1], sys.argv[2], output=sys.argv[3], engine=sys.argv[4])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": PEAK, "outcomes": result.outcomes,
                  "events": result.events, "users": result.users}))
""".replace("PEAK", PEAK)
PROBE_JOIN = """
import json, sys, time, duckdb
start = time.perf_counter()
con = duckdb.connect(sys.argv[3])
con.execute("SET memory_limit = '3GB'")
con.execute("SET enable_progress_bar = false")
con.execute(f"CREATE TABLE x AS SELECT * FROM read_parquet('{sys.argv[1]}') e "
            f"LEFT JOIN read_parquet('{sys.argv[2]}') r USING (\\"user\\")")
con.close()
print(json.dumps({"seconds": time.perf_counter() - start, "peak_kb": PEAK}))
""".replace("PEAK", PEAK)
PROBE_NAIVE = """
import json, sys, time, duckdb
import tracer
model = tracer.load_model()
after = {k: d.after for k, d in model.deletions.items()}
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("SET enable_progress_bar = false")
sample, query = int(sys.argv[3]), sys.argv[4]
events = con.execute(f"SELECT event, \\"user\\", interaction, epoch_us(\\"at\\") FROM "
                     f"read_parquet('{sys.argv[1]}') ORDER BY event LIMIT {sample}").fetchall()
requests = {}
for user, request, at, event in con.execute(
        f"SELECT \\"user\\", request, epoch_us(\\"at\\"), event FROM read_parquet('{sys.argv[2]}')"
        ).fetchall():
    requests.setdefault(user, []).append((request, at, event))
DAY = 86_400_000_000
start = time.perf_counter()
for event, user, interaction, at in events:
    specs = []
    for request, made, target in requests.get(user, ()):
        if target not in (None, event) or made > int(query):
            continue
        day = (made - at) // DAY
        if after[request] is None:
            if made >= at:
                specs.append(f"{request}@{day}d")
        else:
            specs.append(f"{request}@{max(after[request], day)}d")
    tracer.trace(model, interaction, specs, at=(int(query) - at) // DAY)
print(json.dumps({"seconds": time.perf_counter() - start, "events": len(events)}))
"""
PROBE_HOLDS = """
import json, statistics, sys, time, duckdb
from tracer.ledger import holds, open_ledger
users = json.loads(sys.argv[3])
runs, raw = [], []
with open_ledger(sys.argv[1]) as ledger:
    holds(ledger, users[0])  # warm the file cache
    for user in users:
        start = time.perf_counter()
        holds(ledger, user)
        runs.append(time.perf_counter() - start)
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
for user in users:
    start = time.perf_counter()
    con.execute(f"SELECT * FROM read_parquet('{sys.argv[2]}') WHERE \\"user\\" = ?", [user]).fetchall()
    raw.append(time.perf_counter() - start)
print(json.dumps({"holds": statistics.median(runs), "raw": statistics.median(raw)}))
"""


def probe(code: str, *args: object) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, env=env
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    # the last JSON line: DuckDB may draw its own progress bar (with \r, no newline) on stdout
    lines = out.stdout.replace("\r", "\n").splitlines()
    return json.loads([line for line in lines if line.startswith("{")][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, help="default: events / 100")
    parser.add_argument("--naive-sample", type=int, default=100_000)
    parser.add_argument("--spark-events", type=int, default=0, help="0: no Spark run")
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args()
    users = args.users or max(1, args.events // 100)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = [measure(folder / "main", args.events, users, args.naive_sample)]
        if args.spark_events:
            rows.append(
                measure_spark(folder / "spark", args.spark_events, max(1, args.spark_events // 100))
            )
    text = table(rows)
    print(text)
    if args.write:
        write_between(args.write, "bench-ledger", text)


def measure(folder: Path, events: int, users: int, sample: int) -> dict:
    started = time.perf_counter()
    log = write_synthetic_log(folder, users=users, events=events, seed=1)
    synth = time.perf_counter() - started
    build = probe(PROBE_BUILD, log.events, log.requests, folder / "l.duckdb", "duckdb")
    join = probe(PROBE_JOIN, log.events, log.requests, folder / "join.duckdb")
    import duckdb

    from tracer.ledger import open_ledger

    with open_ledger(folder / "l.duckdb") as ledger:
        query = ledger.meta["at_us"]
        picked = [
            r[0]
            for r in ledger.con.execute(
                'SELECT DISTINCT "user" FROM events ORDER BY hash("user") LIMIT 20'
            ).fetchall()
        ]
    del duckdb
    naive = probe(PROBE_NAIVE, log.events, log.requests, min(sample, events), query)
    holds = probe(PROBE_HOLDS, folder / "l.duckdb", log.events, json.dumps(picked))
    naive_total = naive["seconds"] * events / naive["events"]
    return {
        "events": events,
        "users": users,
        "requests": log.request_count,
        "synth": synth,
        "outcomes": build["outcomes"],
        "build": build["seconds"],
        "peak_mb": build["peak_kb"] / 1024,
        "join": join["seconds"],
        "join_peak_mb": join["peak_kb"] / 1024,
        "naive_sample": naive["events"],
        "naive": naive_total,
        "holds_ms": holds["holds"] * 1000,
        "raw_ms": holds["raw"] * 1000,
    }


def measure_spark(folder: Path, events: int, users: int) -> dict:
    log = write_synthetic_log(folder, users=users, events=events, seed=1)
    duck = probe(PROBE_BUILD, log.events, log.requests, folder / "l.duckdb", "duckdb")
    spark = probe(PROBE_BUILD, log.events, log.requests, folder / "spark", "spark")
    return {
        "spark_events": events,
        "duckdb": duck["seconds"],
        "spark": spark["seconds"],
        "spark_peak_mb": spark["peak_kb"] / 1024,
    }


def table(rows: list[dict]) -> str:
    main = rows[0]
    rate = main["events"] / main["build"]
    lines = [
        f"Measured by `make bench-ledger` on {time.strftime('%Y-%m-%d')} ({platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}): "
        f"{main['events']:,} events of {main['users']:,} users and {main['requests']:,} "
        f"requests in Parquet, {main['outcomes']:,} distinct outcomes.",
        "",
        "| figure | tracer | baseline | ratio | target |",
        "|---|---:|---:|---:|---|",
        f"| build, end to end | {main['build']:.2f} s ({rate:,.0f} events/s) | "
        f"DuckDB join + write: {main['join']:.2f} s | {main['build'] / main['join']:.2f}x | "
        "≤ 3x the join; ≥ 1,000,000 events/s |",
        f"| peak memory of the build | {main['peak_mb']:,.0f} MB | "
        f"the join: {main['join_peak_mb']:,.0f} MB | "
        f"{main['peak_mb'] / main['join_peak_mb']:.2f}x | < 4 GB |",
        f"| build vs trace() per event | {main['build']:.2f} s | "
        f"{main['naive']:,.0f} s (scaled from {main['naive_sample']:,} events) | "
        f"{main['naive'] / main['build']:,.0f}x faster | ≥ 100x faster |",
        f"| `holds --user` (median of 20 users) | {main['holds_ms']:.1f} ms | "
        f"DuckDB reading the user's rows from Parquet: {main['raw_ms']:.1f} ms | "
        f"{main['holds_ms'] / main['raw_ms']:.2f}x | < 100 ms |",
    ]
    for row in rows[1:]:
        lines.append(
            f"| Spark `local[2]`, {row['spark_events']:,} events | {row['spark']:.1f} s | "
            f"DuckDB build of the same log: {row['duckdb']:.1f} s | "
            f"{row['spark'] / row['duckdb']:.1f}x | reported |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
