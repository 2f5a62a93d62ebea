"""Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5)."""

from __future__ import annotations

import numpy as np

from ._checks import check_positive_float, check_positive_int


def sinusoidal_positional_encoding(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The fixed position vectors added to the token embeddings.

    PE[pos, 2i]   = sin(pos / base^(2i / d_model))
    PE[pos, 2i+1] = cos(pos / base^(2i / d_model))

    Args:
        n_positions: number of positions T (rows), positions 0 .. T-1.
        d_model: vector size (columns); an odd d_model ends on a sine column.
        base: the wavelength base, 10000 in the paper.

    Returns:
        float64 `(n_positions, d_model)`. Each pair of columns is one rotating
        clock; low columns turn fast, high columns slowly.
    """
    n_positions = check_positive_int("n_positions", n_positions)
    d_model = check_positive_int("d_model", d_model)
    base = check_positive_float("base", base)
    pos = np.arange(n_positions, dtype=np.float64)[:, None]  # (T, 1)
    two_i = np.arange(0, d_model, 2, dtype=np.float64)  # (ceil(d/2),)
    angle = pos / base ** (two_i / d_model)  # (T, ceil(d/2))
    pe = np.empty((n_positions, d_model))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : d_model // 2])
    return pe
