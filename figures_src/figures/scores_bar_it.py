"""Step 2 for "it": the raw score of its query against every word's key.

The query of "it" is compared with the key of each word of the sentence by a
dot product, one row of Q K^T. A word whose key points the way the query
looks scores high; a word whose key has nothing on the axes the query cares
about scores exactly zero. These raw scores are not yet weights: they can be
any size and do not add up to anything in particular.
"""

from __future__ import annotations

from attention_ref import softmax
from figures_src.kit.claims import claim, ranked
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "scores-bar-it"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it for step 2: ask students why so many words score exactly zero, and what a score of zero means for "
    "the query and the key. It corrects the idea that scores are already probabilities: they have no fixed "
    "range and do not add up to one."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    scores = att.scores[i]  # (T,) one row of Q K^T
    order = sorted(range(len(s.tokens)), key=lambda j: -scores[j])
    top, second = order[0], order[1]
    living = s.language.axes.index("living")
    unscaled = softmax(scores)  # what step 4 would give without step 3, for the scaling page
    scaled = att.scaled[i]
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "axes": list(s.language.axes),
        "q_focus": att.q[i].tolist(),
        "q": keyed(s.language.axes, att.q[i]),
        "scores": scores.tolist(),
        "score": keyed(s.tokens, scores),
        "top_word": s.tokens[top],
        "top_score": float(scores[top]),
        "second_word": s.tokens[second],
        "second_score": float(scores[second]),
        "n_zero": sum(1 for v in scores if v == 0.0),
        "scale": att.scale,  # 1 / sqrt(d_k), applied in step 3
        "scaled": keyed(s.tokens, scaled),
        "scaled_order": [s.tokens[j] for j in sorted(range(len(s.tokens)), key=lambda j: -scaled[j])],
        "order": [s.tokens[j] for j in order],
        "k_living": keyed(s.tokens, att.k[:, living]),  # every key's entry on the "living" axis
        "weight_unscaled": keyed(s.tokens, unscaled),
        "weight_scaled": keyed(s.tokens, att.weights[i]),
        "T": len(s.tokens),
        "d_k": int(att.q.shape[-1]),
    }


@claim("“animal” scores highest against the query of “it”, and “tired” comes second")
def animal_first_tired_second(data):
    return data["top_word"] == "animal" and data["second_word"] == "tired"


@claim("after “animal”, “tired” has the largest key on the “living” axis")
def tired_key_is_living(data):
    return ranked(data["k_living"])[:2] == ["animal", "tired"]


@claim("the query of “it” is zero on the “action” and “grammar” axes")
def it_query_ignores_action_and_grammar(data):
    return data["q"]["action"] == 0.0 and data["q"]["grammar"] == 0.0 and data["n_zero"] > 0


@claim("scaling keeps the order of the scores: the words rank the same before and after")
def scaling_keeps_the_order(data):
    return data["scaled_order"] == data["order"]


@claim("without the scaling, “it” would give “animal” a much larger share (over half) than with it")
def scaling_matters_even_here(data):
    return data["weight_unscaled"]["animal"] > 0.5 > data["weight_scaled"]["animal"]


def labels(data) -> list[str]:
    return [fmt(v, "f2") for v in data["scores"]] + [fmt(v, "f2") for v in data["q_focus"]]


def alt(data) -> str:
    parts = ", ".join(f"{t} {fmt(v, 'f2')}" for t, v in zip(data["tokens"], data["scores"], strict=True))
    return (
        f"A horizontal bar chart of the raw scores (query of \"{data['focus']}\" dot key of each word) in "
        f"\"{data['sentence']}\". The highest is \"{data['top_word']}\" with {fmt(data['top_score'], 'f2')}, then "
        f"\"{data['second_word']}\" with {fmt(data['second_score'], 'f2')}; {data['n_zero']} words score 0. "
        f"All scores: {parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    tokens, scores = data["tokens"], data["scores"]
    n = len(tokens)
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 0.36 * n + 1.3))
        ys = list(range(n))
        ax.barh(ys, scores, color=[style.token_color(w) for w in tokens], height=0.68)
        top = max(scores)
        for y, v in zip(ys, scores, strict=True):
            ax.text(v + 0.02 * top, y, fmt(v, "f2"), va="center", ha="left", fontsize=10,
                    fontweight="bold" if v == top else "normal", color=t["foreground"] if v else t["muted"])
        ax.set_yticks(ys, tokens, fontsize=10.5)
        for lab, word in zip(ax.get_yticklabels(), tokens, strict=False):
            if word == data["focus"]:
                lab.set_fontweight("bold")
        ax.invert_yaxis()
        ax.set_xlim(min(0.0, min(scores)) * 1.1, top * 1.18)
        ax.axvline(0, color=t["muted"], lw=1)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(f"score = q(\u201c{data['focus']}\u201d) \u00b7 k(word)", fontsize=10.5)
        # the query itself, so the reader can check any bar by hand
        pieces = [f"q(\u201c{data['focus']}\u201d) = ("]
        for k, v in enumerate(data["q_focus"]):
            pieces += [fmt(v, "f2"), ", " if k + 1 < len(data["q_focus"]) else ")"]
        pieces.append("  on the axes " + ", ".join(data["axes"]))
        prev = ax.text(0.0, 1.03, pieces[0], transform=ax.transAxes, ha="left", va="bottom", fontsize=9.5,
                       color=t["muted"])
        for piece in pieces[1:]:
            prev = ax.annotate(piece, xy=(1, 0), xycoords=prev, ha="left", va="bottom", fontsize=9.5,
                               color=t["muted"])
        mpl.save(fig, out_dir, ID, theme)
