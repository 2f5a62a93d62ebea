"""Cross-attention: the French words being written look at the English words being read, a rectangular matrix.

A translation model writes "le chat noir s'est assis" while it reads "the
black cat sat". Each French word is a query (one row); each English word is
a key and a value (one column). The scores are the products of Q, from the
French words, and Kᵀ, from the English words, so the weights form a matrix of
T_q rows by T_k columns, not a square: every row is one French word's
attention over the English sentence and adds up to 100%. The outlined cell of
each row is its largest weight. The alignment is not the diagonal: "chat" and
"noir" read "cat" and "black" in the opposite order, and "s'est" and "assis"
both read "sat". Multiplied by V, from the English words, the weights give
one context vector per French word (bottom right).
"""

from __future__ import annotations

import numpy as np

from attention_ref import ExampleError, cross_attention, scaled_dot_product_attention
from figures_src.kit.claims import claim, ranked
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "cross-attention-translation"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it after self-attention, to show that the same formula reads another sentence: ask which sentence gives "
    "the rows and which the columns, and why the matrix is not square. Then point at \"chat\" and \"noir\": the "
    "weights find the matching word wherever it stands, so word order may differ between the two languages."
)


def translation(examples):
    """The pair of `[cross]` and its cross-attention (the English source read, the French target written)."""
    pair = examples.cross
    if pair is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [cross] table (source, target, w_q, w_k, w_v)")
    return pair, cross_attention(pair.x_q, pair.x_kv, pair.w_q, pair.w_k, pair.w_v)


def data(examples) -> dict:
    pair, att = translation(examples)
    src, tgt = pair.source, pair.target
    w = att.weights  # (T_q, T_k)
    t_q, t_k = w.shape
    rows, cols = word_keys(tgt.tokens), word_keys(src.tokens)
    top = w.argmax(axis=1)  # (T_q,) the English word each French word reads most
    again = scaled_dot_product_attention(att.q, att.k, att.v)  # the very function self-attention uses
    focus = tgt.focus_index if tgt.focus else 0
    axes = list(src.language.axes)
    return {
        "source": src.text,
        "target": tgt.text,
        "source_tokens": list(src.tokens),
        "target_tokens": list(tgt.tokens),
        "source_language": src.language.name,
        "target_language": tgt.language.name,
        "T_q": int(t_q),
        "T_k": int(t_k),
        "d_q": int(pair.x_q.shape[1]),
        "d_kv": int(pair.x_kv.shape[1]),
        "d_k": int(att.q.shape[1]),
        "d_v": int(att.v.shape[1]),
        "shape_weights": f"({t_q}, {t_k})",
        "shape_q": f"({t_q}, {att.q.shape[1]})",
        "shape_k": f"({t_k}, {att.k.shape[1]})",
        "shape_kt": f"({att.k.shape[1]}, {t_k})",
        "shape_v": f"({t_k}, {att.v.shape[1]})",
        "shape_output": f"({t_q}, {att.v.shape[1]})",
        "axes": axes,
        "weights": w.tolist(),
        "weight": {r: keyed(src.tokens, row) for r, row in zip(rows, w, strict=True)},
        "row_sum": keyed(tgt.tokens, w.sum(axis=1)),
        "column_sum": keyed(src.tokens, w.sum(axis=0)),  # not normalised: an English word may be read by many
        "top_word": {r: src.tokens[int(j)] for r, j in zip(rows, top, strict=True)},
        "top_index": {r: int(j) for r, j in zip(rows, top, strict=True)},
        "top_weight": keyed(tgt.tokens, w.max(axis=1)),
        "column_keys": cols,
        "output": att.output.tolist(),  # (T_q, d_v)
        "context": {r: keyed(axes, row) for r, row in zip(rows, att.output, strict=True)},
        "focus": tgt.tokens[focus],
        "focus_key": rows[focus],
        "focus_top_word": src.tokens[int(top[focus])],
        "focus_top_weight": float(w[focus].max()),
        "same_as_sdpa": bool(np.array_equal(again.weights, w) and np.array_equal(again.output, att.output)),
    }


@claim("the weights matrix is not square: one row per French word, one column per English word")
def matrix_is_rectangular(data):
    w = data["weights"]
    return len(w) == len(data["target_tokens"]) != len(data["source_tokens"]) == len(w[0])


@claim("every row adds up to 100%: each French word shares out all its attention over the English words")
def every_row_adds_up_to_one(data):
    return all(abs(s - 1.0) < 1e-9 for s in data["row_sum"].values())


@claim("“chat” attends most to “cat”")
def chat_attends_most_to_cat(data):
    return data["top_word"]["chat"] == "cat"


@claim("“noir” attends most to “black”")
def noir_attends_most_to_black(data):
    return data["top_word"]["noir"] == "black"


@claim("“le” attends most to “the”")
def le_attends_most_to_the(data):
    return data["top_word"]["le"] == "the"


@claim("“chat” comes before “noir”, but the word it reads most comes after the one “noir” reads most: "
       "the alignment is not the diagonal")
def alignment_crosses(data):
    idx = data["top_index"]
    return idx["chat"] > idx["noir"]


@claim("“s'est” and “assis”, two French words, both give their largest weight to one English word, “sat”")
def two_words_read_sat(data):
    return data["top_word"]["sest"] == data["top_word"]["assis"] == "sat"


@claim("“s'est”, mostly grammar, gives its second largest weight to “the”, and its largest weight is "
       "smaller than that of “assis”")
def sest_is_less_sure_than_assis(data):
    w = data["weight"]["sest"]
    return ranked(w)[1] == "the" and data["top_weight"]["sest"] < data["top_weight"]["assis"]


@claim("the weights and outputs are exactly what scaled_dot_product_attention gives for these Q, K and V")
def computed_by_scaled_dot_product_attention(data):
    return data["same_as_sdpa"]


@claim("the column of “sat” adds up to more than 100%, more than any other column: columns are not "
       "normalised, and two French words read “sat”")
def sat_column_is_read_most(data):
    col = data["column_sum"]
    return max(col, key=col.get) == "sat" and col["sat"] > 1.0


@claim("the context vector of “chat” has more on “animal” than on any other axis")
def chat_context_is_animal(data):
    ctx = data["context"]["chat"]
    return max(ctx, key=ctx.get) == "animal"


def labels(data) -> list[str]:
    return [fmt(v, "pct0") for row in data["weights"] for v in row] + [
        data["shape_q"], data["shape_kt"], data["shape_v"], data["shape_weights"], data["shape_output"]]


def alt(data) -> str:
    rows = "; ".join(
        f"“{t}” reads “{data['top_word'][k]}” most ({fmt(data['top_weight'][k], 'pct0')})"
        for t, k in zip(data["target_tokens"], word_keys(data["target_tokens"]), strict=True)
    )
    return (
        f"A matrix multiplication laid out on a grid. On the left, Q {data['shape_q']}, one row per French word of "
        f"\"{data['target']}\" (the sentence being written); on top, K transposed, one column per English word of "
        f"\"{data['source']}\" (the sentence being read), with V {data['shape_v']} from the same English words. "
        f"Where they meet, the attention weights, {data['T_q']} rows by {data['T_k']} columns {data['shape_weights']}, "
        f"each cell a percentage and each row adding up to 100%: {rows}. To the right, the output "
        f"{data['shape_output']}, one context vector per French word."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from figures_src.figures._heatmap import cell_text_color, matrix_block
    from figures_src.kit import mpl, style

    src, tgt = data["source_tokens"], data["target_tokens"]
    w = np.asarray(data["weights"])
    t_q, t_k, d_k, d_v = data["T_q"], data["T_k"], data["d_k"], data["d_v"]
    c = style.ROLE_COLORS
    cell = 1.0
    # The matrix-multiplication layout: each product sits where the rows of its left factor meet the
    # columns of the factor above it. Bottom row, left to right: Q | weights | Z; above: K^T | V.
    q_x = 0.0
    w_x = q_x + d_k * cell + 1.1
    z_x = w_x + t_k * cell + 1.1
    top = 0.0  # top edge of the bottom row
    base = top + 0.95  # bottom edge of K^T and V
    kt_top, v_top = base + d_k * cell, base + t_k * cell
    label, note = 10.5, 9.5

    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 6.2))
        ax.set_xlim(-2.6, z_x + d_v * cell + 0.2)
        longest = max(len(word) for word in src)
        ax.set_ylim(top - t_q * cell - 1.5, max(kt_top + 0.3 + 0.2 * longest, v_top + 0.7))
        ax.set_aspect("equal")
        ax.axis("off")

        # Q, from the French words (one row each), with the words on its left
        matrix_block(ax, q_x, top, t_q, d_k, cell=cell, theme=t, color=c["q"])
        for r, word in enumerate(tgt):
            ax.text(q_x - 0.15, top - (r + 0.5) * cell, word, ha="right", va="center", fontsize=11,
                    fontweight="bold" if word == data["focus"] else "normal")
        ax.text(q_x + d_k * cell / 2, top + 0.12, f"Q {data['shape_q']}", ha="center", va="bottom", fontsize=label)
        ax.text(q_x + d_k * cell / 2, top - t_q * cell - 0.25, "queries: from the\nFrench being written",
                ha="center", va="top", fontsize=note, color=t["muted"])

        # K^T, from the English words (one column each), with the words above it
        matrix_block(ax, w_x, kt_top, d_k, t_k, cell=cell, theme=t, color=c["k"])
        for j, word in enumerate(src):  # slanted, so that long words never touch
            ax.text(w_x + (j + 0.35) * cell, kt_top + 0.12, word, ha="left", va="bottom", fontsize=11,
                    rotation=40, rotation_mode="anchor")
        ax.text(w_x - 0.15, base + d_k * cell / 2, f"Kᵀ {data['shape_kt']}", ha="right", va="center",
                fontsize=label)
        ax.text(w_x - 0.15, kt_top + 0.12, "keys and values:\nfrom the English\nbeing read", ha="right",
                va="bottom", fontsize=note, color=t["muted"])

        # V, from the same English words, above the output it is mixed into
        matrix_block(ax, z_x, v_top, t_k, d_v, cell=cell, theme=t, color=c["v"])
        ax.text(z_x + d_v * cell / 2, v_top + 0.12, f"V {data['shape_v']}", ha="center", va="bottom", fontsize=label)

        # the weights, where the rows of Q meet the columns of K^T
        im = ax.imshow(w, cmap=t["cmap"], vmin=0.0, vmax=1.0, extent=(w_x, w_x + t_k * cell, top - t_q * cell, top),
                       interpolation="nearest", aspect="auto", zorder=1)
        for r in range(t_q):
            best = int(w[r].argmax())
            for j in range(t_k):
                ax.text(w_x + (j + 0.5) * cell, top - (r + 0.5) * cell, fmt(float(w[r, j]), "pct0"), ha="center",
                        va="center", fontsize=9.5, color=cell_text_color(im, w[r, j]),
                        fontweight="bold" if j == best else "normal")
            ax.add_patch(Rectangle((w_x + best * cell, top - (r + 1) * cell), cell, cell, fill=False,
                                   edgecolor=t["highlight"], linewidth=2.0, zorder=5))
        for k in range(1, t_q):
            ax.plot([w_x, w_x + t_k * cell], [top - k * cell] * 2, color=t["background"], lw=1.2, zorder=2)
        for k in range(1, t_k):
            ax.plot([w_x + k * cell] * 2, [top, top - t_q * cell], color=t["background"], lw=1.2, zorder=2)
        ax.text(w_x + t_k * cell / 2, top + 0.12, f"weights {data['shape_weights']}", ha="center", va="bottom",
                fontsize=label, fontweight="bold")
        ax.text(w_x + t_k * cell / 2, top - t_q * cell - 0.25, "softmax(QKᵀ / √d_k):\neach row adds up to 100%",
                ha="center", va="top", fontsize=note, color=t["muted"])

        # the output Z = weights V, one context vector per French word
        matrix_block(ax, z_x, top, t_q, d_v, cell=cell, theme=t, color=c["output"])
        ax.text(z_x + d_v * cell / 2, top + 0.12, f"Z {data['shape_output']}", ha="center", va="bottom",
                fontsize=label)
        ax.text(z_x + d_v * cell / 2, top - t_q * cell - 0.25, "output: one context\nvector per French word",
                ha="center", va="top", fontsize=note, color=t["muted"])
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, data, t))


NARROW_WIDTH = 3.42  # inches: with the saved padding, the 358 px a phone gives a figure (100/72 px to the point)


def _block(ax, x0, y0, rows, cols, cell_w, cell_h, color, t) -> None:
    """A rows x cols matrix of empty cells with its top left corner at (x0, y0): matrix_block's look, with
    cells that need not be square (the narrow layout keeps only the weights' cells wide enough for numbers)."""
    from matplotlib.patches import Rectangle

    w, h = cols * cell_w, rows * cell_h
    ax.add_patch(Rectangle((x0, y0 - h), w, h, facecolor=color, alpha=0.28, edgecolor="none", zorder=1))
    for r in range(1, rows):
        ax.plot([x0, x0 + w], [y0 - r * cell_h] * 2, color=t["background"], lw=0.6, alpha=0.9, zorder=2)
    for c in range(1, cols):
        ax.plot([x0 + c * cell_w] * 2, [y0, y0 - h], color=t["background"], lw=0.6, alpha=0.9, zorder=2)
    ax.add_patch(Rectangle((x0, y0 - h), w, h, fill=False, edgecolor=color, linewidth=1.2, zorder=3))


def _narrow(fig, data, t) -> None:
    """The phone layout: the same grid, with the weights' cells as wide as their numbers need and Q, Kᵀ, V and
    Z drawn with thin cells (they hold no numbers), so the product still sits where Q's rows meet Kᵀ's
    columns; the four notes under it as a list, each after its matrix's name. Data units are inches."""
    from matplotlib.patches import Rectangle

    from figures_src.figures._heatmap import cell_text_color
    from figures_src.kit import style

    src, tgt = data["source_tokens"], data["target_tokens"]
    w = np.asarray(data["weights"])
    t_q, t_k, d_k, d_v = data["T_q"], data["T_k"], data["d_k"], data["d_v"]
    c = style.ROLE_COLORS
    thin, wide, row = 0.12, 0.38, 0.34  # inches: a thin cell's side, a weight cell's width, a row's height
    q_x = 0.56  # the French words end left of it
    w_x = q_x + d_k * thin + 0.1
    z_x = w_x + t_k * wide + 0.1
    top, base = 0.0, 0.36  # top edge of the bottom row, bottom edge of Kᵀ and V
    kt_top, v_top = base + d_k * thin, base + t_k * thin
    label, note = 8.5, 8.0
    fig.clear()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")

    _block(ax, q_x, top, t_q, d_k, thin, row, c["q"], t)
    for r, word in enumerate(tgt):
        ax.text(q_x - 0.06, top - (r + 0.5) * row, word, ha="right", va="center", fontsize=9,
                fontweight="bold" if word == data["focus"] else "normal")
    ax.text(q_x + d_k * thin / 2, top + 0.06, f"Q {data['shape_q']}", ha="center", va="bottom", fontsize=label)

    _block(ax, w_x, kt_top, d_k, t_k, wide, thin, c["k"], t)
    for j, word in enumerate(src):  # slanted, so that long words never touch
        ax.text(w_x + (j + 0.3) * wide, kt_top + 0.05, word, ha="left", va="bottom", fontsize=9, rotation=40,
                rotation_mode="anchor")
    ax.text(w_x - 0.06, base + d_k * thin / 2, f"Kᵀ {data['shape_kt']}", ha="right", va="center", fontsize=label)

    _block(ax, z_x, v_top, t_k, d_v, thin, thin, c["v"], t)
    ax.text(z_x + d_v * thin / 2, v_top + 0.06, f"V {data['shape_v']}", ha="center", va="bottom", fontsize=label)

    im = ax.imshow(w, cmap=t["cmap"], vmin=0.0, vmax=1.0, extent=(w_x, w_x + t_k * wide, top - t_q * row, top),
                   interpolation="nearest", aspect="auto", zorder=1)
    for r in range(t_q):
        best = int(w[r].argmax())
        for j in range(t_k):
            ax.text(w_x + (j + 0.5) * wide, top - (r + 0.5) * row, fmt(float(w[r, j]), "pct0"), ha="center",
                    va="center", fontsize=8.5, color=cell_text_color(im, w[r, j]),
                    fontweight="bold" if j == best else "normal")
        ax.add_patch(Rectangle((w_x + best * wide, top - (r + 1) * row), wide, row, fill=False,
                               edgecolor=t["highlight"], linewidth=1.6, zorder=5))
    for k in range(1, t_q):
        ax.plot([w_x, w_x + t_k * wide], [top - k * row] * 2, color=t["background"], lw=1.0, zorder=2)
    for k in range(1, t_k):
        ax.plot([w_x + k * wide] * 2, [top, top - t_q * row], color=t["background"], lw=1.0, zorder=2)
    ax.text(w_x + t_k * wide / 2, top + 0.06, f"weights {data['shape_weights']}", ha="center", va="bottom",
            fontsize=label, fontweight="bold")

    _block(ax, z_x, top, t_q, d_v, thin, row, c["output"], t)
    ax.text(z_x + d_v * thin / 2, top + 0.06, f"Z {data['shape_output']}", ha="center", va="bottom",
            fontsize=label)

    # the notes the wide figure writes under each matrix, as a list, each after a swatch of its matrix's colour
    notes = (((c["q"],), "Q", "queries: from the French being written"),
             ((c["k"], c["v"]), "Kᵀ, V", "keys and values: from the English being read"),
             ((im.cmap(im.norm(0.7)),), "weights", "softmax(QKᵀ / √d_k): each row adds up to 100%"),
             ((c["output"],), "Z", "output: one context vector per French word"))
    y = top - t_q * row - 0.3
    for colors, name, text in notes:
        for k, color in enumerate(colors):  # one swatch, split between the matrices it stands for
            ax.add_patch(Rectangle((0.13 * k / len(colors), y - 0.15), 0.13 / len(colors), 0.13, facecolor=color,
                                   edgecolor="none"))
        ax.text(0.2, y - 0.085, name, ha="left", va="center", fontsize=note, color=t["foreground"])
        ax.text(0.75, y - 0.085, text, ha="left", va="center", fontsize=note,
                color=t["muted"])
        y -= 0.24
    longest = max(len(word) for word in src)
    ax.set_xlim(0, NARROW_WIDTH)
    ax.set_ylim(y, kt_top + 0.1 + 0.06 * longest)
    width, height = ax.get_xlim()[1], ax.get_ylim()[1] - ax.get_ylim()[0]
    fig.set_size_inches(width, height)
    ax.set_aspect("equal")
