"""Multi-head attention: split, attend per head, concatenate, mix with W_O."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array, check_positive_int
from .attention import SelfAttention, _combine_mask, _frozen, _self_attend


@dataclass(frozen=True, kw_only=True)
class MultiHeadAttention:
    """Every step of multi-head attention.

    Fields:
        heads:   one `SelfAttention` per head; head h has q, k, v `(..., T, d_head)`
                 and weights `(..., T, T)`.
        concat:  `(..., T, d_model)` the heads' outputs side by side [head_1 | ... | head_h].
        output:  `(..., T, d_model)` concat W_O.
        n_heads: number of heads; d_head = d_model / n_heads.
    """

    heads: tuple[SelfAttention, ...]
    concat: np.ndarray
    output: np.ndarray
    n_heads: int

    @property
    def weights(self) -> np.ndarray:
        """All heads' attention weights stacked: `(..., n_heads, T, T)`."""
        return np.stack([h.weights for h in self.heads], axis=-3)


def multi_head_attention(x, w_q, w_k, w_v, w_o, *, n_heads: int, mask=None, causal: bool = False) -> MultiHeadAttention:
    """Multi-head self-attention with n_heads heads of size d_head = d_model / n_heads.

    Args:
        x: `(..., T, d_model)`.
        w_q, w_k, w_v: `(d_model, d_model)`. Head h uses columns
            `h * d_head : (h + 1) * d_head` (the standard split), so head h
            computes Q_h = X W_Q[:, h*d_head:(h+1)*d_head].
        w_o: `(d_model, d_model)`, mixes the concatenated heads.
        n_heads: must divide d_model.
        mask, causal: as in `scaled_dot_product_attention`, shared by all heads.

    Equals `torch.nn.MultiheadAttention(d_model, n_heads, bias=False)` with
    `w_q = in_proj_weight[:d_model].T` (and likewise for k, v) and
    `w_o = out_proj.weight.T`.

    Raises:
        TypeError / ValueError for non-float or non-finite inputs, weights that
        are not `(d_model, d_model)`, n_heads not a positive int or not dividing
        d_model, and the mask errors of `scaled_dot_product_attention`.
    """
    x = as_float_array("x", x, min_ndim=2)
    d_model = x.shape[-1]
    n_heads = check_positive_int("n_heads", n_heads)
    if d_model % n_heads:
        raise ValueError(f"n_heads = {n_heads} must divide d_model = {d_model} (the last axis of x {x.shape})")
    mats = {}
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        w = as_float_array(name, w)
        if w.shape != (d_model, d_model):
            raise ValueError(f"{name} must have shape (d_model, d_model) = {(d_model, d_model)}; got {w.shape}")
        mats[name] = w
    if not isinstance(causal, (bool, np.bool_)):
        raise TypeError(f"causal must be a bool; got {type(causal).__name__} {causal!r}")
    t = x.shape[-2]
    keep = _combine_mask(mask, causal, x.shape[:-2] + (t, t))

    d_head = d_model // n_heads
    heads = []
    for h in range(n_heads):
        cols = slice(h * d_head, (h + 1) * d_head)  # head h's block of columns
        heads.append(_self_attend(x, mats["w_q"][:, cols], mats["w_k"][:, cols], mats["w_v"][:, cols], keep))
    concat = np.concatenate([h.output for h in heads], axis=-1)  # (..., T, n_heads * d_head)
    output = concat @ mats["w_o"]  # (..., T, d_model) x (d_model, d_model) -> (..., T, d_model)
    return MultiHeadAttention(heads=tuple(heads), concat=_frozen(concat), output=_frozen(output), n_heads=n_heads)
