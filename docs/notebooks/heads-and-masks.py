# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Heads and masks
#
# Three additions to the five steps, each first by hand and then with
# `attention_ref`:
#
# 1. **Multi-head attention** splits $d_\text{model}$ into `n_heads` smaller
#    heads, lets each attend on its own, puts their outputs side by side and
#    mixes them with $W_O$.
# 2. **The causal mask** lets each word attend only to itself and the words
#    before it, as a model that writes text one word at a time must; a
#    model that writes keeps the keys and values it computed (the KV cache).
# 3. **Cross-attention** takes the queries from one sentence and the keys
#    and values from another, as a translation model's decoder reads the
#    sentence it translates.

# %% tags=["parameters"]
SENTENCE = "animal"  # a sentence of attention_ref/examples.toml
N_HEADS = 2  # must divide d_model (4 in the walk-through's language)
# The multi-head part uses random projections (an untrained model):
SEED = 2017  # fixes them
SPREAD = 1.5  # their spread: larger gives sharper, more distinct heads

# %%
import matplotlib.pyplot as plt
import numpy as np

from attention_ref import (
    causal_mask,
    cross_attention,
    decode,
    decoding_cost,
    load_examples,
    multi_head_attention,
    self_attention,
)
from figures_src.kit.formats import fmt

examples = load_examples()
sentence = examples.sentence(SENTENCE)
tokens = sentence.tokens
X = sentence.x  # (T, d_model)
T, d_model = X.shape
focus = sentence.focus_index if sentence.focus else 0
print(sentence.text)
print(f"T = {T} tokens, d_model = {d_model}, focus word {tokens[focus]!r}")


def show(matrix, rows, cols, style="f2", width=8):
    """Print a matrix with row and column labels, numbers as on the site."""
    print(" " * width + "".join(f"{c:>{width}}" for c in cols))
    for label, row in zip(rows, np.atleast_2d(matrix), strict=True):
        cells = "".join(f"{fmt(float(x), style):>{width}}" for x in row)
        print(f"{label:<{width}}{cells}")


# %% [markdown]
# ## Multi-head attention, by hand
#
# The four projections are square, $(d_\text{model}, d_\text{model})$:
# what matters is how they are cut. Head $h$ uses the block of columns
# $h \cdot d_\text{head}$ to $(h+1) \cdot d_\text{head}$ of $W_Q$, $W_K$
# and $W_V$, with $d_\text{head} = d_\text{model} / n_\text{heads}$.

# %%
if d_model % N_HEADS:
    raise ValueError(f"N_HEADS = {N_HEADS} must divide d_model = {d_model}")
d_head = d_model // N_HEADS
rng = np.random.default_rng(SEED)
W_Q, W_K, W_V, W_O = (
    SPREAD * rng.standard_normal((d_model, d_model)) for _ in range(4)
)
print(f"n_heads = {N_HEADS}, d_head = {d_head}")
print(f"W_Q, W_K, W_V, W_O: each {W_Q.shape}")

head_outputs, head_weights = [], []
for h in range(N_HEADS):
    cols = slice(h * d_head, (h + 1) * d_head)  # head h's block of columns
    Q_h = X @ W_Q[:, cols]  # (T, d_model) x (d_model, d_head) -> (T, d_head)
    K_h = X @ W_K[:, cols]  # (T, d_head)
    V_h = X @ W_V[:, cols]  # (T, d_head)
    scaled = Q_h @ K_h.T / np.sqrt(d_head)  # (T, T)
    e = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)  # (T, T)
    head_weights.append(weights)
    head_outputs.append(weights @ V_h)  # (T, T) x (T, d_head) -> (T, d_head)
    print(
        f"head {h}: Q_h, K_h, V_h {Q_h.shape}  weights {weights.shape}"
        f"  output {head_outputs[-1].shape}"
    )
concat = np.concatenate(head_outputs, axis=-1)  # (T, n_heads * d_head)
output = concat @ W_O  # (T, d_model) x (d_model, d_model) -> (T, d_model)
print(f"concat {concat.shape}  ->  concat @ W_O  ->  output {output.shape}")

# %% [markdown]
# Each head has its own row of weights for the focus word: the heads look
# at the sentence differently.

# %%
rows = [f"head {h}" for h in range(N_HEADS)]
show(np.array([w[focus] for w in head_weights]), rows, tokens, "pct")

# %% [markdown]
# ## The same with attention_ref
#
# `attention_ref.multi_head_attention` returns every head, the
# concatenation and the output.

# %%
mha = multi_head_attention(X, W_Q, W_K, W_V, W_O, n_heads=N_HEADS)
print(f"heads: {len(mha.heads)}   weights {mha.weights.shape}")
print(f"concat {mha.concat.shape}   output {mha.output.shape}")
close = dict(rtol=1e-12, atol=1e-15)  # float64, rounding order only
np.testing.assert_allclose(mha.weights, np.stack(head_weights), **close)
np.testing.assert_allclose(mha.concat, concat, **close)
np.testing.assert_allclose(mha.output, output, **close)
print("by hand and attention_ref agree: every head's weights,")
print("the concatenation and the output")

# %%
fig, axes = plt.subplots(
    1, N_HEADS, figsize=(4.6 * N_HEADS, 4.4), squeeze=False
)
for h, ax in enumerate(axes[0]):
    ax.imshow(mha.weights[h], cmap="Purples", vmin=0, vmax=1)
    ax.set_xticks(range(T), tokens, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(T), tokens, fontsize=8)
    ax.set_title(f"head {h}: each row sums to one", fontsize=10)
    ax.set_xlabel("key (attended to)")
axes[0][0].set_ylabel("query (attending)")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The causal mask, step by step
#
# The mask is a boolean matrix: `True` where query $i$ may attend to key
# $j$, that is where $j \le i$. Masked scores become $-\infty$ before the
# softmax, so their weight is exactly zero, and the remaining weights of
# each row still add up to one. Here with the walk-through's own
# projections.

# %%
language = sentence.language
mask = causal_mask(T)  # (T, T) bool, lower triangle
print("may attend (1) or not (0):")
show(mask.astype(float), tokens, tokens, "int")

# %%
Q = X @ language.w_q  # (T, d_k)
K = X @ language.w_k  # (T, d_k)
V = X @ language.w_v  # (T, d_v)
scaled = Q @ K.T / np.sqrt(K.shape[-1])  # (T, T)
masked = np.where(mask, scaled, -np.inf)  # above the diagonal: -inf
e = np.exp(masked - masked.max(axis=-1, keepdims=True))  # exp(-inf) = 0
weights = e / e.sum(axis=-1, keepdims=True)  # (T, T)
print("scaled scores with the mask applied:")
show(masked, tokens, tokens)
print("\nweights:")
show(weights, tokens, tokens, "pct")

# %%
w_q, w_k, w_v = language.w_q, language.w_k, language.w_v
causal = self_attention(X, w_q, w_k, w_v, causal=True)
full = self_attention(X, w_q, w_k, w_v)
np.testing.assert_allclose(causal.weights, weights, rtol=1e-12, atol=1e-15)
above = np.triu(causal.weights, k=1)  # the weights above the diagonal
assert np.all(above == 0), "a weight above the diagonal is not zero"
np.testing.assert_allclose(causal.weights.sum(axis=-1), 1.0, rtol=1e-12)
print("by hand and attention_ref (causal=True) agree;")
print("every weight above the diagonal is exactly 0")
first = fmt(float(causal.weights[0, 0]), "pct")
print(f"the first word can only attend to itself: weight {first}")
np.testing.assert_allclose(causal.weights[-1], full.weights[-1], rtol=1e-12)
print("the last word sees the whole sentence: its row is the same")
print("with and without the mask")
most_full = tokens[int(full.weights[focus].argmax())]
most_causal = tokens[int(causal.weights[focus].argmax())]
print(f"{tokens[focus]!r} attends most to {most_full!r} without the mask,")
print(f"and to {most_causal!r} with it")

# %% [markdown]
# The mask is shared by every head: with `causal=True`, each head's weights
# are zero above the diagonal too.

# %%
mha_causal = multi_head_attention(
    X, W_Q, W_K, W_V, W_O, n_heads=N_HEADS, causal=True
)
assert all(np.all(np.triu(w, k=1) == 0) for w in mha_causal.weights)
print(f"all {N_HEADS} heads: weights above the diagonal are exactly 0")

# %% [markdown]
# ## Generating one word at a time, with a KV cache
#
# A decoder writes one word per step. Under the causal mask the new word
# reads only the keys up to itself, and those keys and values never change
# once computed, so they are kept (the KV cache): each step computes the
# new word's q, k and v only, and one row of weights. By hand first, then
# with `attention_ref.decode`; both give the rows of the causal weights.

# %%
k_cache, v_cache = [], []
for t, x_t in enumerate(X):
    q_t = x_t @ w_q  # (d_k,) computed now
    k_cache.append(x_t @ w_k)  # the only new key
    v_cache.append(x_t @ w_v)  # the only new value
    K_t, V_t = np.stack(k_cache), np.stack(v_cache)  # (t+1, d)
    s_t = K_t @ q_t / np.sqrt(K_t.shape[-1])  # (t+1,)
    w_t = np.exp(s_t - s_t.max())
    w_t /= w_t.sum()
    np.testing.assert_allclose(w_t, causal.weights[t, : t + 1],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(w_t @ V_t, causal.output[t],
                               rtol=0, atol=1e-12)
print(f"{T} steps with a cache: the same weights and outputs")
print("as causal self-attention over the whole sentence")

steps = decode(X, w_q, w_k, w_v)
last = steps[-1]
print(f"last step: {last.n_cached} keys from the cache, 1 computed")

# %% [markdown]
# What the cache saves, in multiply-adds of one head for the token at
# position t (`decoding_cost` counts the matrix products' shapes), for
# the head size of `[decoding]` in the examples file:

# %%
dec = examples.decoding
size = (dec.d_model, dec.d_k, dec.d_v)
for t in (1, 16, dec.max_t):
    kept = decoding_cost(t, *size).total
    again = decoding_cost(t, *size, cache=False).total
    print(f"t = {t:3d}: {kept:7d} with the cache, "
          f"{again:8d} without ({again // kept}x)")

# ## Cross-attention, by hand
#
# The `[cross]` section of the examples file holds a translation pair: a
# French sentence being written (the decoder's side) and the English
# sentence it reads (the encoder's side). The French words give the
# queries, the English words the keys and the values. The formula is the
# one above; only the weights are $(T_q, T_k)$, not square.

# %%
pair = examples.cross
if pair is None:
    raise ValueError(f"{examples.path} has no [cross] section")
fr, en = pair.target.tokens, pair.source.tokens  # written, read
Q_fr = pair.x_q @ pair.w_q  # (T_q, d_q) x (d_q, d_k) -> (T_q, d_k)
K_en = pair.x_kv @ pair.w_k  # (T_k, d_kv) x (d_kv, d_k) -> (T_k, d_k)
V_en = pair.x_kv @ pair.w_v  # (T_k, d_v)
scaled = Q_fr @ K_en.T / np.sqrt(K_en.shape[-1])  # (T_q, T_k)
e = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
cross_w = e / e.sum(axis=-1, keepdims=True)  # softmax along each row
Z = cross_w @ V_en  # (T_q, T_k) x (T_k, d_v) -> (T_q, d_v)
print(f"{pair.target.text!r} reads {pair.source.text!r}")
print(f"Q {Q_fr.shape} from the French, K {K_en.shape} and")
print(f"V {V_en.shape} from the English")
print(f"weights {cross_w.shape}, output {Z.shape}")
show(cross_w, fr, en, "pct")

# %% [markdown]
# ## Cross-attention with attention_ref
#
# `attention_ref.cross_attention` makes $Q$ from the first sequence and
# $K$, $V$ from the second, then runs the same scaled dot-product
# attention.

# %%
cross = cross_attention(pair.x_q, pair.x_kv, pair.w_q, pair.w_k, pair.w_v)
np.testing.assert_allclose(cross.weights, cross_w, **close)
np.testing.assert_allclose(cross.output, Z, **close)
print("by hand and attention_ref.cross_attention agree")
for word, row in zip(fr, cross.weights, strict=True):
    best = int(row.argmax())
    print(f"{word!r} reads {en[best]!r} most: {fmt(float(row[best]), 'pct')}")
rows_sum = cross.weights.sum(axis=-1)
np.testing.assert_allclose(rows_sum, 1.0, rtol=1e-12)
print("each row adds up to one; the columns add up to:")
show(cross.weights.sum(axis=0, keepdims=True), ["sum"], en, "pct")

# %%
fig, ax = plt.subplots(figsize=(4.6, 5.0))
ax.imshow(cross.weights, cmap="Purples", vmin=0, vmax=1)
ax.set_xticks(range(len(en)), en, rotation=40, ha="right")
ax.set_yticks(range(len(fr)), fr)
ax.set_xlabel("key and value: the English, read")
ax.set_ylabel("query: the French, written")
ax.set_title(f"cross-attention weights {cross.weights.shape}", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Things to try
#
# - Set `N_HEADS = 1` or `4`: with one head, multi-head attention is plain
#   self-attention followed by $W_O$; with four, every head has
#   $d_\text{head} = 1$.
# - Change `SEED` or `SPREAD` and compare the heads' rows for the focus
#   word.
# - Set `SENTENCE = "cat"`: which words does "sat" see under the causal
#   mask?
# - In the cache loop, forget to append the new key (`k_cache.append`)
#   before the scores: which assertion fails, and why?
# - Swap the sentences: `cross_attention(pair.x_kv, pair.x_q, pair.w_q,
#   pair.w_k, pair.w_v)` has the English ask and the French answer (the toy
#   languages share their axes, so the projections fit). What shape are
#   the weights now, and which French word does "sat" read most?
