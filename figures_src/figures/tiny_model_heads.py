"""Every head of the trained model on the "tired" sentence: two layers, two heads each.

Each small matrix is one head's attention, read like the attention matrix of
the earlier pages: one row per word that looks (query), one column per word
looked at (key), darker = more weight; the outlined row is "it". Nobody chose
these weights: they come out of training. The heads of the first layer spread
their attention over several words; in the last layer "it" looks almost only
at the noun it refers to.
"""

from __future__ import annotations

from attention_ref import corpus_config, load_tiny_model
from attention_ref.corpus import parse_sentence
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "tiny-model-heads"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "After the counterfactual pair: ask which of the four heads would be worth reading and why the first layer "
    "looks blurred. It shows that heads of a trained model differ, and that only some of them read cleanly."
)


def head_key(layer: int, head: int) -> str:
    return f"l{layer}h{head}"


def data(examples) -> dict:
    config = corpus_config(examples)
    model = load_tiny_model()
    text = config.showcase[0]
    ex = parse_sentence(text, config)
    if ex is None:
        raise ValueError(f"showcase sentence {text!r} is made by no template of [corpus]")
    run = model.forward(text)
    ref = model.manifest["reference_head"]
    i = run.query_index
    heads = {}
    for layer in range(model.n_layers):
        for head in range(model.n_heads):
            row = run.attention[layer, head, i]  # (T,) from "it"
            best = int(row.argmax())
            heads[head_key(layer, head)] = {
                "layer": layer,
                "head": head,
                "weight_from_it": keyed(run.tokens, row),
                "top_word": run.tokens[best],
                "top_weight": float(row[best]),
                "to_referent": float(row[run.tokens.index(ex.referent)]),
            }
    results = model.manifest["results"]
    ref_key = head_key(int(ref["layer"]), int(ref["head"]))
    return {
        "sentence": text,
        "tokens": list(run.tokens),
        "keys": word_keys(run.tokens),
        "query_index": i,
        "referent": ex.referent,
        "n_layers": model.n_layers,
        "n_heads": model.n_heads,
        "d_model": model.d_model,
        "n_parameters": model.n_parameters,
        "manifest_n_parameters": int(model.manifest["n_parameters"]),
        "n_train": int(model.manifest["corpus"]["n_train"]),
        "n_heldout": int(model.manifest["corpus"]["n_heldout"]),
        "n_nouns": len(model.nouns),
        "heldout_accuracy": float(results["heldout_accuracy"]),
        "heldout_correct": int(results["heldout_correct"]),
        "prediction": run.prediction,
        "probability": run.probability,
        "reference_head": {"layer": int(ref["layer"]), "head": int(ref["head"]), "key": ref_key},
        "attention": run.attention.tolist(),  # (n_layers, n_heads, T, T)
        "heads": heads,
        "reference_to_referent": heads[ref_key]["to_referent"],
        "layer0_max_to_referent": max(h["to_referent"] for h in heads.values() if h["layer"] == 0),
        "layer0_max_from_it": max(h["top_weight"] for h in heads.values() if h["layer"] == 0),
    }


@claim("the reference head gives the referent more of the attention of “it” than any head of layer 0 does")
def reference_beats_layer_0(data):
    return data["reference_to_referent"] > data["layer0_max_to_referent"]


@claim("no head of layer 0 gives any single word half of the attention of “it”: the first layer spreads it")
def layer_0_spreads(data):
    return data["layer0_max_from_it"] < 0.5


@claim("both heads of the last layer send “it” to the referent, “animal”")
def last_layer_heads_agree(data):
    last = data["n_layers"] - 1
    return all(h["top_word"] == data["referent"] == "animal" for h in data["heads"].values() if h["layer"] == last)


@claim("the model names the right noun for every held-out sentence (training record)")
def heldout_all_right(data):
    return data["heldout_correct"] == data["n_heldout"] and data["heldout_accuracy"] == 1.0


@claim("the parameter count recorded at training matches the weights the site runs")
def parameters_match(data):
    return data["n_parameters"] == data["manifest_n_parameters"]


def panel_title(data, key: str) -> str:
    h = data["heads"][key]
    ref = " (reference)" if key == data["reference_head"]["key"] else ""
    arrow = f"\u201cit\u201d \u2192 {h['top_word']} {fmt(h['top_weight'], 'pct0')}"
    return f"layer {h['layer']}, head {h['head']}{ref}\n{arrow}"


def labels(data) -> list[str]:
    # The cells are too small for numbers: the panel titles carry the one number each head shows.
    return [fmt(h["top_weight"], "pct0") for h in data["heads"].values()]


def alt(data) -> str:
    parts = "; ".join(
        f"layer {h['layer']} head {h['head']}: \"it\" looks most at \"{h['top_word']}\" "
        f"({fmt(h['top_weight'], 'pct0')}), {fmt(h['to_referent'], 'pct0')} on \"{data['referent']}\""
        for h in data["heads"].values()
    )
    return (
        f"A {data['n_layers']} by {data['n_heads']} grid of small attention matrices, one per head of the trained "
        f"tiny model, for \"{data['sentence']}\": rows are the words that look, columns the words looked at, "
        f"darker cells more weight, the row of \"it\" outlined. {parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.figures._heatmap import heatmap, outline_cells
    from figures_src.kit import mpl, style

    toks, i = data["tokens"], data["query_index"]
    n_l, n_h = data["n_layers"], data["n_heads"]
    with mpl.themed(theme, ID) as t:
        fig, axes = plt.subplots(n_l, n_h, figsize=(style.FIG_WIDTH, 7.8), squeeze=False)
        for layer in range(n_l):
            for head in range(n_h):
                ax = axes[layer][head]
                key = head_key(layer, head)
                heatmap(
                    data["attention"][layer][head], toks, toks, ax, theme=t, label_size=10.5, rotation=60,
                    show_rows=head == 0, show_cols=layer == n_l - 1,
                )
                outline_cells(ax, [((i, 0), (i, len(toks) - 1))], t["highlight"], linewidth=1.8)
                is_ref = key == data["reference_head"]["key"]
                ax.set_title(panel_title(data, key), fontsize=11.5, fontweight="bold" if is_ref else "normal",
                             color=t["foreground"] if is_ref else t["muted"])
                for lab in ax.get_yticklabels():
                    if lab.get_text() == toks[i]:
                        lab.set_fontweight("bold")
        fig.tight_layout(w_pad=0.6, h_pad=1.0)
        mpl.save(fig, out_dir, ID, theme)
