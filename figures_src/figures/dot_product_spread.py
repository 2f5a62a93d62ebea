"""The wider the vectors, the wider the dot products: their spread grows like √d_k.

Seeded random queries and keys with entries drawn from a standard normal
distribution, for three key sizes d_k. Each panel is a histogram of q · k on
the same horizontal scale. A dot product adds up d_k products of size about
one, so its spread (standard deviation) grows like the square root of d_k:
with small vectors the scores stay near zero, with 512 dimensions they swing
by tens. The measured spread of each panel is printed beside √d_k.
"""

from __future__ import annotations

from attention_ref.experiments import dot_product_spread
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "dot-product-spread"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it to motivate step 3 before giving the formula: ask students to guess how the spread of q · k "
    'changes as the vectors get longer, then reveal the square-root law. It answers the usual question "why '
    'divide by √d_k and not by d_k?"'
)
N_BINS = 61


def data(examples) -> dict:
    sc = examples.scaling
    sizes = list(sc["d_k"])
    result = dot_product_spread(sizes, sc["n_samples"], sc["seed"], n_bins=N_BINS)
    edges = result["edges"]
    spread = {
        str(d): {"measured": r["std"], "sqrt_dk": r["sqrt_d_k"], "counts": r["counts"].tolist()}
        for d, r in result["by_d_k"].items()
    }
    return {
        "d_k": sizes,
        "n_samples": sc["n_samples"],
        "seed": sc["seed"],
        "histogram": {"edges": edges.tolist()},
        "spread": spread,
        "measured_spread": [spread[str(d)]["measured"] for d in sizes],  # flat copies for the figure's page
        "sqrt_d_k": [spread[str(d)]["sqrt_dk"] for d in sizes],
        # the same summaries in d_k order, for the prose: sizes.0 is the smallest d_k, sizes.-1 the largest
        "sizes": [{"d_k": d, "measured": spread[str(d)]["measured"], "sqrt_dk": spread[str(d)]["sqrt_dk"]}
                  for d in sizes],
    }


@claim("the measured spread grows with d_k: the largest d_k spreads more than ten times as wide as the smallest")
def spread_grows(data):
    m = data["measured_spread"]
    return all(b > a for a, b in zip(m, m[1:], strict=False)) and m[-1] > 10 * m[0]


@claim("the measured spread is within 5% of √d_k at every size, so dividing by √d_k brings every size back to a "
       "spread of about one")
def spread_follows_sqrt(data):
    return all(abs(s["measured"] / s["sqrt_dk"] - 1) < 0.05 for s in data["sizes"])


def labels(data) -> list[str]:
    out = []
    for d in data["d_k"]:
        sp = data["spread"][str(d)]
        out += [fmt(sp["measured"], "f2"), fmt(sp["sqrt_dk"], "f2")]
    return out


def alt(data) -> str:
    parts = "; ".join(
        f"d_k = {d}: measured spread {fmt(data['spread'][str(d)]['measured'], 'f2')}, "
        f"square root of d_k {fmt(data['spread'][str(d)]['sqrt_dk'], 'f2')}"
        for d in data["d_k"]
    )
    return (
        f"Three histograms, on one horizontal scale, of the dot products of {data['n_samples']} random query and "
        f"key pairs with standard normal entries, for d_k = {', '.join(str(d) for d in data['d_k'])}. The narrow "
        f"spike at small d_k widens into a broad hump at large d_k. {parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    edges = data["histogram"]["edges"]
    centres = [(a + b) / 2 for a, b in zip(edges, edges[1:], strict=False)]
    width = edges[1] - edges[0]
    with mpl.themed(theme, ID) as t:
        sizes = data["d_k"]
        fig, axes = plt.subplots(len(sizes), 1, figsize=(style.FIG_WIDTH, 1.45 * len(sizes) + 0.7), sharex=True)
        for ax, d in zip(axes, sizes, strict=True):
            sp = data["spread"][str(d)]
            ax.bar(centres, sp["counts"], width=width * 0.92, color=style.ROLE_COLORS["k"], zorder=2)
            s = sp["sqrt_dk"]
            ax.axvspan(-s, s, color=style.ROLE_COLORS["q"], alpha=0.22, lw=0, zorder=0)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.set_ylim(0, max(sp["counts"]) * 1.15)
            ax.text(0.0, 0.92, f"$d_k$ = {d}", transform=ax.transAxes, ha="left", va="top", fontsize=11.5,
                    fontweight="bold")
            rows = (("measured spread ", fmt(sp["measured"], "f2")), ("$\\sqrt{d_k}$ ", fmt(s, "f2")))
            for r, (words, number) in enumerate(rows):
                y = 0.92 - 0.24 * r
                ax.text(0.86, y, words, transform=ax.transAxes, ha="right", va="top", fontsize=10,
                        color=t["muted"])
                ax.text(0.86, y, number, transform=ax.transAxes, ha="left", va="top", fontsize=10,
                        fontweight="bold" if r == 0 else "normal")
        axes[-1].set_xlabel("q \u00b7 k   (shaded: within $\\pm\\sqrt{d_k}$ of zero)", fontsize=10.5)
        fig.tight_layout(h_pad=0.4)
        mpl.save(fig, out_dir, ID, theme)
