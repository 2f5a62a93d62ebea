"""The residual connection: a sublayer's output is added back to its input.

In a Transformer block attention does not replace a token's vector: what it
returns is added to it, x + Attention(x), before any layer normalisation
(post-norm, as in the original paper: LayerNorm(x + Attention(x)); pre-norm,
as in GPT-2: x + Attention(LayerNorm(x))). Each token keeps what it was and
gains what it read; the running sum is often called the residual stream.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array


def add_residual(x, update) -> np.ndarray:
    """x + update, the residual sum, as a read-only float array.

    Args:
        x: the sublayer's input `(..., T, d_model)`, e.g. the token vectors.
        update: the sublayer's output, the same shape, e.g. the attention output
            (the context vectors; with W_O when there is one).

    Raises:
        TypeError: an input is not a float array.
        ValueError: the shapes differ (no broadcasting: every token adds its own
            update), an input is empty, or holds NaN or inf.
    """
    x = as_float_array("x", x)
    update = as_float_array("update", update)
    if x.shape != update.shape:
        raise ValueError(
            f"x and update must have the same shape (one update per entry of every token); "
            f"got x {x.shape} and update {update.shape}"
        )
    out = x + update
    out.setflags(write=False)
    return out
