"""Scaled dot-product attention and single-head self-attention.

Convention (used on every page of the site): tokens are row vectors, so a
sentence of T tokens is a matrix X of shape (T, d_model), and

    Q = X W_Q,  K = X W_K,  V = X W_V,
    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V.

Cross-attention is the same formula with the queries from one sequence (the
one being written: a decoder's, a translation's) and the keys and values
from another (the one being read: the encoder's output, the source):

    Q = X_q W_Q,  K = X_kv W_K,  V = X_kv W_V,  weights (T_q, T_k).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array, as_mask, broadcast_batch, check_last_dims_match, check_positive_float
from .softmax import _masked_softmax


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64 if a.dtype != np.bool_ else np.bool_)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, kw_only=True)
class Attention:
    """Every step of scaled dot-product attention, as read-only arrays.

    Fields (shapes for q `(..., T_q, d_k)`, k `(..., T_k, d_k)`, v `(..., T_k, d_v)`):
        scores:  `(..., T_q, T_k)`  Q K^T, the raw dot products (step 2).
        scaled:  `(..., T_q, T_k)`  scores * scale; masked entries are -inf (step 3).
        weights: `(..., T_q, T_k)`  softmax of `scaled` over the keys (step 4).
        output:  `(..., T_q, d_v)`  weights V, one context vector per query (step 5).
        mask:    `(..., T_q, T_k)`  bool, True = may attend; None if no mask and not causal.
        scale:   the factor applied to the scores (1/sqrt(d_k) unless given).
    """

    scores: np.ndarray
    scaled: np.ndarray
    weights: np.ndarray
    output: np.ndarray
    mask: np.ndarray | None = None
    scale: float


@dataclass(frozen=True, kw_only=True)
class SelfAttention(Attention):
    """`Attention` plus the projections it was computed from.

    Extra fields:
        q: `(..., T, d_k)`  X W_Q, what each token looks for.
        k: `(..., T, d_k)`  X W_K, what each token offers to be found by.
        v: `(..., T, d_v)`  X W_V, what each token hands over when it is found.
    """

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray


@dataclass(frozen=True, kw_only=True)
class CrossAttention(Attention):
    """`Attention` of one sequence over another, plus the projections it was computed from.

    Extra fields (x_q `(..., T_q, d_q)` gives the queries, x_kv `(..., T_k, d_kv)` the keys and values):
        q: `(..., T_q, d_k)`  X_q W_Q, what each token of the sequence being written looks for.
        k: `(..., T_k, d_k)`  X_kv W_K, what each token of the sequence being read offers to be found by.
        v: `(..., T_k, d_v)`  X_kv W_V, what each token of the sequence being read hands over.
    `weights` is `(..., T_q, T_k)`: one row per query token, one column per key token, rectangular
    when the two sequences differ in length.
    """

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray


def scaled_dot_product_attention(q, k, v, *, mask=None, causal: bool = False, scale=None) -> Attention:
    """softmax(Q K^T * scale) V, returning every intermediate step.

    Args:
        q: queries `(..., T_q, d_k)`, float.
        k: keys `(..., T_k, d_k)`, float.
        v: values `(..., T_k, d_v)`, float.
        mask: optional bool array broadcastable to `(..., T_q, T_k)`;
            True = the query may attend to that key.
        causal: if True, query i may attend only to keys j <= i (aligned at
            the top left, as in PyTorch, when T_q != T_k). Combined with
            `mask` by logical and.
        scale: factor applied to Q K^T; default 1/sqrt(d_k).

    Leading batch dimensions of q, k and v broadcast against each other.

    A query whose every key is masked has nothing to attend to: its row of
    `weights` is all zeros and its `output` row is the zero vector (PyTorch's
    `scaled_dot_product_attention` returns the same).

    Raises:
        TypeError: an input is not a float array, `mask` is not bool, or
            `causal` is not a bool.
        ValueError: wrong rank, mismatched d_k, T_k of k and v differ, empty
            sequence, NaN/inf in an input, a mask that does not broadcast,
            batch dimensions that do not broadcast, or a non-positive scale.
    """
    q = as_float_array("q", q, min_ndim=2)
    k = as_float_array("k", k, min_ndim=2)
    v = as_float_array("v", v, min_ndim=2)
    check_last_dims_match("q", q, "k", k, "d_k")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"k and v must have the same number of tokens T_k (axis -2); got k {k.shape} and v {v.shape}"
        )
    batch = broadcast_batch(("q", "k", "v"), (q, k, v))
    if not isinstance(causal, (bool, np.bool_)):
        raise TypeError(f"causal must be a bool; got {type(causal).__name__} {causal!r}")
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else check_positive_float("scale", scale)
    t_q, t_k = q.shape[-2], k.shape[-2]
    keep = _combine_mask(mask, causal, batch + (t_q, t_k))
    return _attend(q, k, v, keep, scale)


def self_attention(x, w_q, w_k, w_v, *, mask=None, causal: bool = False) -> SelfAttention:
    """Single-head self-attention of the tokens X with learned projections.

    Args:
        x: token vectors `(..., T, d_model)`, one row per token.
        w_q: `(d_model, d_k)`; Q = X W_Q.
        w_k: `(d_model, d_k)`; K = X W_K.
        w_v: `(d_model, d_v)`; V = X W_V.
        mask, causal: as in `scaled_dot_product_attention`.

    Returns:
        `SelfAttention`: the fields of `Attention` plus `q`, `k`, `v`.

    Raises:
        TypeError / ValueError as `scaled_dot_product_attention`, and when a
        weight matrix is not 2-D or its rows do not match d_model, or W_Q and
        W_K disagree on d_k.
    """
    x = as_float_array("x", x, min_ndim=2)
    weights = {name: _projection(name, w, "x", x) for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v))}
    _check_same_d_k(weights["w_q"], weights["w_k"])
    if not isinstance(causal, (bool, np.bool_)):
        raise TypeError(f"causal must be a bool; got {type(causal).__name__} {causal!r}")
    t = x.shape[-2]
    keep = _combine_mask(mask, causal, x.shape[:-2] + (t, t))
    return _self_attend(x, weights["w_q"], weights["w_k"], weights["w_v"], keep)


def cross_attention(x_q, x_kv, w_q, w_k, w_v, *, mask=None) -> CrossAttention:
    """Attention of the tokens X_q over the tokens of another sequence X_kv.

    The queries come from `x_q` (in a translation model, the decoder: the
    sentence being written), the keys and values from `x_kv` (the encoder's
    output: the sentence being read). It is `scaled_dot_product_attention`
    on Q = X_q W_Q, K = X_kv W_K, V = X_kv W_V; the weights are
    `(..., T_q, T_k)`, each row a query token's attention over the other
    sequence, adding up to one.

    Args:
        x_q: `(..., T_q, d_q)` the tokens that ask, one row per token.
        x_kv: `(..., T_k, d_kv)` the tokens that are read; d_kv may differ from d_q.
        w_q: `(d_q, d_k)`; Q = X_q W_Q.
        w_k: `(d_kv, d_k)`; K = X_kv W_K.
        w_v: `(d_kv, d_v)`; V = X_kv W_V.
        mask: optional bool array broadcastable to `(..., T_q, T_k)`, True = may
            attend (e.g. `(..., 1, T_k)` to hide the padding of the source).

    There is no `causal` flag: every query may read the whole other sequence
    (a decoder's own causal mask belongs to its self-attention).

    Returns:
        `CrossAttention`: the fields of `Attention` plus `q`, `k`, `v`.

    Raises:
        TypeError / ValueError as `scaled_dot_product_attention`, and when a
        weight matrix is not 2-D, its rows do not match the last axis of its
        sequence (w_q: x_q; w_k, w_v: x_kv), W_Q and W_K disagree on d_k, or
        the batch dimensions of x_q and x_kv do not broadcast.
    """
    x_q = as_float_array("x_q", x_q, min_ndim=2)
    x_kv = as_float_array("x_kv", x_kv, min_ndim=2)
    w_q = _projection("w_q", w_q, "x_q", x_q)
    w_k = _projection("w_k", w_k, "x_kv", x_kv)
    w_v = _projection("w_v", w_v, "x_kv", x_kv)
    _check_same_d_k(w_q, w_k)
    batch = broadcast_batch(("x_q", "x_kv"), (x_q, x_kv))
    keep = _combine_mask(mask, False, batch + (x_q.shape[-2], x_kv.shape[-2]))
    q = x_q @ w_q  # (..., T_q, d_q) x (d_q, d_k) -> (..., T_q, d_k)
    k = x_kv @ w_k  # (..., T_k, d_kv) x (d_kv, d_k) -> (..., T_k, d_k)
    v = x_kv @ w_v  # (..., T_k, d_v)
    att = _attend(q, k, v, keep, 1.0 / np.sqrt(q.shape[-1]))
    return CrossAttention(**vars(att), q=_frozen(q), k=_frozen(k), v=_frozen(v))


def _projection(name: str, w, x_name: str, x: np.ndarray) -> np.ndarray:
    """`w` as a float matrix whose rows match the last axis of `x`, or a ValueError naming both."""
    w = as_float_array(name, w)
    if w.ndim != 2 or w.shape[0] != x.shape[-1]:
        raise ValueError(
            f"{name} must have shape (d_model, d) with d_model = {x.shape[-1]} (the last axis of {x_name} {x.shape}); "
            f"got {name} {w.shape}"
        )
    return w


def _check_same_d_k(w_q: np.ndarray, w_k: np.ndarray) -> None:
    if w_q.shape[1] != w_k.shape[1]:
        raise ValueError(f"w_q and w_k must project to the same d_k; got w_q {w_q.shape} and w_k {w_k.shape}")


def _self_attend(x, w_q, w_k, w_v, keep) -> SelfAttention:
    q = x @ w_q  # (..., T, d_model) x (d_model, d_k) -> (..., T, d_k)
    k = x @ w_k  # (..., T, d_k)
    v = x @ w_v  # (..., T, d_v)
    att = _attend(q, k, v, keep, 1.0 / np.sqrt(q.shape[-1]))
    return SelfAttention(**vars(att), q=_frozen(q), k=_frozen(k), v=_frozen(v))


def _attend(q, k, v, keep, scale: float) -> Attention:
    """The formula itself, on validated arrays. `keep` is None or bool (..., T_q, T_k)."""
    scores = q @ np.swapaxes(k, -1, -2)  # (..., T_q, d_k) x (..., d_k, T_k) -> (..., T_q, T_k)
    scaled = scores * scale
    if keep is None:
        weights = _masked_softmax(scaled, np.ones(scaled.shape, dtype=bool), axis=-1)
    else:
        scaled = np.where(keep, scaled, -np.inf)
        weights = _masked_softmax(scaled, keep, axis=-1)
    output = weights @ v  # (..., T_q, T_k) x (..., T_k, d_v) -> (..., T_q, d_v)
    return Attention(
        scores=_frozen(scores),
        scaled=_frozen(scaled),
        weights=_frozen(weights),
        output=_frozen(output),
        mask=None if keep is None else _frozen(keep),
        scale=float(scale),
    )


def causal_mask(t_q: int, t_k: int | None = None) -> np.ndarray:
    """Bool `(T_q, T_k)`: True where key j <= query i (lower triangle, diagonal included)."""
    t_k = t_q if t_k is None else t_k
    return np.tril(np.ones((t_q, t_k), dtype=bool))


def _combine_mask(mask, causal: bool, shape: tuple[int, ...]) -> np.ndarray | None:
    keep = None if mask is None else as_mask("mask", mask, shape)
    if causal:
        tri = np.broadcast_to(causal_mask(shape[-2], shape[-1]), shape)
        keep = tri if keep is None else keep & tri
    return keep
