"""The local explorer (``tracer serve``): a web page to pick an interaction, switch deletion
requests on and off at their times, move the query time, and see at once the diagram, every
copy with its status, reason, evidence and confidence, and who can still access what.

This package owns the page and everything behind it: the ASGI application and its JSON API
(:mod:`.app`; ``/api/trace/{interaction}`` is exactly ``tracer trace --format json``), the
watched model file (:mod:`.source`), the dicts the page shows (:mod:`.views`), the diagram as
SVG (:mod:`.diagram`), running the app in the background (:mod:`.server`), and the templates
and the hand-written script and styles under ``templates/`` and ``static/``. Nothing is fetched
from the network; the app is read-only.

>>> from starlette.testclient import TestClient
>>> TestClient(create_app()).get("/").status_code
200
"""

from __future__ import annotations

from .app import CONTENT_SECURITY_POLICY, create_app
from .server import running

__all__ = ["CONTENT_SECURITY_POLICY", "create_app", "running"]
