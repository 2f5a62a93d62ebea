"""Scaled dot-product attention and single-head self-attention.

Convention (used on every page of the site): tokens are row vectors, so a
sentence of T tokens is a matrix X of shape (T, d_model), and

    Q = X W_Q,  K = X W_K,  V = X W_V,
    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V.
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
    weights = {name: as_float_array(name, w) for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v))}
    for name, w in weights.items():
        if w.ndim != 2 or w.shape[0] != x.shape[-1]:
            raise ValueError(
                f"{name} must have shape (d_model, d) with d_model = {x.shape[-1]} (the last axis of x {x.shape}); "
                f"got {name} {w.shape}"
            )
    if weights["w_q"].shape[1] != weights["w_k"].shape[1]:
        raise ValueError(
            f"w_q and w_k must project to the same d_k; got w_q {weights['w_q'].shape} and w_k {weights['w_k'].shape}"
        )
    if not isinstance(causal, (bool, np.bool_)):
        raise TypeError(f"causal must be a bool; got {type(causal).__name__} {causal!r}")
    t = x.shape[-2]
    keep = _combine_mask(mask, causal, x.shape[:-2] + (t, t))
    return _self_attend(x, weights["w_q"], weights["w_k"], weights["w_v"], keep)


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
