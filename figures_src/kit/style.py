"""The shared visual style: palettes, one colour per token, fonts and sizes.

Every figure and every scene takes its colours from here, so a word has the
same colour everywhere on the site. Changing this file changes the cache key
of every figure (its source is part of the key), so all of them re-render.
"""

from __future__ import annotations

import hashlib

# Site palettes; the figure build renders one variant per theme.
THEMES = {
    "light": {
        "background": "#ffffff",
        "foreground": "#1f2328",
        "muted": "#5b6470",
        "grid": "#d8dee4",
        "accent": "#6f42c1",
        "highlight": "#d1242f",
        "cmap": "Purples",
    },
    "dark": {
        "background": "#1e2129",
        "foreground": "#e6edf3",
        "muted": "#9aa4b2",
        "grid": "#3a404c",
        "accent": "#b392f0",
        "highlight": "#ff7b72",
        "cmap": "magma",
    },
}
MATPLOTLIB_THEMES = ("light", "dark")
VIDEO_THEME = "dark"  # scenes are rendered once, on the dark palette

# Colour-blind-safe qualitative colours (Okabe-Ito first, then Paul Tol's
# muted set), readable on both palettes.
TOKEN_PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#88CCEE", "#44AA99", "#117733", "#DDCC77", "#CC6677", "#AA4499", "#882255",
    "#999933", "#332288",
)

# Fixed colours for the words of the site's sentences, chosen so that no two
# words of one sentence share a colour (words that never meet may). Any other
# word (a teacher's own sentence) gets a stable colour from its hash.
_FIXED = {
    # "The animal didn't cross the street because it was too tired"
    "the": "#9AA0A6", "animal": "#0072B2", "didn't": "#999933", "cross": "#DDCC77", "street": "#009E73",
    "because": "#117733", "it": "#D55E00", "was": "#AA4499", "too": "#88CCEE", "tired": "#CC79A7",
    # "The cat sat on the mat because it was tired"
    "cat": "#0072B2", "sat": "#E69F00", "on": "#44AA99", "mat": "#009E73",
    # the fruit/tech examples
    "apple": "#CC6677", "orange": "#E69F00", "phone": "#56B4E9", "and": "#44AA99", "an": "#9AA0A6",
    "banana": "#DDCC77", "cherry": "#AA4499", "android": "#117733", "microsoft": "#88CCEE",
    # "dog bites man"
    "dog": "#0072B2", "man": "#E69F00", "bites": "#CC79A7",
}

# Q, K, V always wear these colours, in figures and scenes.
ROLE_COLORS = {"q": "#E69F00", "k": "#56B4E9", "v": "#009E73", "x": "#999999", "output": "#CC79A7"}

FONT_FAMILY = "DejaVu Sans"  # shipped with matplotlib, identical on every machine
FONT_SIZE = 11
TITLE_SIZE = 13
FIG_WIDTH = 7.2  # inches; 2x PNG at 100 dpi = 1440 px wide
DPI = 100


def token_color(word: str) -> str:
    """The colour of a word, the same in every figure ("The" and "the" share one)."""
    w = word.lower()
    if w in _FIXED:
        return _FIXED[w]
    digest = int(hashlib.sha256(w.encode()).hexdigest(), 16)
    return TOKEN_PALETTE[digest % len(TOKEN_PALETTE)]


def check_distinct(tokens) -> list[tuple[str, str]]:
    """Pairs of different words of one sentence that share a colour (the tests keep this empty)."""
    seen: dict[str, str] = {}
    clashes = []
    for t in dict.fromkeys(w.lower() for w in tokens):
        c = token_color(t)
        if c in seen:
            clashes.append((seen[c], t))
        seen[c] = t
    return clashes


def theme(name: str) -> dict:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r} (known: {', '.join(THEMES)})") from None


def luminance(color: str) -> float:
    """WCAG relative luminance of a "#rrggbb" colour: 0 for black, 1 for white."""
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def text_on(color: str) -> str:
    """Black or white, whichever reads better on `color` (WCAG relative luminance)."""
    return "#000000" if luminance(color) > 0.179 else "#ffffff"
