"""Hypothesis profiles: ``dev`` (the default: quick), ``ci`` (chosen when ``CI=true``:
derandomized, so a red run is red again on a rerun, and more examples for the engine's
properties) and ``thorough`` (``make test-thorough``: many more). ``HYPOTHESIS_PROFILE`` names one
explicitly. tests/conftest.py imports this module first, so every ``@settings`` in the tests
inherits the loaded profile.

>>> examples(dev=50, ci=500, thorough=5000) in (50, 500, 5000)
True
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]

settings.register_profile("dev", deadline=None, suppress_health_check=QUIET)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=QUIET, derandomize=True, print_blob=True
)
settings.register_profile("thorough", deadline=None, suppress_health_check=QUIET)


def _chosen() -> str:
    named = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if named:
        return named
    return "ci" if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes") else "dev"


PROFILE = _chosen()
settings.load_profile(PROFILE)


def examples(*, dev: int, ci: int, thorough: int) -> int:
    """How many examples a property runs under the loaded profile."""
    return {"dev": dev, "ci": ci, "thorough": thorough}[PROFILE]
