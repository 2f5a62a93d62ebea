"""The sinusoidal positional encoding: one row of numbers per position, waves of many speeds.

Left: the encoding of the original Transformer for the first positions, laid
out like X, shape (T, d): one row per position and one column per dimension,
red for +1 and blue for -1. Dimensions come in pairs, a sine and a cosine of
the same angle, and each pair is a clock hand turning at its own speed: the
first pairs turn fast and change from one position to the next, the last
pairs turn so slowly that they barely change over the whole range. Right:
three columns of the heatmap drawn as curves, position running down as in the
heatmap. Together the pairs give every position its own pattern, and the
pattern of position p + k is the pattern of p turned by an angle that depends
only on k, which is what lets attention find "the word k places back".
"""

from __future__ import annotations

import numpy as np

from attention_ref import sinusoidal_positional_encoding
from figures_src.kit.claims import claim
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
        "fastest_range": float(pe[:, 0].max() - pe[:, 0].min()),
        "min_value": float(pe.min()),
        "max_value": float(pe.max()),
        # the smallest distance between the rows of two different positions: above 0, every position differs
        "min_row_distance": float(min(np.linalg.norm(pe[p] - pe[q]) for p in range(n) for q in range(p))) if n > 1
        else 0.0,
    }


@claim("dimension 0 swings over nearly the whole range, from close to −1 to close to +1")
def fastest_swings(data):
    return data["fastest_range"] > 1.9


@claim("the slowest dimension moves by less than a tenth as much as dimension 0 over all positions shown")
def slowest_barely_moves(data):
    return data["slowest_range"] < 0.1 * data["fastest_range"]


@claim("every position shown gets its own pattern: no two rows of the encoding are equal")
def every_position_own_pattern(data):
    return data["min_row_distance"] > 1e-6


@claim("every value of the encoding lies between −1 and 1")
def values_bounded(data):
    return -1.0 <= data["min_value"] and data["max_value"] <= 1.0


def labels(data) -> list[str]:
    return [fmt(v, "int") for v in (-1, 0, 1)]


def alt(data) -> str:
    n, d = data["n_positions"], data["d_model"]
    k1, k2, k3 = (data["traced_dims"] + [0, 0, 0])[:3]
    return (
        f"A heatmap of the sinusoidal positional encoding laid out like X: positions 0 to {n - 1} down the rows, "
        f"dimensions 0 to {d - 1} across the columns, coloured from {fmt(-1, 'int')} (blue) to {fmt(1, 'int')} "
        f"(red). The left columns alternate quickly from position to position, the right columns hardly change: "
        f"over all {n} positions dimension {data['slowest_dim']} moves by only {fmt(data['slowest_range'], 'f3')}. "
        f"Beside it, dimensions {k1}, {k2} and {k3} are drawn as curves, position running down: sine waves that "
        f"get slower from one to the next."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    pe = np.asarray(data["pe"])  # (n_positions, d_model): one row per position, like X
    n, d = pe.shape
    traced = data["traced_dims"]
    curve_colors = ["#D55E00", "#0072B2", "#009E73"]
    with mpl.themed(theme, ID) as t:
        fig, (ax, ax2) = plt.subplots(
            1, 2, figsize=(style.FIG_WIDTH, 6.6), width_ratios=(2.3, 1), sharey=True, gridspec_kw={"wspace": 0.08}
        )
        im = ax.imshow(pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        ax.set_ylabel("position in the sentence", fontsize=10)
        ax.set_xlabel("dimension", fontsize=10)
        ax.tick_params(labelsize=9.5)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xticks(traced + [d - 1], labels=[str(k) for k in traced + [d - 1]])
        for lab, color in zip(ax.get_xticklabels(), curve_colors, strict=False):  # the columns drawn beside
            lab.set_color(color)
            lab.set_fontweight("bold")
        cbar = fig.colorbar(im, ax=[ax, ax2], location="top", fraction=0.025, pad=0.02, ticks=[-1, 0, 1], shrink=0.4)
        cbar.ax.set_xticklabels([fmt(v, "int") for v in (-1, 0, 1)])
        cbar.ax.tick_params(labelsize=9.5, length=0)
        cbar.outline.set_visible(False)

        for k, color in zip(traced, curve_colors, strict=False):
            ax2.plot(
                data["traced"][str(k)], range(n), color=color, lw=1.6, marker="o", markersize=2.5,
                label=f"dimension {k}",
            )
        ax2.set_xlim(-1.15, 1.15)
        ax2.set_xticks([-1, 0, 1], labels=[fmt(v, "int") for v in (-1, 0, 1)])
        ax2.axvline(0, color=t["grid"], lw=0.8, zorder=0)
        ax2.set_xlabel("value", fontsize=10)
        ax2.tick_params(labelsize=9.5)
        ax2.tick_params(axis="y", labelleft=False)
        fig.legend(*ax2.get_legend_handles_labels(), loc="lower center", bbox_to_anchor=(0.5, -0.04), ncol=3,
                   frameon=False, fontsize=9.5)
        mpl.save(fig, out_dir, ID, theme)
