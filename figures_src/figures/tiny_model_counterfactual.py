"""One word changed: the trained model's reference head, from "it", on "too tired" and on "too wide".

The tiny transformer was trained from scratch to name what "it" refers to;
these two sentences (the showcase pair of the examples file) were never in its
training data. Each row of bars is the attention of the reference head (a
head of the last layer, chosen by a rule over the held-out sentences) from
"it" to every word of one sentence. The sentences differ only in their last
word, yet the head moves almost all of its attention from one noun to the
other, and the model's answer follows.
"""

from __future__ import annotations

from attention_ref import corpus_config, load_tiny_model
from attention_ref.corpus import parse_sentence
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "tiny-model-counterfactual"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Show the top row, ask the class where the bars will go when only the last word changes to the second "
    "sentence's, then reveal the bottom row. It shows that a trained head reads the clue after \"it\", "
    "and that nobody wrote the weights by hand."
)


def data(examples) -> dict:
    config = corpus_config(examples)
    model = load_tiny_model()
    ref = model.manifest["reference_head"]
    layer, head = int(ref["layer"]), int(ref["head"])
    pair = []
    out: dict = {}
    for text in config.showcase[:2]:
        ex = parse_sentence(text, config)
        if ex is None:
            raise ValueError(f"showcase sentence {text!r} is made by no template of [corpus]")
        run = model.forward(text)
        row = run.attention[layer, head, run.query_index]  # (T,) the reference head's weights from "it"
        best = int(row.argmax())
        pair.append(ex.adjective)
        out[ex.adjective] = {
            "sentence": text,
            "tokens": list(run.tokens),
            "keys": word_keys(run.tokens),
            "query_index": run.query_index,
            "adjective": ex.adjective,
            "referent": ex.referent,
            "animal": ex.animal,
            "place": ex.place,
            "weights": row.tolist(),
            "weight": keyed(run.tokens, row),
            "top_word": run.tokens[best],
            "top_weight": float(row[best]),
            "prediction": run.prediction,
            "probability": run.probability,
        }
    first, second = (out[a] for a in pair)
    a, p = first["animal"], first["place"]
    pairs = {tuple(x) for x in model.manifest["corpus"]["heldout_pairs"]}
    return {
        "layer": layer,
        "head": head,
        "pair": pair,
        **out,
        # how much of the head's attention left the animal and reached the place when the word changed
        "moved_from_animal": first["weight"][a] - second["weight"][a],
        "moved_to_place": second["weight"][p] - first["weight"][p],
        "pair_held_out": (a, p) in pairs,
    }


@claim("the reference head sends “it” to “animal” when the sentence ends in “tired”")
def tired_points_to_animal(data):
    return data["tired"]["top_word"] == "animal"


@claim("the reference head sends “it” to “street” when the sentence ends in “wide”")
def wide_points_to_street(data):
    return data["wide"]["top_word"] == "street"


@claim("the model says “it” is the animal in the “tired” sentence")
def model_predicts_animal(data):
    return data["tired"]["prediction"] == "animal"


@claim("the model says “it” is the street in the “wide” sentence")
def model_predicts_street(data):
    return data["wide"]["prediction"] == "street"


@claim("changing “tired” to “wide” moves most of the head’s attention from “animal” to “street”")
def most_attention_moves(data):
    return data["moved_from_animal"] > 0.5 and data["moved_to_place"] > 0.5


@claim("the model never saw “animal” and “street” together in training (the pair is held out)")
def pair_was_held_out(data):
    return data["pair_held_out"] is True


def labels(data) -> list[str]:
    return [fmt(w, "pct") for a in data["pair"] for w in data[a]["weights"]] + [
        fmt(data[a]["probability"], "pct") for a in data["pair"]
    ]


def alt(data) -> str:
    parts = []
    for a in data["pair"]:
        d = data[a]
        bars = ", ".join(f"{t} {fmt(w, 'pct')}" for t, w in zip(d["tokens"], d["weights"], strict=True))
        parts.append(
            f"For \"{d['sentence']}\" it gives \"{d['top_word']}\" {fmt(d['top_weight'], 'pct')} and the model "
            f"answers \"{d['prediction']}\" with probability {fmt(d['probability'], 'pct')} (all bars: {bars})."
        )
    return (
        f"Two rows of bars: the attention from \"it\" of layer {data['layer']}, head {data['head']} of the "
        "trained tiny model, one bar per word. " + " ".join(parts)
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    with mpl.themed(theme, ID) as t:
        fig, axes = plt.subplots(2, 1, figsize=(style.FIG_WIDTH, 5.6))
        for ax, a in zip(axes, data["pair"], strict=True):
            d = data[a]
            toks, w = d["tokens"], d["weights"]
            xs = range(len(toks))
            colors = [style.token_color(tok) for tok in toks]
            ax.bar(xs, w, color=colors, width=0.72, edgecolor=t["background"])
            top = toks.index(d["top_word"])
            for x, v in zip(xs, w, strict=True):
                ax.text(x, v + 0.03, fmt(v, "pct"), ha="center", va="bottom", rotation=90 if v < 0.5 else 0,
                        fontsize=11 if x == top else 9.5, fontweight="bold" if x == top else "normal",
                        color=t["foreground"] if x == top else t["muted"])
            ax.set_xticks(list(xs), labels=toks, fontsize=11.5, rotation=30, ha="right", rotation_mode="anchor")
            for i, lab in enumerate(ax.get_xticklabels()):
                if i == d["query_index"] or toks[i] == d["adjective"]:
                    lab.set_fontweight("bold")
            ax.set_ylim(0, 1.22)
            ax.set_yticks([0, 0.5, 1], labels=[fmt(y, "pct0") for y in (0, 0.5, 1)], fontsize=10)
            ax.tick_params(axis="x", length=0)
            ax.set_title(
                f"\u201c\u2026 too {a}\u201d: the model says \u201c{d['prediction']}\u201d "
                f"({fmt(d['probability'], 'pct')})",
                fontsize=12.5, loc="left",
            )
        suptitle = fig.suptitle(
            f"Layer {data['layer']}, head {data['head']} (the reference head): attention from \u201cit\u201d",
            fontsize=13.5, fontweight="bold", x=0.02, ha="left",
        )
        fig.tight_layout(h_pad=1.4)
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, axes, suptitle))


def _narrow(fig, axes, suptitle) -> None:
    """The phone layout: narrower and taller, the words on their side, the heading on two lines, text
    sized for a 358 px column (the figure is shown about 1.4 px to the point there)."""
    fig.set_size_inches(3.6, 5.6)
    suptitle.set_text(suptitle.get_text().replace(": ", ":\n", 1))
    suptitle.set_fontsize(8.6)
    for ax in axes:
        ax.set_title(ax.get_title(loc="left"), loc="left", fontsize=8)
        for text in ax.texts:  # the weights over the bars; the top one stays larger and bold
            text.set_fontsize(8 if text.get_fontweight() == "bold" else 7)
            if text.get_rotation() == 90:  # upward from its point, in the anchor mode that wrapping forces
                text.set(rotation_mode="anchor", ha="left", va="center")
        # the words on their side, ending at their bar; aligned in the "anchor" rotation mode, which
        # matplotlib switches every wrapped text to (and the narrow render wraps every text)
        for label in ax.get_xticklabels():
            label.set(fontsize=8, rotation=90, rotation_mode="anchor", ha="right", va="center")
        ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout(h_pad=1.0)
