"""One step with a KV cache: the rows kept from earlier steps, and the one row computed now.

The last step of the prompt "The cat sat on the", in the hand-made model of
the walk-through. The new word's query q is computed now. Of the keys K and
the values V, every row but the last comes from the cache, where each earlier
step left its own; only the new word's key and value (the highlighted rows)
are computed at this step, from its vector alone. Right: the weights the
query gives each key, softmax(q Kᵀ / √d_k), which mix the rows of V into the
new word's output.
"""

from __future__ import annotations

import numpy as np

from attention_ref import ExampleError, decode, self_attention
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed
from figures_src.kit.formats import fmt

ID = "kv-cache-step"
KIND = "matplotlib"
LECTURE = (
    "Use it to make the KV cache concrete: point at each row of K and V and ask at which step it was computed. "
    "It corrects the idea that the cache stores attention weights or queries: it keeps keys and values only, "
    "and the new word's query is used once."
)


def data(examples) -> dict:
    dec = examples.decoding
    if dec is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [decoding] table (see attention_ref/examples.toml)")
    s = examples.sentence(dec.sentence)
    lang = s.language
    steps = decode(s.x, lang.w_q, lang.w_k, lang.w_v)
    full = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v, causal=True)
    t = dec.prompt_length - 1  # the last word of the prompt
    st = steps[t]
    words = list(s.tokens[: t + 1])
    return {
        "step": t + 1,
        "word": s.tokens[t],
        "words": words,
        "d_k": int(st.q.shape[0]),
        "n_cached": st.n_cached,
        "q": st.q.tolist(),
        "k": st.cache.k.tolist(),
        "v": st.cache.v.tolist(),
        "weights": st.weights.tolist(),
        "weight": keyed(words, st.weights),
        "output": st.output.tolist(),
        # each cached row against the key and value its own step computed, and the new row against x_t W
        "cached_rows_difference": float(max(
            max(np.abs(st.cache.k[j] - steps[j].k).max(), np.abs(st.cache.v[j] - steps[j].v).max())
            for j in range(t)
        )) if t else 0.0,
        "new_row_difference": float(max(np.abs(st.k - s.x[t] @ lang.w_k).max(),
                                        np.abs(st.v - s.x[t] @ lang.w_v).max())),
        "output_difference": float(np.abs(st.output - full.output[t]).max()),
    }


@claim("every cached row of K and V is the key and value its own word computed at its own step")
def cached_rows_are_their_steps(data):
    return data["cached_rows_difference"] == 0.0 and data["n_cached"] == len(data["words"]) - 1


@claim("the one new row is the new word's vector times W_K and W_V: it needs nothing from the other words")
def new_row_from_the_word_alone(data):
    return data["new_row_difference"] <= 1e-12


@claim("the output of this step is the causal attention output of the word at this position (to 1e-12)")
def output_is_the_causal_row(data):
    return data["output_difference"] <= 1e-12


def labels(data) -> list[str]:
    cells = [v for row in data["k"] + data["v"] for v in row] + data["q"]
    return [fmt(v, "f1") for v in cells] + [fmt(w, "pct0") for w in data["weights"]]


def alt(data) -> str:
    w = ", ".join(f"{word} {fmt(x, 'pct0')}" for word, x in zip(data["words"], data["weights"], strict=True))
    return (
        f'Step {data["step"]}, the word "{data["word"]}": its query q of {data["d_k"]} numbers, computed now; the '
        f"keys K and values V of {len(data['words'])} words, the first {data['n_cached']} rows from the cache and "
        f"the last row, its own, computed now; and the weights its query gives each key: {w}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from figures_src.kit import mpl, style

    words = data["words"]
    n, d = len(words), data["d_k"]
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 3.9))
        cached_fill, new_fill = t["grid"], t["highlight"]
        cell_w, cell_h = 0.62, 0.5

        def block(x0, rows, title, new_rows, first_row=0):
            """Rows of numbers as cells, row r at line first_row + r; new_rows are filled as computed now."""
            for r, row in enumerate(rows):
                y = -(first_row + r + 1) * cell_h
                fill = new_fill if r in new_rows else cached_fill
                for c, v in enumerate(row):
                    ax.add_patch(Rectangle((x0 + c * cell_w, y), cell_w, cell_h, facecolor=fill,
                                           edgecolor=t["background"], lw=1.2))
                    ax.text(x0 + (c + 0.5) * cell_w, y + cell_h / 2, fmt(v, "f1"), ha="center", va="center",
                            fontsize=9.5, color=style.text_on(fill))
            ax.text(x0 + len(rows[0]) * cell_w / 2, 0.22, title, ha="center", va="bottom", fontsize=10.5,
                    color=t["foreground"], fontweight="bold")

        for r, word in enumerate(words):
            ax.text(-0.12, -(r + 0.5) * cell_h, word, ha="right", va="center", fontsize=10, color=t["foreground"])
        x_q = 0.0
        block(x_q, [data["q"]], "q (now)", {0}, first_row=n - 1)  # on the new word's line
        x_k = x_q + d * cell_w + 0.5
        block(x_k, data["k"], "K", {n - 1})
        x_v = x_k + d * cell_w + 0.5
        block(x_v, data["v"], "V", {n - 1})
        x_w = x_v + d * cell_w + 0.45
        wmax = max(data["weights"])
        for r, w in enumerate(data["weights"]):
            y = -(r + 1) * cell_h
            ax.add_patch(Rectangle((x_w, y + 0.1), 1.3 * w / wmax, cell_h - 0.2, facecolor=t["accent"], lw=0))
            ax.text(x_w + 1.3 * w / wmax + 0.08, y + cell_h / 2, fmt(w, "pct0"), ha="left", va="center",
                    fontsize=9.5, color=t["foreground"])
        ax.text(x_w + 0.65, 0.22, "weights", ha="center", va="bottom", fontsize=10.5, color=t["foreground"],
                fontweight="bold")
        # the legend, in words: which rows come from the cache
        y_leg = -(n + 0.9) * cell_h
        for x0, fill, text in ((x_k, cached_fill, f"from the cache ({data['n_cached']} rows)"),
                               (x_v + 1.2, new_fill, "computed at this step")):
            ax.add_patch(Rectangle((x0, y_leg), 0.35, 0.3, facecolor=fill, lw=0))
            ax.text(x0 + 0.45, y_leg + 0.15, text, ha="left", va="center", fontsize=9.5, color=t["foreground"])
        ax.set_xlim(-1.0, x_w + 2.0)
        ax.set_ylim(y_leg - 0.2, 0.7)
        ax.set_aspect("equal")
        ax.axis("off")
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, data, t))


NARROW_WIDTH = 3.42  # inches: with the saved padding, the 358 px a phone gives a figure (100/72 px to the point)


def _narrow(fig, data, t) -> None:
    """The phone layout, read downwards: the new word's query q, then K and V side by side, then the weights
    as bars under them, then the key of the colours on two lines. Data units are inches."""
    from matplotlib.patches import Rectangle

    from figures_src.kit import style

    words = data["words"]
    n, d = len(words), data["d_k"]
    cached_fill, new_fill = t["grid"], t["highlight"]
    cell_w, cell_h, head = 0.32, 0.28, 0.34  # inches: a cell, and the room a band's title takes
    x0, gap = 0.58, 0.18  # where the cells start (the words end left of it), and between K and V
    fig.clear()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")

    def title(x, y, text):
        ax.text(x, y - head + 0.08, text, ha="center", va="bottom", fontsize=9.5, color=t["foreground"],
                fontweight="bold")

    def word(y, text):
        ax.text(x0 - 0.08, y + cell_h / 2, text, ha="right", va="center", fontsize=9, color=t["foreground"])

    def cells(x, y, row, fill):
        for c, v in enumerate(row):
            ax.add_patch(Rectangle((x + c * cell_w, y), cell_w, cell_h, facecolor=fill, edgecolor=t["background"],
                                   lw=1.0))
            ax.text(x + (c + 0.5) * cell_w, y + cell_h / 2, fmt(v, "f1"), ha="center", va="center", fontsize=8.5,
                    color=style.text_on(fill))

    top = 0.0
    title(x0 + d * cell_w / 2, top, "q (now)")
    top -= head + cell_h
    word(top, words[-1])
    cells(x0, top, data["q"], new_fill)
    top -= 0.2
    x_v = x0 + d * cell_w + gap
    title(x0 + d * cell_w / 2, top, "K")
    title(x_v + d * cell_w / 2, top, "V")
    top -= head
    for r, w in enumerate(words):
        y = top - (r + 1) * cell_h
        fill = new_fill if r == n - 1 else cached_fill
        word(y, w)
        cells(x0, y, data["k"][r], fill)
        cells(x_v, y, data["v"][r], fill)
    top -= n * cell_h + 0.06
    wmax, bar = max(data["weights"]), 1.9
    title(x0 + bar / 2, top, "weights")
    top -= head
    for r, w in enumerate(data["weights"]):
        y = top - (r + 1) * cell_h
        word(y, words[r])
        ax.add_patch(Rectangle((x0, y + 0.06), bar * w / wmax, cell_h - 0.12, facecolor=t["accent"], lw=0))
        ax.text(x0 + bar * w / wmax + 0.06, y + cell_h / 2, fmt(w, "pct0"), ha="left", va="center", fontsize=8.5,
                color=t["foreground"])
    top -= n * cell_h + 0.2
    for k, (fill, text) in enumerate(((cached_fill, f"from the cache ({data['n_cached']} rows)"),
                                      (new_fill, "computed at this step"))):
        y = top - (k + 1) * 0.26
        ax.add_patch(Rectangle((x0, y + 0.04), 0.2, 0.16, facecolor=fill, lw=0))
        ax.text(x0 + 0.28, y + 0.12, text, ha="left", va="center", fontsize=8.5, color=t["foreground"])
    height = -(y - 0.05)
    fig.set_size_inches(NARROW_WIDTH, height)
    ax.set_xlim(0, NARROW_WIDTH)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
