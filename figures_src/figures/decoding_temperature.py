"""Choosing the next word: temperature divides the scores before the softmax, and sampling follows the odds.

The next word after "The cat sat on the", from hand-made scores (logits) of
four candidate words, at three temperatures. Each panel is
softmax(scores / temperature): a low temperature sharpens the distribution
towards the most likely word, a high one evens it out, and the order of the
words never changes. Greedy decoding always takes the top word; sampling
draws a word with these probabilities. The dots in the temperature 1 panel
are the shares of 1,000 seeded draws: the top word is chosen about as often
as its probability says, and not every time.
"""

from __future__ import annotations

import math

import numpy as np

from attention_ref import ExampleError, entropy_bits, sample_tokens, softmax_with_temperature
from figures_src.kit.claims import claim
from figures_src.kit.common import attend, keyed
from figures_src.kit.formats import fmt

ID = "decoding-temperature"
KIND = "matplotlib"
LECTURE = (
    "Use it for decoding choices: ask which word greedy decoding writes, and how often sampling writes it. "
    "It answers the surprise that the most likely word is not always the one chosen, and shows temperature "
    "as nothing more than the division of step 3 with a number one picks."
)
SAMPLED_AT = 1.0  # the temperature of the seeded draws
SCALING_EXAMPLE = "animal"  # the sentence whose step 3 is a softmax at temperature √d_k


def _tkey(t: float) -> str:
    """A temperature as a key of the data that value() can walk: 0.5 -> "0_5" (a dot separates keys)."""
    return f"{t:g}".replace(".", "_")


def data(examples) -> dict:
    dec = examples.decoding
    if dec is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [decoding] table (see attention_ref/examples.toml)")
    cands = list(dec.candidates)
    temps = sorted(set(dec.temperatures) | {SAMPLED_AT})
    probs = {_tkey(t): softmax_with_temperature(dec.logits, t) for t in temps}
    p1 = probs[_tkey(SAMPLED_AT)]
    draws = sample_tokens(p1, dec.seed, dec.n_draws)
    counts = np.bincount(draws, minlength=len(cands))
    top = int(np.argmax(p1))
    return {
        "prompt": " ".join(examples.sentence(dec.sentence).tokens[: dec.prompt_length]),
        "candidates": cands,
        "logits": dec.logits.tolist(),
        "temperatures": temps,
        "shown": [_tkey(t) for t in dec.temperatures],
        "low": _at(min(temps), probs, cands),
        "high": _at(max(temps), probs, cands),
        "probabilities": {k: v.tolist() for k, v in probs.items()},
        "p": {k: keyed(cands, v) for k, v in probs.items()},
        "entropy": {k: float(entropy_bits(v)) for k, v in probs.items()},
        "top": {k: cands[int(np.argmax(v))] for k, v in probs.items()},
        "ranking": {k: [cands[i] for i in np.argsort(-v, kind="stable")] for k, v in probs.items()},
        "greedy": cands[top],
        "sampled_at": SAMPLED_AT,
        "seed": dec.seed,
        "n_draws": dec.n_draws,
        "counts": keyed(cands, counts),
        "shares": keyed(cands, counts / dec.n_draws),
        "top_share": float(counts[top] / dec.n_draws),
        "top_probability": float(p1[top]),
        "not_top_share": float(1 - counts[top] / dec.n_draws),
        "scaling": _scaling(examples),
    }


def _at(t: float, probs: dict, cands: list[str]) -> dict:
    p = probs[_tkey(t)]
    return {"temperature": t, "p": keyed(cands, p), "entropy": float(entropy_bits(p))}


def _scaling(examples) -> dict:
    """Step 3 of the running example as a temperature: its raw scores at temperature √d_k give step 4's weights."""
    s, att = attend(examples, SCALING_EXAMPLE)
    i = s.focus_index
    sqrt_dk = math.sqrt(att.q.shape[-1])
    tempered = softmax_with_temperature(att.scores[i], sqrt_dk)
    return {"focus": s.tokens[i], "d_k": int(att.q.shape[-1]), "sqrt_d_k": sqrt_dk,
            "max_difference": float(np.abs(tempered - att.weights[i]).max())}


@claim("the order of the words is the same at every temperature: dividing by a positive number keeps it")
def order_kept(data):
    return len({tuple(r) for r in data["ranking"].values()}) == 1


@claim("the lower the temperature, the larger the top word's probability and the lower the entropy")
def lower_temperature_sharpens(data):
    keys = [_tkey(t) for t in data["temperatures"]]
    tops = [max(data["probabilities"][k]) for k in keys]
    ent = [data["entropy"][k] for k in keys]
    return all(b < a for a, b in zip(tops, tops[1:], strict=False)) and all(
        b > a for a, b in zip(ent, ent[1:], strict=False))


@claim("sampling at temperature 1 does not always take the top word: other words are drawn too")
def top_not_always_chosen(data):
    return 0 < data["top_share"] < 1 and sum(1 for c in data["counts"].values() if c > 0) > 1


@claim("each word's share of the seeded draws is within three standard errors of its probability")
def shares_follow_probabilities(data):
    n = data["n_draws"]
    p = data["p"][_tkey(data["sampled_at"])]
    return all(abs(data["shares"][w] - p[w]) <= 3 * math.sqrt(p[w] * (1 - p[w]) / n) for w in p)


@claim("greedy decoding takes the top word at every temperature")
def greedy_is_top_everywhere(data):
    return set(data["top"].values()) == {data["greedy"]}


@claim("step 3's division by √d_k is a softmax temperature: the raw scores at temperature √d_k give step 4's "
       "weights (to 1e-12)")
def scaling_is_a_temperature(data):
    return data["scaling"]["max_difference"] <= 1e-12


def labels(data) -> list[str]:
    return [fmt(p, "pct0") for k in data["shown"] for p in data["probabilities"][k]]


def alt(data) -> str:
    panels = "; ".join(
        f"temperature {k.replace('_', '.')}: " + ", ".join(f"{w} {fmt(p, 'pct0')}" for w, p in data["p"][k].items())
        for k in data["shown"]
    )
    shares = ", ".join(f"{w} {fmt(v, 'pct0')}" for w, v in data["shares"].items())
    return (
        f'Bar charts of the probability of the next word after "{data["prompt"]}" at {len(data["shown"])} '
        f"temperatures. {panels}. Dots at temperature {data['sampled_at']:g} mark the shares of "
        f"{data['n_draws']} seeded draws: {shares}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    cands = data["candidates"]
    shown = data["shown"]
    y = np.arange(len(cands))
    with mpl.themed(theme, ID) as t:
        fig, axes = plt.subplots(1, len(shown), figsize=(style.FIG_WIDTH, 2.9), sharey=True,
                                 gridspec_kw={"wspace": 0.12})
        axes = np.atleast_1d(axes)
        for ax, k in zip(axes, shown, strict=True):
            p = data["probabilities"][k]
            top = int(np.argmax(p))
            colors = [t["highlight"] if j == top else t["accent"] for j in range(len(cands))]
            ax.barh(y, p, color=colors, height=0.66)
            sampled = k == _tkey(data["sampled_at"])
            shares = [data["shares"][w] for w in data["counts"]] if sampled else list(p)
            for j, v in enumerate(p):
                ax.text(max(v, shares[j]) + 0.05, j, fmt(v, "pct0"), va="center", ha="left", fontsize=10,
                        color=t["foreground"])
            if sampled:
                ax.plot(shares, y, "o", ms=6, mfc=t["background"], mec=t["foreground"], mew=1.6,
                        label=f"share of {data['n_draws']} draws")
                ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, fontsize=9, handletextpad=0.3)
            ax.set_title(f"temperature {k.replace('_', '.')}", fontsize=11, color=t["foreground"])
            ax.set_xlim(0, 1.18)
            ax.set_xticks([0, 0.5, 1], ["0", "½", "1"])
            ax.grid(True, axis="x", lw=0.6)
            ax.set_axisbelow(True)
        axes[0].set_yticks(y, cands)
        axes[0].invert_yaxis()
        axes[0].tick_params(axis="y", length=0, labelsize=10.5)
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _stacked(f, axes))


# The phone layout's sizes: inches (a phone shows the figure about 1.4 px to the point) and points.
NARROW_WIDTH, NARROW_PANEL, NARROW_GAP, NARROW_FOOT = 3.6, 1.25, 0.55, 0.3
NARROW_TEXT_PT = 7.6
NARROW_KEY_AT = (0.5, 0.12)  # the draws' key, in the sampled panel's axes: its empty lower right, by the short bars


def _stacked(fig, axes) -> None:
    """The phone layout: the temperatures one above the other, each panel the column's width and naming its
    words; the draws' key inside its panel (its legend is drawn anew as a marker and a text: a legend's texts
    moved or resized are laid out against the wrapping the narrow render turns on, and drift from their marker)."""
    height = NARROW_FOOT + len(axes) * (NARROW_PANEL + NARROW_GAP)
    fig.set_size_inches(NARROW_WIDTH, height)
    for k, ax in enumerate(axes):
        bottom = NARROW_FOOT + (len(axes) - 1 - k) * (NARROW_PANEL + NARROW_GAP)
        ax.set_position((0.22, bottom / height, 0.74, NARROW_PANEL / height))
        ax.tick_params(axis="y", labelleft=True, labelsize=NARROW_TEXT_PT + 0.4)
        ax.tick_params(axis="x", labelsize=NARROW_TEXT_PT + 0.4)
        ax.title.set_fontsize(NARROW_TEXT_PT + 1)
        for text in ax.texts:
            text.set_fontsize(NARROW_TEXT_PT)
        legend = ax.get_legend()
        if legend is not None:
            (marker,), (label,) = legend.legend_handles, legend.get_texts()
            x, y = NARROW_KEY_AT
            ax.plot([x], [y], transform=ax.transAxes, clip_on=False, ls="none", marker=marker.get_marker(),
                    ms=marker.get_markersize(), mfc=marker.get_markerfacecolor(), mec=marker.get_markeredgecolor(),
                    mew=marker.get_markeredgewidth())
            ax.text(x + 0.04, y, label.get_text(), transform=ax.transAxes, ha="left", va="center",
                    fontsize=NARROW_TEXT_PT, color=label.get_color())
            legend.remove()
