"""Input validation for the public functions of attention_ref.

The public functions validate once, at the boundary, and then call inner code
that reads like the formula. Every error names the argument and what it got,
so a reader never has to decode a numpy broadcasting trace.
"""

from __future__ import annotations

import numpy as np


def as_float_array(name: str, x, *, min_ndim: int = 1, allow_int: bool = False) -> np.ndarray:
    """Return `x` as a float64 array, or raise naming `name`.

    Rules (documented in the README's error table):
    - a non-array-like, a boolean, complex or object array -> TypeError;
    - an integer array -> TypeError, unless `allow_int` (similarities accept
      integer embeddings because readers type them by hand);
    - fewer than `min_ndim` dimensions -> ValueError;
    - any axis of length zero (an empty sequence) -> ValueError;
    - NaN or +-inf anywhere -> ValueError.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError) as exc:  # ragged lists and the like
            raise TypeError(f"{name} must be an array of numbers; got {type(x).__name__} ({exc})") from None
    kind = arr.dtype.kind
    if kind in "iu":
        if not allow_int:
            raise TypeError(
                f"{name} must be a floating-point array; got integer dtype {arr.dtype} "
                f"with shape {arr.shape} (convert with .astype(float) if that is what you mean)"
            )
    elif kind != "f":
        raise TypeError(f"{name} must be a floating-point array; got dtype {arr.dtype} with shape {arr.shape}")
    if arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s); got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {bad}; got shape {arr.shape} (every entry must be finite)")
    return arr.astype(np.float64, copy=False)


def asarray_named(name: str, x, what: str = "an array of numbers") -> np.ndarray:
    """`np.asarray(x)`, or a TypeError naming `name` for what numpy cannot make an array of (ragged lists)."""
    if isinstance(x, np.ndarray):
        return x
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be {what}; got {type(x).__name__} ({exc})") from None


def as_mask(name: str, mask, target_shape: tuple[int, ...]) -> np.ndarray:
    """Return `mask` as a boolean array broadcast to `target_shape`, or raise."""
    arr = asarray_named(name, mask, "an array of booleans")
    if arr.dtype != np.bool_:
        raise TypeError(
            f"{name} must be a boolean array (True = may attend); got dtype {arr.dtype} with shape {arr.shape}"
        )
    try:
        return np.broadcast_to(arr, target_shape)
    except ValueError:
        raise ValueError(
            f"{name} with shape {arr.shape} does not broadcast to the scores' shape {target_shape}"
        ) from None


def check_last_dims_match(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray, what: str) -> None:
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same last dimension ({what}); "
            f"got {name_a} {a.shape} and {name_b} {b.shape}"
        )


def broadcast_batch(names: tuple[str, ...], arrays: tuple[np.ndarray, ...]) -> tuple[int, ...]:
    """The broadcast of the leading (batch) dimensions of matrices, or a ValueError naming them."""
    try:
        return np.broadcast_shapes(*(a.shape[:-2] for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"the batch dimensions of {', '.join(names)} do not broadcast; got {shapes}") from None


def check_positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int; got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be positive; got {value}")
    return int(value)


def check_positive_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value}")
    return value
