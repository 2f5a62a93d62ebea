"""Who is like whom in "An Apple Phone": the cosine similarity of every pair of its words.

The words of the sentence are compared pairwise by the cosine of the angle
between their vectors in the three-axis toy embedding (fruit, tech, grammar).
The row of "Apple" is outlined: apart from itself, the word it is most like
here is "Phone": this time the context points to the company. This row says
who is like Apple; it is not yet attention, which compares the words after
projecting them into queries and keys, by dot products divided by sqrt(d_k),
and turns those scores into weights with softmax.
"""

from __future__ import annotations

from attention_ref import cosine_similarity
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "similarity-apple-phone"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'Pair it with the "An Apple And An Orange" table: the same Apple row, another sentence, another most '
    "similar word. Ask students how attention's scores differ from these cosines (projected queries and keys, "
    "dot products over sqrt(d_k), then softmax)."
)
SENTENCE = "apple_phone"


def data(examples) -> dict:
    s = examples.sentence(SENTENCE)
    x = s.x  # (T, d_model)
    cos = cosine_similarity(x, x)  # (T, T)
    keys = word_keys(s.tokens)
    i = s.focus_index
    others = [j for j in range(len(s.tokens)) if j != i]
    best = max(others, key=lambda j: cos[i, j])
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "cosine": cos.tolist(),
        "row": keyed(s.tokens, cos[i]),
        "cos": {a: keyed(s.tokens, cos[r]) for r, a in enumerate(keys)},
        "most_like": s.tokens[best],
        "most_like_cosine": float(cos[i, best]),
    }



@claim("apart from itself, Apple is most like Phone in this sentence")
def apple_most_like_phone(data):
    return data["most_like"].lower() == "phone"


def labels(data) -> list[str]:
    return [fmt(v, "f2") for row in data["cosine"] for v in row]


def alt(data) -> str:
    cosines = data["cosine"][data["focus_index"]]
    row = ", ".join(f"{t} {fmt(v, 'f2')}" for t, v in zip(data["tokens"], cosines, strict=True))
    n = len(data["tokens"])
    return (
        f"A {n} by {n} table of the cosine similarity between the words of \"{data['sentence']}\", darker for more "
        f"alike, with the row of \"{data['focus']}\" outlined: {row}. Apart from itself, \"{data['focus']}\" is most "
        f"like \"{data['most_like']}\" ({fmt(data['most_like_cosine'], 'f2')})."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize, to_hex

    from figures_src.kit import mpl, style

    tokens, cos, i = data["tokens"], data["cosine"], data["focus_index"]
    n = len(tokens)
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.75 * n + 0.9))
        cmap = plt.get_cmap(t["cmap"])
        norm = Normalize(0.0, 1.0)
        ax.imshow(cos, cmap=cmap, norm=norm)
        for r in range(n):
            for c in range(n):
                bg = to_hex(cmap(norm(cos[r][c])))
                ax.text(c, r, fmt(cos[r][c], "f2"), ha="center", va="center", fontsize=11, color=style.text_on(bg),
                        fontweight="bold" if r == i else "normal")
        ax.add_patch(plt.Rectangle((-0.5, i - 0.5), n, 1, fill=False, ec=t["highlight"], lw=2.5, clip_on=False))
        ax.set_xticks(range(n), tokens, fontsize=11)
        ax.set_yticks(range(n), tokens, fontsize=11)
        ax.get_yticklabels()[i].set_fontweight("bold")
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(f"\u201c{data['sentence']}\u201d: cosine similarity", fontsize=10, color=t["muted"], pad=10)
        mpl.save(fig, out_dir, ID, theme)
