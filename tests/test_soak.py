"""The explorer under load while its model file is replaced, truncated, made a FIFO and restored
(issue 23): every answer is 200, 404 or 503, memory stays bounded, and SIGTERM stops it.

Marked ``soak``: it runs in the default suite, briefly (1,000 requests in a few seconds);
``TRACER_SOAK_REQUESTS`` runs it longer.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("TRACER_SOAK_REQUESTS", "1000"))
MODEL = """\
format: tracer/1
name: Soak
sources: {s1: {title: A source}}
parties: {acme: {name: Acme}, partner: {name: Partner}}
records: {note: {name: Note}}
holders:
  inbox: {name: Inbox, party: acme, keeps: {note: {for: 30d, deleted_by: [wipe], evidence: [s1]}}}
  copy: {name: Copy, party: partner, keeps: {note: {for: unknown, evidence: [s1]}}}
flows: [{from: inbox, to: copy, carries: [note], evidence: [s1]}]
interactions: {write: {name: Write, starts: {inbox: [note]}}}
deletions: {wipe: {name: Wipe, by: acme}}
"""
PATHS = [
    "/api/version",
    "/api/model",
    "/api/trace/write",
    "/api/trace/write?delete=wipe&at=30d",
    "/api/trace/nope",
    "/api/view/write",
    "/api/copy/write/inbox/note",
    "/",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def mutate(path: Path, stop: threading.Event) -> Counter:
    """Replace, truncate, make a FIFO of and restore the model file, over and over."""
    done: Counter = Counter()
    while not stop.is_set():
        for step in ("replace", "truncate", "fifo", "restore"):
            if step == "replace":
                fresh = path.with_name("fresh.yaml")
                fresh.write_text(MODEL.replace("Soak", f"Soak {done['replace']}"))
                os.replace(fresh, path)
            elif step == "truncate":
                with path.open("r+b") as file:
                    file.truncate(len(MODEL) // 2)
            elif step == "fifo":
                path.unlink()
                os.mkfifo(path)
            else:
                path.unlink()
                path.write_text(MODEL)
            done[step] += 1
            if stop.wait(0.02):
                break
    return done


@pytest.mark.soak
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads memory from /proc")
def test_the_server_answers_while_its_model_changes_and_stops_on_sigterm(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text(MODEL)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tracer", "serve", "-m", str(model), "--port", str(port)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        connection = _connect(port, server)
        for path in PATHS:  # every route once before memory is measured
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            connection.getresponse().read()
        start = rss_kb(server.pid)
        stop = threading.Event()
        mutations: list[Counter] = []
        mutator = threading.Thread(target=lambda: mutations.append(mutate(model, stop)))
        mutator.start()
        statuses: Counter = Counter()
        began = time.monotonic()
        try:
            for number in range(REQUESTS):
                connection.request("GET", PATHS[number % len(PATHS)], headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                statuses[response.status] += 1
        finally:
            stop.set()
            mutator.join()
        seconds = time.monotonic() - began
        end = rss_kb(server.pid)
        connection.close()

        assert set(statuses) <= {200, 404, 503}, statuses
        assert sum(statuses.values()) == REQUESTS
        assert statuses[200] and statuses[503], statuses  # it served, and saw the file broken
        assert min(mutations[0].values()) >= 1, mutations  # every change was made at least once
        assert end < 2 * start, (start, end)
        assert seconds < 60, seconds

        stopped = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=5)
        assert time.monotonic() - stopped < 5
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Traceback" not in server.stderr.read()


def _connect(port: int, server: subprocess.Popen) -> http.client.HTTPConnection:
    deadline = time.monotonic() + 30
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/api/version", headers={"Host": "127.0.0.1"})
            connection.getresponse().read()
            return connection
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start: {server.stderr.read()}") from None
            time.sleep(0.1)
