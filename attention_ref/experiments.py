"""Seeded random experiments that show why the scores are divided by sqrt(d_k)."""

from __future__ import annotations

import numpy as np

from ._checks import check_positive_int
from .softmax import softmax, softmax_jacobian


def entropy_bits(p, axis: int = -1) -> np.ndarray:
    """Shannon entropy in bits along `axis`; 0 * log 0 counts as 0.

    log2(n) for n equal weights (attention spread evenly), 0 for one-hot
    (all attention on one key).
    """
    p = np.asarray(p, dtype=np.float64)
    logs = np.log2(p, out=np.zeros_like(p), where=p > 0)
    return -np.sum(p * logs, axis=axis)


def random_dot_products(d_k: int, n_samples: int, seed: int) -> np.ndarray:
    """q . k for `n_samples` pairs with entries drawn from N(0, 1): `(n_samples,)`.

    Each product sums d_k terms of variance 1, so its variance is d_k and its
    spread (standard deviation) sqrt(d_k): the reason for the scaling.
    """
    d_k = check_positive_int("d_k", d_k)
    n_samples = check_positive_int("n_samples", n_samples)
    rng = np.random.default_rng([seed, d_k])
    q = rng.standard_normal((n_samples, d_k))
    k = rng.standard_normal((n_samples, d_k))
    return np.einsum("nd,nd->n", q, k)  # row-wise q_n . k_n


def softmax_saturation(d_k: int, n_keys: int, n_samples: int, seed: int) -> dict[str, float]:
    """Mean entropy (bits) and mean largest weight of softmax(q K^T), unscaled and scaled.

    For each of `n_samples` draws: one query (d_k,) and `n_keys` keys (n_keys, d_k)
    from N(0, 1). Without scaling the scores spread like sqrt(d_k), so softmax
    puts nearly all weight on one key (entropy -> 0); with the 1/sqrt(d_k)
    factor the spread stays near 1 whatever d_k is.
    """
    scores = _random_scores(d_k, n_keys, n_samples, seed)  # (n_samples, n_keys)
    raw = softmax(scores)
    scaled = softmax(scores / np.sqrt(d_k))
    return {
        "entropy_unscaled": float(entropy_bits(raw).mean()),
        "entropy_scaled": float(entropy_bits(scaled).mean()),
        "max_weight_unscaled": float(raw.max(axis=-1).mean()),
        "max_weight_scaled": float(scaled.max(axis=-1).mean()),
    }


def softmax_gradient(d_k: int, n_keys: int, n_samples: int, seed: int) -> dict[str, float]:
    """How strongly softmax passes a gradient back, for raw and for scaled scores.

    The same draws as `softmax_saturation` (same seed, same queries and keys).
    For each draw it takes the Jacobian J of the weights with respect to the
    scores that enter the softmax (`softmax_jacobian`, `(n_keys, n_keys)`) and
    its Frobenius norm, sqrt(sum_ij J_ij^2): each score nudged on its own, how
    far every weight moves, summed in squares over all the nudges (nudging
    every score at once by the same amount moves nothing). Returns the mean over the draws,
    unscaled and scaled. For equal weights it is sqrt(n_keys - 1) / n_keys; it
    tends to 0 as one weight takes everything (a saturated softmax).
    """
    scores = _random_scores(d_k, n_keys, n_samples, seed)  # (n_samples, n_keys)

    def mean_norm(s: np.ndarray) -> float:
        return float(np.linalg.norm(softmax_jacobian(s), axis=(-2, -1)).mean())  # (n, k, k) -> (n,) -> mean

    return {"gradient_unscaled": mean_norm(scores), "gradient_scaled": mean_norm(scores / np.sqrt(d_k))}


def _random_scores(d_k: int, n_keys: int, n_samples: int, seed: int) -> np.ndarray:
    """q . k_j for `n_samples` draws of one query and `n_keys` keys from N(0, 1): `(n_samples, n_keys)`."""
    d_k = check_positive_int("d_k", d_k)
    n_keys = check_positive_int("n_keys", n_keys)
    n_samples = check_positive_int("n_samples", n_samples)
    rng = np.random.default_rng([seed, d_k, n_keys])
    q = rng.standard_normal((n_samples, 1, d_k))
    k = rng.standard_normal((n_samples, n_keys, d_k))
    return (q @ np.swapaxes(k, -1, -2))[:, 0, :]  # (n, 1, d_k) x (n, d_k, n_keys) -> (n, n_keys)


def dot_product_spread(d_ks, n_samples: int, seed: int, n_bins: int = 61) -> dict:
    """The spread of q . k for several key sizes, on one shared histogram scale.

    For each d_k in `d_ks`: `random_dot_products(d_k, n_samples, seed)`, its
    standard deviation (measured) next to the theory value sqrt(d_k), and its
    histogram counts over `edges` `(n_bins + 1,)`, which span the largest
    absolute product of all the samples, so the panels share one x axis.

    Returns {"edges": ndarray, "by_d_k": {d_k: {"std", "sqrt_d_k", "counts"}}}.
    """
    n_bins = check_positive_int("n_bins", n_bins)
    samples = {int(d): random_dot_products(d, n_samples, seed) for d in d_ks}  # (n_samples,) each
    reach = max(float(np.max(np.abs(s))) for s in samples.values())
    edges = np.linspace(-reach, reach, n_bins + 1)
    by_d_k = {
        d: {"std": float(np.std(s)), "sqrt_d_k": float(np.sqrt(d)), "counts": np.histogram(s, bins=edges)[0]}
        for d, s in samples.items()
    }
    return {"edges": edges, "by_d_k": by_d_k}
