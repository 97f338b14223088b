"""Benchmark: a synthetic catalogue of 100,000 skills, each figure beside a baseline measured in
the same run on the same file (docs/performance.md, "The skill catalogue"):

- reading and checking it (``tracer.skills.read_catalogue``) against DuckDB reading the same
  file into a table (``CREATE TABLE t AS SELECT * FROM read_csv(...)``); goal <= 2x;
- ``skills reach RECORD`` after reading (the first answer, which traces each feature of the
  template once, and a second with other deletion requests); goal <= 100 ms;
- tracing ``skill:ID`` (look-up, template instantiated, trace) against the same in a catalogue of
  that one skill; goal <= 2x;
- a ledger of events on ``skill:ID`` (``tracer.ledger.build`` with the catalogue) against
  DuckDB's own join of the same log (events with their user's requests and their skill's row,
  written to a table); goal <= 1.5x. Both in fresh processes, alternated ``--ledger-runs``
  times (5): the median ratio and each run's (a shared machine's wall clock varies by a
  quarter from run to run), and the median ratio of CPU time.

    python benchmarks/bench_skills.py                        # 100,000 skills, 1,000,000 events
    python benchmarks/bench_skills.py --events 10000000      # the goal's size
    python benchmarks/bench_skills.py --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
from markers import write_between  # noqa: E402

import tracer  # noqa: E402
from tracer.skills import read_catalogue, with_skills  # noqa: E402
from tracer.skills.queries import reach  # noqa: E402
from tracer.skills.synth import write_synthetic_catalogue  # noqa: E402

PROBE_BUILD = """
import json, sys, time
from tracer.ledger import build
start, cpu = time.perf_counter(), time.process_time()
result = build(sys.argv[1], sys.argv[2], output=sys.argv[3], catalogue=sys.argv[4])
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "outcomes": result.outcomes, "events": result.events,
                  "skipped": result.skipped}))
"""
PROBE_JOIN = """
import json, sys, time, duckdb
start, cpu = time.perf_counter(), time.process_time()
con = duckdb.connect(sys.argv[3])
con.execute("SET memory_limit = '3GB'")
con.execute("SET enable_progress_bar = false")
con.execute(f\"\"\"CREATE TABLE x AS SELECT * FROM read_parquet('{sys.argv[1]}') e
    LEFT JOIN read_parquet('{sys.argv[2]}') r USING ("user")
    JOIN read_csv('{sys.argv[4]}') c ON e.interaction = 'skill:' || lower(c.skill)\"\"\")
con.close()
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""


def median_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_read(path: Path, runs: int) -> dict:
    def duck():
        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
        con.close()

    ours, base = [], []
    for _ in range(runs):  # alternated, so a busy moment of the machine hits both
        base.append(median_of(1, duck))
        ours.append(median_of(1, lambda: read_catalogue(path)))
    return {"ours": statistics.median(ours), "duckdb": statistics.median(base)}


def bench_reach(model, catalogue) -> dict:
    start = time.perf_counter()
    first = reach(model, catalogue, "device_address")
    cold = time.perf_counter() - start
    start = time.perf_counter()
    reach(model, catalogue, "device_address", ["revoke-permission"])
    other = time.perf_counter() - start
    start = time.perf_counter()
    reach(model, catalogue, "device_address")
    warm = time.perf_counter() - start
    return {"first": cold, "other_requests": other, "again": warm, "skills": first["skills"]}


def bench_trace(model, big, path: Path, folder: Path, count: int) -> dict:
    skills = [s for s in big.skills() if s.permissions][:count]
    ratios, in_big, in_one = [], [], []
    header = path.read_text(encoding="utf-8").splitlines()[0]
    lines = {
        line.split(",", 1)[0]: line for line in path.read_text(encoding="utf-8").splitlines()[1:]
    }
    for skill in skills:
        one_path = folder / f"one-{skill.key}.csv"
        one_path.write_text(header + "\n" + lines[skill.id] + "\n", encoding="utf-8")
        one = read_catalogue(one_path)

        def traced(catalogue, skill=skill):
            catalogue._cache.clear()  # the look-up is part of what is timed
            tracer.trace(with_skills(model, catalogue, [skill.interaction]), skill.interaction)

        traced(big), traced(one)  # warm: the first trace of a process builds its indexes
        a = median_of(5, lambda: traced(big))
        b = median_of(5, lambda one=one: traced(one))
        in_big.append(a)
        in_one.append(b)
        ratios.append(a / b)
    return {
        "big": statistics.median(in_big),
        "one": statistics.median(in_one),
        "ratio": statistics.median(ratios),
        "skills": len(skills),
    }


def write_log(folder: Path, catalogue_path: Path, events: int, users: int, seed: int):
    """Events on skill:ID (a skill's popularity falls off as 1/rank), and requests."""
    con = duckdb.connect()
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute(
        f"CREATE TABLE skills AS SELECT row_number() OVER () - 1 AS n, skill "
        f"FROM read_csv('{catalogue_path}', all_varchar=true)"
    )
    total = con.execute("SELECT count(*) FROM skills").fetchone()[0]
    events_path, requests_path = folder / "events.parquet", folder / "requests.parquet"
    con.execute(
        f"""COPY (
            SELECT 'e' || i AS event, 'u' || (hash(i) % {users}) AS "user",
                   'skill:' || lower(s.skill) AS interaction,
                   TIMESTAMP '2025-01-01' + to_microseconds((hash(i * 7) % 31536000000000)::BIGINT)
                     AS "at"
            FROM (SELECT i, CAST(floor(pow({total}, random())) AS BIGINT) - 1 AS n
                  FROM range({events}) t(i)) t
            JOIN skills s USING (n)
        ) TO '{events_path}' (FORMAT PARQUET)"""
    )
    con.execute(
        f"""COPY (
            SELECT 'u' || u AS "user",
                   CASE WHEN u % 3 = 0 THEN 'disable-skill' ELSE 'delete-recording' END AS request,
                   TIMESTAMP '2025-06-01' + to_microseconds((hash(u) % 15552000000000)::BIGINT)
                     AS "at", NULL::VARCHAR AS event
            FROM range({users}) t(u) WHERE u % 4 = 0
        ) TO '{requests_path}' (FORMAT PARQUET)"""
    )
    return events_path, requests_path


def run_probe(code: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_ledger(folder: Path, catalogue_path: Path, events: int, users: int, runs: int) -> dict:
    """The build and the join, each in a fresh process, alternated ``runs`` times on one log
    (so a busy moment of the machine hits both); the medians and the median of the ratios."""
    events_path, requests_path = write_log(folder, catalogue_path, events, users, seed=1)
    builds, joins = [], []
    for _ in range(runs):
        for name in ("l.duckdb", "j.duckdb"):
            (folder / name).unlink(missing_ok=True)
        os.sync()  # the last probe's file reaches the disk before this one starts, not during
        builds.append(
            run_probe(
                PROBE_BUILD,
                str(events_path),
                str(requests_path),
                str(folder / "l.duckdb"),
                str(catalogue_path),
            )  # fmt: skip
        )
        os.sync()
        joins.append(
            run_probe(
                PROBE_JOIN,
                str(events_path),
                str(requests_path),
                str(folder / "j.duckdb"),
                str(catalogue_path),
            )  # fmt: skip
        )
    ratios = [b["seconds"] / j["seconds"] for b, j in zip(builds, joins, strict=True)]
    cpu = [b["cpu"] / j["cpu"] for b, j in zip(builds, joins, strict=True)]
    return {
        "build": {**builds[0], "seconds": statistics.median(b["seconds"] for b in builds),
                  "cpu": statistics.median(b["cpu"] for b in builds)},
        "join": {"seconds": statistics.median(j["seconds"] for j in joins),
                 "cpu": statistics.median(j["cpu"] for j in joins)},
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "cpu_ratio": statistics.median(cpu),
    }  # fmt: skip


def table(results: dict, args) -> str:
    read, reached, traced = results["read"], results["reach"], results["trace"]
    rows = [
        "| figure | tracer | baseline | ratio | goal |",
        "|---|---:|---:|---:|---|",
        f"| read and check {args.skills:,} skills (CSV) | {read['ours'] * 1000:,.0f} ms | "
        f"{read['duckdb'] * 1000:,.0f} ms (DuckDB `read_csv` into a table) | "
        f"{read['ours'] / read['duckdb']:.2f}x | <= 2x |",
        f"| `skills reach device_address`, first answer | {reached['first'] * 1000:,.0f} ms | "
        f"| | <= 100 ms |",
        f"| the same with `--delete revoke-permission` | {reached['other_requests'] * 1000:,.0f} ms"
        " | | | <= 100 ms |",
        f"| the same again | {reached['again'] * 1000:,.1f} ms | | | <= 100 ms |",
        f"| trace `skill:ID` (look-up, instantiate, trace; median of {traced['skills']} skills) | "
        f"{traced['big'] * 1000:,.1f} ms | {traced['one'] * 1000:,.1f} ms (a catalogue of that "
        f"one skill) | {traced['ratio']:.2f}x | <= 2x |",
    ]
    if "ledger" in results:
        ledger = results["ledger"]
        build, join = ledger["build"], ledger["join"]
        spread = ", ".join(f"{r:.2f}" for r in ledger["ratios"])
        rows.append(
            f"| ledger of {build['events']:,} events on `skill:ID` ({build['outcomes']:,} "
            f"outcomes; median of {len(ledger['ratios'])} runs) | {build['seconds']:,.1f} s | "
            f"{join['seconds']:,.1f} s (DuckDB joining events, requests and catalogue into a "
            f"table) | {ledger['ratio']:.2f}x ({spread}) | <= 1.5x |"
        )
        rows.append(
            f"| the same in CPU time (both of DuckDB's threads) | {build['cpu']:,.1f} s | "
            f"{join['cpu']:,.1f} s | {ledger['cpu_ratio']:.2f}x | reported |"
        )
    load = os.getloadavg()[0]
    head = (
        f"Measured by `python benchmarks/bench_skills.py {' '.join(sys.argv[1:])}` on "
        f"{time.strftime('%Y-%m-%d')} ({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}), load average {load:.1f} at the end."
    )
    return head + "\n\n" + "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--traces", type=int, default=10, help="skills traced for the ratio")
    parser.add_argument("--no-ledger", action="store_true")
    parser.add_argument("--ledger-runs", type=int, default=5, help="builds and joins, alternated")
    parser.add_argument("--write", type=Path, help="write the table into this page")
    args = parser.parse_args()
    if args.ledger_runs < 1 or args.runs < 1:
        parser.error("--runs and --ledger-runs take 1 or more")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        model = tracer.load_model()
        features = set(model.skill_template.features)
        path = write_synthetic_catalogue(
            folder / "skills.csv", args.skills, seed=1, features=features
        )
        results = {"read": bench_read(path, args.runs)}
        catalogue = read_catalogue(path)
        tracer.trace(model, "weather")  # the first trace of a process (docs: "first trace")
        results["reach"] = bench_reach(model, catalogue)
        results["trace"] = bench_trace(model, catalogue, path, folder, args.traces)
        if not args.no_ledger:
            results["ledger"] = bench_ledger(
                folder, path, args.events, args.users, args.ledger_runs
            )
    text = table(results, args)
    print(text)
    if args.write:
        write_between(args.write, "bench-skills", text)


if __name__ == "__main__":
    main()
