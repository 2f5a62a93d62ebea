"""The chart the scaling page draws twice (not a figure: the registry skips `_*` modules).

One measure of the softmax against d_k, on a doubling axis: its curve for the
raw scores q · k and for the scores divided by √d_k, each with its last value
written at its end, and a dashed reference line with its own label. Used by
softmax_entropy_dk (the spread of the weights) and softmax_gradient_dk (how
strongly they respond). Call it inside `render()` only (it imports matplotlib).
Its narrow (phone) layout is taller, with the legend under the axes, the
reference label on two lines and text sized for a 358 px wide column.
"""

from __future__ import annotations

from figures_src.kit.formats import fmt


def scaled_vs_raw(data: dict, scaled: list[float], raw: list[float], *, reference: float, reference_label: str,
                  reference_above: bool, label_gap: float, ylabel: str, ymax: float, fig_id: str, out_dir,
                  theme: str, narrow_reference_label: str) -> None:
    """Draw and save the chart of `scaled` and `raw` against `data["d_k"]`; the reference label goes
    `label_gap` (data units) above its line (`reference_above`) or below it. On a phone the reference label
    reads `narrow_reference_label` (the same words, broken into lines)."""
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    d = data["d_k"]
    with mpl.themed(theme, fig_id) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.0))
        ax.axhline(reference, color=t["muted"], lw=1.2, ls="--")
        y, va = (reference + label_gap, "bottom") if reference_above else (reference - label_gap, "top")
        reference_text = ax.text(d[0], y, reference_label, ha="left", va=va, fontsize=9.5, color=t["muted"])
        ax.text(d[-1] * 1.12, y, fmt(reference, "f2"), ha="left", va=va, fontsize=10, color=t["muted"],
                fontweight="bold")
        scaled_color, raw_color = t["accent"], t["highlight"]
        ax.plot(d, scaled, "o-", color=scaled_color, lw=2.4, ms=5, label="scores divided by $\\sqrt{d_k}$")
        ax.plot(d, raw, "o-", color=raw_color, lw=2.4, ms=5, label="raw scores $q \\cdot k$")
        # the scaled curve's end label sits above its point when the reference line is just below it
        for series, color, end_va in ((scaled, scaled_color, "center" if reference_above else "bottom"),
                                      (raw, raw_color, "center")):
            ax.text(d[-1] * 1.12, series[-1], fmt(series[-1], "f2"), ha="left", va=end_va, fontsize=10,
                    color=color, fontweight="bold")
        ax.set_xscale("log", base=2)
        ax.set_xticks(d, [str(v) for v in d], fontsize=10)
        ax.minorticks_off()
        ax.set_xlim(d[0] / 1.3, d[-1] * 1.9)
        ax.set_ylim(0, ymax)
        ax.set_xlabel("$d_k$, the size of queries and keys", fontsize=10.5)
        ax.set_ylabel(ylabel, fontsize=10.5)
        ax.grid(True, lw=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="lower left", frameon=False, fontsize=10)
        mpl.save(fig, out_dir, fig_id, theme,
                 narrow=lambda f: _narrow(f, ax, reference_text, narrow_reference_label))


# The narrow layout's sizes (points, in a figure about 3.6 in wide once tight-cropped, which a phone shows
# 358 px wide): plain text and mathtext, whose subscripts are drawn at 0.7 of its size.
NARROW_SIZE = (3.5, 4.6)
NARROW_END_GAP = 1.25  # the end values sit this factor right of the last d_k (the wide chart's 1.12 touches)
NARROW_TEXT_PT = 7.4
NARROW_MATH_PT = 10.4


def _narrow(fig, ax, reference_text, reference_label: str) -> None:
    """Lay the chart out for a phone: taller, legend under the axes in one column, shorter label lines."""
    fig.set_size_inches(*NARROW_SIZE)
    reference_text.set_text(reference_label)
    last = ax.lines[-1].get_xdata()[-1]
    for text in ax.texts:
        text.set_fontsize(NARROW_TEXT_PT)
        if text is not reference_text:
            text.set_x(last * NARROW_END_GAP)
    ax.set_xlim(ax.get_xlim()[0], last * 2.2)
    ax.tick_params(labelsize=NARROW_TEXT_PT)
    ax.xaxis.label.set_fontsize(NARROW_MATH_PT)
    ax.yaxis.label.set_fontsize(NARROW_TEXT_PT + 0.6)
    legend = ax.get_legend()  # moved, not made anew: the narrow render wraps its texts, which needs them drawn
    legend.set_loc("upper left")
    legend.set_bbox_to_anchor((-0.12, -0.13), transform=ax.transAxes)
    for text in legend.get_texts():
        text.set_fontsize(NARROW_MATH_PT)
