"""Benchmark: the first trace after a load, and where its time goes (issue 15, goal 4).

    python benchmarks/first_trace.py /tmp/p/m100000.json [--runs 3]

Each run is a fresh process that loads the model file (``cache=False``), then times, on that
one model: the first ``tracer.trace`` as a program makes it (the edge index built on the way,
and the collector's first pass over what the load made, as it falls); the same trace again with
a fresh index, filed one holder at a time (the default) and with every edge filed up front (the
index before this change), after ``gc.freeze()`` so the collector is out of both. Printed: the
median of the runs and their min and max, in milliseconds, and the ratio of the two indexes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = """
import gc, json, sys, time
import tracer
from tracer.graph import EdgeIndex

model = tracer.load_model(sys.argv[1], max_bytes=2**31, cache=False)
name = sorted(model.interactions)[0]
pauses = []
gc.callbacks.append(lambda phase, info: pauses.append(time.perf_counter()))
start = time.perf_counter()
tracer.trace(model, name, ["delete-recording"])
first = time.perf_counter() - start
collector = sum(pauses[i + 1] - pauses[i] for i in range(0, len(pauses) - 1, 2))
gc.callbacks.clear()
gc.freeze()  # the collector out of the comparison below


def timed(**options):
    model._derived.clear()
    start = time.perf_counter()
    model._derived["edge_index"] = EdgeIndex(model, **options)
    tracer.trace(model, name, ["delete-recording"])
    return time.perf_counter() - start


lazy, whole = timed(), timed(lazy_from=2**62)
print(json.dumps({"first": first, "collector": collector, "lazy": lazy, "whole": whole}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="a model file (JSON or YAML)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    runs = []
    for _ in range(options.runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE, options.model], check=True, capture_output=True, text=True
        ).stdout
        runs.append(json.loads(out))
    for key, label in (
        ("first", "first trace after the load (as a program sees it)"),
        ("collector", "  of which the collector's pauses"),
        ("lazy", "index filed per holder + trace (collector frozen)"),
        ("whole", "index filed whole + trace (collector frozen)"),
    ):
        values = [run[key] * 1000 for run in runs]
        print(
            f"{label:52s} {statistics.median(values):8.1f} ms "
            f"(min {min(values):.1f}, max {max(values):.1f})"
        )
    ratios = [run["whole"] / run["lazy"] for run in runs]
    print(f"{'whole / per holder':52s} {statistics.median(ratios):8.2f}x")


if __name__ == "__main__":
    main()
