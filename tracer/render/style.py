"""How statuses and confidences look in every diagram: colour, and a second cue for greyscale.

Colours are the Okabe-Ito palette (safe for the common colour-blind vision types); each status
also has its own border style and its word in the label, and each confidence its own line style,
so a diagram printed in black and white, or read by a colour-blind reader, loses nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["CONFIDENCE_LINE", "STATUS_LOOK", "TRANSIENT_MEANING", "StatusLook", "short_id"]


@dataclass(frozen=True)
class StatusLook:
    word: str  # printed in the label
    fill: str
    font: str
    dot_style: str  # graphviz node style
    dash: str  # Mermaid stroke-dasharray ("" for solid)
    pen: str  # border width


STATUS_LOOK = {
    "held": StatusLook("held", "#D55E00", "#FFFFFF", "filled,bold", "", "3"),
    "may_remain": StatusLook("may remain", "#E69F00", "#000000", "filled,dashed,bold", "6 3", "3"),
    "deleted": StatusLook("deleted", "#56B4E9", "#000000", "filled,diagonals", "", "1"),
    "expired": StatusLook("expired", "#DDDDDD", "#000000", "filled,dotted", "2 2", "1"),
    "transient": StatusLook("transient", "#FFFFFF", "#000000", "filled,dashed", "2 4", "1"),
}

# the one status word that needs explaining, said once in each legend and glossary
TRANSIENT_MEANING = "passed through, never stored"

# line style of an edge by how sure its rule is: stated solid, reported or found dashed,
# alleged bold, assumed or unknown dotted
CONFIDENCE_LINE = {
    "stated": ("solid", ""),
    "law": ("solid", ""),
    "reported": ("dashed", "6 3"),
    "research": ("dashed", "6 3"),
    "alleged": ("bold", ""),
    "assumed": ("dotted", "2 3"),
    "unknown": ("dotted", "2 3"),
}


def short_id(kind: str, key: str) -> str:
    """A drawing id derived from a model id: ids may hold ``:`` or ``.``, which DOT reads as a
    port and Mermaid as syntax, so the raw id never appears as a node name.

    >>> short_id("h", "voice_history")
    'h_1a9df2dd6f'
    """
    return f"{kind}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"
