"""Pairwise similarity of word vectors: dot, cosine and scaled dot product."""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_last_dims_match


def dot_similarity(a, b) -> np.ndarray:
    """Pairwise dot products of the rows of `a` and `b`.

    a `(n, d)`, b `(m, d)` -> `(n, m)` with entry `[i, j] = a_i . b_j`.
    Orthogonal vectors score 0. A single vector `(d,)` counts as one row.
    Integer arrays are accepted (hand-typed embeddings); the result is float64.
    """
    a, b = _pair("a", a, "b", b)
    return a @ b.T  # (n, d) x (d, m) -> (n, m)


def cosine_similarity(a, b) -> np.ndarray:
    """Pairwise cosine of the angle between the rows of `a` and `b`.

    a `(n, d)`, b `(m, d)` -> `(n, m)` with entries in [-1, 1]: the dot product
    of the rows after each is scaled to length one, so only direction counts.

    Raises:
        ValueError: a row of `a` or `b` has length zero (its direction is undefined).
    """
    a, b = _pair("a", a, "b", b)
    a_unit = _unit_rows("a", a)  # (n, d)
    b_unit = _unit_rows("b", b)  # (m, d)
    return np.clip(a_unit @ b_unit.T, -1.0, 1.0)


def scaled_dot_similarity(a, b) -> np.ndarray:
    """Pairwise dot products divided by sqrt(d): the score of scaled dot-product attention.

    a `(n, d)`, b `(m, d)` -> `(n, m)`.
    """
    a, b = _pair("a", a, "b", b)
    return (a @ b.T) / np.sqrt(a.shape[-1])


def _unit_rows(name: str, m: np.ndarray) -> np.ndarray:
    """The rows of `m` scaled to length one, or a ValueError naming a zero row.

    Each row is first divided by its largest |entry| (direction is unchanged),
    so the squares inside the norm can neither overflow (entries near 1e200)
    nor underflow to a false zero length (entries near 1e-200).
    """
    peak = np.max(np.abs(m), axis=-1, keepdims=True)  # (n, 1)
    if np.any(peak == 0):
        rows = np.flatnonzero(peak[:, 0] == 0).tolist()
        raise ValueError(f"{name} has zero-length rows {rows}; cosine similarity needs a direction")
    m = m / peak  # every entry in [-1, 1], the largest is +-1
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


def _pair(name_a: str, a, name_b: str, b) -> tuple[np.ndarray, np.ndarray]:
    a = np.atleast_2d(as_float_array(name_a, a, allow_int=True))
    b = np.atleast_2d(as_float_array(name_b, b, allow_int=True))
    for name, m in ((name_a, a), (name_b, b)):
        if m.ndim != 2:
            raise ValueError(f"{name} must be a vector (d,) or a matrix of row vectors (n, d); got shape {m.shape}")
    check_last_dims_match(name_a, a, name_b, b, "the vectors' dimension d")
    return a, b
