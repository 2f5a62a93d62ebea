"""What one new token costs: linear in the length with a KV cache, quadratic without.

Multiply-adds of one attention head for the new token at step t, counted by
`attention_ref.decoding_cost` from the shapes of the matrix products (a head
the size of the trained tiny model's). With the cache the new token computes
only its own query, key and value and reads t cached keys and values: the
count grows by the same amount at every step, a straight line. Without a
cache the model runs again over the whole prefix: t rows of projections and a
t by t matrix of scores, a parabola. Left: both, on one scale. Right: the
cached count alone, to show its straight line.
"""

from __future__ import annotations

import numpy as np

from attention_ref import ExampleError, decoding_cost, load_tiny_model
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "kv-cache-cost"
KIND = "matplotlib"
LECTURE = (
    "Use it after the generation steps to answer why every serving system keeps a KV cache: ask students to "
    "predict the cost of the last token on the chart with and without it, then read both off the chart. It "
    "corrects the idea that the cache is a small constant speed-up: the saving grows with the length."
)


def _costs(t: int, dec, cache: bool) -> dict:
    c = decoding_cost(t, dec.d_model, dec.d_k, dec.d_v, cache=cache)
    return {"projections": c.projections, "scores": c.scores, "weighted_sum": c.weighted_sum, "total": c.total}


def data(examples) -> dict:
    dec = examples.decoding
    if dec is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [decoding] table (see attention_ref/examples.toml)")
    ts = list(range(1, dec.max_t + 1))
    cached = [_costs(t, dec, True)["total"] for t in ts]
    uncached = [_costs(t, dec, False)["total"] for t in ts]
    last = dec.max_t
    marks = sorted({m for m in (16, 64, last) if m <= last})
    model = load_tiny_model()  # the page calls the head "the size of the trained tiny model's"
    return {
        "d_model": dec.d_model,
        "d_k": dec.d_k,
        "d_v": dec.d_v,
        "max_t": last,
        "t": ts,
        "cached": cached,
        "uncached": uncached,
        "at": {str(m): {"cached": _costs(m, dec, True), "uncached": _costs(m, dec, False),
                        "ratio": uncached[m - 1] / cached[m - 1]} for m in marks},
        "marks": marks,
        "at_last": {"cached": cached[-1], "uncached": uncached[-1], "ratio": uncached[-1] / cached[-1]},
        "per_step_growth_cached": dec.d_k + dec.d_v,  # what each further cached key and value adds
        "total_to_generate": {"cached": int(np.sum(cached)), "uncached": int(np.sum(uncached))},
        "tiny_model": {"d_model": model.d_model, "d_head": model.d_head},
    }


@claim("the head counted is the size of one head of the trained tiny model")
def head_is_the_tiny_models(data):
    m = data["tiny_model"]
    return data["d_model"] == m["d_model"] and data["d_k"] == data["d_v"] == m["d_head"]


@claim("with the cache, each further token adds the same number of multiply-adds: a straight line in t")
def cached_is_linear(data):
    c = data["cached"]
    return all(b - a == data["per_step_growth_cached"] for a, b in zip(c, c[1:], strict=False))


@claim("without the cache, the count grows faster at every step by the same amount: a parabola in t")
def uncached_is_quadratic(data):
    u = data["uncached"]
    second = {(c - b) - (b - a) for a, b, c in zip(u, u[1:], u[2:], strict=False)}
    return len(second) == 1 and next(iter(second)) > 0


@claim("without the cache the token at position t costs exactly t times as much as with it: the same work, "
       "done again for every token of the prefix")
def uncached_is_t_times_cached(data):
    return all(u == t * c for t, u, c in zip(data["t"], data["uncached"], data["cached"], strict=True))


@claim("the cache saves more the longer the text: the ratio of the two counts grows at every step")
def saving_grows(data):
    r = [u / c for u, c in zip(data["uncached"], data["cached"], strict=True)]
    return all(b > a for a, b in zip(r[1:], r[2:], strict=False))


@claim("for the first token the two counts are the same: there is nothing to cache yet")
def first_token_same(data):
    return data["cached"][0] == data["uncached"][0]


def labels(data) -> list[str]:
    return [fmt(data["at_last"]["cached"], "int"), fmt(data["at_last"]["uncached"], "int")]


def alt(data) -> str:
    a = data["at_last"]
    return (
        f"Two line charts of multiply-adds for one new token against its position t, from 1 to {data['max_t']}, "
        f"for one attention head with d_model {data['d_model']} and d_k {data['d_k']}. Left: without a KV cache "
        f"the count rises as a parabola to {fmt(a['uncached'], 'int')} at t = {data['max_t']}; with the cache it "
        f"stays near the axis. Right: the cached count alone, a straight line up to {fmt(a['cached'], 'int')}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from figures_src.kit import mpl, style

    t_axis = data["t"]
    last = data["max_t"]
    a = data["at_last"]
    thousands = FuncFormatter(lambda v, _: f"{v / 1000:g}k" if v else "0")
    with mpl.themed(theme, ID) as t:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(style.FIG_WIDTH, 3.8), gridspec_kw={"wspace": 0.42})
        cached_color, uncached_color = t["accent"], t["highlight"]
        ax1.plot(t_axis, data["uncached"], color=uncached_color, lw=2.4, label="without a cache")
        ax1.plot(t_axis, data["cached"], color=cached_color, lw=2.4, label="with the KV cache")
        end_uncached = ax1.text(last, a["uncached"], fmt(a["uncached"], "int"), ha="right", va="bottom", fontsize=10,
                 color=uncached_color, fontweight="bold")
        ax1.set_title("both, one scale", fontsize=11, color=t["foreground"])
        ax1.legend(loc="center left", bbox_to_anchor=(0.0, 0.62), frameon=False, fontsize=9.5)
        ax2.plot(t_axis, data["cached"], color=cached_color, lw=2.4)
        end_cached = ax2.text(last, a["cached"], fmt(a["cached"], "int"), ha="right", va="bottom", fontsize=10,
                 color=cached_color, fontweight="bold")
        ax2.set_title("with the KV cache alone", fontsize=11, color=t["foreground"])
        for ax, top in ((ax1, a["uncached"]), (ax2, a["cached"])):
            ax.set_xlim(0, last * 1.02)
            ax.set_ylim(0, top * 1.15)
            ax.yaxis.set_major_formatter(thousands)
            ax.set_xlabel("t, the position of the new token", fontsize=10)
            ax.grid(True, lw=0.6)
            ax.set_axisbelow(True)
        ax1.set_ylabel("multiply-adds for the new token", fontsize=10)
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _stacked(f, (ax1, ax2), (end_uncached, end_cached)))


NARROW_SIZE = (3.6, 6.4)  # inches; a phone shows it about 1.4 px to the point
NARROW_PANELS = ((0.2, 0.6, 0.76, 0.34), (0.2, 0.1, 0.76, 0.34))  # left, bottom, width, height (figure fractions)
NARROW_TEXT_PT = 7.4


def _stacked(fig, axes, ends) -> None:
    """The phone layout: the two panels one above the other, each the column's width, the legend in the
    empty upper left, the end values moved just clear of their curves' ends, text sized for the column."""
    fig.set_size_inches(*NARROW_SIZE)
    for ax, box in zip(axes, NARROW_PANELS, strict=True):
        ax.set_position(box)
        ax.title.set_fontsize(NARROW_TEXT_PT + 1)
        ax.xaxis.label.set_fontsize(NARROW_TEXT_PT)
        ax.yaxis.label.set_fontsize(NARROW_TEXT_PT)
        ax.tick_params(labelsize=NARROW_TEXT_PT, pad=4)
    for end in ends:
        x, y = end.get_position()
        end.set(x=x * 0.97, y=y * 1.02, fontsize=NARROW_TEXT_PT + 0.6)
    legend = axes[0].get_legend()
    legend.set_loc("upper left")
    legend.set_bbox_to_anchor((0.0, 1.0), transform=axes[0].transAxes)
    for text in legend.get_texts():
        text.set_fontsize(NARROW_TEXT_PT)
