"""Where attention sits: one Transformer block, from words to next-word probabilities.

Read from the bottom up. The words become vectors (an embedding plus the
positional encoding), one row of d_model numbers per position. A block then
does two things, each wrapped in a residual connection (the input is added
back to the output) and followed by layer normalisation: masked multi-head
self-attention, where the positions exchange information, and a feed-forward
network, a small two-layer network applied to every position on its own.
Real models stack many such blocks. At the top a linear layer and a softmax
turn each position's vector into probabilities for the next word. This is the
layout of the original paper (normalisation after each residual sum); many
newer models normalise before each sublayer instead. The diagram shows no
numbers.
"""

from __future__ import annotations

ID = "transformer-block"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it at the end to place attention in the whole model: ask which box is the one they just learned and "
    "what the other boxes add. Mention that many newer models normalise before each sublayer, so diagrams in "
    "papers differ."
)
SENTENCE = "cat"


def data(examples) -> dict:
    s = examples.sentence(SENTENCE)
    return {
        "input_tokens": list(s.tokens[:-1]),  # the model reads these ...
        "next_token": s.tokens[-1],  # ... and is trained to predict this one
        "stages": [
            {"name": "embedding + positional encoding", "shape": "(T, d_model)"},
            {"name": "masked multi-head self-attention", "shape": "(T, d_model)"},
            {"name": "add & norm", "shape": "(T, d_model)"},
            {"name": "feed-forward network", "shape": "(T, d_model)"},
            {"name": "add & norm", "shape": "(T, d_model)"},
            {"name": "linear + softmax", "shape": "(T, vocabulary size)"},
        ],
    }


def labels(data) -> list[str]:
    return []


def alt(data) -> str:
    steps = " → ".join(s["name"] for s in data["stages"])
    words = " ".join(data["input_tokens"])
    return (
        f'A diagram of one Transformer block, read from the bottom up, for the input "{words}": {steps}, '
        f'ending in probabilities for the next word (for example "{data["next_token"]}"). Curved arrows show the '
        f"residual connections that add each sublayer's input to its output; a bracket marks the block that is "
        f"repeated N times."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from figures_src.kit import mpl, style

    stages = data["stages"]
    c = style.ROLE_COLORS
    fills = ["#999999", "#CC79A7", "#E69F00", "#56B4E9", "#E69F00", "#009E73"]
    cx, box_w, box_h = 3.35, 5.1, 0.62
    ys = [1.55, 3.05, 3.95, 5.05, 5.95, 7.55]

    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 6.4))
        ax.set_xlim(0, 11.0)
        ax.set_ylim(0, 9.2)
        ax.axis("off")

        def arrow(x0, y0, x1, y1, **kw):
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={"arrowstyle": "-|>", "color": t["foreground"], "lw": 1.3, "shrinkA": 0, "shrinkB": 0, **kw},
            )

        # the words at the bottom
        words = data["input_tokens"]
        span = box_w
        for k, w in enumerate(words):
            x = cx - span / 2 + span * (k + 0.5) / len(words)
            color = style.token_color(w)
            ax.text(
                x,
                0.45,
                w,
                ha="center",
                va="center",
                fontsize=10.5,
                fontweight="bold",
                color=style.text_on(color),
                bbox={"boxstyle": "round,pad=0.25", "facecolor": color, "edgecolor": "none"},
            )
        arrow(cx, 0.8, cx, ys[0] - box_h / 2)

        # the repeated block
        ax.add_patch(
            FancyBboxPatch(
                (cx - box_w / 2 - 0.45, ys[1] - box_h / 2 - 0.55),
                box_w + 0.9,
                ys[4] - ys[1] + box_h + 0.95,
                boxstyle="round,pad=0.02,rounding_size=0.2",
                fill=False,
                edgecolor=t["muted"],
                lw=1.2,
                linestyle="--",
            )
        )
        ax.text(
            cx - box_w / 2 - 0.65,
            (ys[1] + ys[4]) / 2,
            "× N blocks",
            ha="right",
            va="center",
            fontsize=10.5,
            color=t["muted"],
            rotation=90,
        )

        for k, (stage, y, fill) in enumerate(zip(stages, ys, fills, strict=False)):
            thin = stage["name"] == "add & norm"
            h = box_h * (0.8 if thin else 1)
            ax.add_patch(
                FancyBboxPatch(
                    (cx - box_w / 2, y - h / 2),
                    box_w,
                    h,
                    boxstyle="round,pad=0.02,rounding_size=0.12",
                    facecolor=fill,
                    alpha=0.22,
                    edgecolor="none",
                )
            )
            ax.add_patch(
                FancyBboxPatch(
                    (cx - box_w / 2, y - h / 2),
                    box_w,
                    h,
                    boxstyle="round,pad=0.02,rounding_size=0.12",
                    fill=False,
                    edgecolor=fill,
                    lw=1.5,
                )
            )
            ax.text(
                cx,
                y,
                stage["name"],
                ha="center",
                va="center",
                fontsize=10.5,
                fontweight="normal" if thin else "bold",
                color=t["foreground"],
            )
            if k + 1 < len(ys):
                arrow(cx, y + h / 2, cx, ys[k + 1] - box_h * (0.8 if stages[k + 1]["name"] == "add & norm" else 1) / 2)

        # residual connections: around attention and around the feed-forward network
        for lower, upper in ((0, 2), (2, 4)):
            y0, y1 = ys[lower + 1] - box_h / 2 - 0.3, ys[upper]  # from just below the sublayer
            xr = cx + box_w / 2 + 0.35
            ax.plot([cx, xr], [y0, y0], color=t["accent"], lw=1.3)
            ax.plot([xr, xr], [y0, y1], color=t["accent"], lw=1.3)
            arrow(xr, y1, cx + box_w / 2, y1, color=t["accent"])
        tx = cx + box_w / 2 + 0.85  # the notes column, right of the residual lines
        ax.text(
            tx,
            (ys[2] + ys[3]) / 2,
            "residual: add the input back",
            ha="left",
            va="center",
            fontsize=9.5,
            color=t["accent"],
        )

        # what each part does
        notes = {
            0: "one vector per word and position",
            1: "the positions exchange information\n(this site, up to Masking)",
            3: "each position on its own:\nexpand, nonlinearity, shrink back",
            5: "probabilities for every word of the\nvocabulary, at every position",
        }
        for k, note in notes.items():
            ax.text(tx, ys[k], note, ha="left", va="center", fontsize=9.5, color=t["muted"])
        arrow(cx, ys[5] + box_h / 2, cx, 8.55)
        ax.text(
            cx,
            8.8,
            f"next word: \u201c{data['next_token']}\u201d?",
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color=c["output"],
        )
        mpl.save(fig, out_dir, ID, theme)
