"""Softmax never gives exactly nothing: a similarity of zero still becomes a positive weight.

The row of "Orange" in the cosine similarity table of "An Apple And An Orange"
(left) and the same row after softmax (right). "Orange" and "And" have
nothing in common (their vectors are at right angles), so their similarity is
exactly zero; but softmax raises e to the power of every entry, and e to the
power 0 is 1, not 0, so "And" still receives a share of the attention. Only a
score of minus infinity (a masked word) gets a weight of zero.
"""

from __future__ import annotations

from attention_ref import cosine_similarity, softmax
from figures_src.kit.common import keyed
from figures_src.kit.formats import fmt

ID = "softmax-zero-positive"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it when students claim that softmax can ignore a word: a similarity of exactly zero still becomes a "
    "positive weight, and only minus infinity (a mask) gives zero. A good quiz question: what score would a "
    "word need to get no attention?"
)
SENTENCE = "apple_orange"
ROW_WORD = "orange"  # the word whose row of similarities is shown


def data(examples) -> dict:
    s = examples.sentence(SENTENCE)
    x = s.x  # (T, d_model)
    i = s.index(ROW_WORD)
    row = cosine_similarity(x[i], x)[0]  # (T,)
    weights = softmax(row)  # (T,)
    zero = next(j for j, v in enumerate(row) if v == 0.0)
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "row_word": s.tokens[i],
        "similarities": row.tolist(),
        "weights": weights.tolist(),
        "similarity": keyed(s.tokens, row),
        "weight": keyed(s.tokens, weights),
        "zero_word": s.tokens[zero],
        "zero_similarity": float(row[zero]),
        "zero_weight": float(weights[zero]),
        "sum": float(weights.sum()),
    }


def labels(data) -> list[str]:
    return [fmt(v, "f2") for v in data["similarities"]] + [fmt(w, "pct") for w in data["weights"]]


def alt(data) -> str:
    pairs = ", ".join(
        f"{t} {fmt(v, 'f2')} to {fmt(w, 'pct')}"
        for t, v, w in zip(data["tokens"], data["similarities"], data["weights"], strict=True)
    )
    return (
        f"Two bar charts of the row of \"{data['row_word']}\" in \"{data['sentence']}\": cosine similarities on the "
        f"left, the weights softmax makes of them on the right. \"{data['zero_word']}\" has similarity "
        f"{fmt(data['zero_similarity'], 'f2')} but still "
        f"gets a weight of {fmt(data['zero_weight'], 'pct')}. Similarity to weight: {pairs}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    tokens = data["tokens"]
    zero = tokens.index(data["zero_word"])
    xs = list(range(len(tokens)))
    with mpl.themed(theme, ID) as t:
        fig, (left, right) = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, 3.6))
        panels = ((left, data["similarities"], "cosine similarity", "f2"),
                  (right, data["weights"], "weight after softmax", "pct"))
        for ax, values, title, style_name in panels:
            colors = [style.token_color(w) for w in tokens]
            bars = ax.bar(xs, values, color=colors, width=0.7)
            bars[zero].set_edgecolor(t["highlight"])
            bars[zero].set_linewidth(2.2)
            top = max(values)
            for x, v in zip(xs, values, strict=True):
                ax.text(x, v + 0.03 * top, fmt(v, style_name), ha="center", va="bottom", fontsize=9.5,
                        fontweight="bold" if x == zero else "normal",
                        color=t["highlight"] if x == zero else t["foreground"])
            ax.set_ylim(0, top * 1.2)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.set_xticks(xs, tokens, fontsize=10, rotation=30, ha="right", rotation_mode="anchor")
            ax.tick_params(axis="x", length=0)
            ax.set_title(title, fontsize=11)
        for ax in (left, right):
            ax.get_xticklabels()[zero].set_fontweight("bold")
        fig.text(0.5, 0.55, "softmax\n\u2192", ha="center", va="center", fontsize=11, color=t["muted"])
        fig.suptitle(f"the row of \u201c{data['row_word']}\u201d in \u201c{data['sentence']}\u201d", fontsize=10,
                     color=t["muted"], y=0.99)
        fig.tight_layout(w_pad=4.0)
        mpl.save(fig, out_dir, ID, theme)
