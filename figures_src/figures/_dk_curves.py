"""The chart the scaling page draws twice (not a figure: the registry skips `_*` modules).

One measure of the softmax against d_k, on a doubling axis: its curve for the
raw scores q · k and for the scores divided by √d_k, each with its last value
written at its end, and a dashed reference line with its own label. Used by
softmax_entropy_dk (the spread of the weights) and softmax_gradient_dk (how
strongly they respond). Call it inside `render()` only (it imports matplotlib).
"""

from __future__ import annotations

from figures_src.kit.formats import fmt


def scaled_vs_raw(data: dict, scaled: list[float], raw: list[float], *, reference: float, reference_label: str,
                  reference_above: bool, label_gap: float, ylabel: str, ymax: float, fig_id: str, out_dir,
                  theme: str) -> None:
    """Draw and save the chart of `scaled` and `raw` against `data["d_k"]`; the reference label goes
    `label_gap` (data units) above its line (`reference_above`) or below it."""
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    d = data["d_k"]
    with mpl.themed(theme, fig_id) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.0))
        ax.axhline(reference, color=t["muted"], lw=1.2, ls="--")
        y, va = (reference + label_gap, "bottom") if reference_above else (reference - label_gap, "top")
        ax.text(d[0], y, reference_label, ha="left", va=va, fontsize=9.5, color=t["muted"])
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
        mpl.save(fig, out_dir, fig_id, theme)
