"""How big the text of a matplotlib SVG is on screen, and the phone it must stay readable on.

matplotlib draws text as paths (kit/mpl.py): each glyph is a `<use>` of a
glyph outline, inside a group whose transform scales the outline (units of
1/100 of the font size, matplotlib's FONT_SCALE) to the font size in the
SVG's user units. So the font size of every glyph drawn is 100 times the
product of the scales above it, and on screen it is that times the shown
width of the image over the width of its viewBox.

The figure build uses this to decide which figures need a narrow variant, and
the tests use it to check that every word and number is at least MIN_TEXT_PX
high on a 390 px phone. Standard library only.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

PHONE_WIDTH_PX = 390  # the phone every reading page must read well on
PHONE_CONTENT_PX = 358  # the width a figure gets there: Material's content has a 16 px margin each side
MIN_TEXT_PX = 9.0  # no word or number drawn in a figure is smaller than this on that phone
PAGE_MARGINS_PX = 2 * 16  # the content is the viewport less these, up to Material's side bars
TABLET_PX = 960  # 60em: from here Material shows the table of contents beside the content

FONT_SCALE = 100.0  # matplotlib's glyph outlines are drawn at 100 units to the em
SVG = "{http://www.w3.org/2000/svg}"
SCALE = re.compile(r"scale\(\s*([-+0-9.eE]+)")
LENGTH = re.compile(r"^\s*([0-9.eE+-]+)\s*(pt|px)?\s*$")


class SvgTextError(ValueError):
    """An SVG whose size or text cannot be read; the message says what was wrong."""


def _root(svg: str | bytes) -> ET.Element:
    try:
        return ET.fromstring(svg)
    except ET.ParseError as exc:
        raise SvgTextError(f"not an SVG document: {exc}") from None


def viewbox_width(svg: str | bytes) -> float:
    """The width of the SVG's viewBox (its user units: points, for matplotlib's SVGs)."""
    root = _root(svg)
    box = (root.get("viewBox") or "").split()
    if len(box) != 4:
        raise SvgTextError(f"the SVG has no viewBox of four numbers (got {root.get('viewBox')!r})")
    return float(box[2])


def css_size(svg: str | bytes) -> tuple[int, int]:
    """The SVG's width and height in CSS px as the site shows it: at 100 px to the inch, as its PNG 2x halved."""
    root = _root(svg)
    out = []
    for name in ("width", "height"):
        m = LENGTH.match(root.get(name) or "")
        if not m:
            raise SvgTextError(f"the SVG's {name} is not a length in pt or px (got {root.get(name)!r})")
        value = float(m.group(1))
        out.append(round(value * 100 / 72 if m.group(2) == "pt" else value))
    return out[0], out[1]


def glyph_sizes(svg: str | bytes) -> list[float]:
    """The font size, in the SVG's user units, of every glyph drawn (outlines in <defs> are not drawn)."""
    sizes: list[float] = []

    def walk(e: ET.Element, scale: float) -> None:
        if e.tag == f"{SVG}defs":
            return
        m = SCALE.search(e.get("transform") or "")
        if m:
            scale *= abs(float(m.group(1)))
        if e.tag == f"{SVG}use":
            sizes.append(scale * FONT_SCALE)
        for child in e:
            walk(child, scale)

    walk(_root(svg), 1.0)
    return sizes


def smallest_text_px(svg: str | bytes, shown_width_px: float) -> float | None:
    """The smallest font size on screen, in CSS px, with the image shown `shown_width_px` wide (None: no text)."""
    sizes = glyph_sizes(svg)
    if not sizes:
        return None
    return min(sizes) * shown_width_px / viewbox_width(svg)


def shown_width(svg: str | bytes, content_px: float) -> float:
    """How wide the image is shown in a column `content_px` wide: its natural width, at most the column's."""
    return min(css_size(svg)[0], content_px)


def narrow_below_px(wide_svg: str | bytes) -> int:
    """The viewport width below which a figure shows its narrow variant (its <picture>'s media query).

    It is where the wide variant's smallest text would fall under MIN_TEXT_PX: the content width that
    text needs, plus the page's margins; at least one more than the phone's, at most the tablet's.
    """
    sizes = glyph_sizes(wide_svg)
    if not sizes:
        return PHONE_WIDTH_PX + 1
    needed = MIN_TEXT_PX * viewbox_width(wide_svg) / min(sizes)
    return max(PHONE_WIDTH_PX + 1, min(TABLET_PX - 1, math.ceil(needed) + PAGE_MARGINS_PX))
