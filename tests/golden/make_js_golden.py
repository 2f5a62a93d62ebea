"""Write tests/golden/attention_js_cases.json: inputs for attention.js and attention_ref's answers.

Run from the repository root (numpy and attention_ref only):

    python tests/golden/make_js_golden.py

Each case names a function of docs/assets/javascripts/attention.js, the arguments to call it with
(in JavaScript's order: positional arrays, then an options object when the case has one) and what
attention_ref returns for the same call, under the JavaScript field names:

    {"name": "sdpa-causal-tq-lt-tk", "fn": "scaledDotProductAttention",
     "args": [q, k, v], "options": {"causal": true},
     "expected": {"scores": ..., "scaled": ..., "weights": ..., "output": ..., "mask": ..., "scale": ...}}

JSON has no Infinity or NaN, so a non-finite number is written as the object {"$": "-Infinity"}
(or "Infinity", "NaN"); `encode` and `decode` here, and the page's reviver in
tests/browser/jsharness.py, are the only places that know it. Every other float is written with
Python's repr, which JavaScript's JSON.parse reads back to the same float64 bit for bit.

tests/browser/test_attention_js_golden.py checks that this file is what this script makes now, and
tests/browser/test_attention_js.py runs every case in Chromium. `reference` is also what those
tests call for the cases they generate on the fly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import attention_ref as ar  # noqa: E402

SEED = 20250611  # every random input below is drawn from np.random.default_rng(SEED)
CASES_FILE = Path(__file__).resolve().parent / "attention_js_cases.json"
NEG_INF = float("-inf")


# ------------------------------------------------------------------------ JSON without Infinity


def encode(value: Any) -> Any:
    """A JSON-able copy of `value`: arrays become nested lists, a non-finite float {"$": "-Infinity"}."""
    if isinstance(value, np.ndarray):
        return encode(value.tolist())
    if isinstance(value, dict):
        return {key: encode(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if np.isfinite(value) else {"$": repr(value).replace("inf", "Infinity").replace("nan", "NaN")}
    return value


def decode(text: str) -> Any:
    """Parse JSON written by `encode` (or by the page's replacer), turning {"$": ...} back into floats."""
    return json.loads(text, object_hook=lambda d: float(d["$"]) if set(d) == {"$"} else d)


# ---------------------------------------------------------------------- attention_ref's answers


def _mask(options: dict) -> np.ndarray | None:
    return None if options.get("mask") is None else np.asarray(options["mask"])  # not coerced: 1.0 is no bool


def _attention_fields(att) -> dict:
    return {
        "scores": att.scores,
        "scaled": att.scaled,
        "weights": att.weights,
        "output": att.output,
        "mask": att.mask,
        "scale": att.scale,
    }


def reference(fn: str, args: list, options: dict | None = None) -> Any:
    """What attention_ref returns for the JavaScript call `fn(...args, options)`, JSON-able (encoded).

    The arguments go to attention_ref as they are (lists or arrays, never coerced), so a bad
    argument meets attention_ref's own checks.
    """
    options = options or {}
    arrays = args
    if fn == "softmax":
        out = ar.softmax(arrays[0])
    elif fn == "scaledDotProductAttention":
        att = ar.scaled_dot_product_attention(
            *arrays, mask=_mask(options), causal=options.get("causal", False), scale=options.get("scale")
        )
        out = _attention_fields(att)
    elif fn == "multiHeadAttention":
        mha = ar.multi_head_attention(
            *arrays, n_heads=options["nHeads"], mask=_mask(options), causal=options.get("causal", False)
        )
        heads = [{"q": h.q, "k": h.k, "v": h.v, **_attention_fields(h)} for h in mha.heads]
        out = {"heads": heads, "concat": mha.concat, "output": mha.output, "weights": mha.weights}
        out["nHeads"] = mha.n_heads
    elif fn == "causalMask":
        out = ar.causal_mask(*args)
    elif fn == "sinusoidalPositionalEncoding":
        out = ar.sinusoidal_positional_encoding(*args)
    elif fn == "entropyBits":
        out = ar.entropy_bits(arrays[0])
    elif fn == "matmul":
        out = np.matmul(*arrays)  # (..., m, n) x (..., n, p) -> (..., m, p)
    elif fn == "transpose":
        out = np.swapaxes(arrays[0], -1, -2)
    else:
        raise ValueError(f"no reference for {fn!r}")
    return encode(out)


# -------------------------------------------------------------------------------- the cases


def golden_cases() -> list[dict]:
    """The committed cases, in a fixed order; every random draw comes from one seeded generator."""
    rng = np.random.default_rng(SEED)

    def normal(*shape: int, scale: float = 1.0) -> np.ndarray:
        return rng.standard_normal(shape) * scale

    def weights(d: int) -> np.ndarray:  # (d, d), entries of spread 1/sqrt(d) as an initialised layer
        return normal(d, d, scale=1 / np.sqrt(d))

    cases: list[dict] = []

    def case(name: str, fn: str, *args, **options) -> None:
        entry = {"name": name, "fn": fn, "args": encode(list(args))}
        if options:
            entry["options"] = encode(options)
        entry["expected"] = reference(fn, list(args), options if options else None)
        cases.append(entry)

    inf = NEG_INF
    # softmax: over the last axis; -inf is masked; a row of -inf is all zeros; the row maximum is
    # subtracted, so huge scores neither overflow nor give NaN.
    case("softmax-vector", "softmax", [1.0, 2.0, 3.0])
    case("softmax-single-entry", "softmax", [5.0])
    case("softmax-equal-scores", "softmax", [0.0, 0.0, 0.0, 0.0])
    case("softmax-matrix", "softmax", normal(3, 5))
    case("softmax-rank-3", "softmax", normal(2, 3, 4, scale=3.0))
    case("softmax-masked-entries", "softmax", [[0.5, inf, 2.0, inf], [inf, 1.0, 1.0, 3.0]])
    case("softmax-fully-masked-row", "softmax", [[inf, inf, inf], [0.0, 1.0, 2.0], [inf, inf, inf]])
    case("softmax-around-plus-1e4", "softmax", [[1e4, 1e4 - 1.0, 1e4 - 2.5], [1e4, -1e4, 0.0]])
    case("softmax-around-minus-1e4", "softmax", [[-1e4, -1e4 - 1.0, -1e4 + 0.5], [-1e4, -1e4, -1e4]])
    case("softmax-around-1e300", "softmax", [[1e300, -1e300, 0.0], [1e300, 1e300, -1e300], [-1e300, -1e300, inf]])
    with np.errstate(over="ignore"):  # -1.7e308 - 1.7e308 overflows to -inf on purpose: its weight is 0
        case("softmax-largest-floats", "softmax", [[1.7e308, -1.7e308], [-1.7e308, -1.7e308]])

    # scaled dot-product attention
    case("sdpa-square", "scaledDotProductAttention", normal(3, 4), normal(3, 4), normal(3, 2))
    case("sdpa-tq-ne-tk", "scaledDotProductAttention", normal(2, 4), normal(5, 4), normal(5, 3))
    case("sdpa-single-token", "scaledDotProductAttention", normal(1, 3), normal(1, 3), normal(1, 2))
    case("sdpa-d-k-1", "scaledDotProductAttention", normal(4, 1), normal(4, 1), normal(4, 1))
    case("sdpa-causal", "scaledDotProductAttention", normal(4, 3), normal(4, 3), normal(4, 3), causal=True)
    case("sdpa-causal-tq-lt-tk", "scaledDotProductAttention", normal(3, 2), normal(5, 2), normal(5, 2), causal=True)
    case("sdpa-causal-tq-gt-tk", "scaledDotProductAttention", normal(5, 2), normal(3, 2), normal(3, 4), causal=True)
    mask = np.array([[True, False, True, True], [False, False, False, False], [True, True, False, False]])
    case("sdpa-mask-fully-masked-row", "scaledDotProductAttention", normal(3, 4), normal(4, 4), normal(4, 2), mask=mask)
    case(
        "sdpa-mask-one-row-broadcast", "scaledDotProductAttention",
        normal(3, 2), normal(4, 2), normal(4, 3), mask=[[True, True, False, True]],
    )
    case("sdpa-mask-scalar-true", "scaledDotProductAttention", normal(2, 2), normal(3, 2), normal(3, 2), mask=True)
    case(
        "sdpa-mask-and-causal", "scaledDotProductAttention",
        normal(4, 3), normal(4, 3), normal(4, 2), mask=[[False, True, True, True]] * 4, causal=True,
    )
    case("sdpa-batch", "scaledDotProductAttention", normal(2, 3, 4), normal(2, 3, 4), normal(2, 3, 2))
    case(
        "sdpa-batch-broadcast", "scaledDotProductAttention",
        normal(2, 1, 3, 4), normal(3, 5, 4), normal(5, 2),
    )
    case(
        "sdpa-batch-of-v-joins-the-masked-steps", "scaledDotProductAttention",
        normal(3, 4), normal(3, 4), normal(2, 3, 2), mask=[[True, False, True]] * 3,
    )
    batch_mask = rng.random((2, 3, 4)) < 0.6
    batch_mask[1, 2] = False  # one fully masked row in the second batch entry
    case(
        "sdpa-batch-mask-causal", "scaledDotProductAttention",
        normal(2, 3, 3), normal(2, 4, 3), normal(2, 4, 2), mask=batch_mask, causal=True,
    )
    case("sdpa-custom-scale", "scaledDotProductAttention", normal(3, 4), normal(3, 4), normal(3, 4), scale=0.25)
    case("sdpa-unscaled", "scaledDotProductAttention", normal(3, 16), normal(3, 16), normal(3, 2), scale=1.0)
    case(
        "sdpa-magnitudes-1e4", "scaledDotProductAttention",
        normal(3, 4, scale=1e2), normal(4, 4, scale=1e2), normal(4, 2, scale=1e4),
    )
    case(
        "sdpa-magnitudes-1e100", "scaledDotProductAttention",
        normal(3, 4, scale=1e100), normal(4, 4, scale=1e100), normal(4, 2, scale=1e100), causal=True,
    )
    case(
        "sdpa-tiny-magnitudes", "scaledDotProductAttention",
        normal(3, 4, scale=1e-100), normal(3, 4, scale=1e-100), normal(3, 2, scale=1e-100),
    )

    # multi-head attention
    case("mha-2-heads", "multiHeadAttention", normal(4, 6), weights(6), weights(6), weights(6), weights(6), nHeads=2)
    case("mha-3-heads", "multiHeadAttention", normal(3, 6), weights(6), weights(6), weights(6), weights(6), nHeads=3)
    case("mha-1-head", "multiHeadAttention", normal(3, 4), weights(4), weights(4), weights(4), weights(4), nHeads=1)
    case(
        "mha-2-heads-causal", "multiHeadAttention",
        normal(5, 4), weights(4), weights(4), weights(4), weights(4), nHeads=2, causal=True,
    )
    case(
        "mha-3-heads-causal-batch", "multiHeadAttention",
        normal(2, 4, 6), weights(6), weights(6), weights(6), weights(6), nHeads=3, causal=True,
    )
    case(
        "mha-2-heads-mask", "multiHeadAttention",
        normal(3, 4), weights(4), weights(4), weights(4), weights(4), nHeads=2,
        mask=[[True, True, False], [False, False, False], [True, False, True]],
    )

    # sinusoidal positional encoding, entropy, the causal mask and the matrix helpers
    case("pe-4-by-6", "sinusoidalPositionalEncoding", 4, 6)
    case("pe-odd-d-model", "sinusoidalPositionalEncoding", 3, 5)
    case("pe-50-by-16", "sinusoidalPositionalEncoding", 50, 16)
    case("pe-base-100", "sinusoidalPositionalEncoding", 6, 4, 100.0)
    case("entropy-uniform", "entropyBits", [0.25, 0.25, 0.25, 0.25])
    case("entropy-one-hot", "entropyBits", [0.0, 1.0, 0.0])
    case("entropy-softmax-rows", "entropyBits", ar.softmax(normal(3, 5, scale=2.0)))
    case("entropy-rank-3", "entropyBits", ar.softmax(normal(2, 3, 4)))
    case("causal-mask-square", "causalMask", 3, 3)
    case("causal-mask-wide", "causalMask", 2, 4)
    case("causal-mask-tall", "causalMask", 4, 2)
    case("matmul", "matmul", normal(2, 3), normal(3, 4))
    case("matmul-batch-broadcast", "matmul", normal(2, 1, 2, 3), normal(3, 3, 2))
    case("transpose-matrix", "transpose", normal(2, 3))
    case("transpose-rank-3", "transpose", normal(2, 3, 4))
    return cases


def render() -> str:
    """The file's text: one case per line, so a changed case is a one-line diff."""
    body = ",\n".join(json.dumps(c, allow_nan=False, separators=(",", ":")) for c in golden_cases())
    return f'{{"seed":{SEED},"cases":[\n{body}\n]}}\n'


def main() -> None:
    text = render()
    CASES_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {CASES_FILE.relative_to(ROOT)}: {text.count(chr(10)) - 2} cases, {len(text):,} bytes")


if __name__ == "__main__":
    main()
