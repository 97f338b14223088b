"""How every diagram shows what it means: one visual channel per meaning.

- **status** of a copy: the node's fill lightness *and* its shape or border (a bold box, a
  double border, a hexagon, a rounded box, an arrow-shaped box), and its word in the label. Fills
  come from the Okabe-Ito hues, darkened or lightened so that each status has its own lightness:
  printed in greyscale, or seen with any colour-vision deficiency, no two look alike
  (tests/test_render_legend.py checks both on a rendered PNG and on a simulation);
- **confidence** of a rule: the edge's line style (and always its word in the label);
- **flow or derivation**: the arrowhead (filled: records copied to another holder; hollow: a
  record made from another at the same holder);
- **how deletion passes along an edge**: the mark at the edge's tail (a dot: propagated; a
  circle: unclear; a bar: ignored, it stops there).

Node borders are never dashed or dotted, so a line style always speaks of confidence.

>>> STATUS_LOOK["transient"].word, STATUS_LOOK["transient"].meaning
('transient', 'passed through, never stored')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CONDITIONAL_COLOUR",
    "CONDITIONAL_WORDS",
    "CONFIDENCE_LINE",
    "DELETION_MARK",
    "STATUS_LOOK",
    "TRANSIENT_MEANING",
    "ConfidenceLine",
    "DeletionMark",
    "KIND_WORDS",
    "LEGEND_LINES",
    "StatusLook",
    "luma",
    "short_id",
]


@dataclass(frozen=True)
class StatusLook:
    word: str  # printed in the label, the tables and the legend
    meaning: str  # the legend's and the glossary's explanation
    fill: str
    font: str
    shape: str  # graphviz node shape
    dot_style: str  # graphviz node style (never dashed or dotted: line styles mean confidence)
    peripheries: int  # graphviz border count
    pen: str  # border width
    mermaid: tuple[str, str]  # Mermaid's brackets for the same shape
    css_border: str  # the same border in HTML tables


STATUS_LOOK = {
    "held": StatusLook(
        "held",
        "kept, and someone can access it",
        "#9A3A00",
        "#FFFFFF",
        "box",
        "filled,bold",
        1,
        "3",
        ('["', '"]'),
        "3px solid #000",
    ),
    "may_remain": StatusLook(
        "may remain",
        "no source says it is gone",
        "#E69F00",
        "#000000",
        "box",
        "filled",
        2,
        "1.2",
        ('[["', '"]]'),
        "4px double #000",
    ),
    "deleted": StatusLook(
        "deleted",
        "removed by a deletion request",
        "#93D0F2",
        "#000000",
        "hexagon",
        "filled",
        1,
        "1",
        ('{{"', '"}}'),
        "1px solid #000",
    ),
    "expired": StatusLook(
        "expired",
        "its retention period ran out",
        "#E0E0E0",
        "#000000",
        "box",
        "filled,rounded",
        1,
        "1",
        ('("', '")'),
        "1px solid #777",
    ),
    "transient": StatusLook(
        "transient",
        "passed through, never stored",
        "#FFFFFF",
        "#000000",
        "cds",
        "filled",
        1,
        "1",
        ('>"', '"]'),
        "1px solid #777",
    ),
}


# the one status word that needs explaining, said in each legend and glossary
TRANSIENT_MEANING = STATUS_LOOK["transient"].meaning


@dataclass(frozen=True)
class ConfidenceLine:
    words: str  # the legend's line: the confidences drawn this way
    dot_style: str  # graphviz edge style
    dash: str  # SVG/Mermaid stroke-dasharray ("" for solid)
    width: float  # stroke width in points


_SOLID = ConfidenceLine("stated, law", "solid", "", 1.0)
_REPORTED = ConfidenceLine("reported", "dashed", "6 3", 1.0)
_RESEARCH = ConfidenceLine("research", "dashed,bold", "2 2 8 2", 2.0)
_ALLEGED = ConfidenceLine("alleged", "bold", "", 2.6)
_GUESSED = ConfidenceLine("assumed, unknown", "dotted", "1 3", 1.0)

# line style of an edge by how sure its rule is
CONFIDENCE_LINE = {
    "stated": _SOLID,
    "law": _SOLID,
    "reported": _REPORTED,
    "research": _RESEARCH,
    "alleged": _ALLEGED,
    "assumed": _GUESSED,
    "unknown": _GUESSED,
}
LEGEND_LINES = (_SOLID, _REPORTED, _RESEARCH, _ALLEGED, _GUESSED)


@dataclass(frozen=True)
class DeletionMark:
    arrowtail: str  # graphviz tail marker
    meaning: str


# what deleting the sender's copy does to the receiver's, drawn at the edge's tail
DELETION_MARK = {
    "propagated": DeletionMark("dot", "deleting the sender's copy deletes the receiver's"),
    "unclear": DeletionMark("odot", "the receiver's copy may remain"),
    "ignored": DeletionMark("tee", "the receiver's copy stays"),
}


# the overview legend's words for each node kind and for a conditional flow (DOT and Mermaid)
KIND_WORDS = {
    "device": "device",
    "service": "service",
    "store": "store",
    "people": "people",
    "group": "many holders drawn as one",
}
CONDITIONAL_COLOUR = "#0072B2"
CONDITIONAL_WORDS = "blue: only for interactions with these tags (when ...)"


def luma(colour: str) -> float:
    """The lightness a greyscale print gives ``#RRGGBB`` (ITU-R BT.601 weights, 0 to 255).

    >>> round(luma("#E69F00")), round(luma("#93D0F2"))
    (162, 194)
    """
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


def short_id(kind: str, key: str) -> str:
    """A drawing id derived from a model id, one to one: ids may hold ``:`` or ``.``, which DOT
    reads as a port and Mermaid as syntax, so the raw id never appears as a node name.

    Letters a-z and digits are kept, ``_`` is doubled, and any other character is ``_`` and its
    code in two hex digits (``_u`` and six past U+00FF): the id can be read back, so two model
    ids never share a drawing id (ten hex digits of a hash did: ``h1620985`` and ``h1705253``).

    >>> short_id("h", "voice_history"), short_id("c", "cloud/rec.v2")
    ('h_voice__history', 'c_cloud_2frec_2ev2')
    """
    return f"{kind}_" + _ESCAPE.sub(_escaped, key)


# what a drawing id keeps as it is; anything else is escaped by _escaped
_ESCAPE = re.compile(r"[^a-z0-9]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if code == 0x5F:  # "_"
        return "__"
    return f"_{code:02x}" if code < 0x100 else f"_u{code:06x}"
