# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Self-attention from scratch
#
# The five steps of self-attention on the walk-through sentence, written out
# in plain numpy, one line per step. Then the same computation with one call
# to `attention_ref.self_attention`, the function behind every figure of this
# site, and a check that both give the same numbers, and that these are the
# numbers the figure of step 4 draws.
#
# $$Q = X W_Q, \qquad K = X W_K, \qquad V = X W_V$$
#
# $$\mathrm{Attention}(Q, K, V) =
# \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V$$

# %%
import numpy as np

from attention_ref import load_examples, self_attention
from figures_src.kit.formats import fmt

# attention_ref/examples.toml, or the file $ATTENTION_EXAMPLES names
examples = load_examples()
sentence = examples.sentence("animal")
language = sentence.language
tokens = sentence.tokens
focus = sentence.focus_index  # the word the walk-through follows
print(sentence.text)
print(f"focus word: {tokens[focus]!r}, token {focus} (counting from 0)")


# %%
def show(matrix, rows, cols, style="f2", width=8):
    """Print a matrix with row and column labels, numbers as on the site."""
    print(" " * width + "".join(f"{c:>{width}}" for c in cols))
    for label, row in zip(rows, np.atleast_2d(matrix), strict=True):
        cells = "".join(f"{fmt(float(x), style):>{width}}" for x in row)
        print(f"{label:<{width}}{cells}")


# %% [markdown]
# ## The input: one row per word
#
# Every word is a vector on the four readable axes of the toy language.
# Stacked, they are the matrix $X$ of shape $(T, d_\text{model})$: one row
# per token.

# %%
X = sentence.x  # (T, d_model)
W_Q = language.w_q  # (d_model, d_k)
W_K = language.w_k  # (d_model, d_k)
W_V = language.w_v  # (d_model, d_v)
T, d_model = X.shape
print(f"X {X.shape}  W_Q {W_Q.shape}  W_K {W_K.shape}  W_V {W_V.shape}")
show(X, tokens, language.axes)

# %% [markdown]
# ## Step 1: queries, keys and values
#
# Three learned matrices turn each word into what it looks for (its query),
# what it offers to be found by (its key) and what it hands over (its value).

# %%
Q = X @ W_Q  # (T, d_model) x (d_model, d_k) -> (T, d_k)
K = X @ W_K  # (T, d_k)
V = X @ W_V  # (T, d_v)
d_k = K.shape[-1]
print(f"Q {Q.shape}   K {K.shape}   V {V.shape}   d_k = {d_k}")
print(f"\nthe query of {tokens[focus]!r} and every key:")
labels = [f"q:{tokens[focus]}"] + [f"k:{t}" for t in tokens]
show(np.vstack([Q[focus], K]), labels, language.axes, width=10)

# %% [markdown]
# ## Step 2: scores
#
# The dot product of a query with every key: how well each word matches what
# the query looks for.

# %%
scores = Q @ K.T  # (T, d_k) x (d_k, T) -> (T, T)
print(f"scores {scores.shape}; the row of {tokens[focus]!r}:")
show(scores[focus], [tokens[focus]], tokens)

# %% [markdown]
# ## Step 3: scaling
#
# Divide by $\sqrt{d_k}$, so that the spread of the scores does not grow with
# the size of the vectors (the notebook "Why √d_k" shows what happens
# otherwise).

# %%
scaled = scores / np.sqrt(d_k)  # (T, T)
show(scaled[focus], [tokens[focus]], tokens)

# %% [markdown]
# ## Step 4: softmax
#
# Exponentiate and divide by the sum: every weight is positive and each row
# adds up to one. Subtracting the row's largest score first changes nothing
# in the result (softmax is shift invariant) and keeps `exp` from
# overflowing.

# %%
# (T, T); the largest entry of each row becomes 0
shifted = scaled - scaled.max(axis=-1, keepdims=True)
e = np.exp(shifted)
weights = e / e.sum(axis=-1, keepdims=True)  # (T, T), rows sum to one
show(weights[focus], [tokens[focus]], tokens, style="pct")
print(f"sum of the row: {fmt(float(weights[focus].sum()), 'pct0')}")

# %% [markdown]
# ## Step 5: the weighted sum
#
# The new vector of each word is the mix of all values, in the proportions
# of its weights. The focus word moves toward the word it attends to most.

# %%
output = weights @ V  # (T, T) x (T, d_v) -> (T, d_v)
print(f"output {output.shape}")
top = int(weights[focus].argmax())
moved = np.vstack([X[focus], output[focus], X[top]])
rows = [f"{tokens[focus]} before", f"{tokens[focus]} after", tokens[top]]
show(moved, rows, language.axes, width=14)

# %% [markdown]
# ## The same with attention_ref
#
# One call of `attention_ref.self_attention` returns every step above as a
# field. The check below fails loudly if any step differs from the plain
# numpy version by more than rounding.

# %%
att = self_attention(X, W_Q, W_K, W_V)
ours = {
    "q": Q,
    "k": K,
    "v": V,
    "scores": scores,
    "scaled": scaled,
    "weights": weights,
    "output": output,
}
for name, value in ours.items():
    # The same formula in float64: only the order of roundings may differ.
    np.testing.assert_allclose(
        getattr(att, name), value, rtol=1e-12, atol=1e-15, err_msg=name
    )
print("plain numpy and attention_ref.self_attention agree on every step:")
print(", ".join(ours))

# %% [markdown]
# ## The numbers the figure shows
#
# The figure of step 4 ("How 'it' shares out its attention") is drawn by
# `figures_src/figures/softmax_pie_it.py`, whose `data()` asks attention_ref
# for the same row. Here are that row's numbers, written by the same
# function that writes the figure's labels.

# %% tags=["focus-weights"]
print(f"{tokens[focus]!r} attends to:")
print(f"  {'word':<8} {'score':>6} {'scaled':>6} {'weight':>7}")
for word, s, sc, w in zip(
    tokens,
    att.scores[focus],
    att.scaled[focus],
    att.weights[focus],
    strict=True,
):
    s, sc, w = fmt(float(s)), fmt(float(sc)), fmt(float(w), "pct")
    print(f"  {word:<8} {s:>6} {sc:>6} {w:>7}")

# %%
from figures_src.figures import softmax_pie_it

shown = softmax_pie_it.data(examples)
assert shown["tokens"] == list(tokens)
assert shown["focus"] == tokens[focus]
np.testing.assert_allclose(
    shown["weights"], att.weights[focus], rtol=1e-12, atol=1e-15
)
drawn = softmax_pie_it.labels(shown)
assert drawn == [fmt(float(w), "pct") for w in weights[focus]]
print(f"the figure {softmax_pie_it.ID!r} draws exactly these weights;")
top_weight = fmt(shown["top_weight"], "pct")
print(f"its largest slice is {shown['top_word']!r} with {top_weight}")
