"""Where the trained model is least sure: the held-out sentences with the lowest probability for the right noun.

The model is run on every held-out sentence of the corpus (animal-place pairs
it never saw together in training). The table lists the five sentences where
it gives the right noun the lowest probability, whether or not it still names
it, and, below them, the sentence where the reference head looks least at the
right noun. The last column is that head's weight from "it" on the right noun:
a head can look elsewhere while the model still answers correctly, because
the other head and the layers after attention carry information too.
"""

from __future__ import annotations

from attention_ref import generate_corpus, load_tiny_model
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "tiny-model-failures"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it to end the trained-model section with doubt: ask what the least sure sentences have in common, "
    "then look at the last row, where the reference head barely looks at the answer and the model is still "
    "right. It corrects the idea that an attention weight explains a decision."
)
N_SHOWN = 5


def _row(example, run, layer: int, head: int) -> dict:
    right = run.nouns.index(example.referent)
    return {
        "sentence": example.text,
        "tokens": list(run.tokens),
        "query_index": run.query_index,
        "referent": example.referent,
        "side": example.side,
        "adjective": example.adjective,
        "prediction": run.prediction,
        "probability": run.probability,
        "p_referent": float(run.probabilities[right]),
        "correct": run.prediction == example.referent,
        "head_to_referent": float(run.attention[layer, head, run.query_index, run.tokens.index(example.referent)]),
    }


def data(examples) -> dict:
    model = load_tiny_model()
    corpus = generate_corpus(examples)
    ref = model.manifest["reference_head"]
    layer, head = int(ref["layer"]), int(ref["head"])
    rows, seen = [], set()
    for ex in corpus.heldout:
        if ex.text in seen:  # the generator can draw the same sentence twice
            continue
        seen.add(ex.text)
        rows.append(_row(ex, model.forward(ex.text), layer, head))
    by_confidence = sorted(rows, key=lambda r: (r["p_referent"], r["sentence"]))
    weakest_head = min(rows, key=lambda r: (r["head_to_referent"], r["sentence"]))
    wrong = [r for r in rows if not r["correct"]]
    return {
        "layer": layer,
        "head": head,
        "n_heldout": len(corpus.heldout),
        "n_distinct": len(rows),
        "n_correct": sum(r["correct"] for r in rows),
        "n_wrong": len(wrong),
        "accuracy": sum(r["correct"] for r in rows) / len(rows),
        "wrong": wrong,
        "least_sure": by_confidence[:N_SHOWN],
        "lowest_p_referent": by_confidence[0]["p_referent"],
        "weakest_head": weakest_head,
        "mean_head_to_referent": sum(r["head_to_referent"] for r in rows) / len(rows),
    }


@claim("the model names the right noun for every distinct held-out sentence")
def right_on_every_heldout(data):
    return data["n_wrong"] == 0


@claim("even where it is least sure, the model gives the right noun nearly all of its probability (over 90%)")
def least_sure_still_sure(data):
    return data["lowest_p_referent"] > 0.9


@claim("the five least sure held-out sentences all have an animal as the referent")
def least_sure_are_animals(data):
    return all(r["side"] == "animal" for r in data["least_sure"])


@claim("on one held-out sentence the reference head gives the right noun less than half of the attention of “it”, "
       "and the model is still right")
def head_can_look_away(data):
    w = data["weakest_head"]
    return w["head_to_referent"] < 0.5 and w["correct"]


def _lines(r) -> tuple[str, str]:
    """The sentence in two lines: up to the word before "it", then the clause of "it"."""
    toks, i = r["tokens"], r["query_index"]
    return " ".join(toks[: i - 1]), " ".join(toks[i - 1 :])


def labels(data) -> list[str]:
    rows = [*data["least_sure"], data["weakest_head"]]
    return [fmt(r["p_referent"], "pct") for r in rows] + [fmt(r["head_to_referent"], "pct0") for r in rows]


def alt(data) -> str:
    rows = "; ".join(
        f"\"{r['sentence']}\": right noun {r['referent']}, the model says {r['prediction']}, "
        f"{fmt(r['p_referent'], 'pct')} for {r['referent']}, head weight {fmt(r['head_to_referent'], 'pct0')}"
        for r in data["least_sure"]
    )
    w = data["weakest_head"]
    return (
        f"A table of the {len(data['least_sure'])} held-out sentences where the trained model gives the right noun "
        f"the lowest probability ({data['n_correct']} of {data['n_distinct']} distinct held-out sentences right): "
        f"{rows}. Last row, where layer {data['layer']} head {data['head']} looks least at the right noun: "
        f"\"{w['sentence']}\", {fmt(w['head_to_referent'], 'pct0')} on {w['referent']}, and the model still says "
        f"{w['prediction']} ({fmt(w['p_referent'], 'pct')})."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    rows = data["least_sure"]
    extra = data["weakest_head"]
    n = len(rows) + 1
    row_h = 0.62
    with mpl.themed(theme, ID) as t:
        height = 0.85 + row_h * n + 0.4
        fig = plt.figure(figsize=(style.FIG_WIDTH, height))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        ax.set_xlim(0, style.FIG_WIDTH)
        ax.set_ylim(-height, 0)
        cols = (0.08, 4.35, 5.5, 6.55)  # sentence | says | p(right) | head
        heads = ("held-out sentence", "model\nsays", "p(right\nnoun)", "head on\nright noun")
        for x, h in zip(cols, heads, strict=True):
            ax.text(x, -0.2, h, va="top", ha="left" if x == cols[0] else "center", fontsize=10.5, color=t["muted"],
                    fontweight="bold")
        y = -0.8

        def draw(r, y):
            first, second = _lines(r)
            ax.text(cols[0], y, first, va="top", fontsize=11)
            ax.text(cols[0] + 0.25, y - 0.25, second, va="top", fontsize=11)
            ok = r["correct"]
            ax.text(cols[1], y - 0.1, r["prediction"] + ("" if ok else " \u2717"), va="top", ha="center",
                    fontsize=11, fontweight="bold", color=t["foreground"] if ok else t["highlight"])
            ax.text(cols[2], y - 0.1, fmt(r["p_referent"], "pct"), va="top", ha="center", fontsize=11)
            ax.text(cols[3], y - 0.1, fmt(r["head_to_referent"], "pct0"), va="top", ha="center", fontsize=11)

        for r in rows:
            draw(r, y)
            y -= row_h
        ax.plot([0.08, style.FIG_WIDTH - 0.08], [y + 0.08, y + 0.08], color=t["grid"], lw=1)
        ax.text(cols[0], y - 0.02, "where the reference head looks least at the right noun:", va="top", fontsize=10,
                color=t["muted"], style="italic")
        draw(extra, y - 0.3)
        mpl.save(fig, out_dir, ID, theme)
