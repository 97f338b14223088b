"""Benchmark: importing an Alexa Voice History export against ``json.loads`` of the same files.

The import (``tracer.history.import_alexa``: read every record a chunk at a time, check it, map
it to an interaction, write the events log) is timed beside its floor measured in the same run
on the same files: Python's C ``json.loads`` of each file, read whole (what any reader of the
export pays at least, holding the whole page in memory). Each runs in a fresh process, so each
peak memory (VmHWM) is its own; with ``--runs`` the best of each is kept. The ratio is of CPU
time (the process's own), which a machine shared with other work stretches far less than wall
time; wall time is reported beside it.

The export is synthetic and seeded: pages of ``customerHistoryRecords`` as the privacy page
serves them, records with two items (what was said, the answer), a skill name on one in four.

    python benchmarks/bench_history.py                     # 1,000,000 records (the issue's size)
    python benchmarks/bench_history.py --records 100000    # what a shared machine can afford
    python benchmarks/bench_history.py --records 100000 --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from markers import write_between

ROOT = Path(__file__).resolve().parent.parent

PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
PROBE_LOADS = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
count = 0
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as file:
        count += len(json.loads(file.read())["customerHistoryRecords"])
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "peak_kb": PEAK, "records": count}))
""".replace("PEAK", PEAK)
PROBE_IMPORT = """
import json, sys, time
import tracer
from tracer.history import import_alexa
model = tracer.load_model()
start, cpu = time.perf_counter(), time.process_time()
result = import_alexa(sys.argv[2:], sys.argv[1], model=model)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "peak_kb": PEAK,
                  "records": result.records, "events": result.events}))
""".replace("PEAK", PEAK)

KINDS = [
    ({"domain": "Weather", "intent": "GetWeatherForecastIntent"}, "what's the weather"),
    ({"domain": "Music", "intent": "PlayMusicIntent"}, "play some jazz in the kitchen"),
    ({"domain": "Knowledge", "intent": "QAIntent"}, "how tall is the Eiffel tower"),
    ({"domain": "Notifications"}, "remind me to call Zoë at six"),
    ({"skillName": "Domino's", "domain": "Skills"}, "ask Domino's to order my easy order"),
    ({"skillName": "Uber", "domain": "Skills"}, "ask Uber for a ride home"),
    ({"skillName": "Sleep Sounds", "domain": "Skills"}, "play ocean sounds"),
    ({"skillName": "Quiz Castle", "domain": "Skills"}, "open Quiz Castle"),
]


def write_export(folder: Path, records: int, page: int, seed: int = 1) -> list[Path]:
    """The synthetic export's page files in ``folder``."""
    rng = random.Random(seed)
    start = 1_704_067_200_000  # 2024-01-01
    files = []
    for first in range(0, records, page):
        items = []
        for index in range(first, min(first + page, records)):
            fields, said = (
                KINDS[rng.randrange(len(KINDS))] if rng.random() < 0.25 else KINDS[rng.randrange(4)]
            )
            ms = start + index * 30_000 + rng.randrange(30_000)
            key = f"{rng.getrandbits(64):016x}"
            items.append(
                {
                    "recordKey": f"A3S5BH2HU6VAYF#G090XG0000000000#{ms}#{key}",
                    "recordType": "VOICE_HISTORY",
                    "timestamp": ms,
                    "customerId": "A1SAMPLECUSTOMER0",
                    "device": {"deviceName": "Kitchen Echo", "deviceSerialNumber": "G090XG00"},
                    "utteranceType": "GENERAL",
                    **fields,
                    "voiceHistoryRecordItems": [
                        {
                            "recordItemKey": f"{key}#CUSTOMER_TRANSCRIPT",
                            "recordItemType": "CUSTOMER_TRANSCRIPT",
                            "utteranceId": key,
                            "timestamp": ms,
                            "transcriptText": said,
                        },
                        {
                            "recordItemKey": f"{key}#ALEXA_RESPONSE",
                            "recordItemType": "ALEXA_RESPONSE",
                            "utteranceId": key,
                            "timestamp": ms + 1200,
                            "transcriptText": "OK.",
                        },
                    ],
                }
            )
        path = folder / f"page-{len(files) + 1:05d}.json"
        data = {"customerHistoryRecords": items, "encodedRequestToken": None}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        files.append(path)
    return files


def probe(script: str, args: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout)


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda run: run["cpu"])


def table(records: int, files: list[Path], loads: dict, imported: dict) -> str:
    size = sum(p.stat().st_size for p in files)
    ratio = imported["cpu"] / loads["cpu"]
    rate = records / imported["cpu"]
    return "\n".join(
        [
            f"Measured by `python benchmarks/bench_history.py --records {records}` on "
            f"{date.today().isoformat()} ({platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.system()}): {records:,} records in "
            f"{len(files):,} page files, {size / 1e6:,.0f} MB.",
            "",
            "| figure | tracer | baseline | ratio | target |",
            "|---|---:|---:|---:|---|",
            f"| import, end to end (CPU time) | {imported['cpu']:.2f} s ({rate:,.0f} records/s) "
            f"| `json.loads` of the same files: {loads['cpu']:.2f} s | {ratio:.2f}x | ≤ 3x |",
            f"| the same, wall time | {imported['seconds']:.2f} s | {loads['seconds']:.2f} s | "
            f"{imported['seconds'] / loads['seconds']:.2f}x | reported |",
            f"| peak memory | {imported['peak_kb'] / 1024:,.0f} MB | `json.loads`, one page "
            f"at a time: {loads['peak_kb'] / 1024:,.0f} MB | "
            f"{imported['peak_kb'] / loads['peak_kb']:.2f}x | bounded |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--page", type=int, default=10_000, help="records per page file")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = write_export(folder, options.records, options.page)
        names = [str(p) for p in files]
        loads, imported = [], []
        for _ in range(options.runs):  # alternated, so a busy spell of the machine hits both
            loads.append(probe(PROBE_LOADS, names))
            imported.append(probe(PROBE_IMPORT, [str(folder / "events.csv"), *names]))
        assert best(imported)["records"] == options.records, best(imported)
        text = table(options.records, files, best(loads), best(imported))
    print(text)
    if options.write:
        write_between(options.write, "bench-history", text)


if __name__ == "__main__":
    main()
