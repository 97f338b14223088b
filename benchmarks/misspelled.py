"""Benchmark: a model whose every holder names a misspelled party (the did-you-mean path).

``tracer.parse_model`` of N parties and N holders, each holder naming a distinct misspelled party
(``partyy-00042``), against the baseline of the same model spelled right, in the same run. Before
the suggestion index, 10,000 misspellings took minutes (each compared with every party id).

    python benchmarks/misspelled.py                  # 1k, 10k
    python benchmarks/misspelled.py --sizes 1000 2000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tracer  # noqa: E402


def model_text(size: int, *, misspelled: bool) -> str:
    """A JSON model of ``size`` parties and ``size`` holders, one per party."""
    party = "partyy" if misspelled else "party"
    data = {
        "format": "tracer/1",
        "name": "misspelled",
        "parties": {f"party-{i:05d}": {"name": f"Party {i}"} for i in range(size)},
        "holders": {
            f"holder-{i:05d}": {"name": f"Holder {i}", "party": f"{party}-{i:05d}"}
            for i in range(size)
        },
    }
    return json.dumps(data)


def seconds(text: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(tracer.ModelError):  # the misspelled model fails, as it must
        tracer.parse_model(text, name="m.json")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args()
    print("| misspelled holders | misspelled (s) | spelled right (s) | ratio |")
    print("|---:|---:|---:|---:|")
    for size in args.sizes:
        bad = seconds(model_text(size, misspelled=True))
        good = seconds(model_text(size, misspelled=False))
        print(f"| {size:,} | {bad:.2f} | {good:.2f} | {bad / good:.1f} |")


if __name__ == "__main__":
    main()
