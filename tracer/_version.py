"""The version, in one place: pyproject.toml reads it (``[tool.setuptools.dynamic]``), and
``tracer.__version__`` needs no ``importlib.metadata`` (30 ms) at import time."""

__version__ = "0.1.0"
