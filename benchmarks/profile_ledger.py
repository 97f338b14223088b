"""Profile a DuckDB ledger build statement by statement: wall and CPU seconds of each
``con.execute``, DuckDB's temporary (spilled) files, and the process's peak memory so far, on
stderr. CPU seconds are the figure to compare on a loaded machine.

    python benchmarks/profile_ledger.py LOG_FOLDER [LEDGER] [CATALOGUE]   # events.parquet, requests.parquet
    python -m tracer ledger synth --users 100000 --events 10000000 -o /tmp/log  # a 10M log
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import tracer.ledger.engines.duckdb as engine  # noqa: E402
from tracer.ledger import build  # noqa: E402


def peak_mb() -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) // 1024


class Timed:
    """A DuckDB connection that reports each statement it executes."""

    def __init__(self, con):
        self._con = con
        self._side = con.cursor()  # the same database, for asking about temporary files

    def execute(self, sql, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        result = self._con.execute(sql, *args)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        spilled = self._side.execute(
            "SELECT coalesce(sum(size), 0) FROM duckdb_temporary_files()"
        ).fetchone()[0]
        text = re.sub(r"\s+", " ", sql).strip()[:100]
        print(
            f"{wall:7.2f}s cpu {cpu:6.2f}s spilled {spilled // 2**20:5}MB "
            f"peak {peak_mb():5}MB  {text}",
            file=sys.stderr,
        )
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    folder = Path(sys.argv[1])
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp()) / "l.duckdb"
    engine.duckdb = types.SimpleNamespace(
        connect=lambda *a, **k: Timed(duckdb.connect(*a, **k)), Error=duckdb.Error
    )
    cpu = time.process_time()
    catalogue = sys.argv[3] if len(sys.argv) > 3 else None  # events on skill:ID
    result = build(
        folder / "events.parquet", folder / "requests.parquet", output=output, catalogue=catalogue
    )
    print(f"{result.line()}; {time.process_time() - cpu:.1f} CPU seconds", file=sys.stderr)


if __name__ == "__main__":
    main()
