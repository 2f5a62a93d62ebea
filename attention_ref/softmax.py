"""Numerically stable softmax with an optional mask."""

from __future__ import annotations

import numpy as np

from ._checks import as_mask, asarray_named


def softmax(x, axis: int = -1, mask=None) -> np.ndarray:
    """Softmax of `x` along `axis`: exp(x_i) / sum_j exp(x_j).

    Args:
        x: float array of any shape `(...)`. Entries equal to -inf count as
            masked (weight 0). NaN and +inf are rejected.
        axis: the axis that sums to one.
        mask: optional boolean array broadcastable to `x.shape`; True = keep,
            False = weight 0.

    Returns:
        float64 array of `x.shape`. Along `axis`, the kept entries are positive
        and sum to one. A slice whose entries are all masked (or all -inf) is
        all zeros: there is nothing to attend to, and this is what PyTorch's
        `scaled_dot_product_attention` returns for such a row.

    Stability: the largest kept entry is subtracted before exponentiating, so
    scores around 1e4 or -1e4 neither overflow nor underflow to NaN. Softmax is
    unchanged by adding a constant to every entry (shift invariance), which is
    why this is exact, not an approximation.

    Raises:
        TypeError: `x` is not a float array, or `mask` is not boolean.
        ValueError: `x` is empty, holds NaN or +inf, `axis` is out of range, or
            `mask` does not broadcast to `x.shape`.
    """
    x = _as_scores("x", x)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for x with shape {x.shape}")
    keep = np.isfinite(x)  # -inf entries are masked
    if mask is not None:
        keep = keep & as_mask("mask", mask, x.shape)
    return _masked_softmax(x, keep, axis)


def softmax_jacobian(x) -> np.ndarray:
    """How the softmax weights respond to a nudge of the scores: d softmax(x)_i / d x_j.

    Args:
        x: float scores `(..., n)`; the softmax is taken over the last axis.
            -inf entries count as masked (their rows and columns are 0).

    Returns:
        float64 array `(..., n, n)`: J[..., i, j] = w_i (delta_ij - w_j) with
        w = softmax(x). Each column sums to zero (the weights always add up to
        one, so what one gains the others lose) and J is symmetric. When one
        weight is near 1 and the rest near 0, every entry is near 0: the
        softmax is saturated and passes back almost no gradient.

    Raises:
        TypeError, ValueError: as `softmax` for `x`.
    """
    w = softmax(x)  # (..., n)
    # diag(w) - w w^T: (..., n, 1) x (..., 1, n) -> (..., n, n)
    return w[..., :, None] * np.eye(w.shape[-1]) - w[..., :, None] * w[..., None, :]


def _masked_softmax(x: np.ndarray, keep: np.ndarray, axis: int) -> np.ndarray:
    # Subtract the row maximum over the kept entries (shift invariance), so the
    # largest exponent is exp(0) = 1 and nothing overflows.
    x_kept = np.where(keep, x, -np.inf)
    row_max = np.max(x_kept, axis=axis, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # fully masked rows
    e = np.where(keep, np.exp(np.where(keep, x - row_max, 0.0)), 0.0)
    total = np.sum(e, axis=axis, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def _as_scores(name: str, x) -> np.ndarray:
    """Like `as_float_array`, but -inf is allowed: it is how a masked score is written."""
    arr = asarray_named(name, x)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be a floating-point array; got dtype {arr.dtype} with shape {arr.shape}")
    if arr.ndim == 0 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty array with at least one dimension; got shape {arr.shape}")
    if np.isnan(arr).any() or np.isposinf(arr).any():
        bad = "NaN" if np.isnan(arr).any() else "+inf"
        raise ValueError(f"{name} contains {bad}; got shape {arr.shape} (only -inf is allowed, meaning 'masked')")
    return arr.astype(np.float64, copy=False)
