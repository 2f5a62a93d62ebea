"""Multi-head attention as shapes: project, split into heads, attend, concatenate, mix with W_O.

Top: X, one row of d_model numbers per word, times W_Q gives Q with d_model
columns; K and V are made the same way. The colours mark which columns belong
to which head: head h owns its own d_head columns of Q, K and V. Middle: each
head runs scaled dot-product attention on its own columns only, with its own
T by T weights (the small matrices, drawn smaller, are the real weights of
the eight heads) and gives a T by d_head output. Bottom: the heads' outputs
are put side by side (concatenated) into a T by d_model matrix again, and
W_O, d_model by d_model, maps it to the layer's output. In a trained model
W_O mixes what the heads found; in this example it is the identity, so each
head's two output columns can still be read on their own.
"""

from __future__ import annotations

import numpy as np

from attention_ref import multi_head_attention
from attention_ref.examples import multihead_example
from figures_src.kit.claims import claim
from figures_src.kit.common import word_keys
from figures_src.kit.formats import fmt

ID = "multi-head-shapes"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it when students implement multi-head attention: a common mistake is to think each head sees a slice "
    "of the words, when each head sees every word but only its own columns. Ask for the shape after "
    "concatenation and what W_O is there for."
)


def data(examples) -> dict:
    ex = multihead_example(examples)
    mha = multi_head_attention(ex.x, ex.w_q, ex.w_k, ex.w_v, ex.w_o, n_heads=ex.n_heads)
    s = ex.sentence
    t, d_model = ex.x.shape
    d_head = d_model // ex.n_heads
    q_all = np.concatenate([h.q for h in mha.heads], axis=-1)  # (T, d_model): the heads' queries side by side
    keys = word_keys(s.tokens)
    coref = ex.head_names.index("coreference") if "coreference" in ex.head_names else None
    out = {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "T": t,
        "d_model": d_model,
        "n_heads": ex.n_heads,
        "d_head": d_head,
        "axes": list(ex.axes),
        "head_names": list(ex.head_names),
        "head_titles": list(ex.head_titles),
        "head_weights": [h.weights.tolist() for h in mha.heads],
        "shapes": {
            "x": list(ex.x.shape),
            "w_q": list(ex.w_q.shape),
            "q": list(q_all.shape),
            "q_head": list(mha.heads[0].q.shape),
            "weights_head": list(mha.heads[0].weights.shape),
            "output_head": list(mha.heads[0].output.shape),
            "concat": list(mha.concat.shape),
            "w_o": list(ex.w_o.shape),
            "output": list(mha.output.shape),
        },
        "w_o": ex.w_o.tolist(),
        "w_o_is_identity": bool(np.array_equal(ex.w_o, np.eye(d_model))),
    }
    if coref is not None:  # what the pronoun's coreference head hands over: its two value axes
        i = keys.index("it") if "it" in keys else int(mha.heads[coref].weights.max(axis=1).argmax())
        cols = slice(coref * d_head, (coref + 1) * d_head)
        out["coreference"] = {
            "index": coref,
            "word": s.tokens[i],
            "output": mha.concat[i, cols].tolist(),
            "output_columns": [coref * d_head + c for c in range(d_head)],
            "input": {a: float(ex.x[i, ex.axes.index(a)]) for a in s.language.axes},  # the word's own vector
        }
    return out


@claim("in this example W_O is the identity")
def w_o_is_identity(data):
    return data["w_o_is_identity"]


@claim("in the pronoun head’s output “it” is at least twice as living as its own vector")
def pronoun_output_more_living(data):
    c = data["coreference"]
    return c["output"][0] >= 2 * c["input"]["living"]


def _shape(shape) -> str:
    return "(" + ", ".join(fmt(n, "int") for n in shape) + ")"


def labels(data) -> list[str]:
    sh = data["shapes"]
    return [_shape(sh[k]) for k in ("x", "w_q", "q", "weights_head", "output_head", "concat", "w_o", "output")]


def alt(data) -> str:
    sh = data["shapes"]
    return (
        f"A diagram of multi-head attention with {data['n_heads']} heads for the {data['T']}-word sentence "
        f'"{data["sentence"]}". Top: X {_shape(sh["x"])} times W_Q {_shape(sh["w_q"])} gives Q {_shape(sh["q"])}, '
        f"its columns coloured in {data['n_heads']} bands of {data['d_head']}, one per head; K and V likewise. "
        f"Middle: each head's own {_shape(sh['weights_head'])} attention weights, shown as small heatmaps, and its "
        f"output {_shape(sh['output_head'])}. Bottom: the {data['n_heads']} outputs concatenated into "
        f"{_shape(sh['concat'])}, times W_O {_shape(sh['w_o'])}, give the output {_shape(sh['output'])}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.figures._heatmap import matrix_block
    from figures_src.kit import mpl, style

    sh = data["shapes"]
    t, d_model, n_heads, d_head = data["T"], data["d_model"], data["n_heads"], data["d_head"]
    head_colors = [style.TOKEN_PALETTE[k % len(style.TOKEN_PALETTE)] for k in range(n_heads)]
    bands = [(k * d_head, d_head, head_colors[k]) for k in range(n_heads)]
    c = style.ROLE_COLORS
    big = 1.72 / d_model  # inches per cell in the top and bottom rows
    small = 0.74 / t  # inches per cell in the heads' row
    width = style.FIG_WIDTH

    with mpl.themed(theme, ID) as th:
        # rows, from the top (y in inches, growing upward)
        y_top = 0.0
        y_heads = y_top - d_model * big - 1.25
        y_out = y_heads - t * small - 0.4
        y_bottom = y_out - t * small - 1.0
        y_min = y_bottom - d_model * big - 0.45
        fig, ax = plt.subplots(figsize=(width, y_top + 0.45 - y_min))
        ax.set_xlim(0, width)
        ax.set_ylim(y_min, y_top + 0.45)
        ax.set_aspect("equal")
        ax.axis("off")

        def name_and_shape(x0, y0, w, h, name, shape, color):
            ax.text(
                x0 + w / 2, y0 + 0.08, name, ha="center", va="bottom", fontsize=11.5, fontweight="bold", color=color
            )
            ax.text(
                x0 + w / 2, y0 - h - 0.08, _shape(shape), ha="center", va="top", fontsize=10, color=th["foreground"]
            )

        def op(x, y, text):
            ax.text(x, y, text, ha="center", va="center", fontsize=15, color=th["foreground"])

        def block(x0, y0, name, shape, color, **kw):
            _, _, w, h = matrix_block(ax, x0, y0, shape[0], shape[1], cell=big, theme=th, color=color, **kw)
            name_and_shape(x0, y0, w, h, name, shape, color if name in ("X",) else th["foreground"])
            return x0 + w, h

        # Top: X · W_Q = Q; W_Q's and Q's columns coloured by the head that owns them.
        x, h = block(0.15, y_top, "X", sh["x"], c["x"])
        op(x + 0.2, y_top - h / 2, "·")
        x, _ = block(x + 0.4, y_top, "W_Q", sh["w_q"], th["muted"], bands=bands)
        op(x + 0.2, y_top - h / 2, "=")
        x, _ = block(x + 0.4, y_top, "Q", sh["q"], th["foreground"], bands=bands)
        ax.text(
            x + 0.25, y_top - 0.15, "K = X W_K", ha="left", va="top", fontsize=10.5, color=c["k"], fontweight="bold"
        )
        ax.text(
            x + 0.25, y_top - 0.45, "V = X W_V", ha="left", va="top", fontsize=10.5, color=c["v"], fontweight="bold"
        )
        ax.text(x + 0.25, y_top - 0.78, "made the\nsame way", ha="left", va="top", fontsize=9.5, color=th["muted"])

        # Middle: one column per head: its weights (T, T) over its output (T, d_head).
        split_note = ax.text(
            0.15,
            y_heads + 0.55,
            f"split: head h attends with its own {d_head} columns of Q, K and V: "
            f"weights {_shape(sh['weights_head'])}, output {_shape(sh['output_head'])}",
            ha="left",
            va="bottom",
            fontsize=9.5,
            color=th["muted"],
        )
        col_w = (width - 0.3) / n_heads
        for k in range(n_heads):
            cx = 0.15 + col_w * (k + 0.5)
            chip = head_colors[k]
            ax.text(
                cx,
                y_heads + 0.2,
                f"{k + 1}",
                ha="center",
                va="center",
                fontsize=10,
                fontweight="bold",
                color=style.text_on(chip),
                bbox={"boxstyle": "round,pad=0.25", "facecolor": chip, "edgecolor": "none"},
            )
            matrix_block(
                ax,
                cx - t * small / 2,
                y_heads,
                t,
                t,
                cell=small,
                theme=th,
                color=chip,
                values=data["head_weights"][k],
                vmin=0.0,
                vmax=1.0,
                grid=False,
            )
            ax.annotate(
                "",
                xy=(cx, y_out + 0.03),
                xytext=(cx, y_heads - t * small - 0.03),
                arrowprops={"arrowstyle": "-|>", "color": th["muted"], "lw": 1},
            )
            matrix_block(
                ax, cx - d_head * small / 2, y_out, t, d_head, cell=small, theme=th, color=chip, alpha=0.6, grid=False
            )
        ax.text(
            0.15,
            y_bottom + 0.62,
            "concatenate: the outputs side by side, then mix them with W_O",
            ha="left",
            va="bottom",
            fontsize=9.5,
            color=th["muted"],
        )

        # Bottom: concat · W_O = output. W_O is drawn with its values (the identity is a diagonal).
        x, h = block(0.15, y_bottom, "concat", sh["concat"], th["foreground"], bands=bands)
        op(x + 0.2, y_bottom - h / 2, "·")
        w_o_vals = np.abs(np.asarray(data["w_o"], dtype=float))
        x, _ = block(
            x + 0.4, y_bottom, "W_O", sh["w_o"], th["muted"], values=w_o_vals, vmax=max(float(w_o_vals.max()), 1e-9)
        )
        op(x + 0.2, y_bottom - h / 2, "=")
        out_kw = {"bands": bands} if data["w_o_is_identity"] else {"alpha": 0.35}
        block(x + 0.4, y_bottom, "output", sh["output"], th["foreground"], **out_kw)

        def narrow(_fig) -> None:
            # On a phone the note wraps; break it before its shapes, so that no "(T, T)" is cut in two.
            split_note.set_text(split_note.get_text().replace(": weights", ":\nweights"))

        mpl.save(fig, out_dir, ID, theme, narrow=narrow)
