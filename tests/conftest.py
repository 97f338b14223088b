"""Shared helpers: small models written inline, as a reader would write them."""

from __future__ import annotations

import textwrap

import pytest

import tracer

HEADER = """\
format: tracer/1
name: test
parties: {acme: {name: Acme}, other: {name: Other}}
records: {audio: {name: Audio}, text: {name: Text}, note: {name: Note}}
"""


def model(body: str, *, header: str = HEADER) -> tracer.Model:
    """A model from the shared header plus ``body`` (YAML, dedented)."""
    return tracer.parse_model(header + textwrap.dedent(body))


def statuses(result: tracer.Trace) -> dict[str, str]:
    return {copy.id: copy.status for copy in result.copies}


@pytest.fixture(scope="session")
def alexa() -> tracer.Model:
    return tracer.load_model()
