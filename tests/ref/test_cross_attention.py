"""cross_attention (queries from one sequence, keys and values from another) and add_residual.

The expected values are computed independently in each test: the formula as
plain matrix products and a softmax written out here, a permutation, a slice,
or self_attention for the case where both sequences are the same.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_ref import (
    Attention,
    CrossAttention,
    add_residual,
    cross_attention,
    load_examples,
    scaled_dot_product_attention,
    self_attention,
)

# Same bounds as test_properties.py: entries in [-4, 4] keep every score small enough that no
# weight underflows and the rounding error of a score stays ~1e-14.
small = st.floats(-4.0, 4.0, allow_nan=False, allow_infinity=False)
dims = st.integers(1, 6)
TOL = dict(rtol=1e-12, atol=1e-13)


def mat(shape):
    return arrays(np.float64, shape, elements=small)


@st.composite
def two_sequences(draw):
    """x_q (T_q, d_q), x_kv (T_k, d_kv) and w_q (d_q, d_k), w_k (d_kv, d_k), w_v (d_kv, d_v): every size free."""
    t_q, t_k, d_q, d_kv, d_k, d_v = (draw(dims) for _ in range(6))
    return (draw(mat((t_q, d_q))), draw(mat((t_k, d_kv))), draw(mat((d_q, d_k))), draw(mat((d_kv, d_k))),
            draw(mat((d_kv, d_v))))


def plain_softmax_rows(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


rng = np.random.default_rng(16)
XQ = rng.standard_normal((5, 3))  # (T_q, d_q): the sequence being written
XKV = rng.standard_normal((4, 6))  # (T_k, d_kv): the sequence being read, of another width
WQ = rng.standard_normal((3, 2))  # (d_q, d_k)
WK = rng.standard_normal((6, 2))  # (d_kv, d_k)
WV = rng.standard_normal((6, 7))  # (d_kv, d_v)


# --------------------------------------------------------------------------- shapes and the formula


def test_shapes_are_rectangular_when_the_two_sequences_differ_in_length():
    att = cross_attention(XQ, XKV, WQ, WK, WV)
    assert isinstance(att, CrossAttention) and isinstance(att, Attention)
    assert att.q.shape == (5, 2) and att.k.shape == (4, 2) and att.v.shape == (4, 7)
    assert att.scores.shape == att.scaled.shape == att.weights.shape == (5, 4)  # (T_q, T_k), not square
    assert att.output.shape == (5, 7)  # (T_q, d_v): one context vector per query token
    assert att.mask is None and att.scale == pytest.approx(1 / np.sqrt(2))


@given(two_sequences())
def test_cross_attention_is_the_formula_with_queries_from_one_sequence_and_keys_values_from_the_other(args):
    x_q, x_kv, w_q, w_k, w_v = args
    att = cross_attention(x_q, x_kv, w_q, w_k, w_v)
    q, k, v = x_q @ w_q, x_kv @ w_k, x_kv @ w_v
    weights = plain_softmax_rows(q @ k.T / np.sqrt(w_q.shape[1]))
    np.testing.assert_allclose(att.weights, weights, **TOL)
    np.testing.assert_allclose(att.output, weights @ v, **TOL)


@given(two_sequences())
def test_it_is_exactly_scaled_dot_product_attention_on_the_projections(args):
    att = cross_attention(*args)
    again = scaled_dot_product_attention(att.q, att.k, att.v)
    for field in ("scores", "scaled", "weights", "output"):
        assert np.array_equal(getattr(att, field), getattr(again, field)), field


@given(two_sequences())
def test_weights_rows_sum_to_one(args):
    att = cross_attention(*args)
    assert np.all(att.weights >= 0)
    np.testing.assert_allclose(att.weights.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


@given(two_sequences(), st.data())
def test_permuting_the_read_sequence_changes_no_output(args, data):
    x_q, x_kv, w_q, w_k, w_v = args
    perm = np.array(data.draw(st.permutations(range(x_kv.shape[0]))))
    att = cross_attention(x_q, x_kv, w_q, w_k, w_v)
    shuffled = cross_attention(x_q, x_kv[perm], w_q, w_k, w_v)
    np.testing.assert_allclose(shuffled.output, att.output, **TOL)  # keys and values move together
    np.testing.assert_allclose(shuffled.weights, att.weights[:, perm], **TOL)  # the columns move with them


@given(two_sequences(), st.data())
def test_permuting_the_queries_permutes_the_output_rows(args, data):
    x_q, x_kv, w_q, w_k, w_v = args
    perm = np.array(data.draw(st.permutations(range(x_q.shape[0]))))
    att = cross_attention(x_q, x_kv, w_q, w_k, w_v)
    shuffled = cross_attention(x_q[perm], x_kv, w_q, w_k, w_v)
    np.testing.assert_allclose(shuffled.output, att.output[perm], **TOL)
    np.testing.assert_allclose(shuffled.weights, att.weights[perm], **TOL)


@given(two_sequences(), st.integers(0, 5))
def test_a_query_row_depends_only_on_its_own_token(args, row):
    x_q, x_kv, w_q, w_k, w_v = args
    row = row % x_q.shape[0]
    att = cross_attention(x_q, x_kv, w_q, w_k, w_v)
    alone = cross_attention(x_q[row : row + 1], x_kv, w_q, w_k, w_v)
    np.testing.assert_allclose(alone.output[0], att.output[row], **TOL)


def test_with_one_sequence_it_is_self_attention():
    x = rng.standard_normal((4, 3))
    w_q, w_k, w_v = (rng.standard_normal((3, 3)) for _ in range(3))
    cross, self_ = cross_attention(x, x, w_q, w_k, w_v), self_attention(x, w_q, w_k, w_v)
    for field in ("q", "k", "v", "weights", "output"):
        np.testing.assert_array_equal(getattr(cross, field), getattr(self_, field))


def test_a_padding_mask_on_the_read_sequence_gives_those_keys_zero_weight():
    keep = np.array([True, True, False, True])  # key 2 is padding
    att = cross_attention(XQ, XKV, WQ, WK, WV, mask=keep[None, :])  # (1, T_k) broadcasts over the queries
    assert att.mask.shape == (5, 4) and np.all(att.weights[:, 2] == 0.0) and np.all(np.isneginf(att.scaled[:, 2]))
    without = cross_attention(XQ, XKV[keep], WQ, WK, WV)  # the same as dropping that token
    np.testing.assert_allclose(att.output, without.output, **TOL)


def test_batches_broadcast_and_each_item_is_its_own_cross_attention():
    x_q = rng.standard_normal((2, 3, 5, 3))
    x_kv = rng.standard_normal((3, 4, 6))  # shared by the first batch axis
    att = cross_attention(x_q, x_kv, WQ, WK, WV)
    assert att.weights.shape == (2, 3, 5, 4) and att.output.shape == (2, 3, 5, 7)
    for a in range(2):
        for b in range(3):
            one = cross_attention(x_q[a, b], x_kv[b], WQ, WK, WV)
            np.testing.assert_allclose(att.output[a, b], one.output, **TOL)


def test_fields_are_read_only_and_the_dataclass_is_frozen():
    att = cross_attention(XQ, XKV, WQ, WK, WV)
    for field in ("q", "k", "v", "scores", "weights", "output"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(att, field)[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        att.q = None


# --------------------------------------------------------------------------- bad input


def ca(**changes):
    args = dict(x_q=XQ, x_kv=XKV, w_q=WQ, w_k=WK, w_v=WV)
    args.update(changes)
    mask = args.pop("mask", None)
    return lambda: cross_attention(**args, mask=mask)


BAD = [
    pytest.param(ca(x_q=XQ[0]), ValueError, r"x_q must have at least 2 dimension\(s\); got shape \(3,\)", id="1d-x_q"),
    pytest.param(ca(x_kv=XKV.astype(int)), TypeError, r"x_kv must be a floating-point array; got integer dtype",
                 id="integer-x_kv"),
    pytest.param(ca(x_kv=np.zeros((0, 6))), ValueError, r"x_kv must not be empty; got shape \(0, 6\)",
                 id="empty-x_kv"),
    pytest.param(ca(x_q=np.where(XQ > 1, np.nan, XQ)), ValueError, r"x_q contains NaN", id="nan-x_q"),
    pytest.param(ca(x_kv=[[1.0, 2.0], [3.0]]), TypeError, r"x_kv must be an array of numbers; got list",
                 id="ragged-x_kv"),
    pytest.param(
        ca(w_q=WK),
        ValueError,
        r"w_q must have shape \(d_model, d\) with d_model = 3 \(the last axis of x_q \(5, 3\)\); got w_q \(6, 2\)",
        id="w_q-rows-must-match-x_q",
    ),
    pytest.param(
        ca(w_k=WQ),
        ValueError,
        r"w_k must have shape \(d_model, d\) with d_model = 6 \(the last axis of x_kv \(4, 6\)\); got w_k \(3, 2\)",
        id="w_k-rows-must-match-x_kv",
    ),
    pytest.param(ca(w_v=WV[0]), ValueError, r"w_v must have shape \(d_model, d\) with d_model = 6 .*; got w_v \(7,\)",
                 id="1d-w_v"),
    pytest.param(
        ca(w_k=WV),
        ValueError,
        r"w_q and w_k must project to the same d_k; got w_q \(3, 2\) and w_k \(6, 7\)",
        id="w_q-w_k-disagree-on-d_k",
    ),
    pytest.param(
        ca(x_q=np.zeros((2, 5, 3)), x_kv=np.zeros((3, 4, 6))),
        ValueError,
        r"the batch dimensions of x_q, x_kv do not broadcast; got x_q \(2, 5, 3\), x_kv \(3, 4, 6\)",
        id="batches-do-not-broadcast",
    ),
    pytest.param(ca(mask=np.ones((5, 4))), TypeError, r"mask must be a boolean array", id="float-mask"),
    pytest.param(
        ca(mask=np.ones((4, 5), dtype=bool)),
        ValueError,
        r"mask with shape \(4, 5\) does not broadcast to the scores' shape \(5, 4\)",
        id="mask-of-the-transposed-shape",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD)
def test_bad_input_raises_an_error_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_cross_attention_takes_no_causal_flag():
    with pytest.raises(TypeError, match="causal"):
        cross_attention(XQ, XKV, WQ, WK, WV, causal=True)


# --------------------------------------------------------------------------- the residual connection


def test_add_residual_adds_the_update_to_each_token():
    x = np.array([[0.3, 0.3, 0.0, 0.8], [1.0, 0.0, 0.0, 0.0]])
    z = np.array([[0.44, 0.13, 0.14, 0.34], [0.0, -0.5, 0.0, 0.0]])
    out = add_residual(x, z)
    np.testing.assert_array_equal(out, [[0.3 + 0.44, 0.3 + 0.13, 0.14, 0.8 + 0.34], [1.0, -0.5, 0.0, 0.0]])
    with pytest.raises(ValueError, match="read-only"):
        out[0, 0] = 0.0


def test_add_residual_of_attention_keeps_the_token_and_adds_its_context_vector():
    ex = load_examples()
    s = ex.sentence("animal")
    att = self_attention(s.x, s.language.w_q, s.language.w_k, s.language.w_v)
    out = add_residual(s.x, att.output)
    np.testing.assert_allclose(out - s.x, att.output, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("x", "update", "error", "message"),
    [
        pytest.param(np.ones((3, 4)), np.ones((3, 2)), ValueError,
                     r"x and update must have the same shape .*; got x \(3, 4\) and update \(3, 2\)", id="widths"),
        pytest.param(np.ones((3, 4)), np.ones((1, 4)), ValueError,
                     r"x and update must have the same shape .*; got x \(3, 4\) and update \(1, 4\)",
                     id="no-broadcasting"),
        pytest.param(np.ones((3, 4), dtype=int), np.ones((3, 4)), TypeError,
                     r"x must be a floating-point array; got integer dtype", id="integer-x"),
        pytest.param(np.ones((3, 4)), np.full((3, 4), np.inf), ValueError, r"update contains inf", id="inf-update"),
        pytest.param(np.ones((0, 4)), np.ones((0, 4)), ValueError, r"x must not be empty", id="empty"),
    ],
)
def test_add_residual_bad_input(x, update, error, message):
    with pytest.raises(error, match=message):
        add_residual(x, update)


# --------------------------------------------------------------------------- the translation pair of the examples


def test_the_packaged_translation_pair_reads_english_and_writes_french():
    pair = load_examples().cross
    assert pair is not None
    assert pair.source.text == "the black cat sat" and pair.target.text == "le chat noir s'est assis"
    att = cross_attention(pair.x_q, pair.x_kv, pair.w_q, pair.w_k, pair.w_v)
    assert att.weights.shape == (len(pair.target.tokens), len(pair.source.tokens)) == (5, 4)
    tops = [pair.source.tokens[j] for j in att.weights.argmax(axis=1)]
    assert tops == ["the", "cat", "black", "sat", "sat"], tops
    assert re.fullmatch(r"chat", pair.target.focus)
