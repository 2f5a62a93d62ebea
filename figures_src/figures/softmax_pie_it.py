"""How "it" shares out its attention: the softmax of its scaled scores as slices of a pie.

Step 4 of the walk-through. The query of "it" was compared with the key of
every word (step 2) and the scores divided by the square root of d_k (step 3);
softmax turns them into weights that are all positive and add up to one, so
they can be drawn as the slices of one pie. The largest slice belongs to the
word "it" refers to. Even a word whose score is zero keeps a slice: softmax
never gives exactly nothing.
"""

from __future__ import annotations

from figures_src.kit.claims import claim, ranked
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "softmax-pie-it"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it for step 4: ask students to predict the largest slice, and whether any word can get no attention "
    "at all. It corrects the idea that a score of zero means a weight of zero: every word keeps a slice."
)
SENTENCE = "animal"
LABEL_MIN = 0.06  # slices at least this large carry their percentage on the pie


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    weights = att.weights[i]
    top = int(weights.argmax())
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "scores": att.scores[i].tolist(),
        "scaled": att.scaled[i].tolist(),
        "weights": weights.tolist(),
        "weight": keyed(s.tokens, weights),
        "top_word": s.tokens[top],
        "top_weight": float(weights[top]),
        "sum": float(weights.sum()),
    }


@claim("“it” attends most to “animal”")
def it_attends_most_to_animal(data):
    return data["top_word"] == "animal"


@claim("after “animal”, “it” gives the most to “tired” and then to itself")
def tired_then_itself(data):
    return ranked(data["weight"])[:3] == ["animal", "tired", "it"]


@claim("no word gets nothing: every slice of the pie is larger than zero")
def every_word_gets_a_slice(data):
    return min(data["weights"]) > 0


@claim("the words whose score is zero all get the same weight, “The” among them")
def zero_scores_share_one_weight(data):
    zero = [w for s, w in zip(data["scores"], data["weights"], strict=True) if s == 0.0]
    return data["scores"][0] == 0.0 and len(zero) > 1 and max(zero) == min(zero)


def labels(data) -> list[str]:
    return [fmt(w, "pct") for w in data["weights"]]


def alt(data) -> str:
    parts = ", ".join(f"{t} {fmt(w, 'pct')}" for t, w in zip(data["tokens"], data["weights"], strict=True))
    return (
        f"A pie chart of the attention weights of \"{data['focus']}\" in \"{data['sentence']}\". "
        f"The largest slice is \"{data['top_word']}\" with {fmt(data['top_weight'], 'pct')}. All slices: {parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    from figures_src.kit import mpl, style

    with mpl.themed(theme, ID) as t:
        fig, (ax, ax_legend) = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, 3.9), width_ratios=(1.15, 1))
        tokens, weights = data["tokens"], data["weights"]
        colors = [style.token_color(w) for w in tokens]
        wedges, _ = ax.pie(
            weights, colors=colors, startangle=90, counterclock=False,
            wedgeprops={"width": 0.42, "edgecolor": t["background"], "linewidth": 1.5},
        )
        for wedge, w, color in zip(wedges, weights, colors, strict=True):
            if w >= LABEL_MIN:
                angle = np.deg2rad((wedge.theta1 + wedge.theta2) / 2)
                ax.text(0.79 * np.cos(angle), 0.79 * np.sin(angle), fmt(w, "pct"), ha="center", va="center",
                        fontsize=9, color=style.text_on(color), fontweight="bold")
        ax.text(0, 0.06, f"\u201c{data['focus']}\u201d", ha="center", va="center", fontsize=13, fontweight="bold")
        ax.text(0, -0.14, "attends to", ha="center", va="center", fontsize=9, color=t["muted"])
        ax.set_aspect("equal")

        # The legend is a table: every word with its weight, largest first.
        ax_legend.axis("off")
        order = sorted(range(len(tokens)), key=lambda j: -weights[j])
        for row, j in enumerate(order):
            y = 1 - (row + 0.5) / len(tokens)
            ax_legend.add_patch(plt.Rectangle((0.02, y - 0.03), 0.06, 0.06, color=colors[j],
                                              transform=ax_legend.transAxes))
            ax_legend.text(0.12, y, tokens[j], va="center", fontsize=10, transform=ax_legend.transAxes)
            ax_legend.text(0.78, y, fmt(weights[j], "pct"), va="center", ha="right", fontsize=10,
                           transform=ax_legend.transAxes, fontweight="bold" if j == order[0] else "normal")
        ax_legend.text(0.78, -0.04, f"sum {fmt(data['sum'], 'pct0')}", va="center", ha="right", fontsize=9,
                       color=t["muted"], transform=ax_legend.transAxes)
        mpl.save(fig, out_dir, ID, theme)
