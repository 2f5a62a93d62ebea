"""Without positions, word order is invisible: "dog bites man" and "man bites dog" give each word the same output.

Self-attention compares every word with every word, and nothing in the
comparison says where a word stands. Shuffle the words and every score,
weight and output moves with its word and is otherwise unchanged. Left and
right: the outputs of self-attention for the two sentences, one row per word
in sentence order, on the three axes of the toy "roles" language (agent,
action, patient). The lines join the rows of the same word: the numbers are
identical, so the layer cannot tell who bit whom.
"""

from __future__ import annotations

import numpy as np

from figures_src.kit.claims import claim
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "permutation-dog-man"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'The hook for positional encoding: ask whether self-attention can tell "dog bites man" from "man bites '
    'dog", let students vote, then show the identical outputs. It corrects the widespread assumption that '
    "attention knows word order."
)
SENTENCES = ("dog_bites_man", "man_bites_dog")


def data(examples) -> dict:
    out = {"sentences": [], "axes": None}
    by_word = {}
    for name in SENTENCES:
        s, att = attend(examples, name)
        out["axes"] = list(s.language.axes)
        out["sentences"].append(
            {
                "name": name,
                "text": s.text,
                "tokens": list(s.tokens),
                "weights": att.weights.tolist(),
                "output": att.output.tolist(),
                "output_by_word": {t.lower(): row.tolist() for t, row in zip(s.tokens, att.output, strict=False)},
                "dog_weights": keyed(s.tokens, att.weights[s.index("dog")]),
            }
        )
        by_word[name] = {t.lower(): row for t, row in zip(s.tokens, att.output, strict=False)}
    a, b = (by_word[n] for n in SENTENCES)
    out["same_output_per_word"] = bool(set(a) == set(b) and all(np.allclose(a[w], b[w], rtol=0, atol=1e-12) for w in a))
    out["dog_output"] = dict(zip(out["axes"], (float(v) for v in a["dog"]), strict=False))
    return out


@claim("without positions every word comes out of self-attention as the same vector in “dog bites man” and in "
       "“man bites dog”")
def same_output_per_word(data):
    return data["same_output_per_word"]


@claim("without positions “dog” gives each word the same weight in both sentences")
def dog_same_weights(data):
    a, b = (s["dog_weights"] for s in data["sentences"])
    return set(a) == set(b) and all(abs(a[w] - b[w]) < 1e-12 for w in a)


def labels(data) -> list[str]:
    return [fmt(v, "f2") for s in data["sentences"] for row in s["output"] for v in row]


def alt(data) -> str:
    a, b = data["sentences"]
    rows = "; ".join(
        f"{w}: "
        + ", ".join(f"{ax} {fmt(v, 'f2')}" for ax, v in zip(data["axes"], a["output_by_word"][w], strict=False))
        for w in sorted(a["output_by_word"])
    )
    same = "identical" if data["same_output_per_word"] else "different"
    return (
        f'Two 3 by 3 tables of self-attention outputs, "{a["text"]}" on the left and "{b["text"]}" on the '
        f"right, one row per word and one column per axis ({', '.join(data['axes'])}). Lines join the rows of the "
        f"same word, whose numbers are {same} in both sentences: {rows}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import ConnectionPatch

    from figures_src.figures._heatmap import annotate, heatmap
    from figures_src.kit import mpl, style

    a, b = data["sentences"]
    vmax = max(max(max(r) for r in s["output"]) for s in (a, b))
    with mpl.themed(theme, ID) as t:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, 3.5), gridspec_kw={"wspace": 0.95})
        for ax, s in ((ax1, a), (ax2, b)):
            im = heatmap(
                s["output"],
                s["tokens"],
                data["axes"],
                ax,
                theme=t,
                vmin=0.0,
                vmax=vmax,
                label_size=11,
                rotation=0,
                top_labels=True,
            )
            for lab in ax.get_xticklabels():
                lab.set_ha("center")
            annotate(im, s["output"], "f2", fontsize=11)
            for tick in ax.yaxis.get_major_ticks():  # each word as a chip in its colour, on either side
                for lab in (tick.label1, tick.label2):
                    color = style.token_color(lab.get_text())
                    lab.set_color(style.text_on(color))
                    lab.set_fontweight("bold")
                    lab.set_bbox({"boxstyle": "round,pad=0.25", "facecolor": color, "edgecolor": "none"})
            ax.set_xlabel(f"\u201c{s['text']}\u201d", fontsize=12, color=t["foreground"], labelpad=8)
        ax2.yaxis.tick_right()
        ax2.tick_params(axis="y", length=0, pad=4)
        for i, word in enumerate(a["tokens"]):
            j = [w.lower() for w in b["tokens"]].index(word.lower())
            color = style.token_color(word)
            ax2.add_artist(
                ConnectionPatch(
                    xyA=(2.5, i),
                    coordsA=ax1.transData,
                    xyB=(-0.5, j),
                    coordsB=ax2.transData,
                    color=color,
                    lw=2.2,
                    alpha=0.9,
                )
            )
        fig.text(
            0.5,
            0.5,
            "same\nnumbers",
            ha="center",
            va="center",
            fontsize=9.5,
            color=t["muted"],
            bbox={"boxstyle": "round,pad=0.3", "facecolor": t["background"], "edgecolor": "none"},
        )
        mpl.save(fig, out_dir, ID, theme)
