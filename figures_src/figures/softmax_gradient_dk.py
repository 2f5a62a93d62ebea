"""Without the √d_k, softmax stops passing gradient back: its response to the scores fades as d_k grows.

The same seeded queries and keys as the entropy experiment: one query against
ten random keys, for key sizes d_k from 1 to 512. For each draw it measures
how far the softmax weights move, in all, when the scores that enter the
softmax are nudged (the Frobenius norm of the softmax's Jacobian), and the
curve shows the mean over the draws. With the raw scores the response fades
as d_k grows: one weight takes nearly everything, and a nudge of the scores
hardly moves any weight, so almost no training signal reaches W_Q and W_K.
Divided by √d_k, the scores keep the same spread for every d_k and the
response stays level. A dashed line marks its value for equal weights.
"""

from __future__ import annotations

import math

from attention_ref import softmax_gradient
from figures_src.formats import fmt

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
        # the response for equal weights over n keys: J = I/n - 1/n^2, whose Frobenius norm is sqrt(n - 1) / n
        "equal_weights": math.sqrt(n - 1) / n,
        "first": str(sweep[0]),
        "last": str(sweep[-1]),
        "at_first": runs[0],
        "at_last": runs[-1],
        # how many times weaker the raw scores' response is than the scaled one at the largest d_k
        "ratio_at_last": last["gradient_scaled"] / last["gradient_unscaled"],
    }


def labels(data) -> list[str]:
    return [
        fmt(data["gradient_unscaled"][-1], "f2"),
        fmt(data["gradient_scaled"][-1], "f2"),
        fmt(data["equal_weights"], "f2"),
    ]


def alt(data) -> str:
    first, last = data["at_first"], data["at_last"]
    return (
        f"A line chart of how strongly softmax weights over {data['n_keys']} random keys respond to a nudge of "
        f"their scores (the mean norm of the softmax's Jacobian) against d_k from {data['first']} to "
        f"{data['last']}, on a doubling scale. Raw scores: the response falls from "
        f"{fmt(first['gradient_unscaled'], 'f2')} to {fmt(last['gradient_unscaled'], 'f2')}. Scores divided by the "
        f"square root of d_k: it stays near {fmt(last['gradient_scaled'], 'f2')}, "
        f"{fmt(data['ratio_at_last'], 'f1')} times as strong at d_k = {data['last']}. A dashed line marks "
        f"{fmt(data['equal_weights'], 'f2')}, the response for equal weights."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src import mpl, style

    d = data["d_k"]
    top = max(max(data["gradient_scaled"]), max(data["gradient_unscaled"]), data["equal_weights"])
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.0))
        ax.axhline(data["equal_weights"], color=t["muted"], lw=1.2, ls="--")
        ax.text(d[0], data["equal_weights"] - 0.012, "equal weights on every key", ha="left", va="top",
                fontsize=9.5, color=t["muted"])
        ax.text(d[-1] * 1.12, data["equal_weights"] - 0.012, fmt(data["equal_weights"], "f2"), ha="left", va="top",
                fontsize=10, color=t["muted"], fontweight="bold")
        scaled_color, raw_color = t["accent"], t["highlight"]
        ax.plot(d, data["gradient_scaled"], "o-", color=scaled_color, lw=2.4, ms=5,
                label="scores divided by $\\sqrt{d_k}$")
        ax.plot(d, data["gradient_unscaled"], "o-", color=raw_color, lw=2.4, ms=5, label="raw scores $q \\cdot k$")
        for series, color, va in ((data["gradient_scaled"], scaled_color, "bottom"),
                                  (data["gradient_unscaled"], raw_color, "center")):
            ax.text(d[-1] * 1.12, series[-1], fmt(series[-1], "f2"), ha="left", va=va, fontsize=10,
                    color=color, fontweight="bold")
        ax.set_xscale("log", base=2)
        ax.set_xticks(d, [str(v) for v in d], fontsize=10)
        ax.minorticks_off()
        ax.set_xlim(d[0] / 1.3, d[-1] * 1.9)
        ax.set_ylim(0, top * 1.2)
        ax.set_xlabel("$d_k$, the size of queries and keys", fontsize=10.5)
        ax.set_ylabel("response of the weights to the scores", fontsize=10.5)
        ax.grid(True, lw=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="lower left", frameon=False, fontsize=10)
        mpl.save(fig, out_dir, ID, theme)
