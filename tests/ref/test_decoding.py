"""attention_ref.decoding: the KV-cached decode, its cost, the temperature and the seeded choice.

The cost test does not trust the formula: it decodes with plain Python loops that count every
multiply-add they do (one `+= a * b` each), with the cache and without it (the whole prefix run
again, as causal self-attention does), checks both give attention_ref's outputs, and compares the
counts with `decoding_cost`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from attention_ref import (
    KVCache,
    decode,
    decode_step,
    decoding_cost,
    load_examples,
    sample_index,
    sample_tokens,
    self_attention,
    softmax,
    softmax_with_temperature,
    uniform_draws,
)


def random_model(seed, t=7, d_model=5, d_k=3, d_v=4):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(t, d_model)), rng.normal(size=(d_model, d_k)), rng.normal(size=(d_model, d_k)),
            rng.normal(size=(d_model, d_v)))


@pytest.mark.parametrize("seed", range(5))
def test_cached_decode_equals_full_causal_attention(seed):
    x, w_q, w_k, w_v = random_model(seed, t=3 + seed * 3)
    full = self_attention(x, w_q, w_k, w_v, causal=True)
    steps = decode(x, w_q, w_k, w_v)
    for t, st in enumerate(steps):
        assert st.position == t and st.n_cached == t and len(st.cache) == t + 1
        np.testing.assert_allclose(st.weights, full.weights[t, : t + 1], rtol=0, atol=1e-12)
        np.testing.assert_allclose(st.output, full.output[t], rtol=0, atol=1e-12)
        np.testing.assert_allclose(st.q, full.q[t], rtol=0, atol=1e-12)
    np.testing.assert_allclose(steps[-1].cache.k, full.k, rtol=0, atol=1e-12)
    np.testing.assert_allclose(steps[-1].cache.v, full.v, rtol=0, atol=1e-12)


@given(seed=hs.integers(0, 2**32 - 1), t=hs.integers(1, 12), d_model=hs.integers(1, 6), d_k=hs.integers(1, 5),
       d_v=hs.integers(1, 5), spread=hs.sampled_from([0.1, 1.0, 10.0]))
def test_cached_decode_equals_causal_attention_for_any_shape(seed, t, d_model, d_k, d_v, spread):
    x, w_q, w_k, w_v = random_model(seed, t=t, d_model=d_model, d_k=d_k, d_v=d_v)
    x = x * spread
    full = self_attention(x, w_q, w_k, w_v, causal=True)
    scale = max(1.0, float(np.abs(full.output).max()))
    for i, step in enumerate(decode(x, w_q, w_k, w_v)):
        np.testing.assert_allclose(step.output, full.output[i], rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(step.weights, full.weights[i, : i + 1], rtol=0, atol=1e-12)
        assert np.all(full.weights[i, i + 1:] == 0)  # what the step never reads has weight zero in full


def test_decode_step_by_hand_matches_decode_and_shapes():
    x, w_q, w_k, w_v = random_model(11)
    cache = None
    for t, x_t in enumerate(x):
        st = decode_step(x_t, w_q, w_k, w_v, cache)
        assert st.q.shape == (3,) and st.k.shape == (3,) and st.v.shape == (4,)
        assert st.weights.shape == (t + 1,) and st.output.shape == (4,)
        assert st.cache.k.shape == (t + 1, 3) and st.cache.v.shape == (t + 1, 4)
        assert not st.weights.flags.writeable and not st.cache.k.flags.writeable
        if cache is not None:  # the cache given is not changed, only extended in a new one
            assert len(cache) == t
            np.testing.assert_array_equal(st.cache.k[:t], cache.k)
        cache = st.cache


def test_the_hand_made_example_decodes_like_the_causal_mask_figure():
    ex = load_examples()
    s = ex.sentence(ex.decoding.sentence)
    lang = s.language
    full = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v, causal=True)
    for t, st in enumerate(decode(s.x, lang.w_q, lang.w_k, lang.w_v)):
        assert np.abs(st.output - full.output[t]).max() <= 1e-12


# ------------------------------------------------------------------- the cost, counted by hand


class Counter:
    def __init__(self):
        self.n = 0

    def matmul(self, a, b):
        """a (m, n) x b (n, p) with loops, counting one multiply-add per term."""
        m, n, p = len(a), len(b), len(b[0])
        out = [[0.0] * p for _ in range(m)]
        for i in range(m):
            for j in range(p):
                for k in range(n):
                    out[i][j] += a[i][k] * b[k][j]
                    self.n += 1
        return out


def attention_rows(counter, q, k, v, causal_from=0):
    """softmax(q k^T / sqrt(d_k)) v for query rows q, keys k; query i may read keys j <= causal_from + i."""
    scores = counter.matmul(q, [list(col) for col in zip(*k, strict=True)])
    scale = 1 / math.sqrt(len(q[0]))
    weights = []
    for i, row in enumerate(scores):
        scaled = np.array([s * scale if j <= causal_from + i else -np.inf for j, s in enumerate(row)])
        weights.append(list(softmax(scaled)))
    return counter.matmul(weights, v)


def counted_step(x, w_q, w_k, w_v, t, *, cache):
    """The output of the token at position t-1 and the multiply-adds it cost, with or without a KV cache."""
    c = Counter()
    if cache:
        # the earlier rows of K and V are in the cache, computed at their own steps: not counted here
        k_cached = (x[: t - 1] @ w_k).tolist()
        v_cached = (x[: t - 1] @ w_v).tolist()
        new = [x[t - 1].tolist()]
        q = c.matmul(new, w_q.tolist())
        k = k_cached + c.matmul(new, w_k.tolist())
        v = v_cached + c.matmul(new, w_v.tolist())
        out = attention_rows(c, q, k, v, causal_from=t - 1)[0]
    else:
        prefix = x[:t].tolist()
        q, k, v = (c.matmul(prefix, w.tolist()) for w in (w_q, w_k, w_v))
        out = attention_rows(c, q, k, v)[t - 1]
    return np.array(out), c.n


@pytest.mark.parametrize("cache", [True, False])
@pytest.mark.parametrize("t", [1, 2, 5, 8])
def test_decoding_cost_is_an_explicit_count(t, cache):
    x, w_q, w_k, w_v = random_model(3, t=8, d_model=5, d_k=3, d_v=4)
    out, counted = counted_step(x, w_q, w_k, w_v, t, cache=cache)
    full = self_attention(x, w_q, w_k, w_v, causal=True)
    np.testing.assert_allclose(out, full.output[t - 1], rtol=0, atol=1e-12)
    assert decoding_cost(t, 5, 3, 4, cache=cache).total == counted


def test_cost_is_linear_with_the_cache_and_quadratic_without():
    cached = [decoding_cost(t, 32, 16).total for t in range(1, 50)]
    uncached = [decoding_cost(t, 32, 16, cache=False).total for t in range(1, 50)]
    assert len(set(np.diff(cached))) == 1
    assert len(set(np.diff(uncached, n=2))) == 1 and np.diff(uncached, n=2)[0] > 0
    assert decoding_cost(10, 32, 16, 8).weighted_sum == 10 * 8  # d_v given


# ------------------------------------------------------------------- temperature and sampling


def test_temperature_one_is_softmax_and_order_is_kept():
    logits = np.array([2.0, 1.2, 0.3, -0.5])
    np.testing.assert_array_equal(softmax_with_temperature(logits, 1.0), softmax(logits))
    for t in (0.1, 0.5, 2.0, 10.0):
        p = softmax_with_temperature(logits, t)
        assert list(np.argsort(-p)) == [0, 1, 2, 3]
    assert softmax_with_temperature(logits, 0.05)[0] > 0.99
    assert np.ptp(softmax_with_temperature(logits, 1e6)) < 1e-5


def test_sampling_is_inverse_cdf_and_seeded():
    p = np.array([0.5, 0.3, 0.2])
    assert [sample_index(p, u) for u in (0.0, 0.49, 0.5, 0.79, 0.8, 0.999)] == [0, 0, 1, 1, 2, 2]
    assert sample_index(np.array([0.5, 0.5, 0.0]), 0.9999999999999999) == 1
    a, b = sample_tokens(p, 16, 500), sample_tokens(p, 16, 500)
    assert np.array_equal(a, b) and not np.array_equal(a, sample_tokens(p, 17, 500))
    counts = np.bincount(a, minlength=3) / 500
    assert np.all(np.abs(counts - p) < 0.07)
    u = uniform_draws(16, 1000)
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.03


def test_mulberry32_known_values():
    # the reference implementation's first draws for seed 1 (node: mulberry32(1)() three times)
    np.testing.assert_array_equal(uniform_draws(1, 3), [0.6270739405881613, 0.002735721180215478,
                                                        0.5274470399599522])


# ------------------------------------------------------------------- bad input


W = np.ones((4, 2))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: decode_step(np.ones((1, 4)), W, W, W), ValueError, "x_t"),
        (lambda: decode_step(np.ones(4, dtype=int), W, W, W), TypeError, "x_t"),
        (lambda: decode_step(np.ones(3), W, W, W), ValueError, "w_q"),
        (lambda: decode_step(np.ones(4), W, np.ones((4, 3)), W), ValueError, "d_k"),
        (lambda: decode_step(np.ones(4), W, W, W, cache={"k": 1}), TypeError, "cache"),
        (lambda: decode_step(np.ones(4), W, W, W, cache=KVCache(k=np.ones((2, 3)), v=np.ones((2, 2)))),
         ValueError, "cache"),
        (lambda: decode_step([np.nan] * 4, W, W, W), ValueError, "NaN"),
        (lambda: decode(np.ones(4), W, W, W), ValueError, "x"),
        (lambda: decode(np.ones((2, 3, 4)), W, W, W), ValueError, "one sequence"),
        (lambda: decoding_cost(0, 4, 2), ValueError, "t"),
        (lambda: decoding_cost(2.5, 4, 2), TypeError, "t"),
        (lambda: decoding_cost(2, 4, 2, cache="yes"), TypeError, "cache"),
        (lambda: softmax_with_temperature([1.0, 2.0], 0), ValueError, "temperature"),
        (lambda: softmax_with_temperature([1.0, 2.0], "hot"), TypeError, "temperature"),
        (lambda: softmax_with_temperature([], 1.0), ValueError, "logits"),
        (lambda: sample_index([0.5, 0.2], 0.1), ValueError, "sum to 1"),
        (lambda: sample_index([[0.5, 0.5]], 0.1), ValueError, "probabilities"),
        (lambda: sample_index([0.5, 0.5], 1.0), ValueError, "u"),
        (lambda: sample_index([0.5, 0.5], "0.1"), TypeError, "u"),
        (lambda: uniform_draws(-1, 3), ValueError, "seed"),
        (lambda: uniform_draws(1.5, 3), TypeError, "seed"),
        (lambda: uniform_draws(1, 0), ValueError, "n"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
