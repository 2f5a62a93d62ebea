"""A dot product worked out axis by axis: Apple · Orange is large, Orange · Phone is zero.

Two words of the three-axis toy embedding (fruit, tech, grammar) are
multiplied axis by axis and the products added up. Apple and Orange share the
fruit axis, so their dot product is large. Orange and Phone have nothing on a
common axis (their vectors are at right angles, orthogonal), so every product
is zero and so is the sum. Under each sum the same pair's cosine similarity
and scaled dot product are given for comparison.
"""

from __future__ import annotations

from attention_ref import cosine_similarity, dot_similarity, scaled_dot_similarity
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "dot-product-worked"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it at the first contact with similarity, before any matrix: let students multiply axis by axis "
    'themselves and check their sums against the figure. It shows that a dot product of zero means "nothing '
    'in common" (orthogonal), not "opposite".'
)
LANGUAGE = "fruit_tech_3d"
PAIRS = (("apple", "orange"), ("orange", "phone"))


def data(examples) -> dict:
    lang = examples.languages[LANGUAGE]
    pairs = []
    for first, second in PAIRS:
        a, b = lang.vocabulary[first], lang.vocabulary[second]
        # the term of each axis is the dot product of the two vectors restricted to that axis
        terms = [float(dot_similarity(a[k : k + 1], b[k : k + 1])[0, 0]) for k in range(lang.d_model)]
        pairs.append({
            "a": first,
            "b": second,
            "a_vector": a.tolist(),
            "b_vector": b.tolist(),
            "terms": terms,
            "dot": float(dot_similarity(a, b)[0, 0]),
            "cosine": float(cosine_similarity(a, b)[0, 0]),
            "scaled": float(scaled_dot_similarity(a, b)[0, 0]),
        })
    return {
        "language": LANGUAGE,
        "axes": list(lang.axes),
        "d_model": lang.d_model,
        "pairs": pairs,
        "pair": {f"{p['a']}_{p['b']}": p for p in pairs},
        # flat summaries, one number per pair (shown as tables on the figure's page)
        "dot": {f"{p['a']}_{p['b']}": p["dot"] for p in pairs},
        "cosine": {f"{p['a']}_{p['b']}": p["cosine"] for p in pairs},
        "scaled": {f"{p['a']}_{p['b']}": p["scaled"] for p in pairs},
    }


@claim("Apple and Orange's dot product comes from the fruit axis they share")
def apple_orange_share_fruit(data):
    p = data["pair"]["apple_orange"]
    k = data["axes"].index("fruit")
    return p["dot"] > 0 and p["terms"][k] == p["dot"]


@claim("Orange and Phone have nothing on a common axis: every product, and so the dot product, is zero")
def orange_phone_orthogonal(data):
    p = data["pair"]["orange_phone"]
    return all(t == 0.0 for t in p["terms"]) and p["dot"] == 0.0


def labels(data) -> list[str]:
    out = []
    for p in data["pairs"]:
        out += [fmt(x, "f1") for x in p["a_vector"] + p["b_vector"] + p["terms"]]
        out += [fmt(p["dot"], "f1"), fmt(p["cosine"], "f2"), fmt(p["scaled"], "f2")]
    return out


def alt(data) -> str:
    parts = []
    for p in data["pairs"]:
        terms = " + ".join(fmt(x, "f1") for x in p["terms"])
        parts.append(
            f"{p['a'].capitalize()} · {p['b'].capitalize()} = {terms} = {fmt(p['dot'], 'f1')} "
            f"(cosine {fmt(p['cosine'], 'f2')}, scaled dot product {fmt(p['scaled'], 'f2')})"
        )
    return (
        f"Two dot products worked out on the axes {', '.join(data['axes'])}: the vectors are multiplied axis by axis "
        f"and the products added. " + "; ".join(parts) + "."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    axes_names = data["axes"]
    n = len(axes_names)
    with mpl.themed(theme, ID) as t:
        fig, panels = plt.subplots(1, len(data["pairs"]), figsize=(style.FIG_WIDTH, 3.3))
        for ax, p in zip(panels, data["pairs"], strict=True):
            ax.set_xlim(-1.9, n + 0.1)
            ax.set_ylim(-3.3, 1.35)
            ax.axis("off")
            a, b = p["a"].capitalize(), p["b"].capitalize()
            ax.text(n / 2 - 0.9, 1.2, f"{a} \u00b7 {b}", ha="center", va="center", fontsize=13, fontweight="bold")
            for k, name in enumerate(axes_names):
                ax.text(k + 0.5, 0.55, name, ha="center", va="center", fontsize=9.5, color=t["muted"])
            rows = ((a, p["a_vector"], style.token_color(p["a"])), (b, p["b_vector"], style.token_color(p["b"])))
            for r, (word, vec, color) in enumerate(rows):
                y = -0.2 - 0.75 * r
                ax.plot([-1.85, -1.85], [y - 0.28, y + 0.28], color=color, lw=5, solid_capstyle="butt")
                ax.text(-1.7, y, word, ha="left", va="center", fontsize=11)
                for k, x in enumerate(vec):
                    ax.add_patch(plt.Rectangle((k + 0.06, y - 0.32), 0.88, 0.64, fc=color, alpha=0.22, ec="none"))
                    ax.text(k + 0.5, y, fmt(x, "f1"), ha="center", va="center", fontsize=11)
            y = -1.75
            ax.plot([0, n], [y + 0.42, y + 0.42], color=t["muted"], lw=1)
            ax.text(-1.7, y, "product", ha="left", va="center", fontsize=10, color=t["muted"])
            for k, x in enumerate(p["terms"]):
                ax.text(k + 0.5, y, fmt(x, "f1"), ha="center", va="center", fontsize=11,
                        fontweight="bold" if x != 0 else "normal")
                if k + 1 < n:
                    ax.text(k + 1, y, "+", ha="center", va="center", fontsize=11, color=t["muted"])
            y = -2.55
            ax.text(-1.7, y, "sum", ha="left", va="center", fontsize=10, color=t["muted"])
            ax.text(n / 2, y, fmt(p["dot"], "f1"), ha="center", va="center", fontsize=15, fontweight="bold",
                    color=t["accent"])
            note = ax.text(-1.7, -3.2, "cosine ", ha="left", va="center", fontsize=9.5, color=t["muted"])
            note = ax.annotate(fmt(p["cosine"], "f2"), xy=(1, 0), xycoords=note, va="bottom", fontsize=9.5)
            note = ax.annotate("   scaled dot ", xy=(1, 0), xycoords=note, va="bottom", fontsize=9.5,
                               color=t["muted"])
            ax.annotate(fmt(p["scaled"], "f2"), xy=(1, 0), xycoords=note, va="bottom", fontsize=9.5)
        fig.tight_layout(w_pad=2.0)
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _stacked(f, panels))


def _stacked(fig, panels) -> None:
    """The phone layout: the pairs one above the other, each as large as half the wide figure, so that the
    axis names over the columns keep their room and every text its size."""
    width, block, gap = 3.42, 2.6, 0.4  # inches: the figure, one pair with its title and notes, between pairs
    height = block * len(panels) + gap * (len(panels) - 1)
    fig.set_size_inches(width, height)
    for k, ax in enumerate(panels):
        bottom = (block + gap) * (len(panels) - 1 - k)
        ax.set_position((0.0, bottom / height, 1.0, block / height))
