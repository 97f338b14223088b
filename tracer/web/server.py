"""Running the explorer under uvicorn in a background thread: for tests, screenshots and any
program that wants the page for a while (``tracer serve`` runs uvicorn in the foreground).

>>> from tracer.web import create_app
>>> import urllib.request
>>> with running(create_app()) as url:
...     urllib.request.urlopen(url + "/api/version").status
200
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

__all__ = ["running"]


@contextmanager
def running(app: Any, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` on ``host``:``port`` (0: a free port) until the block ends; yields the URL
    (``http://127.0.0.1:PORT``)."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="tracer-explorer", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the explorer did not start on {host}:{port}")
            time.sleep(0.01)
        bound = server.servers[0].sockets[0].getsockname()
        yield f"http://{host}:{bound[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
