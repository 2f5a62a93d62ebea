"""Add the positions and word order shows: "dog" now attends differently in "dog bites man" and "man bites dog".

The attention weights of the word "dog" over the three words, in both
sentences. Left, without positions: the bars of the two sentences are equal
word by word, because self-attention sees only which words are present.
Right, with the sinusoidal positional encoding added to each word's vector
(X + s PE, where the factor s is `word_order_scale` in the examples file):
"dog" at the start of a sentence and "dog" at its end are now different
vectors, so their queries and keys differ and so do the weights and the
output. The layer can now tell who bit whom.
"""

from __future__ import annotations

import numpy as np

from attention_ref import self_attention, sinusoidal_positional_encoding
from figures_src.kit.common import keyed
from figures_src.kit.formats import fmt

ID = "positions-change-weights"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it to close the positional-encoding argument: the same two sentences, now with positions added, give "
    '"dog" different weights. Ask students what changed in the computation (only X) and why that is enough.'
)
SENTENCES = ("dog_bites_man", "man_bites_dog")
WORD = "dog"


def data(examples) -> dict:
    cfg = examples.positional
    scale = float(cfg.get("word_order_scale", 1.0))
    base = float(cfg.get("base", 10000.0))
    out = {"word": WORD, "scale": scale, "base": base, "sentences": []}
    for name in SENTENCES:
        s = examples.sentence(name)
        lang = s.language
        pe = sinusoidal_positional_encoding(len(s.tokens), lang.d_model, base)  # (T, d_model)
        i = s.index(WORD)
        entry = {
            "name": name,
            "text": s.text,
            "tokens": list(s.tokens),
            "position": i,
            "pe": pe.tolist(),
            "axes": list(lang.axes),
        }
        for key, x in (("without", s.x), ("with", s.x + scale * pe)):  # adding positions is part of the input
            att = self_attention(x, lang.w_q, lang.w_k, lang.w_v)
            entry[key] = {
                "weights": keyed(s.tokens, att.weights[i]),  # by word: dog, bites, man
                "output": dict(zip(lang.axes, (float(v) for v in att.output[i]), strict=False)),
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
            axes, ("without", "with"), ("without positions", "with positions added"), strict=False
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
