"""Reading in a chain or looking everywhere at once: how far "animal" is from "it".

Above, a recurrent network reads the sentence one word at a time and carries
what it knows in one hidden state that is rewritten at every word; whatever
it learnt at "animal" has to survive one rewrite per word until it reaches
"it". Below, self-attention links every pair of words directly, so "it" reaches
"animal" in a single step, however far apart they are. The step counts come
from the positions of the two words in the sentence.
"""

from __future__ import annotations

from figures_src.kit.claims import claim

ID = "rnn-vs-attention"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'Use it early, to motivate attention: ask how many steps the information about "animal" needs to reach '
    '"it" in each model. It makes the path-length argument concrete and shows why attention can run in '
    "parallel."
)
SENTENCE = "animal"
REFERENT = "animal"  # the word "it" refers to


def data(examples) -> dict:
    s = examples.sentence(SENTENCE)
    start, end = s.index(REFERENT), s.focus_index
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[end],
        "referent": s.tokens[start],
        "referent_index": start,
        "focus_index": end,
        "n_tokens": len(s.tokens),
        "rnn_steps": end - start,  # hidden-state updates between the two words
        "attention_steps": 1,  # one direct link, whatever the distance
    }


@claim("“animal” comes before “it”, and “tired” after it")
def animal_before_tired_after(data):
    i = data["focus_index"]
    return data["referent"] == "animal" and data["referent_index"] < i and "tired" in data["tokens"][i + 1:]


def labels(data) -> list[str]:
    return [str(data["rnn_steps"]), str(data["attention_steps"])]


def alt(data) -> str:
    return (
        f"Two diagrams of the sentence \"{data['sentence']}\". Top: a recurrent network reads the words one at a "
        f"time through a chain of {data['n_tokens']} hidden states, so information from \"{data['referent']}\" "
        f"needs {data['rnn_steps']} steps to reach \"{data['focus']}\". Bottom: self-attention links every pair of "
        f"words directly, so \"{data['focus']}\" reaches \"{data['referent']}\" in {data['attention_steps']} step."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Arc, FancyArrowPatch

    from figures_src.kit import mpl, style

    tokens = data["tokens"]
    a, b = data["referent_index"], data["focus_index"]
    widths = [1.3 * max(len(t), 3) + 2.6 for t in tokens]
    xs, edge = [], 0.0
    for w in widths:
        xs.append(edge + w / 2)
        edge += w
    total = edge
    ref_color = style.token_color(tokens[a])  # information leaves from the referent

    def words(ax, y, t):
        for j, (x, word) in enumerate(zip(xs, tokens, strict=True)):
            strong = j in (a, b)
            ax.text(x, y, word, ha="center", va="center", fontsize=10.5,
                    color=t["foreground"] if strong else t["muted"], fontweight="bold" if strong else "normal")

    with mpl.themed(theme, ID) as t:
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(style.FIG_WIDTH, 4.8), height_ratios=(1, 1.1))
        for ax in (top, bottom):
            ax.set_xlim(0, total)
            ax.axis("off")

        # --- a recurrent network: one hidden state per word, each made from the one before
        top.set_ylim(-1.2, 4.4)
        top.set_title("A recurrent network reads one word at a time", loc="left", fontsize=11.5)
        words(top, 0, t)
        for j, x in enumerate(xs):
            on_path = a <= j <= b
            top.plot([x], [1.9], marker="o", ms=13, mfc=t["background"], mec=ref_color if on_path else t["muted"],
                     mew=2.2 if on_path else 1.0, zorder=3)
            top.text(x, 1.9, "h", ha="center", va="center", fontsize=9, color=t["muted"], zorder=4)
            top.add_patch(FancyArrowPatch((x, 0.45), (x, 1.9), arrowstyle="-|>", mutation_scale=8, color=t["muted"],
                                          lw=0.8, shrinkA=0, shrinkB=8))
            if j + 1 < len(xs):
                on_step = a <= j < b
                top.add_patch(FancyArrowPatch((x, 1.9), (xs[j + 1], 1.9), arrowstyle="-|>",
                                              mutation_scale=11 if on_step else 8,
                                              color=ref_color if on_step else t["muted"],
                                              lw=2.2 if on_step else 0.9, shrinkA=8, shrinkB=8))
        brace_y = 3.55
        top.plot([xs[a], xs[a], xs[b], xs[b]], [brace_y - 0.35, brace_y, brace_y, brace_y - 0.35],
                 color=ref_color, lw=1.6)
        top.text((xs[a] + xs[b]) / 2, brace_y + 0.05, f"{data['rnn_steps']}", ha="right", va="bottom", fontsize=12,
                 fontweight="bold", color=ref_color)
        top.text((xs[a] + xs[b]) / 2, brace_y + 0.05, " steps, one rewrite of the hidden state each", ha="left",
                 va="bottom", fontsize=10, color=t["foreground"])

        # --- self-attention: every pair linked directly
        bottom.set_ylim(-0.9, 0.55 + 0.3 + 0.05 * (xs[-1] - xs[0]) + 0.3)
        bottom.set_title("Self-attention links every pair at once", loc="left", fontsize=11.5)
        words(bottom, 0, t)
        for j in range(len(xs)):
            for k in range(j + 1, len(xs)):
                if (j, k) == (a, b):
                    continue
                span = xs[k] - xs[j]
                bottom.add_patch(Arc(((xs[j] + xs[k]) / 2, 0.55), span, 2 * (0.3 + 0.05 * span), theta1=0,
                                     theta2=180, lw=0.6, color=t["muted"], alpha=0.45))
        span = xs[b] - xs[a]
        height = 0.3 + 0.05 * span
        bottom.add_patch(Arc(((xs[a] + xs[b]) / 2, 0.55), span, 2 * height, theta1=0, theta2=180, lw=3.2,
                             color=ref_color))
        bottom.text((xs[a] + xs[b]) / 2, 0.55 + height + 0.2, f"{data['attention_steps']}", ha="right", va="bottom",
                    fontsize=12, fontweight="bold", color=ref_color,
                    bbox={"boxstyle": "square,pad=0.1", "fc": t["background"], "ec": "none"})
        bottom.text((xs[a] + xs[b]) / 2, 0.55 + height + 0.2, " step, a direct link", ha="left", va="bottom",
                    fontsize=10, color=t["foreground"],
                    bbox={"boxstyle": "square,pad=0.1", "fc": t["background"], "ec": "none"})
        fig.tight_layout(h_pad=0.6)
        mpl.save(fig, out_dir, ID, theme)
