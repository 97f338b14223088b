"""Benchmark: what a user of tracer waits for, each figure beside a baseline doing the same work.

Every figure is the median of ``--runs`` (default 3) runs, each in a fresh Python process (so
imports, caches and peak memory belong to that run alone), printed with its min and max.

On synthetic models shaped like the shipped Alexa model (``tracer.synthetic``: no YAML aliases
unless ``--aliases``, notes, purposes and sources on every part, traces of 20-40 copies):

- **load YAML**: ``tracer.load_model(path, cache=False)`` (read, parse, validate, resolve every
  reference) against libyaml's event stream over the same file (``yaml.parse(text,
  Loader=CSafeLoader)``), the work tracer's reader builds on. PyYAML's C loader building its node
  tree (``yaml.load``) is an extra column, labelled as the tree-building reference (one run, and
  only up to ``--tree-up-to`` holders: at 100,000 it takes minutes and gigabytes, mostly gc).
  Above ``--full-up-to`` holders (default 100,000) only loading is measured.
- **load JSON**: the same model as JSON, against ``json.loads`` of the same text.
- **first trace**: the first ``tracer.trace`` after a load, building the edge index included.
- **trace**: the median over up to 50 interactions, against a tag-aware traversal with networkx
  of the same copies (BFS over the ecosystem graph following only the edges the interaction's tags
  switch on and that carry the record): the same question, answered by a general graph library.
- **CLI**: ``tracer --no-cache trace INTERACTION -m FILE`` as a whole process, against a process
  that only loads the model; and the same command again with the parsed-model cache warm.
- **peak**: the process's high-water mark of resident memory (VmHWM).

On the shipped model: every command as a whole process, against ``python -c pass``.

    python benchmarks/bench.py                          # 1k and 10k holders (`make bench`)
    python benchmarks/bench.py --commands-only          # the shipped-model commands alone
    python benchmarks/bench.py --sizes 1000 --runs 1    # a quick look
    python benchmarks/bench.py --write docs/performance.md
    python benchmarks/bench.py --sizes 100000 300000 --runs 1 --write docs/performance.md
                                                        # the big sizes (`make bench-big`)

With ``--write``, the tables go between ``<!-- MARKER:begin -->`` and ``<!-- MARKER:end -->``
(``--marker``, default ``bench``; the big sizes go to ``bench-big``), with the command, the date
and the machine's load average before and after the run.
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

from tracer.gcpause import paused_gc  # noqa: E402
from tracer.synthetic import synthetic_model, to_yaml  # noqa: E402

# the installed console script, as a user runs it
TRACER = [str(Path(sys.executable).with_name("tracer"))]

# Each probe prints one JSON object: what it timed, and the process's peak RSS, read from /proc
# (VmHWM, this process's own high-water mark: getrusage's ru_maxrss survives exec).
PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
PROBES = {
    "events": """
import json, sys, time, yaml
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
    pass
print(json.dumps({"seconds": time.perf_counter() - start, "peak_kb": PEAK}))
""",
    "tree": """
import json, sys, time, yaml
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
yaml.load(text, Loader=yaml.CSafeLoader)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_kb": PEAK}))
""",
    "json": """
import json, sys, time
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
json.loads(text)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_kb": PEAK}))
""",
    # reads the file inside the timed part, as the baselines' open().read() is outside theirs:
    # tracer's figure includes reading (small next to parsing), so the ratio is, if anything, unfair to it
    "load": """
import json, sys, time
import tracer
start = time.perf_counter()
model = tracer.load_model(sys.argv[1], max_bytes=2**31, cache=False)
loaded = time.perf_counter()
tracer.trace(model, sorted(model.interactions)[0], ["delete-recording"])
first = time.perf_counter()
print(json.dumps({"seconds": loaded - start, "first": first - loaded, "peak_kb": PEAK}))
""",
    "trace": """
import json, statistics, sys, time
from collections import deque
import tracer
model = tracer.load_model(sys.argv[1], max_bytes=2**31, cache=False)
names = sorted(model.interactions)[:50]
tracer.trace(model, names[0], ["delete-recording"])  # the index, built once
runs, copies = [], []
for name in names:
    start = time.perf_counter()
    result = tracer.trace(model, name, ["delete-recording"])
    runs.append(time.perf_counter() - start)
    copies.append(len(result.copies))
graph = tracer.ecosystem_graph(model)
def reach(spec):
    tags = set(spec.tags)
    seen = {(h, r) for h, records in spec.starts.items() for r in records}
    queue = deque(seen)
    while queue:
        holder, record = queue.popleft()
        for _, target, data in graph.out_edges(holder, data=True):
            if not set(data["when"]) <= tags:
                continue
            if data["kind"] == "flow":
                step = (target, record) if record in data["records"] else None
            else:
                step = (holder, data["records"][1]) if data["records"][0] == record else None
            if step is not None and step not in seen:
                seen.add(step)
                queue.append(step)
    return seen
baseline = []
for name in names:
    start = time.perf_counter()
    reached = reach(model.interactions[name])
    baseline.append(time.perf_counter() - start)
    assert len(reached) == copies[names.index(name)], (name, len(reached))
print(json.dumps({"trace": statistics.median(runs), "networkx": statistics.median(baseline),
                  "copies": [min(copies), max(copies)]}))
""",
    "import_load": """
import sys
import tracer
tracer.load_model(sys.argv[1], max_bytes=2**31, cache=False)
""",
    "draw": """
import json, sys, tempfile, time
from pathlib import Path
import tracer
model = tracer.load_model(sys.argv[1], max_bytes=2**31, cache=False)
out = Path(tempfile.mkdtemp()) / "overview.svg"
start = time.perf_counter()
tracer.draw(model, out)
print(json.dumps({"seconds": time.perf_counter() - start}))
""",
}


def probe(name: str, path: Path) -> dict:
    code = PROBES[name].replace("PEAK", PEAK)
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the {name} probe failed on {path.name}:\n{done.stderr}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds a whole process takes, start to exit."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds


class Figure:
    """The runs of one measurement: median, min and max."""

    def __init__(self, values: list[float]):
        self.values = sorted(values)
        self.median = statistics.median(values)

    def show(self, unit: str, scale: float = 1.0, digits: int = 2) -> str:
        low, mid, high = (v * scale for v in (self.values[0], self.median, self.values[-1]))
        if len(self.values) == 1:
            return f"{mid:,.{digits}f} {unit}"
        return f"{mid:,.{digits}f} {unit} ({low:,.{digits}f}–{high:,.{digits}f})"


def repeat(runs: int, measure) -> list:
    return [measure() for _ in range(runs)]


def measure_size(
    holders: int, folder: Path, runs: int, aliases: bool, tree: bool, draw: bool, full: bool
) -> dict:
    yaml_path = folder / f"synthetic-{holders}.yaml"
    json_path = folder / f"synthetic-{holders}.json"
    with paused_gc():  # millions of small objects: see tracer.gcpause
        data = synthetic_model(holders=holders)
        yaml_path.write_text(to_yaml(data, aliases=aliases), encoding="utf-8")
        json_path.write_text(json.dumps(data), encoding="utf-8")
    say(f"{holders:,} holders: model files written")
    row: dict = {
        "holders": holders,
        "flows": len(data["flows"]),
        "yaml_mb": yaml_path.stat().st_size / 1e6,
        "bytes_per_holder": yaml_path.stat().st_size / holders,
    }
    events = repeat(runs, lambda: probe("events", yaml_path))
    loads = repeat(runs, lambda: probe("load", yaml_path))
    say(f"{holders:,} holders: YAML loaded")
    row["events"] = Figure([r["seconds"] for r in events])
    row["load_yaml"] = Figure([r["seconds"] for r in loads])
    row["peak_yaml_mb"] = Figure([r["peak_kb"] / 1024 for r in loads])
    row["first_trace"] = Figure([r["first"] for r in loads])
    # the reference column, once: at 100k holders one run takes minutes and most of it is gc
    row["tree"] = Figure([probe("tree", yaml_path)["seconds"]]) if tree else None
    row["json_loads"] = Figure([probe("json", json_path)["seconds"] for _ in range(runs)])
    json_loads = repeat(runs, lambda: probe("load", json_path))
    row["load_json"] = Figure([r["seconds"] for r in json_loads])
    row["peak_json_mb"] = Figure([r["peak_kb"] / 1024 for r in json_loads])
    say(f"{holders:,} holders: JSON loaded")
    row["full"] = full
    if not full:
        return row
    traced = probe("trace", json_path)
    row["trace"], row["networkx"], row["copies"] = (
        traced["trace"],
        traced["networkx"],
        traced["copies"],
    )
    interaction = sorted(data["interactions"])[0]
    only_load = [sys.executable, "-c", PROBES["import_load"], str(json_path)]
    cli = [*TRACER, "trace", interaction, "-m", str(json_path)]
    row["load_process"] = Figure(repeat(runs, lambda: wall(only_load)))
    row["cli"] = Figure(repeat(runs, lambda: wall([TRACER[0], "--no-cache", *cli[1:]])))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "TRACER_CACHE_DIR": cache}
        wall(cli, env)  # fills the cache
        row["cli_cached"] = Figure(repeat(runs, lambda: wall(cli, env)))
    row["draw"] = Figure([probe("draw", json_path)["seconds"]]) if draw else None
    return row


def say(message: str) -> None:
    """Progress, on stderr: a run at 300,000 holders takes a while."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def measure_commands(runs: int) -> list[tuple[str, Figure]]:
    shipped = ROOT / "tracer" / "graphs"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "tracer --version": [*TRACER, "--version"],
        "tracer ledger --help": [*TRACER, "ledger", "--help"],
        "tracer list": [*TRACER, "list"],
        "tracer trace dominos-order -d delete-recording": [
            *TRACER,
            "trace",
            "dominos-order",
            "-d",
            "delete-recording",
        ],
        # the same trace as JSON: no table, so no rich (the table's cost is the difference)
        "tracer trace dominos-order -d delete-recording -f json": [
            *TRACER,
            "trace",
            "dominos-order",
            "-d",
            "delete-recording",
            "-f",
            "json",
        ],
        "tracer access dominos-order -d delete-recording": [
            *TRACER,
            "access",
            "dominos-order",
            "-d",
            "delete-recording",
        ],
        "tracer holders dominos-order transcript": [
            *TRACER,
            "holders",
            "dominos-order",
            "transcript",
        ],
        "tracer validate": [*TRACER, "validate"],
        "tracer check": [*TRACER, "check"],
        "tracer diff alexa.yaml alexa-2025.yaml dominos-order": [
            *TRACER,
            "diff",
            str(shipped / "alexa.yaml"),
            str(shipped / "alexa-2025.yaml"),
            "dominos-order",
        ],
    }
    # as after any first run of an installed tracer: its bytecode written (a session that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile every tracer module in every run)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in commands.values():  # warm the parsed-model cache and the OS's file cache
        wall(command, env)
    return [
        (name, Figure(repeat(max(runs, 5), lambda c=command: wall(c, env))))
        for name, command in commands.items()
    ]


def ratio(a: Figure | float, b: Figure | float) -> str:
    a = a.median if isinstance(a, Figure) else a
    b = b.median if isinstance(b, Figure) else b
    return f"{a / b:.2f}x"


def tables(rows: list[dict], commands: list[tuple[str, Figure]] | None) -> str:
    out = [
        "**Load and validate** (median of runs, min–max in brackets)",
        "",
        "| holders | flows | YAML | bytes/holder | libyaml events | tracer YAML | ratio "
        "| C loader tree (reference, 1 run) | json.loads | tracer JSON | ratio | peak YAML | peak JSON |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        tree = r["tree"].show("s") if r["tree"] else "not run"
        out.append(
            f"| {r['holders']:,} | {r['flows']:,} | {r['yaml_mb']:.1f} MB | {r['bytes_per_holder']:,.0f} "
            f"| {r['events'].show('s')} | {r['load_yaml'].show('s')} | {ratio(r['load_yaml'], r['events'])} "
            f"| {tree} | {r['json_loads'].show('s')} | {r['load_json'].show('s')} "
            f"| {ratio(r['load_json'], r['json_loads'])} | {r['peak_yaml_mb'].show('MB', digits=0)} "
            f"| {r['peak_json_mb'].show('MB', digits=0)} |"
        )
    out += [
        "",
        "**Trace and the command line** (JSON model files; a whole `tracer trace` process against a "
        "process that only loads the model)",
        "",
        "| holders | copies per trace | first trace | trace | networkx, tag-aware | ratio "
        "| load-only process | `tracer --no-cache trace` | ratio | `tracer trace`, cache warm | overview .svg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if not r["full"]:  # loading only: the first trace was timed by the load probe
            skipped = " | ".join(["not run"] * 8)
            out.append(
                f"| {r['holders']:,} | | {r['first_trace'].show('ms', 1e3, 1)} | {skipped} |"
            )
            continue
        low, high = r["copies"]
        out.append(
            f"| {r['holders']:,} | {low}–{high} | {r['first_trace'].show('ms', 1e3, 1)} "
            f"| {r['trace'] * 1e3:.2f} ms | {r['networkx'] * 1e3:.2f} ms | {ratio(r['trace'], r['networkx'])} "
            f"| {r['load_process'].show('s')} | {r['cli'].show('s')} | {ratio(r['cli'], r['load_process'])} "
            f"| {r['cli_cached'].show('s')} | {r['draw'].show('s') if r['draw'] else 'not run'} |"
        )
    if not commands:
        return "\n".join(out)
    return "\n".join(out) + "\n\n" + commands_table(commands)


def commands_table(commands: list[tuple[str, Figure]]) -> str:
    out = [
        "**Every command on the shipped model** (whole processes, parsed-model cache warm, "
        "bytecode written)",
        "",
        "| command | wall | against `python -c pass` |",
        "|---|---:|---:|",
    ]
    baseline = commands[0][1]
    for name, figure in commands:
        out.append(f"| `{name}` | {figure.show('s', digits=3)} | {ratio(figure, baseline)} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1_000, 10_000],
        help="holders of each synthetic model (default: 1000 10000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="fresh-process runs per figure")
    parser.add_argument("--aliases", action="store_true", help="share equal rules by YAML aliases")
    parser.add_argument(
        "--tree-up-to",
        type=int,
        default=10_000,
        metavar="HOLDERS",
        help="run the C loader's tree column only up to this size (default 10000)",
    )
    parser.add_argument("--no-tree", action="store_true", help="skip the C loader's tree column")
    parser.add_argument(
        "--draw-up-to",
        type=int,
        default=100_000,
        metavar="HOLDERS",
        help="draw the overview .svg only up to this size (default 100000)",
    )
    parser.add_argument(
        "--full-up-to",
        type=int,
        default=100_000,
        metavar="HOLDERS",
        help="above this size, measure only loading (default 100000)",
    )
    parser.add_argument(
        "--no-commands", action="store_true", help="skip the table of commands on the shipped model"
    )
    parser.add_argument("--write", type=Path, help="write the tables into this Markdown file")
    parser.add_argument(
        "--marker", default="bench", help="write between <!-- MARKER:begin/end --> (default: bench)"
    )
    parser.add_argument(
        "--commands-only",
        action="store_true",
        help="only the shipped-model commands (printed, never written)",
    )
    args = parser.parse_args()
    if args.commands_only:
        print(commands_table(measure_commands(args.runs)))
        return
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            for holders in args.sizes:
                started = time.perf_counter()
                tree = not args.no_tree and holders <= args.tree_up_to
                rows.append(
                    measure_size(
                        holders,
                        Path(folder),
                        args.runs,
                        args.aliases,
                        tree,
                        holders <= args.draw_up_to,
                        holders <= args.full_up_to,
                    )
                )
                say(f"{holders:,} holders measured in {time.perf_counter() - started:.0f} s")
        except BaseException:
            if rows:  # what was measured is kept when a later size does not finish
                say("stopped; measured so far:\n" + tables(rows, None))
            raise
    # the tables are printed once, at the end
    result = tables(rows, None if args.no_commands else measure_commands(args.runs))
    print(result)
    if args.write:
        write(args.write, result, args, (load_before, os.getloadavg()))


def write(path: Path, result: str, args: argparse.Namespace, loads: tuple) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    begin, end = f"<!-- {args.marker}:begin -->", f"<!-- {args.marker}:end -->"
    command = " ".join(["python benchmarks/bench.py", *sys.argv[1:]])
    load = f"{loads[0][0]:.1f} at the start and {loads[1][0]:.1f} at the end"
    block = (
        f"{begin}\nMeasured by `{command}` on {time.strftime('%Y-%m-%d')} ({machine}), "
        f"{args.runs} run{'s' if args.runs > 1 else ''} per figure"
        f"{', aliased rules' if args.aliases else ''}; the machine's load average (1 min) "
        f"was {load}.\n\n"
        f"{result}\n{end}"
    )
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text += ("\n" if text else "") + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
