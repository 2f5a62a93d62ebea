"""matplotlib helpers shared by every figure: themed figures and deterministic saving.

`save(fig, out_dir, fig_id, theme)` writes `<id>.<theme>.svg`, `.png` (2x) and
`.pdf` with no dates, creators or tool versions in their metadata and a
per-figure `svg.hashsalt`, so the same commit gives byte-identical files.
Text in the SVG is drawn as paths (it looks the same on every machine and in
an <img>); matplotlib keeps each label's text in a comment beside its glyphs,
which is what the label tests read.

A figure whose smallest text would be under 9 CSS px on a 390 px phone (see
kit/svgtext.py) also gets a narrow variant, `<id>.<theme>.narrow.svg`, which
the pages show below 600 px through a <picture> media query: the same figure,
optionally laid out anew by the module (`save(..., narrow=relayout)`, a
function that gets the figure and may resize it, stack its panels, drop a
legend's columns), then with every text enlarged by one factor until its
smallest glyph is readable there. It is written by the same render, so it is
cached, deterministic and a download like the others.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from . import style, svgtext  # noqa: E402

SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}
PNG_META = {"Software": None}
PDF_META = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}


def rc(theme: str) -> dict:
    t = style.theme(theme)
    return {
        "font.family": style.FONT_FAMILY,
        "font.size": style.FONT_SIZE,
        "axes.titlesize": style.TITLE_SIZE,
        "figure.facecolor": t["background"],
        "axes.facecolor": t["background"],
        "savefig.facecolor": t["background"],
        "text.color": t["foreground"],
        "axes.labelcolor": t["foreground"],
        "axes.edgecolor": t["muted"],
        "xtick.color": t["muted"],
        "ytick.color": t["muted"],
        "xtick.labelcolor": t["foreground"],
        "ytick.labelcolor": t["foreground"],
        "grid.color": t["grid"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "path.simplify": False,
        "axes.unicode_minus": True,
    }


@contextmanager
def themed(theme: str, fig_id: str):
    """Context in which new figures use the theme; the hash salt makes SVG ids stable."""
    params = rc(theme)
    params["svg.hashsalt"] = fig_id
    with plt.rc_context(params):
        yield style.theme(theme)


SAVE_OPTIONS = {"bbox_inches": "tight", "pad_inches": 0.08}
NARROW_TARGET_PX = svgtext.MIN_TEXT_PX + 0.3  # a little above the rule, so that rounding never breaks it
MAX_TEXT_SCALE = 3.0
MIN_NARROW_WIDTH = 3.0  # inches: a narrow variant is never made narrower than this


class FigureTextError(ValueError):
    """A figure whose text cannot be made readable on a phone; the message names it and its sizes."""


def save(fig, out_dir: Path, fig_id: str, theme: str, *, formats=("svg", "png", "pdf"),
         narrow: Callable | None = None) -> list[Path]:
    """Write the figure in every format, and its narrow variant where the phone needs one (module docstring).

    `narrow(fig)`, if given, is called before the narrow variant is drawn, to lay the figure out for a
    narrow screen (it may change the figure's size and its axes' positions); a figure given one always
    gets a narrow variant.
    """
    out_dir = Path(out_dir)
    paths = []
    for ext in formats:
        path = out_dir / f"{fig_id}.{theme}.{ext}"
        meta = {"svg": SVG_META, "png": PNG_META, "pdf": PDF_META}[ext]
        dpi = 2 * style.DPI if ext == "png" else style.DPI
        fig.savefig(path, format=ext, metadata=meta, dpi=dpi, **SAVE_OPTIONS)
        paths.append(path)
    wide = _svg(fig)
    phone_px = svgtext.smallest_text_px(wide, svgtext.shown_width(wide, svgtext.PHONE_CONTENT_PX))
    if narrow is not None or (phone_px is not None and phone_px < NARROW_TARGET_PX):
        if narrow is not None:
            narrow(fig)
        path = out_dir / f"{fig_id}.{theme}.narrow.svg"
        path.write_bytes(_enlarged_svg(fig, fig_id, theme))
        paths.append(path)
    plt.close(fig)
    return paths


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata=SVG_META, dpi=style.DPI, **SAVE_OPTIONS)
    return buf.getvalue()


def _phone_px(svg: bytes) -> float:
    px = svgtext.smallest_text_px(svg, svgtext.shown_width(svg, svgtext.PHONE_CONTENT_PX))
    return float("inf") if px is None else px


def _enlarged_svg(fig, fig_id: str, theme: str) -> bytes:
    """The figure's SVG with every text enlarged by one factor until its smallest is readable on the phone.

    Enlarged text widens the tight bounding box, which shrinks the figure on screen, so the factor is
    found in a few rounds; each round starts from the sizes the module gave. Where larger text only
    widens the figure as much (a label past the axes' edge), the figure is made narrower instead.
    """
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    base = [t.get_fontsize() for t in texts]
    for t in texts:  # a long line breaks inside the figure rather than widen it (which would shrink it all)
        t.set_wrap(True)
    scale, svg, before = 1.0, _svg(fig), None
    for _round in range(14):
        px = _phone_px(svg)
        if px >= NARROW_TARGET_PX:
            return svg
        w, h = fig.get_size_inches()
        if (scale >= MAX_TEXT_SCALE or (before is not None and px < before * 1.02)) and w > MIN_NARROW_WIDTH:
            # larger text only widens the figure as much (text at its edges): make the figure narrower instead
            fig.set_size_inches(max(MIN_NARROW_WIDTH, w * 0.85), h)
        else:
            scale = min(MAX_TEXT_SCALE, scale * NARROW_TARGET_PX / px * 1.01)
            for t, size in zip(texts, base, strict=True):
                t.set_fontsize(size * scale)
        before, svg = px, _svg(fig)
    plt.close(fig)
    raise FigureTextError(f"{fig_id} ({theme}): even with its text {scale:.2f}x larger, its smallest text is "
                          f"{_phone_px(svg):.1f} px on a {svgtext.PHONE_WIDTH_PX} px phone; give save() a narrow "
                          f"layout (narrow=...)")
