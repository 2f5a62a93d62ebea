"""matplotlib helpers shared by every figure: themed figures and deterministic saving.

`save(fig, out_dir, fig_id, theme)` writes `<id>.<theme>.svg`, `.png` (2x) and
`.pdf` with no dates, creators or tool versions in their metadata and a
per-figure `svg.hashsalt`, so the same commit gives byte-identical files.
Text in the SVG is drawn as paths (it looks the same on every machine and in
an <img>); matplotlib keeps each label's text in a comment beside its glyphs,
which is what the label tests read.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import style  # noqa: E402

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


def save(fig, out_dir: Path, fig_id: str, theme: str, *, formats=("svg", "png", "pdf")) -> list[Path]:
    out_dir = Path(out_dir)
    paths = []
    for ext in formats:
        path = out_dir / f"{fig_id}.{theme}.{ext}"
        meta = {"svg": SVG_META, "png": PNG_META, "pdf": PDF_META}[ext]
        dpi = 2 * style.DPI if ext == "png" else style.DPI
        fig.savefig(path, format=ext, metadata=meta, dpi=dpi, bbox_inches="tight", pad_inches=0.08)
        paths.append(path)
    plt.close(fig)
    return paths
