"""Words as arrows in the fruit-tech plane: fruit words along one axis, tech words along the other, Apple in between.

The toy embedding of the Apple pages has three readable axes, "fruit",
"tech" and "grammar". The content words have nothing on the grammar axis, so
they lie in the plane of the other two, and this figure draws exactly their
vectors there, each as an arrow from the origin (the grammar words "and" and
"an" stand off the plane and are left out). The fruit words point along the
fruit axis, the tech words along the tech axis, and "Apple", which can be
either, points halfway between them: on its own, its vector cannot say which
Apple is meant. The same vectors make the similarity tables, step 1 and
step 5.
"""

from __future__ import annotations

import math

from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "embedding-space-2d"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "A good opening slide: words as arrows, with the ambiguous Apple in between. Ask where Apple should point "
    "and whether one fixed vector can say which Apple is meant; that question is what attention answers."
)
LANGUAGE = "fruit_tech_3d"
PLANE = ("fruit", "tech")  # the two axes drawn; a word is drawn when it has nothing on the others
AMBIGUOUS = "apple"  # the word the page is about
FRUIT, TECH = ("orange", "banana", "cherry"), ("phone", "android", "microsoft")


def data(examples) -> dict:
    lang = examples.languages[LANGUAGE]
    axes = list(lang.axes)
    cols = [axes.index(a) for a in PLANE]
    off = [k for k in range(lang.d_model) if k not in cols]
    every = list(lang.vocabulary)
    x = lang.embed(every)  # (n_words, d_model)
    in_plane = [w for w, vec in zip(every, x, strict=True) if not vec[off].any()]
    vectors = lang.embed(in_plane)[:, cols]  # (n_in_plane, 2): the words' own vectors, nothing dropped
    angle = {w: math.degrees(math.atan2(v[1], v[0])) for w, v in zip(in_plane, vectors, strict=True)}
    return {
        "language": LANGUAGE,
        "axes": list(PLANE),
        "all_axes": axes,
        "words": in_plane,
        "off_plane": [w for w in every if w not in in_plane],
        "vectors": vectors.tolist(),
        "vector": {
            w: {axis: float(v) for axis, v in zip(PLANE, vec, strict=True)}
            for w, vec in zip(in_plane, vectors, strict=True)
        },
        "angle": angle,  # degrees from the fruit axis toward the tech axis
        "fruit_words": [w for w in FRUIT if w in in_plane],
        "tech_words": [w for w in TECH if w in in_plane],
        "ambiguous": AMBIGUOUS,
        "d_model": lang.d_model,
    }


@claim("Apple, Orange and Phone have nothing on the grammar axis: the plane shows their whole vectors")
def apple_orange_phone_in_the_plane(data):
    return all(w in data["words"] for w in ("apple", "orange", "phone"))


@claim("Apple points between the fruit words and the tech words")
def apple_between_fruit_and_tech(data):
    a = data["angle"]
    fruit, tech = data["fruit_words"], data["tech_words"]
    return bool(fruit and tech) and max(a[w] for w in fruit) < a[data["ambiguous"]] < min(a[w] for w in tech)


def labels(data) -> list[str]:
    v = data["vector"][data["ambiguous"]]
    return [fmt(v[a], "f1") for a in data["axes"]]


def alt(data) -> str:
    ax_x, ax_y = data["axes"]
    parts = "; ".join(
        f"{w} ({fmt(v[0], 'f1')}, {fmt(v[1], 'f1')})" for w, v in zip(data["words"], data["vectors"], strict=True)
    )
    a = data["vector"][data["ambiguous"]]
    rest = " and ".join(x for x in data["all_axes"] if x not in data["axes"])
    return (
        f"A scatter of words as arrows from the origin, with \"{ax_x}\" across and \"{ax_y}\" up. Fruit words lie "
        f"along the {ax_x} axis, tech words along the {ax_y} axis, and \"{data['ambiguous']}\" sits between them at "
        f"({fmt(a[ax_x], 'f1')}, {fmt(a[ax_y], 'f1')}). Coordinates: {parts}. These words have nothing on the "
        f"{rest} axis, so the plane shows their whole vectors."
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
        rest = " and ".join(a for a in data["all_axes"] if a not in data["axes"])
        ax.set_title(f"the {ax_x}\u2013{ax_y} plane: these words have nothing on the {rest} axis", fontsize=10,
                     color=t["muted"], pad=8)
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
