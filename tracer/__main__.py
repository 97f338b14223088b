"""``python -m tracer``: the command line, as the ``tracer`` script runs it."""

from __future__ import annotations

from tracer.cli import main

if __name__ == "__main__":
    main()
