"""The causal mask: each word may look only at itself and the words before it.

Left: the mask of a decoder-only model such as GPT, one row per word that
looks and one column per word it might look at. It is added to the scaled
scores: 0 where looking is allowed (the diagonal and below), minus infinity
where it is not (above the diagonal, the future). Right: the attention
weights of "The cat sat on the mat" with the mask, computed by the same
attention as before with causal=True. Every blocked cell gets weight exactly
0 (left blank), and each row's weight is shared out among the words it may
see, so the first word can only attend to itself.
"""

from __future__ import annotations

import numpy as np

from attention_ref import self_attention
from figures_src.kit.claims import claim
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "causal-mask"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it when moving from the encoder to GPT-style decoders: ask why the first word can only attend to "
    "itself, and what would go wrong in training if a word could see the future. It corrects the idea that "
    "masking deletes words: blocked weights are exactly zero and each row's weight is shared among the "
    "visible words."
)
SENTENCE = "cat"


def data(examples) -> dict:
    s = examples.sentence(SENTENCE)
    lang = s.language
    full = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v)
    causal = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v, causal=True)
    keys = word_keys(s.tokens)
    w = causal.weights  # (T, T), zero above the diagonal
    i = s.focus_index
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "T": len(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "mask": causal.mask.tolist(),  # True = may attend
        "weights": w.tolist(),
        "weight": {q: keyed(s.tokens, row) for q, row in zip(keys, w, strict=False)},
        "unmasked_weight": {q: keyed(s.tokens, row) for q, row in zip(keys, full.weights, strict=False)},
        "n_allowed": int(causal.mask.sum()),
        "n_blocked": int((~causal.mask).sum()),
        "above_diagonal_max": float(np.triu(w, k=1).max()),
    }


# What the masking page says the mask does to the rows, checked on every build.


def _visible(data, q):
    """The words query `q` may see under the causal mask (itself and the words before it)."""
    keys = list(data["weight"])
    return keys[: keys.index(q) + 1]


@claim("every blocked pair (a key after the query) gets weight exactly zero")
def blocked_pairs_get_zero(data):
    return data["above_diagonal_max"] == 0.0 and data["n_blocked"] > 0


@claim("the first word sees only itself, so it gives itself all of its attention")
def first_word_gives_itself_everything(data):
    first = next(iter(data["weight"]))
    return abs(data["weight"][first][first] - 1.0) < 1e-12


@claim("“sat” gives “mat” a share without the mask and nothing with it: “mat” is in its future")
def sat_loses_mat(data):
    return data["unmasked_weight"]["sat"]["mat"] > 0 and data["weight"]["sat"]["mat"] == 0.0


@claim("in the row of “sat”, the words it can still see (“The”, “cat” and itself) all grow by the same factor, "
       "so they keep their proportions; “The” and “sat” get equal shares before and after")
def sat_visible_words_grow_by_one_factor(data):
    w, u = data["weight"]["sat"], data["unmasked_weight"]["sat"]
    seen = _visible(data, "sat")
    factors = [w[k] / u[k] for k in seen]
    return (seen == ["the", "cat", "sat"] and min(factors) > 1 and max(factors) - min(factors) < 1e-9
            and abs(w["the"] - w["sat"]) < 1e-12 and abs(u["the"] - u["sat"]) < 1e-12)


@claim("the last word, “mat”, sees the whole sentence, and its row is the same with or without the mask")
def last_row_unchanged(data):
    last = list(data["weight"])[-1]
    w, u = data["weight"][last], data["unmasked_weight"][last]
    return last == "mat" and all(abs(w[k] - u[k]) < 1e-12 for k in w)


@claim("with the mask, every word “on” can see gets a larger share of its attention than without, “cat” among them")
def on_visible_words_grow(data):
    w, u = data["weight"]["on"], data["unmasked_weight"]["on"]
    seen = _visible(data, "on")
    return "cat" in seen and all(w[k] > u[k] for k in seen)


def _mask_text(allowed: bool) -> str:
    return fmt(0, "int") if allowed else fmt(float("-inf"), "int")


def labels(data) -> list[str]:
    mask_texts = [_mask_text(a) for row in data["mask"] for a in row]
    weights = [
        fmt(v, "pct0")
        for row, mrow in zip(data["weights"], data["mask"], strict=False)
        for v, a in zip(row, mrow, strict=False)
        if a
    ]
    return mask_texts + weights


def alt(data) -> str:
    toks, w = data["tokens"], data["weights"]
    rows = "; ".join(
        f"{toks[r]}: " + ", ".join(f"{toks[c]} {fmt(w[r][c], 'pct0')}" for c in range(r + 1)) for r in range(len(toks))
    )
    return (
        f'Left: a {data["T"]} by {data["T"]} causal mask for "{data["sentence"]}", 0 on and below the diagonal '
        f"and minus infinity above it. Right: the attention weights with this mask; every cell above the diagonal "
        f"is 0 and each row shares its weight among the words up to itself. Rows: {rows}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap

    from figures_src.figures._heatmap import annotate, heatmap
    from figures_src.kit import mpl, style

    toks = data["tokens"]
    mask = np.asarray(data["mask"], dtype=bool)
    with mpl.themed(theme, ID) as t:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, 4.2), gridspec_kw={"wspace": 0.08})
        # Left: the mask as it is added to the scores.
        two = ListedColormap([t["grid"], t["accent"]])
        im1 = heatmap(
            mask.astype(float), toks, toks, ax1, theme=t, cmap=two, label_size=10.5, top_labels=True, rotation=45
        )
        for r in range(len(toks)):
            for c in range(len(toks)):
                allowed = bool(mask[r, c])
                ax1.text(
                    c,
                    r,
                    _mask_text(allowed),
                    ha="center",
                    va="center",
                    fontsize=10.5,
                    color=style.text_on(t["accent"]) if allowed else t["muted"],
                )
        ax1.set_title("mask added to the scores", fontsize=11.5, color=t["foreground"], pad=8, y=-0.13)
        del im1

        # Right: the weights with the mask; blocked cells blank.
        w = np.asarray(data["weights"])
        im2 = heatmap(w, toks, toks, ax2, theme=t, label_size=10.5, top_labels=True, rotation=45, show_rows=False)
        annotate(im2, w, "pct0", fontsize=10, skip=lambda r, c, v: not mask[r, c])
        for r in range(len(toks)):
            for c in range(len(toks)):
                if not mask[r, c]:
                    ax2.add_patch(
                        plt.Rectangle(
                            (c - 0.5, r - 0.5),
                            1,
                            1,
                            facecolor=t["background"],
                            edgecolor=t["grid"],
                            hatch="///",
                            lw=0,
                            zorder=2,
                        )
                    )
        ax2.set_title("weights with the causal mask", fontsize=11.5, color=t["foreground"], pad=8, y=-0.13)
        mpl.save(fig, out_dir, ID, theme)
