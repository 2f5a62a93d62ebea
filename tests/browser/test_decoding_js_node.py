"""decoding.js (the widgets of the generating page) against attention_ref.decoding, in node.

The same cases run in one `node --input-type=module` process: a whole sentence decoded one token
at a time with the cache (each step's weights and output equal attention_ref's, to the tolerance
of tests/browser/jsharness.py), the softmax with a temperature, mulberry32's draws (exactly the
same numbers: integer arithmetic), and the inverse-CDF choice of a token for every draw. Skipped
where node is not installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import jsharness
import numpy as np
import pytest

from attention_ref import (
    decode,
    load_examples,
    sample_index,
    softmax_with_temperature,
    uniform_draws,
)

MODULE = jsharness.JS_DIR / "decoding.js"
SEEDS = [0, 1, 16, 2**32 - 1, 123456789]
TEMPERATURES = [0.25, 0.5, 1.0, 2.0, 7.5]


def run_node(body: str, payload: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (
        f"import * as D from {json.dumps(MODULE.as_uri())};\n"
        "let input = ''; for await (const c of process.stdin) input += c;\n"
        "const P = JSON.parse(input);\n" + body
    )
    proc = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def example():
    ex = load_examples()
    s = ex.sentence(ex.decoding.sentence)
    lang = s.language
    return {"x": s.x.tolist(), "w_q": lang.w_q.tolist(), "w_k": lang.w_k.tolist(), "w_v": lang.w_v.tolist(),
            "logits": ex.decoding.logits.tolist()}


@pytest.fixture(scope="module")
def node(example):
    rng = np.random.default_rng(7)
    random_x = rng.normal(size=(9, 5)).tolist()
    random_w = [rng.normal(size=(5, d)).tolist() for d in (3, 3, 4)]
    body = r"""
const decodeAll = (x, wq, wk, wv) => {
  let cache = null; const steps = [];
  for (const row of x) { const s = D.decodeStep(row, wq, wk, wv, cache); steps.push(s); cache = s.cache; }
  return steps;
};
const seeds = Object.fromEntries(P.seeds.map((s) => [s, D.uniformDraws(s, 200)]));
const probs = Object.fromEntries(P.temperatures.map((t) => [t, D.softmaxWithTemperature(P.logits, t)]));
const picks = Object.fromEntries(P.temperatures.map((t) => [t, seeds[16].map((u) => D.sampleIndex(probs[t], u))]));
const cacheBefore = JSON.stringify({ k: [[1, 2, 3]], v: [[1, 2, 3, 4]] });
const given = JSON.parse(cacheBefore);
D.decodeStep(P.random_x[1], ...P.random_w, given);
const errors = [
  () => D.softmaxWithTemperature(P.logits, 0),
  () => D.softmaxWithTemperature([], 1),
  () => D.decodeStep([1, 2], ...P.random_w),
  () => D.uniformDraws(-1, 3),
  () => D.sampleIndex([0.5, 0.2], 0.1),
  () => D.sampleIndex([0.5, 0.5], 1),
].map((f) => { try { f(); return null; } catch (e) { return `${e.constructor.name}: ${e.message}`; } });
process.stdout.write(JSON.stringify({
  example: decodeAll(P.x, P.w_q, P.w_k, P.w_v),
  random: decodeAll(P.random_x, ...P.random_w),
  seeds, probs, picks, cacheUnchanged: JSON.stringify(given) === cacheBefore, errors,
}));
"""
    payload = {**example, "random_x": random_x, "random_w": random_w, "seeds": SEEDS, "temperatures": TEMPERATURES}
    return run_node(body, payload), random_x, random_w


def assert_close(actual, expected, where):
    problems = jsharness.mismatches(actual, np.asarray(expected).tolist(), where)
    assert not problems, problems


@pytest.mark.parametrize("which", ["example", "random"])
def test_each_cached_step_matches_attention_ref(node, example, which):
    out, random_x, random_w = node
    args = (example["x"], example["w_q"], example["w_k"], example["w_v"]) if which == "example" else (
        random_x, *random_w)
    steps = decode(*(np.asarray(a) for a in args))
    assert len(out[which]) == len(steps)
    for js, py in zip(out[which], steps, strict=True):
        assert js["position"] == py.position and js["nCached"] == py.n_cached
        for field in ("q", "k", "v", "scores", "scaled", "weights", "output"):
            assert_close(js[field], getattr(py, field), f"{which} step {py.position} {field}")
        assert_close(js["cache"]["k"], py.cache.k, f"{which} step {py.position} cache k")


def test_the_draws_are_mulberry32_exactly(node):
    out = node[0]
    for seed in SEEDS:
        assert out["seeds"][str(seed)] == uniform_draws(seed, 200).tolist(), seed


def test_temperature_and_choice_match(node, example):
    out = node[0]
    draws = uniform_draws(16, 200)
    for t in TEMPERATURES:
        p = softmax_with_temperature(np.asarray(example["logits"]), t)
        assert_close(out["probs"][_js_key(t)], p, f"T={t}")
        assert out["picks"][_js_key(t)] == [sample_index(p, u) for u in draws], t


def _js_key(t: float) -> str:
    """How JavaScript writes a number as an object key (1.0 -> "1", 0.5 -> "0.5")."""
    return str(int(t)) if float(t).is_integer() else repr(t)


def test_the_given_cache_is_left_unchanged(node):
    assert node[0]["cacheUnchanged"] is True


def test_bad_input_is_refused_with_a_named_error(node):
    errors = node[0]["errors"]
    assert all(errors), errors
    for text, name in zip(errors, ["temperature", "logits", "wQ", "seed", "probabilities", "u"], strict=True):
        assert name in text, text
