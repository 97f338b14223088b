"""uvicorn's server as ``tracer serve`` runs it: it says where the page is once it listens, and
opens it when asked. Its own module so that only ``serve`` imports uvicorn."""

from __future__ import annotations

import webbrowser

import uvicorn

from tracer.cli.common import _say

__all__ = ["ExplorerServer"]


class ExplorerServer(uvicorn.Server):
    """uvicorn, saying where the page is once it listens, and opening it when asked."""

    def __init__(self, config: uvicorn.Config, *, open_browser: bool):
        super().__init__(config)
        self.open_browser = open_browser

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if not self.started:
            return
        bound = self.servers[0].sockets[0].getsockname()
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{bound[1]}/"
        _say(f"tracer explorer on {url} (Ctrl+C stops it)", stderr=True)
        if self.open_browser:
            webbrowser.open(url)
