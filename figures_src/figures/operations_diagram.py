"""Scaled dot-product attention as five operations: matmul, scale, mask (optional), softmax, matmul.

Read from the bottom up, as in the diagram of the original paper. Q and K
meet in a matrix product that gives every score at once; the scores are
divided by the square root of d_k; an optional mask sets the scores of the
pairs that may not attend to minus infinity; softmax turns each row into
weights that add up to one; a second matrix product mixes the rows of V with
those weights. Beside each box: the formula, the shape of its result (with
the numbers of the "animal" sentence), and the field of attention_ref's
`Attention` result that holds it, so every box can be looked up in the code.
"""

from __future__ import annotations

from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "operations-diagram"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "A summary slide that links the lecture to the diagram of the original paper and to code: ask students to "
    "point to the box where each of the five steps happens. The field names beside the boxes let them find "
    "each one in attention_ref."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    t = int(att.weights.shape[-1])
    d_v = int(att.output.shape[-1])
    steps = [
        {
            "box": "MatMul",
            "field": "scores",
            "formula": "Q Kᵀ",
            "note": "every query against every key",
            "symbolic": "(T, T)",
            "shape": list(att.scores.shape),
        },
        {
            "box": "Scale",
            "field": "scaled",
            "formula": "÷ √d_k",
            "note": "keeps the spread of the scores near 1",
            "symbolic": "(T, T)",
            "shape": list(att.scaled.shape),
        },
        {
            "box": "Mask (optional)",
            "field": "scaled",
            "formula": "−∞ where not allowed",
            "note": "a blocked pair gets weight 0",
            "symbolic": "(T, T)",
            "shape": list(att.scaled.shape),
        },
        {
            "box": "SoftMax",
            "field": "weights",
            "formula": "softmax of each row",
            "note": "each row adds up to 1",
            "symbolic": "(T, T)",
            "shape": list(att.weights.shape),
        },
        {
            "box": "MatMul",
            "field": "output",
            "formula": "weights · V",
            "note": "a weighted mix of the values",
            "symbolic": "(T, d_v)",
            "shape": list(att.output.shape),
        },
    ]
    return {"sentence": s.text, "T": t, "d_k": int(att.q.shape[-1]), "d_v": d_v, "steps": steps}


def _shape_text(shape) -> str:
    return "(" + ", ".join(fmt(n, "int") for n in shape) + ")"


def labels(data) -> list[str]:
    return [_shape_text(step["shape"]) for step in data["steps"]]


def alt(data) -> str:
    parts = "; ".join(
        f"{step['box']}: {step['formula']}, shape {step['symbolic']} = {_shape_text(step['shape'])}"
        for step in data["steps"]
    )
    return (
        "A flow diagram of scaled dot-product attention, read from the bottom up: Q, K and V enter; "
        f"{parts}. V joins at the last matrix product. The mask box is dashed because it is optional. "
        f"Shapes are for the {data['T']}-word example sentence."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from figures_src.kit import mpl, style

    fills = {"MatMul": "#CC79A7", "Scale": "#E69F00", "Mask (optional)": "#D55E00", "SoftMax": "#009E73"}
    c = style.ROLE_COLORS
    box_w, box_h, cx = 3.05, 0.9, 1.85
    ys = [2.4, 3.95, 5.5, 7.05, 8.85]

    with mpl.themed(theme, ID) as th:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 6.6))
        ax.set_xlim(0, 10.8)
        ax.set_ylim(0, 10.9)
        ax.axis("off")

        def arrow(x0, y0, x1, y1, color=None, dashed=False):
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": color or th["foreground"],
                    "lw": 1.4,
                    "linestyle": "--" if dashed else "-",
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )

        # inputs
        inputs = {"Q": (cx - 0.8, c["q"]), "K": (cx + 0.8, c["k"]), "V": (cx + 2.2, c["v"])}
        for name, (x, color) in inputs.items():
            ax.text(x, 0.75, name, ha="center", va="center", fontsize=14, fontweight="bold", color=color)
        arrow(cx - 0.8, 1.1, cx - 0.8, ys[0] - box_h / 2)
        arrow(cx + 0.8, 1.1, cx + 0.8, ys[0] - box_h / 2)
        # V rises along the right side to the last matmul
        vx = cx + 2.2
        ax.plot([vx, vx], [1.1, ys[4]], color=th["foreground"], lw=1.4)
        arrow(vx, ys[4], cx + box_w / 2, ys[4])

        for k, (step, y) in enumerate(zip(data["steps"], ys, strict=False)):
            optional = step["box"].startswith("Mask")
            color = fills[step["box"]]
            ax.add_patch(
                FancyBboxPatch(
                    (cx - box_w / 2, y - box_h / 2),
                    box_w,
                    box_h,
                    boxstyle="round,pad=0.02,rounding_size=0.15",
                    facecolor=color,
                    alpha=0.22 if not optional else 0.12,
                    edgecolor="none",
                )
            )
            ax.add_patch(
                FancyBboxPatch(
                    (cx - box_w / 2, y - box_h / 2),
                    box_w,
                    box_h,
                    boxstyle="round,pad=0.02,rounding_size=0.15",
                    fill=False,
                    edgecolor=color,
                    lw=1.6,
                    linestyle="--" if optional else "-",
                )
            )
            ax.text(
                cx, y, step["box"], ha="center", va="center", fontsize=12, fontweight="bold", color=th["foreground"]
            )
            if k < len(ys) - 1:
                arrow(cx, y + box_h / 2, cx, ys[k + 1] - box_h / 2)
            # the explanation column: formula, what it does, shape and the field that holds it
            tx = 4.7
            ax.text(tx, y + 0.36, step["formula"], ha="left", va="center", fontsize=13, color=th["foreground"])
            ax.text(tx, y - 0.02, step["note"], ha="left", va="center", fontsize=11, color=th["muted"])
            ax.text(
                tx,
                y - 0.4,
                f"{step['symbolic']} = {_shape_text(step['shape'])}",
                ha="left",
                va="center",
                fontsize=11,
                color=th["muted"],
            )
            ax.text(
                10.75,
                y - 0.4,
                f"Attention.{step['field']}",
                ha="right",
                va="center",
                fontsize=10.5,
                color=th["accent"],
                family="DejaVu Sans Mono",
            )

        arrow(cx, ys[-1] + box_h / 2, cx, 10.25)
        ax.text(cx, 10.55, "output", ha="center", va="center", fontsize=12, fontweight="bold", color=c["output"])
        mpl.save(fig, out_dir, ID, theme)
