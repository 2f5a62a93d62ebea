"""The padding mask: sentences of different lengths share a batch, and the padding must get no attention.

Top: a batch of two sentences. A batch is one array, so the shorter sentence
is filled up to the length of the longer one with <pad> tokens (here zero
vectors). Bottom: the attention weights of the short sentence's real words
over all the positions of its row of the batch. Left, without a mask: a pad
is a vector like any other, so it takes a share of every word's attention.
Right, with the padding mask, which blocks the pad columns (the key
positions) of that sentence only: the pads get exactly 0, and the real words'
weights are the very same as when the sentence is run alone, without padding.
Weights are written in percent (47 means 47%). The pads' own rows are
computed too, but nothing reads them.
"""

from __future__ import annotations

import numpy as np

from attention_ref import self_attention
from figures_src.kit.claims import claim
from figures_src.kit.common import attend, keyed, word_keys
from figures_src.kit.formats import fmt

ID = "padding-mask"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it when students first batch sentences of different lengths: ask what the pads would do without a "
    "mask. The figure shows that with the mask the short sentence's weights are exactly those it gets when "
    "run alone, which is the whole point of the padding mask."
)
BATCH = ("cat", "cat_tired")  # a short and a long sentence of the same language
PAD = "<pad>"


def data(examples) -> dict:
    sents = [examples.sentence(name) for name in BATCH]
    lang = sents[0].language
    length = max(len(s.tokens) for s in sents)
    # The padded batch: each sentence's vectors, then zero vectors up to `length` (padding is data, not math).
    x = np.zeros((len(sents), length, lang.d_model))  # (B, T, d_model)
    valid = np.zeros((len(sents), length), dtype=bool)  # (B, T) True = a real token
    for b, s in enumerate(sents):
        x[b, : len(s.tokens)] = s.x
        valid[b, : len(s.tokens)] = True
    masked = self_attention(x, lang.w_q, lang.w_k, lang.w_v, mask=valid[:, None, :])  # mask the pad keys
    plain = self_attention(x, lang.w_q, lang.w_k, lang.w_v)
    short = min(range(len(sents)), key=lambda b: len(sents[b].tokens))
    n = len(sents[short].tokens)
    _, alone = attend(examples, BATCH[short])
    # The short sentence with one pad more (as beside a longer neighbour), without a mask.
    s_short = sents[short]
    x_more = np.zeros((length + 1, lang.d_model))  # (T + 1, d_model): zero vectors after the words
    x_more[: len(s_short.tokens)] = s_short.x
    more = self_attention(x_more, lang.w_q, lang.w_k, lang.w_v)
    tokens = [list(s.tokens) + [PAD] * (length - len(s.tokens)) for s in sents]
    keys = word_keys(sents[short].tokens)
    focus = sents[short].focus_index
    return {
        "batch": [s.text for s in sents],
        "tokens": tokens,
        "length": length,
        "valid": valid.tolist(),
        "short": short,
        "short_sentence": sents[short].text,
        "n_real": n,
        "n_pad": length - n,
        "focus": sents[short].tokens[focus],
        "focus_index": focus,
        # the short sentence's row of the batch, pads included: what the masking widget recomputes from
        # (docs/assets/javascripts/widgets/mask-toggle.js, with attention.js's scaledDotProductAttention)
        "q": plain.q[short].tolist(),  # (length, d_k)
        "k": plain.k[short].tolist(),
        "v": plain.v[short].tolist(),
        "weights_masked": masked.weights[short, :n].tolist(),  # (n, length) the real words' rows
        "weights_unmasked": plain.weights[short, :n].tolist(),
        "pad_share_unmasked": keyed(sents[short].tokens, plain.weights[short, :n, n:].sum(axis=-1)),
        "pad_share_masked": keyed(sents[short].tokens, masked.weights[short, :n, n:].sum(axis=-1)),
        "pad_share_one_more_pad": keyed(sents[short].tokens, more.weights[:n, n:].sum(axis=-1)),
        "weight_masked": {
            q: keyed(sents[short].tokens, row[:n]) for q, row in zip(keys, masked.weights[short, :n], strict=False)
        },
        "weight_alone": {q: keyed(sents[short].tokens, row) for q, row in zip(keys, alone.weights, strict=False)},
        "same_as_alone": bool(np.allclose(masked.weights[short, :n, :n], alone.weights, rtol=0, atol=1e-12)),
        "long_unchanged": bool(np.allclose(masked.weights[1 - short], plain.weights[1 - short], rtol=0, atol=1e-12))
        if len(sents) == 2
        else None,
    }


# What the masking page says the pads do, with and without the mask, checked on every build.


@claim("without a mask the pads take a share of every real word's attention")
def pads_take_a_share(data):
    return all(v > 0 for v in data["pad_share_unmasked"].values())


@claim("with one more pad, as beside a longer neighbour, the pads would take more of every real word's attention")
def more_pads_take_more(data):
    more, now = data["pad_share_one_more_pad"], data["pad_share_unmasked"]
    return all(more[k] > now[k] for k in now)


@claim("with the padding mask the pads get no attention at all")
def masked_pads_get_nothing(data):
    return all(v == 0.0 for v in data["pad_share_masked"].values())


@claim("with the padding mask every real word's weights are exactly those of the sentence run alone")
def masked_weights_same_as_alone(data):
    return data["same_as_alone"] is True


def _cell(v: float) -> str:
    """A weight as whole percent without the sign ("47"), so that it fits in a small cell."""
    return fmt(100 * v, "int")


def labels(data) -> list[str]:
    n = data["n_real"]
    unmasked = [_cell(v) for row in data["weights_unmasked"] for v in row]
    masked = [_cell(v) for row in data["weights_masked"] for v in row[:n]]
    return unmasked + masked


def alt(data) -> str:
    short_toks = data["tokens"][data["short"]]
    n = data["n_real"]
    share = data["pad_share_unmasked"]  # keyed by word; look up in sentence order
    shares = ", ".join(
        f"{t} {fmt(share[k], 'pct0')}" for t, k in zip(short_toks[:n], word_keys(short_toks[:n]), strict=False)
    )
    return (
        f'Top: a batch of two sentences, "{data["batch"][0]}" and "{data["batch"][1]}", the shorter filled '
        f"with {data['n_pad']} pad tokens to length {data['length']}. Bottom left: without a mask the real words of "
        f'"{data["short_sentence"]}" give part of their attention to the pads (total per word: {shares}). '
        f"Bottom right: with the padding mask the pad columns get 0% and the real words' weights equal those of "
        f"the sentence alone."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    from figures_src.figures._heatmap import cell_text_color, heatmap
    from figures_src.kit import mpl, style

    length, n, short = data["length"], data["n_real"], data["short"]
    col_labels = data["tokens"][short]
    rows = col_labels[:n]
    with mpl.themed(theme, ID) as t:
        fig = plt.figure(figsize=(style.FIG_WIDTH, 4.3))
        grid = fig.add_gridspec(2, 2, height_ratios=(0.55, 2.0), hspace=0.02, wspace=0.05)
        top = fig.add_subplot(grid[0, :])
        top.set_xlim(-0.6, length - 0.4)
        top.set_ylim(-0.6, len(data["tokens"]) - 0.4)
        top.invert_yaxis()
        top.axis("off")
        for b, toks in enumerate(data["tokens"]):
            for j, word in enumerate(toks):
                pad = word == "<pad>"
                color = t["grid"] if pad else style.token_color(word)
                top.text(
                    j,
                    b,
                    word,
                    ha="center",
                    va="center",
                    fontsize=9.5,
                    fontweight="normal" if pad else "bold",
                    color=t["muted"] if pad else style.text_on(color),
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": color, "edgecolor": "none"},
                )
        top.set_title(
            "a batch of two sentences, the shorter one padded", fontsize=11, loc="left", color=t["foreground"]
        )

        for k, (key, title) in enumerate(
            (("weights_unmasked", "no mask: the pads take a share"), ("weights_masked", "padding mask: the pads get 0"))
        ):
            ax = fig.add_subplot(grid[1, k])
            w = np.asarray(data[key])
            im = heatmap(w, rows, col_labels, ax, theme=t, label_size=9.5, rotation=60, show_rows=k == 0)
            blocked = key == "weights_masked"
            for r, row_w in enumerate(w):
                for c, v in enumerate(row_w):
                    if not (blocked and c >= n):
                        ax.text(c, r, _cell(v), ha="center", va="center", fontsize=9, color=cell_text_color(im, v))
            if blocked:
                for c in range(n, length):
                    ax.add_patch(
                        plt.Rectangle(
                            (c - 0.5, -0.5),
                            1,
                            n,
                            facecolor=t["background"],
                            edgecolor=t["grid"],
                            hatch="///",
                            lw=0,
                            zorder=2,
                        )
                    )
            ax.set_title(title, fontsize=10.5, color=t["foreground"], pad=6)
        mpl.save(fig, out_dir, ID, theme)
