# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Why √d_k
#
# Step 3 divides the scores by $\sqrt{d_k}$. This notebook shows why with a
# random experiment: draw queries and keys with independent entries of mean 0
# and variance 1, and look at what softmax does to their dot products, with
# and without the scaling, as the vectors get longer.
#
# A dot product $q \cdot k = \sum_{i=1}^{d_k} q_i k_i$ adds up $d_k$ terms of
# variance 1, so its variance is $d_k$ and its spread $\sqrt{d_k}$. Softmax of
# widely spread scores puts nearly all the weight on the largest one.

# %% [markdown]
# ## The parameters: change them and run again
#
# They start at the values the site's figures use (the `[scaling]` table of
# `attention_ref/examples.toml`); replace any of them by your own.

# %% tags=["parameters"]
from attention_ref import load_examples

scaling = load_examples().scaling
# The key sizes to compare, e.g. [2, 8, 32, 128, 512]:
D_K = scaling["d_k_sweep"]
# The ones whose spread of scores is drawn, e.g. [4, 64, 512]:
D_K_DRAWN = scaling["d_k"]
# Keys each query is compared with, e.g. 4 or 100:
N_KEYS = scaling["n_keys"]
# Random draws per key size (more: smoother curves, slower):
N_SAMPLES = scaling["n_samples"]
# Any integer; the same seed gives the same numbers:
SEED = scaling["seed"]

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from attention_ref import (
    entropy_bits,
    random_dot_products,
    scaled_dot_product_attention,
    softmax_gradient,
    softmax_saturation,
)
from figures_src.kit.formats import fmt

D_K = sorted(set(D_K))
print(f"d_k in {D_K}")
print(f"{N_KEYS} keys per query, {N_SAMPLES} draws each, seed {SEED}")

# %% [markdown]
# ## The spread of the scores grows like √d_k
#
# For each $d_k$: the standard deviation of many random dot products, before
# and after dividing by $\sqrt{d_k}$.

# %%
print(f"{'d_k':>6} {'sqrt(d_k)':>10} {'spread of q.k':>14} {'scaled':>8}")
for d_k in D_K:
    dots = random_dot_products(d_k, N_SAMPLES, SEED)  # (N_SAMPLES,)
    root = fmt(math.sqrt(d_k))
    spread = fmt(float(dots.std()))
    scaled_spread = fmt(float((dots / math.sqrt(d_k)).std()))
    print(f"{d_k:>6} {root:>10} {spread:>14} {scaled_spread:>8}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
for d_k in D_K_DRAWN:
    dots = random_dot_products(d_k, N_SAMPLES, SEED)
    style = dict(bins=60, histtype="step", density=True, label=f"d_k = {d_k}")
    axes[0].hist(dots, **style)
    axes[1].hist(dots / math.sqrt(d_k), **style)
axes[0].set_title("q · k: spreads like √d_k")
axes[1].set_title("q · k / √d_k: the same spread for every d_k")
for ax in axes:
    ax.set_xlabel("score")
    ax.legend(frameon=False)
axes[0].set_ylabel("density")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## What softmax makes of it
#
# Entropy measures how spread out the attention is: $\log_2 n$ bits when
# each of the $n$ keys gets the same weight, 0 bits when one key gets
# everything. Without scaling, the entropy falls toward 0 as $d_k$
# grows: the softmax *saturates*, one key takes (nearly) all the weight, and
# its gradient almost vanishes, so the model can hardly learn to attend
# elsewhere. With scaling it stays put.

# %%
rows = {d: softmax_saturation(d, N_KEYS, N_SAMPLES, SEED) for d in D_K}
uniform = fmt(math.log2(N_KEYS))
print(f"entropy of {N_KEYS} equal weights: {uniform} bits")
print(f"{'':>6} {'entropy (bits)':>17}   {'largest weight':>17}")
print(
    f"{'d_k':>6} {'unscaled':>9}{'scaled':>8}   {'unscaled':>9}{'scaled':>8}"
)
for d_k, r in rows.items():
    h_raw, h = fmt(r["entropy_unscaled"]), fmt(r["entropy_scaled"])
    w_raw = fmt(r["max_weight_unscaled"], "pct")
    w = fmt(r["max_weight_scaled"], "pct")
    print(f"{d_k:>6} {h_raw:>9}{h:>8}   {w_raw:>9}{w:>8}")
# Dividing by sqrt(d_k) >= 1 is a softmax temperature >= 1, which can only
# spread the weights out.
assert all(
    r["entropy_scaled"] >= r["entropy_unscaled"] - 1e-9 for r in rows.values()
)

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
unscaled_h = [rows[d]["entropy_unscaled"] for d in D_K]
scaled_h = [rows[d]["entropy_scaled"] for d in D_K]
ax.plot(D_K, unscaled_h, "o-", label="softmax(q · k)")
ax.plot(D_K, scaled_h, "s-", label="softmax(q · k / √d_k)")
equal = f"all {N_KEYS} keys equal"
ax.axhline(math.log2(N_KEYS), color="gray", linestyle=":", label=equal)
ax.set_xscale("log", base=2)
ax.set_xlabel("d_k")
ax.set_ylabel("mean entropy (bits)")
ax.set_ylim(bottom=0)
ax.legend(frameon=False)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## How much gradient gets through
#
# Training nudges the scores and looks at how the weights answer. The
# Jacobian of softmax, $\partial w_i / \partial s_j = w_i(\delta_{ij} - w_j)$,
# holds every such answer; its Frobenius norm sums them up. A saturated
# softmax answers almost nothing. `softmax_gradient` uses the same draws
# as above.

# %%
grads = {d: softmax_gradient(d, N_KEYS, N_SAMPLES, SEED) for d in D_K}
equal_w = fmt(math.sqrt(N_KEYS - 1) / N_KEYS)
print(f"response of {N_KEYS} equal weights: {equal_w}")
print(f"{'d_k':>6} {'unscaled':>9} {'scaled':>8}")
for d_k, g in grads.items():
    g_raw = fmt(g["gradient_unscaled"])
    g_sc = fmt(g["gradient_scaled"])
    print(f"{d_k:>6} {g_raw:>9} {g_sc:>8}")

# %% [markdown]
# ## One query, seen up close
#
# One random query and its keys at the largest $d_k$: the weights without
# scaling (`scale=1.0`) and with the default $1/\sqrt{d_k}$ of
# `attention_ref.scaled_dot_product_attention`, largest first.

# %%
d_k = D_K[-1]
rng = np.random.default_rng([SEED, d_k, 1])  # a seeded draw of its own
q = rng.standard_normal((1, d_k))  # (1, d_k)
k = rng.standard_normal((N_KEYS, d_k))  # (N_KEYS, d_k)
v = np.eye(N_KEYS)  # (N_KEYS, N_KEYS): the output is the weights
unscaled = scaled_dot_product_attention(q, k, v, scale=1.0).weights[0]
scaled = scaled_dot_product_attention(q, k, v).weights[0]
print(f"d_k = {d_k}: one query, {N_KEYS} keys")
print(f"{'key':>5} {'unscaled':>9} {'scaled':>8}")
for j in np.argsort(-scaled)[:10]:
    w_raw, w = fmt(float(unscaled[j]), "pct"), fmt(float(scaled[j]), "pct")
    print(f"{j:>5} {w_raw:>9} {w:>8}")
h_raw = fmt(float(entropy_bits(unscaled)))
h = fmt(float(entropy_bits(scaled)))
print(f"entropy: {h_raw} bits unscaled, {h} bits scaled")

# %% [markdown]
# ## Things to try
#
# - Set `N_KEYS = 2`: how low can the entropy of two keys go?
# - Set `D_K = [1, 2, 3]`: for $d_k = 1$ scaling changes nothing. Why?
# - Change `SEED`: which numbers move, and by how much? The conclusion
#   should not.
