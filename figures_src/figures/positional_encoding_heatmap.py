"""The sinusoidal positional encoding: one column of numbers per position, waves of many speeds.

Top: the encoding of the original Transformer for the first positions, one
column per position and one row per dimension, red for +1 and blue for -1.
Dimensions come in pairs, a sine and a cosine of the same angle, and each pair
is a clock hand turning at its own speed: the first pairs turn fast and
change from one position to the next, the last pairs turn so slowly that they
barely change over the whole range. Bottom: three rows of the heatmap drawn
as curves. Together the pairs give every position its own pattern, and the
pattern of position p + k is the pattern of p turned by an angle that depends
only on k, which is what lets attention find "the word k places back".
"""

from __future__ import annotations

from attention_ref import sinusoidal_positional_encoding
from figures_src.kit.formats import fmt

ID = "positional-encoding-heatmap"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it after the dog-bites-man figure to show what is added to each word: ask why the slow dimensions "
    "barely change and what would break if every pair turned at the same speed. It answers the misconception "
    "that the encoding is just the position number."
)


def _traced(d_model: int) -> list[int]:
    """The rows drawn as curves: the fastest sine, and two slower ones (even = sine)."""
    return sorted({0, 2 * (d_model // 8), 2 * (d_model // 4)})


def data(examples) -> dict:
    cfg = examples.positional
    n, d, base = int(cfg["n_positions"]), int(cfg["d_model"]), float(cfg["base"])
    pe = sinusoidal_positional_encoding(n, d, base)  # (n_positions, d_model)
    traced = _traced(d)
    slowest = d - 2 if d >= 2 else 0  # the last sine column: the slowest clock
    return {
        "n_positions": n,
        "d_model": d,
        "base": base,
        "pe": pe.tolist(),
        "traced_dims": traced,
        "traced": {str(k): pe[:, k].tolist() for k in traced},
        "position_1": pe[1].tolist(),
        "first_dim_at": {str(p): float(pe[p, 0]) for p in range(min(n, 8))},
        "slow_traced_dim": traced[-1],
        "slow_traced_end": float(pe[-1, traced[-1]]),  # where the slowest drawn curve ends
        "slowest_dim": slowest,
        "slowest_range": float(pe[:, slowest].max() - pe[:, slowest].min()),  # how far it moves over all positions
    }


def labels(data) -> list[str]:
    return [fmt(v, "int") for v in (-1, 0, 1)]


def alt(data) -> str:
    n, d = data["n_positions"], data["d_model"]
    k1, k2, k3 = (data["traced_dims"] + [0, 0, 0])[:3]
    return (
        f"A heatmap of the sinusoidal positional encoding for positions 0 to {n - 1} (across) and dimensions "
        f"0 to {d - 1} (down), coloured from {fmt(-1, 'int')} (blue) to {fmt(1, 'int')} (red). The top rows "
        f"alternate quickly from position to position, the bottom rows hardly change: over all {n} positions "
        f"dimension {data['slowest_dim']} moves by only {fmt(data['slowest_range'], 'f3')}. Below, dimensions {k1}, "
        f"{k2} and "
        f"{k3} are drawn as curves: sine waves that get slower from one to the next."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    from figures_src.kit import mpl, style

    pe = np.asarray(data["pe"]).T  # (d_model, n_positions): one column per position
    d, n = pe.shape
    traced = data["traced_dims"]
    curve_colors = ["#D55E00", "#0072B2", "#009E73"]
    with mpl.themed(theme, ID) as t:
        fig, (ax, ax2) = plt.subplots(
            2, 1, figsize=(style.FIG_WIDTH, 6.4), height_ratios=(2.1, 1), gridspec_kw={"hspace": 0.35}
        )
        im = ax.imshow(pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        ax.set_ylabel("dimension", fontsize=10)
        ax.tick_params(labelsize=9.5)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_yticks(traced + [d - 1], labels=[str(k) for k in traced + [d - 1]])
        for lab, color in zip(
            ax.get_yticklabels(), curve_colors, strict=False
        ):  # the rows drawn below, in their colours
            lab.set_color(color)
            lab.set_fontweight("bold")
        cbar = fig.colorbar(im, ax=ax, fraction=0.035, pad=0.02, ticks=[-1, 0, 1])
        cbar.ax.set_yticklabels([fmt(v, "int") for v in (-1, 0, 1)])
        cbar.ax.tick_params(labelsize=9.5, length=0)
        cbar.outline.set_visible(False)

        for k, color in zip(traced, curve_colors, strict=False):
            ax2.plot(
                range(n), data["traced"][str(k)], color=color, lw=1.8, marker="o", markersize=3, label=f"dimension {k}"
            )
        ax2.set_xlim(ax.get_xlim())
        ax2.set_ylim(-1.15, 1.15)
        ax2.set_yticks([-1, 0, 1], labels=[fmt(v, "int") for v in (-1, 0, 1)])
        ax2.axhline(0, color=t["grid"], lw=0.8, zorder=0)
        ax2.set_xlabel("position in the sentence", fontsize=10)
        ax2.tick_params(labelsize=9.5)
        ax2.legend(loc="lower center", bbox_to_anchor=(0.5, 0.98), ncol=3, frameon=False, fontsize=9.5)
        # keep the curves under the heatmap: same left and right edges
        pos, pos2 = ax.get_position(), ax2.get_position()
        ax2.set_position([pos.x0, pos2.y0, pos.width, pos2.height])
        mpl.save(fig, out_dir, ID, theme)
