"""Step 5 for "it": a flashlight over the value vectors, as bright on each as its weight, and the context vector they add up to.

The attention weights of "it" (step 4) decide how brightly each word's value
vector is lit. Every value row is multiplied by its weight and the rows are
added: the sum, at the bottom, is the new vector of "it", its context vector.
Because the value of "animal" is lit most brightly, the context vector of
"it" has more on the "living" axis than "it" had on its own. Blank cells are
zero.
"""

from __future__ import annotations

from figures_src.kit.claims import claim
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "flashlight-values"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'Use it for step 5: before looking, ask which axes of the context vector of "it" will grow and which will '
    'shrink compared with "it" alone. It dispels the idea that attention picks one word: the output is a '
    "blend of every value, each weighted."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    axes = list(s.language.axes)
    i = s.focus_index
    weights = att.weights[i]  # (T,)
    top = int(weights.argmax())
    x = s.x  # (T, d_model)
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "axes": axes,
        "weights": weights.tolist(),
        "weight": keyed(s.tokens, weights),
        "v": att.v.tolist(),  # (T, d_v)
        "output": att.output[i].tolist(),  # (d_v,) the context vector of the focus word
        "context": keyed(axes, att.output[i]),
        "x_focus": keyed(axes, x[i]),
        "v_top": keyed(axes, att.v[top]),
        "top_word": s.tokens[top],
        "top_weight": float(weights[top]),
        "d_v": int(att.v.shape[-1]),
    }


@claim("the value of “animal” is lit brightest, and every other value less than half as brightly")
def animal_lit_brightest(data):
    others = [w for t, w in zip(data["tokens"], data["weights"], strict=True) if t != data["top_word"]]
    return data["top_word"] == "animal" and max(others) < data["top_weight"] / 2


@claim("the context vector of “it” has more on “living” than “it” had on its own, most of it from “animal”")
def living_grows_mostly_from_animal(data):
    from_top = data["top_weight"] * data["v_top"]["living"]
    return data["context"]["living"] > data["x_focus"]["living"] and from_top > data["context"]["living"] / 2


@claim("the “grammar” entry of “it” shrinks in its context vector")
def grammar_shrinks(data):
    return data["context"]["grammar"] < data["x_focus"]["grammar"]


@claim("the value of “animal” has nothing on “grammar”")
def animal_value_has_no_grammar(data):
    return data["top_word"] == "animal" and data["v_top"]["grammar"] == 0.0


def labels(data) -> list[str]:
    cells = [fmt(v, "f2") for row in data["v"] for v in row if fmt(v, "f2") != "0.00"]
    return [fmt(w, "pct") for w in data["weights"]] + cells + [fmt(v, "f2") for v in data["output"]]


def alt(data) -> str:
    ctx = ", ".join(f"{a} {fmt(v, 'f2')}" for a, v in data["context"].items())
    own = ", ".join(f"{a} {fmt(v, 'f2')}" for a, v in data["x_focus"].items())
    return (
        f"A flashlight at \"{data['focus']}\" lights the value vector of every word of \"{data['sentence']}\", each as "
        f"brightly as its attention weight; the brightest beam, {fmt(data['top_weight'], 'pct')}, falls on "
        f"\"{data['top_word']}\". The weighted values add up to the context vector of \"{data['focus']}\": {ctx} "
        f"(its own vector was {own})."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon, Rectangle

    from figures_src.kit import mpl, style

    tokens, weights, v = data["tokens"], data["weights"], data["v"]
    n, d = len(tokens), len(data["axes"])
    top_w = max(weights)
    green = style.ROLE_COLORS["v"]
    out_color = style.ROLE_COLORS["output"]
    cell, x0 = 1.05, 4.6  # cell width, left edge of the value cells
    beam_end, lamp = 2.2, (0.35, (n - 1) / 2)

    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.36 * (n + 3) + 0.6))
        ax.set_xlim(0, x0 + d * cell + 0.1)
        ax.set_ylim(n + 1.9, -1.3)  # rows from the top
        ax.axis("off")

        for r, (word, w) in enumerate(zip(tokens, weights, strict=True)):
            glow = 0.85 * w / top_w  # brightness in proportion to the weight
            beam = [lamp, (beam_end, r - 0.42), (beam_end, r + 0.42)]
            ax.add_patch(Polygon(beam, closed=True, fc=style.ROLE_COLORS["q"], alpha=glow, ec="none"))
            ax.text(beam_end + 0.08, r, fmt(w, "pct"), ha="left", va="center", fontsize=9.5,
                    fontweight="bold" if w == top_w else "normal")
            ax.text(x0 - 0.12, r, word, ha="right", va="center", fontsize=10.5,
                    fontweight="bold" if word == data["focus"] else "normal")
            for c, value in enumerate(v[r]):
                ax.add_patch(Rectangle((x0 + c * cell, r - 0.45), cell * 0.96, 0.9, fc=green, alpha=max(glow, 0.06),
                                       ec=t["grid"], lw=0.6))
                text = fmt(value, "f2")
                if text != "0.00":
                    ax.text(x0 + (c + 0.48) * cell, r, text, ha="center", va="center", fontsize=9.5)
        # the lamp
        ax.add_patch(Polygon([(0.05, lamp[1] - 0.55), (0.05, lamp[1] + 0.55), (lamp[0] + 0.25, lamp[1] + 0.3),
                              (lamp[0] + 0.25, lamp[1] - 0.3)], closed=True, fc=style.token_color(data["focus"]),
                             ec="none"))
        ax.text(0.05, lamp[1] + 0.95, f"\u201c{data['focus']}\u201d", ha="left", va="top", fontsize=11,
                fontweight="bold")

        for c, name in enumerate(data["axes"]):
            ax.text(x0 + (c + 0.48) * cell, -0.85, name, ha="center", va="center", fontsize=9, color=t["muted"])
        ax.text(x0 + d * cell / 2, -1.25, "values V (lit by the weights)", ha="center", va="bottom", fontsize=9.5,
                color=t["muted"])
        ax.text(beam_end + 0.08, -0.85, "weight", ha="left", va="center", fontsize=9, color=t["muted"])

        # the sum
        y = n + 0.9
        ax.plot([x0, x0 + d * cell], [n - 0.2, n - 0.2], color=t["muted"], lw=1.2)
        ax.text(x0 - 0.12, y, f"context vector of \u201c{data['focus']}\u201d =", ha="right", va="center",
                fontsize=10.5, fontweight="bold")
        ax.text(x0 - 0.12, y + 0.62, "\u03a3 weight \u00d7 value", ha="right", va="center", fontsize=9,
                color=t["muted"])
        for c, value in enumerate(data["output"]):
            ax.add_patch(Rectangle((x0 + c * cell, y - 0.45), cell * 0.96, 0.9, fc=out_color, alpha=0.35,
                                   ec=out_color, lw=1.2))
            ax.text(x0 + (c + 0.48) * cell, y, fmt(value, "f2"), ha="center", va="center", fontsize=10,
                    fontweight="bold")
        mpl.save(fig, out_dir, ID, theme)
