"""Apple moves toward its context: toward Orange in "An Apple And An Orange", toward Phone in "An Apple Phone".

The geometric view of step 5 in the fruit and tech plane of the three-axis
toy embedding. Apple attends to itself and to its context word, with the
weights softmax gives their cosine similarities; its new vector is the
weighted mix of the two, which lies on the straight line from Apple to the
context word, as far along as the context word's weight. With Orange as
context Apple slides toward the fruit axis; with Phone, toward the tech axis:
one word, two meanings, two places.
"""

from __future__ import annotations

from attention_ref import cosine_similarity, move_toward, softmax
from figures_src.kit.common import keyed
from figures_src.kit.formats import fmt

ID = "apple-moves-toward-orange"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it right after step 5 to give the weighted sum a geometric meaning: before showing it, ask students "
    "where Apple will land in each sentence. It answers the belief that a word has one fixed vector: after "
    "attention the same word sits in two different places."
)
SENTENCES = ("apple_orange", "apple_phone")


def data(examples) -> dict:
    moves = {}
    for name in SENTENCES:
        s = examples.sentence(name)
        i, j = s.focus_index, s.index(s.toward)
        x = s.x  # (T, d_model)
        pair = x[[i, j]]  # (2, d_model): the word and its context word
        weights = softmax(cosine_similarity(x[i], pair)[0])  # (2,) Apple's weights on itself and the context word
        share = float(weights[1])
        full = softmax(cosine_similarity(x[i], x)[0])  # (T,) the weights over the whole sentence
        moves[name] = {
            "sentence": s.text,
            "word": s.tokens[i],
            "toward": s.tokens[j],
            "start": x[i].tolist(),
            "target": x[j].tolist(),
            "weight_self": float(weights[0]),
            "share": share,
            "new": move_toward(x[i], x[j], share).tolist(),
            "full_weights": keyed(s.tokens, full),
        }
    first = examples.sentence(SENTENCES[0])
    return {
        "language": first.language.name,
        "axes": list(first.language.axes),
        "plane": list(first.language.axes[:2]),  # the figure draws the first two axes
        "sentences": list(SENTENCES),
        "move": moves,
        "share": {n: m["share"] for n, m in moves.items()},  # flat summary for the figure's page
    }


def labels(data) -> list[str]:
    return [fmt(data["move"][n]["share"], "pct") for n in data["sentences"]]


def alt(data) -> str:
    parts = []
    for n in data["sentences"]:
        m = data["move"][n]
        new = ", ".join(fmt(v, "f2") for v in m["new"])
        start = ", ".join(fmt(v, "f2") for v in m["start"])
        parts.append(
            f"in \"{m['sentence']}\" {m['word']} gives {m['toward']} {fmt(m['share'], 'pct')} of its attention and "
            f"moves that share of the way from ({start}) toward {m['toward']}, to ({new})"
        )
    return (
        f"Apple, Orange and Phone as points on the {data['plane'][0]} and {data['plane'][1]} axes, with two arrows "
        f"from Apple to its two new positions: " + "; ".join(parts) + "."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    moves = [data["move"][n] for n in data["sentences"]]
    ax_x, ax_y = data["plane"]
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.9))
        start = moves[0]["start"]
        everything = [start] + [m["target"] for m in moves]
        top = max(max(p[0], p[1]) for p in everything)
        ax.set_xlim(-0.25, top * 1.55)
        ax.set_ylim(-0.25, top * 1.2)
        ax.set_aspect("equal")
        ax.grid(True, lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(f"{ax_x} \u2192", fontsize=11)
        ax.set_ylabel(f"{ax_y} \u2192", fontsize=11)

        word = moves[0]["word"]
        apple_color = style.token_color(word)
        for m in moves:  # the context words, as arrows from the origin
            c = style.token_color(m["toward"])
            ax.annotate("", xy=m["target"][:2], xytext=(0, 0),
                        arrowprops={"arrowstyle": "-|>", "color": c, "lw": 1.4, "alpha": 0.6, "shrinkA": 0,
                                    "shrinkB": 0, "mutation_scale": 12})
            ax.plot(*m["target"][:2], "o", ms=10, color=c, zorder=4)
            ax.annotate(m["toward"], m["target"][:2], xytext=(10, 0) if m["target"][0] >= m["target"][1] else (0, 10),
                        textcoords="offset points", ha="left" if m["target"][0] >= m["target"][1] else "center",
                        va="center" if m["target"][0] >= m["target"][1] else "bottom", fontsize=11.5)
            # the straight line from Apple to the context word, and how far along Apple goes
            ax.plot([start[0], m["target"][0]], [start[1], m["target"][1]], ls=":", color=c, lw=1.5)
            ax.annotate("", xy=m["new"][:2], xytext=start[:2],
                        arrowprops={"arrowstyle": "-|>", "color": c, "lw": 3, "shrinkA": 4, "shrinkB": 2,
                                    "mutation_scale": 16})
            ax.plot(*m["new"][:2], "o", ms=11, mfc=t["background"], mec=apple_color, mew=2.5, zorder=5)
            right = m["target"][0] >= m["target"][1]
            ax.annotate(f"{word} in \u201c{m['sentence']}\u201d", m["new"][:2],
                        xytext=(12, -4) if right else (12, 4), textcoords="offset points",
                        ha="left", va="top" if right else "bottom", fontsize=9.5)
            mid = [(a + b) / 2 for a, b in zip(start[:2], m["new"][:2], strict=True)]
            ax.annotate(fmt(m["share"], "pct"), mid, xytext=(-9, -9), textcoords="offset points", ha="right",
                        va="top", fontsize=10.5,
                        fontweight="bold", color=t["foreground"])
        ax.plot(*start[:2], "o", ms=12, color=apple_color, zorder=5)
        ax.annotate(word, start[:2], xytext=(10, 6), textcoords="offset points", ha="left", va="bottom",
                    fontsize=12, fontweight="bold")
        ax.text(0.99, 0.99, "filled: on its own    hollow: in context\nnumber: the share of the way it moves",
                transform=ax.transAxes, ha="right", va="top", fontsize=9, color=t["muted"])
        mpl.save(fig, out_dir, ID, theme)
