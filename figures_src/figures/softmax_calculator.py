"""Steps 2 to 4 small enough for a calculator: one query, three keys, d_k = 2, every intermediate written out.

The query q is compared with each key by a dot product (the score q · k),
each score is divided by the square root of d_k = 2 (the scaled score s),
raised to the power e^s, and divided by the sum of the three e^s: that is
its weight. Every number of the table can be checked by hand. The example
is the `[calculator]` table of the examples file; the widget under the
figure makes q and K editable and recomputes every column.
"""

from __future__ import annotations

import math

from attention_ref import ExampleError, scaled_dot_product_attention
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed
from figures_src.kit.formats import fmt

ID = "softmax-calculator"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it for steps 2 to 4 with pocket calculators: students compute each score, e^s and weight themselves "
    "and check every column. It shows that softmax is nothing more than exponentials divided by their sum."
)


def data(examples) -> dict:
    calc = examples.calculator
    if calc is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [calculator] table (tokens, q, k)")
    v = [[1.0 if i == j else 0.0 for j in range(len(calc.tokens))] for i in range(len(calc.tokens))]
    att = scaled_dot_product_attention(calc.q, calc.k, v)  # v: one-hot rows (only the weights are drawn)
    scores, scaled, weights = att.scores[0], att.scaled[0], att.weights[0]  # (T_k,) each
    exp = [math.exp(s) for s in scaled]
    total = math.fsum(exp)
    order = sorted(range(len(scores)), key=lambda j: -scores[j])
    return {
        "tokens": list(calc.tokens),
        "q": calc.q[0].tolist(),
        "k": calc.k.tolist(),
        "d_k": int(calc.q.shape[-1]),
        "limit": calc.limit,
        "scale": float(att.scale),
        "scores": scores.tolist(),
        "scaled": scaled.tolist(),
        "exp": exp,
        "exp_sum": total,
        "weights": weights.tolist(),
        "weight": keyed(calc.tokens, weights),
        "sum": float(weights.sum()),
        "top_word": calc.tokens[order[0]],
        "top_weight": float(weights[order[0]]),
        "order": [calc.tokens[j] for j in order],
        "weight_order": [calc.tokens[j] for j in sorted(range(len(weights)), key=lambda j: -weights[j])],
    }


@claim("the key with the highest score gets the largest weight, and the order of the keys stays the same")
def softmax_keeps_the_order(data):
    return data["order"] == data["weight_order"]


@claim("the key most like the query, “mat”, gets more than half of the attention")
def mat_gets_over_half(data):
    return data["top_word"] == "mat" and data["top_weight"] > 0.5


@claim("each weight is its e^s divided by the sum of the three")
def weights_are_exp_over_sum(data):
    return all(math.isclose(e / data["exp_sum"], w, rel_tol=1e-12)
               for e, w in zip(data["exp"], data["weights"], strict=True))


def _dot(q, k) -> str:
    return " + ".join(f"{fmt(a, 'f2')}×{fmt(b, 'f2')}" for a, b in zip(q, k, strict=True))


def labels(data) -> list[str]:
    out = [fmt(x, "f2") for x in data["q"]]
    for j in range(len(data["tokens"])):
        out += [fmt(x, "f2") for x in data["k"][j]]
        out += [fmt(data["scores"][j], "f2"), fmt(data["scaled"][j], "f2"), fmt(data["exp"][j], "f2"),
                fmt(data["weights"][j], "pct")]
    return out + [fmt(data["exp_sum"], "f2"), fmt(data["sum"], "pct0")]


def alt(data) -> str:
    q = ", ".join(fmt(x, "f2") for x in data["q"])
    rows = []
    for j, t in enumerate(data["tokens"]):
        k = ", ".join(fmt(x, "f2") for x in data["k"][j])
        rows.append(
            f"{t}: k = ({k}), q · k = {fmt(data['scores'][j], 'f2')}, s = {fmt(data['scaled'][j], 'f2')}, "
            f"e^s = {fmt(data['exp'][j], 'f2')}, weight {fmt(data['weights'][j], 'pct')}"
        )
    return (
        f"A table working out attention for one query q = ({q}) against three keys, d_k = {data['d_k']}: "
        f"for each key the score q · k, the scaled score s = q · k / √{data['d_k']}, e^s, and the weight "
        f"e^s divided by the sum {fmt(data['exp_sum'], 'f2')}. " + "; ".join(rows) + "."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    tokens = data["tokens"]
    n = len(tokens)
    root = f"√{data['d_k']}"
    # columns: key | k | q · k | s = q · k / √d_k | e^s | weight = e^s / sum
    xs = [0.0, 0.10, 0.29, 0.41, 0.645, 0.765]
    heads = ["key", "k", "q · k", f"s = q · k / {root}", "$e^s$", "weight = $e^s$ / sum"]
    size = 10
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.42 * n + 1.75))
        ax.set_xlim(-0.02, 1)
        ax.set_ylim(-(n + 2.0), 1.25)
        ax.axis("off")
        q = ", ".join(fmt(x, "f2") for x in data["q"])
        ax.text(0.0, 0.95, f"q = ({q})", ha="left", va="center", fontsize=11.5, fontweight="bold",
                color=t["foreground"])
        ax.text(1.0, 0.95, f"$d_k$ = {data['d_k']}", ha="right", va="center", fontsize=size, color=t["muted"])
        for x, h in zip(xs, heads, strict=True):
            ax.text(x, 0.05, h, ha="left", va="center", fontsize=size, color=t["muted"])
        ax.plot([0, 1], [-0.4, -0.4], color=t["muted"], lw=0.8)
        top = max(range(n), key=lambda j: data["weights"][j])
        for j, word in enumerate(tokens):
            y = -(j + 1)
            bold = "bold" if j == top else "normal"
            ax.plot([-0.012, -0.012], [y - 0.3, y + 0.3], color=style.token_color(word), lw=5,
                    solid_capstyle="butt")
            ax.text(xs[0], y, word, ha="left", va="center", fontsize=size, fontweight=bold)
            k = ", ".join(fmt(x, "f2") for x in data["k"][j])
            ax.text(xs[1], y, f"({k})", ha="left", va="center", fontsize=size)
            ax.text(xs[2], y, fmt(data["scores"][j], "f2"), ha="left", va="center", fontsize=size)
            ax.text(xs[3], y, f"{fmt(data['scores'][j], 'f2')} / {root} = {fmt(data['scaled'][j], 'f2')}",
                    ha="left", va="center", fontsize=size)
            ax.text(xs[4], y, fmt(data["exp"][j], "f2"), ha="left", va="center", fontsize=size)
            ax.text(xs[5], y, f"{fmt(data['exp'][j], 'f2')} / {fmt(data['exp_sum'], 'f2')} = "
                              f"{fmt(data['weights'][j], 'pct')}", ha="left", va="center", fontsize=size,
                    fontweight=bold)
        y = -(n + 0.8)
        ax.plot([xs[4], 1], [y + 0.42, y + 0.42], color=t["muted"], lw=0.8)
        ax.text(xs[4] - 0.012, y, "sum", ha="right", va="center", fontsize=size, color=t["muted"])
        ax.text(xs[4], y, fmt(data["exp_sum"], "f2"), ha="left", va="center", fontsize=size, fontweight="bold")
        ax.text(xs[5], y, f"sum {fmt(data['sum'], 'pct0')}", ha="left", va="center", fontsize=size,
                color=t["muted"])
        ax.text(0.0, -(n + 1.7), f"For example q · k of “{tokens[0]}” = {_dot(data['q'], data['k'][0])} "
                                  f"= {fmt(data['scores'][0], 'f2')}", ha="left", va="center", fontsize=size - 0.5,
                color=t["muted"])
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, data, t))


NARROW_WIDTH = 3.42  # inches: with the saved padding, the 358 px a phone gives a figure (100/72 px to the point)
NARROW_SIZE = 9.6  # its superscripts (e^s) are drawn at 70 %: 9.3 px on the phone
NARROW_LINE = 0.25  # inches a line of the narrow table takes


def _narrow(fig, data, t) -> None:
    """The phone layout: the six columns as two tables one above the other (the scores, then the weights),
    the worked example on two lines; every text of the wide table is drawn, larger."""
    import matplotlib.pyplot as plt

    from figures_src.kit import style

    tokens = data["tokens"]
    n = len(tokens)
    root = f"√{data['d_k']}"
    size = NARROW_SIZE
    lines = 2 * n + 7.8  # the q line, two heads, 2n rows, the sum, two footer lines and the gaps
    fig.clear()
    fig.set_size_inches(NARROW_WIDTH, NARROW_LINE * lines)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.03, 1)
    ax.set_ylim(-lines + 0.5, 0.5)
    ax.axis("off")
    top = max(range(n), key=lambda j: data["weights"][j])
    q = ", ".join(fmt(x, "f2") for x in data["q"])
    ax.text(0.0, 0, f"q = ({q})", ha="left", va="center", fontsize=size + 1.5, fontweight="bold")
    ax.text(1.0, 0, f"$d_k$ = {data['d_k']}", ha="right", va="center", fontsize=size, color=t["muted"])

    def table(y, xs, heads, cells):
        for x, h in zip(xs, heads, strict=True):
            ax.text(x, y, h, ha="left", va="center", fontsize=size, color=t["muted"])
        ax.plot([0, 1], [y - 0.55, y - 0.55], color=t["muted"], lw=0.8)
        for j, word in enumerate(tokens):
            row = y - 1.1 - j
            bold = "bold" if j == top else "normal"
            ax.plot([-0.02, -0.02], [row - 0.32, row + 0.32], color=style.token_color(word), lw=4,
                    solid_capstyle="butt")
            ax.text(xs[0], row, word, ha="left", va="center", fontsize=size, fontweight=bold)
            for x, (text, weight) in zip(xs[1:], cells(j), strict=True):
                ax.text(x, row, text, ha="left", va="center", fontsize=size,
                        fontweight=bold if weight else "normal")

    y = -1.4
    table(y, [0.0, 0.16, 0.46, 0.62], ["key", "k", "q · k", f"s = q · k / {root}"],
          lambda j: [(f"({', '.join(fmt(x, 'f2') for x in data['k'][j])})", False),
                     (fmt(data["scores"][j], "f2"), False),
                     (f"{fmt(data['scores'][j], 'f2')} / {root} = {fmt(data['scaled'][j], 'f2')}", False)])
    y -= n + 1.6
    xs = [0.0, 0.16, 0.42]
    table(y, xs, ["key", "$e^s$", "weight = $e^s$ / sum"],
          lambda j: [(fmt(data["exp"][j], "f2"), False),
                     (f"{fmt(data['exp'][j], 'f2')} / {fmt(data['exp_sum'], 'f2')} = "
                      f"{fmt(data['weights'][j], 'pct')}", True)])
    y -= n + 1.05
    ax.plot([xs[1], 1], [y + 0.5, y + 0.5], color=t["muted"], lw=0.8)
    ax.text(xs[1] - 0.02, y, "sum", ha="right", va="center", fontsize=size, color=t["muted"])
    ax.text(xs[1], y, fmt(data["exp_sum"], "f2"), ha="left", va="center", fontsize=size, fontweight="bold")
    ax.text(xs[2], y, f"sum {fmt(data['sum'], 'pct0')}", ha="left", va="center", fontsize=size, color=t["muted"])
    y -= 1.2
    ax.text(0.0, y, f"For example q · k of “{tokens[0]}”\n= {_dot(data['q'], data['k'][0])} "
                    f"= {fmt(data['scores'][0], 'f2')}", ha="left", va="top", fontsize=size - 0.5,
            color=t["muted"], linespacing=1.4)
    plt.setp(ax.texts, clip_on=False)
