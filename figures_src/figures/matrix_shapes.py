"""Self-attention as matrices: every shape from X to the output, for the "animal" sentence.

The whole sentence goes through attention at once. X holds one row per word
(T rows, d_model columns). Multiplying by W_Q gives the queries Q, one row
per word with d_k columns; K and V are made the same way with W_K and W_V.
Q times K transposed gives every score at once, a T by T matrix; dividing by
the square root of d_k and taking the softmax of each row gives the weights;
the weights times V give the output, one row per word again, with d_v
columns. Each block is drawn to scale, one square per number, and coloured
by the numbers of the example, each block on its own colour scale (darker =
larger).
"""

from __future__ import annotations

from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "matrix-shapes"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it when students move from one word to code: have them write down the shape of every block (T, "
    "d_model, d_k, d_v) before you reveal it. It clears up over which axis softmax runs (each row) and why "
    "the output has one row per word again."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    t, d_model = s.x.shape
    lang = s.language
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "T": t,
        "d_model": d_model,
        "d_k": int(att.q.shape[-1]),
        "d_v": int(att.v.shape[-1]),
        "sqrt_d_k": float(1.0 / att.scale),
        "x": s.x.tolist(),
        "w_q": lang.w_q.tolist(),
        "q": att.q.tolist(),
        "k": att.k.tolist(),
        "v": att.v.tolist(),
        "scores": att.scores.tolist(),
        "weights": att.weights.tolist(),
        "output": att.output.tolist(),
        "n_scores": int(att.scores.size),
    }


def _shape(a: int, b: int) -> str:
    return f"({fmt(a, 'int')}, {fmt(b, 'int')})"


def _blocks(data) -> list[tuple[str, str, str]]:
    """(name, symbolic shape, shape in numbers) of every block, in drawing order."""
    t, dm, dk, dv = data["T"], data["d_model"], data["d_k"], data["d_v"]
    return [
        ("X", "(T, d_model)", _shape(t, dm)),
        ("W_Q", "(d_model, d_k)", _shape(dm, dk)),
        ("Q = X W_Q", "(T, d_k)", _shape(t, dk)),
        ("Q", "(T, d_k)", _shape(t, dk)),
        ("Kᵀ", "(d_k, T)", _shape(dk, t)),
        ("Q Kᵀ", "(T, T)", _shape(t, t)),
        ("weights", "(T, T)", _shape(t, t)),
        ("V", "(T, d_v)", _shape(t, dv)),
        ("output", "(T, d_v)", _shape(t, dv)),
    ]


def labels(data) -> list[str]:
    return [b[2] for b in _blocks(data)]


def alt(data) -> str:
    t, dm, dk, dv = data["T"], data["d_model"], data["d_k"], data["d_v"]
    return (
        f'A diagram of self-attention as matrix products for the {t}-word sentence "{data["sentence"]}", '
        f"every block drawn to scale. Top: X, {t} rows by {dm} columns (T by d_model), times W_Q ({dm} by {dk}) "
        f"gives Q ({t} by {dk}, T by d_k); K and V are made the same way. Bottom: Q times K transposed "
        f"({dk} by {t}) gives the {t} by {t} scores; dividing by the square root of d_k and a softmax per row "
        f"give the {t} by {t} weights; the weights times V ({t} by {dv}) give the output, {t} by {dv}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    from figures_src.figures._heatmap import matrix_block
    from figures_src.kit import mpl, style

    t, dk = data["T"], data["d_k"]
    shapes = {name: (sym, num) for name, sym, num in _blocks(data)}
    gap = 3.2  # cells between blocks
    c = style.ROLE_COLORS

    with mpl.themed(theme, ID) as th:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 6.0))
        ax.axis("off")

        def block(name, x0, y0, values, color, *, where="above"):
            """Draw one matrix with its name and shapes; returns its right edge."""
            arr = np.asarray(values, dtype=float)
            rows, cols = arr.shape
            hi = max(float(np.abs(arr).max()), 1e-9)  # each block on its own scale
            matrix_block(
                ax,
                x0,
                y0,
                rows,
                cols,
                cell=1.0,
                theme=th,
                color=color,
                values=arr,
                vmin=min(0.0, float(arr.min())),
                vmax=hi,
            )
            sym, num = shapes[name]
            title = name.split(" = ")[0]
            if where == "right":  # name and shape beside the block (Kᵀ, above the scores)
                xr = x0 + cols + 0.8
                ax.text(xr, y0 - 0.2, title, ha="left", va="top", fontsize=13, fontweight="bold", color=color)
                ax.text(xr + 3.4, y0 - 0.35, f"{sym}  {num}", ha="left", va="top", fontsize=11, color=th["muted"])
                return x0 + cols
            if where == "above":
                ax.text(
                    x0 + cols / 2,
                    y0 + 0.7,
                    title,
                    ha="center",
                    va="bottom",
                    fontsize=13,
                    fontweight="bold",
                    color=color,
                )
                y_sym = y0 - rows - 0.6
            else:  # below: the name under the block, then the shapes
                ax.text(
                    x0 + cols / 2,
                    y0 - rows - 0.6,
                    title,
                    ha="center",
                    va="top",
                    fontsize=13,
                    fontweight="bold",
                    color=color,
                )
                y_sym = y0 - rows - 2.5
            ax.text(x0 + cols / 2, y_sym, sym, ha="center", va="top", fontsize=11, color=th["muted"])
            ax.text(x0 + cols / 2, y_sym - 1.6, num, ha="center", va="top", fontsize=12, color=th["foreground"])
            return x0 + cols

        def op(x, y, text):
            ax.text(x, y, text, ha="center", va="center", fontsize=16, color=th["foreground"])

        # Row 1: X · W_Q = Q; K and V are made the same way.
        top = 0.0
        mid = top - dk / 2  # operators at the height of the small W_Q
        wide = gap + 1.6  # room for the shape labels of the small W_Q
        x = block("X", 0, top, data["x"], c["x"])
        op(x + wide / 2, mid, "·")
        x = block("W_Q", x + wide, top, data["w_q"], c["q"])
        op(x + wide / 2, mid, "=")
        x = block("Q = X W_Q", x + wide, top, data["q"], c["q"])
        ax.text(x + gap, top - 2.0, "K = X W_K", ha="left", va="center", fontsize=12.5, color=c["k"], fontweight="bold")
        ax.text(x + gap, top - 4.0, "V = X W_V", ha="left", va="center", fontsize=12.5, color=c["v"], fontweight="bold")
        ax.text(x + gap, top - 6.0, "made the same way:", ha="left", va="center", fontsize=11, color=th["muted"])
        ax.text(
            x + gap,
            top - 7.8,
            f"K {shapes['Q'][1]}, V {shapes['V'][1]}",
            ha="left",
            va="center",
            fontsize=11,
            color=th["muted"],
        )

        # Row 2: Q Kᵀ -> ÷√d_k, softmax -> weights · V = output; Kᵀ sits above the scores it meets.
        row2 = top - t - 5.2 - dk - 1.0
        mid2 = row2 - t / 2
        x = block("Q", 0, row2, data["q"], c["q"], where="below")
        s_x = x + gap
        block("Kᵀ", s_x, row2 + dk + 1.0, np.asarray(data["k"]).T, c["k"], where="right")
        x = block("Q Kᵀ", s_x, row2, data["scores"], th["foreground"], where="below")
        arrow = gap + 3.0
        ax.annotate(
            "",
            xy=(x + arrow - 0.4, mid2),
            xytext=(x + 0.4, mid2),
            arrowprops={"arrowstyle": "-|>", "color": th["foreground"], "lw": 1.4},
        )
        ax.text(x + arrow / 2, mid2 + 0.9, "÷ √d_k", ha="center", va="bottom", fontsize=11, color=th["muted"])
        ax.text(x + arrow / 2, mid2 - 0.9, "softmax\nper row", ha="center", va="top", fontsize=11, color=th["muted"])
        x = block("weights", x + arrow, row2, data["weights"], th["accent"], where="below")
        op(x + gap / 2, mid2, "·")
        x = block("V", x + gap, row2, data["v"], c["v"], where="below")
        op(x + gap / 2, mid2, "=")
        x_end = block("output", x + gap, row2, data["output"], c["output"], where="below")

        ax.set_xlim(-1.5, x_end + 1.0)
        ax.set_ylim(row2 - t - 6.2, top + 2.6)
        ax.set_aspect("equal")
        mpl.save(fig, out_dir, ID, theme)
