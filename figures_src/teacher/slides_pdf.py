"""The slide deck as a PDF: one 16:9 page per slide, laid out as the .pptx (`slides`), drawn by matplotlib.

An animation's page shows its poster. No office suite is needed, and the bytes
are the same for the same deck (no creation date in the file; matplotlib's
fonts are its own DejaVu).
"""

from __future__ import annotations

from pathlib import Path

from ..core.files import atomic_write
from ..core.identity import BuildInfo
from . import slides as sl

PT_PER_INCH = 72
DPI = 150  # only for the pixels of the pictures' resampling; the text is vector


def write_pdf(deck: sl.Deck, info: BuildInfo, out: Path) -> Path:
    """Write the deck as a PDF, atomically."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    def save(tmp: Path) -> None:
        with matplotlib.rc_context({"font.family": "DejaVu Sans", "pdf.fonttype": 42}), \
                PdfPages(tmp, metadata={"Title": deck.title, "Subject": deck.subtitle, "CreationDate": None,
                                        "ModDate": None}) as pdf:
            _page(pdf, lambda fig: _cover(fig, deck, info))
            for s in deck.slides:
                _page(pdf, lambda fig, s=s: _slide(fig, s))

    return atomic_write(Path(out), b"", save=save)


def _page(pdf, draw) -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(sl.WIDTH, sl.HEIGHT), dpi=DPI)
    try:
        draw(fig)
        pdf.savefig(fig)
    finally:
        plt.close(fig)


def _box_text(fig, box, paragraphs: list[str], size: float, color: str, *, bold: bool = False,
              bullets: bool = False) -> None:
    """Paragraphs wrapped to the box's width, from its top left (inches, from the slide's top left)."""
    left, top, width, _ = box
    lines: list[str] = []
    for i, words in enumerate(paragraphs):
        prefix = "• " if bullets else ""
        wrapped = _wrap(words, 0.94 * (width * PT_PER_INCH - _width(prefix, size, bold)), size, bold)  # a margin
        lines += [prefix + wrapped[0], *("   " * bool(prefix) + w for w in wrapped[1:])]
        if bullets and i + 1 < len(paragraphs):
            lines.append("")
    fig.text(left / sl.WIDTH, 1 - top / sl.HEIGHT, "\n".join(lines), fontsize=size, color=f"#{color}",
             fontweight="bold" if bold else "normal", va="top", ha="left", linespacing=1.3)


def _width(words: str, size: float, bold: bool) -> float:
    """The width of `words` in points, as matplotlib draws them in the slides' font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    return TextToPath().get_text_width_height_descent(words, prop, ismath=False)[0]


def _wrap(words: str, width_pt: float, size: float, bold: bool) -> list[str]:
    """Greedy line breaks at spaces so that no line is wider than `width_pt`."""
    lines: list[str] = []
    for word in words.split():
        if lines and _width(f"{lines[-1]} {word}", size, bold) <= width_pt:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _cover(fig, deck: sl.Deck, info: BuildInfo) -> None:
    width = sl.WIDTH - 2 * sl.MARGIN
    _box_text(fig, (sl.MARGIN, 2.0, width, 1.4), [deck.title], sl.COVER_PT, sl.FOREGROUND, bold=True)
    _box_text(fig, (sl.MARGIN, 3.4, width, 0.8), [deck.subtitle], sl.TITLE_PT - 6, sl.FOREGROUND)
    _box_text(fig, (sl.MARGIN, 4.6, width, 1.6), sl.cover_lines(deck, info), sl.CITATION_PT + 3, sl.MUTED)


def _slide(fig, s: sl.Slide) -> None:
    from PIL import Image

    _box_text(fig, sl.TITLE_BOX, [s.title], s.title_pt, sl.FOREGROUND, bold=True)
    _box_text(fig, sl.CITATION_BOX, [s.citation], sl.CITATION_PT, sl.MUTED)
    left, top, width, height = sl.picture_box(s)
    ax = fig.add_axes((left / sl.WIDTH, 1 - (top + height) / sl.HEIGHT, width / sl.WIDTH, height / sl.HEIGHT))
    with Image.open(s.image) as im:
        ax.imshow(im.convert("RGB"), interpolation="none")  # the PDF holds the PNG's own pixels
    ax.set_axis_off()
    if s.portrait and s.key:
        _box_text(fig, sl.key_box(), list(s.key), sl.KEY_PT, sl.FOREGROUND, bullets=True)
