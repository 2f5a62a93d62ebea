# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Check it against PyTorch
#
# `attention_ref` is written to read like the formula, not to be fast. To be
# sure it computes what real models compute, it is compared with PyTorch's
# `torch.nn.functional.scaled_dot_product_attention` and
# `torch.nn.MultiheadAttention` on the same inputs.
#
# PyTorch is large and the project does not need it to build or test: the
# values PyTorch computed are committed as small files in `tests/golden/`
# (made by `tests/golden/make_golden.py` in an environment with torch), and
# the site's wheel of `attention_ref` carries them as `attention_ref/golden/`.
# This notebook compares against them, and, if torch is installed where you
# run it, against torch live as well.

# %%
import importlib.util
from pathlib import Path

import numpy as np

import attention_ref
from attention_ref import (
    load_examples,
    multi_head_attention,
    scaled_dot_product_attention,
    self_attention,
)

HAVE_TORCH = importlib.util.find_spec("torch") is not None
if HAVE_TORCH:
    import torch
    import torch.nn.functional as F

    def t(a):
        """A float64 tensor from a copy of `a` (ours are read-only)."""
        return torch.from_numpy(np.array(a, dtype=np.float64))

    print(f"torch {torch.__version__} is installed:")
    print("the comparisons below also run live.")
else:
    print("torch is not installed in this environment")
    print("(the project's .venv leaves it out on purpose).")
    print("This notebook compares attention_ref with the golden values")
    print("PyTorch computed, committed in tests/golden/.")

# In a clone of the repository the golden files are tests/golden/; the
# wheel the site serves installs them beside attention_ref, in golden/.
PACKAGE = Path(attention_ref.__file__).resolve().parent
PLACES = (PACKAGE.parent / "tests" / "golden", PACKAGE / "golden")
GOLDEN = next((p for p in PLACES if (p / "sdpa.npz").is_file()), None)
if GOLDEN is None:
    raise FileNotFoundError(f"no golden values (sdpa.npz) in {PLACES}")
# Two float64 implementations of one formula differ only in the order of
# their roundings (~1e-15); a wrong scale, mask or head split shows up at
# 1e-3 and above. The same tolerances as the tests.
RTOL, ATOL = 1e-12, 1e-14

# %% [markdown]
# ## The walk-through sentence, through PyTorch
#
# PyTorch returns only the output, not the weights; feeding it the identity
# matrix as the values gives them anyway: $\mathrm{softmax}(\cdot)\,I$ is
# the weights matrix itself.

# %%
sentence = load_examples().sentence("animal")
lang = sentence.language
ours = self_attention(sentence.x, lang.w_q, lang.w_k, lang.w_v)
print(sentence.text)
print(f"Q, K, V: {ours.q.shape}, {ours.k.shape}, {ours.v.shape}")
if HAVE_TORCH:
    sdpa = F.scaled_dot_product_attention
    eye = np.eye(len(sentence.tokens))
    theirs = sdpa(t(ours.q), t(ours.k), t(ours.v)).numpy()
    theirs_w = sdpa(t(ours.q), t(ours.k), t(eye)).numpy()
    close = dict(rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.output, theirs, **close)
    np.testing.assert_allclose(ours.weights, theirs_w, **close)
    d_out = np.abs(ours.output - theirs).max()
    d_w = np.abs(ours.weights - theirs_w).max()
    print(f"outputs agree: largest difference {d_out:.1e}")
    print(f"weights agree: largest difference {d_w:.1e}")
else:
    print("(needs torch: skipped here; the golden cases below")
    print("check the same function)")

# %% [markdown]
# ## Scaled dot-product attention: the golden cases
#
# `F.scaled_dot_product_attention` against
# `attention_ref.scaled_dot_product_attention`. Each case stores the inputs
# (drawn at random with a fixed seed) and what PyTorch returned. The cases
# cover batches that broadcast, $d_k \ne d_v$, boolean masks, the causal
# flag with $T_q \ne T_k$, a custom scale, and rows whose every key is
# masked (PyTorch and `attention_ref` both return zeros there).


# %%
def load_cases(filename):
    """{case: {field: array}} from a golden file (`<case>__<field>`)."""
    with np.load(GOLDEN / filename, allow_pickle=False) as z:
        names = [str(name) for name in z["cases"]]
        return {
            n: {
                key.split("__", 1)[1]: z[key]
                for key in z.files
                if key.startswith(n + "__")
            }
            for n in names
        }


def torch_sdpa(case):
    """PyTorch's SDPA on a case, live, called as make_golden.py calls it."""
    t_q, t_k = case["q"].shape[-2], case["k"].shape[-2]
    mask = torch.from_numpy(case["mask"]) if "mask" in case else None
    causal = bool(case["causal"])
    if causal and mask is not None:  # torch refuses both: combine them
        mask = mask & torch.ones(t_q, t_k, dtype=torch.bool).tril()
        causal = False
    scale = float(case["scale"]) if "scale" in case else None
    q, k, v = (t(case[n]) for n in ("q", "k", "v"))
    out = F.scaled_dot_product_attention(
        q, k, v, attn_mask=mask, is_causal=causal, scale=scale
    )
    return out.numpy()


def yes(flag):
    return "yes" if flag else "-"


sdpa_cases = load_cases("sdpa.npz")
print(
    f"{'case':<24}{'q':<14}{'mask':<5}{'causal':<7}{'output':>8}{'weights':>8}"
)
worst = 0.0
for name, case in sdpa_cases.items():
    att = scaled_dot_product_attention(
        case["q"],
        case["k"],
        case["v"],
        mask=case.get("mask"),
        causal=bool(case["causal"]),
        scale=float(case["scale"]) if "scale" in case else None,
    )
    close = dict(rtol=RTOL, atol=ATOL, err_msg=name)
    np.testing.assert_allclose(att.output, case["output"], **close)
    np.testing.assert_allclose(att.weights, case["weights"], **close)
    if HAVE_TORCH:  # the stored values are what this torch computes
        np.testing.assert_allclose(torch_sdpa(case), case["output"], **close)
    d_out = np.abs(att.output - case["output"]).max()
    d_w = np.abs(att.weights - case["weights"]).max()
    worst = max(worst, d_out, d_w)
    shape = str(case["q"].shape)
    mask, causal = yes("mask" in case), yes(case["causal"])
    print(f"{name:<24}{shape:<14}{mask:<5}{causal:<7}{d_out:>8.0e}{d_w:>8.0e}")
print(f"\n{len(sdpa_cases)} cases: attention_ref equals PyTorch's results;")
print(f"largest difference {worst:.1e}")

# %% [markdown]
# ## Multi-head attention: the golden cases
#
# `nn.MultiheadAttention` against `attention_ref.multi_head_attention`.
# PyTorch stores the three projections stacked in `in_proj_weight` and
# applies them as $x W^\top$; `attention_ref` writes $X W_Q$ with $W_Q$ of
# shape $(d_\text{model}, d_\text{model})$. So $W_Q$ is the transpose of the
# first third, and likewise for $W_K$, $W_V$ and $W_O$. With
# `need_weights=True`, PyTorch returns NaN for a row whose every key is
# masked; those rows are compared with its `need_weights=False` result,
# which is zeros, as ours.

# %%
mha_cases = load_cases("mha.npz")
print(
    f"{'case':<24}{'x':<14}{'heads':>5} {'mask':<5}{'causal':<7}"
    f"{'output':>8}{'weights':>8}"
)
worst = 0.0
for name, case in mha_cases.items():
    d = case["x"].shape[-1]
    w_in = case["in_proj_weight"]  # (3 d_model, d_model), torch's layout
    ours = multi_head_attention(
        case["x"],
        w_in[:d].T,
        w_in[d : 2 * d].T,
        w_in[2 * d :].T,
        case["out_proj_weight"].T,
        n_heads=int(case["n_heads"]),
        mask=case.get("mask"),
        causal=bool(case["causal"]),
    )
    close = dict(rtol=RTOL, atol=ATOL, err_msg=name)
    expected = case["output_no_weights"]  # zeros on fully masked rows
    np.testing.assert_allclose(ours.output, expected, **close)
    known = ~np.isnan(case["weights"])  # NaN: fully masked rows
    np.testing.assert_allclose(
        ours.weights[known], case["weights"][known], **close
    )
    d_out = np.abs(ours.output - expected).max()
    d_w = np.abs(ours.weights[known] - case["weights"][known]).max()
    worst = max(worst, d_out, d_w)
    shape, heads = str(case["x"].shape), int(case["n_heads"])
    mask, causal = yes("mask" in case), yes(case["causal"])
    print(
        f"{name:<24}{shape:<14}{heads:>5} {mask:<5}{causal:<7}"
        f"{d_out:>8.0e}{d_w:>8.0e}"
    )
print(f"\n{len(mha_cases)} cases: attention_ref equals PyTorch's results;")
print(f"largest difference {worst:.1e}")

# %% [markdown]
# ## Run it with PyTorch yourself
#
# In an environment of your own (not the project's `.venv`), install torch,
# then run this notebook there, or regenerate the golden files with
# `python tests/golden/make_golden.py` and run the tests: where torch is
# installed, `tests/test_against_torch_live.py` compares live too.
