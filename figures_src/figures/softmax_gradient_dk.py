"""Without the √d_k, softmax stops passing gradient back: its response to the scores fades as d_k grows.

The same seeded queries and keys as the entropy experiment: one query against
ten random keys, for key sizes d_k from 1 to 512. For each draw it measures
how far the softmax weights move when each score that enters the softmax is
nudged on its own: the table of every weight's derivative with respect to
every score (the softmax's Jacobian), squared entry by entry, summed and
square-rooted (its Frobenius norm). The curve shows the mean over the draws.
(Nudging every score by the same amount would move no weight at all: softmax
ignores a common shift.) With the raw scores the response fades
as d_k grows: one weight takes nearly everything, and a nudge of the scores
of any one score hardly moves any weight, so almost no training signal reaches W_Q and W_K.
Divided by √d_k, the scores keep the same spread for every d_k and the
response stays level. A dashed line marks its value for equal weights.
"""

from __future__ import annotations

import numpy as np

from attention_ref import softmax_gradient, softmax_jacobian
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "softmax-gradient-dk"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it right after the entropy curve to turn \"scaling prevents vanishing gradients\" from a slogan into a "
    "measurement: at large d_k the raw scores leave softmax almost unresponsive. Ask the class to predict the curve "
    "for scores divided by d_k instead of its square root."
)


def data(examples) -> dict:
    sc = examples.scaling
    sweep = list(sc["d_k_sweep"])
    runs = [softmax_gradient(d, sc["n_keys"], sc["n_samples"], sc["seed"]) for d in sweep]
    n = sc["n_keys"]
    last = runs[-1]
    return {
        "d_k": sweep,
        "n_keys": n,
        "n_samples": sc["n_samples"],
        "seed": sc["seed"],
        "gradient_unscaled": [r["gradient_unscaled"] for r in runs],
        "gradient_scaled": [r["gradient_scaled"] for r in runs],
        # the response for equal weights over n keys (all scores equal): the norm of that Jacobian, sqrt(n - 1) / n
        "equal_weights": float(np.linalg.norm(softmax_jacobian(np.zeros(n)))),
        "first": str(sweep[0]),
        "last": str(sweep[-1]),
        # where the raw scores' response is largest: it only falls from there on
        "raw_peak_d_k": sweep[int(np.argmax([r["gradient_unscaled"] for r in runs]))],
        "at_first": runs[0],
        "at_last": runs[-1],
        # how many times weaker the raw scores' response is than the scaled one at the largest d_k
        "ratio_at_last": last["gradient_scaled"] / last["gradient_unscaled"],
    }


@claim("with raw scores the response of the weights fades as d_k grows: at the largest d_k it is under a quarter "
       "of what it is at the smallest")
def raw_response_fades(data):
    raw = data["gradient_unscaled"]
    return raw[-1] < raw[0] / 4 and raw[-1] == min(raw)


@claim("with raw scores the response peaks at a small d_k (at most 8) and falls at every doubling of d_k after it")
def raw_response_falls_after_peak(data):
    raw = [g for d, g in zip(data["d_k"], data["gradient_unscaled"], strict=True) if d >= data["raw_peak_d_k"]]
    return data["raw_peak_d_k"] <= 8 and len(raw) >= 2 and all(b < a for a, b in zip(raw, raw[1:], strict=False))


@claim("with scores divided by √d_k the response stays level: within a tenth of its value at the smallest d_k, "
       "at every d_k")
def scaled_response_level(data):
    s = data["gradient_scaled"]
    return all(abs(g - s[0]) <= 0.1 * s[0] for g in s)


@claim("at the largest d_k the scaled scores' response is more than three times the raw scores'")
def scaling_keeps_gradient(data):
    return data["ratio_at_last"] > 3


def labels(data) -> list[str]:
    return [
        fmt(data["gradient_unscaled"][-1], "f2"),
        fmt(data["gradient_scaled"][-1], "f2"),
        fmt(data["equal_weights"], "f2"),
    ]


def alt(data) -> str:
    first, last = data["at_first"], data["at_last"]
    return (
        f"A line chart of how strongly softmax weights over {data['n_keys']} random keys respond when each score is "
        f"nudged on its own (the mean Frobenius norm of the softmax's Jacobian) against d_k from {data['first']} to "
        f"{data['last']}, on a doubling scale. Raw scores: the response falls from "
        f"{fmt(first['gradient_unscaled'], 'f2')} to {fmt(last['gradient_unscaled'], 'f2')}. Scores divided by the "
        f"square root of d_k: it stays near {fmt(last['gradient_scaled'], 'f2')}, "
        f"{fmt(data['ratio_at_last'], 'f1')} times as strong at d_k = {data['last']}. A dashed line marks "
        f"{fmt(data['equal_weights'], 'f2')}, the response for equal weights."
    )


def render(data, out_dir, theme, quality) -> None:
    from figures_src.figures._dk_curves import scaled_vs_raw

    top = max(max(data["gradient_scaled"]), max(data["gradient_unscaled"]), data["equal_weights"])
    scaled_vs_raw(data, data["gradient_scaled"], data["gradient_unscaled"], reference=data["equal_weights"],
                  reference_label="equal weights on every key", reference_above=False, label_gap=0.012,
                  ylabel="response of the weights to the scores", ymax=top * 1.2, fig_id=ID, out_dir=out_dir,
                  theme=theme, narrow_reference_label="equal weights\non every key")
