"""Information flowing between positions in "The cat sat on the mat": each arrow as thick as its weight.

An arrow from word j to word i carries word j's value into word i's output,
and its thickness and opacity are the attention weight of i on j. Arrows
above the words run forward, from an earlier word to a later one; arrows
below run backward. Top: only the arrows into "sat", labelled with their
weights: "sat" draws most from "cat" and "mat", its subject and the place.
Bottom: every word at once, all the arrows between different positions (the
weight a word keeps for itself is on the diagonal of the attention matrix).
All the weights come from single-head self-attention with the walk-through's
projections.
"""

from __future__ import annotations

from figures_src.kit.common import attend, keyed, word_keys
from figures_src.kit.formats import fmt

ID = "information-flow-cat"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it after the attention matrix to read the same weights as information moving between positions: ask "
    'which arrows into "sat" are thickest and whether information only flows forward. Without a mask it flows '
    "backward too, which surprises students who know RNNs."
)
SENTENCE = "cat"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    w = att.weights  # (T, T)
    i = s.focus_index
    others = [j for j in range(len(s.tokens)) if j != i]
    top_two = sorted(others, key=lambda j: -w[i, j])[:2]
    ranked = sorted(range(len(s.tokens)), key=lambda j: -w[i, j])
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "weights": w.tolist(),
        "weight": {q: keyed(s.tokens, row) for q, row in zip(word_keys(s.tokens), w, strict=False)},
        "focus_weights": w[i].tolist(),
        "focus_ranked": [s.tokens[j] for j in ranked],
        "focus_top_two_others": [s.tokens[j] for j in top_two],
        "focus_top_two_others_share": float(w[i, top_two].sum()),
        "focus_self_weight": float(w[i, i]),
        "self_weight": keyed(s.tokens, w.diagonal()),
    }


def labels(data) -> list[str]:
    i = data["focus_index"]
    return [fmt(v, "pct0") for j, v in enumerate(data["focus_weights"]) if j != i] + [
        fmt(data["focus_self_weight"], "pct0")
    ]


def alt(data) -> str:
    toks, i = data["tokens"], data["focus_index"]
    into = ", ".join(f"{toks[j]} {fmt(v, 'pct0')}" for j, v in enumerate(data["focus_weights"]) if j != i)
    a, b = data["focus_top_two_others"]
    return (
        f'The words of "{data["sentence"]}" in a row, twice, with arrows between positions whose thickness is '
        f'the attention weight. Top: the arrows into "{data["focus"]}": {into}; it keeps '
        f'{fmt(data["focus_self_weight"], "pct0")} for itself. The two thickest come from "{a}" and "{b}". '
        f"Bottom: the arrows between every pair of words; arrows above the words run forward, below backward."
    )


def _positions(tokens) -> tuple[list[float], float]:
    widths = [max(len(t), 3) + 3.0 for t in tokens]
    xs, edge = [], 0.0
    for w in widths:
        xs.append(edge + w / 2)
        edge += w
    return xs, edge


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    from figures_src.kit import mpl, style

    toks, w, i = data["tokens"], data["weights"], data["focus_index"]
    n = len(toks)
    xs, total = _positions(toks)
    w_max = max(max(row[j] for j in range(n) if j != k) for k, row in enumerate(w))
    rad = -0.5  # negative: left-to-right arrows bow upward, right-to-left ones downward
    half = 0.2 * total  # half the height of a panel, in data units

    with mpl.themed(theme, ID) as t:

        def flow(ax, j, k, weight, scale):
            """An arrow carrying word j's value into word k: thickness and opacity = the weight."""
            lw = 0.6 + scale * weight
            ax.add_patch(
                FancyArrowPatch(
                    (xs[j], 0.0),
                    (xs[k], 0.0),
                    connectionstyle=f"arc3,rad={rad}",
                    arrowstyle="-|>",
                    mutation_scale=7 + 1.1 * lw,
                    lw=lw,
                    color=t["accent"],
                    alpha=min(0.15 + 0.85 * weight / w_max, 1.0),
                    shrinkA=10,
                    shrinkB=10,
                )
            )

        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(style.FIG_WIDTH, 7.6))
        for ax in (ax1, ax2):
            ax.set_xlim(-1, total + 1)
            ax.set_ylim(-half, half)
            ax.axis("off")

        # Top: what flows into the focus word, each arrow labelled at its apex.
        for j in sorted(range(n), key=lambda j: w[i][j]):
            if j == i:
                continue
            flow(ax1, j, i, w[i][j], scale=22)
            # arc3 bows in display space: its apex is the midpoint moved by rad * (dy, -dx) / 2 pixels
            (x1, y1), (x2, y2) = ax1.transData.transform([(xs[j], 0.0), (xs[i], 0.0)])
            apex = ((x1 + x2) / 2 + rad * (y2 - y1) / 2, (y1 + y2) / 2 - rad * (x2 - x1) / 2)
            ax_x, height = ax1.transData.inverted().transform(apex)
            ax1.text(
                ax_x,
                height + (0.5 if height > 0 else -0.5),
                fmt(w[i][j], "pct0"),
                ha="center",
                va="bottom" if height > 0 else "top",
                fontsize=10.5,
                color=t["foreground"],
                fontweight="bold" if toks[j] in data["focus_top_two_others"] else "normal",
            )
        ax1.set_title(
            f"into \u201c{data['focus']}\u201d, which keeps {fmt(w[i][i], 'pct0')} for itself",
            fontsize=11.5,
            loc="left",
            color=t["foreground"],
        )

        # Bottom: every pair of different positions at once.
        pairs = [(j, k) for k in range(n) for j in range(n) if j != k]
        for j, k in sorted(pairs, key=lambda p: w[p[1]][p[0]]):
            flow(ax2, j, k, w[k][j], scale=14)
        ax2.set_title("every word at once", fontsize=11.5, loc="left", color=t["foreground"])
        ax2.text(
            total + 1,
            half,
            "above: earlier \u2192 later",
            ha="right",
            va="top",
            fontsize=9,
            color=t["muted"],
            style="italic",
        )
        ax2.text(
            total + 1,
            -half,
            "below: later \u2192 earlier",
            ha="right",
            va="bottom",
            fontsize=9,
            color=t["muted"],
            style="italic",
        )

        for ax in (ax1, ax2):  # the words last, on top of the arrows
            for x, word in zip(xs, toks, strict=False):
                color = style.token_color(word)  # a chip in the word's colour, its text readable on it
                ax.text(
                    x,
                    0,
                    word,
                    ha="center",
                    va="center",
                    fontsize=12,
                    fontweight="bold",
                    color=style.text_on(color),
                    zorder=10,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": color, "edgecolor": "none"},
                )
        fig.subplots_adjust(hspace=0.12)
        mpl.save(fig, out_dir, ID, theme)
