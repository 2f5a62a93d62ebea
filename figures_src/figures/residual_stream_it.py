"""The residual connection: the output of attention is added to "it", so "it" keeps itself and gains what it read.

For each of the four axes of the walk-through, three bars: "it" on its own
(its embedding x), the output of attention for "it" (its context vector, step
5), and their sum x + output, which is what the layer passes on (before any
layer normalisation). The context vector has less "grammar" than "it" had,
but it does not replace "it": it is added to it. So the sum keeps all of the
pronoun's own entries and gains, most of all, the "living" that attention
brought from "animal".
"""

from __future__ import annotations

from attention_ref import add_residual
from figures_src.kit.claims import claim
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "residual-stream-it"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'Show it right after step 5, when someone asks whether "it" lost its "grammar": point at the third bar of '
    "each group. Attention's output is an update added to the token, not a replacement; the same sum carries "
    "every token through every layer of the model (the residual stream)."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    axes = list(s.language.axes)
    i = s.focus_index
    x = s.x[i]  # (d_model,) "it" on its own
    z = att.output[i]  # (d_v,) its context vector; d_v = d_model here (W_V is square)
    total = add_residual(x, z)  # (d_model,) what the layer passes on
    gain_axis = axes[int(z.argmax())]
    return {
        "sentence": s.text,
        "focus": s.tokens[i],
        "axes": axes,
        "x": x.tolist(),
        "output": z.tolist(),
        "sum": total.tolist(),
        "x_focus": keyed(axes, x),
        "context": keyed(axes, z),
        "residual": keyed(axes, total),
        "gain": keyed(axes, total - x),
        "largest_gain_axis": gain_axis,
        "largest_sum_axis": axes[int(total.argmax())],
        "largest_own_axis": axes[int(x.argmax())],
    }


@claim("“it” keeps every entry of its own vector: each entry of x + output is at least what “it” had alone")
def it_keeps_itself(data):
    return all(s >= x for s, x in zip(data["sum"], data["x"], strict=True))


@claim("the attention output has less “grammar” than “it”, yet x + output has more “grammar” than “it” alone")
def grammar_is_kept(data):
    return (data["context"]["grammar"] < data["x_focus"]["grammar"]
            and data["residual"]["grammar"] > data["x_focus"]["grammar"])


@claim("“grammar” is still the largest entry of x + output, as it was of “it” alone: it is still a pronoun")
def still_mostly_a_pronoun(data):
    return data["largest_sum_axis"] == data["largest_own_axis"] == "grammar"


@claim("the largest gain is on “living”, which more than doubles")
def living_gains_most(data):
    return data["largest_gain_axis"] == "living" and data["residual"]["living"] > 2 * data["x_focus"]["living"]


def labels(data) -> list[str]:
    return [fmt(v, "f2") for v in data["x"] + data["output"] + data["sum"]]


def alt(data) -> str:
    parts = "; ".join(
        f"{a}: {fmt(x, 'f2')} + {fmt(z, 'f2')} = {fmt(s, 'f2')}"
        for a, x, z, s in zip(data["axes"], data["x"], data["output"], data["sum"], strict=True)
    )
    return (
        f"Grouped bars, one group per axis, for \"{data['focus']}\" in \"{data['sentence']}\": its own vector, the "
        f"output of attention (its context vector) and their sum, which the layer passes on. Per axis, own + output "
        f"= sum: {parts}. The sum keeps everything \"{data['focus']}\" had and gains most on "
        f"\"{data['largest_gain_axis']}\"."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    from figures_src.kit import mpl, style

    axes, focus = data["axes"], data["focus"]
    x, z, total = (np.asarray(data[k]) for k in ("x", "output", "sum"))
    grey, pink = style.ROLE_COLORS["x"], style.ROLE_COLORS["output"]
    n, width = len(axes), 0.26
    xs = np.arange(n)
    top = float(max(x.max(), z.max(), total.max()))
    low = float(min(0.0, x.min(), z.min(), total.min()))

    def label(ax, pos, v, bold=False):
        ax.text(pos, v + (0.02 if v >= 0 else -0.02) * top, fmt(float(v), "f2"), ha="center",
                va="bottom" if v >= 0 else "top", fontsize=9, fontweight="bold" if bold else "normal")

    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 3.9))
        bar = dict(width=width * 0.92, zorder=2, linewidth=0.0)
        ax.bar(xs - width, x, color=grey, **bar)
        ax.bar(xs, z, color=pink, hatch="//", edgecolor=t["foreground"], **{**bar, "linewidth": 0.3})
        # The sum: where x and the output have the same sign, drawn as the two bars stacked (what "it"
        # keeps below, what it gains on top); otherwise as one bar.
        same = np.sign(x) * np.sign(z) >= 0
        ax.bar(xs[same] + width, x[same], color=grey, **bar)
        ax.bar(xs[same] + width, z[same], bottom=x[same], color=pink, hatch="//", edgecolor=t["foreground"],
               **{**bar, "linewidth": 0.3})
        ax.bar(xs[~same] + width, total[~same], color=t["accent"], **bar)
        ax.bar(xs + width, total, fill=False, edgecolor=t["accent"], **{**bar, "linewidth": 2.0, "zorder": 3})
        for k in range(n):
            label(ax, xs[k] - width, x[k])
            label(ax, xs[k], z[k])
            label(ax, xs[k] + width, total[k], bold=True)
        ax.set_xticks(xs, labels=axes)
        ax.tick_params(axis="x", length=0, labelsize=11)
        ax.set_ylim(low * 1.15, top * 1.22)
        ax.axhline(0, color=t["muted"], lw=0.8, zorder=1)
        ax.set_ylabel(f"entry of “{focus}”", fontsize=10, color=t["muted"])
        ax.grid(axis="y", lw=0.5, zorder=0)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        handles = [
            Patch(facecolor=grey, label=f"“{focus}” on its own (x)"),
            Patch(facecolor=pink, hatch="//", edgecolor=t["foreground"], linewidth=0.3,
                  label="output of attention (context vector)"),
            Patch(facecolor="none", edgecolor=t["accent"], linewidth=2.0,
                  label="x + output: what the layer passes on"),
        ]
        ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=9.5)
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, ax))


NARROW_SIZE = (3.6, 3.6)  # inches; a phone shows the figure about 1.4 px to the point
NARROW_TEXT_PT = 7.4


def _narrow(fig, ax) -> None:
    """The phone layout: the numbers on their side above their bars (side by side they run into each other in
    a bar this narrow), the legend under the axes, text sized for the column."""
    fig.set_size_inches(*NARROW_SIZE)
    for text in ax.texts:
        up = text.get_va() == "bottom"  # a bar's number sits above it when it is positive, below when negative
        # aligned in the "anchor" rotation mode, which matplotlib switches every wrapped text to (and the
        # narrow render wraps every text)
        text.set(fontsize=NARROW_TEXT_PT, rotation=90, rotation_mode="anchor", ha="left" if up else "right",
                 va="center")
    ax.tick_params(axis="x", labelsize=NARROW_TEXT_PT + 0.6)
    ax.tick_params(axis="y", labelsize=NARROW_TEXT_PT)
    ax.yaxis.label.set_fontsize(NARROW_TEXT_PT)
    legend = ax.get_legend()
    legend.set_loc("upper left")
    legend.set_bbox_to_anchor((-0.12, -0.1), transform=ax.transAxes)
    for text in legend.get_texts():
        text.set_fontsize(NARROW_TEXT_PT)
