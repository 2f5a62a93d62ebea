"""What the page "Attention while generating" tells holds in its figures' data, recomputed in plain numpy.

The figures compute with attention_ref.decoding; these tests recompute the same numbers without it
(the causal softmax row by row, softmax(logits / T), the inverse CDF with numpy's searchsorted, the
cost formulas of the page), so a wrong call in a figure fails here too. Tolerance 1e-12: a few
float64 roundings.
"""

from __future__ import annotations

import numpy as np
import pytest

from attention_ref import load_examples, uniform_draws
from attention_ref.examples import DEFAULT_PATH
from figures_src.figures import decoding_temperature, generation_steps, kv_cache_cost, kv_cache_step

EXACT = 1e-12


@pytest.fixture(scope="module")
def examples():
    return load_examples(DEFAULT_PATH)


def plain_causal_rows(x, w_q, w_k, w_v):
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    rows = []
    for t in range(len(x)):
        s = k[: t + 1] @ q[t] / np.sqrt(q.shape[1])
        w = np.exp(s - s.max())
        w /= w.sum()
        rows.append((w, w @ v[: t + 1]))
    return rows


def test_generation_steps_are_causal_rows(examples):
    data = generation_steps.data(examples)
    x, w_q, w_k, w_v = (np.asarray(data[k]) for k in ("x", "w_q", "w_k", "w_v"))
    for st, (w, out) in zip(data["steps"], plain_causal_rows(x, w_q, w_k, w_v), strict=True):
        np.testing.assert_allclose(st["weights"], w, rtol=0, atol=EXACT)
        np.testing.assert_allclose(st["output"], out, rtol=0, atol=EXACT)
        assert st["n_cached"] == st["position"] and st["keys"] == data["tokens"][: st["position"] + 1]
    nxt = data["next"]
    p = np.exp(np.asarray(nxt["logits"]) - max(nxt["logits"]))
    p /= p.sum()
    assert nxt["greedy"] == nxt["candidates"][int(np.argmax(p))]
    assert nxt["sampled"] == nxt["candidates"][int(np.searchsorted(np.cumsum(p), nxt["u"], side="right"))]


def test_kv_cache_step_rows(examples):
    data = kv_cache_step.data(examples)
    s = examples.sentence(examples.decoding.sentence)
    lang = s.language
    t = data["step"]
    np.testing.assert_allclose(data["k"], s.x[:t] @ lang.w_k, rtol=0, atol=EXACT)
    np.testing.assert_allclose(data["v"], s.x[:t] @ lang.w_v, rtol=0, atol=EXACT)
    np.testing.assert_allclose(data["q"], s.x[t - 1] @ lang.w_q, rtol=0, atol=EXACT)
    w, out = plain_causal_rows(s.x, lang.w_q, lang.w_k, lang.w_v)[t - 1]
    np.testing.assert_allclose(data["weights"], w, rtol=0, atol=EXACT)
    np.testing.assert_allclose(data["output"], out, rtol=0, atol=EXACT)


def test_kv_cache_cost_is_the_pages_formulas(examples):
    data = kv_cache_cost.data(examples)
    dm, dk, dv = data["d_model"], data["d_k"], data["d_v"]
    for t, cached, uncached in zip(data["t"], data["cached"], data["uncached"], strict=True):
        assert cached == dm * (2 * dk + dv) + t * (dk + dv)
        assert uncached == t * dm * (2 * dk + dv) + t * t * (dk + dv)
    assert data["t"] == list(range(1, data["max_t"] + 1))


def test_decoding_temperature_distributions_and_draws(examples):
    data = decoding_temperature.data(examples)
    logits = np.asarray(data["logits"])
    for temp in data["temperatures"]:
        p = np.exp(logits / temp - (logits / temp).max())
        p /= p.sum()
        np.testing.assert_allclose(data["probabilities"][f"{temp:g}".replace(".", "_")], p, rtol=0, atol=EXACT)
    p1 = np.asarray(data["probabilities"]["1"])
    u = uniform_draws(data["seed"], data["n_draws"])
    picks = np.searchsorted(np.cumsum(p1), u, side="right")
    counts = np.bincount(picks, minlength=len(p1))
    assert list(data["counts"].values()) == counts.tolist()
    assert sum(data["counts"].values()) == data["n_draws"]
    assert data["top_share"] == counts[int(np.argmax(p1))] / data["n_draws"]
