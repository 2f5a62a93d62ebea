"""How alike each pair of words is: the cosine similarity table of Orange, Apple, Phone, And and An.

Every word of the three-axis toy embedding (fruit, tech, grammar) is compared
with every other by the cosine of the angle between their vectors: 1 for the
same direction, 0 for vectors at right angles. The words are those of the
two Apple sentences. The diagonal is 1 (every word is most like itself);
Apple is equally like Orange and Phone; the two grammar words are alike, and
unlike the content words.
"""

from __future__ import annotations

from attention_ref import cosine_similarity
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "similarity-table-3d"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it to introduce cosine similarity: let students compute one cell by hand from the vectors and check "
    "it. It shows that every word is most like itself and that Apple alone is as close to Orange as to Phone, "
    "the ambiguity the rest of the lecture resolves."
)
LANGUAGE = "fruit_tech_3d"
SENTENCES = ("apple_orange", "apple_phone")  # the table holds the words of these sentences
GRAMMAR = ("and", "an")


def data(examples) -> dict:
    lang = examples.languages[LANGUAGE]
    used = {t.lower() for n in SENTENCES for t in examples.sentence(n).tokens}
    words = [w for w in lang.vocabulary if w in used]  # in the examples file's order
    x = lang.embed(words)  # (n_words, d_model)
    cos = cosine_similarity(x, x)  # (n_words, n_words)
    return {
        "language": LANGUAGE,
        "axes": list(lang.axes),
        "words": words,
        "vectors": x.tolist(),
        "cosine": cos.tolist(),
        "cos": {a: {b: float(cos[i, j]) for j, b in enumerate(words)} for i, a in enumerate(words)},
        "grammar_words": [w for w in GRAMMAR if w in words],
    }


@claim("on its own, Apple is exactly as much like Orange as like Phone")
def apple_undecided(data):
    c = data["cos"]["apple"]
    return abs(c["orange"] - c["phone"]) < 1e-12


@claim("Orange and Phone have nothing in common: their cosine is zero")
def orange_phone_orthogonal(data):
    return data["cos"]["orange"]["phone"] == 0.0


@claim("the two grammar words are almost the same direction, and barely related to the content words")
def grammar_words_alike(data):
    g = data["grammar_words"]
    content = [w for w in data["words"] if w not in g]
    return (len(g) == 2 and data["cos"][g[0]][g[1]] > 0.95
            and all(abs(data["cos"][a][b]) < 0.2 for a in g for b in content))


def labels(data) -> list[str]:
    return [fmt(v, "f2") for row in data["cosine"] for v in row]


def alt(data) -> str:
    words = data["words"]
    rows = "; ".join(
        f"{a.capitalize()}: " + ", ".join(f"{b.capitalize()} {fmt(v, 'f2')}" for b, v in zip(words, row, strict=True))
        for a, row in zip(words, data["cosine"], strict=True)
    )
    return (
        f"A {len(words)} by {len(words)} table of the cosine similarity between the words "
        f"{', '.join(w.capitalize() for w in words)}, darker for more alike. Rows: {rows}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize, to_hex

    from figures_src.kit import mpl, style

    words = [w.capitalize() for w in data["words"]]
    cos = data["cosine"]
    n = len(words)
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.4))
        cmap = plt.get_cmap(t["cmap"])
        norm = Normalize(0.0, 1.0)
        ax.imshow(cos, cmap=cmap, norm=norm)
        for i in range(n):
            for j in range(n):
                bg = to_hex(cmap(norm(cos[i][j])))
                ax.text(j, i, fmt(cos[i][j], "f2"), ha="center", va="center", fontsize=11, color=style.text_on(bg))
        ax.set_xticks(range(n), words, fontsize=11)
        ax.set_yticks(range(n), words, fontsize=11)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title("cosine similarity", fontsize=10, color=t["muted"], pad=10)
        mpl.save(fig, out_dir, ID, theme)
