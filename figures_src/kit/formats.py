"""How numbers are written on screen, in figures and in prose alike.

A figure draws its labels with these functions, and the prose macro
`value(id, key, fmt)` formats with the same ones, so the page can only say
what the figure shows. The tests check drawn labels with them too.
"""

from __future__ import annotations

import math

FORMATS = {
    "pct": lambda x: f"{100 * x:.1f}%",  # a weight as a share: 0.3217 -> 32.2%
    "pct0": lambda x: f"{100 * x:.0f}%",
    "f1": lambda x: f"{x:.1f}",
    "f2": lambda x: f"{x:.2f}",
    "f3": lambda x: f"{x:.3f}",
    "int": lambda x: f"{round(x):d}",
    "raw": lambda x: repr(x),
}


def fmt(x, style: str = "f2") -> str:
    """Format the number `x` in one of the site's styles (see FORMATS)."""
    try:
        f = FORMATS[style]
    except KeyError:
        raise ValueError(f"unknown number format {style!r} (known: {', '.join(FORMATS)})") from None
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"only numbers can be formatted; got {type(x).__name__} {x!r}")
    if not math.isfinite(x):
        return "−∞" if x < 0 else "∞"
    text = f(x)
    if text.startswith("-") and float(text.rstrip("%")) == 0:
        text = text[1:]  # no "-0.00"
    return text.replace("-", "−")  # a real minus sign
