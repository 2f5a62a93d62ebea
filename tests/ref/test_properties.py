"""Properties of attention_ref that must hold for every input (hypothesis).

Each expected value is computed independently in the test (plain Python loops,
math.*, a permutation, a slice) rather than by calling the function under test
a second time. The hypothesis profile ("ci" when $CI is set: derandomized) is
registered in tests/conftest.py.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_ref import (
    contextualize,
    cosine_similarity,
    dot_similarity,
    entropy_bits,
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
    softmax_saturation,
)

EPS = np.finfo(np.float64).eps  # 2.2e-16

# Entries in [-4, 4] keep every score below ~4 * 4 * 6 = 96 in size, so no
# weight underflows to 0 and the rounding error of a score stays ~1e-14.
small = st.floats(-4.0, 4.0, allow_nan=False, allow_infinity=False)
dims = st.integers(1, 6)
BATCHES = st.sampled_from([(), (2,), (2, 3)])


def mat(shape, elements=small):
    return arrays(np.float64, shape, elements=elements)


@st.composite
def qkv(draw, batch=False):
    """q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v) and a bool mask (..., T_q, T_k)."""
    b = draw(BATCHES) if batch else ()
    t_q, t_k, d_k, d_v = draw(dims), draw(dims), draw(dims), draw(dims)
    q = draw(mat(b + (t_q, d_k)))
    k = draw(mat(b + (t_k, d_k)))
    v = draw(mat(b + (t_k, d_v)))
    mask = draw(arrays(np.bool_, b + (t_q, t_k)))
    return q, k, v, mask


def loop_attention(q, k, v, keep, scale):
    """The textbook formula for one sequence, in plain Python: (weights, output) as lists."""
    weights, output = [], []
    for i in range(len(q)):
        s = [scale * sum(q[i][c] * k[j][c] for c in range(len(q[i]))) for j in range(len(k))]
        kept = [j for j in range(len(k)) if keep[i][j]]
        if not kept:
            w = [0.0] * len(k)
        else:
            top = max(s[j] for j in kept)
            e = [math.exp(s[j] - top) if keep[i][j] else 0.0 for j in range(len(k))]
            w = [x / math.fsum(e) for x in e]
        weights.append(w)
        output.append([math.fsum(w[j] * v[j][c] for j in range(len(k))) for c in range(len(v[0]))])
    return weights, output


# --------------------------------------------------------------------------
# scaled dot-product attention


@given(qkv(batch=True), st.booleans())
def test_weights_rows_sum_to_one(args, use_mask):
    q, k, v, mask = args
    att = scaled_dot_product_attention(q, k, v, mask=mask if use_mask else None)
    kept_rows = mask.any(axis=-1) if use_mask else np.ones(att.weights.shape[:-1], dtype=bool)
    assert np.all(att.weights >= 0.0)
    # a sum of T_k <= 6 terms in [0, 1] is off by at most ~T_k * eps = 1.3e-15
    np.testing.assert_allclose(att.weights.sum(axis=-1)[kept_rows], 1.0, rtol=0, atol=8 * EPS)


@given(qkv())
def test_attention_matches_the_formula_written_as_loops(args):
    q, k, v, mask = args
    att = scaled_dot_product_attention(q, k, v, mask=mask)
    w, out = loop_attention(q.tolist(), k.tolist(), v.tolist(), mask.tolist(), 1.0 / math.sqrt(q.shape[-1]))
    # scores below ~100 carry ~1e-14 absolute rounding, which exp turns into ~1e-14 relative
    np.testing.assert_allclose(att.weights, w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(att.output, out, rtol=1e-12, atol=1e-13)


@given(qkv(batch=True))
def test_masked_entries_have_zero_weight_and_minus_inf_scaled(args):
    q, k, v, mask = args
    att = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.all(att.weights[~mask] == 0.0)
    assert np.all(att.scaled[~mask] == -np.inf)
    assert np.all(att.weights[mask] > 0.0)  # |scaled| < 100: nothing kept underflows
    np.testing.assert_array_equal(att.mask, mask)
    np.testing.assert_allclose(att.scaled[mask], (att.scores * att.scale)[mask], rtol=0, atol=0)


@given(qkv(), st.data())
def test_fully_masked_row_gives_zero_weights_and_zero_output(args, data):
    q, k, v, mask = args
    row = data.draw(st.integers(0, q.shape[-2] - 1), label="row")
    mask = mask.copy()
    mask[row] = False
    att = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.all(att.weights[row] == 0.0) and np.all(att.output[row] == 0.0)
    assert np.all(att.scaled[row] == -np.inf)
    assert not np.isnan(att.weights).any() and not np.isnan(att.output).any()


@given(dims, dims, dims, mat((6, 6)), mat((6, 6)))
def test_causal_weights_are_zero_above_the_diagonal(t_q, t_k, d, q_full, k_full):
    q, k = q_full[:t_q, :d], k_full[:t_k, :d]
    att = scaled_dot_product_attention(q, k, k, causal=True)
    above = np.array([[j > i for j in range(t_k)] for i in range(t_q)])  # top-left aligned, like PyTorch
    assert np.all(att.weights[above] == 0.0) and np.all(att.scaled[above] == -np.inf)
    assert np.all(att.weights[~above] > 0.0)
    np.testing.assert_allclose(att.weights.sum(axis=-1), 1.0, rtol=0, atol=8 * EPS)  # key 0 is always visible


@given(qkv(batch=True), st.data())
def test_batch_result_equals_the_per_item_results(args, data):
    q, k, v, mask = args
    # k and v may also broadcast: drop their first batch axis (shared by every item of it)
    if q.ndim == 4 and data.draw(st.booleans(), label="share k, v"):
        k, v = k[0], v[0]
    att = scaled_dot_product_attention(q, k, v, mask=mask)
    for idx in np.ndindex(q.shape[:-2]):
        kv_idx = idx[len(idx) - (k.ndim - 2) :]
        one = scaled_dot_product_attention(q[idx], k[kv_idx], v[kv_idx], mask=mask[idx])
        # a batched matmul may sum in another order than a single one: ~1e-15
        np.testing.assert_allclose(att.weights[idx], one.weights, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(att.output[idx], one.output, rtol=1e-13, atol=1e-14)


@given(qkv())
def test_scale_defaults_to_one_over_sqrt_d_k(args):
    q, k, v, _ = args
    att = scaled_dot_product_attention(q, k, v)
    d_k = q.shape[-1]
    assert att.scale == 1.0 / math.sqrt(d_k)
    dots = [[math.fsum(a * b for a, b in zip(qi, kj, strict=True)) for kj in k.tolist()] for qi in q.tolist()]
    np.testing.assert_allclose(att.scores, dots, rtol=1e-13, atol=1e-13)  # 6 products of size <= 16
    np.testing.assert_allclose(att.scaled, np.array(dots) / math.sqrt(d_k), rtol=1e-13, atol=1e-13)


@given(qkv(), st.floats(0.01, 10.0))
def test_custom_scale_multiplies_the_scores(args, scale):
    q, k, v, _ = args
    att = scaled_dot_product_attention(q, k, v, scale=scale)
    assert att.scale == scale
    np.testing.assert_array_equal(att.scaled, att.scores * scale)


def test_attention_fields_are_read_only_and_the_dataclass_is_frozen():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 4))
    w = rng.standard_normal((4, 4))
    att = scaled_dot_product_attention(x, x, x, mask=np.ones((3, 3), dtype=bool))
    sa = self_attention(x, w, w, w)
    mha = multi_head_attention(x, w, w, w, w, n_heads=2)
    arrays_ = [att.scores, att.scaled, att.weights, att.output, att.mask, sa.q, sa.k, sa.v, mha.concat, mha.output]
    for arr in arrays_:
        with pytest.raises(ValueError, match="read-only"):
            arr[0, 0] = 1
    for obj, field in ((att, "weights"), (att, "scale"), (sa, "q"), (mha, "output")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)


def test_results_do_not_alias_the_inputs():
    q = np.array([[1.0, 0.0], [0.0, 1.0]])
    att = scaled_dot_product_attention(q, q, q)
    before = att.output.copy()
    q[:] = 7.0  # the caller changes its array afterwards
    np.testing.assert_array_equal(att.output, before)


# --------------------------------------------------------------------------
# softmax


@given(
    st.integers(1, 4)
    .flatmap(lambda n: st.tuples(st.just(n), st.integers(1, 8)))
    .flatmap(
        lambda nm: st.tuples(
            mat(nm, st.floats(-50, 50)),
            mat((nm[0], 1), st.floats(-1e3, 1e3)),
        )
    )
)
def test_softmax_is_shift_invariant(args):
    x, c = args
    # x + c is rounded to within ulp(1050) / 2 = 1.1e-13; a weight's relative error is a few times that
    np.testing.assert_allclose(softmax(x + c), softmax(x), rtol=1e-11, atol=0)


def test_softmax_is_stable_at_scores_around_1e4():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow / invalid-value warning either
        np.testing.assert_array_equal(softmax(np.full(4, 1e4)), [0.25] * 4)
        np.testing.assert_array_equal(softmax(np.full(4, -1e4)), [0.25] * 4)
        np.testing.assert_array_equal(softmax(np.array([1e4, -1e4])), [1.0, 0.0])
        np.testing.assert_array_equal(softmax(np.array([[1e4], [-1e4]]), axis=0), [[1.0], [0.0]])
        # 1e4 - 1 is exact in float64, so this is softmax([1, 0]): e / (e + 1) and 1 / (e + 1)
        got = softmax(np.array([1e4, 1e4 - 1.0]))
        want = [math.e / (math.e + 1.0), 1.0 / (math.e + 1.0)]
        np.testing.assert_allclose(got, want, rtol=4 * EPS, atol=0)  # exp() and the division: a few ulp
        # -1e4 pulls no weight next to finite scores, and -inf is simply masked
        np.testing.assert_allclose(softmax(np.array([0.0, 0.0, -1e4, -np.inf])), [0.5, 0.5, 0.0, 0.0], rtol=0, atol=0)


@given(st.sampled_from([1e4, -1e4]), mat(st.integers(1, 8), st.floats(-5, 5)))
def test_softmax_of_huge_scores_equals_softmax_of_their_offsets(big, x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = softmax(big + x)
    assert np.all(np.isfinite(got))
    # big + x is rounded to ulp(1e4) / 2 = 9e-13, so weights agree to a few times that, relatively
    np.testing.assert_allclose(got, softmax(x), rtol=1e-11, atol=0)


@given(mat(st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)), st.floats(-30, 30)), st.integers(-3, 2))
def test_softmax_sums_to_one_along_any_axis(x, axis):
    w = softmax(x, axis=axis)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    np.testing.assert_allclose(w, e / e.sum(axis=axis, keepdims=True), rtol=1e-13, atol=1e-300)


@given(mat(st.tuples(st.integers(0, 2), st.integers(1, 6)).map(lambda t: (2,) * t[0] + (t[1],)), st.floats(-5, 5)))
def test_softmax_jacobian_matches_central_differences(x):
    j = softmax_jacobian(x)
    assert j.shape == x.shape + x.shape[-1:]
    h = 1e-6
    for c in range(x.shape[-1]):
        step = np.zeros(x.shape[-1])
        step[c] = h
        column = (softmax(x + step) - softmax(x - step)) / (2 * h)  # d w / d x_c, (..., n)
        # central differences err by h^2 / 6 times a third derivative (~1e-13) plus rounding eps / h (~2e-10)
        np.testing.assert_allclose(j[..., :, c], column, rtol=0, atol=1e-9)


@given(mat(st.integers(1, 8), st.floats(-30, 30)))
def test_softmax_jacobian_is_symmetric_and_its_columns_sum_to_zero(x):
    j = softmax_jacobian(x)
    np.testing.assert_array_equal(j, j.T)  # w_i (d_ij - w_j) = w_j (d_ji - w_i), computed the same way
    # the weights always sum to one, so a nudge moves them by amounts that cancel
    np.testing.assert_allclose(j.sum(axis=0), 0.0, rtol=0, atol=4 * EPS * len(x))


def test_softmax_jacobian_of_equal_scores_and_of_a_saturated_softmax():
    n = 5
    np.testing.assert_allclose(softmax_jacobian(np.zeros(n)), np.eye(n) / n - 1 / n**2, rtol=1e-15, atol=1e-17)
    # one score far above the rest: the weights no longer respond (d w_i / d s_j ~ e^-50)
    assert np.abs(softmax_jacobian(np.array([50.0, 0.0, 0.0]))).max() < 1e-20
    # a masked (-inf) key gets no weight and so no derivative
    j = softmax_jacobian(np.array([0.0, -np.inf, 0.0]))
    np.testing.assert_array_equal(j[1], 0.0)
    np.testing.assert_array_equal(j[:, 1], 0.0)


def test_softmax_gradient_fades_for_raw_scores_and_holds_for_scaled_ones():
    sweep = [1, 4, 16, 64, 256, 512]
    runs = [softmax_gradient(d, n_keys=10, n_samples=1000, seed=20170612) for d in sweep]
    raw = [r["gradient_unscaled"] for r in runs]
    scaled = [r["gradient_scaled"] for r in runs]
    assert raw[0] == scaled[0]  # d_k = 1: dividing by sqrt(1) changes nothing
    assert all(a > b for a, b in itertools.pairwise(raw[1:])), raw  # measured: 0.34 at d_k = 4, 0.06 at 512
    assert raw[-1] < 0.25 * scaled[-1]
    # the scaled scores keep a spread of about one at every d_k (see the entropy test): the response stays level
    assert max(scaled) - min(scaled) < 0.05, scaled
    # it is the mean of the per-draw Jacobian norms, recomputed here from the same draws with a closed form:
    # ||diag(w) - w w^T||_F^2 = sum_i w_i^2 (1 - 2 w_i) + (sum_i w_i^2)^2
    rng = np.random.default_rng([20170612, 64, 10])
    q, k = rng.standard_normal((1000, 1, 64)), rng.standard_normal((1000, 10, 64))
    scores = np.einsum("nqd,nkd->nk", q, k) / 8.0
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    norms = np.sqrt((w**2 * (1 - 2 * w)).sum(axis=1) + (w**2).sum(axis=1) ** 2)
    assert math.isclose(runs[3]["gradient_scaled"], float(norms.mean()), rel_tol=1e-12)


# --------------------------------------------------------------------------
# self-attention and multi-head attention


@st.composite
def tokens_and_projections(draw, n_heads=None):
    t, d_model = draw(dims), draw(dims) if n_heads is None else n_heads * draw(st.integers(1, 3))
    d_k = d_model if n_heads else draw(dims)
    d_v = d_model if n_heads else draw(dims)
    el = st.floats(-2.0, 2.0)
    return (
        draw(mat((t, d_model), el)),
        draw(mat((d_model, d_k), el)),
        draw(mat((d_model, d_k), el)),
        draw(mat((d_model, d_v), el)),
    )


@given(tokens_and_projections(), st.data())
def test_self_attention_without_positions_is_permutation_equivariant(args, data):
    x, w_q, w_k, w_v = args
    perm = np.array(data.draw(st.permutations(range(len(x))), label="perm"))
    att = self_attention(x, w_q, w_k, w_v)
    shuffled = self_attention(x[perm], w_q, w_k, w_v)
    # scores reach ~1e3 here (entries <= 2, d <= 6) and are summed in another order: ~1e-12 relative
    np.testing.assert_allclose(shuffled.output, att.output[perm], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(shuffled.weights, att.weights[perm][:, perm], rtol=1e-9, atol=1e-12)


@given(tokens_and_projections(n_heads=1), st.booleans())
def test_one_head_with_identity_w_o_equals_self_attention(args, causal):
    x, w_q, w_k, w_v = args
    mha = multi_head_attention(x, w_q, w_k, w_v, np.eye(x.shape[-1]), n_heads=1, causal=causal)
    sa = self_attention(x, w_q, w_k, w_v, causal=causal)
    np.testing.assert_array_equal(mha.heads[0].weights, sa.weights)
    np.testing.assert_allclose(mha.output, sa.output, rtol=0, atol=0)  # x @ I is exact


@given(st.integers(1, 4).flatmap(lambda h: st.tuples(st.just(h), tokens_and_projections(n_heads=h))), st.data())
def test_head_h_equals_self_attention_on_its_column_block(args, data):
    n_heads, (x, w_q, w_k, w_v) = args
    w_o = data.draw(mat(w_q.shape, st.floats(-2, 2)), label="w_o")
    mha = multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads=n_heads)
    d_head = x.shape[-1] // n_heads
    assert mha.n_heads == n_heads and len(mha.heads) == n_heads
    assert mha.weights.shape == (n_heads, len(x), len(x))
    total = np.zeros_like(mha.output)
    for h in range(n_heads):
        cols = list(range(h * d_head, (h + 1) * d_head))
        sa = self_attention(x, w_q[:, cols], w_k[:, cols], w_v[:, cols])
        head = mha.heads[h]
        np.testing.assert_allclose(head.weights, sa.weights, rtol=1e-14, atol=0)
        np.testing.assert_allclose(mha.weights[h], sa.weights, rtol=1e-14, atol=0)
        np.testing.assert_allclose(head.output, sa.output, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(mha.concat[:, cols], sa.output, rtol=1e-14, atol=1e-15)
        assert head.scale == 1.0 / math.sqrt(d_head)
        total += sa.output @ w_o[cols, :]  # concat W_O, written block by block
    # entries <= 2, d_model <= 12: the block sums differ from one matmul by ~1e-14
    np.testing.assert_allclose(mha.output, total, rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------
# similarities


@given(
    arrays(np.float64, st.integers(1, 6), elements=st.floats(-10, 10)),
    st.integers(-300, 300),
)
def test_cosine_similarity_of_a_vector_with_itself_is_one(v, exponent):
    assume(np.any(v != 0))
    v = v * 10.0**exponent  # any magnitude from 1e-300 to 1e300, as long as the vector is not zero
    assume(np.all(np.isfinite(v)) and np.any(v != 0))
    np.testing.assert_allclose(cosine_similarity(v, v), [[1.0]], rtol=0, atol=8 * EPS)
    np.testing.assert_allclose(cosine_similarity(v, -v), [[-1.0]], rtol=0, atol=8 * EPS)


# normal (not subnormal) magnitudes: a subnormal loses bits when stretched, and b is then
# no longer orthogonal to a
coordinate = st.one_of(st.just(0.0), st.floats(1e-100, 1e3), st.floats(-1e3, -1e-100))


@given(coordinate, coordinate, st.floats(0.01, 100.0))
def test_cosine_similarity_of_orthogonal_vectors_is_zero(x, y, stretch):
    assume(x != 0 or y != 0)
    a = np.array([x, y])
    b = stretch * np.array([-y, x])  # a rotated by 90 degrees, any length
    # b's two entries are rounded separately (eps / 2 off orthogonal), then a few roundings in the
    # unit vectors and the 2-term dot product: |cos| stays below ~4 eps
    np.testing.assert_allclose(cosine_similarity(a, b), [[0.0]], rtol=0, atol=8 * EPS)
    # disjoint supports: every product is exactly 0
    assert cosine_similarity([x, y, 0.0, 0.0], [0.0, 0.0, 1.0, -2.0])[0, 0] == 0.0


def test_cosine_similarity_of_known_angles():
    got = cosine_similarity([[1.0, 0.0], [3.0, 4.0]], [[1.0, 1.0], [-6.0, -8.0]])
    np.testing.assert_allclose(got, [[math.sqrt(0.5), -0.6], [7 / (5 * math.sqrt(2)), -1.0]], rtol=4 * EPS)


@given(mat(st.tuples(st.integers(1, 4), st.integers(1, 3)), st.floats(-10, 10)), st.integers(1, 3))
def test_dot_similarity_of_rows_with_disjoint_support_is_zero(a, pad):
    n, d = a.shape
    left = np.hstack([a, np.zeros((n, pad))])  # lives on the first d axes
    right = np.hstack([np.zeros((n, d)), np.ones((n, pad))])  # lives on the last pad axes
    assert np.all(dot_similarity(left, right) == 0.0)


@given(mat(st.tuples(st.integers(1, 4), st.integers(1, 8)), st.floats(-100, 100)), st.data())
def test_dot_and_scaled_dot_similarity_match_the_formula(a, data):
    b = data.draw(mat((data.draw(st.integers(1, 4)), a.shape[1]), st.floats(-100, 100)), label="b")
    d = a.shape[1]
    dot = dot_similarity(a, b)
    scaled = scaled_dot_similarity(a, b)
    for i, ai in enumerate(a.tolist()):
        for j, bj in enumerate(b.tolist()):
            exact = math.fsum(x * y for x, y in zip(ai, bj, strict=True))
            # the standard bound for a float dot product of length d
            bound = 2 * d * EPS * math.fsum(abs(x * y) for x, y in zip(ai, bj, strict=True))
            assert abs(dot[i, j] - exact) <= bound
            assert abs(scaled[i, j] - exact / math.sqrt(d)) <= bound / math.sqrt(d) + 2 * EPS * abs(exact)


def test_similarities_accept_integer_vectors():
    assert dot_similarity([1, 2], [3, 4]).tolist() == [[11.0]]
    assert scaled_dot_similarity([1, 2], [3, 4]).tolist() == [[11.0 / math.sqrt(2)]]


# --------------------------------------------------------------------------
# positional encoding


@pytest.mark.parametrize(
    ("n_positions", "d_model", "base"), [(6, 8, 10000.0), (5, 7, 10000.0), (4, 1, 10000.0), (7, 5, 100.0)]
)
def test_sinusoidal_positional_encoding_matches_the_paper_formula(n_positions, d_model, base):
    pe = sinusoidal_positional_encoding(n_positions, d_model, base=base)
    assert pe.shape == (n_positions, d_model) and pe.dtype == np.float64
    for pos in range(n_positions):
        for col in range(d_model):
            i = col // 2  # columns 2i (sine) and 2i + 1 (cosine) share one frequency
            angle = pos / base ** (2 * i / d_model)
            want = math.sin(angle) if col % 2 == 0 else math.cos(angle)
            assert abs(pe[pos, col] - want) <= 1e-14, (pos, col)  # angles <= 7: sin/cos agree to ~1 ulp
    assert np.all(pe[0, 0::2] == 0.0) and np.all(pe[0, 1::2] == 1.0)  # position 0: sin 0, cos 0


# --------------------------------------------------------------------------
# the geometric view


@given(mat(st.tuples(st.integers(1, 6), st.just(2)), st.floats(-10, 10)), st.data())
def test_contextualize_rows_are_convex_combinations_of_the_points(x, data):
    scores = data.draw(mat((data.draw(st.integers(1, 4)), len(x)), st.floats(-5, 5)), label="scores")
    w = softmax(scores)
    new = contextualize(x, w)
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=8 * EPS)
    for i, row in enumerate(w.tolist()):
        want = [math.fsum(row[j] * x[j, c] for j in range(len(x))) for c in range(2)]
        np.testing.assert_allclose(new[i], want, rtol=1e-13, atol=1e-13)
        # inside the convex hull, hence inside the bounding box of the points (plus rounding)
        assert np.all(new[i] >= x.min(axis=0) - 1e-12) and np.all(new[i] <= x.max(axis=0) + 1e-12)


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the hull's corners, counter-clockwise."""
    pts = sorted(set(points))

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_contextualized_points_lie_inside_the_convex_hull(seed):
    rng = np.random.default_rng([seed, 2024])
    x = rng.uniform(-5, 5, size=(7, 2))  # points in general position
    w = softmax(rng.standard_normal((20, 7)) * 3)
    hull = convex_hull([tuple(p) for p in x.tolist()])
    assert len(hull) >= 3
    for p in contextualize(x, w):
        for a, b in zip(hull, hull[1:] + hull[:1], strict=True):  # left of every counter-clockwise edge
            assert (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= -1e-12


@given(mat(st.integers(1, 5), st.floats(-100, 100)), st.data())
def test_move_toward_hits_its_endpoints_and_the_midpoint(a, data):
    b = data.draw(mat(a.shape, st.floats(-100, 100)), label="b")
    np.testing.assert_array_equal(move_toward(a, b, 0.0), a)
    np.testing.assert_array_equal(move_toward(a, b, 1.0), b)
    np.testing.assert_allclose(move_toward(a, b, 0.5), (a + b) / 2, rtol=1e-15, atol=1e-13)
    share = data.draw(st.floats(0.0, 1.0), label="share")
    moved = move_toward(a, b, share)
    # on the segment: share of the way from a, (1 - share) from b
    np.testing.assert_allclose(np.linalg.norm(moved - a), share * np.linalg.norm(b - a), rtol=1e-12, atol=1e-11)


# --------------------------------------------------------------------------
# the scaling experiments


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1000])
def test_entropy_bits_of_uniform_over_n_is_log2_n(n):
    assert abs(entropy_bits(np.full(n, 1.0 / n)) - math.log2(n)) <= 1e-12  # a sum of n rounded terms


@pytest.mark.parametrize("n", [1, 2, 7])
def test_entropy_bits_of_one_hot_is_zero(n):
    p = np.zeros((n, n))
    np.fill_diagonal(p, 1.0)
    assert np.all(entropy_bits(p) == 0.0)


@pytest.mark.parametrize("d_k", [1, 4, 64, 256])
def test_random_dot_products_variance_is_about_d_k(d_k):
    n = 20_000
    s = random_dot_products(d_k, n, seed=11)
    assert s.shape == (n,)
    # q . k sums d_k products z = q_i k_i with E z^2 = 1, E z^4 = 9, so E s^4 = 3 d^2 + 6 d and the
    # sample variance has standard error sqrt((2 d^2 + 6 d) / n): 5 of them would be a real failure.
    se = math.sqrt((2 * d_k**2 + 6 * d_k) / n)
    assert abs(s.var() - d_k) <= 5 * se
    assert abs(s.mean()) <= 5 * math.sqrt(d_k / n)  # mean 0, standard error sqrt(d_k / n)


def test_random_dot_products_is_deterministic_for_a_seed():
    np.testing.assert_array_equal(random_dot_products(16, 100, seed=5), random_dot_products(16, 100, seed=5))
    assert not np.array_equal(random_dot_products(16, 100, seed=5), random_dot_products(16, 100, seed=6))


def test_softmax_saturation_unscaled_entropy_falls_while_scaled_entropy_holds():
    sweep = [1, 4, 16, 64, 256, 512]
    runs = [softmax_saturation(d, n_keys=10, n_samples=1000, seed=20170612) for d in sweep]
    unscaled = [r["entropy_unscaled"] for r in runs]
    scaled = [r["entropy_scaled"] for r in runs]
    assert all(a > b for a, b in itertools.pairwise(unscaled)), unscaled
    assert unscaled[-1] < 0.25 * unscaled[0]  # measured: 2.9 bits at d_k = 1, about 0.2 at 512
    # With 1/sqrt(d_k) every score has variance |q|^2 / d_k, 1 on average for every d_k; what is left
    # is the chi-square spread of |q|^2 at small d_k (measured: 0.13 bits) plus sampling noise of the
    # mean (~0.3 / sqrt(1000) = 0.01 bits). 0.2 bits bounds both; the unscaled curve falls 2.7 bits.
    assert max(scaled) - min(scaled) < 0.2, scaled
    assert all(s <= math.log2(10) for s in scaled)  # never above uniform over 10 keys
    assert runs[-1]["max_weight_unscaled"] > 0.9 > 0.4 > runs[-1]["max_weight_scaled"]
