"""Write the golden files tests/golden/sdpa.npz, mha.npz and cross.npz from PyTorch.

Run from the repository root, in an environment that has torch (the ordinary
test run does not need it; it only reads the .npz files written here):

    python tests/golden/make_golden.py

Made with torch 2.13.0 (CPU), float64. Every input is drawn in numpy float64
from `np.random.default_rng(SEED)` (cross.npz: from its own generator
`default_rng([SEED, CROSS_STREAM])`, so adding it changed no byte of the other
two), handed to torch, and stored next to torch's results, so
tests/ref/test_against_torch_golden.py compares attention_ref against torch on
exactly the same numbers. This script does not import attention_ref:
the golden values come from torch alone.

Layout of each file: `cases` is a 1-D array of case names; the arrays of case
`c` are stored under `c__<field>` (numpy arrays only, no pickles).

What torch 2.13.0 does, checked when this script was written (and asserted
below, so a different torch version that changed it fails here loudly):

- `F.scaled_dot_product_attention(attn_mask=bool)`: True = the query MAY attend
  to that key, the same polarity as attention_ref's `mask`.
- `nn.MultiheadAttention(attn_mask=bool)`: True = NOT allowed to attend, the
  opposite polarity. We pass `~mask` to it.
- A fully masked row (every key masked for one query):
  * `F.scaled_dot_product_attention` returns a zero output row (it softmaxes
    with a "safe softmax" that maps an all -inf row to zeros), which is
    attention_ref's contract (weights 0, output 0), so those rows are compared
    like any other;
  * `nn.MultiheadAttention(need_weights=True)` returns NaN for that row in
    both the weights and the output (plain softmax of an all -inf row);
  * `nn.MultiheadAttention(need_weights=False)` goes through
    scaled_dot_product_attention and returns a zero output row.
  The MHA file therefore stores both outputs; the test skips the NaN rows of
  the need_weights=True results and checks attention_ref's zeros on its own.
- `is_causal=True` is aligned at the top left when T_q != T_k (query i sees keys
  j <= i), as attention_ref's `causal`; torch refuses `is_causal` together
  with `attn_mask`, so for "mask and causal" we pass torch the combined mask.
- Torch's SDPA returns no weights; we get them from the same call with
  v = the identity (T_k, T_k): softmax(...) @ I is the weights matrix itself.
- Cross-attention (cross.npz): `nn.MultiheadAttention(E, 1, kdim, vdim)` called
  with query = x_q and key = value = x_kv, which keeps separate
  q_proj_weight (E, E), k_proj_weight (E, kdim), v_proj_weight (E, vdim) and
  computes x @ weight.T; out_proj is set to the identity so that its output is
  the attention output itself. Its `key_padding_mask` has True = ignore that
  key (stored here in attention_ref's polarity, as a (B, 1, T_k) mask). The
  other cases project in torch (x_q @ w_q, ...) and call SDPA, for d_q, d_kv,
  d_k and d_v all different.
"""

from __future__ import annotations

import math
import sys
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240607  # the seed of every golden input; change it and regenerate on purpose
CROSS_STREAM = 16  # cross.npz draws from default_rng([SEED, CROSS_STREAM])
HERE = Path(__file__).resolve().parent
MAX_BYTES = 200_000  # each file stays small enough to commit


def t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


def random_mask(rng: np.random.Generator, shape: tuple[int, ...], p_keep: float = 0.6) -> np.ndarray:
    """A bool mask (True = may attend) in which every query keeps at least one key."""
    mask = rng.random(shape) < p_keep
    first = rng.integers(0, shape[-1], size=shape[:-1])
    np.put_along_axis(mask, first[..., None], True, axis=-1)
    return mask


# --------------------------------------------------------------------------
# scaled_dot_product_attention


def sdpa_case(rng, q_shape, k_shape, v_shape, *, mask_shape=None, fully_masked_rows=(), causal=False, scale=None):
    q = rng.standard_normal(q_shape)
    k = rng.standard_normal(k_shape)
    v = rng.standard_normal(v_shape)
    t_q, t_k = q_shape[-2], k_shape[-2]
    mask = None
    if mask_shape is not None:
        mask = random_mask(rng, mask_shape)
        for row in fully_masked_rows:  # index into the mask's leading axes + query
            mask[row] = False
    torch_mask = None if mask is None else torch.from_numpy(mask)
    torch_causal = causal
    if causal and mask is not None:  # torch forbids both at once: give it the combined mask
        torch_mask = torch_mask & torch.ones(t_q, t_k, dtype=torch.bool).tril()
        torch_causal = False

    def run(values: torch.Tensor) -> np.ndarray:
        out = F.scaled_dot_product_attention(
            t(q), t(k), values, attn_mask=torch_mask, is_causal=torch_causal, scale=scale
        )
        return out.numpy()

    output = run(t(v))
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2])
    eye = torch.eye(t_k, dtype=torch.float64).expand(*batch, t_k, t_k)
    weights = run(eye)  # softmax(...) @ I = the weights
    case = {"q": q, "k": k, "v": v, "output": output, "weights": weights, "causal": np.array(causal)}
    if mask is not None:
        case["mask"] = mask
    if scale is not None:
        case["scale"] = np.array(scale, dtype=np.float64)
    return case


def sdpa_cases(rng) -> dict[str, dict[str, np.ndarray]]:
    return {
        "single_square": sdpa_case(rng, (5, 4), (5, 4), (5, 4)),
        "tq3_tk6_dk5_dv2": sdpa_case(rng, (3, 5), (6, 5), (6, 2)),
        "batch_2x3": sdpa_case(rng, (2, 3, 4, 6), (2, 3, 5, 6), (2, 3, 5, 3)),
        "batch_broadcast_k_v": sdpa_case(rng, (2, 3, 4, 6), (3, 5, 6), (1, 3, 5, 3)),
        "mask_2d": sdpa_case(rng, (4, 3), (6, 3), (6, 5), mask_shape=(4, 6)),
        "mask_shared_by_batch": sdpa_case(rng, (2, 3, 4, 3), (2, 3, 6, 3), (2, 3, 6, 2), mask_shape=(4, 6)),
        "mask_per_batch": sdpa_case(rng, (2, 3, 4, 3), (2, 3, 6, 3), (2, 3, 6, 2), mask_shape=(2, 1, 4, 6)),
        "causal_square": sdpa_case(rng, (6, 4), (6, 4), (6, 3), causal=True),
        "causal_tq3_lt_tk6": sdpa_case(rng, (3, 4), (6, 4), (6, 3), causal=True),
        "causal_tq6_gt_tk3": sdpa_case(rng, (6, 4), (3, 4), (3, 3), causal=True),
        "causal_batch_2x3": sdpa_case(rng, (2, 3, 5, 4), (2, 3, 5, 4), (2, 3, 5, 2), causal=True),
        "causal_and_mask": sdpa_case(rng, (5, 4), (5, 4), (5, 3), mask_shape=(5, 5), causal=True),
        "scale_0.3": sdpa_case(rng, (4, 8), (5, 8), (5, 3), scale=0.3),
        "scale_2.5_masked": sdpa_case(rng, (4, 8), (5, 8), (5, 3), mask_shape=(4, 5), scale=2.5),
        "fully_masked_row": sdpa_case(rng, (4, 3), (5, 3), (5, 2), mask_shape=(4, 5), fully_masked_rows=[(1,)]),
        "fully_masked_rows_batch": sdpa_case(
            rng, (2, 4, 3), (2, 5, 3), (2, 5, 2), mask_shape=(2, 4, 5), fully_masked_rows=[(0, 3), (1, 0)]
        ),
        "large_scores": sdpa_case(rng, (4, 16), (5, 16), (5, 3), scale=40.0),  # peaked softmax
    }


# --------------------------------------------------------------------------
# nn.MultiheadAttention


def mha_case(rng, x_shape, n_heads, *, mask_shape=None, fully_masked_rows=(), causal=False):
    d_model, seq = x_shape[-1], x_shape[-2]
    x = rng.standard_normal(x_shape)
    # Weights drawn like torch's xavier init (std ~ 1/sqrt(d_model)), but from numpy.
    in_proj_weight = rng.standard_normal((3 * d_model, d_model)) / math.sqrt(d_model)
    out_proj_weight = rng.standard_normal((d_model, d_model)) / math.sqrt(d_model)
    mask = None
    if mask_shape is not None:
        mask = random_mask(rng, mask_shape)
        for row in fully_masked_rows:
            mask[row] = False
    keep = mask
    if causal:
        tri = np.tril(np.ones((seq, seq), dtype=bool))
        keep = tri if keep is None else keep & tri

    mha = torch.nn.MultiheadAttention(d_model, n_heads, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(t(in_proj_weight))
        mha.out_proj.weight.copy_(t(out_proj_weight))
    mha.eval()

    # torch's MHA takes (B, T, E) or (T, E): flatten any batch dims into one.
    batch = x_shape[:-2]
    n_batch = math.prod(batch)
    xt = t(x.reshape(n_batch, seq, d_model)) if batch else t(x)
    attn_mask = None
    if keep is not None:
        blocked = torch.from_numpy(~keep)  # MHA's bool mask: True = NOT allowed (opposite of SDPA)
        if blocked.ndim > 2:  # a per-sequence mask: torch wants (B * n_heads, T, T), b-major
            blocked = blocked.expand(*batch, seq, seq).reshape(n_batch, seq, seq)
            blocked = blocked.repeat_interleave(n_heads, dim=0)
        attn_mask = blocked
    # is_causal is only a hint that attn_mask IS the causal mask: with need_weights=False
    # torch then drops attn_mask and runs SDPA with is_causal=True. So give the hint only
    # when the mask is purely causal; "mask and causal" goes in as the combined mask alone.
    hint = causal and mask is None
    with torch.no_grad():
        out, w = mha(xt, xt, xt, attn_mask=attn_mask, is_causal=hint, need_weights=True, average_attn_weights=False)
        out_fast, _ = mha(xt, xt, xt, attn_mask=attn_mask, is_causal=hint, need_weights=False)
    shape_out = batch + (seq, d_model)
    shape_w = batch + (n_heads, seq, seq)
    case = {
        "x": x,
        "in_proj_weight": in_proj_weight,
        "out_proj_weight": out_proj_weight,
        "n_heads": np.array(n_heads),
        "causal": np.array(causal),
        "output": out.numpy().reshape(shape_out),  # need_weights=True: NaN on fully masked rows
        "output_no_weights": out_fast.numpy().reshape(shape_out),  # need_weights=False: zeros there
        "weights": w.numpy().reshape(shape_w),  # per head (average_attn_weights=False)
    }
    if mask is not None:
        case["mask"] = mask  # attention_ref's polarity: True = may attend
    return case


def mha_cases(rng) -> dict[str, dict[str, np.ndarray]]:
    return {
        "single_e8_h2": mha_case(rng, (5, 8), 2),
        "batch3_e8_h4": mha_case(rng, (3, 4, 8), 4),
        "one_head_e6": mha_case(rng, (4, 6), 1),
        "head_size_1_e4_h4": mha_case(rng, (5, 4), 4),
        "batch_2x3_e6_h3": mha_case(rng, (2, 3, 4, 6), 3),
        "mask_2d_e8_h2": mha_case(rng, (2, 5, 8), 2, mask_shape=(5, 5)),
        "mask_per_batch_e6_h2": mha_case(rng, (3, 4, 6), 2, mask_shape=(3, 4, 4)),
        "causal_e8_h2": mha_case(rng, (2, 6, 8), 2, causal=True),
        "causal_single_e4_h1": mha_case(rng, (5, 4), 1, causal=True),
        "causal_and_mask_e6_h3": mha_case(rng, (5, 6), 3, mask_shape=(5, 5), causal=True),
        "fully_masked_row_e6_h2": mha_case(rng, (2, 4, 6), 2, mask_shape=(4, 4), fully_masked_rows=[(2,)]),
    }


# --------------------------------------------------------------------------
# cross-attention: queries from x_q, keys and values from x_kv


def cross_mha_case(rng, xq_shape, xkv_shape, *, padded=None):
    """nn.MultiheadAttention(E, 1, kdim, vdim) with out_proj = I; `padded[b]` = padding keys of item b."""
    e, d_kv = xq_shape[-1], xkv_shape[-1]
    x_q, x_kv = rng.standard_normal(xq_shape), rng.standard_normal(xkv_shape)
    w_q = rng.standard_normal((e, e)) / math.sqrt(e)  # attention_ref's (d_q, d_k): torch's q_proj_weight.T
    w_k = rng.standard_normal((d_kv, e)) / math.sqrt(d_kv)
    w_v = rng.standard_normal((d_kv, e)) / math.sqrt(d_kv)
    mha = torch.nn.MultiheadAttention(e, 1, bias=False, kdim=d_kv, vdim=d_kv, batch_first=True, dtype=torch.float64)
    assert not mha._qkv_same_embed_dim  # separate projections, as cross-attention needs
    with torch.no_grad():
        mha.q_proj_weight.copy_(t(w_q.T))
        mha.k_proj_weight.copy_(t(w_k.T))
        mha.v_proj_weight.copy_(t(w_v.T))
        mha.out_proj.weight.copy_(torch.eye(e, dtype=torch.float64))
    mha.eval()
    case = {"x_q": x_q, "x_kv": x_kv, "w_q": w_q, "w_k": w_k, "w_v": w_v}
    ignore = None
    if padded is not None:
        ignore = np.zeros((xkv_shape[0], xkv_shape[-2]), dtype=bool)  # (B, T_k), True = padding
        for b, keys in enumerate(padded):
            ignore[b, keys] = True
        case["mask"] = ~ignore[:, None, :]  # attention_ref: (B, 1, T_k), True = may attend
    with torch.no_grad():
        out, w = mha(t(x_q), t(x_kv), t(x_kv), key_padding_mask=None if ignore is None else torch.from_numpy(ignore),
                     need_weights=True, average_attn_weights=False)
    case["output"] = out.numpy()
    case["weights"] = w.numpy()[..., 0, :, :] if w.ndim == 4 else w.numpy()[0]  # drop the single head axis
    return case


def cross_sdpa_case(rng, xq_shape, xkv_shape, d_k, d_v):
    """Projections in torch, then F.scaled_dot_product_attention; x_kv may be shared by x_q's batch."""
    x_q, x_kv = rng.standard_normal(xq_shape), rng.standard_normal(xkv_shape)
    w_q = rng.standard_normal((xq_shape[-1], d_k))
    w_k = rng.standard_normal((xkv_shape[-1], d_k))
    w_v = rng.standard_normal((xkv_shape[-1], d_v))
    q, k, v = t(x_q) @ t(w_q), t(x_kv) @ t(w_k), t(x_kv) @ t(w_v)
    out = F.scaled_dot_product_attention(q, k, v)
    t_k = xkv_shape[-2]
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2])
    weights = F.scaled_dot_product_attention(q, k, torch.eye(t_k, dtype=torch.float64).expand(*batch, t_k, t_k))
    return {"x_q": x_q, "x_kv": x_kv, "w_q": w_q, "w_k": w_k, "w_v": w_v, "output": out.numpy(),
            "weights": weights.numpy()}


def cross_cases(rng) -> dict[str, dict[str, np.ndarray]]:
    return {
        "mha_tq5_tk3_e4_kdim6": cross_mha_case(rng, (5, 4), (3, 6)),
        "mha_batch2_tq4_tk6_e4_kdim3": cross_mha_case(rng, (2, 4, 4), (2, 6, 3)),
        "mha_key_padding": cross_mha_case(rng, (2, 5, 4), (2, 6, 3), padded=[[4, 5], [5]]),
        "sdpa_dq3_dkv5_dk2_dv7": cross_sdpa_case(rng, (4, 3), (6, 5), 2, 7),
        "sdpa_batch_shared_source": cross_sdpa_case(rng, (3, 2, 5), (1, 4, 6), 3, 2),
    }


# --------------------------------------------------------------------------


def check_torch_behaviour() -> None:
    """Fail loudly if this torch does not behave as the docstring says."""
    q = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    v = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
    only_key_1 = torch.tensor([[False, True], [False, False]])  # row 1 fully masked
    out = F.scaled_dot_product_attention(q, q, v, attn_mask=only_key_1)
    assert torch.equal(out[0], v[1]), "SDPA bool mask: True should mean 'may attend'"
    assert torch.equal(out[1], torch.zeros(2, dtype=torch.float64)), f"SDPA fully masked row: expected 0, got {out[1]}"

    mha = torch.nn.MultiheadAttention(2, 1, bias=False, batch_first=True, dtype=torch.float64).eval()
    block_key_1 = torch.tensor([[False, True], [False, True]])
    with torch.no_grad():
        _, w = mha(q, q, q, attn_mask=block_key_1, need_weights=True, average_attn_weights=False)
        assert torch.all(w[..., 1] == 0), "MHA bool mask: True should mean 'NOT allowed'"
        full = torch.tensor([[False, False], [True, True]])
        out_w, w = mha(q, q, q, attn_mask=full, need_weights=True, average_attn_weights=False)
        out_f, _ = mha(q, q, q, attn_mask=full, need_weights=False)
    assert torch.isnan(w[..., 1, :]).all() and torch.isnan(out_w[1]).all(), "MHA need_weights=True: NaN row expected"
    assert torch.equal(out_f[1], torch.zeros(2, dtype=torch.float64)), "MHA need_weights=False: zero row expected"


def write(path: Path, cases: dict[str, dict[str, np.ndarray]]) -> None:
    arrays = {"cases": np.array(list(cases))}
    for name, case in cases.items():
        for field, value in case.items():
            arrays[f"{name}__{field}"] = np.asarray(value)
    # Like np.savez_compressed, but with a fixed timestamp on every member, so that
    # rerunning this script with the same torch gives a byte-identical file (no diff).
    with zipfile.ZipFile(path, "w") as zf:
        for key, value in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as member:
                np.lib.format.write_array(member, value, allow_pickle=False)
    size = path.stat().st_size
    assert size < MAX_BYTES, f"{path} is {size} bytes; keep it under {MAX_BYTES}"
    print(f"wrote {path.relative_to(HERE.parent.parent)}: {len(cases)} cases, {size} bytes")


def main() -> int:
    print(f"torch {torch.__version__}, numpy {np.__version__}, seed {SEED}")
    check_torch_behaviour()
    rng = np.random.default_rng(SEED)
    write(HERE / "sdpa.npz", sdpa_cases(rng))
    write(HERE / "mha.npz", mha_cases(rng))
    write(HERE / "cross.npz", cross_cases(np.random.default_rng([SEED, CROSS_STREAM])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
