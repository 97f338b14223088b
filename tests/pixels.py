"""Whether a screenshot shows anything: judged by its pixels, never by its file's size (a PNG of
a blank page can be large, one of a sparse page small).

The PNG is decoded by the browser that took it (a canvas), which is fast where a decoder in
Python would take seconds for a full-page shot.
"""

from __future__ import annotations

import base64

# a page shows something when this share of its pixels differs from its background (the most
# common colour), in at least this many colours (text is antialiased into many shades)
PAINTED_SHARE = 0.01
PAINTED_COLOURS = 16

_COUNT = """async (src) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const colour = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(colour, (counts.get(colour) || 0) + 1);
  }
  const background = Math.max(...counts.values());
  return [data.length / 4, background, counts.size];
}"""


def pixels(browser, png: bytes) -> tuple[int, int, int]:
    """(pixels, pixels of the background colour, distinct colours) of a PNG screenshot."""
    page = browser.new_page()
    try:
        source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        total, background, colours = page.evaluate(_COUNT, source)
    finally:
        page.close()
    return total, background, colours


def assert_painted(browser, png: bytes) -> None:
    """The screenshot shows a page, not a blank (or single-colour) one."""
    total, background, colours = pixels(browser, png)
    painted = (total - background) / total
    assert painted >= PAINTED_SHARE and colours >= PAINTED_COLOURS, (
        f"a blank screenshot: {painted:.2%} of {total} pixels off the background, {colours} colours"
    )
