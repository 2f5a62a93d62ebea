"""What the tests of attention.js share: the cases, the page-side runner, and the comparison.

The same runner (RUNNER_JS) runs in Chromium (test_attention_js.py) and in node
(test_attention_js_node.py): it takes cases as JSON text, calls `module[fn](...args, options)`
for each, and returns the results (or the error thrown) as JSON text. JSON has no Infinity or
NaN, so both directions write a non-finite number as {"$": "-Infinity"} (see
tests/golden/make_js_golden.py, whose `encode`, `decode` and `reference` are used here).

The tolerance, and why: attention.js and attention_ref both compute in IEEE float64 and follow
the same formula step by step (the row maximum subtracted before exp, the same masking). They
differ only in the order of additions (numpy sums pairwise and BLAS may block or fuse a dot
product; the module adds in index order) and in the last bit of exp, log2, sin, cos and pow
from two different math libraries. Each entry here is a short computation (a dot product of at
most 16 terms, an exp, a sum of at most a dozen weights), so the two agree to a few dozen ulps,
about 1e-14 relative. RTOL = 1e-9 leaves five orders of magnitude of margin for that and still
catches every real mistake (a wrong scale, mask, causal alignment or head split moves values by
1e-3 or more). An entry near zero is the exception: it comes from cancellation (q.k = 1.2 - 1.2),
and its rounding error is relative to the size of the terms that cancelled, not to the result.
So each entry may also differ by FLOOR = 1e-12 times the largest magnitude in the same array:
for softmax weights (at most 1) an absolute 1e-12, for scores around 1e200 (the huge-magnitude
cases) 1e188. That floor is still 100 times the summation bound (16 terms x 2.2e-16 ~ 4e-15 of
the terms' magnitude), and it scales with the data, so tiny inputs (1e-100) are compared just
as strictly. Non-finite entries (-Infinity where masked) and booleans must match exactly.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "docs" / "assets" / "javascripts"
MODULE = JS_DIR / "attention.js"
GOLDEN_SCRIPT = ROOT / "tests" / "golden" / "make_js_golden.py"

RTOL = 1e-9
FLOOR = 1e-12  # times the largest finite magnitude of the same array (see the module docstring)

API = [
    "causalMask",
    "entropyBits",
    "matmul",
    "multiHeadAttention",
    "scaledDotProductAttention",
    "shape",
    "sinusoidalPositionalEncoding",
    "softmax",
    "transpose",
]


def _load_golden_script():
    if "make_js_golden" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_js_golden", GOLDEN_SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_js_golden"] = module
        spec.loader.exec_module(module)
    return sys.modules["make_js_golden"]


golden = _load_golden_script()
encode, decode, reference = golden.encode, golden.decode, golden.reference


def committed_cases() -> list[dict]:
    return decode(golden.CASES_FILE.read_text(encoding="utf-8"))["cases"]


# ---------------------------------------------------------------------- the runner, in the page

# `run(A, casesJson)`: A is the imported module. Returns JSON text {"exports": [...names], "results": [...]},
# one result per case: {"value", "argsChanged"} or {"error": {"type", "isError", "message"}}.
# argsChanged says whether the call modified its arguments (a widget passes its figure's data).
RUNNER_JS = r"""
const revive = (key, value) =>
  value !== null && typeof value === "object" && !Array.isArray(value) &&
  Object.keys(value).length === 1 && typeof value.$ === "string" ? Number(value.$) : value;
const replace = (key, value) => (typeof value === "number" && !Number.isFinite(value) ? { $: String(value) } : value);
function run(A, casesJson) {
  const cases = JSON.parse(casesJson, revive);
  const results = cases.map((c) => {
    if (typeof A[c.fn] !== "function") {
      return { error: { type: "HarnessError", isError: false, message: `no export ${c.fn}` } };
    }
    const args = "options" in c ? [...c.args, c.options] : c.args;
    const before = JSON.stringify(args, replace);
    try {
      const value = A[c.fn](...args);
      return { value, argsChanged: JSON.stringify(args, replace) !== before };
    } catch (e) {
      return { error: { type: e?.constructor?.name, isError: e instanceof Error, message: String(e?.message) } };
    }
  });
  return JSON.stringify({ exports: Object.keys(A).sort(), results }, replace);
}
"""


def to_json(cases: list[dict]) -> str:
    """The cases as the runner reads them: only name, fn, args and options (never the expected values)."""
    keep = ("name", "fn", "args", "options")
    return json.dumps([{k: c[k] for k in keep if k in c} for c in encode(cases)], allow_nan=False)


# ------------------------------------------------------------------------------ the comparison


def mismatches(actual: Any, expected: Any, where: str = "", *, rtol: float = RTOL, floor: float = FLOOR) -> list[str]:
    """Every way `actual` (from attention.js) differs from `expected` (from attention_ref), as text."""
    tols = {"rtol": rtol, "floor": floor}
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or 'result'}: expected an object, got {actual!r:.80}"]
        if set(actual) != set(expected):
            return [f"{where or 'result'}: fields {sorted(actual)}, expected {sorted(expected)}"]
        return [m for key in expected for m in mismatches(actual[key], expected[key], f"{where}.{key}", **tols)]
    if expected is None:
        return [] if actual is None else [f"{where}: expected null, got {actual!r:.80}"]
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):  # the heads
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} entries, got {actual!r:.80}"]
        pairs = enumerate(zip(actual, expected, strict=True))
        return [m for i, (a, e) in pairs for m in mismatches(a, e, f"{where}[{i}]", **tols)]
    return _array_mismatches(actual, expected, where or "result", rtol, floor)


def _array_mismatches(actual: Any, expected: Any, where: str, rtol: float, floor: float) -> list[str]:
    e = np.asarray(expected)
    try:
        a = np.asarray(actual)
    except ValueError:
        return [f"{where}: ragged result {actual!r:.80}"]
    if a.shape != e.shape:
        return [f"{where}: shape {a.shape}, expected {e.shape}"]
    if e.dtype == np.bool_ or a.dtype == np.bool_:
        if a.dtype != e.dtype or not np.array_equal(a, e):
            return [f"{where}: booleans {a.tolist()!r:.200}, expected {e.tolist()!r:.200}"]
        return []
    if a.dtype.kind not in "fiu":
        return [f"{where}: not numbers: {actual!r:.80}"]
    a, e = a.astype(np.float64), e.astype(np.float64)
    finite = np.isfinite(e)
    same_specials = np.array_equal(a[~finite], e[~finite], equal_nan=True)
    if not (np.array_equal(np.isfinite(a), finite) and same_specials):
        return [f"{where}: non-finite entries differ: {a.tolist()!r:.200}, expected {e.tolist()!r:.200}"]
    if not finite.any():
        return []
    scale = float(np.max(np.abs(e[finite])))
    tol = rtol * np.abs(e) + floor * scale
    err = np.abs(np.where(finite, a, 0.0) - np.where(finite, e, 0.0))
    bad = np.argwhere(err > np.where(finite, tol, np.inf))
    if len(bad) == 0:
        return []
    worst = tuple(bad[np.argmax(err[tuple(bad.T)])]) if e.ndim else ()
    return [
        f"{where}: {len(bad)} of {e.size} entries beyond rtol {rtol:g} + {floor:g} x {scale:.3g}; "
        f"worst at {list(map(int, worst))}: {a[worst]!r} vs {e[worst]!r}"
    ]


# ---------------------------------------------------------------------------- generated cases

RANDOM_SEED = 20250612  # the generated cases; change it to explore other shapes (every run uses the same)
N_RANDOM = 200


@functools.cache
def generated_cases() -> tuple[dict, ...]:
    return tuple(random_cases(RANDOM_SEED, N_RANDOM))



def random_cases(seed: int, n: int) -> list[dict]:
    """`n` random calls (shapes, masks, magnitudes, batch dims, options), each with attention_ref's answer."""
    rng = np.random.default_rng(seed)
    makers = [_random_softmax] * 5 + [_random_sdpa] * 10 + [_random_mha] * 4 + [_random_entropy, _random_pe]
    cases = []
    for i in range(n):
        maker = makers[rng.integers(len(makers))]
        fn, args, options = maker(rng)
        case = {"name": f"{fn}-{i}", "fn": fn, "args": encode(args)}
        if options:
            case["options"] = encode(options)
        case["expected"] = decode(json.dumps(reference(fn, args, options)))  # as if read from a file
        cases.append(case)
    return cases


def _magnitude(rng) -> float:
    return float(10.0 ** rng.uniform(-3, 3))


def _random_softmax(rng):
    shape = tuple(int(s) for s in rng.integers(1, 7, size=rng.integers(1, 4)))
    x = rng.standard_normal(shape) * _magnitude(rng)
    x[rng.random(shape) < 0.2] = -np.inf  # masked entries
    if rng.random() < 0.3:
        x.reshape(-1, shape[-1])[0] = -np.inf  # a fully masked row
    return "softmax", [x], None


def _batch(rng) -> tuple[int, ...]:
    return tuple(int(s) for s in rng.integers(1, 4, size=rng.integers(0, 3)))


def _broadcast_variant(rng, batch: tuple[int, ...]) -> tuple[int, ...]:
    """A batch shape that broadcasts to `batch`: some axes 1, some leading axes dropped."""
    variant = tuple(1 if rng.random() < 0.3 else s for s in batch)
    return variant[rng.integers(0, len(variant) + 1) :] if rng.random() < 0.3 else variant


def _random_mask(rng, target: tuple[int, ...]):
    """None, or a bool mask of a shape that broadcasts to `target` (full, one row, one column, batched)."""
    choice = rng.integers(5)
    if choice == 0:
        return None
    t_q, t_k = target[-2:]
    shape = [(t_q, t_k), (1, t_k), (t_q, 1), target][choice - 1]
    return rng.random(shape) < 0.7


def _random_sdpa(rng):
    batch = _batch(rng)
    t_q, t_k, d_k, d_v = (int(s) for s in rng.integers(1, [7, 7, 9, 6]))
    m = _magnitude(rng)
    q = rng.standard_normal(_broadcast_variant(rng, batch) + (t_q, d_k)) * m
    k = rng.standard_normal(_broadcast_variant(rng, batch) + (t_k, d_k)) * m
    v = rng.standard_normal(_broadcast_variant(rng, batch) + (t_k, d_v)) * _magnitude(rng)
    full = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2]) + (t_q, t_k)
    options = {}
    mask = _random_mask(rng, full)
    if mask is not None:
        options["mask"] = mask
    if rng.random() < 0.4:
        options["causal"] = True
    if rng.random() < 0.3:
        options["scale"] = float(rng.uniform(0.05, 3.0))
    return "scaledDotProductAttention", [q, k, v], options


def _random_mha(rng):
    n_heads, d_head, t = (int(s) for s in rng.integers(1, [4, 5, 6]))
    d = n_heads * d_head
    batch = _batch(rng)[:1]
    x = rng.standard_normal(batch + (t, d))
    ws = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(4)]
    options = {"nHeads": n_heads}
    mask = _random_mask(rng, batch + (t, t))
    if mask is not None:
        options["mask"] = mask
    if rng.random() < 0.5:
        options["causal"] = True
    return "multiHeadAttention", [x, *ws], options


def _random_entropy(rng):
    shape = tuple(int(s) for s in rng.integers(1, 7, size=rng.integers(1, 3)))
    p = np.exp(rng.standard_normal(shape) * 3)
    p[rng.random(shape) < 0.2] = 0.0
    return "entropyBits", [p / np.maximum(p.sum(axis=-1, keepdims=True), 1e-300)], None


def _random_pe(rng):
    t, d = (int(s) for s in rng.integers(1, [60, 33]))
    return "sinusoidalPositionalEncoding", [t, d, float(rng.choice([10000.0, 100.0, 2.5]))], None


# ----------------------------------------------------------------------------------- bad input


@dataclass(frozen=True)
class Bad:
    """A call attention.js must refuse: its error type, and a message that names the argument.

    `py` says whether attention_ref refuses the same call with the matching class (TypeError for a
    TypeError, ValueError for a RangeError); False where the check exists only in JavaScript
    (options objects, causalMask's arguments) or attention_ref lets numpy raise its own error.
    """

    name: str
    fn: str
    args: list
    options: dict | None
    error: str  # "TypeError" or "RangeError"
    pattern: str  # a regex the message must match (re.search)
    py: bool = True

    def case(self) -> dict:
        out = {"name": self.name, "fn": self.fn, "args": self.args}
        if self.options is not None:
            out["options"] = self.options
        return out


def _m(rows: int, cols: int) -> list[list[float]]:
    return [[0.1 * (i + j) for j in range(cols)] for i in range(rows)]


_INF, _NAN = float("inf"), float("nan")
_SDPA = "scaledDotProductAttention"
_MHA = "multiHeadAttention"
_W6 = _m(6, 6)

BAD_INPUT = [
    Bad("q-is-1-d", _SDPA, [[1.0, 2.0], _m(2, 2), _m(2, 2)], None, "RangeError",
        r"^q must have at least 2 dimension\(s\); got shape \(2,\)"),
    Bad("q-is-a-number", _SDPA, [3.0, _m(2, 2), _m(2, 2)], None, "RangeError", r"^q must have at least 2 .*shape \(\)"),
    Bad("q-is-null", _SDPA, [None, _m(2, 2), _m(2, 2)], None, "TypeError", r"^q must be an array of numbers; got null"),
    Bad("d-k-differs", _SDPA, [_m(3, 4), _m(5, 2), _m(5, 2)], None, "RangeError",
        r"^q and k must have the same last dimension \(d_k\); got q \(3, 4\) and k \(5, 2\)$"),
    Bad("t-k-differs", _SDPA, [_m(3, 4), _m(5, 4), _m(4, 4)], None, "RangeError",
        r"^k and v must have the same number of tokens T_k .*got k \(5, 4\) and v \(4, 4\)$"),
    Bad("q-ragged", _SDPA, [[[1.0] * 4, [1.0] * 4, [1.0] * 3], _m(2, 4), _m(2, 4)], None, "TypeError",
        r"^q must be a rectangular nested array; row 2 has length 3, row 0 has 4$"),
    Bad("k-ragged-deep", _SDPA, [_m(2, 2), [_m(2, 2), [[1.0, 2.0], [1.0]]], _m(2, 2)], None, "TypeError",
        r"^k must be a rectangular nested array; row \[1\]\[1\] has length 1, row \[0\]\[0\] has 2$"),
    Bad("v-mixes-numbers-and-rows", _SDPA, [_m(2, 2), _m(2, 2), [[1.0, 2.0], 3.0]], None, "TypeError",
        r"^v must be a rectangular nested array; v\[1\] is number 3"),
    Bad("q-empty-t", _SDPA, [[[]], _m(2, 2), _m(2, 2)], None, "RangeError",
        r"^q must not be empty; got shape \(1, 0\)"),
    Bad("q-empty", _SDPA, [[], _m(2, 2), _m(2, 2)], None, "RangeError", r"^q must have at least 2 .*shape \(0,\)"),
    Bad("v-has-nan", _SDPA, [_m(2, 2), _m(2, 2), [[1.0, _NAN], [0.0, 0.0]]], None, "RangeError",
        r"^v contains NaN; got shape \(2, 2\)"),
    Bad("q-has-inf", _SDPA, [[[1.0, _INF], [0.0, 0.0]], _m(2, 2), _m(2, 2)], None, "RangeError", r"^q contains inf"),
    Bad("k-has-minus-inf", _SDPA, [_m(2, 2), [[1.0, -_INF], [0.0, 0.0]], _m(2, 2)], None, "RangeError",
        r"^k contains inf"),
    Bad("v-has-a-string", _SDPA, [_m(2, 2), _m(2, 2), [[1.0, "a"], [0.0, 0.0]]], None, "TypeError",
        r'^v must be an array of numbers; got string "a" at v\[0\]\[1\]'),
    Bad("q-has-booleans", _SDPA, [[[True, False]], _m(2, 2), _m(2, 2)], None, "TypeError",
        r"^q must be an array of numbers; got boolean true"),
    Bad("mask-is-numbers", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"mask": [[1.0, 0.0], [1.0, 1.0]]}, "TypeError",
        r"^mask must be a boolean nested array \(true = may attend\); got number 1 at mask\[0\]\[0\]"),
    Bad("mask-does-not-broadcast", _SDPA, [_m(3, 2), _m(3, 2), _m(3, 2)], {"mask": [[True] * 3] * 2}, "RangeError",
        r"^mask with shape \(2, 3\) does not broadcast to the scores' shape \(3, 3\)$"),
    Bad("mask-has-too-many-axes", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"mask": [[[True] * 2] * 2] * 2},
        "RangeError", r"^mask with shape \(2, 2, 2\) does not broadcast to the scores' shape \(2, 2\)$"),
    Bad("mask-ragged", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"mask": [[True, True], [True]]}, "TypeError",
        r"^mask must be a rectangular nested array; row 1 has length 1, row 0 has 2$", py=False),
    Bad("causal-is-a-number", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"causal": 1.0}, "TypeError",
        r"^causal must be a boolean; got number 1$"),
    Bad("causal-is-a-string", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"causal": "yes"}, "TypeError",
        r'^causal must be a boolean; got string "yes"$'),
    Bad("scale-zero", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"scale": 0.0}, "RangeError",
        r"^scale must be a positive finite number; got 0$"),
    Bad("scale-negative", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"scale": -1.5}, "RangeError",
        r"^scale must be a positive finite number; got -1.5$"),
    Bad("scale-infinite", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"scale": _INF}, "RangeError",
        r"^scale must be a positive finite number; got Infinity$"),
    Bad("scale-nan", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"scale": _NAN}, "RangeError", r"^scale must be .*NaN$"),
    Bad("scale-is-a-string", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"scale": "2"}, "TypeError",
        r'^scale must be a number; got string "2"$'),
    Bad("batch-does-not-broadcast", _SDPA, [[_m(3, 4)] * 2, [_m(3, 4)] * 3, [_m(3, 4)] * 3], None, "RangeError",
        r"^the batch dimensions of q, k, v do not broadcast; got q \(2, 3, 4\), k \(3, 3, 4\), v \(3, 3, 4\)$"),
    Bad("unknown-option", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2)], {"casual": True}, "TypeError",
        r"^unknown option casual; the options are mask, causal, scale$", py=False),
    Bad("options-not-an-object", _SDPA, [_m(2, 2), _m(2, 2), _m(2, 2), 5.0], None, "TypeError",
        r"^options must be an object", py=False),
    Bad("softmax-nan", "softmax", [[1.0, _NAN]], None, "RangeError", r"^x contains NaN; got shape \(2,\)"),
    Bad("softmax-plus-inf", "softmax", [[1.0, _INF]], None, "RangeError",
        r"^x contains \+inf; got shape \(2,\) \(only -Infinity is allowed"),
    Bad("softmax-empty", "softmax", [[]], None, "RangeError",
        r"^x must be a non-empty array with at least one dimension; got shape \(0,\)$"),
    Bad("softmax-empty-row", "softmax", [[[]]], None, "RangeError", r"^x must be a non-empty .*got shape \(1, 0\)$"),
    Bad("softmax-number", "softmax", [1.0], None, "RangeError", r"^x must be a non-empty .*got shape \(\)$"),
    Bad("softmax-ragged", "softmax", [[[1.0, 2.0], [1.0]]], None, "TypeError",
        r"^x must be a rectangular nested array; row 1 has length 1, row 0 has 2$", py=False),
    Bad("softmax-string", "softmax", ["1"], None, "TypeError", r'^x must be an array of numbers; got string "1"'),
    Bad("n-heads-does-not-divide", _MHA, [_m(3, 6), _W6, _W6, _W6, _W6], {"nHeads": 4}, "RangeError",
        r"^nHeads = 4 must divide d_model = 6 \(the last axis of x \(3, 6\)\)$"),
    Bad("n-heads-zero", _MHA, [_m(3, 6), _W6, _W6, _W6, _W6], {"nHeads": 0}, "RangeError",
        r"^nHeads must be positive; got 0$"),
    Bad("n-heads-fraction", _MHA, [_m(3, 6), _W6, _W6, _W6, _W6], {"nHeads": 1.5}, "TypeError",
        r"^nHeads must be an integer; got number 1.5$"),
    Bad("n-heads-missing", _MHA, [_m(3, 6), _W6, _W6, _W6, _W6], {}, "TypeError",
        r"^nHeads must be an integer; got undefined$", py=False),
    Bad("w-k-wrong-shape", _MHA, [_m(3, 6), _W6, _m(6, 3), _W6, _W6], {"nHeads": 2}, "RangeError",
        r"^wK must have shape \(d_model, d_model\) = \(6, 6\); got \(6, 3\)$"),
    Bad("w-o-is-1-d", _MHA, [_m(3, 6), _W6, _W6, _W6, [0.0] * 6], {"nHeads": 2}, "RangeError",
        r"^wO must have shape \(d_model, d_model\) = \(6, 6\); got \(6,\)$"),
    Bad("w-v-has-nan", _MHA, [_m(3, 6), _W6, _W6, [[_NAN] * 6] * 6, _W6], {"nHeads": 2}, "RangeError",
        r"^wV contains NaN; got shape \(6, 6\)"),
    Bad("mha-x-is-1-d", _MHA, [[0.0] * 6, _W6, _W6, _W6, _W6], {"nHeads": 2}, "RangeError",
        r"^x must have at least 2 dimension\(s\); got shape \(6,\)$"),
    Bad("mha-causal-not-boolean", _MHA, [_m(3, 6), _W6, _W6, _W6, _W6], {"nHeads": 2, "causal": "true"}, "TypeError",
        r'^causal must be a boolean; got string "true"$'),
    Bad("mha-mask-does-not-broadcast", _MHA, [_m(3, 6), _W6, _W6, _W6, _W6],
        {"nHeads": 2, "mask": [[True] * 2] * 3}, "RangeError",
        r"^mask with shape \(3, 2\) does not broadcast to the scores' shape \(3, 3\)$"),
    Bad("pe-zero-positions", "sinusoidalPositionalEncoding", [0, 4], None, "RangeError",
        r"^nPositions must be positive; got 0$"),
    Bad("pe-fractional-d-model", "sinusoidalPositionalEncoding", [3, 4.5], None, "TypeError",
        r"^dModel must be an integer; got number 4.5$"),
    Bad("pe-base-zero", "sinusoidalPositionalEncoding", [3, 4, 0.0], None, "RangeError",
        r"^base must be a positive finite number; got 0$"),
    Bad("causal-mask-zero", "causalMask", [0], None, "RangeError", r"^tQ must be positive; got 0$", py=False),
    Bad("causal-mask-t-k-fraction", "causalMask", [2, 2.5], None, "TypeError", r"^tK must be an integer", py=False),
    Bad("entropy-nan", "entropyBits", [[0.5, _NAN]], None, "RangeError", r"^p contains NaN", py=False),
    Bad("matmul-inner-dims-differ", "matmul", [_m(2, 3), _m(4, 5)], None, "RangeError",
        r"^a and b must agree on the inner dimension .*got a \(2, 3\) and b \(4, 5\)$"),
    Bad("matmul-batch-does-not-broadcast", "matmul", [[_m(2, 3)] * 2, [_m(3, 2)] * 3], None, "RangeError",
        r"^the batch dimensions of a, b do not broadcast; got a \(2, 2, 3\), b \(3, 3, 2\)$"),
    Bad("transpose-1-d", "transpose", [[1.0, 2.0]], None, "RangeError",
        r"^x must have at least 2 dimension\(s\); got shape \(2,\)$"),
    Bad("shape-ragged", "shape", [[[1.0], [1.0, 2.0]]], None, "TypeError",
        r"^x must be a rectangular nested array; row 1 has length 2, row 0 has 1$", py=False),
]


# ------------------------------------------------------------------------- serving the module


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves docs/assets/javascripts, plus an empty page at / to import the module from."""

    extensions_map = {".js": "text/javascript", "": "application/octet-stream"}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path == "/":
            body = b"<!doctype html><html lang='en'><title>attention.js</title></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):  # keep the test output quiet
        pass


@contextmanager
def serve_js() -> Iterator[str]:
    """Serve docs/assets/javascripts on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_Handler, directory=str(JS_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------- the shared assertions


def all_cases() -> dict[str, dict]:
    """Every case the engines run, by a unique id: golden/<name>, random/<name>, bad/<name>."""
    cases = {f"golden/{c['name']}": c for c in committed_cases()}
    cases |= {f"random/{c['name']}": c for c in generated_cases()}
    cases |= {f"bad/{b.name}": b.case() for b in BAD_INPUT}
    return cases


def run_all(run) -> tuple[list[str], dict[str, dict]]:
    """Run every case through `run` (an engine) at once; (the module's exports, results by id)."""
    cases = all_cases()
    out = run(list(cases.values()))
    return out["exports"], dict(zip(cases, out["results"], strict=True))


def assert_matches_reference(result: dict, case: dict) -> None:
    assert "error" not in result, f"{case['fn']} threw: {result['error']}"
    problems = mismatches(result["value"], case["expected"])
    assert not problems, f"{case['fn']} differs from attention_ref:\n" + "\n".join(problems[:10])


def assert_arguments_unchanged(results: dict[str, dict]) -> None:
    changed = [case_id for case_id, result in results.items() if result.get("argsChanged")]
    assert not changed, f"these calls modified their arguments: {changed}"


def assert_refused(result: dict, bad: Bad) -> None:
    assert "error" in result, f"{bad.fn} accepted the bad input and returned {result['value']!r:.200}"
    error = result["error"]
    assert error["isError"], f"threw something that is not an Error: {error}"
    assert error["type"] == bad.error, f"threw {error['type']}, expected {bad.error}: {error['message']}"
    assert re.search(bad.pattern, error["message"]), f"message {error['message']!r} does not match {bad.pattern!r}"
