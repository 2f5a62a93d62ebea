"""attention_ref against PyTorch, live, in float64, on seeded random shapes.

Runs only where torch is installed (skipped otherwise; the golden files in
tests/golden/ cover the ordinary run). Torch's conventions, checked in
tests/golden/make_golden.py: SDPA's bool mask has True = may attend (ours too),
nn.MultiheadAttention's has True = NOT allowed; a fully masked row is zero in
SDPA and NaN in MultiheadAttention(need_weights=True).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from attention_ref import (  # noqa: E402
    cross_attention,
    multi_head_attention,
    scaled_dot_product_attention,
    softmax_jacobian,
)

pytestmark = pytest.mark.torch

# Same tolerances as tests/against_torch_golden.py, same reasons: float64
# rounding-order differences are ~1e-15 relative, ~1e-15 absolute near zero.
RTOL = 1e-12
ATOL = 1e-14

SEED = 1729  # base seed; case i draws from default_rng([SEED, i])
BATCHES = [(), (3,), (2, 3)]


def t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(a, dtype=np.float64))  # a writable copy (torch warns on read-only arrays)


def sdpa_case(i: int) -> dict:
    rng = np.random.default_rng([SEED, i])
    batch = BATCHES[i % len(BATCHES)]
    t_q, t_k = (int(n) for n in rng.integers(1, 8, size=2))
    d_k, d_v = (int(n) for n in rng.integers(1, 7, size=2))
    case = {
        "q": rng.standard_normal(batch + (t_q, d_k)) * rng.uniform(0.1, 3.0),
        "k": rng.standard_normal(batch + (t_k, d_k)),
        "v": rng.standard_normal(batch + (t_k, d_v)),
        "causal": bool(rng.random() < 0.4),
        "scale": None if rng.random() < 0.6 else float(rng.uniform(0.05, 3.0)),
        # sometimes no mask, sometimes one shared by the batch, sometimes one per item;
        # keep-probability 0.5 leaves some fully masked rows now and then
        "mask": [None, rng.random((t_q, t_k)) < 0.5, rng.random(batch + (t_q, t_k)) < 0.7][i % 3],
    }
    return case


def case_id(i: int, case: dict) -> str:
    parts = [f"{i:02d}", "x".join(map(str, case["q"].shape[:-2])) or "single"]
    parts.append(f"tq{case['q'].shape[-2]}-tk{case['k'].shape[-2]}-dk{case['q'].shape[-1]}-dv{case['v'].shape[-1]}")
    parts += (
        ["mask"] * (case["mask"] is not None) + ["causal"] * case["causal"] + ["scale"] * (case["scale"] is not None)
    )
    return "-".join(parts)


SDPA_CASES = [sdpa_case(i) for i in range(36)]


def torch_sdpa(case, values: np.ndarray) -> np.ndarray:
    t_q, t_k = case["q"].shape[-2], case["k"].shape[-2]
    mask, causal = case["mask"], case["causal"]
    if causal and mask is not None:  # torch refuses both at once; causal is top-left aligned like ours
        mask, causal = mask & np.tril(np.ones((t_q, t_k), dtype=bool)), False
    out = F.scaled_dot_product_attention(
        t(case["q"]),
        t(case["k"]),
        t(values),
        attn_mask=None if mask is None else torch.from_numpy(np.ascontiguousarray(mask)),
        is_causal=causal,
        scale=case["scale"],
    )
    return out.numpy()


@pytest.mark.parametrize("case", SDPA_CASES, ids=[case_id(i, c) for i, c in enumerate(SDPA_CASES)])
def test_sdpa_matches_torch_live(case):
    ours = scaled_dot_product_attention(
        case["q"], case["k"], case["v"], mask=case["mask"], causal=case["causal"], scale=case["scale"]
    )
    np.testing.assert_allclose(ours.output, torch_sdpa(case, case["v"]), rtol=RTOL, atol=ATOL)
    t_k = case["k"].shape[-2]
    eye = np.broadcast_to(np.eye(t_k), case["k"].shape[:-2] + (t_k, t_k))  # softmax(...) @ I = the weights
    np.testing.assert_allclose(ours.weights, torch_sdpa(case, eye), rtol=RTOL, atol=ATOL)


def test_live_cases_include_fully_masked_rows_and_every_feature():
    # so that the random draw above really exercises what it claims to
    def has_empty_row(c):
        if c["mask"] is None:
            return False
        keep = c["mask"] & np.tril(np.ones(c["mask"].shape[-2:], dtype=bool)) if c["causal"] else c["mask"]
        return not keep.any(axis=-1).all()

    assert any(has_empty_row(c) for c in SDPA_CASES)
    assert any(c["causal"] and c["q"].shape[-2] != c["k"].shape[-2] for c in SDPA_CASES)
    assert any(c["scale"] is not None for c in SDPA_CASES)
    assert {c["q"].ndim for c in SDPA_CASES} == {2, 3, 4}


def mha_case(i: int) -> dict:
    rng = np.random.default_rng([SEED, 1000 + i])
    batch = BATCHES[i % len(BATCHES)]
    n_heads = int(rng.integers(1, 5))
    d_model = n_heads * int(rng.integers(1, 4))
    seq = int(rng.integers(1, 7))
    return {
        "x": rng.standard_normal(batch + (seq, d_model)),
        "in_proj_weight": rng.standard_normal((3 * d_model, d_model)) / math.sqrt(d_model),
        "out_proj_weight": rng.standard_normal((d_model, d_model)) / math.sqrt(d_model),
        "n_heads": n_heads,
        "causal": bool(rng.random() < 0.4),
        "mask": None if rng.random() < 0.4 else rng.random((seq, seq)) < 0.6,
    }


MHA_CASES = [mha_case(i) for i in range(18)]


def mha_id(i: int, c: dict) -> str:
    batch = "x".join(map(str, c["x"].shape[:-2])) or "single"
    flags = "-mask" * (c["mask"] is not None) + "-causal" * c["causal"]
    return f"{i:02d}-{batch}-t{c['x'].shape[-2]}-e{c['x'].shape[-1]}-h{c['n_heads']}{flags}"


@pytest.mark.parametrize("case", MHA_CASES, ids=[mha_id(i, c) for i, c in enumerate(MHA_CASES)])
def test_multi_head_attention_matches_torch_live(case):
    x, e, n_heads = case["x"], case["x"].shape[-1], case["n_heads"]
    seq, batch = x.shape[-2], x.shape[:-2]
    keep = case["mask"]
    if case["causal"]:
        tri = np.tril(np.ones((seq, seq), dtype=bool))
        keep = tri if keep is None else keep & tri

    mha = torch.nn.MultiheadAttention(e, n_heads, bias=False, batch_first=True, dtype=torch.float64).eval()
    with torch.no_grad():
        mha.in_proj_weight.copy_(t(case["in_proj_weight"]))
        mha.out_proj.weight.copy_(t(case["out_proj_weight"]))
        xt = t(x.reshape((-1, seq, e)) if batch else x)  # torch takes (B, T, E) or (T, E)
        blocked = None if keep is None else torch.from_numpy(~keep)  # torch MHA: True = NOT allowed
        hint = case["causal"] and case["mask"] is None  # is_causal only as a hint for a purely causal mask
        _, w = mha(xt, xt, xt, attn_mask=blocked, is_causal=hint, need_weights=True, average_attn_weights=False)
        out, _ = mha(xt, xt, xt, attn_mask=blocked, is_causal=hint, need_weights=False)

    w_in = case["in_proj_weight"]
    ours = multi_head_attention(
        x, w_in[:e].T, w_in[e : 2 * e].T, w_in[2 * e :].T, case["out_proj_weight"].T,
        n_heads=n_heads, mask=case["mask"], causal=case["causal"],
    )  # fmt: skip
    np.testing.assert_allclose(ours.output, out.numpy().reshape(batch + (seq, e)), rtol=RTOL, atol=ATOL)
    theirs = w.numpy().reshape(batch + (n_heads, seq, seq))
    empty = np.zeros((seq,), dtype=bool) if keep is None else ~keep.any(axis=-1)  # torch: NaN rows
    np.testing.assert_allclose(ours.weights[..., ~empty, :], theirs[..., ~empty, :], rtol=RTOL, atol=ATOL)
    assert np.all(ours.weights[..., empty, :] == 0.0) and np.all(ours.output[..., empty, :] == 0.0)


@pytest.mark.parametrize("i", range(10))
def test_softmax_jacobian_matches_torch_autograd(i):
    rng = np.random.default_rng([SEED, 500 + i])
    x = rng.standard_normal(int(rng.integers(1, 9))) * rng.uniform(0.1, 8.0)
    want = torch.autograd.functional.jacobian(lambda s: torch.softmax(s, dim=-1), t(x)).numpy()
    np.testing.assert_allclose(softmax_jacobian(x), want, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("i", range(12))
def test_cross_attention_matches_torch_multihead_attention_with_kdim_vdim(i):
    """Queries from x_q, keys and values from x_kv of another width, optional source padding; out_proj = I."""
    rng = np.random.default_rng([SEED, 1000 + i])
    b = int(rng.integers(1, 4))
    t_q, t_k, e, d_kv = (int(n) for n in rng.integers(1, 7, size=4))
    x_q, x_kv = rng.standard_normal((b, t_q, e)), rng.standard_normal((b, t_k, d_kv))
    w_q, w_k, w_v = rng.standard_normal((e, e)), rng.standard_normal((d_kv, e)), rng.standard_normal((d_kv, e))
    ignore = rng.random((b, t_k)) < 0.3
    ignore[:, 0] = False  # every item keeps one key (torch gives NaN for a fully padded one)
    mha = torch.nn.MultiheadAttention(e, 1, bias=False, kdim=d_kv, vdim=d_kv, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        if mha._qkv_same_embed_dim:  # d_kv == E: torch keeps the three projections in one matrix
            mha.in_proj_weight.copy_(t(np.concatenate([w_q.T, w_k.T, w_v.T])))
        else:
            mha.q_proj_weight.copy_(t(w_q.T))
            mha.k_proj_weight.copy_(t(w_k.T))
            mha.v_proj_weight.copy_(t(w_v.T))
        mha.out_proj.weight.copy_(torch.eye(e, dtype=torch.float64))
        out, w = mha(t(x_q), t(x_kv), t(x_kv), key_padding_mask=torch.from_numpy(ignore), need_weights=True)
    ours = cross_attention(x_q, x_kv, w_q, w_k, w_v, mask=~ignore[:, None, :])
    np.testing.assert_allclose(ours.output, out.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.weights, w.numpy(), rtol=RTOL, atol=ATOL)
