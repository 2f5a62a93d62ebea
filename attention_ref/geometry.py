"""The geometric view: a word's new vector is a weighted mix of the others."""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array


def contextualize(x, weights) -> np.ndarray:
    """New embeddings as weighted mixes of the old ones: `weights @ x`.

    x `(T, d)`, weights `(T_q, T)` with rows that sum to one -> `(T_q, d)`.
    Row i is where token i moves once it takes in its context.
    """
    x = as_float_array("x", x, min_ndim=2, allow_int=True)
    weights = as_float_array("weights", weights, min_ndim=2)
    if weights.shape[-1] != x.shape[-2]:
        raise ValueError(f"weights must have one column per row of x; got weights {weights.shape} and x {x.shape}")
    return weights @ x  # (T_q, T) x (T, d) -> (T_q, d)


def move_toward(a, b, share: float) -> np.ndarray:
    """The point `share` of the way from `a` to `b`: (1 - share) a + share b.

    With share = the weight a word gives to one other word, this is where the
    word lands when that is the only other word in its context.
    """
    a = as_float_array("a", a, allow_int=True)
    b = as_float_array("b", b, allow_int=True)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got a {a.shape} and b {b.shape}")
    share = float(share)
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must lie in [0, 1]; got {share}")
    return (1.0 - share) * a + share * b
