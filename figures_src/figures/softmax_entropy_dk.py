"""Without the √d_k, softmax saturates: the spread of attention collapses as d_k grows.

Seeded random queries, each against ten random keys, for key sizes d_k from 1
to 512. For each size the curve shows the mean entropy of the softmax weights
in bits: the top line is the most even spread possible (every key the same
weight), zero would mean all the attention on one key. With the raw scores
the entropy falls as d_k grows, because the scores spread like √d_k and the
largest one takes almost everything, where softmax is flat and passes back
almost no gradient. Dividing by √d_k keeps the scores at the same spread for
every d_k, and the entropy stays level.
"""

from __future__ import annotations

import numpy as np

from attention_ref import entropy_bits, softmax, softmax_saturation
from figures_src.kit.claims import claim
from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "softmax-entropy-dk"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it after the spread histograms to show the consequence: without scaling, attention collapses onto "
    "one key as d_k grows. Ask why a saturated softmax is bad for training (it passes back almost no "
    "gradient); it answers the view that the scaling is cosmetic."
)
# The running example whose row of scores the d_k slider under this figure divides (widgets/dk-slider.js).
EXAMPLE = "animal"


def data(examples) -> dict:
    sc = examples.scaling
    sweep = list(sc["d_k_sweep"])
    runs = [softmax_saturation(d, sc["n_keys"], sc["n_samples"], sc["seed"]) for d in sweep]
    # the most even spread: the entropy of equal weights over n_keys keys (log2 n_keys bits)
    max_entropy = float(entropy_bits(softmax(np.zeros(sc["n_keys"]))))
    return {
        "d_k": sweep,
        "n_keys": sc["n_keys"],
        "n_samples": sc["n_samples"],
        "seed": sc["seed"],
        "entropy_unscaled": [r["entropy_unscaled"] for r in runs],
        "entropy_scaled": [r["entropy_scaled"] for r in runs],
        "max_weight_unscaled": [r["max_weight_unscaled"] for r in runs],
        "max_weight_scaled": [r["max_weight_scaled"] for r in runs],
        "max_entropy": max_entropy,
        "at": {str(d): r for d, r in zip(sweep, runs, strict=True)},
        "first": str(sweep[0]),
        "last": str(sweep[-1]),
        "at_first": runs[0],
        "at_last": runs[-1],
        "example": _example(examples),
    }


def _example(examples) -> dict:
    """The raw and scaled scores of the focus word ("it") of the running example, and its weights."""
    s, att = attend(examples, EXAMPLE)
    i = s.focus_index
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "d_k": int(att.q.shape[-1]),
        "scores": att.scores[i].tolist(),
        "scaled": att.scaled[i].tolist(),
        "weights": att.weights[i].tolist(),
    }


@claim("with raw scores the entropy falls at every doubling of d_k")
def raw_entropy_falls(data):
    e = data["entropy_unscaled"]
    return all(b < a for a, b in zip(e, e[1:], strict=False))


@claim("with raw scores the entropy collapses: at the largest d_k it is under a tenth of the maximum")
def raw_entropy_collapses(data):
    return data["at_last"]["entropy_unscaled"] < 0.1 * data["max_entropy"]


@claim("at the largest d_k, with raw scores, the largest weight takes most of the attention on average")
def raw_largest_weight_dominates(data):
    return data["at_last"]["max_weight_unscaled"] > 0.5


@claim("with scores divided by √d_k the entropy stays level: within a tenth of its value at the smallest d_k, "
       "at every d_k")
def scaled_entropy_level(data):
    e = data["entropy_scaled"]
    return all(abs(v - e[0]) <= 0.1 * e[0] for v in e)


@claim("with scores divided by √d_k the entropy stays below the maximum but above half of it, at every d_k")
def scaled_entropy_below_max(data):
    return all(0.5 * data["max_entropy"] < v < data["max_entropy"] for v in data["entropy_scaled"])


def labels(data) -> list[str]:
    return [
        fmt(data["entropy_unscaled"][-1], "f2"),
        fmt(data["entropy_scaled"][-1], "f2"),
        fmt(data["max_entropy"], "f2"),
    ]


def alt(data) -> str:
    first, last = data["first"], data["last"]
    a, b = data["at"][first], data["at"][last]
    return (
        f"A line chart of the mean entropy (bits) of softmax weights over {data['n_keys']} random keys against d_k "
        f"from {first} to {last}, on a doubling scale. Unscaled scores: the entropy falls from "
        f"{fmt(a['entropy_unscaled'], 'f2')} to {fmt(b['entropy_unscaled'], 'f2')} bits and the largest weight "
        f"averages {fmt(b['max_weight_unscaled'], 'pct0')} at d_k = {last}. Scores divided by the square root of "
        f"d_k: the entropy stays near {fmt(b['entropy_scaled'], 'f2')} bits. A dashed line marks the maximum, "
        f"{fmt(data['max_entropy'], 'f2')} bits for equal weights."
    )


def render(data, out_dir, theme, quality) -> None:
    from figures_src.figures._dk_curves import scaled_vs_raw

    scaled_vs_raw(data, data["entropy_scaled"], data["entropy_unscaled"], reference=data["max_entropy"],
                  reference_label="most even spread: equal weights on every key", reference_above=True,
                  label_gap=0.07, ylabel="mean entropy of the weights (bits)", ymax=data["max_entropy"] * 1.18,
                  fig_id=ID, out_dir=out_dir, theme=theme,
                  narrow_reference_label="most even spread:\nequal weights on every key")
