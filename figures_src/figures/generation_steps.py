"""Generating one word at a time: at each step the new word reads itself and the cached words before it.

The hand-made model of the walk-through reads "The cat sat on the mat" the way
a decoder reads what it writes: one word per step. Row t is step t: the new
word's query reads the keys of every word so far, row t of the causal mask.
The keys and values of the earlier words come from the KV cache (filled
cells); only the new word's own query, key and value are computed at that
step (outlined cell, "new"). The numbers are its attention weights, computed
by `attention_ref.decode_step` with a cache; they equal the rows of causal
self-attention over the whole sentence. The words to the right of each row
are not written yet.
"""

from __future__ import annotations

import numpy as np

from attention_ref import ExampleError, decode, sample_index, self_attention, softmax_with_temperature, uniform_draws
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "generation-steps"
KIND = "matplotlib"
LECTURE = (
    "Use it when moving from training to generation: ask what the new word at step 4 may read, and which of "
    "those keys had to be computed at that step. It corrects the idea that a decoder recomputes the whole "
    "sentence for every word: only the new row is computed, the rest is read from the cache."
)


def data(examples) -> dict:
    dec = examples.decoding
    if dec is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [decoding] table (see attention_ref/examples.toml)")
    s = examples.sentence(dec.sentence)
    lang = s.language
    steps = decode(s.x, lang.w_q, lang.w_k, lang.w_v)
    full = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v, causal=True)
    tokens = list(s.tokens)
    keys = word_keys(tokens)
    t_len = len(tokens)
    weights = np.zeros((t_len, t_len))
    for st in steps:
        weights[st.position, : st.position + 1] = st.weights
    p_next = softmax_with_temperature(dec.logits, 1.0)  # the widget chooses at temperature 1
    greedy = int(np.argmax(p_next))
    u = float(uniform_draws(dec.seed, 1)[0])  # the widget's first draw for the seed it shows
    sampled = sample_index(p_next, u)
    return {
        "sentence": s.text,
        "tokens": tokens,
        "T": t_len,
        "prompt_length": dec.prompt_length,
        "prompt": " ".join(tokens[: dec.prompt_length]),
        "steps": [
            {
                "position": st.position,
                "step": st.position + 1,
                "token": tokens[st.position],
                "keys": tokens[: st.position + 1],
                "n_keys": st.position + 1,
                "n_cached": st.n_cached,
                "weights": st.weights.tolist(),
                "top_key": tokens[int(np.argmax(st.weights))],
                "output": st.output.tolist(),
            }
            for st in steps
        ],
        "weights": weights.tolist(),
        "weight": {keys[st.position]: keyed(tokens[: st.position + 1], st.weights) for st in steps},
        "mask": full.mask.tolist(),
        "causal_weights": full.weights.tolist(),
        # what the widget under the figure recomputes (decoding.js), and what it may choose next
        "x": s.x.tolist(),
        "w_q": lang.w_q.tolist(),
        "w_k": lang.w_k.tolist(),
        "w_v": lang.w_v.tolist(),
        "next": {
            "candidates": list(dec.candidates),
            "logits": dec.logits.tolist(),
            "seed": dec.seed,
            "greedy": dec.candidates[greedy],
            "p": keyed(dec.candidates, p_next),
            "u": u,
            "sampled": dec.candidates[sampled],
            "vectors": [lang.vocabulary[c].tolist() for c in dec.candidates],
        },
        # the checks: the cached decode against causal self-attention over the whole sentence
        "max_output_difference": float(max(np.abs(st.output - full.output[st.position]).max() for st in steps)),
        "max_weight_difference": float(
            max(np.abs(st.weights - full.weights[st.position, : st.position + 1]).max() for st in steps)
        ),
        "max_cached_key_difference": float(np.abs(steps[-1].cache.k - full.k).max()),
        "cache_rows": [len(st.cache) for st in steps],
        "last_step": {"token": tokens[-1], "n_keys": t_len, "n_cached": t_len - 1},
    }


@claim("at every step the new word reads exactly the keys of row t of the causal mask: itself and the words before it")
def reads_row_t_of_the_mask(data):
    return all(
        [bool(a) for a in data["mask"][st["position"]]] == [j <= st["position"] for j in range(data["T"])]
        and st["n_keys"] == st["position"] + 1 == len(st["weights"])
        for st in data["steps"]
    )


@claim("decoding one word at a time with a KV cache gives the same weights and outputs as causal attention over "
       "the whole sentence (to 1e-12)")
def cached_decode_equals_causal_attention(data):
    return data["max_output_difference"] <= 1e-12 and data["max_weight_difference"] <= 1e-12


@claim("the cache grows by one row (one key and one value) per step, and the keys it keeps are the keys of the "
       "whole sentence: a word's key never changes once computed")
def cache_grows_by_one_row(data):
    return data["cache_rows"] == list(range(1, data["T"] + 1)) and data["max_cached_key_difference"] == 0.0


@claim("at every step all keys but one come from the cache: only the new word's own key is computed")
def all_but_one_key_cached(data):
    return all(st["n_cached"] == st["n_keys"] - 1 for st in data["steps"])


@claim("the first word has nothing cached and reads only itself")
def first_word_reads_itself(data):
    first = data["steps"][0]
    return first["n_cached"] == 0 and first["weights"] == [1.0]


@claim("after the prompt, the most likely next word of the hand-made scores is the sentence's own next word")
def greedy_is_the_next_word(data):
    return data["next"]["greedy"] == data["tokens"][data["prompt_length"]].lower()


@claim("with the seed the widget shows, sampling writes another word than greedy decoding does")
def seed_shown_samples_another_word(data):
    return data["next"]["sampled"] != data["next"]["greedy"]


def labels(data) -> list[str]:
    return [fmt(w, "pct0") for st in data["steps"] for w in st["weights"]] + ["new"]


def alt(data) -> str:
    rows = "; ".join(
        f"step {st['step']}, {st['token']}: reads "
        + ", ".join(f"{k} {fmt(w, 'pct0')}" for k, w in zip(st["keys"], st["weights"], strict=True))
        for st in data["steps"]
    )
    return (
        f'A staircase grid of the {data["T"]} steps of reading "{data["sentence"]}" one word at a time. Row t is '
        f"step t: its cells are the keys the new word reads, the cached earlier words and its own key, marked "
        f"new; the cells to its right are words not yet written. Weights: {rows}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from figures_src.figures._heatmap import annotate, heatmap, outline_cells
    from figures_src.kit import mpl

    toks = data["tokens"]
    n = data["T"]
    w = np.asarray(data["weights"])
    future = ~np.asarray(data["mask"], dtype=bool)
    rows = [f"step {st['step']}: {st['token']}" for st in data["steps"]]
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(6.4, 4.6))
        im = heatmap(w, rows, toks, ax, theme=t, label_size=10.5, top_labels=True, rotation=45,
                     xlabel="keys it reads (cached, then its own)")
        annotate(im, w, "pct0", fontsize=10, skip=lambda r, c, v: bool(future[r, c]))
        for r in range(n):
            for c in range(r + 1, n):  # not written yet
                ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=t["background"], edgecolor=t["grid"],
                                       hatch="///", lw=0, zorder=2))
        outline_cells(ax, [(r, r) for r in range(n)], t["highlight"], linewidth=2.4)
        ax.text(n - 1 + 0.62, n - 1, "new", ha="left", va="center", fontsize=10, color=t["highlight"],
                fontweight="bold")
        ax.set_xlim(-0.5, n + 0.4)
        mpl.save(fig, out_dir, ID, theme)
