"""Attention while generating: one token at a time, with a KV cache, and the choice of the next token.

A decoder writes text one token at a time. At step t (0-based) the new token
x_t is appended, and under the causal mask its query may read the keys of
tokens 0..t only: row t of `causal_mask(T)`. The keys and values of tokens
0..t-1 were computed at their own steps and do not change (x_j W_K depends
on token j alone), so a decoder keeps them, the **KV cache**, and computes
only the new token's q, k and v:

    q_t = x_t W_Q,  k_t = x_t W_K,  v_t = x_t W_V          # the new token, this step
    K = [K_cache; k_t],  V = [V_cache; v_t]                # (t+1, d_k), (t+1, d_v)
    weights = softmax(q_t K^T / sqrt(d_k)),  output = weights V

which is row t of `self_attention(x, ..., causal=True)` (`decode` and the
tests check it to 1e-12).

Choosing the next token from its scores (logits): `softmax_with_temperature`
divides the scores by a temperature before the softmax, the same division
that step 3 makes by sqrt(d_k); `sample_index` picks a token from the
probabilities with a uniform number u (inverse CDF); `uniform_draws` is the
site's small seeded generator (mulberry32), written the same way in the
browser (docs/assets/javascripts/decoding.js), so that both draw the same
numbers from the same seed.

    >>> import numpy as np
    >>> from attention_ref.decoding import decoding_cost
    >>> decoding_cost(4, 8, 2).total, decoding_cost(4, 8, 2, cache=False).total
    (64, 256)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array, check_positive_float, check_positive_int
from .attention import _attend, _frozen
from .softmax import softmax


@dataclass(frozen=True, kw_only=True)
class KVCache:
    """The keys and values of the tokens read so far, one row per token (read-only).

    Fields: k `(t, d_k)`, v `(t, d_v)`.
    """

    k: np.ndarray
    v: np.ndarray

    def __len__(self) -> int:
        return self.k.shape[0]


@dataclass(frozen=True, kw_only=True)
class DecodeStep:
    """One step of causal decoding: what the new token computed, what it read, and the cache after it.

    Fields (t = `position`, the new token's index, so it reads t + 1 keys):
        position: int, 0-based.
        q, k, v: `(d_k,)`, `(d_k,)`, `(d_v,)`, the new token's projections (computed this step).
        scores, scaled, weights: `(t + 1,)`, its row against every key it may read (0..t).
        output: `(d_v,)`, weights V.
        cache: `KVCache` of t + 1 rows: the cache it was given with k and v appended.
        n_cached: int, the keys it read from the cache (t), as against the one it computed.
    """

    position: int
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    scores: np.ndarray
    scaled: np.ndarray
    weights: np.ndarray
    output: np.ndarray
    cache: KVCache
    n_cached: int


@dataclass(frozen=True)
class DecodingCost:
    """Multiply-adds of one head's attention for one new token (matrix products only).

    projections: x W_Q, x W_K, x W_V for the tokens whose q, k, v are computed;
    scores: Q K^T; weighted_sum: weights V. Softmax, scaling and masking are
    elementwise and left out (O(t) per token either way).
    """

    projections: int
    scores: int
    weighted_sum: int

    @property
    def total(self) -> int:
        return self.projections + self.scores + self.weighted_sum


def _check_weights(d_model: int, w_q, w_k, w_v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ws = {name: as_float_array(name, w) for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v))}
    for name, w in ws.items():
        if w.ndim != 2 or w.shape[0] != d_model:
            raise ValueError(
                f"{name} must have shape (d_model, d) with d_model = {d_model} (the length of the token vector); "
                f"got {name} {w.shape}"
            )
    if ws["w_q"].shape[1] != ws["w_k"].shape[1]:
        raise ValueError(
            f"w_q and w_k must project to the same d_k; got w_q {ws['w_q'].shape} and w_k {ws['w_k'].shape}"
        )
    return ws["w_q"], ws["w_k"], ws["w_v"]


def decode_step(x_t, w_q, w_k, w_v, cache: KVCache | None = None) -> DecodeStep:
    """The new token's attention over itself and the cached tokens before it.

    Args:
        x_t: the new token's vector `(d_model,)`.
        w_q, w_k: `(d_model, d_k)`; w_v: `(d_model, d_v)`.
        cache: the `KVCache` of the tokens before it (None or omitted at the first step).

    Returns:
        `DecodeStep`; its `cache` holds one row more and is what the next step takes.

    Raises:
        TypeError: x_t or a weight is not a float array; cache is not a KVCache.
        ValueError: x_t is not 1-D, a weight has the wrong shape, or the cache's
            d_k / d_v do not match the weights.
    """
    x_t = as_float_array("x_t", x_t)
    if x_t.ndim != 1:
        raise ValueError(f"x_t must be one token's vector, shape (d_model,); got shape {x_t.shape}")
    w_q, w_k, w_v = _check_weights(x_t.shape[0], w_q, w_k, w_v)
    if cache is not None and not isinstance(cache, KVCache):
        raise TypeError(f"cache must be a KVCache (from a previous DecodeStep) or None; got {type(cache).__name__}")
    if cache is not None and (cache.k.shape[1] != w_k.shape[1] or cache.v.shape[1] != w_v.shape[1]):
        raise ValueError(
            f"the cache does not fit these weights: cache k {cache.k.shape}, v {cache.v.shape}; "
            f"w_k {w_k.shape}, w_v {w_v.shape}"
        )
    return _step(x_t, w_q, w_k, w_v, cache)


def _step(x_t, w_q, w_k, w_v, cache: KVCache | None) -> DecodeStep:
    q, k, v = x_t @ w_q, x_t @ w_k, x_t @ w_v  # the only projections computed this step
    keys = k[None, :] if cache is None else np.vstack([cache.k, k])  # (t+1, d_k)
    values = v[None, :] if cache is None else np.vstack([cache.v, v])  # (t+1, d_v)
    att = _attend(q[None, :], keys, values, None, 1.0 / np.sqrt(q.shape[0]))  # one query row
    return DecodeStep(
        position=keys.shape[0] - 1,
        q=_frozen(q),
        k=_frozen(k),
        v=_frozen(v),
        scores=_frozen(att.scores[0]),
        scaled=_frozen(att.scaled[0]),
        weights=_frozen(att.weights[0]),
        output=_frozen(att.output[0]),
        cache=KVCache(k=_frozen(keys), v=_frozen(values)),
        n_cached=0 if cache is None else len(cache),
    )


def decode(x, w_q, w_k, w_v) -> tuple[DecodeStep, ...]:
    """Every step of decoding the tokens X `(T, d_model)` one at a time with a KV cache.

    Step t's `output` equals row t of `self_attention(x, w_q, w_k, w_v, causal=True).output`.
    """
    x = as_float_array("x", x, min_ndim=2)
    if x.ndim != 2:
        raise ValueError(f"x must be one sequence, shape (T, d_model); got shape {x.shape}")
    w_q, w_k, w_v = _check_weights(x.shape[1], w_q, w_k, w_v)
    steps, cache = [], None
    for x_t in x:
        step = _step(x_t, w_q, w_k, w_v, cache)
        steps.append(step)
        cache = step.cache
    return tuple(steps)


def decoding_cost(t: int, d_model: int, d_k: int, d_v: int | None = None, *, cache: bool = True) -> DecodingCost:
    """Multiply-adds of one head's attention for the new token at step t (t tokens so far, itself included).

    With the cache (`decode_step`): the new token's projections (1 row), its
    scores against t keys, its weighted sum of t values: O(t).
    Without it, the model runs again over the whole prefix, as
    `self_attention(x[:t], ..., causal=True)` does: t rows of projections and
    the full (t, t) scores and weighted sum: O(t^2). (In a model of several
    layers that is the only way: the keys of earlier tokens in layer 2 and up
    come from their attention in the layer below.)

    Raises:
        TypeError / ValueError: an argument that is not a positive int; `cache` not a bool.
    """
    t = check_positive_int("t", t)
    d_model = check_positive_int("d_model", d_model)
    d_k = check_positive_int("d_k", d_k)
    d_v = d_k if d_v is None else check_positive_int("d_v", d_v)
    if not isinstance(cache, (bool, np.bool_)):
        raise TypeError(f"cache must be a bool; got {type(cache).__name__} {cache!r}")
    rows = 1 if cache else t  # the tokens whose q, k, v are computed now
    queries = 1 if cache else t  # the rows of the scores
    return DecodingCost(
        projections=rows * d_model * (2 * d_k + d_v),  # (rows, d_model) x (d_model, d) for W_Q, W_K, W_V
        scores=queries * t * d_k,  # (queries, d_k) x (d_k, t)
        weighted_sum=queries * t * d_v,  # (queries, t) x (t, d_v)
    )


def softmax_with_temperature(logits, temperature) -> np.ndarray:
    """softmax(logits / temperature) over the last axis: the next token's probabilities.

    Temperature 1 is the plain softmax; below 1 sharpens (towards argmax),
    above 1 evens out (towards uniform). Dividing by a positive number keeps
    the order of the scores, so the most likely token stays the same.

    Raises:
        TypeError: logits not a float array, or temperature not a number.
        ValueError: empty logits, NaN/inf in them, or a temperature that is not positive and finite.
    """
    logits = as_float_array("logits", logits)
    temperature = check_positive_float("temperature", temperature)
    return softmax(logits / temperature)


def _check_probabilities(probabilities) -> np.ndarray:
    p = as_float_array("probabilities", probabilities)
    if p.ndim != 1:
        raise ValueError(f"probabilities must be one distribution, shape (n,); got shape {p.shape}")
    if np.any(p < 0) or abs(p.sum() - 1.0) > 1e-9:
        raise ValueError(f"probabilities must be non-negative and sum to 1; got sum {p.sum()!r}, min {p.min()!r}")
    return p


def sample_index(probabilities, u) -> int:
    """The token whose cumulative probability first exceeds u (inverse CDF): the first i with u < p_0 + ... + p_i.

    u uniform in [0, 1) picks token i with probability p_i. The sums are taken
    in index order, as the browser does. A u past the last sum by rounding
    picks the last token of nonzero probability.

    Raises:
        TypeError / ValueError: probabilities not a 1-D distribution; u not a number in [0, 1).
    """
    p = _check_probabilities(probabilities)
    if isinstance(u, bool) or not isinstance(u, (int, float, np.integer, np.floating)):
        raise TypeError(f"u must be a number in [0, 1); got {type(u).__name__} {u!r}")
    if not 0.0 <= float(u) < 1.0:
        raise ValueError(f"u must lie in [0, 1); got {u!r}")
    return _inverse_cdf(p, float(u))


def _inverse_cdf(p: np.ndarray, u: float) -> int:
    total = 0.0
    for i, p_i in enumerate(p):  # a plain loop: the same additions, in the same order, as decoding.js
        total += float(p_i)
        if u < total:
            return i
    return int(np.flatnonzero(p > 0)[-1])


def uniform_draws(seed: int, n: int) -> np.ndarray:
    """n numbers in [0, 1) from the seeded generator mulberry32, as decoding.js draws them: `(n,)`.

    Raises:
        TypeError / ValueError: seed not an int in [0, 2^32); n not a positive int.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int; got {type(seed).__name__} {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must lie in [0, 2^32); got {seed}")
    n = check_positive_int("n", n)
    out = np.empty(n)
    a = int(seed)
    m = 0xFFFFFFFF
    for i in range(n):
        a = (a + 0x6D2B79F5) & m
        t = _imul(a ^ (a >> 15), a | 1)
        t = ((t + _imul(t ^ (t >> 7), t | 61)) & m) ^ t
        out[i] = ((t ^ (t >> 14)) & m) / 4294967296
    return out


def _imul(a: int, b: int) -> int:
    """JavaScript's Math.imul on unsigned 32-bit values: the low 32 bits of the product."""
    return (a * b) & 0xFFFFFFFF


def sample_tokens(probabilities, seed: int, n: int) -> np.ndarray:
    """n seeded draws of a token index from the probabilities: `sample_index` of each `uniform_draws(seed, n)`."""
    p = _check_probabilities(probabilities)
    return np.array([_inverse_cdf(p, u) for u in uniform_draws(seed, n)], dtype=np.int64)
