"""Benchmark: load+validate, peak memory and trace time on synthetic models of growing size.

Each number stands beside a baseline measured in the same run, on the same file or graph:
- load+validate (``tracer.load_model``) against PyYAML's C loader parsing the same file
  (``yaml.load(text, Loader=yaml.CSafeLoader)``), both reading the file from disk;
- peak memory (max RSS of a fresh process doing only that) for both;
- one trace (``tracer.trace`` of one interaction with ``delete-recording``) against
  ``networkx.descendants`` from the device on the same model's ecosystem graph;
- the ecosystem overview drawn as .svg (``tracer.draw``, Graphviz included; big models grouped).

Every measurement runs in a fresh Python process so peak memory belongs to it alone.

    python benchmarks/bench.py                      # 100, 1k, 10k, 100k holders
    python benchmarks/bench.py --sizes 100 1000     # a quick run
    python benchmarks/bench.py --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracer.synthetic import synthetic_model, to_yaml  # noqa: E402

# Each probe prints one JSON object: what it timed, and the process's peak RSS. The peak is read
# from /proc (VmHWM, the high-water mark of this process's own memory): getrusage's ru_maxrss
# survives exec, so it would report the benchmark's parent process instead.
PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
PROBE_PARSE = """
import json, sys, time, yaml
start = time.perf_counter()
yaml.load(open(sys.argv[1], encoding="utf-8").read(), Loader=yaml.CSafeLoader)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": PEAK}))
""".replace("PEAK", PEAK)

PROBE_LOAD = """
import json, sys, time
import tracer
start = time.perf_counter()
model = tracer.load_model(sys.argv[1], max_bytes=2**31)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": PEAK}))
""".replace("PEAK", PEAK)

PROBE_RENDER = """
import json, sys, tempfile, time
from pathlib import Path
import tracer
model = tracer.load_model(sys.argv[1], max_bytes=2**31)
out = Path(tempfile.mkdtemp()) / "overview.svg"
start = time.perf_counter()
tracer.draw(model, out)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": out.stat().st_size}))
"""

PROBE_TRACE = """
import json, statistics, sys, time
import networkx as nx
import tracer
model = tracer.load_model(sys.argv[1], max_bytes=2**31)
names = sorted(model.interactions)[:50]
start = time.perf_counter()
tracer.trace(model, names[0], ["delete-recording"])
first = time.perf_counter() - start
runs = []
for name in names:
    start = time.perf_counter()
    result = tracer.trace(model, name, ["delete-recording"])
    runs.append(time.perf_counter() - start)
graph = tracer.ecosystem_graph(model)
baseline = []
for _ in names:
    start = time.perf_counter()
    reached = nx.descendants(graph, "echo")
    baseline.append(time.perf_counter() - start)
print(json.dumps({"first": first, "trace": statistics.median(runs), "copies": len(result.copies),
                  "descendants": statistics.median(baseline), "reached": len(reached)}))
"""


def probe(code: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"a probe failed on {path.name}:\n{done.stderr}")
    return json.loads(done.stdout)


def measure(holders: int, folder: Path) -> dict:
    data = synthetic_model(holders=holders)
    path = folder / f"synthetic-{holders}.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    parse = probe(PROBE_PARSE, path)
    load = probe(PROBE_LOAD, path)
    traced = probe(PROBE_TRACE, path)
    drawn = probe(PROBE_RENDER, path)
    return {
        "holders": holders, "flows": len(data["flows"]), "interactions": len(data["interactions"]),
        "megabytes": path.stat().st_size / 1e6,
        "parse_s": parse["seconds"], "load_s": load["seconds"],
        "parse_peak_mb": parse["peak_kb"] / 1024, "load_peak_mb": load["peak_kb"] / 1024,
        "first_trace_ms": traced["first"] * 1e3, "trace_ms": traced["trace"] * 1e3,
        "copies": traced["copies"], "descendants_ms": traced["descendants"] * 1e3,
        "overview_s": drawn["seconds"],
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| holders | flows | file | C-loader parse | load+validate | ratio | peak (C-loader) "
        "| peak (tracer) | first trace | trace | nx.descendants | ratio | overview .svg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['holders']:,} | {r['flows']:,} | {r['megabytes']:.1f} MB | {r['parse_s']:.2f} s "
            f"| {r['load_s']:.2f} s | {r['load_s'] / r['parse_s']:.2f}x | {r['parse_peak_mb']:,.0f} MB "
            f"| {r['load_peak_mb']:,.0f} MB | {r['first_trace_ms']:.1f} ms | {r['trace_ms']:.2f} ms "
            f"| {r['descendants_ms']:.2f} ms | {r['trace_ms'] / r['descendants_ms']:.3f}x "
            f"| {r['overview_s']:.2f} s |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for holders in args.sizes:
            started = time.perf_counter()
            rows.append(measure(holders, Path(folder)))
            print(f"{holders:>7,} holders measured in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    result = table(rows)
    print(result)
    if args.write:
        write(args.write, result, rows)


def write(path: Path, result: str, rows: list[dict]) -> None:
    machine = f"{platform.machine()}, Python {platform.python_version()}, {platform.system()}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    block = (f"{begin}\nMeasured by `make bench` on {time.strftime('%Y-%m-%d')} ({machine}); "
             f"trace times are medians over up to 50 interactions.\n\n{result}\n{end}")
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text += ("\n" if text else "") + block + "\n"
    path.write_text(text, encoding="utf-8")
    _ = statistics  # medians are taken in the probes


if __name__ == "__main__":
    main()
