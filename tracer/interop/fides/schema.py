"""What the Fides reader and writer share: fideslang's models (the ``tracer[fides]`` extra),
imported on first use, and the syntax of a Fides key.

>>> bool(FIDES_KEY.fullmatch("user.biometrics.voice"))
True
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...errors import OutputError

__all__ = ["FIDES_KEY", "fideslang"]

FIDES_KEY = re.compile(r"[a-zA-Z0-9_.<>-]+")  # fideslang's FIDES_KEY_PATTERN


@cache
def fideslang() -> Any:
    """``fideslang.models``, or an error saying how to install it."""
    try:
        import fideslang.models as models
    except ImportError:  # pragma: no cover - the extra is installed by make setup
        raise OutputError(
            "reading or writing Fides needs the fideslang package: pip install 'tracer[fides]'"
        ) from None
    return models
