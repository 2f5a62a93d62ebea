"""attention_ref against PyTorch 2.13's results, stored in tests/golden/*.npz.

The golden files are written by tests/golden/make_golden.py (which needs torch;
this file does not). Its docstring records what torch does for fully masked
rows and the polarity of each bool mask.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from attention_ref import cross_attention, multi_head_attention, scaled_dot_product_attention

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

# rtol: two float64 implementations of the same formula that only differ in
# the order of their roundings agree to ~1e-15 relative; 1e-12 leaves room for
# that and still fails on any real difference (a wrong scale, mask or head split
# shows up at 1e-3 and above).
RTOL = 1e-12
# atol: for entries near zero, relative error means nothing: an output that is
# a sum of T_k <= 6 terms of size <= ~10 with mixed signs, or a weight of 1e-60,
# differs between the two by up to a few units of 1e-15 in absolute terms.
# 1e-14 covers that and is far below any entry the site shows.
ATOL = 1e-14


def load_cases(filename: str) -> dict[str, dict[str, np.ndarray]]:
    with np.load(GOLDEN / filename, allow_pickle=False) as z:
        names = [str(name) for name in z["cases"]]
        return {
            name: {key.split("__", 1)[1]: z[key] for key in z.files if key.startswith(name + "__")} for name in names
        }


SDPA = load_cases("sdpa.npz")
MHA = load_cases("mha.npz")
CROSS = load_cases("cross.npz")


def test_golden_files_hold_the_promised_cases():
    # Guards against a regenerated file that silently lost its cases (the
    # parametrized tests below would then pass by having nothing to check).
    assert len(SDPA) >= 15 and len(MHA) >= 10
    assert any(c["q"].shape[-2] != c["k"].shape[-2] and c["causal"] for c in SDPA.values()), "causal T_q != T_k"
    assert any(c["q"].shape[-1] != c["v"].shape[-1] for c in SDPA.values()), "d_k != d_v"
    assert any(c["q"].ndim == 4 for c in SDPA.values()) and any(c["x"].ndim == 4 for c in MHA.values()), "batch (2, 3)"
    assert any("scale" in c for c in SDPA.values()), "custom scale"
    for cases in (SDPA, MHA):
        assert any("mask" in c and not c["mask"].any(axis=-1).all() for c in cases.values()), "a fully masked row"
        assert all(v.dtype in (np.float64, np.bool_) or v.dtype.kind == "i" for c in cases.values() for v in c.values())


def fully_masked(case: dict[str, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Bool `shape[:-1]`: True for a query row whose every key is masked out."""
    if "mask" not in case:
        return np.zeros(shape[:-1], dtype=bool)
    keep = np.broadcast_to(case["mask"], shape)
    if case["causal"]:
        keep = keep & np.tril(np.ones(shape[-2:], dtype=bool))
    return ~keep.any(axis=-1)


# --------------------------------------------------------------------------
# scaled_dot_product_attention vs torch.nn.functional.scaled_dot_product_attention


def ours_sdpa(case):
    scale = float(case["scale"]) if "scale" in case else None
    return scaled_dot_product_attention(
        case["q"], case["k"], case["v"], mask=case.get("mask"), causal=bool(case["causal"]), scale=scale
    )


@pytest.mark.parametrize("name", list(SDPA))
def test_sdpa_output_matches_torch(name):
    case = SDPA[name]
    np.testing.assert_allclose(ours_sdpa(case).output, case["output"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", list(SDPA))
def test_sdpa_weights_match_torch(name):
    case = SDPA[name]
    np.testing.assert_allclose(ours_sdpa(case).weights, case["weights"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", [n for n, c in SDPA.items() if fully_masked(c, c["weights"].shape).any()])
def test_sdpa_fully_masked_rows_are_exactly_zero_like_torch(name):
    case = SDPA[name]
    att = ours_sdpa(case)
    rows = fully_masked(case, att.weights.shape)
    assert np.all(att.weights[rows] == 0.0) and np.all(att.output[rows] == 0.0)
    assert np.all(case["weights"][rows] == 0.0) and np.all(case["output"][rows] == 0.0)  # torch 2.13 agrees


# --------------------------------------------------------------------------
# multi_head_attention vs torch.nn.MultiheadAttention(bias=False, batch_first=True)


def ours_mha(case):
    e = case["x"].shape[-1]
    w_in = case["in_proj_weight"]  # (3E, E), torch computes x @ w_in.T
    return multi_head_attention(
        case["x"],
        w_in[:e].T,
        w_in[e : 2 * e].T,
        w_in[2 * e :].T,
        case["out_proj_weight"].T,
        n_heads=int(case["n_heads"]),
        mask=case.get("mask"),
        causal=bool(case["causal"]),
    )


@pytest.mark.parametrize("name", list(MHA))
def test_mha_weights_per_head_match_torch(name):
    case = MHA[name]
    ours = ours_mha(case).weights  # (..., n_heads, T, T)
    theirs = case["weights"]
    # torch (need_weights=True) writes NaN on exactly the fully masked rows; compare the rest.
    empty = np.broadcast_to(fully_masked(case, ours.shape[:-3] + ours.shape[-2:])[..., None, :], ours.shape[:-1])
    assert np.array_equal(np.isnan(theirs).any(axis=-1), empty)
    np.testing.assert_allclose(ours[~empty], theirs[~empty], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", list(MHA))
def test_mha_output_matches_torch(name):
    case = MHA[name]
    ours = ours_mha(case).output  # (..., T, d_model)
    empty = fully_masked(case, ours.shape[:-1] + (ours.shape[-2],))
    assert np.array_equal(np.isnan(case["output"]).any(axis=-1), empty)
    np.testing.assert_allclose(ours[~empty], case["output"][~empty], rtol=RTOL, atol=ATOL)
    # need_weights=False takes torch's SDPA path, which gives 0 on fully masked rows: compare everything.
    np.testing.assert_allclose(ours, case["output_no_weights"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", [n for n, c in MHA.items() if "mask" in c and not c["mask"].any(axis=-1).all()])
def test_mha_fully_masked_rows_are_exactly_zero(name):
    case = MHA[name]
    mha = ours_mha(case)
    rows = fully_masked(case, mha.output.shape[:-1] + (mha.output.shape[-2],))
    assert rows.any()
    for head in mha.heads:
        assert np.all(head.weights[rows] == 0.0) and np.all(head.output[rows] == 0.0)
    assert np.all(mha.concat[rows] == 0.0) and np.all(mha.output[rows] == 0.0)


# --------------------------------------------------------------------------
# cross_attention vs torch.nn.MultiheadAttention(query=x_q, key=value=x_kv, kdim, vdim), and vs
# torch's projections followed by F.scaled_dot_product_attention


def test_cross_golden_file_holds_the_promised_cases():
    assert len(CROSS) >= 5
    assert all(c["x_q"].shape[-2] != c["x_kv"].shape[-2] for c in CROSS.values()), "T_q != T_k in every case"
    assert any(c["x_q"].shape[-1] != c["x_kv"].shape[-1] for c in CROSS.values()), "d_q != d_kv"
    assert any("mask" in c and not c["mask"].all() for c in CROSS.values()), "a padded source"
    assert any(c["w_v"].shape[1] != c["w_q"].shape[1] for c in CROSS.values()), "d_v != d_k"


def ours_cross(case):
    return cross_attention(case["x_q"], case["x_kv"], case["w_q"], case["w_k"], case["w_v"], mask=case.get("mask"))


@pytest.mark.parametrize("name", list(CROSS))
def test_cross_attention_output_matches_torch(name):
    case = CROSS[name]
    np.testing.assert_allclose(ours_cross(case).output, case["output"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", list(CROSS))
def test_cross_attention_weights_match_torch(name):
    case = CROSS[name]
    ours = ours_cross(case).weights
    assert ours.shape == case["weights"].shape
    np.testing.assert_allclose(ours, case["weights"], rtol=RTOL, atol=ATOL)
