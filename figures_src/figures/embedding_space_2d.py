"""Words as arrows in a two-axis space: fruit words along one axis, tech words along the other, and "Apple" in between.

A toy embedding with two readable axes, "fruit" and "tech". Each word is a
vector, drawn as an arrow from the origin. The fruit words point along the
fruit axis, the tech words along the tech axis, and "Apple", which can be
either, points halfway between them: on its own, its vector cannot say which
Apple is meant. The coordinates are those of the worked examples file.
"""

from __future__ import annotations

from figures_src.kit.formats import fmt

ID = "embedding-space-2d"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "A good opening slide: words as arrows, with the ambiguous Apple in between. Ask where Apple should point "
    "and whether one fixed vector can say which Apple is meant; that question is what attention answers."
)
LANGUAGE = "fruit_tech_2d"
AMBIGUOUS = "apple"  # the word the page is about


def data(examples) -> dict:
    lang = examples.languages[LANGUAGE]
    words = list(lang.vocabulary)
    vectors = lang.embed(words)  # (n_words, 2)
    return {
        "language": LANGUAGE,
        "axes": list(lang.axes),
        "words": words,
        "vectors": vectors.tolist(),
        "vector": {
            w: {axis: float(v) for axis, v in zip(lang.axes, vec, strict=True)}
            for w, vec in zip(words, vectors, strict=True)
        },
        "ambiguous": AMBIGUOUS,
        "d_model": lang.d_model,
    }


def labels(data) -> list[str]:
    v = data["vector"][data["ambiguous"]]
    return [fmt(v[a], "f1") for a in data["axes"]]


def alt(data) -> str:
    ax_x, ax_y = data["axes"]
    parts = "; ".join(
        f"{w} ({fmt(v[0], 'f1')}, {fmt(v[1], 'f1')})" for w, v in zip(data["words"], data["vectors"], strict=True)
    )
    a = data["vector"][data["ambiguous"]]
    return (
        f"A scatter of words as arrows from the origin, with \"{ax_x}\" across and \"{ax_y}\" up. Fruit words lie "
        f"along the {ax_x} axis, tech words along the {ax_y} axis, and \"{data['ambiguous']}\" sits between them at "
        f"({fmt(a[ax_x], 'f1')}, {fmt(a[ax_y], 'f1')}). Coordinates: {parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    words, vectors = data["words"], data["vectors"]
    ax_x, ax_y = data["axes"]
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.6))
        top = max(max(v) for v in vectors)
        ax.set_xlim(-0.2, top * 1.4)
        ax.set_ylim(-0.2, top * 1.1)
        ax.set_aspect("equal")
        ax.grid(True, lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(f"{ax_x} \u2192", fontsize=11)
        ax.set_ylabel(f"{ax_y} \u2192", fontsize=11)
        for word, (x, y) in zip(words, vectors, strict=True):
            color = style.token_color(word)
            strong = word == data["ambiguous"]
            ax.annotate("", xy=(x, y), xytext=(0, 0),
                        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2.6 if strong else 1.6,
                                    "mutation_scale": 14, "shrinkA": 0, "shrinkB": 0})
            ax.text(x + 0.14, y, word.capitalize(), ha="left", va="center", fontsize=11,
                    fontweight="bold" if strong else "normal")
        # the coordinates of the ambiguous word; each number is its own text, as labels() lists them
        a = data["vector"][data["ambiguous"]]
        pieces = ["(", fmt(a[ax_x], "f1"), ", ", fmt(a[ax_y], "f1"), ")"]
        prev = ax.text(a[ax_x] + 0.14, a[ax_y] - 0.32, pieces[0], ha="left", va="center", fontsize=10, color=t["muted"])
        for piece in pieces[1:]:
            prev = ax.annotate(piece, xy=(1, 0), xycoords=prev, va="bottom", ha="left", fontsize=10, color=t["muted"])
        mpl.save(fig, out_dir, ID, theme)
