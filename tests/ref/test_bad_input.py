"""Bad input gets a ValueError or TypeError whose message names the argument and what it got.

The message is part of the contract (DESIGN.md: "never a numpy broadcasting
trace"), so every case asserts it with a regular expression, not just the type.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from attention_ref import (
    contextualize,
    cosine_similarity,
    dot_similarity,
    move_toward,
    multi_head_attention,
    random_dot_products,
    scaled_dot_product_attention,
    scaled_dot_similarity,
    self_attention,
    sinusoidal_positional_encoding,
    softmax,
    softmax_gradient,
    softmax_jacobian,
)

rng = np.random.default_rng(99)
Q = rng.standard_normal((3, 4))  # (T_q, d_k)
K = rng.standard_normal((5, 4))  # (T_k, d_k)
V = rng.standard_normal((5, 2))  # (T_k, d_v)
X = rng.standard_normal((5, 4))  # (T, d_model)
W = rng.standard_normal((4, 4))  # (d_model, d_model)
W6 = rng.standard_normal((6, 6))
X6 = rng.standard_normal((3, 6))


def with_entry(a: np.ndarray, value: float) -> np.ndarray:
    a = a.copy()
    a[1, 1] = value
    return a


def sdpa(**overrides):
    args = {"q": Q, "k": K, "v": V} | overrides
    return lambda: scaled_dot_product_attention(**args)


def sa(**overrides):
    args = {"x": X, "w_q": W, "w_k": W, "w_v": W[:, :2]} | overrides
    return lambda: self_attention(**args)


def mha(**overrides):
    args = {"x": X, "w_q": W, "w_k": W, "w_v": W, "w_o": W, "n_heads": 2} | overrides
    return lambda: multi_head_attention(**args)


CASES = [
    # rank, shapes
    pytest.param(
        sdpa(q=Q[0]), ValueError, r"q must have at least 2 dimension\(s\); got shape \(4,\)", id="sdpa-q-is-1d"
    ),
    pytest.param(
        sdpa(k=K[:, :3]),
        ValueError,
        r"q and k must have the same last dimension \(d_k\); got q \(3, 4\) and k \(5, 3\)",
        id="sdpa-d_k-of-q-and-k-differ",
    ),
    pytest.param(
        sdpa(v=V[:4]),
        ValueError,
        r"k and v must have the same number of tokens T_k \(axis -2\); got k \(5, 4\) and v \(4, 2\)",
        id="sdpa-T_k-of-k-and-v-differ",
    ),
    pytest.param(
        sdpa(q=np.zeros((2, 3, 4)), k=np.zeros((3, 5, 4)), v=np.zeros((3, 5, 2))),
        ValueError,
        r"the batch dimensions of q, k, v do not broadcast; got q \(2, 3, 4\), k \(3, 5, 4\), v \(3, 5, 2\)",
        id="sdpa-batch-dims-do-not-broadcast",
    ),
    pytest.param(
        sdpa(q=np.zeros((0, 4))), ValueError, r"q must not be empty; got shape \(0, 4\)", id="sdpa-empty-sequence"
    ),
    pytest.param(
        sa(x=np.zeros((0, 4))),
        ValueError,
        r"x must not be empty; got shape \(0, 4\)",
        id="self-attention-empty-sequence",
    ),
    pytest.param(
        sdpa(k=np.zeros((0, 4)), v=np.zeros((0, 2))),
        ValueError,
        r"k must not be empty; got shape \(0, 4\)",
        id="sdpa-no-keys",
    ),
    # masks
    pytest.param(
        sdpa(mask=np.ones((2, 2), dtype=bool)),
        ValueError,
        r"mask with shape \(2, 2\) does not broadcast to the scores' shape \(3, 5\)",
        id="mask-does-not-broadcast",
    ),
    pytest.param(
        sdpa(mask=np.ones((3, 5))),
        TypeError,
        r"mask must be a boolean array \(True = may attend\); got dtype float64 with shape \(3, 5\)",
        id="mask-float-0-1",
    ),
    pytest.param(
        sdpa(mask=np.ones((3, 5), dtype=np.int64)),
        TypeError,
        r"mask must be a boolean array \(True = may attend\); got dtype int64 with shape \(3, 5\)",
        id="mask-int",
    ),
    pytest.param(
        mha(mask=np.ones((4, 4), dtype=bool)),
        ValueError,
        r"mask with shape \(4, 4\) does not broadcast to the scores' shape \(5, 5\)",
        id="mha-mask-does-not-broadcast",
    ),
    # values
    pytest.param(
        sdpa(q=with_entry(Q, np.nan)),
        ValueError,
        r"q contains NaN; got shape \(3, 4\) \(every entry must be finite\)",
        id="nan-in-q",
    ),
    pytest.param(sdpa(v=with_entry(V, np.inf)), ValueError, r"v contains inf; got shape \(5, 2\)", id="inf-in-v"),
    pytest.param(
        sdpa(k=with_entry(K, -np.inf)), ValueError, r"k contains inf; got shape \(5, 4\)", id="minus-inf-in-k"
    ),
    pytest.param(sa(x=with_entry(X, np.nan)), ValueError, r"x contains NaN; got shape \(5, 4\)", id="nan-in-x"),
    pytest.param(sa(w_k=with_entry(W, np.inf)), ValueError, r"w_k contains inf; got shape \(4, 4\)", id="inf-in-w_k"),
    # dtypes
    pytest.param(
        sdpa(q=np.arange(12).reshape(3, 4)),
        TypeError,
        r"q must be a floating-point array; got integer dtype int64 with shape \(3, 4\)",
        id="integer-q",
    ),
    pytest.param(
        sdpa(k=np.arange(20).reshape(5, 4)),
        TypeError,
        r"k must be a floating-point array; got integer dtype int64 with shape \(5, 4\)",
        id="integer-k",
    ),
    pytest.param(
        sdpa(v=np.arange(10).reshape(5, 2)),
        TypeError,
        r"v must be a floating-point array; got integer dtype int64 with shape \(5, 2\)",
        id="integer-v",
    ),
    pytest.param(
        sa(x=np.arange(20).reshape(5, 4)),
        TypeError,
        r"x must be a floating-point array; got integer dtype int64 with shape \(5, 4\)",
        id="integer-x",
    ),
    pytest.param(
        mha(x=np.arange(20).reshape(5, 4)),
        TypeError,
        r"x must be a floating-point array; got integer dtype int64 with shape \(5, 4\)",
        id="mha-integer-x",
    ),
    pytest.param(
        sdpa(q=Q > 0), TypeError, r"q must be a floating-point array; got dtype bool with shape \(3, 4\)", id="bool-q"
    ),
    pytest.param(sdpa(q=Q + 1j), TypeError, r"q must be a floating-point array; got dtype complex128", id="complex-q"),
    pytest.param(
        sdpa(q=[[1.0, 2.0], [3.0]]), TypeError, r"q must be an array of numbers; got list", id="ragged-list-q"
    ),
    # projections
    pytest.param(
        sa(w_q=W[:3]),
        ValueError,
        r"w_q must have shape \(d_model, d\) with d_model = 4 \(the last axis of x \(5, 4\)\); got w_q \(3, 4\)",
        id="self-attention-w_q-wrong-d_model-rows",
    ),
    pytest.param(
        sa(w_v=W[0]),
        ValueError,
        r"w_v must have shape \(d_model, d\) with d_model = 4 .*; got w_v \(4,\)",
        id="self-attention-w_v-1d",
    ),
    pytest.param(
        sa(w_k=W[:, :3]),
        ValueError,
        r"w_q and w_k must project to the same d_k; got w_q \(4, 4\) and w_k \(4, 3\)",
        id="self-attention-w_q-w_k-disagree-on-d_k",
    ),
    pytest.param(
        mha(w_k=W[:3]),
        ValueError,
        r"w_k must have shape \(d_model, d_model\) = \(4, 4\); got \(3, 4\)",
        id="mha-w_k-wrong-d_model-rows",
    ),
    pytest.param(
        mha(w_o=W[:, :3]),
        ValueError,
        r"w_o must have shape \(d_model, d_model\) = \(4, 4\); got \(4, 3\)",
        id="mha-w_o-wrong-shape",
    ),
    # n_heads
    pytest.param(
        mha(x=X6, w_q=W6, w_k=W6, w_v=W6, w_o=W6, n_heads=4),
        ValueError,
        r"n_heads = 4 must divide d_model = 6 \(the last axis of x \(3, 6\)\)",
        id="n_heads-does-not-divide-d_model",
    ),
    pytest.param(mha(n_heads=0), ValueError, r"n_heads must be positive; got 0", id="n_heads-zero"),
    pytest.param(mha(n_heads=-2), ValueError, r"n_heads must be positive; got -2", id="n_heads-negative"),
    pytest.param(mha(n_heads=2.0), TypeError, r"n_heads must be an int; got float 2.0", id="n_heads-float"),
    pytest.param(mha(n_heads=True), TypeError, r"n_heads must be an int; got bool True", id="n_heads-bool"),
    # causal
    pytest.param(sdpa(causal=1), TypeError, r"causal must be a bool; got int 1", id="sdpa-causal-int"),
    pytest.param(sa(causal="yes"), TypeError, r"causal must be a bool; got str 'yes'", id="self-attention-causal-str"),
    pytest.param(mha(causal=None), TypeError, r"causal must be a bool; got NoneType None", id="mha-causal-none"),
    # scale
    pytest.param(sdpa(scale=0), ValueError, r"scale must be a positive finite number; got 0.0", id="scale-zero"),
    pytest.param(
        sdpa(scale=-0.5), ValueError, r"scale must be a positive finite number; got -0.5", id="scale-negative"
    ),
    pytest.param(sdpa(scale=math.inf), ValueError, r"scale must be a positive finite number; got inf", id="scale-inf"),
    pytest.param(sdpa(scale="0.5"), TypeError, r"scale must be a number; got str '0.5'", id="scale-str"),
    # softmax
    pytest.param(
        lambda: softmax(np.array([1.0, np.inf, 0.0])),
        ValueError,
        r"x contains \+inf; got shape \(3,\) \(only -inf is allowed, meaning 'masked'\)",
        id="softmax-plus-inf",
    ),
    pytest.param(
        lambda: softmax(np.array([[1.0, np.nan]])), ValueError, r"x contains NaN; got shape \(1, 2\)", id="softmax-nan"
    ),
    pytest.param(
        lambda: softmax(np.zeros((2, 3)), axis=2),
        ValueError,
        r"axis 2 is out of range for x with shape \(2, 3\)",
        id="softmax-axis-too-large",
    ),
    pytest.param(
        lambda: softmax(np.zeros((2, 3)), axis=-3),
        ValueError,
        r"axis -3 is out of range for x with shape \(2, 3\)",
        id="softmax-axis-too-negative",
    ),
    pytest.param(
        lambda: softmax(np.arange(3)),
        TypeError,
        r"x must be a floating-point array; got dtype int64 with shape \(3,\)",
        id="softmax-integer",
    ),
    pytest.param(
        lambda: softmax(np.zeros((2, 0))),
        ValueError,
        r"x must be a non-empty array .*got shape \(2, 0\)",
        id="softmax-empty",
    ),
    pytest.param(
        lambda: softmax(np.zeros(3), mask=np.ones(3)),
        TypeError,
        r"mask must be a boolean array .*got dtype float64 with shape \(3,\)",
        id="softmax-float-mask",
    ),
    # similarities
    pytest.param(
        lambda: cosine_similarity([[1.0, 0.0]], [[0.0, 1.0], [0.0, 0.0]]),
        ValueError,
        r"b has zero-length rows \[1\]; cosine similarity needs a direction",
        id="cosine-zero-vector",
    ),
    pytest.param(
        lambda: dot_similarity(np.zeros((2, 3)), np.zeros((2, 4))),
        ValueError,
        r"a and b must have the same last dimension .*; got a \(2, 3\) and b \(2, 4\)",
        id="dot-similarity-d-differs",
    ),
    pytest.param(
        lambda: scaled_dot_similarity(np.zeros((2, 2, 2)), np.zeros((2, 2))),
        ValueError,
        r"a must be a vector \(d,\) or a matrix of row vectors \(n, d\); got shape \(2, 2, 2\)",
        id="similarity-3d",
    ),
    # positional encoding
    pytest.param(
        lambda: sinusoidal_positional_encoding(0, 4),
        ValueError,
        r"n_positions must be positive; got 0",
        id="pe-no-positions",
    ),
    pytest.param(
        lambda: sinusoidal_positional_encoding(4, 4.0),
        TypeError,
        r"d_model must be an int; got float 4.0",
        id="pe-float-d_model",
    ),
    pytest.param(
        lambda: sinusoidal_positional_encoding(4, "8"),
        TypeError,
        r"d_model must be an int; got str '8'",
        id="pe-str-d_model",
    ),
    pytest.param(
        lambda: sinusoidal_positional_encoding(4, 4, base=0.0),
        ValueError,
        r"base must be a positive finite number; got 0.0",
        id="pe-zero-base",
    ),
    # geometry and experiments
    pytest.param(
        lambda: contextualize(X, np.full((2, 3), 1 / 3)),
        ValueError,
        r"weights must have one column per row of x; got weights \(2, 3\) and x \(5, 4\)",
        id="contextualize-weights-columns",
    ),
    pytest.param(
        lambda: move_toward([0.0, 0.0], [1.0, 1.0], 1.5),
        ValueError,
        r"share must lie in \[0, 1\]; got 1.5",
        id="share-above-1",
    ),
    pytest.param(
        lambda: move_toward([0.0, 0.0], [1.0, 1.0, 1.0], 0.5),
        ValueError,
        r"a and b must have the same shape; got a \(2,\) and b \(3,\)",
        id="move-toward-shapes-differ",
    ),
    pytest.param(
        lambda: random_dot_products(0, 10, seed=1), ValueError, r"d_k must be positive; got 0", id="random-dot-d_k-zero"
    ),
    pytest.param(
        lambda: softmax_gradient(8, 0, 10, seed=1), ValueError, r"n_keys must be positive; got 0", id="gradient-no-keys"
    ),
    pytest.param(
        lambda: softmax_jacobian(np.array([0.0, np.nan])),
        ValueError,
        r"x contains NaN; got shape \(2,\)",
        id="jacobian-nan",
    ),
    pytest.param(
        lambda: softmax_jacobian(np.array(1.0)),
        ValueError,
        r"x must be a non-empty array .*got shape \(\)",
        id="jacobian-scalar",
    ),
    pytest.param(
        lambda: softmax_jacobian([1, 2]),
        TypeError,
        r"x must be a floating-point array; got dtype int64 with shape \(2,\)",
        id="jacobian-integer",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), CASES)
def test_bad_input_raises_a_documented_error_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    assert type(info.value) is error  # exactly the documented type, not a subclass that slipped through
    assert "Traceback" not in str(info.value) and "operands could not be broadcast" not in str(info.value)


def test_similarities_accept_integer_arrays():
    a = np.array([[1, 0], [3, 4]])  # hand-typed integer embeddings
    b = np.array([[0, 2]])
    np.testing.assert_array_equal(dot_similarity(a, b), [[0.0], [8.0]])
    np.testing.assert_allclose(scaled_dot_similarity(a, b), [[0.0], [8.0 / math.sqrt(2)]], rtol=1e-15)
    np.testing.assert_allclose(cosine_similarity(a, b), [[0.0], [0.8]], rtol=1e-15, atol=0)
    assert dot_similarity(a, b).dtype == np.float64


def test_softmax_accepts_minus_inf_as_masked():
    w = softmax(np.array([[0.0, -np.inf, 0.0], [-np.inf, -np.inf, -np.inf]]))
    np.testing.assert_array_equal(w, [[0.5, 0.0, 0.5], [0.0, 0.0, 0.0]])  # an all -inf row is all zeros


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: softmax([[1.0, 2.0], [3.0]]), "x"),
        (lambda: scaled_dot_product_attention(np.eye(2), np.eye(2), np.eye(2), mask=[[True, False], [True]]), "mask"),
    ],
    ids=["softmax", "mask"],
)
def test_a_ragged_list_is_a_type_error_naming_the_argument(call, name):
    with pytest.raises(TypeError, match=rf"^{name} must be an array of"):
        call()
