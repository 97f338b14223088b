"""Diagrams read without colour and without overlaps: each status has its own lightness and shape
(checked on a rendered PNG in greyscale and under simulated colour-vision deficiencies), every
mark is in the legend, no edge label lands on another or on a cluster title, and the SVG says
why on hover."""

from __future__ import annotations

import itertools
import re
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib

import pytest

import tracer
from tracer.render import diagram
from tracer.render.dot import legend_dot
from tracer.render.style import CONFIDENCE_LINE, DELETION_MARK, STATUS_LOOK, luma

needs_dot = pytest.mark.usefixtures("dot")
SVG = "{http://www.w3.org/2000/svg}"
VISIBLE = 25  # luma steps (of 255) two swatches must differ by to tell apart in greyscale


def dot_output(source: str, fmt: str, *options: str) -> bytes:
    return subprocess.run(
        ["dot", f"-T{fmt}", *options], input=source.encode(), capture_output=True, check=True
    ).stdout


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what Graphviz's
    cairo writes), decoded by hand: no imaging library needed for one test."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks.setdefault(kind, []).append(data[position + 8 : position + 8 + length])
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left),
                    (abs(guess - up), 1, up),
                    (abs(guess - corner), 2, corner),
                )[2]
                line[i] = (line[i] + near) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(row) for row in rows]


def legend_swatch_colours() -> dict[str, tuple[int, int, int]]:
    """The fill of each status swatch in a PNG of the legend: the commonest colour inside it."""
    source = legend_dot()
    svg = ET.fromstring(dot_output(source, "svg"))
    graph = svg.find(f"{SVG}g")
    tx, ty = map(
        float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", graph.get("transform")).groups()
    )
    # half the usual resolution: the swatches stay tens of pixels wide, the decoding is quick
    width, height, rows = png_pixels(dot_output(source, "png", "-Gdpi=48"))
    scale = width / float(svg.get("width").removesuffix("pt"))
    channels = len(rows[0]) // width
    colours = {}
    for index, status in enumerate(STATUS_LOOK):
        node = next(
            g for g in graph.iter(f"{SVG}g") if g.findtext(f"{SVG}title") == f"legend_{index:02d}"
        )
        outline = " ".join(
            shape.get("points") or shape.get("d") or ""
            for shape in node.iter()
            if shape.tag in (f"{SVG}polygon", f"{SVG}path")
        )
        points = [tuple(map(float, pair)) for pair in re.findall(r"([-\d.]+),([-\d.]+)", outline)]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        left, right = (min(xs) + tx) * scale, (max(xs) + tx) * scale
        top, bottom = (min(ys) + ty) * scale, (max(ys) + ty) * scale
        counts: dict[tuple[int, int, int], int] = {}
        for y in range(int(top + (bottom - top) * 0.25), int(bottom - (bottom - top) * 0.25)):
            row = rows[y]
            for x in range(int(left + (right - left) * 0.3), int(right - (right - left) * 0.3)):
                pixel = tuple(row[x * channels : x * channels + 3])
                counts[pixel] = counts.get(pixel, 0) + 1
        colours[status] = max(counts, key=counts.get)
    return colours


def rgb_luma(rgb: tuple[float, float, float]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


@needs_dot
def test_every_status_swatch_in_the_legend_png_has_its_own_grey():
    colours = legend_swatch_colours()
    for status, colour in colours.items():  # the swatch is drawn in the diagram's own fill
        assert abs(rgb_luma(colour) - luma(STATUS_LOOK[status].fill)) < 3, status
    for (a, first), (b, second) in itertools.combinations(colours.items(), 2):
        assert abs(rgb_luma(first) - rgb_luma(second)) >= VISIBLE, (a, b)


def test_every_status_has_its_own_shape_or_border_too():
    looks = {(look.shape, look.dot_style, look.peripheries) for look in STATUS_LOOK.values()}
    assert len(looks) == len(STATUS_LOOK)
    for look in STATUS_LOOK.values():  # a line style means confidence, never status
        assert "dashed" not in look.dot_style and "dotted" not in look.dot_style


# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of
# color vision deficiency", IEEE TVCG 15(6), table of matrices at severity 1.0, on linear RGB
MACHADO_2009 = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def simulate(colour: str, matrix) -> tuple[float, float, float]:
    """``colour`` as seen with a deficiency: sRGB to linear, the matrix, back to sRGB (0-255)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def gamma(c: float) -> float:
        c = min(max(c, 0.0), 1.0)
        return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055

    rgb = [linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    return tuple(255 * gamma(sum(m * c for m, c in zip(row, rgb, strict=True))) for row in matrix)


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour given in 0-255."""

    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    r, g, b = map(linear, rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


DISTINCT = 10  # CIE76 colour difference: about 2.3 is just noticeable, 10 plainly different


@pytest.mark.parametrize("deficiency", sorted(MACHADO_2009))
def test_the_status_fills_stay_apart_under_colour_vision_deficiency(deficiency):
    seen = {
        s: lab(simulate(look.fill, MACHADO_2009[deficiency])) for s, look in STATUS_LOOK.items()
    }
    for (a, first), (b, second) in itertools.combinations(seen.items(), 2):
        difference = sum((p - q) ** 2 for p, q in zip(first, second, strict=True)) ** 0.5
        assert difference >= DISTINCT, (deficiency, a, b)


def test_the_simulation_is_the_identity_on_greys():
    for matrix in MACHADO_2009.values():  # a check on the matrices as typed in
        assert all(abs(c - 128) < 1.5 for c in simulate("#808080", matrix))


def test_the_trace_legend_explains_every_mark(alexa):
    legend = legend_dot()
    for look in STATUS_LOOK.values():
        assert f"<b>{look.word}</b>" in legend and look.meaning in legend.replace("&#x27;", "'")
    assert "transient" in legend and "passed through, never stored" in legend
    assert "arrowhead=normal" in legend and "arrowhead=onormal" in legend  # flow, derivation
    assert "step 3 from the start" in legend  # the numbers
    for words in ("stated, law", "reported", "research", "alleged", "assumed, unknown"):
        assert f"label=<{words}>" in legend
    for how, mark in DELETION_MARK.items():
        assert f"deletion {how}:" in legend and f"arrowtail={mark.arrowtail}" in legend


def test_reported_and_research_are_drawn_apart_and_every_edge_says_how_sure(alexa):
    assert CONFIDENCE_LINE["reported"] != CONFIDENCE_LINE["research"]
    assert (
        len({CONFIDENCE_LINE[c] for c in ("stated", "reported", "research", "alleged", "assumed")})
        == 5
    )
    source = tracer.trace_dot(alexa, tracer.trace(alexa, "dominos-order", ["delete-recording"]))
    edges = [line for line in source.splitlines() if " -> c_" in line]
    assert edges and all(
        re.search(r"<i>(stated|law|reported|research|alleged|assumed|unknown)</i>", e)
        for e in edges
    )
    assert any("<i>stated</i>" in e and "style=solid" in e for e in edges)


def test_how_deletion_passes_along_each_edge_is_drawn_at_its_tail(alexa):
    source = tracer.trace_dot(alexa, tracer.trace(alexa, "dominos-order", ["delete-recording"]))
    # Voice History's transcript goes on to the subsystems, where deletion is "an ongoing effort"
    rules = {f.key: f for f in alexa.flows}
    assert rules["copy-to-subsystems"].deletion == "unclear"
    line = next(e for e in source.splitlines() if "4. copy-to-subsystems" in e)
    assert "arrowtail=odot" in line and "dir=both" in line
    assert re.search(r"2\. store-voice-history.*arrowtail=tee", source)


def test_the_overview_and_mermaid_outputs_have_a_legend(alexa):
    result = tracer.trace(alexa, "weather", ["delete-recording"])
    assert "cluster_legend" in tracer.ecosystem_dot(alexa)
    for text in (tracer.trace_mermaid(alexa, result), tracer.ecosystem_mermaid(alexa)):
        assert 'subgraph legend["Legend"]' in text
    mermaid = tracer.trace_mermaid(alexa, result)
    assert "transient: passed through, never stored" in mermaid
    classes = [line for line in mermaid.splitlines() if "classDef" in line]
    assert len(classes) == len(STATUS_LOOK) and "stroke-dasharray" not in "".join(classes)


def label_boxes(svg: bytes) -> list[tuple[str, str, str, tuple[float, float, float, float]]]:
    """(kind, owner, text, box) of every text in the SVG: edge labels, cluster titles, node
    labels; the width estimated at 0.55 em a character (Helvetica's average is about 0.5)."""
    boxes = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        kind = group.get("class")
        if kind not in ("edge", "cluster", "node"):
            continue
        owner = group.get("id")
        for text in group.iter(f"{SVG}text"):
            x, y, size = (float(text.get(a)) for a in ("x", "y", "font-size"))
            words = "".join(text.itertext())
            width = len(words) * size * 0.55
            anchor = text.get("text-anchor", "start")
            left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
            boxes.append((kind, owner, words, (left, y - size * 0.8, left + width, y + size * 0.2)))
    return boxes


def overlapping(svg: bytes) -> list[tuple[str, str]]:
    def hit(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    boxes = label_boxes(svg)
    edges = [b for b in boxes if b[0] == "edge"]
    titles = [b for b in boxes if b[0] == "cluster"]
    found = [
        (a[2], b[2])
        for a, b in itertools.combinations(edges, 2)
        if a[1] != b[1] and hit(a[3], b[3])
    ]
    found += [(a[2], t[2]) for a in edges for t in titles if hit(a[3], t[3])]
    return found


@needs_dot
@pytest.mark.parametrize("deleted", [(), ("delete-recording",)], ids=["kept", "deleted"])
@pytest.mark.parametrize("shipped", ["alexa.yaml", "alexa-2025.yaml"])
def test_no_edge_label_overlaps_another_or_a_cluster_title_in_any_shipped_interaction(
    shipped, deleted
):
    alexa = tracer.load_model(tracer.default_model_path().with_name(shipped))
    for interaction in sorted(alexa.interactions):
        svg = dot_output(tracer.trace_dot(alexa, tracer.trace(alexa, interaction, deleted)), "svg")
        assert label_boxes(svg), interaction
        assert overlapping(svg) == [], interaction
    assert overlapping(dot_output(tracer.ecosystem_dot(alexa), "svg")) == []


def test_the_overlap_check_finds_an_overlap():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g class="edge" id="edge1"><text x="0" y="10" '
        b'font-size="9">4. record-action</text></g><g class="edge" id="edge2"><text x="20" y="12" '
        b'font-size="9">4. derived</text></g></svg>'
    )
    assert overlapping(svg) == [("4. record-action", "4. derived")]


@needs_dot
def test_a_holders_name_and_kind_keep_their_space_in_a_browser(alexa):
    svg = dot_output(tracer.trace_dot(alexa, tracer.trace(alexa, "weather")), "svg")
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    # browsers drop a plain space at the end of an SVG <text>; a no-break space stays
    assert "Voice History (Alexa's primary storage)\xa0" in texts
    assert "(store)" in texts


@needs_dot
def test_the_svg_titles_give_each_copy_and_edge_its_reason_and_sources(alexa, tmp_path):
    path = tracer.draw(alexa, tmp_path / "order.svg", "dominos-order", ["delete-recording"])
    root = ET.fromstring(path.read_bytes())
    titles = {g.get("class"): [] for g in root.iter(f"{SVG}g")}
    for group in root.iter(f"{SVG}g"):
        titles[group.get("class")].append(group.findtext(f"{SVG}title"))
    copy = next(t for t in titles["node"] if t.startswith("voice_history/transcript: "))
    assert copy.startswith("voice_history/transcript: deleted (stated).")
    # delete-recording's own sources (per_request), not the rule's
    assert copy.endswith("Sources: amazon-coons-2019, techcrunch-2019.")
    edge = next(t for t in titles["edge"] if t.startswith("4. copy-to-subsystems:"))
    assert "deletion unclear" in edge and "Sources: " in edge
    assert not any(re.fullmatch(r"c_[0-9a-f]{10}", t or "") for t in titles["node"])


def test_sources_on_render_writes_the_source_ids_on_copies_and_edges(alexa):
    result = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    plain, marked = tracer.trace_dot(alexa, result), tracer.trace_dot(alexa, result, sources=True)
    assert "[amazon-coons-2019]" not in plain
    assert marked.count("[amazon-coons-2019]") > 5
    assert "#91;amazon-coons-2019#93;" in tracer.trace_mermaid(alexa, result, sources=True)
    with pytest.raises(tracer.RequestError, match="give an interaction"):
        diagram(alexa, "dot", None, sources=True)


def _contrast(one: str, two: str) -> float:
    """The WCAG 2 contrast ratio of two #RRGGBB colours."""

    def lum(colour: str) -> float:
        parts = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(one), lum(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_one_palette_in_the_cli_the_explorer_the_diagrams_and_the_report_at_aa_contrast():
    from tracer.cli.common import STATUS_STYLE
    from tracer.web.views import status_css

    css = status_css()
    for status, look in STATUS_LOOK.items():
        assert _contrast(look.fill, look.font) >= 4.5, status
        assert STATUS_STYLE[status].split()[-3:] == [look.font, "on", look.fill]
        assert (
            f".status-{status}, .swatch-{status} {{ background: {look.fill}; color: {look.font};"
            in css
        )
    # one word for a copy that was never stored, everywhere
    assert STATUS_LOOK["transient"].word == "transient"
