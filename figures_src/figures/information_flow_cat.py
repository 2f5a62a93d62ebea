"""Information flowing between positions in "The cat sat on the mat": each arrow as thick as its weight.

An arrow from word j to word i carries word j's value into word i's output,
and its thickness and opacity are the attention weight of i on j. Arrows
above the words run forward, from an earlier word to a later one; arrows
below run backward; the small loop on a word is the weight it keeps for
itself (the diagonal of the attention matrix). Top: only the arrows into
"sat", labelled with their weights: "sat" draws most from "cat" and "mat", its
subject and the place. Bottom: every word at once, every arrow and every loop.
All the weights come from single-head self-attention with the walk-through's
hand-made projections.
"""

from __future__ import annotations

import numpy as np

from figures_src.kit.claims import claim, top
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
    off = w.copy()
    off[np.eye(len(w), dtype=bool)] = -1.0  # the arrows between two different words
    q_big, k_big = np.unravel_index(int(off.argmax()), off.shape)
    living = s.language.axes.index("living")
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
        "column_mean": keyed(s.tokens, w.mean(axis=0)),
        # the thickest arrow between two different words: from its source (key) into its reader (query)
        "thickest_arrow": {"from": s.tokens[k_big], "into": s.tokens[q_big], "weight": float(w[q_big, k_big])},
        "min_weight": float(w.min()),
        "living_words": [t for t, row in zip(s.tokens, s.x, strict=True) if row[living] > 0],
    }


@claim("“sat” draws more from “cat” and “mat” than from any other word, and together more than half of its vector")
def sat_draws_from_cat_and_mat(data):
    return set(data["focus_top_two_others"]) == {"cat", "mat"} and data["focus_top_two_others_share"] > 0.5


@claim("“sat” keeps some of its own value: its self-loop is not empty")
def sat_keeps_some_for_itself(data):
    return data["focus_self_weight"] > 0


@claim("the thickest arrow between two different words leaves “cat”, and “cat” is the word read most on average")
def thickest_arrows_leave_cat(data):
    return data["thickest_arrow"]["from"] == "cat" and top(data["column_mean"]) == "cat"


@claim("“cat” is the only word of this sentence with anything on the toy’s “living” axis")
def cat_is_the_only_living_word(data):
    return data["living_words"] == ["cat"]


@claim("“cat” keeps more of its own value than any other word: the thickest loop is on “cat”")
def cat_keeps_the_most(data):
    return top(data["self_weight"]) == "cat"


@claim("every weight is above zero: without a mask every word reads every other, forward and backward")
def every_word_reaches_every_other(data):
    return data["min_weight"] > 0


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
    w_max = max(max(row) for row in w)  # the largest weight, self-loops included
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

        def selfloop(ax, k, weight, scale, label=None):
            """What word k keeps of its own value: a loop from the top of its chip back into it."""
            from matplotlib.path import Path

            lw = 0.6 + scale * weight
            x0, base, rise, spread = xs[k], 0.075 * half, 0.4 * half, 2.8
            path = Path(
                [(x0 - 0.75, base), (x0 - spread, base + rise), (x0 + spread, base + rise), (x0 + 0.75, base)],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4],
            )
            ax.add_patch(
                FancyArrowPatch(
                    path=path,
                    arrowstyle="-|>",
                    mutation_scale=7 + 1.1 * lw,
                    lw=lw,
                    color=t["accent"],
                    alpha=min(0.15 + 0.85 * weight / w_max, 1.0),
                    shrinkA=0,
                    shrinkB=0,
                )
            )
            if label is not None:  # the apex of the loop is three quarters of the way up its control points
                ax.text(x0, base + 0.75 * rise + 0.5, label, ha="center", va="bottom", fontsize=10.5,
                        color=t["foreground"])

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
        selfloop(ax1, i, w[i][i], scale=22, label=fmt(w[i][i], "pct0"))
        ax1.set_title(
            f"into \u201c{data['focus']}\u201d; the loop on it is what it keeps for itself",
            fontsize=11.5,
            loc="left",
            color=t["foreground"],
        )

        # Bottom: every pair of different positions at once.
        pairs = [(j, k) for k in range(n) for j in range(n) if j != k]
        for j, k in sorted(pairs, key=lambda p: w[p[1]][p[0]]):
            flow(ax2, j, k, w[k][j], scale=14)
        for k in range(n):
            selfloop(ax2, k, w[k][k], scale=14)
        ax2.set_title("every word at once", fontsize=11.5, loc="left", color=t["foreground"])
        ax2.text(
            total + 1,
            half,
            "above: earlier \u2192 later; loops: kept for itself",
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
