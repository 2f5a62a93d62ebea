"""Self-attention in one picture: "it" reaches every word at once, and each arc is as thick as its weight.

The word "it" of "The animal didn't cross the street because it was too
tired" is linked to every word of the sentence, itself included, by one arc.
The thickness of an arc is the attention weight "it" gives that word, and the
weight is written under the word. All the weights come from the same
single-head self-attention as the five-step walk-through, and they add up to
one. The thickest arc goes to the word "it" refers to.
"""

from __future__ import annotations

from figures_src.kit.claims import claim
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "overview-it-arcs"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'An opening slide, before any math: ask which word "it" should attend to and let students check their '
    'guess against the thickest arc. Point out that every word, "it" itself included, gets some weight and '
    "that the weights add up to one."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    weights = att.weights[i]
    top = int(weights.argmax())
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "weights": weights.tolist(),
        "weight": keyed(s.tokens, weights),
        "top_word": s.tokens[top],
        "top_weight": float(weights[top]),
        "self_weight": float(weights[i]),
        "n_tokens": len(s.tokens),
    }


@claim("“it” pays the most attention to “animal”")
def it_attends_most_to_animal(data):
    return data["top_word"] == "animal"


@claim("every word, “it” itself included, gets some of the attention of “it”")
def every_word_gets_some(data):
    return min(data["weights"]) > 0 and data["self_weight"] > 0


def labels(data) -> list[str]:
    return [fmt(w, "pct") for w in data["weights"]]


def alt(data) -> str:
    parts = ", ".join(f"{t} {fmt(w, 'pct')}" for t, w in zip(data["tokens"], data["weights"], strict=True))
    return (
        f"The sentence \"{data['sentence']}\" written in a row, with an arc from \"{data['focus']}\" to every word; "
        f"each arc is as thick as the attention weight \"{data['focus']}\" gives that word. The thickest arc goes to "
        f"\"{data['top_word']}\" ({fmt(data['top_weight'], 'pct')}). Weights: {parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Arc

    from figures_src.kit import mpl, style

    tokens, weights, i = data["tokens"], data["weights"], data["focus_index"]
    # x position of each word: its centre, with room in proportion to its length
    widths = [1.3 * max(len(t), 3) + 2.6 for t in tokens]
    xs, edge = [], 0.0
    for w in widths:
        xs.append(edge + w / 2)
        edge += w
    total = edge

    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 3.3))
        spans = [abs(x - xs[i]) for x in xs]
        top_height = 0.9 + 0.13 * max(spans)
        ax.set_xlim(0, total)
        ax.set_ylim(-3.1, top_height + 1.2)
        ax.axis("off")

        order = sorted(range(len(tokens)), key=lambda j: weights[j])  # thick arcs drawn last, on top
        for j in order:
            color = style.token_color(tokens[j])
            lw = 0.8 + 30 * weights[j]
            if j == i:  # the arc to itself: a small loop above the word
                ax.add_patch(Arc((xs[i], 1.75), 2.8, 2.0, theta1=-58, theta2=238, lw=lw, color=color,
                                 capstyle="round", zorder=5))
                continue
            start = xs[i] + (0.9 if j > i else -0.9)  # arcs leave "it" on the side of their word
            span = abs(xs[j] - start)
            height = 0.9 + 0.13 * span
            ax.add_patch(Arc(((start + xs[j]) / 2, 0.6), span, 2 * height, theta1=0, theta2=180, lw=lw,
                             color=color, alpha=0.85, capstyle="round"))

        for j, (x, word) in enumerate(zip(xs, tokens, strict=True)):
            is_focus = j == i
            ax.text(x, 0, word, ha="center", va="center", fontsize=11.5 if is_focus else 10.5,
                    fontweight="bold" if is_focus else "normal", color=t["foreground"])
            ax.plot([x - 0.45 * widths[j] + 1.0, x + 0.45 * widths[j] - 1.0], [-0.62, -0.62],
                    color=style.token_color(word), lw=3, solid_capstyle="round")
            top = j == max(range(len(tokens)), key=lambda k: weights[k])
            ax.text(x, -1.5, fmt(weights[j], "pct"), ha="center", va="center", fontsize=9.5,
                    color=t["foreground"] if top else t["muted"], fontweight="bold" if top else "normal")
        ax.text(total / 2, -2.65, f"the thicker the arc, the more attention \u201c{data['focus']}\u201d pays; "
                "the number under each word is its weight", ha="center", va="center", fontsize=9,
                color=t["muted"], style="italic")
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, data, t))


NARROW_WIDTH = 3.42  # inches: with the saved padding, the 358 px a phone gives a figure (100/72 px to the point)
NARROW_ROW = 0.3  # inches from one word to the next


def _narrow(fig, data, t) -> None:
    """The phone layout: the sentence read downwards, one word a line with its weight beside it, and the arcs
    from "it" bulging to the right, so that eleven words need no more room than a phone has."""
    from matplotlib.patches import Arc

    from figures_src.kit import style

    tokens, weights, i = data["tokens"], data["weights"], data["focus_index"]
    top_word = max(range(len(tokens)), key=lambda k: weights[k])
    rows = len(tokens)
    foot = 0.55  # inches under the last word: the two lines of the key
    height = NARROW_ROW * rows + foot
    fig.clear()
    fig.set_size_inches(NARROW_WIDTH, height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, NARROW_WIDTH)  # data units are inches, so an arc is as round as it is drawn
    ax.set_ylim(-height + NARROW_ROW / 2, NARROW_ROW / 2)
    ax.axis("off")
    ys = [-NARROW_ROW * j for j in range(rows)]
    x_pct, x_word, x_arc = 0.55, 0.72, 1.42
    spans = [abs(y - ys[i]) for y in ys]
    room = NARROW_WIDTH - x_arc - 0.08
    for j in sorted(range(rows), key=lambda k: weights[k]):  # thick arcs drawn last, on top
        color = style.token_color(tokens[j])
        lw = 0.6 + 17 * weights[j]
        if j == i:  # the arc to itself: a small loop beside the word
            ax.add_patch(Arc((x_arc + 0.13, ys[i]), 0.26, 0.2, theta1=-150, theta2=150, lw=lw, color=color,
                             capstyle="round", zorder=5))
            continue
        start = ys[i] + (0.05 if j < i else -0.05)  # arcs leave "it" on the side of their word
        span = abs(ys[j] - start)
        bulge = room * (0.08 + 0.92 * spans[j] / max(spans))
        ax.add_patch(Arc((x_arc, (start + ys[j]) / 2), 2 * bulge, span, theta1=-90, theta2=90, lw=lw,
                         color=color, alpha=0.85, capstyle="round"))
    for j, (y, word) in enumerate(zip(ys, tokens, strict=True)):
        is_focus, top = j == i, j == top_word
        ax.text(x_word, y, word, ha="left", va="center", fontsize=9 if is_focus else 8.5,
                fontweight="bold" if is_focus else "normal", color=t["foreground"])
        ax.plot([x_word - 0.07] * 2, [y - 0.1, y + 0.1], color=style.token_color(word), lw=3,
                solid_capstyle="round")
        ax.text(x_pct, y, fmt(weights[j], "pct"), ha="right", va="center", fontsize=8,
                color=t["foreground"] if top else t["muted"], fontweight="bold" if top else "normal")
    ax.text(0.0, ys[-1] - 0.3, f"the thicker the arc, the more attention \u201c{data['focus']}\u201d pays;\n"
                               "the number beside each word is its weight", ha="left", va="top", fontsize=7.5,
            color=t["muted"], style="italic", linespacing=1.35)
