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
    for name, m in (("a", a), ("b", b)):
        norms = np.linalg.norm(m, axis=-1)
        if np.any(norms == 0):
            rows = np.flatnonzero(norms == 0).tolist()
            raise ValueError(f"{name} has zero-length rows {rows}; cosine similarity needs a direction")
    a_unit = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b_unit = b / np.linalg.norm(b, axis=-1, keepdims=True)
    return np.clip(a_unit @ b_unit.T, -1.0, 1.0)


def scaled_dot_similarity(a, b) -> np.ndarray:
    """Pairwise dot products divided by sqrt(d): the score of scaled dot-product attention.

    a `(n, d)`, b `(m, d)` -> `(n, m)`.
    """
    a, b = _pair("a", a, "b", b)
    return (a @ b.T) / np.sqrt(a.shape[-1])


def _pair(name_a: str, a, name_b: str, b) -> tuple[np.ndarray, np.ndarray]:
    a = np.atleast_2d(as_float_array(name_a, a, allow_int=True))
    b = np.atleast_2d(as_float_array(name_b, b, allow_int=True))
    for name, m in ((name_a, a), (name_b, b)):
        if m.ndim != 2:
            raise ValueError(f"{name} must be a vector (d,) or a matrix of row vectors (n, d); got shape {m.shape}")
    check_last_dims_match(name_a, a, name_b, b, "the vectors' dimension d")
    return a, b
