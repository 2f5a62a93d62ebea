"""With positions, word order shows: "dog" attends differently in "dog bites man" and "man bites dog".

The attention weights of the word "dog" over the three words, in both
sentences. Left, without positions: the bars of the two sentences are equal
word by word, because self-attention sees only which words are present.
Right, with positions: each word's vector gets extra columns of its own, the
sinusoidal positional encoding of its place (the meaning axes agent, action
and patient are left as they are), and W_Q and W_K get a hand-built block
that reads them, so that a word's query favours the words before it. "dog"
at the start of a sentence and "dog" at its end are now different vectors,
so their queries and keys differ and so do the weights and the output. The
layer can now tell the two sentences apart.
"""

from __future__ import annotations

import numpy as np

from attention_ref import self_attention, sinusoidal_positional_encoding
from figures_src.kit.claims import claim, top
from figures_src.kit.common import keyed
from figures_src.kit.formats import fmt

ID = "positions-change-weights"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it to close the positional-encoding argument: the same two sentences, now with positions added, give "
    '"dog" different weights. Ask students what changed in the computation (X got position columns, and W_Q '
    "and W_K a block that reads them) and why that is enough."
)
SENTENCES = ("dog_bites_man", "man_bites_dog")
WORD = "dog"


def _layer(lang, cfg, n_pos: int):
    """The roles layer widened by the position block of the examples file: W_Q and W_K block-diagonal
    (meaning block, position block), W_V with zero rows for the position columns."""
    bq = np.asarray(cfg["w_q_position"], dtype=float)  # (n_pos, n_pos)
    bk = np.asarray(cfg["w_k_position"], dtype=float)  # (n_pos, n_pos)
    if bq.shape != (n_pos, n_pos) or bk.shape != (n_pos, n_pos):
        raise ValueError(f"[positional] w_q_position and w_k_position must be ({n_pos}, {n_pos}) for position_dims "
                         f"= {n_pos}; got {bq.shape} and {bk.shape}")
    d = lang.d_model

    def widen(w, block):  # (d, d_k) and (n_pos, n_pos) -> (d + n_pos, d_k + n_pos)
        return np.block([[w, np.zeros((d, n_pos))], [np.zeros((n_pos, w.shape[1])), block]])

    w_v = np.vstack([lang.w_v, np.zeros((n_pos, lang.w_v.shape[1]))])  # (d + n_pos, d_v): values keep meaning only
    return widen(lang.w_q, bq), widen(lang.w_k, bk), w_v


def data(examples) -> dict:
    cfg = examples.positional
    scale = float(cfg.get("word_order_scale", 1.0))
    base = float(cfg.get("base", 10000.0))
    n_pos = int(cfg["position_dims"])
    out = {"word": WORD, "scale": scale, "base": base, "position_dims": n_pos, "sentences": []}
    for name in SENTENCES:
        s = examples.sentence(name)
        lang = s.language
        pe = sinusoidal_positional_encoding(len(s.tokens), n_pos, base)  # (T, position_dims)
        i = s.index(WORD)
        x_with = np.concatenate([s.x, scale * pe], axis=1)  # (T, d_model + position_dims): meaning | position
        entry = {
            "name": name,
            "text": s.text,
            "tokens": list(s.tokens),
            "position": i,
            "pe": pe.tolist(),
            "axes": list(lang.axes),
            "d_model": lang.d_model,
            "d_model_with": int(x_with.shape[1]),
            # the meaning columns of X are the same with and without positions
            "meaning_unchanged": bool(np.array_equal(x_with[:, : lang.d_model], s.x)),
            # which words stand before "dog" (the position block favours them)
            "before": [t.lower() for t in s.tokens[:i]],
        }
        layers = (("without", s.x, (lang.w_q, lang.w_k, lang.w_v)), ("with", x_with, _layer(lang, cfg, n_pos)))
        for key, x, (w_q, w_k, w_v) in layers:
            att = self_attention(x, w_q, w_k, w_v)
            weights = keyed(s.tokens, att.weights[i])  # by word: dog, bites, man
            entry[key] = {
                "weights": weights,
                "output": dict(zip(lang.axes, (float(v) for v in att.output[i]), strict=True)),
                "to_words_before": float(sum(weights[w] for w in entry["before"])),
            }
        out["sentences"].append(entry)
    a, b = out["sentences"]
    for key in ("without", "with"):
        same_w = all(
            np.isclose(a[key]["weights"][w], b[key]["weights"][w], rtol=0, atol=1e-12) for w in a[key]["weights"]
        )
        same_o = all(np.isclose(a[key]["output"][x], b[key]["output"][x], rtol=0, atol=1e-12) for x in a["axes"])
        out[f"same_{key}_positions"] = bool(same_w and same_o)
    return out


@claim("without positions “dog” has the same weights and the same output in both sentences")
def same_without_positions(data):
    return data["same_without_positions"]


@claim("with positions “dog” has different weights and a different output in the two sentences")
def different_with_positions(data):
    return not data["same_with_positions"]


@claim("the positions get columns of their own: the meaning columns (agent, action, patient) of every word are the "
       "same with positions as without")
def meaning_columns_untouched(data):
    return all(s["meaning_unchanged"] and s["d_model_with"] > s["d_model"] for s in data["sentences"])


@claim("with positions, “dog” at the end of “man bites dog” gives most of its attention to the words before it")
def dog_at_end_reads_words_before(data):
    s = next(s for s in data["sentences"] if s["position"] == len(s["tokens"]) - 1)
    return s["with"]["to_words_before"] > 0.5


@claim("with positions, “dog” at the start of “dog bites man” has no word before it and keeps the most attention "
       "on itself, more than without positions")
def dog_at_start_keeps_itself(data):
    s = next(s for s in data["sentences"] if s["position"] == 0)
    w = s["with"]["weights"]
    return top(w) == "dog" and w["dog"] > s["without"]["weights"]["dog"]


@claim("with positions, “dog” gives more attention to “man” in “man bites dog”, where “man” stands before it, than "
       "in “dog bites man”")
def dog_reads_man_more_when_man_is_before(data):
    a, b = data["sentences"]
    more = b["with"]["weights"]["man"] > a["with"]["weights"]["man"]
    return "man" in b["before"] and "man" not in a["before"] and more


def _words(data) -> list[str]:
    """The words in the order of the first sentence (the data's dicts come back sorted by key)."""
    return [t.lower() for t in data["sentences"][0]["tokens"]]


def labels(data) -> list[str]:
    return [
        fmt(s[key]["weights"][w], "pct0")
        for key in ("without", "with")
        for s in data["sentences"]
        for w in _words(data)
    ]


def alt(data) -> str:
    a, b = data["sentences"]

    def row(s, key):
        return ", ".join(f"{w} {fmt(s[key]['weights'][w], 'pct0')}" for w in _words(data))

    return (
        f'Bar charts of the attention weights of "{data["word"]}" over the words dog, bites and man, for '
        f'"{a["text"]}" and "{b["text"]}". Without positions the two sentences give the same bars: '
        f'{row(a, "without")}. With the positional encoding added they differ: in "{a["text"]}" '
        f'{row(a, "with")}; in "{b["text"]}" {row(b, "with")}.'
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    words = _words(data)
    colors = ("#56B4E9", "#D55E00")
    hatches = ("", "//")
    with mpl.themed(theme, ID) as t:
        fig, axes = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, 3.6), sharey=True, gridspec_kw={"wspace": 0.12})
        top = max(s[k]["weights"][w] for s in data["sentences"] for k in ("without", "with") for w in words)
        for ax, key, title in zip(
            axes, ("without", "with"), ("without positions", "with position columns"), strict=False
        ):
            for n, (s, color, hatch) in enumerate(zip(data["sentences"], colors, hatches, strict=False)):
                xs = [k + (n - 0.5) * 0.38 for k in range(len(words))]
                vals = [s[key]["weights"][w] for w in words]
                bars = ax.bar(
                    xs,
                    vals,
                    width=0.36,
                    color=color,
                    hatch=hatch,
                    edgecolor=t["background"],
                    lw=0.8,
                    label=f"\u201c{s['text']}\u201d",
                )
                for bar, v in zip(bars, vals, strict=False):
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        v + 0.012,
                        fmt(v, "pct0"),
                        ha="center",
                        va="bottom",
                        fontsize=9.5,
                        color=t["foreground"],
                    )
            ax.set_xticks(range(len(words)), labels=words)
            for lab in ax.get_xticklabels():
                color = style.token_color(lab.get_text())
                lab.set_color(style.text_on(color))
                lab.set_fontweight("bold")
                lab.set_bbox({"boxstyle": "round,pad=0.25", "facecolor": color, "edgecolor": "none"})
            ax.tick_params(axis="x", length=0, labelsize=11, pad=8)
            ax.set_title(title, fontsize=12, color=t["foreground"])
            ax.set_ylim(0, top * 1.22)
            ax.yaxis.set_visible(False)
            ax.spines["left"].set_visible(False)
        axes[0].text(
            -0.55,
            top * 1.16,
            f"\u201c{data['word']}\u201d gives",
            ha="left",
            va="center",
            fontsize=10,
            color=t["muted"],
        )
        fig.legend(
            *axes[0].get_legend_handles_labels(),
            loc="lower center",
            ncol=2,
            frameon=False,
            fontsize=10,
            bbox_to_anchor=(0.5, -0.1),
        )
        mpl.save(fig, out_dir, ID, theme)
